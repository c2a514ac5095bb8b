/** Laissez-passer over REST and SOAP, bulk loads (CSV, XLSX, JSON), jobs, resume, and the LP-over-OPI rule. */
import { TAILLE_PAQUET } from '../../src/application/jobs/moteur';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import * as soap from 'soap';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { LaissezPasserEntite } from '../../src/persistence/entities';
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);

const lp = (surcharges: Record<string, unknown> = {}) => ({
  typLpa: 'REINS',
  codAnu: ANNEE,
  codEtu: '21000001',
  codEtp: 'LDRT2',
  codVrsVet: 2,
  codRgi: '1',
  codStu: '01',
  codCatExoExt: 'DN',
  ...surcharges,
});

const ENTETE = 'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codDip;codVrsVdi;codRgi;codStu;libCmtLpa;codCatOuiSi;mtfCat;codCatExoExt';

function ligneCsv(i: number, surcharges: Partial<Record<string, string>> = {}, sep = ';'): string {
  const v: Record<string, string> = {
    typLpa: 'REINS',
    codAnu: ANNEE,
    numOPI: '',
    codEtu: String(30000000 + i),
    codEtp: 'LDRT2',
    codVrsVet: '2',
    codDip: 'LDRT',
    codVrsVdi: '2',
    codRgi: '1',
    codStu: '01',
    libCmtLpa: `Réorientation n° ${i}`,
    codCatOuiSi: '',
    mtfCat: '',
    codCatExoExt: 'DN',
    ...surcharges,
  };
  return ENTETE.split(';')
    .map((c) => v[c] ?? '')
    .join(sep);
}

