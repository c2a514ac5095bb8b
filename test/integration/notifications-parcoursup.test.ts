/**
 * The Parcoursup back-channel end to end, on each database, against a fake Parcoursup (nock): an IA of
 * a Parcoursup OPI validated or cancelled → its notification written with the change → delivered in
 * the background (`POST {PARCOURSUP_URL}/majInscriptionAdministrative`), retried after a 500 or a
 * timeout, in order per candidate, ECHEC visible and retryable.
 */
import { expect } from 'chai';
import nock from 'nock';
import * as soap from 'soap';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { aujourdhuiParis } from '../../src/application/horloge';
import { cleUai } from '../../src/domain/identifiers/uai';
import { DepotJournal } from '../../src/persistence/depot-journal';

const ANNEE = aujourdhuiParis().slice(0, 4);
const PARCOURSUP = 'https://ws.parcoursup.example';
const CHEMIN = '/ApiRest/majInscriptionAdministrative';
const UAI = `0350936${cleUai('0350936')}`;
const MOT_DE_PASSE = 'mdp-psup-tres-secret';

type Corps = Record<string, unknown> & { codeCandidat: string; etatInscription: number };
interface NotificationLue {
  id: number;
  cle: string;
  ordre: number;
  etat: string;
  tentatives: number;
  derniereErreur: string | null;
  envoyeeLe: string | null;
  corps: Corps;
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] Parcoursup : majInscriptionAdministrative depuis l'outbox (nock)`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, {
        PARCOURSUP_URL: `${PARCOURSUP}/ApiRest/`,
        PARCOURSUP_LOGIN: 'univ-demo',
        PARCOURSUP_MOT_DE_PASSE: MOT_DE_PASSE,
        PARCOURSUP_UAI: UAI,
        PARCOURSUP_TIMEOUT_MS: '300',
        PARCOURSUP_NOTIF_DELAI_MS: '40',
        PARCOURSUP_NOTIF_DELAI_MAX_MS: '150',
        PARCOURSUP_NOTIF_TENTATIVES: '3',
        PARCOURSUP_NOTIF_INTERVALLE_MS: '50',
      });
      nock.disableNetConnect();
      nock.enableNetConnect(/127\.0\.0\.1/);
    });
    afterEach(() => nock.cleanAll());
    after(async () => {
      nock.enableNetConnect();
      await gw?.fermer();
    });

    /** A Parcoursup OPI (P + year + candidate) with two favourable vœux, and an exonerated IA in LDRT1 (principale) and LECG1 (double cursus). */
    async function candidat(numero: string): Promise<{ ia1: number; ia2: number }> {
      const code = `P26${numero.padStart(7, '0')}`;
      const o = opiExemple(code, { ine: null, nom: `Psup${numero}`, prenom: 'Léa', dateNai: '2006-05-14' });
      expect((await gw.json('PUT', `/api/v1/opi/${code}`, o)).status).to.equal(201);
      const ia = async (codEtp: string, cursus?: string) => {
        const r = await gw.json('POST', '/api/v1/inscriptions', {
          codAnu: ANNEE,
          codOpiIntEpo: code,
          codEtp,
          codVrsVet: 2,
          boursier: true,
          numeroCvec: `REN${codEtp.slice(1, 3)}${numero.padStart(6, '0')}`,
          ...(cursus ? { cursus } : {}),
        });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        expect(r.body.inscription.etat).to.equal('EXONEREE');
        return r.body.inscription as { id: number; cursus: string };
      };
      const a = await ia('LDRT1');
      const b = await ia('LECG1', 'DOUBLE_CURSUS');
      expect([a.cursus, b.cursus]).to.deep.equal(['PRINCIPALE', 'DOUBLE_CURSUS']);
      expect((await gw.json('GET', `/api/v1/inscriptions/${b.id}`)).body.cursus).to.equal('DOUBLE_CURSUS');
      return { ia1: a.id, ia2: b.id };
    }
    const valider = async (id: number) => {
      const r = await gw.json('POST', `/api/v1/inscriptions/${id}/validation`);
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
    };
    const annuler = async (id: number) => {
      const r = await gw.json('POST', `/api/v1/inscriptions/${id}/annulation`, { motif: 'démission' });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
    };
    const notificationsDe = async (cle: string): Promise<NotificationLue[]> => {
      const r = await gw.json('GET', `/api/v1/notifications?cle=${cle}`);
      expect(r.status).to.equal(200);
      return (r.body.notifications as NotificationLue[]).sort((x, y) => x.ordre - y.ordre);
    };
    /** Waits (5 s at most) until the candidate's notifications satisfy `ok`. */
    async function attendre(cle: string, ok: (n: NotificationLue[]) => boolean): Promise<NotificationLue[]> {
      const fin = Date.now() + 5000;
      for (;;) {
        const n = await notificationsDe(cle);
        if (ok(n)) return n;
        if (Date.now() > fin) throw new Error(`notifications de ${cle} : ${JSON.stringify(n)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    /** Parcoursup's answers for one candidate, in order; each request received is kept. */
    function parcoursup(codeCandidat: string, reponses: ({ statut: number; delai?: number } | number)[]): Corps[] {
      const recus: Corps[] = [];
      for (const x of reponses) {
        const { statut, delai } = typeof x === 'number' ? { statut: x, delai: undefined } : x;
        let i = nock(PARCOURSUP)
          .post(CHEMIN, (b: Corps) => b.codeCandidat === codeCandidat)
          .matchHeader('content-type', /application\/json/);
        if (delai) i = i.delay(delai);
        i.reply(statut, (_uri, corps) => {
          recus.push(corps as Corps);
          return statut < 300 ? { retour: 'OK' } : { erreur: 'indisponible' };
        });
      }
      return recus;
    }

    it('validation → etatInscription 1 envoyé (compte, candidat, identité, formations, UAI) → ENVOYEE', async () => {
      const { ia1 } = await candidat('100001');
      const recus = parcoursup('100001', [200]);
      await valider(ia1);
      const [n] = await attendre('100001', (l) => l.length === 1 && l[0].etat === 'ENVOYEE');
      expect(n).to.deep.include({ ordre: 1, tentatives: 1, derniereErreur: null });
      expect(n.envoyeeLe).to.be.a('string');
      expect(recus).to.deep.equal([
        {
          identifiant: { login: 'univ-demo', pwd: MOT_DE_PASSE },
          codeCandidat: '100001',
          ine: null,
          nom: 'PSUP100001',
          prenom: 'LÉA',
          dateNaissance: '14/05/2006',
          codeFormationPsup: '12345',
          codeFormation1: 'LDRT1',
          codeSISE: null,
          etatInscription: 1,
          codeEtablissementAffectation: UAI,
        },
      ]);
      // What the outbox keeps is the same, without the account and the establishment.
      const { identifiant: _i, codeEtablissementAffectation: _u, ...sansCompte } = recus[0];
      expect(n.corps).to.deep.equal(sansCompte);
    });

    it('500 puis succès : retentée après une attente, ENVOYEE à la 2e tentative, la dernière erreur gardée', async () => {
      const { ia1 } = await candidat('100002');
      const recus = parcoursup('100002', [500, 200]);
      await valider(ia1);
      const [n] = await attendre('100002', (l) => l[0]?.etat === 'ENVOYEE');
      expect(n.tentatives).to.equal(2);
      expect(n.derniereErreur).to.match(/^HTTP 500/);
      expect(recus.map((c) => c.etatInscription)).to.deep.equal([1, 1]);
    });

    it('pas de réponse dans le délai puis succès : la même demande renvoyée (état absolu : la répétition est sans effet)', async () => {
      const { ia2 } = await candidat('100003');
      const recus = parcoursup('100003', [{ statut: 200, delai: 1500 }, 200]);
      await valider(ia2);
      const [n] = await attendre('100003', (l) => l[0]?.etat === 'ENVOYEE');
      expect(n.tentatives).to.equal(2);
      expect(n.derniereErreur).to.equal('Pas de réponse de Parcoursup en 300 ms.');
      expect(recus).to.have.length(2);
      expect(recus[1]).to.deep.equal(recus[0]);
      expect(recus[0]).to.deep.include({ etatInscription: 2, codeFormationPsup: '12346', codeFormation1: 'LECG1' });
    });

    it("deux (trois) notifications d'un candidat partent dans l'ordre, même quand la première échoue d'abord", async () => {
      const { ia1, ia2 } = await candidat('100004');
      const recus = parcoursup('100004', [500, 200, 200, 200]);
      await valider(ia1);
      await valider(ia2);
      await annuler(ia1);
      const l = await attendre('100004', (x) => x.length === 3 && x.every((n) => n.etat === 'ENVOYEE'));
      expect(l.map((n) => [n.ordre, n.corps.etatInscription, n.tentatives])).to.deep.equal([
        [1, 1, 2],
        [2, 2, 1],
        [3, 3, 1],
      ]);
      expect(recus.map((c) => c.etatInscription)).to.deep.equal([1, 1, 2, 3]);
      const envoyees = l.map((n) => new Date(n.envoyeeLe!).getTime());
      expect([...envoyees].sort((a, b) => a - b)).to.deep.equal(envoyees);
    });

    it("la notification est écrite dans la transaction de l'inscription : un changement d'état qui échoue n'en laisse aucune", async () => {
      const { ia1 } = await candidat('100005');
      // The database refuses the journal row (a NOT NULL column left empty), written with the commit.
      const ecrire = DepotJournal.prototype.ecrireAuCommit;
      DepotJournal.prototype.ecrireAuCommit = function (ligne) {
        return ecrire.call(this, ligne.operation === 'ia.valider' && ligne.resultat === 'VALIDEE' ? { ...ligne, porte: null as unknown as string } : ligne);
      };
      try {
        const r = await gw.json('POST', `/api/v1/inscriptions/${ia1}/validation`);
        expect(r.status).to.equal(500);
      } finally {
        DepotJournal.prototype.ecrireAuCommit = ecrire;
      }
      expect((await gw.json('GET', `/api/v1/inscriptions/${ia1}`)).body.etat).to.equal('EXONEREE');
      expect(await notificationsDe('100005')).to.deep.equal([]);
      // Nothing was sent either (an unexpected call would have failed on nock: no interceptor, no network).
      const recus = parcoursup('100005', [200]);
      await valider(ia1);
      await attendre('100005', (l) => l[0]?.etat === 'ENVOYEE');
      expect(recus).to.have.length(1);
    });

    it('après N échecs : ECHEC, visible avec etat=ECHEC (sans le mot de passe) ; relancée, elle part ; reçue, elle ne se relance plus', async () => {
      const { ia1, ia2 } = await candidat('100006');
      parcoursup('100006', [503, 503, 503]);
      await valider(ia1);
      await valider(ia2);
      const [n, suivante] = await attendre('100006', (l) => l[0]?.etat === 'ECHEC');
      expect(n.tentatives).to.equal(3);
      expect(n.derniereErreur)
        .to.match(/^HTTP 503/)
        .and.not.contain(MOT_DE_PASSE);
      // The next one of the candidate waits behind it.
      expect(suivante).to.deep.include({ etat: 'A_ENVOYER', tentatives: 0 });
      const echecs = await gw.json('GET', '/api/v1/notifications?etat=ECHEC&limite=1000');
      expect(echecs.status).to.equal(200);
      expect(echecs.body.notifications.map((x: NotificationLue) => x.id)).to.include(n.id);
      expect(echecs.body.notifications.every((x: NotificationLue) => x.etat === 'ECHEC')).to.equal(true);

      const recus = parcoursup('100006', [200, 200]);
      const r = await gw.json('POST', `/api/v1/notifications/${n.id}/relance`);
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.include({ resultat: 'RELANCEE' });
      expect(r.body.notification).to.deep.include({ id: n.id, etat: 'A_ENVOYER', tentatives: 0 });
      await attendre('100006', (l) => l.every((x) => x.etat === 'ENVOYEE'));
      expect(recus.map((c) => c.etatInscription)).to.deep.equal([1, 2]);

      const deja = await gw.json('POST', `/api/v1/notifications/${n.id}/relance`);
      expect(deja.status).to.equal(409);
      expect(deja.body.errors[0].code).to.equal('NOTIFICATION_DEJA_ENVOYEE');
      const inconnue = await gw.json('POST', '/api/v1/notifications/999999/relance');
      expect(inconnue.status).to.equal(404);
      expect(inconnue.body.errors[0].code).to.equal('NOTIFICATION_INTROUVABLE');
      const journal = await gw.json('GET', `/api/v1/journal?operation=notifications.relancer&limite=10`);
      expect(journal.body.entrees.map((e: { resultat: string; statut: number }) => `${e.resultat}:${e.statut}`)).to.include('RELANCEE:200');
    });

    it('une IA parallèle créée par SOAP (cursus dans creerInscription et dans InscriptionDTO) : validée, etatInscription 4', async () => {
      const code = 'P260100008';
      expect((await gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code, { ine: null, nom: 'Soap' }))).status).to.equal(201);
      const client = await soap.createClientAsync(`${gw.url}/ws/InscriptionMetier?wsdl`);
      const [cree] = await client.creerInscriptionAsync({
        codAnu: ANNEE,
        codOpiIntEpo: code,
        codEtp: 'LDRT1',
        codVrsVet: 2,
        numeroCvec: 'REN00100008',
        boursier: true,
        cursus: 'PARALLELE',
      });
      expect(cree.inscription.cursus).to.equal('PARALLELE');
      const [lue] = await client.lireInscriptionAsync({ id: cree.inscription.id });
      expect(lue.inscription.cursus).to.equal('PARALLELE');
      const recus = parcoursup('100008', [200]);
      await valider(Number(cree.inscription.id));
      await attendre('100008', (l) => l[0]?.etat === 'ENVOYEE');
      expect(recus.map((c) => c.etatInscription)).to.deep.equal([4]);
    });

    it('un refus de Parcoursup (400) : ECHEC dès la première tentative ; un etat de filtre inconnu est refusé', async () => {
      const { ia1 } = await candidat('100007');
      parcoursup('100007', [400]);
      await valider(ia1);
      const [n] = await attendre('100007', (l) => l[0]?.etat === 'ECHEC');
      expect(n.tentatives).to.equal(1);
      expect(n.derniereErreur).to.match(/^HTTP 400/);
      const r = await gw.json('GET', '/api/v1/notifications?etat=PERDUE');
      expect(r.status).to.equal(400);
      expect(r.body.errors[0]).to.include({ code: 'PARAMETRE_INVALIDE', path: 'etat' });
    });
  });
}
