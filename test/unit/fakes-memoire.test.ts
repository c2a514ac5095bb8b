/** The in-memory fakes themselves: transaction semantics, unique keys, store semantics copied from persistence, reader. */
import { expect } from 'chai';
import { DIAGNOSTIC_MEMOIRE, ConflitTransitoire, UniteMemoire, ViolationUnicite } from '../fakes/depots-memoire';
import { LecteurMemoire } from '../fakes/lecteur-memoire';
import type { JobLigne } from '../../src/application/enregistrements';
import type { LigneLp } from '../../src/application/ports';
import { ligneJournalExemple } from '../helpers/exemples';

const journal = ligneJournalExemple;

const lp = (cle: string): LigneLp => ({
  cle,
  typLpa: 'REINS',
  codAnu: '2026',
  codOpiIntEpo: null,
  codEtu: cle,
  ine: null,
  codEtp: 'LDRT2',
  codVrsVet: 2,
  codDip: null,
  codVrsVdi: null,
  codCge: null,
  codRgi: null,
  codStu: null,
  codCatOuiSi: null,
  mtfCat: null,
  codCatExoExt: null,
  libCmtLpa: null,
  dateDebutValidite: null,
  dateFinValidite: null,
  source: 's',
  jobId: null,
  empreinte: 'e',
  version: 1,
  creeLe: new Date(),
  modifieLe: new Date(),
});

const job = (id: string, surcharges: Partial<JobLigne> = {}): JobLigne => ({
  id,
  type: 'LP_CHARGEMENT',
  etat: 'EN_ATTENTE',
  mode: 'partiel',
  format: 'csv',
  fichier: `/x/${id}.csv`,
  nomFichier: null,
  encodage: null,
  separateur: null,
  client: 'c',
  requestId: 'r',
  empreinte: null,
  lignesLues: 0,
  lignesRejetees: 0,
  creees: 0,
  misesAJour: 0,
  inchangees: 0,
  lignesTraitees: 0,
  erreur: null,
  proprietaire: null,
  bailJusqua: null,
  creeLe: new Date(),
  debutLe: null,
  finLe: null,
  simulation: 0,
  annulationDemandee: 0,
  lignesTotal: null,
  parametres: null,
  ...surcharges,
});

function differe(): { promesse: Promise<void>; tenir: () => void } {
  let tenir!: () => void;
  const promesse = new Promise<void>((r) => {
    tenir = r;
  });
  return { promesse, tenir };
}