async function envoyerFichier(gw: PasserelleDeTest, corps: Buffer | string, type: string, query = 'attendre=1', entetes: Record<string, string> = {}) {
  const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?${query}`, { method: 'POST', headers: { 'content-type': type, ...entetes }, body: corps });
  return { status: r.status, body: (await r.json()) as any, headers: r.headers };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] laissez-passer`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });
    const compter = () => gw.p.source.getRepository(LaissezPasserEntite).count();

    describe('REST, un par un', () => {
      it("crée (201), relit, renvoie à l'identique (200 INCHANGE, un seul LP), met à jour, supprime", async () => {
        // The source is the authenticated client.
        const r1 = await gw.commeClient('scolarite-droit', (h) => gw.json('POST', '/api/v1/laissez-passer', lp({ libCmtLpa: 'Réorientation' }), h));
        expect(r1.status).to.equal(201);
        expect(r1.body.resultat).to.equal('CREE');
        expect(r1.body.laissezPasser).to.include({ codEtu: '21000001', codEtp: 'LDRT2', codVrsVet: 2, typLpa: 'REINS', source: 'scolarite-droit', version: 1 });
        const id = r1.body.id;
        expect(r1.headers.get('location')).to.equal(`/api/v1/laissez-passer/${id}`);
        const r2 = await gw.json('POST', '/api/v1/laissez-passer', lp({ libCmtLpa: 'Réorientation' }));
        expect(r2.status).to.equal(200);
        expect(r2.body).to.include({ resultat: 'INCHANGE', id });
        await new Promise((fin) => setTimeout(fin, 20));
        const r3 = await gw.json('POST', '/api/v1/laissez-passer', lp({ libCmtLpa: 'Réorientation', codRgi: '3' }));
        expect(r3.body).to.include({ resultat: 'MIS_A_JOUR', id });
        expect(r3.body.laissezPasser).to.include({ codRgi: '3', version: 2 });
        // An update keeps the creation date and moves the modification date.
        expect(r3.body.laissezPasser.creeLe).to.equal(r1.body.laissezPasser.creeLe);
        expect(r3.body.laissezPasser.modifieLe > r1.body.laissezPasser.modifieLe).to.equal(true);
        expect((await gw.json('GET', `/api/v1/laissez-passer/${id}`)).body.codRgi).to.equal('3');
        const recherche = await gw.json('GET', `/api/v1/laissez-passer?codEtu=21000001&codAnu=${ANNEE}`);
        expect(recherche.body.laissezPasser.map((x: { id: number }) => x.id)).to.deep.equal([id]);
        expect((await gw.json('DELETE', `/api/v1/laissez-passer/${id}`)).status).to.equal(204);
        const absent = await gw.json('GET', `/api/v1/laissez-passer/${id}`);
        expect(absent.status).to.equal(404);
        expect(absent.body.errors[0].code).to.equal('LP_INTROUVABLE');
        expect((await gw.json('DELETE', `/api/v1/laissez-passer/${id}`)).status).to.equal(404);
      });

      it('accepte les noms V2 (numOPI, versions en texte) et déduit typLpa', async () => {
        const r = await gw.json('POST', '/api/v1/laissez-passer', {
          codAnu: ANNEE,
          numOPI: 'ec26000001',
          codEtp: 'minf1',
          codVrsVet: '2',
          codDip: 'MINF',
          codVrsVdi: '2',
          codRgi: '1',
        });
        expect(r.status).to.equal(201);
        expect(r.body.laissezPasser).to.include({ typLpa: 'IAPRIMO', codOpiIntEpo: 'EC26000001', codEtp: 'MINF1', codVrsVet: 2, codVrsVdi: 2 });
      });

      const rejets: [string, Record<string, unknown>, string, string][] = [
        ['étape inconnue', { codEtp: 'ZZZZ1' }, 'ETAPE_INCONNUE', 'codEtp'],
        ['régime inconnu', { codRgi: '9' }, 'REGIME_INCONNU', 'codRgi'],
        ["régime non autorisé sur l'étape", { codRgi: '2' }, 'REGIME_NON_AUTORISE_SUR_ETAPE', 'codRgi'],
        ['situation droits inconnue', { codCatExoExt: 'ZZ' }, 'SITUATION_DROITS_INCONNUE', 'codCatExoExt'],
        ["aucun identifiant d'individu", { codEtu: undefined, typLpa: undefined }, 'IDENTIFIANT_INDIVIDU_MANQUANT', 'codOpiIntEpo'],
        ['INE à clé fausse', { ine: '0000000001C' }, 'INE_CLE_INVALIDE', 'ine'],
        ['année absente', { codAnu: undefined }, 'CHAMP_OBLIGATOIRE', 'codAnu'],
        ['année hors campagne', { codAnu: '1999' }, 'ANNEE_UNIVERSITAIRE_INVALIDE', 'codAnu'],
        ['numOPI et codOpiIntEpo contradictoires', { numOPI: 'EC1', codOpiIntEpo: 'EC2' }, 'SYNONYMES_CONTRADICTOIRES', 'codOpiIntEpo'],
        ['période incohérente', { dateDebutValidite: `${ANNEE}-09-01`, dateFinValidite: `${ANNEE}-08-01` }, 'PERIODE_VALIDITE_INCOHERENTE', 'dateFinValidite'],
      ];
      for (const [titre, surcharge, code, chemin] of rejets) {
        it(`refuse : ${titre} (${code} sur ${chemin}), rien d'écrit`, async () => {
          const avant = await compter();
          const r = await gw.json('POST', '/api/v1/laissez-passer', lp({ codEtu: '21999999', ...surcharge }));
          expect(r.status).to.equal(422);
          expect(r.body.errors.map((e: { code: string; path: string }) => `${e.code}@${e.path}`)).to.include(`${code}@${chemin}`);
          expect(await compter()).to.equal(avant);
        });
      }

      it("refuse un LP incohérent avec l'OPI existante (numéro étudiant différent)", async () => {
        await gw.json('PUT', '/api/v1/opi/EC26000077', opiExemple('EC26000077', { ine: null, codEtu: 21000077 }));
        const r = await gw.json('POST', '/api/v1/laissez-passer', lp({ numOPI: 'EC26000077', codEtu: '21000078' }));
        expect(r.status).to.equal(422);
        expect(r.body.errors[0]).to.include({ code: 'LP_INDIVIDU_INCOHERENT', path: 'codEtu' });
        expect((await gw.json('POST', '/api/v1/laissez-passer', lp({ numOPI: 'EC26000077', codEtu: '21000077' }))).status).to.equal(201);
      });

      it('Idempotency-Key : un renvoi rejoue la même réponse ; la même clé pour un autre corps → 409', async () => {
        const entetes = { 'idempotency-key': 'cle-lp-001' };
        const r1 = await gw.json('POST', '/api/v1/laissez-passer', lp({ codEtu: '21000100' }), entetes);
        expect(r1.status).to.equal(201);
        const r2 = await gw.json('POST', '/api/v1/laissez-passer', lp({ codEtu: '21000100' }), entetes);
        expect(r2.status).to.equal(201);
        expect(r2.headers.get('idempotent-replayed')).to.equal('true');
        expect(r2.body).to.deep.equal(r1.body);
        const r3 = await gw.json('POST', '/api/v1/laissez-passer', lp({ codEtu: '21000101' }), entetes);
        expect(r3.status).to.equal(409);
        expect(r3.body.errors[0].code).to.equal('IDEMPOTENCE_CONFLIT');
        expect(await gw.p.source.getRepository(LaissezPasserEntite).count({ where: { codEtu: '21000101' } })).to.equal(0);
      });
    });

    describe('REST, une liste en un appel', () => {
      it("POST /laissez-passer/lot : 1 000 LP, un résultat par élément dans l'ordre ; tout-ou-rien n'écrit rien", async () => {
        const items = Array.from({ length: 1000 }, (_, i) => lp({ codEtu: String(43000000 + i), codEtp: 'LECG3', codRgi: i === 499 ? '9' : '1' }));
        const r = await gw.json('POST', '/api/v1/laissez-passer/lot', items);
        expect(r.status).to.equal(200);
        expect(r.body).to.include({ mode: 'partiel', creees: 999, rejetees: 1, misesAJour: 0, inchangees: 0, toutOuRienAnnule: false });
        expect(r.body.resultats).to.have.length(1000);
        expect(r.body.resultats[499]).to.deep.include({ rang: 500, statut: 'REJETE' });
        expect(r.body.resultats[499].erreurs[0]).to.include({ code: 'REGIME_INCONNU', path: '[499].codRgi' });
        expect(r.body.resultats[0]).to.include({ rang: 1, statut: 'CREE' });
        const tor = await gw.json('POST', '/api/v1/laissez-passer/lot?mode=all-or-nothing', [
          lp({ codEtu: '43999998', codEtp: 'LECG3' }),
          lp({ codEtu: '43999999', codEtp: 'ZZZZ1' }),
        ]);
        expect(tor.body).to.include({ mode: 'tout-ou-rien', creees: 0, rejetees: 1, toutOuRienAnnule: true });
        expect(tor.body.resultats.map((x: { statut: string }) => x.statut)).to.deep.equal(['NON_ECRIT', 'REJETE']);
        expect(await gw.p.source.getRepository(LaissezPasserEntite).count({ where: { codEtu: '43999998' } })).to.equal(0);
        expect((await gw.json('POST', '/api/v1/laissez-passer/lot', { pas: 'un tableau' })).status).to.equal(400);
        expect((await gw.json('POST', '/api/v1/laissez-passer/lot', [])).body.errors[0].code).to.equal('LOT_VIDE');
      });
    });

    describe('chargements de fichiers', () => {
      it('CSV mêlant bonnes et mauvaises lignes (partiel) : les bonnes sont gardées, chaque mauvaise est rapportée (ligne, code, chemin, message) ; un renvoi ne crée rien', async () => {
        const lignes = [ENTETE];
        for (let i = 1; i <= 1200; i++) {
          if (i === 7) lignes.push(ligneCsv(i, { codEtp: 'ZZZZ1' }));
          else if (i === 600) lignes.push(ligneCsv(i, { codRgi: '9', codCatExoExt: 'Z' }));
          else if (i === 1100) lignes.push(ligneCsv(i, { codEtu: '', numOPI: '' }));
          else lignes.push(ligneCsv(i));
        }
        const csv = `${lignes.join('\n')}\n`;
        const r = await envoyerFichier(gw, csv, 'text/csv; charset=utf-8', 'attendre=1&nomFichier=lp-droit.csv');
        expect(r.status).to.equal(200);
        expect(r.body).to.include({
          etat: 'TERMINE',
          mode: 'partiel',
          lignesLues: 1200,
          lignesRejetees: 3,
          creees: 1197,
          lignesEcrites: 1197,
          nomFichier: 'lp-droit.csv',
        });
        expect(r.body.rejets.map((x: { ligne: number }) => x.ligne)).to.deep.equal([8, 601, 1101]);
        expect(r.body.rejets[0].erreurs).to.deep.equal([
          { code: 'ETAPE_INCONNUE', path: 'codEtp', message: 'Étape inconnue ou hors service : ZZZZ1 version 2.' },
        ]);
        // Schema problems of a row are all reported (the rules run once the row has the right shape).
        expect(r.body.rejets[1].erreurs.map((e: { code: string; path: string }) => `${e.code}@${e.path}`)).to.have.members([
          'LONGUEUR_MIN_NON_ATTEINTE@codCatExoExt',
          'FORMAT_INVALIDE@codCatExoExt',
        ]);
        expect(r.body.rejets[2].erreurs[0]).to.include({ code: 'IDENTIFIANT_INDIVIDU_MANQUANT', path: 'numOPI' });

        const rapport = await fetch(`${gw.url}${r.body.liens.rejetsCsv}`);
        expect(rapport.headers.get('content-type')).to.match(/text\/csv/);
        const texte = (await rapport.text()).replace(/^\uFEFF/, '');
        const lignesRapport = texte.trim().split(/\r?\n/);
        expect(lignesRapport[0].split(';').slice(0, 4)).to.deep.equal(['ligne', 'code', 'chemin', 'message']);
        expect(lignesRapport).to.have.length(1 + 1 + 2 + 1); // header, then one line per problem
        expect(lignesRapport[1]).to.match(/^8;ETAPE_INCONNUE;codEtp;/);

        const total = await gw.p.source.getRepository(LaissezPasserEntite).count({ where: { jobId: r.body.id } });
        expect(total).to.equal(1197);
        const renvoi = await envoyerFichier(gw, csv, 'text/csv; charset=utf-8');
        expect(renvoi.body).to.include({ etat: 'TERMINE', creees: 0, misesAJour: 0, inchangees: 1197, lignesRejetees: 3 });
        expect(await gw.p.source.getRepository(LaissezPasserEntite).count({ where: { codAnu: ANNEE, codEtp: 'LDRT2' } })).to.be.at.least(1197);
        const parCle = await gw.p.source.query('SELECT cle, COUNT(*) AS n FROM laissez_passer GROUP BY cle HAVING COUNT(*) > 1');
        expect(parCle).to.deep.equal([]);
      });

      it("tout-ou-rien : une seule ligne mauvaise et rien n'est écrit ; le lot corrigé passe en entier", async () => {
        const avant = await compter();
        const lignes = [ENTETE, ...Array.from({ length: 50 }, (_, i) => ligneCsv(5000 + i))];
        lignes[26] = ligneCsv(5025, { codEtp: 'ZZZZ1' });
        const r = await envoyerFichier(gw, lignes.join('\n'), 'text/csv', 'attendre=1&mode=all-or-nothing');
        expect(r.body).to.include({ etat: 'REJETE', mode: 'tout-ou-rien', lignesLues: 50, lignesRejetees: 1, creees: 0, lignesEcrites: 0 });
        expect(r.body.rejets).to.have.length(1);
        expect(r.body.rejets[0]).to.include({ ligne: 27 });
        expect(await compter()).to.equal(avant);
        lignes[26] = ligneCsv(5025);
        const ok = await envoyerFichier(gw, lignes.join('\n'), 'text/csv', 'attendre=1&mode=all-or-nothing');
        expect(ok.body, JSON.stringify(ok.body.erreur)).to.include({ etat: 'TERMINE', creees: 50, lignesRejetees: 0 });
        expect(await compter()).to.equal(avant + 50);
      });

      it('CSV Windows-1252 séparé par des virgules : les accents arrivent intacts', async () => {
        const csv = [ENTETE.replace(/;/g, ','), ligneCsv(7001, { libCmtLpa: 'Élève réorienté après la Œuvre de Noël à Besançon' }, ',')].join('\r\n');
        const r = await envoyerFichier(gw, iconv.encode(csv, 'win1252'), 'text/csv');
        expect(r.body).to.include({ etat: 'TERMINE', creees: 1 });
        const [stocke] = (await gw.json('GET', '/api/v1/laissez-passer?codEtu=30007001')).body.laissezPasser;
        expect(stocke.libCmtLpa).to.equal('Élève réorienté après la Œuvre de Noël à Besançon');
      });

      it('XLSX et JSON : mêmes règles, mêmes résultats par ligne', async () => {
        const classeur = new ExcelJS.Workbook();
        const feuille = classeur.addWorksheet('LP');
        feuille.addRow(ENTETE.split(';'));
        feuille.addRow(
          ligneCsv(8001)
            .split(';')
            .map((v, k) => (k === 5 ? 2 : v)),
        );
        feuille.addRow(ligneCsv(8002, { codStu: '99' }).split(';'));
        const xlsx = Buffer.from(await classeur.xlsx.writeBuffer());
        const r = await envoyerFichier(gw, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        expect(r.body).to.include({ etat: 'TERMINE', creees: 1, lignesRejetees: 1 });
        expect(r.body.rejets[0]).to.deep.include({ ligne: 3 });
        expect(r.body.rejets[0].erreurs[0]).to.include({ code: 'STATUT_INCONNU', path: 'codStu' });

        const json = [lp({ codEtu: '30009001' }), lp({ codEtu: '30009002', codEtp: 'ZZZZ1' }), 'pas un objet'];
        const rj = await envoyerFichier(gw, JSON.stringify(json), 'application/json');
        expect(rj.body).to.include({ etat: 'TERMINE', creees: 1, lignesRejetees: 2 });
        expect(rj.body.rejets.map((x: { ligne: number }) => x.ligne)).to.deep.equal([1, 2]);
      });

      it('en-tête inconnu → 422 COLONNE_INCONNUE tout de suite ; type non supporté → 415 ; fichier vide → 422', async () => {
        const r = await envoyerFichier(gw, `${ENTETE};couleur\n${ligneCsv(1)};bleu\n`, 'text/csv', '');
        expect(r.status).to.equal(422);
        expect(r.body.errors[0]).to.include({ code: 'COLONNE_INCONNUE', path: 'entete.couleur' });
        const t = await envoyerFichier(gw, 'x', 'application/pdf', '');
        expect(t.status).to.equal(415);
        const v = await envoyerFichier(gw, '', 'text/csv', '');
        expect(v.status).to.equal(422);
        expect(v.body.errors[0].code).to.equal('LOT_VIDE');
      });

      it("sans attendre : 202 + Location, l'avancement se lit sur /api/v1/jobs/{id} ; Idempotency-Key ne relance pas le lot", async () => {
        const csv = [ENTETE, ligneCsv(9501), ligneCsv(9502)].join('\n');
        const r = await envoyerFichier(gw, csv, 'text/csv', '', { 'idempotency-key': 'lot-9000' });
        expect(r.status).to.equal(202);
        expect(r.headers.get('location')).to.equal(`/api/v1/jobs/${r.body.id}`);
        await gw.p.services.chargements.inactif();
        const etat = await gw.json('GET', `/api/v1/jobs/${r.body.id}`);
        expect(etat.body).to.include({ etat: 'TERMINE', lignesLues: 2, creees: 2 });
        const r2 = await envoyerFichier(gw, csv, 'text/csv', '', { 'idempotency-key': 'lot-9000' });
        expect(r2.body.id).to.equal(r.body.id);
        expect(r2.headers.get('idempotent-replayed')).to.equal('true');
        expect((await gw.json('GET', '/api/v1/jobs/00000000-0000-0000-0000-000000000000')).status).to.equal(404);
      });

      it('sert les modèles CSV et XLSX', async () => {
        const csv = await fetch(`${gw.url}/api/v1/laissez-passer/modele.csv`);
        expect(csv.headers.get('content-disposition')).to.contain('modele-laissez-passer.csv');
        const texte = (await csv.text()).replace(/^\uFEFF/, '');
        expect(texte.split(/\r?\n/)[0]).to.match(/^typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet/);
        const xlsx = await fetch(`${gw.url}/api/v1/laissez-passer/modele.xlsx`);
        const classeur = new ExcelJS.Workbook();
        await classeur.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
        expect(classeur.worksheets[0].getRow(1).getCell(1).value).to.equal('typLpa');
        // Drop-down lists of the codes in service, on the `codes` sheet, and a help sheet for every column.
        expect(classeur.worksheets.map((f) => f.name)).to.deep.equal(['laissez-passer', 'codes', 'aide']);
        const entete = (classeur.worksheets[0].getRow(1).values as string[]).slice(1);
        const rgi = classeur.worksheets[0].getCell(3, entete.indexOf('codRgi') + 1).dataValidation;
        expect(rgi).to.include({ type: 'list' });
        expect(rgi.formulae[0]).to.match(/^codes!\$[A-Z]+\$2:\$[A-Z]+\$\d+$/);
        const codes = classeur.getWorksheet('codes')!;
        const colRgi = (codes.getRow(1).values as string[]).indexOf('codRgi');
        expect(codes.getCell(2, colRgi).value).to.equal('1');
        const aide = classeur.getWorksheet('aide')!;
        expect(aide.rowCount - 1).to.equal(entete.length);
        // The XLSX template loads too, as it is.
        const rx = await envoyerFichier(
          gw,
          Buffer.from(await (await fetch(`${gw.url}/api/v1/laissez-passer/modele.xlsx`)).arrayBuffer()),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        expect(rx.body, JSON.stringify(rx.body)).to.include({ etat: 'TERMINE', lignesLues: 1, lignesRejetees: 0 });
        // The template itself loads: its example row is valid.
        const r = await envoyerFichier(gw, texte, 'text/csv');
        expect(r.body).to.include({ etat: 'TERMINE', lignesRejetees: 0 });
      });
    });

    describe('SOAP LaissezPasserMetier', () => {
      it('V1 et V2 (contrat Apogée) créent un LP ; une erreur donne un fault WebBaseException', async () => {
        const client = await soap.createClientAsync(`${gw.url}/ws/LaissezPasserMetier?wsdl`);
        await client.mettreAJourLaissezPasserWSAsync({
          _typLpa: 'REINS',
          _codAnu: ANNEE,
          _numOPI: '',
          _codEtu: '40000001',
          _codEtp: 'LDRT3',
          _codVrsVet: '2',
          _codDip: 'LDRT',
          _codVrsVdi: '2',
          _codRgi: '1',
          _codStu: '01',
          _libCmtLpa: 'V1',
        });
        const [v2] = await client.mettreAJourLaissezPasserWS_V2Async({
          typLpa: 'REINS',
          codAnu: ANNEE,
          numOPI: '',
          codEtu: '40000002',
          codEtp: 'LDRT3',
          codVrsVet: '2',
          codDip: '',
          codVrsVdi: '',
          codRgi: '1',
          codStu: '01',
          libCmtLpa: '',
          codCatOuiSi: '',
          mtfCat: '',
          codCatExoExt: 'EXO',
        });
        expect(v2).to.equal(null);
        const lus = await gw.json('GET', '/api/v1/laissez-passer?codEtp=LDRT3&codVrsVet=2');
        expect(lus.body.laissezPasser.map((x: { codEtu: string }) => x.codEtu).sort()).to.deep.equal(['40000001', '40000002']);
        const e = await client
          .mettreAJourLaissezPasserWS_V2Async({
            typLpa: 'REINS',
            codAnu: ANNEE,
            numOPI: '',
            codEtu: '40000003',
            codEtp: 'ZZZZ1',
            codVrsVet: '2',
            codDip: '',
            codVrsVdi: '',
            codRgi: '1',
            codStu: '01',
            libCmtLpa: '',
            codCatOuiSi: '',
            mtfCat: '',
            codCatExoExt: '',
          })
          .then(
            () => null,
            (x: { root: any }) => x,
          );
        const fault = e!.root.Envelope.Body.Fault;
        expect(fault.faultstring).to.equal('technical.parameter.noncoherentinput.codEtp');
        expect(fault.detail.fault.messages.item).to.equal('ETAPE_INCONNUE [codEtp] Étape inconnue ou hors service : ZZZZ1 version 2.');
      });

      it("mettreAJourLaissezPasserEnMasse : 1 000 LP en un appel, un résultat par élément dans l'ordre ; un renvoi ne crée rien", async () => {
        const client = await soap.createClientAsync(`${gw.url}/ws/LaissezPasserMetier?wsdl`);
        const items = Array.from({ length: 1000 }, (_, i) => ({
          typLpa: 'REINS',
          codAnu: ANNEE,
          codEtu: String(41000000 + i),
          codEtp: 'LECG2',
          codVrsVet: '2',
          codRgi: i % 250 === 7 ? '9' : '1',
          codStu: '01',
        }));
        const [r] = await client.mettreAJourLaissezPasserEnMasseAsync({ laissezPasser: items });
        expect(r).to.include({ nombreCrees: 996, nombreMisAJour: 0, nombreInchanges: 0, nombreRejetes: 4, toutOuRienAnnule: false });
        expect(r.resultat).to.have.length(1000);
        expect(r.resultat.map((x: { rang: number }) => x.rang)).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i + 1));
        expect(r.resultat[7]).to.deep.include({ rang: 8, statut: 'REJETE' });
        expect(r.resultat[7].erreur[0]).to.include({ code: 'REGIME_INCONNU', chemin: 'laissezPasser[7].codRgi' });
        expect(r.resultat[0]).to.include({ rang: 1, statut: 'CREE' });
        expect(r.resultat[0].id).to.be.a('number');
        const [r2] = await client.mettreAJourLaissezPasserEnMasseAsync({ laissezPasser: items });
        expect(r2).to.include({ nombreCrees: 0, nombreInchanges: 996, nombreRejetes: 4 });
        expect(await gw.p.source.getRepository(LaissezPasserEntite).count({ where: { codEtp: 'LECG2' } })).to.equal(996);
      });

      it("mettreAJourLaissezPasserEnMasse en tout-ou-rien : un élément mauvais, rien d'écrit, les autres NON_ECRIT", async () => {
        const client = await soap.createClientAsync(`${gw.url}/ws/LaissezPasserMetier?wsdl`);
        const items = [lp({ codEtu: '42000001', codVrsVet: '2' }), lp({ codEtu: '42000002', codEtp: 'ZZZZ1' })].map((x) => ({
          ...x,
          codVrsVet: String(x.codVrsVet),
        }));
        const [r] = await client.mettreAJourLaissezPasserEnMasseAsync({ mode: 'tout-ou-rien', laissezPasser: items });
        expect(r).to.include({ nombreCrees: 0, nombreRejetes: 1, toutOuRienAnnule: true });
        expect(r.resultat.map((x: { statut: string }) => x.statut)).to.deep.equal(['NON_ECRIT', 'REJETE']);
        expect(await gw.p.source.getRepository(LaissezPasserEntite).count({ where: { codEtu: '42000001' } })).to.equal(0);
      });
    });

    describe("la règle : le LP l'emporte sur le vœu d'OPI", () => {
      it('GET /api/v1/acces montre les valeurs effectives et leur provenance', async () => {
        const opi = opiExemple('EC26000200', { ine: null, codEtu: 21000200 });
        opi.individu.donneesPersonnelles.codStu = '01';
        opi.voeux = [
          {
            numCls: 1,
            codCge: 'DRT',
            codEtp: 'LDRT1',
            codVrsVet: 2,
            codDip: 'LDRT',
            codVrsVdi: 2,
            codDecVeu: 'F',
            codDemDos: 'C',
            codRge: '1',
            temValPsd: 'N',
            codCatExoExt: 'DN',
          },
          { numCls: 2, codCge: 'ECO', codEtp: 'LECG1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N', codCatExoExt: 'DD' },
        ] as typeof opi.voeux;
        expect((await gw.json('PUT', '/api/v1/opi/EC26000200', opi)).status).to.equal(201);
        // Same formation as the first vœu: the LP's régime and situation droits win; statut not in the LP.
        expect(
          (
            await gw.json('POST', '/api/v1/laissez-passer', {
              codAnu: ANNEE,
              numOPI: 'EC26000200',
              codEtp: 'LDRT1',
              codVrsVet: 2,
              codRgi: '3',
              codCatExoExt: 'EXO',
              codCatOuiSi: 'RAN',
              mtfCat: 'Remise à niveau en méthodologie',
            })
          ).status,
        ).to.equal(201);
        // An LP alone opens another formation (by student number).
        expect((await gw.json('POST', '/api/v1/laissez-passer', { codAnu: ANNEE, codEtu: '21000200', codEtp: 'LINF2', codVrsVet: 2 })).status).to.equal(201);

        const a = await gw.json('GET', `/api/v1/acces?codAnu=${ANNEE}&codOpiIntEpo=EC26000200`);
        expect(a.status).to.equal(200);
        const parEtape = Object.fromEntries(a.body.formations.map((f: { codEtp: string }) => [f.codEtp, f]));
        expect(Object.keys(parEtape).sort()).to.deep.equal(['LDRT1', 'LECG1', 'LINF2']);
        expect(parEtape.LDRT1.ouvertPar).to.deep.equal(['LP', 'OPI_VOEU']);
        expect(parEtape.LDRT1.valeurs).to.deep.equal({
          codRgi: { valeur: '3', source: 'LP' },
          codStu: { valeur: '01', source: 'OPI_INDIVIDU' },
          codCatOuiSi: { valeur: 'RAN', source: 'LP', complement: 'Remise à niveau en méthodologie' },
          codCatExoExt: { valeur: 'EXO', source: 'LP', complement: null },
        });
        expect(parEtape.LECG1.ouvertPar).to.deep.equal(['OPI_VOEU']);
        expect(parEtape.LECG1.valeurs.codRgi).to.deep.equal({ valeur: '1', source: 'OPI_VOEU' });
        expect(parEtape.LECG1.valeurs.codCatExoExt).to.deep.equal({ valeur: 'DD', source: 'OPI_VOEU', complement: null });
        expect(parEtape.LINF2.ouvertPar).to.deep.equal(['LP']);
        expect(parEtape.LINF2.valeurs.codRgi).to.deep.equal({ valeur: '1', source: 'OPI_INDIVIDU' });
        // Found the same way by student number.
        const parEtu = await gw.json('GET', `/api/v1/acces?codAnu=${ANNEE}&codEtu=21000200`);
        expect(parEtu.body.formations.map((f: { codEtp: string }) => f.codEtp)).to.deep.equal(['LDRT1', 'LECG1', 'LINF2']);
        const inconnu = await gw.json('GET', `/api/v1/acces?codAnu=${ANNEE}&codEtu=99999999`);
        expect(inconnu.status).to.equal(404);
        expect(inconnu.body.errors[0].code).to.equal('INDIVIDU_INTROUVABLE');
        const sansAnnee = await gw.json('GET', '/api/v1/acces?codEtu=21000200');
        expect(sansAnnee.status).to.equal(400);
      });
    });
  });

  describe(`[${nomBase}] taille maximale d'un fichier`, function () {
    it('un fichier au-delà de MAX_BULK_BYTES → 413 CORPS_TROP_VOLUMINEUX, aucun chargement créé', async () => {
      const gw = await lancer(nomBase, { MAX_BULK_BYTES: '2048' });
      try {
        const csv = [ENTETE, ...Array.from({ length: 100 }, (_, i) => ligneCsv(90000 + i))].join('\n');
        const r = await envoyerFichier(gw, csv, 'text/csv', '');
        expect(r.status).to.equal(413);
        expect(r.body.errors[0].code).to.equal('CORPS_TROP_VOLUMINEUX');
        expect((await gw.p.source.query('SELECT COUNT(*) AS n FROM job'))[0].n).to.satisfy((n: unknown) => Number(n) === 0);
      } finally {
        await gw.fermer();
      }
    });
  });

  describe(`[${nomBase}] reprise d'un chargement interrompu`, function () {
    it('un arrêt au milieu du lot puis un redémarrage : le lot reprend, sans doublon ni ligne perdue', async () => {
      const gw1 = await lancer(nomBase);
      const lignes = [ENTETE, ...Array.from({ length: 1300 }, (_, i) => ligneCsv(60000 + i))];
      gw1.p.services.chargements.apresPaquet = async (_id, traitees) => {
        if (traitees === TAILLE_PAQUET) void gw1.p.services.chargements.arreter();
      };
      const r = await envoyerFichier(gw1, lignes.join('\n'), 'text/csv', '');
      expect(r.status).to.equal(202);
      await gw1.p.services.chargements.inactif();
      const interrompu = await gw1.json('GET', `/api/v1/jobs/${r.body.id}`);
      expect(interrompu.body).to.include({ etat: 'EN_COURS', lignesLues: TAILLE_PAQUET, creees: TAILLE_PAQUET });
      // Simulate progress lost after a commit: the next run re-reads 100 rows already written.
      const perdu = TAILLE_PAQUET - 100;
      await gw1.p.source.query('UPDATE job SET lignesTraitees = ?, lignesLues = ?, creees = ? WHERE id = ?', [perdu, perdu, perdu, r.body.id]);
      await gw1.fermer({ garderBase: true });

      const gw2 = await lancer(nomBase, {}, gw1.base);
      try {
        await gw2.p.services.chargements.inactif();
        const fini = await gw2.json('GET', `/api/v1/jobs/${r.body.id}`);
        expect(fini.body).to.include({ etat: 'TERMINE', lignesLues: 1300, creees: 1200, inchangees: 100, lignesRejetees: 0 });
        expect(await gw2.p.source.getRepository(LaissezPasserEntite).count()).to.equal(1300);
      } finally {
        await gw2.fermer();
      }
    });
  });
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] chargements et plusieurs instances sur une même base`, function () {
    it("un chargement tenu par une instance vivante n'est pas repris par une autre ; après la mort de son instance (bail expiré), il l'est", async () => {
      const gw1 = await lancer(nomBase);
      let liberer!: () => void;
      const pause = new Promise<void>((r) => {
        liberer = r;
      });
      gw1.p.services.chargements.apresPaquet = async (_id, traitees) => {
        if (traitees === TAILLE_PAQUET) await pause;
      };
      const lignes = [ENTETE, ...Array.from({ length: 1300 }, (_, i) => ligneCsv(70000 + i))];
      const r = await envoyerFichier(gw1, lignes.join('\n'), 'text/csv', '');
      const gw2 = await lancer(nomBase, {}, gw1.base);
      try {
        // gw1 holds the lease (paused after its first chunk): gw2 leaves the job alone.
        await new Promise((ok) => setTimeout(ok, 100));
        expect(await gw2.p.services.chargements.reprendre()).to.deep.equal([]);
        liberer();
        await gw1.p.services.chargements.inactif();
        const fini = await gw2.json('GET', `/api/v1/jobs/${r.body.id}`);
        expect(fini.body).to.include({ etat: 'TERMINE', lignesLues: 1300, creees: 1300 });

        // A job left EN_COURS by an instance that died: its lease is still valid, nobody takes it…
        const r2 = await envoyerFichier(gw1, [ENTETE, ...Array.from({ length: 700 }, (_, i) => ligneCsv(80000 + i))].join('\n'), 'text/csv', 'attendre=1');
        expect(r2.body.etat).to.equal('TERMINE');
        await gw1.p.source.query(
          `UPDATE job SET etat = 'EN_COURS', lignesTraitees = 0, lignesLues = 0, creees = 0, finLe = NULL, proprietaire = 'instance-morte', bailJusqua = ? WHERE id = ?`,
          [new Date(Date.now() + 3600_000).toISOString().replace('T', ' ').replace('Z', ''), r2.body.id],
        );
        // (the file of a finished job is gone: put it back, as a crash would have left it)
        const job = (await gw1.p.source.query('SELECT fichier FROM job WHERE id = ?', [r2.body.id]))[0];
        const { writeFileSync } = await import('node:fs');
        writeFileSync(job.fichier, [ENTETE, ...Array.from({ length: 700 }, (_, i) => ligneCsv(80000 + i))].join('\n'));
        expect(await gw2.p.services.chargements.reprendre()).to.deep.equal([]);
        // …until the lease expires: then the sweep of a live instance takes it over, without duplicates.
        await gw1.p.source.query('UPDATE job SET bailJusqua = ? WHERE id = ?', [
          new Date(Date.now() - 1000).toISOString().replace('T', ' ').replace('Z', ''),
          r2.body.id,
        ]);
        expect(await gw2.p.services.chargements.reprendre()).to.deep.equal([r2.body.id]);
        await gw2.p.services.chargements.inactif();
        const repris = await gw2.json('GET', `/api/v1/jobs/${r2.body.id}`);
        expect(repris.body).to.include({ etat: 'TERMINE', lignesLues: 700, inchangees: 700, creees: 0 });
        expect(await gw2.p.source.getRepository(LaissezPasserEntite).count()).to.equal(2000);
      } finally {
        await gw2.fermer({ garderBase: true });
        await gw1.fermer();
      }
    });
  });
}
