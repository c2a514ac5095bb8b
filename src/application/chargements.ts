/**
 * Bulk loads of laissez-passer from a file (CSV, XLSX, JSON array), as jobs:
 * - the file is kept on disk until its job is done; rows are STREAMED from it, never held at once;
 * - partial mode: chunks of rows are validated then written, each chunk in ONE transaction together
 *   with its rejected rows and the job's counters and resume point, so a crash loses nothing that
 *   was counted and a restart resumes after the last committed chunk, without duplicates (and a
 *   re-processed row would only be "unchanged": writes are upserts by identity);
 * - all-or-nothing: a first pass validates every row (rejects are recorded); if one is bad nothing
 *   is written; otherwise a second pass writes every row in one transaction.
 * One job runs at a time per process; jobs found EN_ATTENTE/EN_COURS at start are resumed.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../observability/logger';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { lireEntete, lireLignes, type FormatLot, type LigneLue } from '../adapters/batch/lecteurs';
import type { DepotJobs } from '../persistence/depot-jobs';
import type { Job, JobRejet } from '../persistence/entities';
import type { UniteDeTravail } from '../persistence/unite-de-travail';
import { bilanListe, type ModeLot, type ServiceLp, type LignePreparee, type ResultatLigne } from './laissez-passer';
import type { Operations } from './operation';
import type { Metriques } from '../observability/metriques';

/** Column names accepted in LP files: Apogée's V2 names, plus our extensions. */
export const COLONNES_LP = ['typLpa', 'codAnu', 'numOPI', 'codEtu', 'codEtp', 'codVrsVet', 'codDip', 'codVrsVdi', 'codRgi', 'codStu', 'libCmtLpa',
  'codCatOuiSi', 'mtfCat', 'codCatExoExt', 'ine', 'codCge', 'dateDebutValidite', 'dateFinValidite', 'codOpiIntEpo'] as const;

export const TAILLE_PAQUET = 500;

export interface OptionsChargement {
  format: FormatLot;
  mode: ModeLot;
  nomFichier?: string;
  encodage?: 'utf-8' | 'windows-1252';
  separateur?: ';' | ',';
  empreinte?: string;
}

export interface EtatJob {
  id: string;
  type: string;
  etat: string;
  mode: string;
  format: string;
  nomFichier: string | null;
  client: string;
  lignesLues: number;
  lignesEcrites: number;
  lignesRejetees: number;
  creees: number;
  misesAJour: number;
  inchangees: number;
  creeLe: string;
  debutLe: string | null;
  finLe: string | null;
  erreur: Probleme[] | null;
}

export class ServiceChargements {
  private file: Promise<void> = Promise.resolve();
  private readonly enCours = new Set<string>();
  /** Resolvers waiting for a job's end (`attendre`). */
  private readonly attentes = new Map<string, (() => void)[]>();
  /** Monitoring counters (rows loaded), when the composition root gives them. */
  metriques?: Metriques;
  /** Called after each committed chunk of a partial load (progress logs; tests use it to stop mid-way). */
  apresPaquet?: (jobId: string, lignesTraitees: number) => void | Promise<void>;
  /** Set at shutdown: jobs stop between two chunks and stay EN_COURS, to be resumed at next start. */
  private arretDemande = false;

  /** This instance's name in job leases. */
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Lease length: far above one chunk (< 1 s); an all-or-nothing load holds it for its whole write. */
  dureeBailMs = 2 * 60_000;
  private balayage?: NodeJS.Timeout;

  constructor(
    private readonly jobs: DepotJobs,
    private readonly lp: ServiceLp,
    private readonly unite: UniteDeTravail,
    private readonly ops: Operations,
    private readonly logger: Logger,
    readonly dossier: string,
  ) {}

