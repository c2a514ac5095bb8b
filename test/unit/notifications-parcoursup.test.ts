/**
 * The Parcoursup back-channel without a database: the pure mapping IA → `etatInscription` and the
 * notification, the backoff, and the outbox's delivery on the in-memory fakes (order per candidate,
 * ECHEC after N attempts, manual retry, the lease, the notification written in the IA's transaction).
 */
import { expect } from 'chai';
import {
  candidatParcoursup,
  codeFormationPsup,
  cursusDe,
  dateParcoursup,
  estClientParcoursup,
  etatInscriptionParcoursup,
  notificationIa,
  TYPE_MAJ_IA_PARCOURSUP,
} from '../../src/domain/inscription/parcoursup';
import { delaiAvantTentative, VERROU_NOTIFICATIONS } from '../../src/application/notifications';
import type { Notificateur, ResultatEnvoi } from '../../src/application/ports';
import type { InscriptionLue } from '../../src/domain/inscription/types';
import { aujourdhuiParis } from '../../src/application/horloge';
import { catalogueFixtures } from '../helpers/catalogue';
import { opiExemple } from '../helpers/exemples';
import { composerEnMemoire, contexte, erreurDe, type PasserelleMemoire } from '../fakes/passerelle-memoire';

const ANNEE = aujourdhuiParis().slice(0, 4);

describe('Parcoursup — etatInscription d’une inscription', () => {
  it('validée : 1 principale (défaut, et une IA d’avant le champ), 2 double cursus, 4 parallèle, 5 parallèle secondaire', () => {
    expect(etatInscriptionParcoursup('VALIDEE', 'PRINCIPALE')).to.equal(1);
    expect(etatInscriptionParcoursup('VALIDEE', null)).to.equal(1);
    expect(etatInscriptionParcoursup('VALIDEE', undefined)).to.equal(1);
    expect(etatInscriptionParcoursup('VALIDEE', 'DOUBLE_CURSUS')).to.equal(2);
    expect(etatInscriptionParcoursup('VALIDEE', 'PARALLELE')).to.equal(4);
    expect(etatInscriptionParcoursup('VALIDEE', 'PARALLELE_SECONDAIRE')).to.equal(5);
  });

  it('annulée : 3 quel que soit le cursus ; les autres états ne disent rien à Parcoursup', () => {
    for (const c of ['PRINCIPALE', 'DOUBLE_CURSUS', 'PARALLELE', 'PARALLELE_SECONDAIRE', null]) expect(etatInscriptionParcoursup('ANNULEE', c)).to.equal(3);
    for (const e of ['EN_ATTENTE_PAIEMENT', 'PAYEE', 'EXONEREE']) expect(etatInscriptionParcoursup(e, 'PRINCIPALE')).to.equal(undefined);
  });

  it('un cursus stocké inconnu ou absent se lit PRINCIPALE', () => {
    expect(cursusDe(null)).to.equal('PRINCIPALE');
    expect(cursusDe('AUTRE')).to.equal('PRINCIPALE');
    expect(cursusDe('PARALLELE')).to.equal('PARALLELE');
  });
});

describe('Parcoursup — OPI et candidat', () => {
  it('un numéro P + année sur 2 chiffres + 7 chiffres : le candidat est le numéro sans ses zéros de tête', () => {
    expect(candidatParcoursup('P260012345', 'scolarite')).to.deep.equal({ parcoursup: true, codeCandidat: '12345' });
    expect(candidatParcoursup('p251234567', undefined)).to.deep.equal({ parcoursup: true, codeCandidat: '1234567' });
  });

  it('une OPI écrite par un client Parcoursup : les 7 derniers chiffres ; sans eux, pas de candidat (mais une OPI Parcoursup)', () => {
    expect(candidatParcoursup('EC24000030', 'parcoursup')).to.deep.equal({ parcoursup: true, codeCandidat: '4000030' });
    expect(candidatParcoursup('PSUPABCDEF', 'Parcoursup-prod')).to.deep.equal({ parcoursup: true });
    expect(candidatParcoursup('P2600000000', 'parcoursup')).to.deep.equal({ parcoursup: true });
  });

  it('les autres OPI ne sont pas de Parcoursup', () => {
    expect(candidatParcoursup('EC24000030', 'ecandidat')).to.deep.equal({ parcoursup: false });
    expect(candidatParcoursup('P2612345', 'scolarite')).to.deep.equal({ parcoursup: false });
    expect(candidatParcoursup(null, 'parcoursup')).to.deep.equal({ parcoursup: false });
  });

  it('client Parcoursup : « parcoursup », ou ce nom suivi d’un séparateur', () => {
    for (const c of ['parcoursup', 'PARCOURSUP', 'parcoursup-prod', 'parcoursup.2026', 'parcoursup@mesr']) expect(estClientParcoursup(c), c).to.equal(true);
    for (const c of ['parcoursupx', 'ecandidat', 'scolarite', '', null]) expect(estClientParcoursup(c), String(c)).to.equal(false);
  });

  it('le code de formation Parcoursup de l’étape : la correspondance en service d’abord ; dates jj/MM/aaaa', () => {
    const cat = catalogueFixtures();
    expect(codeFormationPsup(cat, 'LDRT1', 2)).to.equal('12345');
    expect(codeFormationPsup(cat, 'ldrt1', 1)).to.equal('12399');
    expect(codeFormationPsup(cat, 'MINF1', 2)).to.equal(undefined);
    expect(dateParcoursup('2006-05-14')).to.equal('14/05/2006');
    expect(dateParcoursup('14/05/2006')).to.equal(null);
  });
});

