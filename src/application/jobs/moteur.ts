/**
 * The job engine: files loaded as jobs, for every job type.
 * - the file is kept on disk until its job is done; rows are STREAMED from it, never held at once;
 * - partial mode: chunks are checked then written, each chunk in ONE transaction together with its
 *   rejected rows, their journal rows, the job's counters and resume point, so a crash loses nothing
 *   that was counted and a restart resumes after the last committed chunk, without duplicates;
 * - all-or-nothing: a first pass checks every row (rejects recorded); if one is bad nothing is
 *   written; otherwise a second pass writes every row in one transaction;
 * - dry-run (`simulation`): the same passes, each write rolled back: the same report, nothing kept;
 * - cancellation: a running job stops at its next chunk boundary (state ANNULE); what was committed
 *   stays and is counted;
 * - a lease per job (renewed with each chunk) so that several instances never run one job twice.
 * One job runs at a time per process; jobs found unfinished at start (lease free) are resumed.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../observability/logger';
import type { Metriques } from '../../observability/metriques';
import { ErreurMetier, probleme, type Probleme } from '../../domain/errors';
import { bilanListe, refusToutOuRien, type ItemPrepare, type ModeLot, type ResultatLigne } from '../../domain/lots';
import type { DiagnosticBase, Depots, FormatLot, LecteurFichiers, LigneLue, UniteDeTravailPort } from '../ports';
import type { JobLigne, RejetLigne } from '../enregistrements';
import { codes, detailsJson, tronquer, type ContexteAppel } from '../pipeline';
import type { TypeJob } from './type-job';

/**
 * Rows of a file per chunk, each chunk one transaction with its counters and resume point. 1,000 rather
 * than 500: half the commits and per-chunk statements (bench: a 100,000-row file about 12 % faster, the
 * database's CPU 12 % lower), for a slightly longer stretch of work per chunk.
 */
export const TAILLE_PAQUET = 1000;
/** Lease of an all-or-nothing load: its whole write is one transaction. */
const BAIL_TOUT_OU_RIEN_MS = 30 * 60_000;

export interface OptionsJob {
  format: FormatLot;
  mode: ModeLot;
  simulation?: boolean;
  nomFichier?: string;
  encodage?: 'utf-8' | 'windows-1252';
  separateur?: ';' | ',';
  empreinte?: string;
  /** Data rows, when the door counted them (progress, ETA). */
  lignesTotal?: number;
  /** The job type's own parameters. */
  parametres?: unknown;
}

export interface EtatJob {
  id: string;
  type: string;
  etat: string;
  mode: string;
  simulation: boolean;
  format: string;
  nomFichier: string | null;
  client: string;
  lignesLues: number;
  lignesEcrites: number;
  lignesRejetees: number;
  creees: number;
  misesAJour: number;
  inchangees: number;
  annulationDemandee: boolean;
  /** Data rows of the file, when known. */
  lignesTotal: number | null;
  /** Rows processed per second since the job started (null before). */
  debit: number | null;
  /** Seconds left at that rate, when the total is known and the job runs. */
  resteSecondes: number | null;
  creeLe: string;
  debutLe: string | null;
  finLe: string | null;
  erreur: Probleme[] | null;
}

/** A job checked and ready to be recorded (the file is still at its upload place). */
export interface JobPrepare {
  job: JobLigne;
  fichierRecu: string;
}

const ARRET = Symbol('arrêt');
const ANNULATION = Symbol('annulation');
class Simulation<T> {
  constructor(readonly valeur: T) {}
}

const FINIS = ['TERMINE', 'REJETE', 'ECHOUE', 'ANNULE'];
export function estFini(etat: string): boolean {
  return FINIS.includes(etat);
}

