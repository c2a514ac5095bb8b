/**
 * Parcoursup end to end, on every test database: the push door (`POST /api/v1/parcoursup/admissionCandidat`:
 * Parcoursup's answers and HTTP statuses, authentication in the body without an API key, at most
 * 64 KiB read, the OPI stored with its vœu, one journal row per push) and the scheduled pull of
 * `getCandidatsAdmis` against a fake Parcoursup (nock).
 */
import { expect } from 'chai';
import nock from 'nock';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { EntreeJournal, IndividuOpi, VoeuOpi } from '../../src/persistence/entities';
import { ClientParcoursup, type ConfigClientParcoursup } from '../../src/adapters/platforms/client-parcoursup';
import { creerLogger } from '../../src/observability/logger';

const DOSSIER = path.join(RACINE, 'fixtures', 'parcoursup');
const echantillon = (nom: string): Record<string, any> => JSON.parse(readFileSync(path.join(DOSSIER, nom), 'utf8'));
const CHEMIN = '/api/v1/parcoursup/admissionCandidat';
const CLE_API = 'cle-de-la-console-0001';
const PSUP = 'https://ws.parcoursup.example';

/**
 * A POST on a raw TCP socket (no HTTP client library, so no interception buffering the upload): `debut`,
 * then `taille` bytes of padding written as fast as the server reads them, then `fin`. Says when the
 * answer came, what it was, and how much had been handed to the socket by then.
 */