describe('Parcoursup — la notification d’une inscription', () => {
  const cat = catalogueFixtures();
  const ia = {
    etat: 'VALIDEE',
    cursus: 'PRINCIPALE',
    codOpiIntEpo: 'P260012345',
    ine: null,
    codEtp: 'LDRT1',
    codVrsVet: 2,
    codDip: 'LDRT',
    codVrsVdi: 2,
  };
  const opi = {
    source: 'parcoursup',
    libNomPatIndOpi: 'MARTIN',
    libPr1IndOpi: 'LÉA',
    dateNaiIndOpi: '2006-05-14',
    codNneIndOpi: '0000000001',
    codCleNneIndOpi: 'B',
  };

  it('validée : état absolu 1, candidat, INE de l’OPI, identité, dates Parcoursup, formations ; la clé est le candidat', () => {
    expect(notificationIa(ia, opi, cat)).to.deep.equal({
      notifier: true,
      cle: '12345',
      corps: {
        codeCandidat: '12345',
        ine: '0000000001B',
        nom: 'MARTIN',
        prenom: 'LÉA',
        dateNaissance: '14/05/2006',
        codeFormationPsup: '12345',
        codeFormation1: 'LDRT1',
        codeSISE: null,
        etatInscription: 1,
      },
    });
  });

  it('parallèle secondaire puis annulée : 5 puis 3 ; l’INE de l’inscription prime ; un code SISE des nomenclatures est repris', () => {
    const avecSise = catalogueFixtures((d) => {
      for (const e of d.etapes) if (e.codEtp === 'LDRT1' && e.codVrsVet === 2) e.codeSise = '2400123';
    });
    const n = notificationIa({ ...ia, cursus: 'PARALLELE_SECONDAIRE', ine: '1234567890A' }, opi, avecSise);
    expect(n.notifier && n.corps).to.deep.include({ etatInscription: 5, ine: '1234567890A', codeSISE: '2400123' });
    const annulee = notificationIa({ ...ia, etat: 'ANNULEE', cursus: 'PARALLELE_SECONDAIRE' }, opi, cat);
    expect(annulee.notifier && annulee.corps.etatInscription).to.equal(3);
  });

  it('rien pour une OPI d’une autre plateforme, ni pour un état que Parcoursup n’attend pas', () => {
    expect(notificationIa({ ...ia, codOpiIntEpo: 'EC26000001' }, { ...opi, source: 'ecandidat' }, cat)).to.deep.equal({ notifier: false });
    expect(notificationIa({ ...ia, etat: 'PAYEE' }, opi, cat)).to.deep.equal({ notifier: false });
  });

  it('un numéro P sans OPI reçue : la notification part quand même (identité inconnue) ; sans numéro de candidat : une erreur à montrer', () => {
    const sansOpi = notificationIa(ia, null, cat);
    expect(sansOpi.notifier && sansOpi.corps).to.deep.include({ codeCandidat: '12345', nom: null, dateNaissance: null });
    const sansCandidat = notificationIa({ ...ia, codOpiIntEpo: 'PSUPABCDEF' }, opi, cat);
    expect(sansCandidat).to.deep.include({ notifier: true, cle: 'OPI:PSUPABCDEF' });
    expect(sansCandidat.notifier && sansCandidat.erreur).to.match(/Numéro de candidat Parcoursup introuvable/);
  });
});