  /**
   * Accepts an uploaded file (already on disk at `fichierTemp`): checks its header, records the job,
   * queues it. Throws (and removes the file) when the header has unknown columns.
   */
  async accepter(fichierTemp: string, options: OptionsChargement, client: string, requestId: string): Promise<EtatJob> {
    const id = randomUUID();
    const fichier = path.join(this.dossier, `${id}.${options.format}`);
    try {
      const entete = await lireEntete(fichierTemp, { format: options.format, colonnes: COLONNES_LP, encodage: options.encodage, separateur: options.separateur });
      if (entete.inconnues.length) {
        throw new ErreurMetier(entete.inconnues.map((c) => probleme('COLONNE_INCONNUE', `entete.${c}`, { colonne: c, colonnes: COLONNES_LP.join(', ') })), 422);
      }
      if (options.format !== 'json' && !entete.colonnes.length) throw ErreurMetier.une('LOT_VIDE', '');
      await fs.mkdir(this.dossier, { recursive: true });
      await fs.rename(fichierTemp, fichier);
      const job: Job = {
        id, type: 'LP_CHARGEMENT', etat: 'EN_ATTENTE', mode: options.mode, format: options.format, fichier,
        nomFichier: options.nomFichier?.slice(0, 255) ?? null, encodage: (entete.encodage as string | undefined) ?? options.encodage ?? null,
        separateur: (entete.separateur as string | undefined) ?? options.separateur ?? null, client, requestId, empreinte: options.empreinte ?? null,
        lignesLues: 0, lignesRejetees: 0, creees: 0, misesAJour: 0, inchangees: 0, lignesTraitees: 0, erreur: null,
        proprietaire: null, bailJusqua: null, creeLe: new Date(), debutLe: null, finLe: null,
      };
      await this.jobs.creer(job);
      this.planifier(id);
      return versEtat(job);
    } catch (err) {
      await fs.rm(fichierTemp, { force: true });
      throw err;
    }
  }

  /** Resumes the jobs a stopped (or dead) instance left unfinished, once their lease has expired. */
  async reprendre(): Promise<string[]> {
    if (this.arretDemande) return [];
    const jobs = (await this.jobs.aReprendre(new Date())).filter((j) => !this.enCours.has(j.id));
    for (const j of jobs) this.planifier(j.id);
    if (jobs.length) this.logger.info('chargements repris', { jobs: jobs.map((j) => j.id) });
    return jobs.map((j) => j.id);
  }

