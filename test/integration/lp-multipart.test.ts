/** Bulk laissez-passer sent as an HTML form would (multipart/form-data): the file's name says its format. */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { passerelleDuBloc, type PasserelleDeTest } from '../helpers/passerelle';
import ExcelJS from 'exceljs';
import { modele } from '../../src/adapters/batch/lecteurs';
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);

for (const nomBase of BASES) {
  describe(`[${nomBase}] chargement de laissez-passer en multipart/form-data`, function () {
    this.timeout(60_000);
    const passerelle = passerelleDuBloc(nomBase);
    let gw: PasserelleDeTest;
    beforeEach(() => {
      gw = passerelle();
    });
    const envoyer = async (contenu: Blob, nom: string, query = 'attendre=1') => {
      const form = new FormData();
      form.append('fichier', contenu, nom);
      const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?${query}`, { method: 'POST', body: form });
      return { status: r.status, body: (await r.json()) as any };
    };

    it('CSV et XLSX par un formulaire : chargés, le nom du fichier gardé ; un autre type ou un fichier vide : refusés avec un code', async () => {
      const csv = ['typLpa;codAnu;codEtu;codEtp;codVrsVet;codRgi', `REINS;${ANNEE};21700001;LDRT2;2;1`, `REINS;${ANNEE};21700002;LDRT2;2;1`].join('\n');
      const r = await envoyer(new Blob([csv], { type: 'text/csv' }), 'inscrits droit.csv');
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body).to.include({ etat: 'TERMINE', format: 'csv', nomFichier: 'inscrits droit.csv', creees: 2 });
      const xlsx = await modele('xlsx', ['typLpa', 'codAnu', 'codEtu', 'codEtp', 'codVrsVet', 'codRgi'], {
        typLpa: 'REINS',
        codAnu: ANNEE,
        codEtu: '21700003',
        codEtp: 'LDRT2',
        codVrsVet: '2',
        codRgi: '1',
      });
      const x = await envoyer(new Blob([new Uint8Array(xlsx)]), 'classeur.xlsx');
      expect(x.body).to.include({ etat: 'TERMINE', format: 'xlsx', creees: 1 });
      const pdf = await envoyer(new Blob(['%PDF-1.4']), 'scan.pdf');
      expect(pdf.status).to.equal(415);
      expect(pdf.body.errors[0]).to.include({ code: 'TYPE_CONTENU_NON_SUPPORTE', path: 'fichier' });
      const vide = await envoyer(new Blob([]), 'vide.csv');
      expect(vide.status).to.equal(422);
      expect(vide.body.errors[0].code).to.equal('LOT_VIDE');
      // A preview of the first rows as read, beside the simulation's report.
      const apercu = await envoyer(new Blob([csv.replace(/2170000/g, '2170005')]), 'apercu.csv', 'attendre=1&simulation=true&apercu=1');
      expect(apercu.body.apercu).to.deep.equal([
        { ligne: 2, valeurs: { typLpa: 'REINS', codAnu: ANNEE, codEtu: '21700051', codEtp: 'LDRT2', codVrsVet: '2', codRgi: '1' } },
      ]);
      // `format=` wins over the name.
      const nomme = await envoyer(new Blob([csv.replace(/2170000/g, '2170001')]), 'export', 'attendre=1&format=csv');
      expect(nomme.body).to.include({ etat: 'TERMINE', creees: 2 });
      // A workbook as staff type it: number cells (1 for the statut 01), real date cells.
      const classeur = new ExcelJS.Workbook();
      const feuille = classeur.addWorksheet('lp');
      feuille.addRow(['typLpa', 'codAnu', 'codEtu', 'codEtp', 'codVrsVet', 'codRgi', 'codStu', 'dateDebutValidite', 'dateFinValidite']);
      feuille.addRow([
        'REINS',
        Number(ANNEE),
        21700030,
        'LDRT2',
        2,
        1,
        1,
        new Date(Date.UTC(Number(ANNEE), 8, 1)),
        new Date(Date.UTC(Number(ANNEE) + 1, 5, 30)),
      ]);
      const tableur = await envoyer(new Blob([new Uint8Array((await classeur.xlsx.writeBuffer()) as ArrayBuffer)]), 'saisie.xlsx');
      expect(tableur.body, JSON.stringify(tableur.body)).to.include({ etat: 'TERMINE', creees: 1, lignesRejetees: 0 });
      const lu = (await gw.json('GET', '/api/v1/laissez-passer?codEtu=21700030')).body.laissezPasser[0];
      expect(lu).to.include({ codStu: '01', dateDebutValidite: `${ANNEE}-09-01`, dateFinValidite: `${Number(ANNEE) + 1}-06-30` });
      // A row repeated, or repeated with other values, is reported on its own line, never applied silently.
      const doubles = [
        'typLpa;codAnu;codEtu;codEtp;codVrsVet;codRgi;libCmtLpa',
        `REINS;${ANNEE};21700020;LDRT2;2;1;premier`,
        `REINS;${ANNEE};21700020;LDRT2;2;1;premier`,
        `REINS;${ANNEE};21700020;LDRT2;2;1;autre commentaire`,
      ].join('\n');
      const d = await envoyer(new Blob([doubles]), 'doubles.csv');
      expect(d.body).to.include({ etat: 'TERMINE', creees: 1, lignesRejetees: 2 });
      expect(d.body.rejets.map((x: { ligne: number; erreurs: { code: string }[] }) => [x.ligne, x.erreurs[0].code])).to.deep.equal([
        [3, 'LIGNE_EN_DOUBLE'],
        [4, 'LIGNE_CONTRADICTOIRE'],
      ]);
      // No file part at all.
      const form = new FormData();
      form.append('autre', 'x');
      const sans = await fetch(`${gw.url}/api/v1/laissez-passer/bulk`, { method: 'POST', body: form });
      expect(sans.status).to.equal(400);
      expect(((await sans.json()) as { errors: { code: string; path: string }[] }).errors[0]).to.include({ code: 'CHAMP_OBLIGATOIRE', path: 'fichier' });
    });
  });
}