function envoyerGros(url: string, debut: string, taille: number, fin: string): Promise<{ status: number; corps: any; ms: number; ecrits: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const u = new URL(url);
    const total = Buffer.byteLength(debut) + taille + Buffer.byteLength(fin);
    const socket = net.connect(Number(u.port), u.hostname);
    let ecrits = 0;
    let recu = '';
    let ms = 0;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      if (!recu) ms = Date.now() - t0;
      recu += d;
    });
    socket.on('error', () => {
      /* EPIPE / ECONNRESET: the server closed the connection once it had answered */
    });
    socket.on('close', () => {
      const [tete, corps] = recu.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(tete ?? '')?.[1]);
      if (!status) return reject(new Error(`pas de réponse HTTP (${ecrits} octets écrits)`));
      resolve({ status, corps: JSON.parse(corps), ms, ecrits });
    });
    socket.write(`POST ${CHEMIN} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n${debut}`);
    const morceau = Buffer.alloc(64 * 1024, 'a');
    const suite = () => {
      while (!recu && !socket.destroyed && ecrits < taille) {
        const n = Math.min(morceau.length, taille - ecrits);
        ecrits += n;
        if (!socket.write(n === morceau.length ? morceau : morceau.subarray(0, n))) return void socket.once('drain', suite);
      }
      if (!recu && !socket.destroyed) socket.write(fin);
    };
    suite();
  });
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] Parcoursup — admissionCandidat (poussée) et getCandidatsAdmis (tirage)`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, {
        PARCOURSUP_CLIENTS: 'parcoursup-test:mot-de-passe-de-test-1234,parcoursup-autre:un-autre-mot-de-passe',
        // With API keys, every other route needs one: Parcoursup's does not (it authenticates in the body).
        API_KEYS: `console:${CLE_API}`,
        CAMPAGNE_COD_ANU: '2026',
      });
    });
    after(async () => {
      await gw?.fermer();
    });

    const pousser = (corps: unknown, id: string) => gw.json('POST', CHEMIN, corps, { 'x-request-id': id });
    const journal = (requestId: string) => gw.p.source.getRepository(EntreeJournal).find({ where: { requestId }, order: { id: 'ASC' } });
    const opi = (code: string) => gw.json('GET', `/api/v1/opi/${code}`, undefined, { authorization: `Bearer ${CLE_API}` });

    it('candidat admis → 200 {"retour":"OK"} ; l’OPI est enregistrée avec son vœu, au nom du client Parcoursup ; un renvoi est « inchangée »', async () => {
      const r = await pousser(echantillon('admission-ok.json'), 'psup-ok-1');
      expect(r.status).to.equal(200);
      expect(r.headers.get('content-type')).to.match(/^application\/json/);
      expect(r.body).to.deep.equal({ retour: 'OK', message: 'OPI P261234567 créée' });

      const lue = await opi('P261234567');
      expect(lue.status).to.equal(200);
      expect(lue.body.source).to.equal('parcoursup-test');
      expect(lue.body.donnees.individu.etatCivil).to.include({ libNomPatIndOpi: 'MARTIN', libPr1IndOpi: 'CAMILLE', codNneIndOpi: '1234567890V' });
      expect(lue.body.donnees.voeux).to.deep.equal([
        { numCls: 1, codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDip: 'LDRT', codVrsVdi: 2, codDecVeu: 'F', codDemDos: 'C' },
      ]);
      const [ligne] = await journal('psup-ok-1');
      expect(ligne).to.include({
        porte: 'REST',
        operation: 'opi.enregistrer',
        client: 'parcoursup-test',
        cle: 'P261234567',
        individu: 'OPI:P261234567',
        resultat: 'CREE',
      });

      const encore = await pousser(echantillon('admission-ok.json'), 'psup-ok-2');
      expect(encore).to.deep.include({ status: 200, body: { retour: 'OK', message: 'OPI P261234567 inchangée' } });
      const modifie = echantillon('admission-ok.json');
      modifie.donneesCandidat.mail = 'camille.martin@example.net';
      expect((await pousser(modifie, 'psup-ok-3')).body).to.deep.equal({ retour: 'OK', message: 'OPI P261234567 mise à jour' });
      expect((await journal('psup-ok-3')).map((l) => l.resultat)).to.deep.equal(['MIS_A_JOUR']);
    });

    for (const [nom, code] of [
      ['admission-accents.json', 'P261234568'],
      ['admission-ne-a-l-etranger.json', 'P261234569'],
      ['admission-sans-ine.json', 'P261234570'],
      ['admission-champs-mal-orthographies.json', 'P261234571'],
      ['admission-variante-2019.json', 'P261234572'],
    ]) {
      it(`${nom} → 200 OK, OPI ${code} créée`, async () => {
        const r = await pousser(echantillon(nom), `psup-${code}`);
        expect(r).to.deep.include({ status: 200, body: { retour: 'OK', message: `OPI ${code} créée` } });
        expect((await opi(code)).body.donnees.voeux).to.have.length(1);
      });
    }

    it('candidat qui démissionne (codeSituation 3) : l’OPI est gardée, son vœu retiré', async () => {
      const c = echantillon('admission-sans-ine.json');
      c.donneesCandidat.codeSituation = 3;
      const r = await pousser(c, 'psup-demission');
      expect(r.body).to.deep.equal({ retour: 'OK', message: 'OPI P261234570 mise à jour' });
      expect((await opi('P261234570')).body.donnees.voeux).to.deep.equal([]);
    });

    const refus: [string, () => Record<string, any>, string, string][] = [
      [
        'formation sans correspondance',
        () => echantillon('admission-formation-inconnue.json'),
        'P261234580',
        'FORMATION_NON_CORRESPONDANTE [codeFormationPsup]',
      ],
      ['date de naissance invalide', () => echantillon('admission-date-invalide.json'), 'P261234581', 'DATE_INVALIDE [dateNaissance]'],
      ['série de bac inconnue', () => echantillon('admission-serie-inconnue.json'), 'P261234582', 'BAC_INCONNU [serieBac]'],
      [
        'règle : âge invraisemblable (refusé par le pipeline, nommé par le champ Parcoursup)',
        () => {
          const c = echantillon('admission-ok.json');
          c.donneesCandidat.codeCandidat = 1234583;
          c.donneesCandidat.dateNaissance = '01/01/1900';
          return c;
        },
        'P261234583',
        'DATE_NAISSANCE_INVRAISEMBLABLE [dateNaissance]',
      ],
    ];
    for (const [titre, corps, code, attendu] of refus) {
      it(`${titre} → 500 {"retour":"NOK"} en français, rien d'écrit, une ligne de journal`, async () => {
        const id = `psup-nok-${code}`;
        const r = await pousser(corps(), id);
        expect(r.status).to.equal(500);
        expect(r.body.retour).to.equal('NOK');
        expect(r.body.message).to.match(new RegExp(`^OPI ${code} refusée : `));
        expect(r.body.message).to.include(attendu);
        expect((await opi(code)).status).to.equal(404);
        const lignes = await journal(id);
        expect(lignes).to.have.length(1);
        expect(lignes[0]).to.include({
          porte: 'REST',
          operation: 'opi.enregistrer',
          client: 'parcoursup-test',
          cle: code,
          individu: `OPI:${code}`,
          resultat: 'REJETE',
          statut: 422,
        });
        expect(lignes[0].codes).to.equal(attendu.split(' ')[0]);
      });
    }

    it('identifiant faux, absent ou d’un autre client → 500 NOK IDENTIFIANT_PARCOURSUP_REFUSE, sans clé d’API exigée ; refus comptés par adresse et minute', async () => {
      const avant = await gw.p.services.unite.lecture.opi.lire('P261234567');
      const c = echantillon('admission-ok.json');
      for (const identifiant of [
        { login: 'parcoursup-test', pwd: 'mauvais-mot-de-passe' },
        { login: 'parcoursup-test', pwd: 'un-autre-mot-de-passe' },
        { login: 'inconnu', pwd: 'mot-de-passe-de-test-1234' },
        'parcoursup-test',
        undefined,
      ]) {
        const r = await pousser({ ...c, identifiant, donneesCandidat: { ...c.donneesCandidat, mail: 'pirate@example.org' } }, 'psup-auth');
        expect(r.status).to.equal(500);
        expect(r.body.retour).to.equal('NOK');
        expect(r.body.message).to.equal(
          'Refusé : IDENTIFIANT_PARCOURSUP_REFUSE [identifiant] Identifiant Parcoursup refusé : login inconnu ou mot de passe faux (identifiant.login, identifiant.pwd).',
        );
      }
      // Nothing was written, and the refusals before authentication are one aggregated row (not one each).
      expect((await gw.p.services.unite.lecture.opi.lire('P261234567'))?.version).to.equal(avant?.version);
      await gw.p.services.pipeline.refusAgreges.vider();
      // (One row per source address and minute: two if the minute turned meanwhile.)
      const agreges = await gw.p.source.getRepository(EntreeJournal).find({ where: { statut: 401 } });
      expect(agreges.length).to.be.within(1, 2);
      expect(agreges[0]).to.include({ operation: 'parcoursup.admissionCandidat', codes: 'AUTHENTIFICATION_REQUISE', resultat: 'REJETE' });
      expect(agreges.reduce((n, l) => n + l.nombre, 0)).to.equal(5);
    });

    it('10 Mio après un identifiant faux : NOK aussitôt, sans lire le reste ; après un bon, trop volumineux (64 Kio au plus)', async () => {
      const faux = await envoyerGros(gw.url, '{"identifiant":{"login":"parcoursup-test","pwd":"faux"},"donneesCandidat":{"nom":"', 10 * 1024 * 1024, '"}}');
      expect(faux.status).to.equal(500);
      expect(faux.corps.message).to.include('IDENTIFIANT_PARCOURSUP_REFUSE');
      expect(faux.ms).to.be.below(3000);
      expect(faux.ecrits).to.be.below(10 * 1024 * 1024);
      const bon = await envoyerGros(
        gw.url,
        '{"identifiant":{"login":"parcoursup-test","pwd":"mot-de-passe-de-test-1234"},"donneesCandidat":{"nom":"',
        10 * 1024 * 1024,
        '"}}',
      );
      expect(bon.status).to.equal(500);
      expect(bon.corps).to.deep.equal({
        retour: 'NOK',
        message: 'Refusé : CORPS_TROP_VOLUMINEUX Le corps de la requête dépasse la taille maximale autorisée (65536 octets).',
      });
      expect(bon.ecrits).to.be.below(10 * 1024 * 1024);
      // The gateway still answers on new connections.
      expect((await gw.json('GET', '/health')).status).to.equal(200);
    });

    it('JSON coupé après un bon identifiant → NOK REQUETE_MALFORMEE, une ligne au nom du client', async () => {
      const r = await fetch(gw.url + CHEMIN, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'psup-malforme' },
        body: '{"identifiant":{"login":"parcoursup-autre","pwd":"un-autre-mot-de-passe"},"donneesCandidat":{"nom":',
      });
      expect(r.status).to.equal(500);
      expect(await r.json()).to.deep.equal({ retour: 'NOK', message: 'Refusé : REQUETE_MALFORMEE La requête est mal formée : JSON invalide.' });
      const lignes = await journal('psup-malforme');
      expect(lignes).to.have.length(1);
      expect(lignes[0]).to.include({
        operation: 'parcoursup.admissionCandidat',
        client: 'parcoursup-autre',
        resultat: 'REJETE',
        statut: 400,
        codes: 'REQUETE_MALFORMEE',
      });
    });

    it('les autres routes exigent toujours la clé d’API', async () => {
      expect((await gw.json('GET', '/api/v1/opi/P261234567')).status).to.equal(401);
      expect((await gw.json('GET', CHEMIN)).status).to.equal(401);
    });

    describe('getCandidatsAdmis (tirage planifié, contre un faux Parcoursup)', () => {
      const journaux: { niveau: string; message: string; meta: any }[] = [];
      const config: ConfigClientParcoursup = {
        url: `${PSUP}/ApiRest`,
        login: 'univ-demo',
        motDePasse: 'secret-du-compte',
        uai: '0352235P',
        delaiMs: 300,
        intervalleMinutes: 60,
      };
      const client = (c: Partial<ConfigClientParcoursup> = {}) => {
        const logger = creerLogger('error');
        for (const niveau of ['info', 'error'] as const) {
          logger[niveau] = ((message: string, meta: unknown) => {
            journaux.push({ niveau, message, meta });
            return logger;
          }) as never;
        }
        return new ClientParcoursup(
          { ...config, ...c },
          { pipeline: gw.p.services.pipeline, nomenclatures: gw.p.services.nomenclatures, anneeCampagne: '2026', logger },
        );
      };
      const demande = { identifiant: { login: 'univ-demo', pwd: 'secret-du-compte' }, codeEtablissement: '0352235P' };

      before(() => {
        nock.disableNetConnect();
        nock.enableNetConnect(/127\.0\.0\.1/);
      });
      afterEach(() => {
        nock.cleanAll();
        journaux.length = 0;
      });
      after(() => nock.enableNetConnect());

      it('3 candidats dont un mauvais : 2 OPI créées, 1 refusée avec ses raisons, une ligne de journal chacun (porte BATCH), un résumé', async () => {
        const appel = nock(PSUP).post('/ApiRest/getCandidatsAdmis', demande).reply(200, echantillon('getCandidatsAdmis.json'));
        const rapport = await client().executer();
        expect(appel.isDone()).to.equal(true);
        expect(rapport).to.include({ recus: 3, crees: 2, misAJour: 0, inchanges: 0, refuses: 1 });
        expect(rapport.erreur).to.equal(undefined);
        expect((await opi('P263000001')).body.donnees.voeux[0]).to.include({ codEtp: 'LDRT1' });
        expect((await opi('P263000002')).body.donnees.voeux[0]).to.include({ codEtp: 'LECG1' });
        expect((await opi('P263000003')).status).to.equal(404);
        const lignes = await journal(rapport.requestId);
        expect(lignes.map((l) => [l.porte, l.client, l.operation, l.cle, l.resultat, l.codes])).to.deep.equal([
          ['BATCH', 'parcoursup', 'opi.enregistrer', 'P263000001', 'CREE', null],
          ['BATCH', 'parcoursup', 'opi.enregistrer', 'P263000002', 'CREE', null],
          ['BATCH', 'parcoursup', 'opi.enregistrer', 'P263000003', 'REJETE', 'DATE_INVALIDE'],
        ]);
        expect(JSON.parse(lignes[2].details!)[0]).to.include({ code: 'DATE_INVALIDE', path: 'dateNaissance' });
        expect(journaux.map((j) => j.message)).to.include('parcoursup : candidats admis importés');

        // A second run is idempotent.
        nock(PSUP).post('/ApiRest/getCandidatsAdmis').reply(200, echantillon('getCandidatsAdmis.json'));
        expect(await client().executer()).to.include({ recus: 3, crees: 0, inchanges: 2, refuses: 1 });
        expect(await gw.p.source.getRepository(VoeuOpi).count({ where: { codEtp: 'LECG1' } })).to.be.at.least(1);
      });

      const echecs: [string, () => void, RegExp][] = [
        ['HTTP 500', () => nock(PSUP).post('/ApiRest/getCandidatsAdmis').reply(500, 'Erreur interne Parcoursup'), /^HTTP 500 : Erreur interne Parcoursup$/],
        ['pas de réponse dans le délai', () => nock(PSUP).post('/ApiRest/getCandidatsAdmis').delay(1500).reply(200, []), /^pas de réponse complète en 300 ms$/],
        [
          'réponse non JSON',
          () => nock(PSUP).post('/ApiRest/getCandidatsAdmis').reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' }),
          /^réponse non JSON \(text\/html\) : <html>maintenance<\/html>$/,
        ],
        [
          'réponse NOK de Parcoursup',
          () => nock(PSUP).post('/ApiRest/getCandidatsAdmis').reply(200, { retour: 'NOK', message: 'Identifiant inconnu' }),
          /^Parcoursup a répondu NOK : Identifiant inconnu$/,
        ],
        ['réseau coupé', () => nock(PSUP).post('/ApiRest/getCandidatsAdmis').replyWithError('socket hang up'), /^appel impossible/],
      ];
      for (const [titre, preparer, attendu] of echecs) {
        it(`${titre} : rien d'écrit, ni exception ; le rapport et le journal d'erreur disent pourquoi`, async () => {
          const avant = await gw.p.source.getRepository(IndividuOpi).count();
          preparer();
          const rapport = await client().executer();
          expect(rapport.erreur).to.match(attendu);
          expect(rapport).to.include({ recus: 0, crees: 0, refuses: 0 });
          expect(await gw.p.source.getRepository(IndividuOpi).count()).to.equal(avant);
          expect(await journal(rapport.requestId)).to.deep.equal([]);
          const ligne = journaux.find((j) => j.niveau === 'error')!;
          expect(ligne.message).to.equal('parcoursup : getCandidatsAdmis en échec, rien importé');
          expect(JSON.stringify(ligne.meta)).to.not.include('secret-du-compte');
        });
      }

      it('planifié : un premier tirage après le délai donné, puis arrêt propre', async () => {
        nock(PSUP).post('/ApiRest/getCandidatsAdmis').reply(200, []);
        const c = client();
        c.demarrer(20);
        const debut = Date.now();
        while (!journaux.length && Date.now() - debut < 5000) await new Promise((r) => setTimeout(r, 20));
        await c.arreter();
        expect(journaux.map((j) => [j.message, j.meta.recus])).to.deep.equal([['parcoursup : candidats admis importés', 0]]);
      });
    });
  });
}