  async etat(id: string): Promise<EtatJob> {
    const job = await this.jobs.lire(id);
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
      this.attentes.set(id, [...(this.attentes.get(id) ?? []), () => { clearTimeout(t); resolve(); }]);
    });
    return this.etat(id);
  }

  async rejets(id: string, apres = 0, limite = 1000): Promise<JobRejet[]> {
    await this.etat(id);
    return this.jobs.rejets(id, apres, limite);
  }

  /** Looks for orphaned jobs (lease expired) every `intervalleMs`. */
  demarrerBalayage(intervalleMs = 60_000): void {
    this.balayage = setInterval(() => {
      this.reprendre().catch((err) => this.logger.error('balayage des chargements', { err: String(err) }));
    }, intervalleMs);
    this.balayage.unref();
  }

  /**
   * Stops after the chunk being written, then releases this instance's leases so that the next start
   * (or another instance) resumes at once. After a crash nothing is released: the lease expires.
   */
  async arreter(): Promise<void> {
    this.arretDemande = true;
    if (this.balayage) clearInterval(this.balayage);
    await this.inactif();
    await this.jobs.libererBaux(this.instance);
  }

  private finDeBail(mode: string): Date {
    return new Date(Date.now() + (mode === 'tout-ou-rien' ? 15 * this.dureeBailMs : this.dureeBailMs));
  }

  /** Resolves when every queued job has run (used by tests and at shutdown). */
  async inactif(): Promise<void> {
    let precedent: Promise<void> | undefined;
    while (precedent !== this.file) {
      precedent = this.file;
      await this.file;
    }
  }

  private planifier(id: string): void {
    if (this.enCours.has(id)) return;
    this.enCours.add(id);
    this.file = this.file.then(() => this.executer(id)).catch((err) => {
      this.logger.error('chargement en échec', { jobId: id, err: err instanceof Error ? err.stack : String(err) });
    }).finally(() => {
      this.enCours.delete(id);
      for (const r of this.attentes.get(id) ?? []) r();
      this.attentes.delete(id);
    });
  }

  /** Runs (or resumes) one job to its end. */
  async executer(id: string): Promise<void> {
    if (this.arretDemande) return;
    const job = await this.jobs.lire(id);
    if (!job || estFini(job.etat)) return;
    // Another instance holding a valid lease runs it; if that instance dies, the lease expires and a
    // later sweep (`reprendre`) of any instance takes the job over from its last committed chunk.
    if (!(await this.jobs.prendreBail(undefined, id, this.instance, this.finDeBail(job.mode), new Date()))) return;
    await this.jobs.maj(undefined, id, { etat: 'EN_COURS', debutLe: job.debutLe ?? new Date() });
    try {
      if (job.mode === 'tout-ou-rien') await this.toutOuRien(job);
      else await this.partiel(job);
      const fini = (await this.jobs.lire(id))!;
      if (!estFini(fini.etat)) return; // interrupted by a shutdown: resumed at next start
      await fs.rm(job.fichier, { force: true });
      await this.journaliserFin(fini);
    } catch (err) {
      if (err === ARRET) return;
      const erreur = err instanceof ErreurMetier ? err.problemes : [probleme('ERREUR_INTERNE', '', { requestId: job.requestId })];
      if (!(err instanceof ErreurMetier)) this.logger.error('chargement interrompu', { jobId: id, err: err instanceof Error ? err.stack : String(err) });
      await this.jobs.maj(undefined, id, { etat: 'ECHOUE', erreur: JSON.stringify(erreur), finLe: new Date() });
      await this.journaliserFin((await this.jobs.lire(id))!);
    }
  }

  private lignes(job: Job, sauter: number): AsyncGenerator<LigneLue> {
    return lireLignes(job.fichier, {
      format: job.format as FormatLot, colonnes: COLONNES_LP, sauter,
      encodage: (job.encodage ?? undefined) as 'utf-8' | 'windows-1252' | undefined,
      separateur: (job.separateur ?? undefined) as ';' | ',' | undefined,
    });
  }

  private async *paquets(job: Job, sauter: number): AsyncGenerator<LigneLue[]> {
    let paquet: LigneLue[] = [];
    for await (const ligne of this.lignes(job, sauter)) {
      paquet.push(ligne);
      if (paquet.length >= TAILLE_PAQUET) {
        yield paquet;
        paquet = [];
      }
    }
    if (paquet.length) yield paquet;
  }

  private preparer(paquet: LigneLue[]): Promise<LignePreparee[]> {
    return this.lp.preparer(paquet.map((l) => ({ rang: l.numLigne, brut: valeursLp(l) })));
  }

  private async partiel(job: Job): Promise<void> {
    let traitees = job.lignesTraitees;
    for await (const paquet of this.paquets(job, job.lignesTraitees)) {
      if (this.arretDemande) return;
      const prepares = await this.preparer(paquet);
      await this.unite.executer(async (em) => {
        // The lease is renewed with the chunk; lost (another instance took the job over) → stop, roll back.
        if (!(await this.jobs.prendreBail(em, job.id, this.instance, this.finDeBail(job.mode), new Date()))) throw ARRET;
        const resultats = await this.lp.ecrire(em, prepares, job.client, job.id, { ids: false });
        await this.jobs.ajouterRejets(em, rejetsDe(job.id, resultats, paquet));
        const { creees, misesAJour, inchangees, rejetees } = bilanListe(resultats);
        await this.jobs.ajouterCompteurs(em, job.id, { creees, misesAJour, inchangees, rejetees, lues: paquet.length, traitees: paquet.length });
      });
      traitees += paquet.length;
      if (this.metriques) this.metriques.lignesChargees += paquet.length;
      this.logger.debug('chargement : paquet écrit', { jobId: job.id, lignesTraitees: traitees });
      await this.apresPaquet?.(job.id, traitees);
    }
    await this.jobs.maj(undefined, job.id, { etat: 'TERMINE', finLe: new Date() });
  }

  private async toutOuRien(job: Job): Promise<void> {
    // A resumed all-or-nothing job starts over: nothing of it was committed.
    await this.jobs.supprimerRejets(undefined, job.id);
    await this.jobs.maj(undefined, job.id, { lignesLues: 0, lignesRejetees: 0, creees: 0, misesAJour: 0, inchangees: 0, lignesTraitees: 0 });
    let lues = 0;
    let rejetees = 0;
    for await (const paquet of this.paquets(job, 0)) {
      const prepares = await this.preparer(paquet);
      const resultats: ResultatLigne[] = prepares.map((x) => ({ rang: x.rang, statut: x.problemes.length ? 'REJETE' : 'NON_ECRIT', problemes: x.problemes }));
      const rejets = rejetsDe(job.id, resultats, paquet);
      await this.jobs.ajouterRejets(undefined, rejets);
      lues += paquet.length;
      rejetees += rejets.length;
    }
    if (lues === 0) throw ErreurMetier.une('LOT_VIDE', '');
    if (rejetees > 0) {
      await this.jobs.maj(undefined, job.id, { etat: 'REJETE', lignesLues: lues, lignesRejetees: rejetees, finLe: new Date() });
      return;
    }
    await this.unite.executer(async (em) => {
      const total = { creees: 0, misesAJour: 0, inchangees: 0 };
      for await (const paquet of this.paquets(job, 0)) {
        if (this.arretDemande) throw ARRET; // rolls the whole load back; it restarts from the beginning
        const resultats = await this.lp.ecrire(em, await this.preparer(paquet), job.client, job.id, { ids: false });
        const c = bilanListe(resultats);
        // The rows were valid a moment ago; a row refused now (nomenclature reloaded meanwhile) aborts all.
        if (c.rejetees) throw new ErreurMetier(resultats.flatMap((r) => r.problemes ?? []), 422);
        total.creees += c.creees;
        total.misesAJour += c.misesAJour;
        total.inchangees += c.inchangees;
      }
      await this.jobs.maj(em, job.id, {
        creees: total.creees, misesAJour: total.misesAJour, inchangees: total.inchangees,
        lignesLues: lues, lignesTraitees: lues, etat: 'TERMINE', finLe: new Date(),
      });
    }, { tentatives: 3 });
  }

  private async journaliserFin(job: Job): Promise<void> {
    const erreurs: Probleme[] = job.erreur ? JSON.parse(job.erreur) : [];
    const ctx = { porte: 'BATCH' as const, client: job.client, requestId: job.requestId };
    const resume = `${job.lignesLues} lues, ${job.creees} créées, ${job.misesAJour} mises à jour, ${job.inchangees} inchangées, ${job.lignesRejetees} rejetées`;
    await this.ops.executer(ctx, 'lp.chargement.fin', { cle: job.id }, async () => {
      if (job.etat === 'ECHOUE') throw new ErreurMetier(erreurs.length ? erreurs : [probleme('ERREUR_INTERNE', '', { requestId: job.requestId })], 500);
      this.logger.info('chargement terminé', { jobId: job.id, etat: job.etat, resume });
      return { resultat: job.etat, cle: job.id };
    }).catch(() => undefined);
  }
}

