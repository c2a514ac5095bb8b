/**
 * Hostile input on a real gateway: refused with the catalogue's code (4xx, or a SOAP client Fault),
 * never ERREUR_INTERNE, nothing stored; and a bulk file with monstrous rows still loads its good rows.
 */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { enveloppe, problemesFault, soap } from '../helpers/portes';
import { IndividuOpi, LaissezPasserEntite } from '../../src/persistence/entities';
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);

for (const nomBase of BASES) {
  describe(`[${nomBase}] entrées hostiles`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });
    const individus = () => gw.p.source.getRepository(IndividuOpi).count();

    it('JSON imbriqué sur 5 000 et 50 000 niveaux, sur chaque écriture REST : 400 PROFONDEUR_EXCESSIVE, jamais 500', async () => {
      for (const n of [5000, 50_000]) {
        for (const [m, chemin] of [
          ['PUT', '/api/v1/opi/EC26000001'],
          ['POST', '/api/v1/laissez-passer'],
          ['POST', '/api/v1/laissez-passer/lot'],
          ['POST', '/api/v1/inscriptions'],
        ]) {
          const r = await gw.json(m, chemin, `{"a":${'['.repeat(n)}${']'.repeat(n)}}`);
          expect(r.status, `${m} ${chemin} ${n}`).to.equal(400);
          expect(r.body.errors[0].code).to.equal('PROFONDEUR_EXCESSIVE');
        }
      }
      expect(await individus()).to.equal(0);
    });

    it('XML imbriqué sur 10 000 niveaux dans une opération SOAP : Fault client REQUETE_MALFORMEE', async () => {
      const corps = `${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}`;
      const r = await soap(gw, 'OpiMetier', enveloppe('mettreajourDonneesOpi_v10', 'gouv.education.apogee.commun.servicesmetiers.OpiMetier', corps));
      expect(r.status).to.equal(500);
      expect(r.texte).to.include('soapenv:Client');
      expect(problemesFault(r.texte).map((p) => p.code)).to.deep.equal(['REQUETE_MALFORMEE']);
      expect(r.texte).to.include('imbrication de plus de 64');
    });

    it('demi-paire UTF-16, NUL, caractère de contrôle ou BOM dans une valeur : 422 CARACTERE_INTERDIT avec le chemin, rien stocké', async () => {
      for (const [nom, attendu] of [
        ['Lef\\ud800vre', 'U+D800'],
        ['Lef\\u0000vre', 'U+0000'],
        ['Lef\\u001bvre', 'U+001B'],
        ['\\ufeffLefèvre', 'U+FEFF'],
        ['Lef\\ufeffèvre', 'U+FEFF'],
      ]) {
        const texte = JSON.stringify(opiExemple('EC26000002')).replace('"libNomPatIndOpi":"', `"libNomPatIndOpi":"${nom}`);
        const r = await gw.json('PUT', '/api/v1/opi/EC26000002', texte);
        expect(r.status, nom).to.equal(422);
        const e = r.body.errors.find((x: { code: string }) => x.code === 'CARACTERE_INTERDIT');
        expect(e, JSON.stringify(r.body)).to.include({ path: 'individu.etatCivil.libNomPatIndOpi' });
        expect(e.message).to.include(attendu);
      }
      expect(await individus()).to.equal(0);
      // The same on a laissez-passer, a BOM before the étape code.
      const lp = { typLpa: 'REINS', codAnu: ANNEE, codEtu: '21000009', codEtp: '\uFEFFLDRT2', codVrsVet: 2, codRgi: '1' };
      const r = await gw.json('POST', '/api/v1/laissez-passer', lp);
      expect(r.status, JSON.stringify(r.body)).to.equal(422);
      expect(r.body.errors.map((x: { code: string; path: string }) => `${x.code}@${x.path}`)).to.include('CARACTERE_INTERDIT@codEtp');
    });

    it('fichier en mode partiel : une ligne de 5 000 cellules en trop et une valeur de 100 000 caractères sont rejetées et gardées (tronquées) ; les bonnes lignes sont chargées', async () => {
      const entete = 'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi;libCmtLpa';
      const bonne = (i: number) => `REINS;${ANNEE};;${21000100 + i};LDRT2;2;1;ok`;
      const csv = [
        entete,
        bonne(1),
        `REINS;${ANNEE};;21000150;LDRT2;2;1;ok${';x'.repeat(5000)}`,
        `REINS;${ANNEE};;21000151;LDRT2;2;1;${'y'.repeat(100_000)}`,
        bonne(2),
      ].join('\n');
      const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?mode=partial&attendre=1`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      });
      const etat = (await r.json()) as { etat: string; creees: number; lignesRejetees: number; id: string };
      expect(etat, JSON.stringify(etat)).to.include({ etat: 'TERMINE', creees: 2, lignesRejetees: 2 });
      const rejets = (await gw.json('GET', `/api/v1/jobs/${etat.id}/rejets`)).body.rejets as { ligne: number; valeurs: Record<string, string> }[];
      expect(rejets.map((x) => x.ligne)).to.deep.equal([3, 4]);
      expect(JSON.stringify(rejets[1])).to.include('tronqué : 100000 caractères');
      expect(await gw.p.source.getRepository(LaissezPasserEntite).count()).to.equal(2);
    });
  });
}