export class MoteurJobs {
  private readonly types = new Map<string, TypeJob>();
  private file: Promise<void> = Promise.resolve();
  private readonly enCours = new Set<string>();
  private readonly attentes = new Map<string, (() => void)[]>();
  /** Called after each committed chunk of a partial load (progress logs; tests use it to stop mid-way). */
  apresPaquet?: (jobId: string, lignesTraitees: number) => void | Promise<void>;
  /** Set at shutdown: jobs stop between two chunks and stay EN_COURS, to be resumed at next start. */
  private arretDemande = false;
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /**
   * Lease of a partial-mode job: renewed by every chunk's transaction and by a heartbeat every third of
   * it, so that a dead owner's job is taken over by another node within about one lease and one sweep.
   * (An all-or-nothing load writes in one transaction no heartbeat could renew: its lease is long.)
   */
  dureeBailMs = 15_000;
  /** How long an uploaded file outlives its job (a failed job's file helps to understand why), then the sweep removes it. */
  retentionFichiersMs = 7 * 24 * 3600_000;
  private balayage?: NodeJS.Timeout;
  private balayageFichiers?: NodeJS.Timeout;

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly lecteur: LecteurFichiers,
    private readonly logger: Logger,
    readonly dossier: string,
    private readonly metriques?: Metriques,
    /** Tells a database outage from a real failure: a job cut by an outage resumes, it does not fail. */
    private readonly diagnostic?: Pick<DiagnosticBase, 'estBaseIndisponible'>,
  ) {}

  declarerType<P extends ItemPrepare>(t: TypeJob<P>): void {
    this.types.set(t.type, t as unknown as TypeJob);
  }

  private typeDe(job: JobLigne): TypeJob {
    const t = this.types.get(job.type);
    if (!t) throw new Error(`type de job inconnu : ${job.type}`);
    return t;
  }

  /** Checks an uploaded file's header (unknown columns, empty file) and builds its job; writes nothing. */
  async preparer(type: string, fichierRecu: string, options: OptionsJob, ctx: ContexteAppel): Promise<JobPrepare> {
    const t = this.types.get(type);
    if (!t) throw new Error(`type de job inconnu : ${type}`);
    const entete = await this.lecteur.lireEntete(fichierRecu, {
      format: options.format,
      colonnes: t.colonnes,
      encodage: options.encodage,
      separateur: options.separateur,
    });
    if (entete.inconnues.length && !t.colonnesEnPlusToleres) {
      throw new ErreurMetier(
        entete.inconnues.map((c) => probleme('COLONNE_INCONNUE', `entete.${c}`, { colonne: c, colonnes: t.colonnes.join(', ') })),
        422,
      );
    }
    if (options.format !== 'json' && !entete.colonnes.length) throw ErreurMetier.une('LOT_VIDE', '');
    const parametres = options.parametres === undefined ? null : JSON.stringify(options.parametres);
    const entetePb = t.verifierEntete?.(entete, { parametres }) ?? [];
    if (entetePb.length) throw new ErreurMetier(entetePb, 422);
    const job = this.nouveauJob(type, options, ctx, {
      format: options.format,
      fichier: (id) => path.join(this.dossier, `${id}.${options.format}`),
      nomFichier: options.nomFichier?.slice(0, 255) ?? null,
      encodage: entete.encodage ?? options.encodage ?? null,
      separateur: entete.separateur ?? options.separateur ?? null,
      parametres,
    });
    return { job, fichierRecu };
  }

  /** The first `n` rows of a file as a job of `type` would read them: a preview, before any job. */
  async premieresLignes(type: string, fichier: string, options: Pick<OptionsJob, 'format' | 'encodage' | 'separateur'>, n: number): Promise<LigneLue[]> {
    const t = this.types.get(type);
    if (!t) throw new Error(`type de job inconnu : ${type}`);
    const lignes: LigneLue[] = [];
    if (n <= 0) return lignes;
    for await (const l of this.lecteur.lireLignes(fichier, { ...options, colonnes: t.colonnes })) {
      lignes.push(l);
      if (lignes.length >= n) break;
    }
    return lignes;
  }

  /** A job whose rows come from its type's own source (no uploaded file): built, not recorded. */
  preparerSansFichier(type: string, options: Omit<OptionsJob, 'format'>, ctx: ContexteAppel): JobPrepare {
    if (!this.types.get(type)?.source) throw new Error(`type de job sans source propre : ${type}`);
    const job = this.nouveauJob(type, options, ctx, {
      format: 'json',
      fichier: (id) => path.join(this.dossier, `${id}.aucun`),
      nomFichier: null,
      encodage: null,
      separateur: null,
      parametres: options.parametres === undefined ? null : JSON.stringify(options.parametres),
    });
    return { job, fichierRecu: '' };
  }

  /** A job waiting to run, counters at zero. */
  private nouveauJob(
    type: string,
    options: Pick<OptionsJob, 'mode' | 'simulation' | 'empreinte' | 'lignesTotal'>,
    ctx: ContexteAppel,
    x: Pick<JobLigne, 'format' | 'nomFichier' | 'encodage' | 'separateur' | 'parametres'> & { fichier: (id: string) => string },
  ): JobLigne {
    const id = randomUUID();
    return {
      id,
      type,
      etat: 'EN_ATTENTE',
      mode: options.mode,
      ...x,
      fichier: x.fichier(id),
      client: ctx.client,
      requestId: ctx.requestId,
      empreinte: options.empreinte ?? null,
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
      simulation: options.simulation ? 1 : 0,
      annulationDemandee: 0,
      lignesTotal: options.lignesTotal ?? null,
    };
  }

  /** Records the job in the caller's transaction. */
  async enregistrer(d: Depots, p: JobPrepare): Promise<EtatJob> {
    await d.jobs.creer(p.job);
    return versEtat(p.job);
  }

  /** After the commit: the file goes to its job's place and the job is queued. */
  async lancer(p: JobPrepare): Promise<void> {
    if (p.fichierRecu) {
      await fs.mkdir(this.dossier, { recursive: true });
      await fs.rename(p.fichierRecu, p.job.fichier);
    }
    this.planifier(p.job.id);
  }

  /** Resumes the jobs a stopped (or dead) instance left unfinished, once their lease has expired. */
  async reprendre(): Promise<string[]> {
    if (this.arretDemande) return [];
    const jobs = (await this.unite.lecture.jobs.aReprendre(new Date())).filter((j) => !this.enCours.has(j.id));
    for (const j of jobs) this.planifier(j.id);
    if (jobs.length) this.logger.info('chargements repris', { jobs: jobs.map((j) => j.id) });
    return jobs.map((j) => j.id);
  }

  async etat(id: string): Promise<EtatJob> {
    const job = await this.unite.lecture.jobs.lire(id);
    if (!job) throw ErreurMetier.une('JOB_INTROUVABLE', 'id', { id });
    return versEtat(job);
  }

  /** Waits until the job is finished (or `delaiMs` elapsed), then returns its state. */
  async attendre(id: string, delaiMs: number): Promise<EtatJob> {
    const etat = await this.etat(id);
    if (estFini(etat.etat)) return etat;
    await new Promise<void>((resolve) => {
      // Registered synchronously with the check: a job ending between the read above and now is seen here.
      if (!this.enCours.has(id)) return resolve();
      const t = setTimeout(resolve, delaiMs);
      this.attentes.set(id, [
        ...(this.attentes.get(id) ?? []),
        () => {
          clearTimeout(t);
          resolve();
        },
      ]);
    });
    return this.etat(id);
  }

  async rejets(id: string, apres = 0, limite = 1000): Promise<RejetLigne[]> {
    await this.etat(id);
    return this.unite.lecture.jobs.rejets(id, apres, limite);
  }

  async lister(q: Record<string, string | undefined>, limiteParDefaut = 50): Promise<{ jobs: EtatJob[]; suivant: string | null }> {
    const limite = q.limite === undefined ? limiteParDefaut : Number(q.limite);
    if (!Number.isInteger(limite) || limite < 1 || limite > 500) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'limite', { detail: 'limite entre 1 et 500' });
    let depuis: Date | undefined;
    if (q.depuis !== undefined) {
      depuis = new Date(q.depuis);
      if (Number.isNaN(depuis.getTime())) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'depuis', { detail: 'depuis : date ou date-heure ISO attendue' });
    }
    const etat = q.etat?.toUpperCase();
    if (etat !== undefined && !['EN_ATTENTE', 'EN_COURS', ...FINIS].includes(etat)) {
      throw ErreurMetier.une('PARAMETRE_INVALIDE', 'etat', { detail: `etat : ${['EN_ATTENTE', 'EN_COURS', ...FINIS].join(', ')}` });
    }
    const jobs = await this.unite.lecture.jobs.lister({ type: q.type?.toUpperCase(), etat, client: q.client, depuis, avant: q.avant, limite });
    return { jobs: jobs.map(versEtat), suivant: jobs.length === limite ? jobs[jobs.length - 1].id : null };
  }

  /**
   * Cancels a job: one waiting is cancelled at once; one running stops at its next chunk boundary
   * (on whichever instance runs it). A finished job cannot be cancelled.
   */
  async annuler(d: Depots, id: string): Promise<{ resultat: 'ANNULE' | 'ANNULATION_DEMANDEE'; job: EtatJob }> {
    const job = await d.jobs.lire(id);
    if (!job) throw ErreurMetier.une('JOB_INTROUVABLE', 'id', { id });
    if (estFini(job.etat)) throw ErreurMetier.une('TRANSITION_INTERDITE', 'etat', { de: job.etat, vers: 'ANNULE' });
    if (job.etat === 'EN_ATTENTE' && !this.enCours.has(id)) {
      const fin = { etat: 'ANNULE', finLe: new Date(), annulationDemandee: 1 };
      await d.jobs.maj(id, fin);
      return { resultat: 'ANNULE', job: versEtat({ ...job, ...fin }) };
    }
    await d.jobs.maj(id, { annulationDemandee: 1 });
    return { resultat: 'ANNULATION_DEMANDEE', job: versEtat({ ...job, annulationDemandee: 1 }) };
  }

  /** Looks for orphaned jobs (lease expired) every `intervalleMs` (default a third of the lease). */
  demarrerBalayage(intervalleMs = Math.max(1000, Math.floor(this.dureeBailMs / 3))): void {
    this.balayage = setInterval(() => {
      this.reprendre().catch((err) => this.logger.error('balayage des chargements', { err: String(err) }));
    }, intervalleMs);
    this.balayage.unref();
    // Hourly: the files no unfinished job needs any more, once past their retention.
    const nettoyer = () =>
      this.nettoyerFichiers()
        .then((n) => n && this.logger.info('fichiers de chargement supprimés', { nombre: n, retentionH: this.retentionFichiersMs / 3600_000 }))
        .catch((err) => this.logger.error('nettoyage des fichiers de chargement', { err: String(err) }));
    void nettoyer();
    this.balayageFichiers = setInterval(nettoyer, 3600_000);
    this.balayageFichiers.unref();
  }

  /**
   * Removes the files of the jobs folder (and its `reception` folder) older than the retention that no
   * unfinished job refers to: files of failed jobs, uploads abandoned half-way. Returns how many.
   */
  async nettoyerFichiers(maintenant = new Date()): Promise<number> {
    const enCours = new Set<string>();
    for (const j of await this.unite.lecture.jobs.aReprendre(new Date(8.64e15))) {
      enCours.add(path.resolve(j.fichier));
      for (const a of (j.parametres ? (JSON.parse(j.parametres) as { annexes?: string[] }).annexes : undefined) ?? []) enCours.add(path.resolve(a));
    }
    let n = 0;
    for (const dossier of [this.dossier, path.join(this.dossier, 'reception')]) {
      const noms = await fs.readdir(dossier).catch(() => [] as string[]);
      for (const nom of noms) {
        const f = path.resolve(dossier, nom);
        const s = await fs.stat(f).catch(() => undefined);
        if (!s?.isFile() || enCours.has(f) || maintenant.getTime() - s.mtimeMs < this.retentionFichiersMs) continue;
        await fs.rm(f, { force: true });
        n++;
      }
    }
    return n;
  }

  /** Stops after the chunk being written, then releases this instance's leases (the next start resumes at once). */
  async arreter(): Promise<void> {
    this.arretDemande = true;
    if (this.balayage) clearInterval(this.balayage);
    if (this.balayageFichiers) clearInterval(this.balayageFichiers);
    await this.inactif();
    await this.unite.executer((d) => d.jobs.libererBaux(this.instance));
  }

  /** Resolves when every queued job has run (used by tests and at shutdown). */
  async inactif(): Promise<void> {
    let precedent: Promise<void> | undefined;
    while (precedent !== this.file) {
      precedent = this.file;
      await this.file;
    }
  }

  private finDeBail(mode: string): Date {
    return new Date(Date.now() + (mode === 'tout-ou-rien' ? BAIL_TOUT_OU_RIEN_MS : this.dureeBailMs));
  }

  /** Renews the lease of a running partial job every third of it, in its own short transaction. */
  private battement(job: JobLigne): NodeJS.Timeout | undefined {
    if (job.mode === 'tout-ou-rien') return undefined;
    const t = setInterval(
      () => {
        this.unite
          .executer((d) => d.jobs.prendreBail(job.id, this.instance, this.finDeBail(job.mode), new Date()), { tentatives: 1 })
          .then((ok) => ok || this.logger.warn('bail du chargement perdu (un autre nœud le reprend)', { jobId: job.id }))
          .catch((err) => this.logger.warn('bail du chargement non renouvelé', { jobId: job.id, err: String(err) }));
      },
      Math.max(500, Math.floor(this.dureeBailMs / 3)),
    );
    t.unref();
    return t;
  }

  private planifier(id: string): void {
    if (this.enCours.has(id)) return;
    this.enCours.add(id);
    this.enchainer(id, 0);
  }

  /**
   * Queues one run of the job. A run cut by a database outage is queued again after a growing pause
   * (1 s, 2 s, 4 s… at most one lease), from its last committed chunk, and stays "en cours" meanwhile.
   */
  private enchainer(id: string, essai: number): void {
    let pause: number | undefined;
    this.file = this.file
      .then(() => this.executer(id))
      .catch((err) => {
        if (!this.arretDemande && this.diagnostic?.estBaseIndisponible(err)) {
          pause = Math.min(this.dureeBailMs, 1000 * 2 ** essai);
          this.logger.warn('chargement interrompu : base indisponible, reprise automatique', { jobId: id, dansMs: pause, err: String(err) });
        } else this.logger.error('chargement en échec', { jobId: id, err: err instanceof Error ? err.stack : String(err) });
      })
      .finally(() => {
        if (pause !== undefined) {
          setTimeout(() => this.enchainer(id, essai + 1), pause).unref();
          return;
        }
        this.enCours.delete(id);
        for (const r of this.attentes.get(id) ?? []) r();
        this.attentes.delete(id);
      });
  }

  /** Runs (or resumes) one job to its end. */
  private async executer(id: string): Promise<void> {
    if (this.arretDemande) return;
    const job = await this.unite.lecture.jobs.lire(id);
    if (!job || estFini(job.etat)) return;
    const t = this.typeDe(job);
    // Another instance holding a valid lease runs it; if that instance dies, the lease expires and a
    // later sweep (`reprendre`) of any instance takes the job over from its last committed chunk.
    if (!(await this.unite.executer((d) => d.jobs.prendreBail(id, this.instance, this.finDeBail(job.mode), new Date())))) return;
    if (job.annulationDemandee) return this.terminer(t, job, 'ANNULE');
    await this.unite.executer((d) => d.jobs.maj(id, { etat: 'EN_COURS', debutLe: job.debutLe ?? new Date() }));
    const battement = this.battement(job);
    try {
      if (job.mode === 'tout-ou-rien') await this.toutOuRien(t, job);
      else await this.partiel(t, job);
      const fini = (await this.unite.lecture.jobs.lire(id))!;
      if (!estFini(fini.etat)) return; // interrupted by a shutdown: resumed at next start
      await this.supprimerFichiers(job);
      await this.journaliserFin(t, fini);
    } catch (err) {
      if (err === ARRET) return;
      if (err === ANNULATION) return this.terminer(t, job, 'ANNULE');
      if (this.diagnostic?.estBaseIndisponible(err)) throw err; // resumed by `enchainer`, not failed
      const erreur = err instanceof ErreurMetier ? err.problemes : [probleme('ERREUR_INTERNE', '', { requestId: job.requestId })];
      if (!(err instanceof ErreurMetier)) this.logger.error('chargement interrompu', { jobId: id, err: err instanceof Error ? err.stack : String(err) });
      await this.unite.executer((d) => d.jobs.maj(id, { etat: 'ECHOUE', erreur: JSON.stringify(erreur), finLe: new Date() }));
      await this.journaliserFin(t, (await this.unite.lecture.jobs.lire(id))!);
    } finally {
      clearInterval(battement);
    }
  }

  private async terminer(t: TypeJob, job: JobLigne, etat: 'ANNULE'): Promise<void> {
    await this.unite.executer((d) => d.jobs.maj(job.id, { etat, finLe: new Date() }));
    await this.supprimerFichiers(job);
    await this.journaliserFin(t, (await this.unite.lecture.jobs.lire(job.id))!);
  }

  /** The job's file, and the other files its parameters name (`annexes`: a second file of a pair). */
  private async supprimerFichiers(job: JobLigne): Promise<void> {
    this.types.get(job.type)?.oublier?.(job.id);
    const annexes = (job.parametres ? (JSON.parse(job.parametres) as { annexes?: string[] }).annexes : undefined) ?? [];
    for (const f of [job.fichier, ...annexes]) await fs.rm(f, { force: true });
  }

  private async *paquets(t: TypeJob, job: JobLigne, sauter: number): AsyncGenerator<LigneLue[]> {
    // Each pass over the file starts with what the type keeps per job forgotten (rows already seen):
    // all-or-nothing reads the file twice, and the second pass must not find every row "repeated".
    t.oublier?.(job.id);
    let paquet: LigneLue[] = [];
    const options = {
      format: job.format as FormatLot,
      colonnes: t.colonnes,
      sauter,
      encodage: (job.encodage ?? undefined) as 'utf-8' | 'windows-1252' | undefined,
      separateur: (job.separateur ?? undefined) as ';' | ',' | undefined,
    };
    // A type may read its rows its own way (two files joined, say); by default the job's one file.
    const lignes = t.source ? t.source(job, this.lecteur, options) : this.lecteur.lireLignes(job.fichier, options);
    for await (const ligne of lignes) {
      paquet.push(ligne);
      if (paquet.length >= TAILLE_PAQUET) {
        yield paquet;
        paquet = [];
      }
    }
    if (paquet.length) yield paquet;
  }

  private preparerPaquet(t: TypeJob, paquet: LigneLue[], job: JobLigne): Promise<ItemPrepare[]> {
    return t.preparer(
      paquet.map((l) => ({ rang: l.numLigne, brut: t.versCommande(l) })),
      job,
    );
  }

  /** A write that a dry-run rolls back: the same results, nothing kept. */
  private async ecrireOuSimuler<T>(job: JobLigne, travail: (d: Depots) => Promise<T>, options: { tentatives?: number } = {}): Promise<T> {
    if (!job.simulation) return this.unite.executer(travail, options);
    try {
      await this.unite.executer(async (d) => {
        throw new Simulation(await travail(d));
      }, options);
    } catch (e) {
      if (e instanceof Simulation) return e.valeur as T;
      throw e;
    }
    throw new Error('simulation sans résultat');
  }

  private async annulationDemandee(id: string): Promise<boolean> {
    return (await this.unite.lecture.jobs.lire(id))?.annulationDemandee === 1;
  }

  /**
   * The chunks of the file, each prepared (read, checked) while the one before it is being written: the
   * database's share of a chunk and the next one's validation overlap. In file order; the chunk read
   * ahead is dropped if the job stops before writing it.
   */
  private async *preparesEnAvance(t: TypeJob, job: JobLigne): AsyncGenerator<{ paquet: LigneLue[]; prepares: ItemPrepare[] }> {
    const it = this.paquets(t, job, job.lignesTraitees)[Symbol.asyncIterator]();
    const suivant = async () => {
      const r = await it.next();
      return r.done ? undefined : { paquet: r.value, prepares: await this.preparerPaquet(t, r.value, job) };
    };
    let enAvance = suivant();
    try {
      for (;;) {
        const courant = await enAvance;
        if (!courant) return;
        enAvance = suivant();
        yield courant;
      }
    } finally {
      // Stopped early: the chunk read ahead is not written, its reading ends with the file closed.
      await enAvance.catch(() => undefined);
      await it.return?.(undefined);
    }
  }

  private async partiel(t: TypeJob, job: JobLigne): Promise<void> {
    let traitees = job.lignesTraitees;
    for await (const { paquet, prepares } of this.preparesEnAvance(t, job)) {
      if (this.arretDemande) return;
      if (await this.annulationDemandee(job.id)) throw ANNULATION;
      // The lease is renewed with the chunk; lost (another instance took the job over) → stop, roll back.
      const bail = async (d: Depots) => {
        if (!(await d.jobs.prendreBail(job.id, this.instance, this.finDeBail(job.mode), new Date()))) throw ARRET;
      };
      const consignerPaquet = async (d: Depots, resultats: ResultatLigne[]) => {
        await this.consigner(d, t, job, resultats, paquet);
        const { creees, misesAJour, inchangees, rejetees } = bilanListe(resultats);
        await d.jobs.ajouterCompteurs(job.id, { creees, misesAJour, inchangees, rejetees, lues: paquet.length, traitees: paquet.length });
      };
      if (!job.simulation) {
        // The chunk's rows, its rejects, their journal rows and the counters: one commit.
        await this.unite.executer(async (d) => {
          await bail(d);
          await consignerPaquet(d, await t.ecrire(d, prepares, job));
        });
      } else {
        const resultats = await this.ecrireOuSimuler(job, (d) => t.ecrire(d, prepares, job));
        await this.unite.executer(async (d) => {
          await bail(d);
          await consignerPaquet(d, resultats);
        });
      }
      traitees += paquet.length;
      if (this.metriques && !job.simulation) this.metriques.lignesChargees += paquet.length;
      this.logger.debug('chargement : paquet écrit', { jobId: job.id, lignesTraitees: traitees });
      await this.apresPaquet?.(job.id, traitees);
    }
    await this.unite.executer((d) => d.jobs.maj(job.id, { etat: 'TERMINE', finLe: new Date() }));
  }

  private async toutOuRien(t: TypeJob, job: JobLigne): Promise<void> {
    // A resumed all-or-nothing job starts over: nothing of it was committed.
    await this.unite.executer(async (d) => {
      await d.jobs.supprimerRejets(job.id);
      await d.jobs.maj(job.id, { lignesLues: 0, lignesRejetees: 0, creees: 0, misesAJour: 0, inchangees: 0, lignesTraitees: 0 });
    });
    let lues = 0;
    let rejetees = 0;
    for await (const paquet of this.paquets(t, job, 0)) {
      if (await this.annulationDemandee(job.id)) throw ANNULATION;
      const prepares = await this.preparerPaquet(t, paquet, job);
      const resultats = refusToutOuRien(prepares) ?? prepares.map((x) => ({ rang: x.rang, statut: 'NON_ECRIT' as const }));
      await this.unite.executer((d) => this.consigner(d, t, job, resultats, paquet));
      lues += paquet.length;
      rejetees += resultats.filter((r) => r.statut === 'REJETE').length;
    }
    if (lues === 0) throw ErreurMetier.une('LOT_VIDE', '');
    if (rejetees > 0) {
      await this.unite.executer((d) => d.jobs.maj(job.id, { etat: 'REJETE', lignesLues: lues, lignesRejetees: rejetees, finLe: new Date() }));
      return;
    }
    const total = await this.ecrireOuSimuler(
      job,
      async (d) => {
        const somme = { creees: 0, misesAJour: 0, inchangees: 0 };
        for await (const paquet of this.paquets(t, job, 0)) {
          if (this.arretDemande) throw ARRET; // rolls the whole load back; it restarts from the beginning
          if (await this.annulationDemandee(job.id)) throw ANNULATION;
          const resultats = await t.ecrire(d, await this.preparerPaquet(t, paquet, job), job);
          const c = bilanListe(resultats);
          // The rows were valid a moment ago; a row refused now (nomenclature reloaded meanwhile) aborts all.
          if (c.rejetees)
            throw new ErreurMetier(
              resultats.flatMap((r) => r.problemes ?? []),
              422,
            );
          somme.creees += c.creees;
          somme.misesAJour += c.misesAJour;
          somme.inchangees += c.inchangees;
        }
        if (!job.simulation) await d.jobs.maj(job.id, { ...somme, lignesLues: lues, lignesTraitees: lues, etat: 'TERMINE', finLe: new Date() });
        return somme;
      },
      { tentatives: 3 },
    );
    if (job.simulation)
      await this.unite.executer((d) => d.jobs.maj(job.id, { ...total, lignesLues: lues, lignesTraitees: lues, etat: 'TERMINE', finLe: new Date() }));
  }

  /** A chunk's refused rows: kept for the report and, for a real load, journaled one row each. */
  private async consigner(d: Depots, t: TypeJob, job: JobLigne, resultats: ResultatLigne[], paquet: LigneLue[]): Promise<void> {
    const parLigne = new Map(paquet.map((l) => [l.numLigne, l]));
    const refusees = resultats
      .filter((r) => r.statut === 'REJETE')
      .map((r) => {
        const ligne = parLigne.get(r.rang);
        const brut = ligne ? t.versCommande(ligne) : {};
        const problemes = t.renommer ? t.renommer(r.problemes ?? [], brut, ligne?.valeurs ?? {}) : (r.problemes ?? []);
        return { r, ligne, brut, problemes };
      });
    if (!refusees.length) return;
    await d.jobs.ajouterRejets(
      refusees.map(({ r, ligne, brut, problemes }) => ({
        jobId: job.id,
        numLigne: r.rang,
        codes: (codes(problemes) ?? '').slice(0, 500),
        // Always storable (a MySQL TEXT holds 64 KiB): cut, with a marker, whatever a hostile row makes too long.
        problemes: detailsJson(problemes),
        valeurs: valeursBornees(ligne?.valeurs ?? {}),
        identifiants: identifiantsDe(t, brut),
      })),
    );
    if (job.simulation || t.rejetsDejaJournalises) return;
    const maintenant = new Date();
    const lignes = refusees.map(({ brut, problemes }) => {
      const id = t.identite(brut);
      return {
        recuLe: maintenant,
        porte: 'BATCH',
        operation: t.journal.ligne,
        client: job.client,
        requestId: job.requestId,
        cle: tronquer(id.cle, 100),
        individu: tronquer(id.individu, 40),
        empreinte: null,
        resultat: 'REJETE',
        statut: 422,
        nombre: 1,
        codes: codes(problemes),
        dureeMs: 0,
        details: detailsJson(problemes),
      };
    });
    await d.journal.ecrirePlusieurs(lignes);
    for (const l of lignes) this.metriques?.operation(l.porte, l.operation, l.resultat, 0);
  }

  /** One journal row for the whole job: its outcome and counts (accepted rows are not journaled one by one). */
  private async journaliserFin(t: TypeJob, job: JobLigne): Promise<void> {
    const erreurs: Probleme[] = job.erreur ? JSON.parse(job.erreur) : [];
    const resume = `${job.lignesLues} lues, ${job.creees} créées, ${job.misesAJour} mises à jour, ${job.inchangees} inchangées, ${job.lignesRejetees} rejetées`;
    const resultat = job.simulation ? `SIMULATION_${job.etat}`.slice(0, 20) : job.etat;
    const statut = job.etat === 'ECHOUE' ? 500 : job.etat === 'REJETE' ? 422 : 200;
    this.logger.log(statut >= 500 ? 'error' : 'info', 'chargement terminé', { jobId: job.id, etat: job.etat, simulation: job.simulation === 1, resume });
    this.metriques?.operation('BATCH', t.journal.fin, resultat, 0);
    try {
      await this.unite.executer((d) =>
        d.journal.ecrire({
          recuLe: new Date(),
          porte: 'BATCH',
          operation: t.journal.fin,
          client: job.client,
          requestId: job.requestId,
          cle: job.id,
          individu: null,
          empreinte: job.empreinte,
          resultat,
          statut,
          nombre: 1,
          codes: codes(erreurs),
          dureeMs: job.debutLe ? Date.now() - new Date(job.debutLe).getTime() : 0,
          details: erreurs.length ? detailsJson(erreurs) : null,
        }),
      );
    } catch (err) {
      this.logger.error('journal non écrit', { jobId: job.id, err: String(err) });
    }
  }
}

