/**
 * The reminder of missing supporting documents, without a database: the period, the e-mail text, the
 * run on the in-memory stores (lease, reservation, refused addresses, journal rows) and the SMTP
 * adapter against a real SMTP server on loopback (refusals 5xx / 4xx, authentication, a dead server).
 */
import { expect } from 'chai';
import net from 'node:net';
import { courrielRelance, periodeDe, VERROU_RELANCES, type RapportRelances } from '../../src/application/relances-pj';
import type { LigneEnAttente } from '../../src/application/pieces-consultation';
import type { PieceLue } from '../../src/application/pieces';
import type { Messagerie } from '../../src/application/ports';
import { MessagerieSmtp } from '../../src/adapters/smtp/messagerie-smtp';
import { ErreurConfiguration, lireConfig } from '../../src/config';
import { composerEnMemoire, contexte, erreurDe, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { opiExemple } from '../helpers/exemples';
import { serveurSmtp, type ServeurSmtpDeTest } from '../helpers/smtp';

describe('relances PJ — configuration', () => {
  const refus = (env: NodeJS.ProcessEnv): string => {
    try {
      lireConfig(env);
    } catch (e) {
      expect(e).to.be.instanceOf(ErreurConfiguration);
      return (e as Error).message;
    }
    throw new Error(`lireConfig(${JSON.stringify(env)}) n'a pas levé d'erreur`);
  };

  it('par défaut : pas de serveur SMTP, expéditeur scolarite@localhost, période de 7 jours, pas de planification', () => {
    const c = lireConfig({});
    expect(c.smtp).to.deep.equal({ url: undefined, de: 'scolarite@localhost' });
    expect(c.relancesPj).to.deep.equal({ periodeJours: 7, intervalleMinutes: undefined });
  });

  it('valeurs lues : smtp:// et smtps:// avec identifiants, « Nom <adresse> », période, intervalle en minutes (0 ou vide = désactivé)', () => {
    const c = lireConfig({
      SMTP_URL: 'smtps://relances:s3cr%40t@smtp.univ.example:465',
      SMTP_FROM: 'Scolarité <scolarite@univ.example>',
      RELANCE_PJ_PERIODE_JOURS: '14',
      RELANCE_PJ_INTERVALLE: '60',
    });
    expect(c.smtp).to.deep.equal({ url: 'smtps://relances:s3cr%40t@smtp.univ.example:465', de: 'Scolarité <scolarite@univ.example>' });
    expect(c.relancesPj).to.deep.equal({ periodeJours: 14, intervalleMinutes: 60 });
    expect(lireConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', RELANCE_PJ_INTERVALLE: '0' }).relancesPj.intervalleMinutes).to.equal(undefined);
    expect(lireConfig({ SMTP_URL: '', SMTP_FROM: '', RELANCE_PJ_INTERVALLE: '' }).smtp.url).to.equal(undefined);
  });

  it('une valeur invalide arrête la passerelle avec un message qui nomme la variable (sans le mot de passe)', () => {
    const http = refus({ SMTP_URL: 'http://relances:MotDePasseSecret@smtp.univ.example' });
    expect(http).to.include('SMTP_URL').and.include('smtp://').and.not.include('MotDePasseSecret');
    expect(refus({ SMTP_URL: 'pas une url' })).to.include('SMTP_URL');
    expect(refus({ SMTP_FROM: 'scolarite' })).to.include('SMTP_FROM');
    expect(refus({ SMTP_FROM: 'Scolarité <pas une adresse>' })).to.include('SMTP_FROM');
    expect(refus({ RELANCE_PJ_PERIODE_JOURS: '0' })).to.include('RELANCE_PJ_PERIODE_JOURS');
    expect(refus({ RELANCE_PJ_PERIODE_JOURS: '366' })).to.include('RELANCE_PJ_PERIODE_JOURS');
    expect(refus({ RELANCE_PJ_INTERVALLE: 'une heure', SMTP_URL: 'smtp://h' })).to.include('RELANCE_PJ_INTERVALLE');
    // A schedule without an SMTP server could only fail: refused at start.
    expect(refus({ RELANCE_PJ_INTERVALLE: '60' }))
      .to.include('RELANCE_PJ_INTERVALLE')
      .and.include('SMTP_URL');
  });
});

describe('relances PJ — période', () => {
  it('le premier jour du bloc de N jours compté depuis le 1970-01-01', () => {
    expect(periodeDe(new Date('1970-01-01T12:00:00Z'), 7)).to.equal('1970-01-01');
    expect(periodeDe(new Date('1970-01-07T12:00:00Z'), 7)).to.equal('1970-01-01');
    expect(periodeDe(new Date('1970-01-08T12:00:00Z'), 7)).to.equal('1970-01-08');
    // 2026-12-01 is day 20788 after 1970-01-01: 20788 - 20788 % 7 = 20783, the 2026-11-26.
    expect(periodeDe(new Date('2026-12-01T10:00:00Z'), 7)).to.equal('2026-11-26');
    expect(periodeDe(new Date('2026-11-26T10:00:00Z'), 7)).to.equal('2026-11-26');
    expect(periodeDe(new Date('2026-11-25T10:00:00Z'), 7)).to.equal('2026-11-19');
    expect(periodeDe(new Date('2026-12-01T10:00:00Z'), 1)).to.equal('2026-12-01');
    expect(periodeDe(new Date('2026-12-01T10:00:00Z'), 365)).to.equal('2025-12-18');
  });

  it('le jour est celui de Paris (heure d’hiver et d’été), pas celui d’UTC', () => {
    // 23:30 UTC on 28 March 2026 is 00:30 on the 29th in Paris (UTC+1).
    expect(periodeDe(new Date('2026-03-28T23:30:00Z'), 1)).to.equal('2026-03-29');
    // 22:30 UTC on 30 June is 00:30 on 1 July in Paris (UTC+2).
    expect(periodeDe(new Date('2026-06-30T22:30:00Z'), 1)).to.equal('2026-07-01');
    expect(periodeDe(new Date('2026-06-30T21:30:00Z'), 1)).to.equal('2026-06-30');
    // The block changes at midnight Paris time: 2026-11-26 00:10 Paris = 2026-11-25 23:10 UTC.
    expect(periodeDe(new Date('2026-11-25T23:10:00Z'), 7)).to.equal('2026-11-26');
    expect(periodeDe(new Date('2026-11-25T22:50:00Z'), 7)).to.equal('2026-11-19');
  });

  it('une période de moins d’un jour ou non entière est refusée', () => {
    expect(() => periodeDe(new Date(), 0)).to.throw(RangeError);
    expect(() => periodeDe(new Date(), 1.5)).to.throw(RangeError);
  });
});

function piece(p: Partial<PieceLue> & Pick<PieceLue, 'codTpj' | 'libelle'>): PieceLue {
  return {
    attendue: true,
    raisons: [],
    statut: 'ATTENDUE',
    nomFichier: null,
    typeMedia: null,
    taille: null,
    motifRefus: null,
    libelleMotifRefus: null,
    commentaire: null,
    version: null,
    deposeLe: null,
    statutLe: null,
    ...p,
  };
}

describe('relances PJ — le courriel', () => {
  const ligne: LigneEnAttente = {
    codOpiIntEpo: 'EC26000001',
    individu: 'OPI:EC26000001',
    libNomPatIndOpi: 'Lefèvre',
    libPr1IndOpi: 'Élodie',
    adresse: 'elodie.lefevre@example.org',
    manquantes: [
      piece({ codTpj: 'PHOTO', libelle: "Photo d'identité", raisons: ['demandée à tous'] }),
      piece({
        codTpj: 'IDENT',
        libelle: "Pièce d'identité (carte d'identité ou passeport)",
        raisons: ['demandée à tous', 'formation LDRT1 v2'],
        statut: 'REFUSEE',
        motifRefus: 'ILLIS',
        libelleMotifRefus: 'Document illisible ou flou',
        commentaire: 'Le recto est flou.',
      }),
    ],
  };

  it('sujet avec le numéro d’OPI ; salutation au nom ; chaque pièce, pourquoi elle est due, le motif et le commentaire d’un refus ; comment les envoyer', () => {
    const { sujet, texte } = courrielRelance(ligne, { de: 'Scolarité <scolarite@univ.example>', periodeJours: 7 });
    expect(sujet).to.equal('Pièces justificatives manquantes – EC26000001');
    expect(texte).to.match(/^Bonjour Élodie LEFÈVRE,\n/);
    expect(texte).to.include('OPI n° EC26000001) est incomplet : les pièces justificatives suivantes manquent encore.');
    expect(texte).to.include("- Photo d'identité (PHOTO) : pièce non reçue\n  Pourquoi elle vous est demandée : demandée à tous.");
    expect(texte).to.include("- Pièce d'identité (carte d'identité ou passeport) (IDENT) : pièce refusée, à déposer de nouveau");
    expect(texte).to.include('Pourquoi elle vous est demandée : demandée à tous ; formation LDRT1 v2.');
    expect(texte).to.include('Motif du refus : Document illisible ou flou.');
    expect(texte).to.include('Commentaire : Le recto est flou.');
    expect(texte).to.include('Comment les transmettre : déposez chaque pièce depuis votre espace de candidature en ligne, rubrique « Pièces justificatives »');
    expect(texte).to.include("en rappelant votre numéro d'OPI EC26000001");
    expect(texte).to.include('au plus une fois tous les 7 jours');
    expect(texte).to.include('Pour toute question, écrivez à scolarite@univ.example.');
    expect(texte.trimEnd().endsWith('Le service de la scolarité')).to.equal(true);
  });

  it('une seule pièce : au singulier ; prénom composé et nom en capitales ; un refus sans libellé de motif donne son code ; période d’un jour', () => {
    const une: LigneEnAttente = {
      ...ligne,
      libPr1IndOpi: 'JEAN-MARC',
      libNomPatIndOpi: "d'Alembert",
      manquantes: [{ ...ligne.manquantes[1], libelleMotifRefus: null, commentaire: null }],
    };
    const { texte } = courrielRelance(une, { de: 'scolarite@localhost', periodeJours: 1 });
    expect(texte).to.match(/^Bonjour Jean-Marc D'ALEMBERT,\n/);
    expect(texte).to.include('la pièce justificative suivante manque encore.');
    expect(texte).to.include('Comment la transmettre : déposez-la depuis votre espace de candidature');
    expect(texte).to.include('Motif du refus : ILLIS.');
    expect(texte).to.not.include('Commentaire');
    expect(texte).to.include('au plus une fois par jour');
    expect(texte).to.include('écrivez à scolarite@localhost.');
  });
});

/** A Messagerie that records what it is asked and answers what it is told per address. */
class MessagerieMemoire implements Messagerie {
  envoyes: { a: string; sujet: string; texte: string }[] = [];
  refusees = new Set<string>();
  enPanne = false;
  async envoyer(m: { a: string; sujet: string; texte: string }) {
    if (this.enPanne) throw new Error('connexion perdue');
    if (this.refusees.has(m.a)) return { accepte: false as const, adresseRefusee: true, erreur: '550 5.1.1 Boîte inconnue' };
    this.envoyes.push(m);
    return { accepte: true as const };
  }
}

describe('relances PJ — le service sur les dépôts en mémoire', () => {
  let p: PasserelleMemoire;
  let m: MessagerieMemoire;
  let maintenant: Date;
  const relancer = (simulation = false) =>
    p.pipeline.executer<RapportRelances>(contexte({ porte: 'BATCH', client: 'planificateur' }), 'pj.relancer', { simulation });
  const envois = () => p.unite.lignes('journal', (l) => l.operation === 'pj.relance.envoi');

  beforeEach(async () => {
    m = new MessagerieMemoire();
    maintenant = new Date('2026-12-01T10:00:00Z');
    p = await composerEnMemoire({ messagerie: m, relances: { periodeJours: 7, maintenant: () => maintenant } });
    const avecAdresse = (code: string, adresse: string | undefined, jour: number) => {
      const o = opiExemple(code, { ine: null, dateNai: `2006-05-1${jour}` });
      const { adrMailOpi: _sans, ...autres } = o.individu.donneesPersonnelles;
      return { ...o, individu: { ...o.individu, donneesPersonnelles: adresse ? { ...autres, adrMailOpi: adresse } : autres } };
    };
    for (const [code, adresse, jour] of [
      ['RM26000001', 'alice@example.org', 1],
      ['RM26000002', 'refusee@example.org', 2],
      ['RM26000003', undefined, 3],
    ] as const) {
      const r = await p.pipeline.executer(contexte(), 'opi.enregistrer', { corps: avecAdresse(code, adresse, jour) });
      expect(r.statut).to.equal(201);
    }
    m.refusees.add('refusee@example.org');
  });
  afterEach(async () => {
    await p.fermer();
  });

  it('simulation : liste qui serait relancé, sans rien envoyer ni réserver', async () => {
    const r = (await relancer(true)).valeur!;
    expect(r.simulation).to.equal(true);
    expect(r.periode).to.equal('2026-11-26');
    expect(r.ecrits.map((e) => [e.codOpiIntEpo, e.adresse])).to.deep.equal([
      ['RM26000001', 'alice@example.org'],
      ['RM26000002', 'refusee@example.org'],
    ]);
    expect(r.ecrits[0].nom).to.equal('Élodie LEFÈVRE');
    expect(r.ecrits[0].pieces).to.include.members(['IDENT', 'PHOTO']);
    expect(r.ignores).to.deep.equal({ sansAdresse: 1, adresseRefusee: 0, dejaRelance: 0 });
    expect(m.envoyes).to.have.length(0);
    expect(p.unite.lignes('relance')).to.have.length(0);
    expect(envois()).to.have.length(0);
  });

  it('envoi : un courriel par étudiant, l’adresse refusée enregistrée, une ligne de journal par envoi ; rien de plus dans la même période', async () => {
    const r = (await relancer()).valeur!;
    expect(r.ecrits.map((e) => e.codOpiIntEpo)).to.deep.equal(['RM26000001']);
    expect(r.echecs.map((e) => [e.codOpiIntEpo, e.adresseRefusee])).to.deep.equal([['RM26000002', true]]);
    expect(m.envoyes.map((e) => e.a)).to.deep.equal(['alice@example.org']);
    expect(p.unite.lignes('adresseRefusee').map((a) => a.adresse)).to.deep.equal(['refusee@example.org']);
    expect(p.unite.lignes('relance').map((l) => [l.codOpiIntEpo, l.periode, l.etat])).to.deep.equal([
      ['RM26000001', '2026-11-26', 'ENVOYEE'],
      ['RM26000002', '2026-11-26', 'ADRESSE_REFUSEE'],
    ]);
    expect(envois().map((l) => [l.porte, l.client, l.individu, l.resultat, l.statut, l.codes])).to.deep.equal([
      ['BATCH', 'planificateur', 'OPI:RM26000001', 'ENVOYEE', 200, null],
      ['BATCH', 'planificateur', 'OPI:RM26000002', 'ADRESSE_REFUSEE', 502, 'ADRESSE_REFUSEE'],
    ]);
    expect(JSON.parse(envois()[0].details!).pieces).to.include.members(['IDENT', 'PHOTO']);
    // The run itself: one row of the pipeline.
    expect(p.unite.lignes('journal', (l) => l.operation === 'pj.relancer').map((l) => [l.resultat, l.cle])).to.deep.equal([
      ['TERMINE_AVEC_ECHECS', '2026-11-26'],
    ]);
    // The lease is given back.
    expect(p.unite.lignes('verrou')).to.have.length(0);

    const encore = (await relancer()).valeur!;
    expect(encore.ecrits).to.have.length(0);
    expect(encore.ignores).to.deep.equal({ sansAdresse: 1, adresseRefusee: 1, dejaRelance: 1 });
    expect(m.envoyes).to.have.length(1);

    // Next period: written to again, never to the refused address.
    maintenant = new Date('2026-12-03T10:00:00Z');
    const suivante = (await relancer()).valeur!;
    expect(suivante.periode).to.equal('2026-12-03');
    expect(suivante.ecrits.map((e) => e.codOpiIntEpo)).to.deep.equal(['RM26000001']);
    expect(suivante.ignores.adresseRefusee).to.equal(1);
    expect(m.envoyes.map((e) => e.a)).to.deep.equal(['alice@example.org', 'alice@example.org']);
  });

  it('un bail tenu par une autre instance → RELANCE_EN_COURS (409, journalisé) ; expiré, il est repris', async () => {
    const dans = (ms: number) => new Date(Date.now() + ms);
    await p.unite.executer((d) => d.verrous.prendre(VERROU_RELANCES, 'autre-noeud', dans(60_000), new Date()));
    const e = await erreurDe(relancer());
    expect(e.status).to.equal(409);
    expect(e.problemes[0].code).to.equal('RELANCE_EN_COURS');
    expect(m.envoyes).to.have.length(0);
    expect(p.unite.lignes('journal', (l) => l.operation === 'pj.relancer').map((l) => [l.resultat, l.statut, l.codes])).to.deep.equal([
      ['REJETE', 409, 'RELANCE_EN_COURS'],
    ]);
    // A simulation needs no lease.
    expect((await relancer(true)).valeur!.ecrits).to.have.length(2);
    // The other node died: its lease expired.
    await p.unite.executer((d) => d.verrous.prendre(VERROU_RELANCES, 'autre-noeud', dans(-1000), dans(-2000)));
    expect((await relancer()).valeur!.ecrits).to.have.length(1);
    expect(p.unite.lignes('verrou')).to.have.length(0);
  });

  it('deux exécutions simultanées sur la même instance : une seule envoie', async () => {
    const [a, b] = await Promise.allSettled([relancer(), relancer()]);
    const reussies = [a, b].filter((x) => x.status === 'fulfilled');
    const ecrits = reussies.flatMap((x) => (x as PromiseFulfilledResult<{ valeur?: RapportRelances }>).value.valeur!.ecrits);
    expect(ecrits.map((e) => e.codOpiIntEpo)).to.deep.equal(['RM26000001']);
    for (const x of [a, b]) if (x.status === 'rejected') expect((x.reason as { problemes: { code: string }[] }).problemes[0].code).to.equal('RELANCE_EN_COURS');
    expect(m.envoyes).to.have.length(1);
  });

  it('une panne de messagerie : ECHEC (à retenter à la période suivante), l’adresse n’est pas refusée', async () => {
    m.enPanne = true;
    const r = (await relancer()).valeur!;
    expect(r.echecs.map((e) => [e.codOpiIntEpo, e.adresseRefusee, e.erreur])).to.deep.equal([
      ['RM26000001', false, 'connexion perdue'],
      ['RM26000002', false, 'connexion perdue'],
    ]);
    expect(p.unite.lignes('adresseRefusee')).to.have.length(0);
    expect(envois().map((l) => [l.resultat, l.statut, l.codes])).to.deep.equal([
      ['ECHEC', 502, 'ENVOI_ECHOUE'],
      ['ECHEC', 502, 'ENVOI_ECHOUE'],
    ]);
    m.enPanne = false;
    maintenant = new Date('2026-12-03T10:00:00Z');
    expect((await relancer()).valeur!.ecrits.map((e) => e.codOpiIntEpo)).to.deep.equal(['RM26000001']);
  });

  it('sans serveur de messagerie : MESSAGERIE_NON_CONFIGUREE (503) ; la simulation reste possible', async () => {
    const sans = await composerEnMemoire();
    try {
      const ctx = contexte();
      const e = await erreurDe(sans.pipeline.executer(ctx, 'pj.relancer', { simulation: false }));
      expect(e.status).to.equal(503);
      expect(e.problemes.map((x) => x.code)).to.deep.equal(['MESSAGERIE_NON_CONFIGUREE']);
      expect((await sans.pipeline.executer<RapportRelances>(ctx, 'pj.relancer', { simulation: true })).valeur!.simulation).to.equal(true);
    } finally {
      await sans.fermer();
    }
  });
});

describe('relances PJ — messagerie SMTP (nodemailer vers un vrai serveur SMTP local)', () => {
  let smtp: ServeurSmtpDeTest;
  before(async () => {
    smtp = await serveurSmtp({
      refusees: { 'inconnu@example.org': 550, 'pleine@example.org': 452 },
      identifiants: { utilisateur: 'relances', motDePasse: 'mot de passe:secret' },
    });
  });
  after(async () => {
    await smtp?.fermer();
  });

  it('authentifié (utilisateur:mdp de SMTP_URL), le courriel arrive avec son expéditeur, son sujet et son texte en UTF-8', async () => {
    const m = new MessagerieSmtp({ url: smtp.url, de: 'Scolarité <scolarite@univ.example>' });
    try {
      expect(
        await m.envoyer({ a: 'alice@example.org', sujet: 'Pièces justificatives manquantes – EC26000001', texte: 'Bonjour Élodie,\n– pièce\n' }),
      ).to.deep.equal({
        accepte: true,
      });
    } finally {
      m.fermer();
    }
    const recu = smtp.recus.at(-1)!;
    expect(recu.a).to.deep.equal(['alice@example.org']);
    expect(recu.de).to.equal('scolarite@univ.example');
    expect(recu.courriel.subject).to.equal('Pièces justificatives manquantes – EC26000001');
    expect(recu.courriel.from?.value[0]).to.deep.include({ address: 'scolarite@univ.example', name: 'Scolarité' });
    expect(recu.courriel.text).to.equal('Bonjour Élodie,\n– pièce\n');
  });

  it('RCPT TO refusé en 5xx → adresse refusée (avec la réponse du serveur) ; en 4xx → échec à retenter', async () => {
    const m = new MessagerieSmtp({ url: smtp.url, de: 'scolarite@localhost' });
    try {
      const refus = await m.envoyer({ a: 'inconnu@example.org', sujet: 's', texte: 't' });
      expect(refus).to.include({ accepte: false, adresseRefusee: true });
      expect((refus as { erreur: string }).erreur).to.match(/^550 .*Boîte inconnue/);
      const plus = await m.envoyer({ a: 'pleine@example.org', sujet: 's', texte: 't' });
      expect(plus).to.include({ accepte: false, adresseRefusee: false });
      expect((plus as { erreur: string }).erreur).to.match(/^452 /);
    } finally {
      m.fermer();
    }
  });

  it('mauvais identifiants, serveur éteint ou muet → échec à retenter, jamais une adresse refusée ; les délais bornent l’attente', async () => {
    const mauvais = new MessagerieSmtp({ url: `smtp://relances:faux@127.0.0.1:${smtp.port}`, de: 'scolarite@localhost' });
    expect(await mauvais.envoyer({ a: 'alice@example.org', sujet: 's', texte: 't' })).to.include({ accepte: false, adresseRefusee: false });
    mauvais.fermer();

    // A port nobody listens on.
    const libre = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const eteint = await new MessagerieSmtp({ url: `smtp://127.0.0.1:${libre}`, de: 'scolarite@localhost' }).envoyer({
      a: 'alice@example.org',
      sujet: 's',
      texte: 't',
    });
    expect(eteint).to.include({ accepte: false, adresseRefusee: false });
    expect((eteint as { erreur: string }).erreur).to.match(/ECONNREFUSED|ECONNECTION|ESOCKET/);

    // A server that accepts the connection and never greets.
    const sockets: net.Socket[] = [];
    const muet = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => muet.listen(0, '127.0.0.1', resolve));
    try {
      const debut = Date.now();
      const r = await new MessagerieSmtp({
        url: `smtp://127.0.0.1:${(muet.address() as net.AddressInfo).port}`,
        de: 'scolarite@localhost',
        delais: { accueilMs: 300, inactiviteMs: 500 },
      }).envoyer({ a: 'alice@example.org', sujet: 's', texte: 't' });
      expect(r).to.include({ accepte: false, adresseRefusee: false });
      expect(Date.now() - debut).to.be.below(5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => muet.close(() => resolve()));
    }
  });
});