const ARRET = new Error('arrêt demandé');

function estFini(etat: string): boolean {
  return etat === 'TERMINE' || etat === 'REJETE' || etat === 'ECHOUE';
}

/** A file row as an LP record: empty cells are absent; unknown extra cells are refused by the schema. */
function valeursLp(l: LigneLue): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(l.valeurs)) if (x !== null && x !== '') v[k] = typeof x === 'number' || typeof x === 'boolean' ? String(x) : x;
  return v;
}

function rejetsDe(jobId: string, resultats: ResultatLigne[], paquet: LigneLue[]): Omit<JobRejet, 'id'>[] {
  const parLigne = new Map(paquet.map((l) => [l.numLigne, l]));
  return resultats.filter((r) => r.statut === 'REJETE').map((r) => {
    const valeurs = parLigne.get(r.rang)?.valeurs ?? {};
    // Paths name the file's own column: `numOPI` when the file spells the OPI number that way.
    const colonneOpi = 'numOPI' in valeurs && !('codOpiIntEpo' in valeurs);
    const problemes = (r.problemes ?? []).map((p) => (colonneOpi && p.path === 'codOpiIntEpo' ? { ...p, path: 'numOPI' } : p));
    return {
      jobId, numLigne: r.rang,
      codes: [...new Set(problemes.map((p) => p.code))].join(',').slice(0, 500),
      problemes: JSON.stringify(problemes),
      valeurs: JSON.stringify(valeurs),
    };
  });
}

function versEtat(j: Job): EtatJob {
  return {
    id: j.id, type: j.type, etat: j.etat, mode: j.mode, format: j.format, nomFichier: j.nomFichier, client: j.client,
    lignesLues: j.lignesLues, lignesEcrites: j.creees + j.misesAJour, lignesRejetees: j.lignesRejetees,
    creees: j.creees, misesAJour: j.misesAJour, inchangees: j.inchangees,
    creeLe: new Date(j.creeLe).toISOString(), debutLe: j.debutLe ? new Date(j.debutLe).toISOString() : null,
    finLe: j.finLe ? new Date(j.finLe).toISOString() : null, erreur: j.erreur ? JSON.parse(j.erreur) : null,
  };
}