/** What a rejected row's report names it by (the platform's number, the OPI number), when the type says. */
function identifiantsDe(t: TypeJob, brut: unknown): string | null {
  const id = t.identite(brut);
  const x = { ...(id.idPlateforme ? { idPlateforme: id.idPlateforme } : {}), ...(id.codOpiIntEpo ? { codOpiIntEpo: id.codOpiIntEpo } : {}) };
  return Object.keys(x).length ? JSON.stringify(x) : null;
}

export function versEtat(j: JobLigne, maintenant = Date.now()): EtatJob {
  const debut = j.debutLe ? new Date(j.debutLe).getTime() : undefined;
  const fin = j.finLe ? new Date(j.finLe).getTime() : maintenant;
  const secondes = debut === undefined ? 0 : (fin - debut) / 1000;
  const debit = debut !== undefined && secondes > 0 ? Math.round(j.lignesTraitees / secondes) : null;
  const resteSecondes = j.lignesTotal !== null && debit && !estFini(j.etat) ? Math.max(0, Math.round((j.lignesTotal - j.lignesTraitees) / debit)) : null;
  return {
    id: j.id,
    type: j.type,
    etat: j.etat,
    mode: j.mode,
    simulation: j.simulation === 1,
    format: j.format,
    nomFichier: j.nomFichier,
    client: j.client,
    lignesLues: j.lignesLues,
    lignesEcrites: j.creees + j.misesAJour,
    lignesRejetees: j.lignesRejetees,
    creees: j.creees,
    misesAJour: j.misesAJour,
    inchangees: j.inchangees,
    annulationDemandee: j.annulationDemandee === 1,
    lignesTotal: j.lignesTotal ?? null,
    debit,
    resteSecondes,
    creeLe: new Date(j.creeLe).toISOString(),
    debutLe: j.debutLe ? new Date(j.debutLe).toISOString() : null,
    finLe: j.finLe ? new Date(j.finLe).toISOString() : null,
    erreur: j.erreur ? JSON.parse(j.erreur) : null,
  };
}

/**
 * A rejected row's values as JSON of at most `max` characters (4 bytes each at worst: within a MySQL
 * TEXT): past it, each value is cut to 500 characters and the columns past the 200th are dropped, both
 * said in the JSON (`…[tronqué : N caractères]`, `"…": "N colonne(s) non gardée(s)"`).
 */
export function valeursBornees(valeurs: Record<string, unknown>, max = 16_000): string {
  const complet = JSON.stringify(valeurs);
  if (complet.length <= max) return complet;
  const entrees = Object.entries(valeurs);
  const gardees: Record<string, unknown> = {};
  let taille = 2;
  let n = 0;
  for (const [k, v] of entrees) {
    const texte = typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…[tronqué : ${v.length} caractères]` : v;
    const morceau = JSON.stringify({ [k.slice(0, 200)]: texte }).length;
    if (n >= 200 || taille + morceau > max - 100) break;
    gardees[k.slice(0, 200)] = texte;
    taille += morceau;
    n++;
  }
  if (n < entrees.length) gardees['…'] = `${entrees.length - n} colonne(s) non gardée(s)`;
  return JSON.stringify(gardees);
}