describe('notifications — reprises', () => {
  const o = { delaiInitialMs: 1000, delaiMaxMs: 60_000 };

  it('exponentielles : le plafond double à chaque échec, jusqu’au maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => delaiAvantTentative(n, o, () => 1))).to.deep.equal([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });

  it('avec une gigue entre la moitié et le tout du plafond, jamais au-delà du maximum', () => {
    expect(delaiAvantTentative(3, o, () => 0)).to.equal(2000);
    expect(delaiAvantTentative(3, o, () => 0.5)).to.equal(3000);
    for (let i = 0; i < 200; i++) {
      const n = 1 + (i % 12);
      const d = delaiAvantTentative(n, o);
      const plafond = Math.min(60_000, 1000 * 2 ** (n - 1));
      expect(d).to.be.within(plafond / 2, plafond);
    }
    expect(delaiAvantTentative(1000, o, () => 1)).to.equal(60_000);
  });
});

/** A Parcoursup that answers what each test scripts, and remembers every call. */
class ParcoursupMemoire implements Notificateur {
  readonly type = TYPE_MAJ_IA_PARCOURSUP;
  readonly recus: Record<string, unknown>[] = [];
  /** Answers to give, in order; then `ok`. */
  readonly reponses: ResultatEnvoi[] = [];
  async envoyer(corps: Record<string, unknown>): Promise<ResultatEnvoi> {
    this.recus.push(corps);
    return this.reponses.shift() ?? { ok: true };
  }
}

describe('notifications — l’outbox sur les dépôts en mémoire', () => {
  let p: PasserelleMemoire;
  let psup: ParcoursupMemoire;
  let maintenant: Date;
  const ctx = () => contexte({ client: 'scolarite' });
  const echec = (definitif = false): ResultatEnvoi => ({ ok: false, erreur: 'HTTP 500 : panne', definitif });

  /** A Parcoursup OPI with two favourable vœux (LDRT1, LECG1) and an exonerated IA in each. */
  async function candidat(numero: string): Promise<{ ia1: number; ia2: number }> {
    const code = `P26${numero.padStart(7, '0')}`;
    expect((await p.pipeline.executer(ctx(), 'opi.enregistrer', { corps: opiExemple(code, { ine: null, nom: `Candidat${numero}` }) })).statut).to.equal(201);
    const ia = async (codEtp: string, cursus?: string) =>
      (
        await p.pipeline.executer<{ inscription: InscriptionLue }>(ctx(), 'ia.creer', {
          codAnu: ANNEE,
          codOpiIntEpo: code,
          codEtp,
          codVrsVet: 2,
          boursier: true,
          numeroCvec: `REN${numero.padStart(8, '0')}`,
          ...(cursus ? { cursus } : {}),
        })
      ).valeur!.inscription;
    const a = await ia('LDRT1');
    const b = await ia('LECG1', 'double_cursus');
    expect([a.etat, a.cursus, b.cursus]).to.deep.equal(['EXONEREE', 'PRINCIPALE', 'DOUBLE_CURSUS']);
    return { ia1: a.id, ia2: b.id };
  }
  const valider = (id: number) => p.pipeline.executer(ctx(), 'ia.valider', { id: String(id) });
  const annuler = (id: number) => p.pipeline.executer(ctx(), 'ia.annuler', { id: String(id), corps: { motif: 'démission' } });
  const notifications = () => p.unite.lignes('notification').sort((x, y) => x.id - y.id);
  const plusTard = (ms: number) => {
    maintenant = new Date(maintenant.getTime() + ms);
  };

  beforeEach(async () => {
    psup = new ParcoursupMemoire();
    // The delivery's clock, an hour ahead: what the IA changes write (at the real time) is due at once.
    maintenant = new Date(Date.now() + 3600_000);
    p = await composerEnMemoire({
      notificateurs: [psup],
      notifications: { tentatives: 3, delaiInitialMs: 1000, delaiMaxMs: 4000, alea: () => 1, maintenant: () => maintenant },
    });
  });
  afterEach(async () => {
    await p.fermer();
  });

  it('la validation et l’annulation écrivent leur notification dans leur transaction, numérotées par candidat ; une IA d’une autre plateforme n’en écrit pas', async () => {
    const { ia1, ia2 } = await candidat('12345');
    await valider(ia1);
    await valider(ia2);
    await annuler(ia1);
    // Validating again changes nothing and writes nothing.
    expect((await valider(ia2)).valeur).to.deep.include({ resultat: 'INCHANGE' });
    expect(notifications().map((n) => [n.type, n.cle, n.ordre, n.etat, JSON.parse(n.corps).etatInscription])).to.deep.equal([
      [TYPE_MAJ_IA_PARCOURSUP, '12345', 1, 'A_ENVOYER', 1],
      [TYPE_MAJ_IA_PARCOURSUP, '12345', 2, 'A_ENVOYER', 2],
      [TYPE_MAJ_IA_PARCOURSUP, '12345', 3, 'A_ENVOYER', 3],
    ]);
    const o = opiExemple('EC26000077', { ine: null, nom: 'Autre' });
    await p.pipeline.executer(contexte({ client: 'ecandidat' }), 'opi.enregistrer', { corps: o });
    const autre = await p.pipeline.executer<{ inscription: InscriptionLue }>(ctx(), 'ia.creer', {
      codAnu: ANNEE,
      codOpiIntEpo: 'EC26000077',
      codEtp: 'LDRT1',
      codVrsVet: 2,
      boursier: true,
      numeroCvec: 'REN00000077',
    });
    await valider(autre.valeur!.inscription.id);
    expect(notifications()).to.have.length(3);
  });

  it('un changement d’état qui échoue (le journal refuse sa ligne) ne laisse ni changement ni notification', async () => {
    const { ia1 } = await candidat('22222');
    p.unite.decorer = (d) => {
      const ecrire = d.journal.ecrire.bind(d.journal);
      d.journal.ecrire = async (l) => {
        if (l.operation === 'ia.valider' && l.resultat === 'VALIDEE') throw new Error('disque plein (simulé)');
        return ecrire(l);
      };
    };
    const e = await erreurDe(valider(ia1));
    p.unite.decorer = undefined;
    expect(e.status).to.equal(500);
    expect(p.unite.lignes('inscription', (i) => i.id === ia1)[0].etat).to.equal('EXONEREE');
    expect(notifications()).to.deep.equal([]);
  });

  it('dans l’ordre du candidat : la suivante attend que la précédente soit reçue, même après un échec ; les autres candidats ne l’attendent pas', async () => {
    const a = await candidat('33333');
    const b = await candidat('44444');
    await valider(a.ia1);
    await annuler(a.ia1);
    await valider(b.ia1);
    psup.reponses.push(echec());
    // First pass: A's first notification fails, A's second waits; B's goes.
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 1, echecs: 1 });
    expect(psup.recus.map((c) => `${c.codeCandidat}:${c.etatInscription}`)).to.deep.equal(['33333:1', '44444:1']);
    expect(notifications().map((n) => `${n.cle}#${n.ordre}:${n.etat}:${n.tentatives}`)).to.deep.equal([
      '33333#1:A_ENVOYER:1',
      '33333#2:A_ENVOYER:0',
      '44444#1:ENVOYEE:1',
    ]);
    expect(notifications()[0].derniereErreur).to.equal('HTTP 500 : panne');
    // Before its backoff (1 s), nothing is sent again.
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 0, echecs: 0 });
    plusTard(1000);
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 2, echecs: 0 });
    expect(psup.recus.map((c) => `${c.codeCandidat}:${c.etatInscription}`)).to.deep.equal(['33333:1', '44444:1', '33333:1', '33333:3']);
    expect(notifications().every((n) => n.etat === 'ENVOYEE' && n.envoyeeLe !== null)).to.equal(true);
  });

  it('reprises exponentielles plafonnées, puis ECHEC après N tentatives ; ECHEC visible, relancé à la main il repart ; reçu, il ne se relance plus', async () => {
    const { ia1, ia2 } = await candidat('55555');
    await valider(ia1);
    await valider(ia2);
    psup.reponses.push(echec(), echec(), echec());
    const echeances: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await p.notifications.passer()).to.deep.equal({ envoyees: 0, echecs: 1 });
      const [n] = notifications();
      echeances.push(new Date(n.prochaineTentative).getTime() - maintenant.getTime());
      plusTard(10_000);
    }
    // Backoff 1 s, then 2 s; the third failure is the last attempt: ECHEC. The second notification never left.
    expect(echeances).to.deep.equal([1000, 2000, 0]);
    expect(notifications().map((n) => `${n.ordre}:${n.etat}:${n.tentatives}`)).to.deep.equal(['1:ECHEC:3', '2:A_ENVOYER:0']);
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 0, echecs: 0 });
    const liste = (await p.pipeline.executer<{ notifications: { id: number; etat: string }[] }>(ctx(), 'notifications.lister', { etat: 'echec' })).valeur!;
    expect(liste.notifications.map((n) => n.etat)).to.deep.equal(['ECHEC']);
    const id = liste.notifications[0].id;
    const r = await p.pipeline.executer<{ resultat: string; notification: { etat: string; tentatives: number } }>(ctx(), 'notifications.relancer', String(id));
    expect(r.valeur).to.deep.include({ resultat: 'RELANCEE' });
    expect(r.valeur!.notification).to.deep.include({ etat: 'A_ENVOYER', tentatives: 0 });
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 2, echecs: 0 });
    expect(psup.recus.map((c) => c.etatInscription)).to.deep.equal([1, 1, 1, 1, 2]);
    const deja = await erreurDe(p.pipeline.executer(ctx(), 'notifications.relancer', String(id)));
    expect([deja.status, deja.problemes[0].code]).to.deep.equal([409, 'NOTIFICATION_DEJA_ENVOYEE']);
    const inconnue = await erreurDe(p.pipeline.executer(ctx(), 'notifications.relancer', '999'));
    expect([inconnue.status, inconnue.problemes[0].code]).to.deep.equal([404, 'NOTIFICATION_INTROUVABLE']);
    // The manual retry is journaled; the list is not (a consultation).
    expect(p.unite.lignes('journal', (l) => l.operation.startsWith('notifications.')).map((l) => `${l.operation}:${l.resultat}`)).to.deep.equal([
      'notifications.relancer:RELANCEE',
      'notifications.relancer:REJETE',
      'notifications.relancer:REJETE',
    ]);
  });

  it('un refus définitif (4xx) passe en ECHEC sans attendre N tentatives', async () => {
    const { ia1 } = await candidat('66666');
    await valider(ia1);
    psup.reponses.push({ ok: false, erreur: 'HTTP 400 : candidat inconnu', definitif: true });
    await p.notifications.passer();
    expect(notifications().map((n) => `${n.etat}:${n.tentatives}:${n.derniereErreur}`)).to.deep.equal(['ECHEC:1:HTTP 400 : candidat inconnu']);
  });

  it('une seule instance livre : bail tenu par une autre → rien ; expiré → repris', async () => {
    const { ia1 } = await candidat('77777');
    await valider(ia1);
    await p.unite.executer((d) => d.verrous.prendre(VERROU_NOTIFICATIONS, 'autre-noeud', new Date(Date.now() + 60_000), new Date()));
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 0, echecs: 0 });
    expect(psup.recus).to.deep.equal([]);
    await p.unite.executer((d) => d.verrous.prendre(VERROU_NOTIFICATIONS, 'autre-noeud', new Date(Date.now() - 1), new Date()));
    expect(await p.notifications.passer()).to.deep.equal({ envoyees: 1, echecs: 0 });
  });

  it('liste : filtres etat et cle, plus récentes d’abord, curseur ; un etat inconnu est refusé', async () => {
    const a = await candidat('88881');
    const b = await candidat('88882');
    await valider(a.ia1);
    await valider(b.ia1);
    await valider(a.ia2);
    const lister = async (q: Record<string, string>) =>
      (await p.pipeline.executer<{ notifications: { id: number; cle: string; ordre: number }[]; suivant: number | null }>(ctx(), 'notifications.lister', q))
        .valeur!;
    const tout = await lister({ cle: '88881' });
    expect(tout.notifications.map((n) => `${n.cle}#${n.ordre}`)).to.deep.equal(['88881#2', '88881#1']);
    const page = await lister({ limite: '2' });
    expect(page.notifications).to.have.length(2);
    expect((await lister({ avant: String(page.suivant) })).notifications).to.have.length(1);
    expect((await lister({ etat: 'ENVOYEE' })).notifications).to.deep.equal([]);
    const e = await erreurDe(lister({ etat: 'PERDUE' }));
    expect([e.status, e.problemes[0].path]).to.deep.equal([400, 'etat']);
  });
});