describe('faux en mémoire — unité de travail', () => {
  it('une transaction qui échoue ne laisse rien ; une qui aboutit est visible ensuite en lecture', async () => {
    const u = new UniteMemoire();
    const err = await u
      .executer(async (d) => {
        await d.journal.ecrire(journal());
        await d.lp.inserer([lp('1')], true);
        throw new Error('annulée');
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).to.equal('annulée');
    expect(u.lignes('journal')).to.have.length(0);
    expect(u.lignes('laissezPasser')).to.have.length(0);
    const id = await u.executer((d) => d.journal.ecrire(journal()));
    expect((await u.lecture.journal.lire({ limite: 10 })).map((l) => l.id)).to.deep.equal([id]);
  });

  it("la lecture voit l'état validé, pas celui d'une transaction en cours ; les transactions passent une à une", async () => {
    const u = new UniteMemoire();
    const pause = differe();
    const ordre: string[] = [];
    const t1 = u.executer(async (d) => {
      ordre.push('t1 début');
      await d.journal.ecrire(journal({ cle: 'A' }));
      await pause.promesse;
      ordre.push('t1 fin');
    });
    const t2 = u.executer(async (d) => {
      ordre.push('t2 début');
      await d.journal.ecrire(journal({ cle: 'B' }));
    });
    await new Promise((r) => setImmediate(r));
    expect(await u.lecture.journal.lire({ limite: 10 })).to.have.length(0);
    pause.tenir();
    await Promise.all([t1, t2]);
    expect(ordre).to.deep.equal(['t1 début', 't1 fin', 't2 début']);
    expect((await u.lecture.journal.lire({ limite: 10 })).map((l) => l.cle)).to.deep.equal(['B', 'A']);
  });

  it("refuse d'écrire par `lecture` et d'ouvrir une transaction dans une transaction", async () => {
    const u = new UniteMemoire();
    const horsTransaction = await u.lecture.journal.ecrire(journal()).catch((e: Error) => e);
    expect((horsTransaction as Error).message).to.match(/écriture hors transaction/);
    const imbriquee = await u.executer(() => u.executer(async () => 1)).catch((e: Error) => e);
    expect((imbriquee as Error).message).to.match(/transaction imbriquée/);
  });

  it('un conflit transitoire est rejoué (compté dans `rejeux`), la transaction entière une seule fois validée', async () => {
    const u = new UniteMemoire();
    let essais = 0;
    const id = await u.executer(async (d) => {
      const n = await d.journal.ecrire(journal());
      if (++essais === 1) throw new ConflitTransitoire();
      return n;
    });
    expect(essais).to.equal(2);
    expect(u.rejeux).to.equal(1);
    expect(u.lignes('journal').map((l) => l.id)).to.deep.equal([id]);
  });

  it('clés uniques des vraies tables : laissez_passer.cle, idempotence (client, cle), inscription.cleActive (NULL libre), job_rejet (jobId, numLigne)', async () => {
    const u = new UniteMemoire();
    const unique = async (travail: Parameters<UniteMemoire['executer']>[0]) => {
      const e = await u.executer(travail, { tentatives: 1 }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, 'violation attendue').to.be.instanceOf(ViolationUnicite);
      expect(DIAGNOSTIC_MEMOIRE.estViolationUnicite(e)).to.equal(true);
    };
    await u.executer((d) => d.lp.inserer([lp('1')], true));
    await unique((d) => d.lp.inserer([lp('1')], true));
    await unique((d) => d.lp.inserer([lp('2'), lp('2')], true));
    const idem = { client: 'c', cle: 'k', operation: 'lp.enregistrer', empreinteRequete: 'e', statut: 201, reponse: '{}', creeLe: new Date() };
    await u.executer((d) => d.idempotence.enregistrer(idem));
    await u.executer((d) => d.idempotence.enregistrer({ ...idem, client: 'autre' }));
    await unique((d) => d.idempotence.enregistrer(idem));
    const ia = {
      cleActive: null,
      codAnu: '2026',
      codOpiIntEpo: null,
      codEtu: '1',
      ine: null,
      codEtp: 'LDRT2',
      codVrsVet: 2,
      codDip: null,
      codVrsVdi: null,
      codCge: null,
      etat: 'ANNULEE',
      codRgi: null,
      codStu: null,
      codCatOuiSi: null,
      codCatExoExt: null,
      boursier: 0,
      numBoursier: null,
      profilExonerant: null,
      codPayNat: null,
      numeroCvec: null,
      montantBaseCentimes: 0,
      montantDuCentimes: 0,
      paiementCentimes: null,
      paiementReference: null,
      paiementMode: null,
      paiementLe: null,
      calcul: '{}',
      source: 's',
      version: 1,
      creeLe: new Date(),
      modifieLe: new Date(),
    };
    await u.executer(async (d) => {
      await d.inscriptions.inserer(ia);
      await d.inscriptions.inserer(ia);
    });
    await u.executer((d) => d.inscriptions.inserer({ ...ia, cleActive: 'ETU:1|2026|LDRT2|2' }));
    await unique((d) => d.inscriptions.inserer({ ...ia, cleActive: 'ETU:1|2026|LDRT2|2' }));
    // An update that would give a second row the same key is refused too.
    await unique((d) => d.inscriptions.mettreAJour(1, { cleActive: 'ETU:1|2026|LDRT2|2' }));
    const rejet = { jobId: 'j', numLigne: 2, codes: 'X', problemes: '[]', valeurs: null, identifiants: null };
    await u.executer((d) => d.jobs.ajouterRejets([rejet, { ...rejet, numLigne: 3 }]));
    await unique((d) => d.jobs.ajouterRejets([rejet]));
    expect(u.lignes('laissezPasser')).to.have.length(1);
    expect(u.lignes('inscription')).to.have.length(3);
    expect(u.lignes('jobRejet')).to.have.length(2);
    // A unique-key race is retried by the real unit of work: the fake does the same, then gives up.
    await u.executer((d) => d.lp.inserer([lp('1')], true)).catch(() => undefined);
    expect(u.rejeux).to.equal(7);
  });

  it("les lignes lues sont des copies : les modifier ne change pas l'état", async () => {
    const u = new UniteMemoire();
    await u.executer((d) => d.lp.inserer([lp('1')], true));
    const [e] = (await u.lecture.lp.parCles(['1'])).values();
    e.version = 99;
    (await u.lecture.lp.lire(1))!.version = 98;
    expect((await u.lecture.lp.lire(1))!.version).to.equal(1);
  });

  it("lp.inserer rend les ids dans l'ordre reçu (aucun sans `avecIds`) ; journal.ajouterAuNombre additionne", async () => {
    const u = new UniteMemoire();
    const ids = await u.executer((d) => d.lp.inserer([lp('b'), lp('a'), lp('c')], true));
    expect(ids.map((id) => u.lignes('laissezPasser', (l) => l.id === id)[0].cle)).to.deep.equal(['b', 'a', 'c']);
    expect(await u.executer((d) => d.lp.inserer([lp('d')], false))).to.deep.equal([]);
    const id = await u.executer((d) => d.journal.ecrire(journal()));
    await u.executer((d) => d.journal.ajouterAuNombre(id, 4));
    expect(u.lignes('journal')[0].nombre).to.equal(5);
  });

  it('jobs.prendreBail : libre, expiré ou déjà à soi → pris ; tenu par un autre, ou job fini → refusé', async () => {
    const u = new UniteMemoire();
    const t = new Date('2026-03-01T10:00:00Z');
    const plus = (m: number) => new Date(t.getTime() + m * 60_000);
    await u.executer(async (d) => {
      await d.jobs.creer(job('a'));
      await d.jobs.creer(job('fini', { etat: 'TERMINE' }));
    });
    const bail = (id: string, moi: string, maintenant: Date) => u.executer((d) => d.jobs.prendreBail(id, moi, plus(2), maintenant));
    expect(await bail('a', 'i1', t)).to.equal(true);
    expect(await bail('a', 'i2', plus(1))).to.equal(false);
    expect(await bail('a', 'i1', plus(1))).to.equal(true);
    expect(await bail('a', 'i2', plus(3))).to.equal(true);
    expect(u.lignes('job', (j) => j.id === 'a')[0].proprietaire).to.equal('i2');
    expect(await bail('fini', 'i1', t)).to.equal(false);
    expect((await u.lecture.jobs.aReprendre(plus(1))).map((j) => j.id)).to.deep.equal([]);
    expect((await u.lecture.jobs.aReprendre(plus(3))).map((j) => j.id)).to.deep.equal(['a']);
    await u.executer((d) => d.jobs.libererBaux('i2'));
    expect(u.lignes('job', (j) => j.id === 'a')[0]).to.include({ proprietaire: null, bailJusqua: null });
  });
});

describe('faux en mémoire — lecteur de fichiers', () => {
  const colonnes = ['codAnu', 'numOPI', 'codEtu', 'codEtp', 'codOpiIntEpo'];

  it('en-tête : colonnes reconnues sans casse et renommées, inconnues et doublons signalés', async () => {
    const l = new LecteurMemoire();
    l.declarer('f.csv', [{ CODANU: '2026', codetu: '1', couleur: 'bleu' }]);
    expect(await l.lireEntete('f.csv', { format: 'csv', colonnes })).to.deep.equal({
      colonnes: ['codAnu', 'codEtu', 'couleur'],
      inconnues: ['couleur'],
      encodage: 'utf-8',
      separateur: ';',
    });
    l.declarer('g.xlsx', [], { colonnes: ['codEtu', 'CODETU'] });
    expect(await l.lireEntete('g.xlsx', { format: 'xlsx', colonnes })).to.deep.equal({ colonnes: ['codEtu', 'codEtu'], inconnues: [], doublons: ['codEtu'] });
  });

  it("lignes : numérotées comme dans le fichier, vides sautées mais comptées, `sauter` respecté, clés à l'orthographe connue", async () => {
    const l = new LecteurMemoire();
    l.declarer('f.csv', [{ CODETU: '1' }, { CODETU: '' }, { CODETU: '3' }, { CODETU: '4' }]);
    const lire = async (format: 'csv' | 'json', sauter?: number) => {
      const sortie = [];
      for await (const x of l.lireLignes('f.csv', { format, colonnes, sauter })) sortie.push(x);
      return sortie;
    };
    expect(await lire('csv')).to.deep.equal([
      { numLigne: 2, valeurs: { codEtu: '1' } },
      { numLigne: 4, valeurs: { codEtu: '3' } },
      { numLigne: 5, valeurs: { codEtu: '4' } },
    ]);
    expect((await lire('csv', 2)).map((x) => x.numLigne)).to.deep.equal([5]);
    expect((await lire('json')).map((x) => x.numLigne)).to.deep.equal([0, 2, 3]);
    expect(l.ouvertures.map((o) => o.sauter)).to.deep.equal([0, 2, 0]);
  });

  it('un fichier déposé reste reconnu après un déplacement ; un fichier inconnu → ENOENT', async () => {
    const { mkdtemp, rename, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dossier = await mkdtemp(path.join(os.tmpdir(), 'lecteur-memoire-'));
    try {
      const l = new LecteurMemoire();
      const chemin = await l.deposer(dossier, 'recu.csv', [{ codEtu: '7' }]);
      const deplace = path.join(dossier, 'job-1.csv');
      await rename(chemin, deplace);
      for await (const x of l.lireLignes(deplace, { format: 'csv', colonnes })) expect(x.valeurs).to.deep.equal({ codEtu: '7' });
      const e = await l.lireEntete(path.join(dossier, 'absent.csv'), { format: 'csv', colonnes }).catch((x: NodeJS.ErrnoException) => x);
      expect((e as NodeJS.ErrnoException).code).to.equal('ENOENT');
    } finally {
      await rm(dossier, { recursive: true, force: true });
    }
  });
});
