/**
 * The one pipeline every request goes through, whatever its door: it names and times the operation,
 * replays or refuses an `Idempotency-Key`, runs the use case, writes the journal row and the
 * idempotency record IN THE SAME TRANSACTION as the business write (one commit per accepted record;
 * the row of a refusal, a read or an unchanged re-send is written alone, grouped with the other rows
 * written alone at that moment — `JournalGroupe`), maps unexpected failures to catalogue errors
 * and counts everything in the metrics. Doors only translate into and out of it.
 */
import type { Logger } from '../observability/logger';
import type { Metriques } from '../observability/metriques';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { jsonStable, sha256 } from '../domain/empreinte';
import { OPERATIONS, type NomOperation } from './registre';
import type { ChargeScellee, CoffreCharges, Depots, DiagnosticBase, UniteDeTravailPort } from './ports';
import type { JournalLigne } from './enregistrements';
import { RefusAgreges } from './refus-agreges';
import { JournalGroupe } from './journal-groupe';
import { autorise, opiAutorisee } from '../domain/securite';
import { caracteresInterdits } from './validation';

export type Porte = 'REST' | 'SOAP' | 'BATCH' | 'CLI';

export interface ContexteAppel {
  porte: Porte;
  /** Who called: the authenticated client or account, else `anonyme` (never a name the request declares). */
  client: string;
  /** Its scopes; undefined = unrestricted (an install without credentials, the CLI, the scheduler). */
  portees?: ReadonlySet<string>;
  /** The OPI-number prefixes it is bound to; undefined = any OPI. */
  prefixesOpi?: readonly string[];
  requestId: string;
  /** Source address (refusals before authentication are aggregated by it). */
  adresse?: string;
  /** A replay: the journal row of the message replayed (the new row links to it). */
  rejeuDe?: number;
}

/** What the journal records of a use case's outcome. */
export interface IssueOperation {
  /** CREE, MIS_A_JOUR, INCHANGE, LU… (default OK). */
  resultat?: string;
  avertissements?: Probleme[];
}

/** How a use case is plugged into the pipeline: a write (prepare outside, write in a transaction) or a read. */
export interface DefinitionOperation<E, P, R> {
  /** Business key of the request (journal `cle`), from the raw input; the result may know it better. */
  cle?(entree: E, r?: R): string | undefined;
  /** The individual's key (`OPI:`/`ETU:`/`INE:`), from the raw input or the result. */
  individu?(entree: E, r?: R): string | undefined;
  /** Checks and reads that need no transaction (schema, rules, nomenclatures, remote checks). */
  preparer?(entree: E, ctx: ContexteAppel): Promise<P>;
  /** The write, in the transaction given. */
  ecrire?(p: P, d: Depots, ctx: ContexteAppel): Promise<R>;
  /**
   * The result when the preparation already knows there is nothing to write (an unchanged re-send):
   * then only its journal row is written, without a transaction (one INSERT with the other rows written
   * alone at that moment). Not used with an
   * Idempotency-Key (its record is written with the row) nor in a simulation.
   */
  sansEcriture?(p: P): R | undefined;
  /** After the commit, before answering (e.g. queue the job just recorded). */
  apresCommit?(r: R, p: P): Promise<void>;
  /** A read. */
  lire?(entree: E, ctx: ContexteAppel): Promise<R>;
  /** Journal outcome and success status. */
  issue?(r: R): IssueOperation;
  statut?(r: R): number;
}

export interface DemandeIdempotence {
  /** The `Idempotency-Key` header. */
  cle: string;
  /** Hash of what makes the request (body, mode…): the same key with another hash is a conflict. */
  empreinte: string;
}

export interface OptionsExecution<R> {
  idempotence?: DemandeIdempotence;
  /** The door's answer, stored with the idempotency record (REST). */
  reponse?(r: R): { statut: number; corps: unknown };
  /** What the journal hashes (default: the input). */
  charge?: unknown;
  /** The door's own checks of the request (content type, parameters): refused like any input. */
  controle?(): void;
  /** Run the write and roll it back: the outcome, nothing kept, no journal row. */
  simulation?: boolean;
}

export interface Execution<R> {
  /** The use case's result; absent for a replayed answer. */
  valeur?: R;
  statut: number;
  corps?: unknown;
  rejouee: boolean;
  /** The journal row written (none for a simulation). */
  journalId?: number;
}

/** A declared operation, its input and result types erased (each door names the result type it expects). */
type Def = DefinitionOperation<unknown, unknown, unknown>;

const REJOUEE = Symbol('rejouee');
/** Largest sealed payload kept (base64 characters, about 1.5 MB): far above any record or list a door accepts. */
const CHARGE_GARDEE_MAX = 2_000_000;
/** Thrown inside a simulated write's transaction to roll it back, carrying what it would have answered. */
class Simulation {
  constructor(readonly sortie: { r: unknown; statut: number }) {}
}

export class Pipeline {
  private readonly definitions = new Map<string, Def>();
  /** Errors already journaled (by `executer` or `refuser`): a door's error handler must not journal them again. */
  private readonly journalisees = new WeakSet<object>();
  /** The journal row of a refusal, for a replay's answer. */
  private readonly lignesDesRefus = new WeakMap<object, number>();
  readonly refusAgreges: RefusAgreges;
  /** The journal rows written without a business write, grouped. */
  private readonly groupe: JournalGroupe;

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly diagnostic: DiagnosticBase,
    private readonly logger: Logger,
    private readonly metriques?: Metriques,
    /** Where the input of replayable operations is sealed before it is kept (none: nothing kept, no replay). */
    readonly coffre?: CoffreCharges,
  ) {
    this.refusAgreges = new RefusAgreges(unite, logger);
    this.groupe = new JournalGroupe(unite, diagnostic);
  }

  declarer<E, P, R>(nom: NomOperation, def: DefinitionOperation<E, P, R>): void {
    if (this.definitions.has(nom)) throw new Error(`opération déclarée deux fois : ${nom}`);
    this.definitions.set(nom, def as unknown as Def);
  }

  /** Every declared operation (the tests check that each one of the registry has its use case). */
  declarees(): string[] {
    return [...this.definitions.keys()];
  }

  async executer<R>(ctx: ContexteAppel, nom: NomOperation, entree: unknown, options: OptionsExecution<R> = {}): Promise<Execution<R>> {
    const def = this.definitions.get(nom);
    if (!def) throw new Error(`opération non déclarée : ${nom}`);
    const meta = OPERATIONS[nom];
    const debut = process.hrtime.bigint();
    const recuLe = new Date();
    const charge = options.charge ?? entree;
    const base = {
      recuLe,
      porte: ctx.porte,
      operation: nom,
      client: ctx.client,
      requestId: ctx.requestId,
      empreinte: charge === undefined ? null : empreinteDe(charge),
      rejeuDe: ctx.rejeuDe ?? null,
    };
    // The canonical input of a replayable write is kept (sealed) beside its journal row, accepted or
    // refused — not a caller's without the right to send it, nor one larger than any record.
    let scellee: ChargeScellee | null | undefined;
    const sceller = () => {
      if (scellee === undefined) {
        const garder = this.coffre && 'rejouable' in meta && meta.rejouable && !options.simulation && entree !== undefined;
        const c = garder ? this.coffre!.chiffrer(JSON.stringify(entree)) : null;
        scellee = c && c.donnees.length <= CHARGE_GARDEE_MAX ? c : null;
        if (c && !scellee) this.logger.warn('message trop grand pour être gardé', { requestId: ctx.requestId, operation: nom, octets: c.donnees.length });
      }
      return scellee ?? undefined;
    };
    const duree = () => Number((process.hrtime.bigint() - debut) / 1_000_000n);
    const cleDe = (r?: R) =>
      tronquer(
        sur(() => def.cle?.(entree, r)),
        100,
      );
    const individuDe = (r?: R) =>
      tronquer(
        sur(() => def.individu?.(entree, r)),
        40,
      );
    const ligneSucces = (r: R, statut: number): Omit<JournalLigne, 'id'> => {
      const issue = def.issue?.(r) ?? {};
      const avert = issue.avertissements ?? [];
      return {
        ...base,
        cle: cleDe(r),
        individu: individuDe(r),
        resultat: issue.resultat ?? 'OK',
        statut,
        nombre: 1,
        codes: codes(avert),
        dureeMs: duree(),
        details: avert.length ? detailsJson(avert) : null,
      };
    };
    const idem = options.idempotence;
    try {
      this.verifierAcces(ctx, nom, entree);
      // Forbidden characters are refused as sent, before any normalisation could drop them silently.
      const interdits = caracteresInterdits(entree && typeof entree === 'object' && 'corps' in entree ? entree.corps : entree, '');
      if (interdits.length) throw new ErreurMetier(interdits, 422);
      options.controle?.();
      if (idem && idem.cle.length > 200)
        throw ErreurMetier.une('PARAMETRE_INVALIDE', 'Idempotency-Key', { detail: 'Idempotency-Key : 200 caractères au plus' });
      // Fast path for a retry: the stored answer, without preparing anything again.
      if (idem) {
        const deja = await this.rejeu(this.unite.lecture, ctx, nom, idem);
        if (deja) return await this.journaliserRejeu(base, deja, cleDe(), individuDe(), duree());
      }
      if (meta.nature === 'lecture' || def.lire) {
        const r = (await def.lire!(entree, ctx)) as R;
        const statut = this.statutSucces(def, r, ctx);
        if (!('sansJournal' in meta && meta.sansJournal)) await this.ecrireJournal(ligneSucces(r, statut));
        else this.compter(ligneSucces(r, statut));
        return { valeur: r, statut, rejouee: false };
      }
      const p = def.preparer ? await def.preparer(entree, ctx) : (entree as unknown);
      // Sealed before the transaction, which stays as short as before.
      const charge = sur(sceller);
      const connu = idem || options.simulation ? undefined : (def.sansEcriture?.(p) as R | undefined);
      if (connu !== undefined) {
        const reponse = options.reponse?.(connu);
        const statut = reponse?.statut ?? this.statutSucces(def, connu, ctx);
        const ligne = ligneSucces(connu, statut);
        const journalId = await this.ecrireLigneSeule(ligne, charge);
        this.compter(ligne);
        return { valeur: connu, statut, corps: reponse?.corps, rejouee: false, journalId };
      }
      const sortie = await this.unite
        .executer(
          async (d) => {
            // A concurrent first use of the same key committed meanwhile: its answer is ours.
            if (idem) {
              const deja = await this.rejeu(d, ctx, nom, idem);
              if (deja) return { [REJOUEE]: deja };
            }
            const r = (await def.ecrire!(p, d, ctx)) as R;
            const statut = this.statutSucces(def, r, ctx);
            if (options.simulation) throw new Simulation({ r, statut });
            const reponse = options.reponse?.(r);
            const ligne = ligneSucces(r, reponse?.statut ?? statut);
            // Without a payload to keep beside it (which needs its id now), the row goes with the commit.
            const journalId = charge ? await journaliser(d, ligne, charge) : d.journal.ecrireAuCommit(ligne);
            if (idem && reponse && reponse.statut < 500) {
              await d.idempotence.enregistrer({
                client: ctx.client,
                cle: idem.cle,
                operation: nom,
                empreinteRequete: idem.empreinte,
                statut: reponse.statut,
                reponse: JSON.stringify(reponse.corps),
                creeLe: new Date(),
              });
            }
            return { r, statut: reponse?.statut ?? statut, corps: reponse?.corps, ligne, journalId };
          },
          { borne: true },
        )
        .catch((e: unknown) => {
          if (e instanceof Simulation) return { simulee: e.sortie as { r: R; statut: number } };
          throw e;
        });
      if ('simulee' in sortie) return { valeur: sortie.simulee.r, statut: sortie.simulee.statut, rejouee: false };
      if (REJOUEE in sortie) return await this.journaliserRejeu(base, sortie[REJOUEE]!, cleDe(), individuDe(), duree());
      this.compter(sortie.ligne);
      // The write is committed and journaled: what follows cannot turn it into a refusal (a job whose
      // file could not be moved fails when it runs, visibly).
      await def
        .apresCommit?.(sortie.r, p)
        .catch((err) => this.logger.error('après validation', { requestId: ctx.requestId, operation: nom, err: String(err) }));
      return { valeur: sortie.r, statut: sortie.statut, corps: sortie.corps, rejouee: false, journalId: await sortie.journalId };
    } catch (err) {
      const erreur = this.traduire(err, ctx, nom);
      if (options.simulation) throw erreur;
      const conflit = erreur.problemes.some((x) => x.code === 'IDEMPOTENCE_CONFLIT');
      const journalId = await this.ecrireJournal(
        {
          ...base,
          cle: cleDe(),
          individu: individuDe(),
          nombre: 1,
          resultat: conflit ? 'CONFLIT_IDEMPOTENCE' : erreur.status >= 500 ? 'ERREUR' : 'REJETE',
          statut: erreur.status,
          codes: codes(erreur.problemes),
          dureeMs: duree(),
          details: detailsJson(erreur.problemes),
        },
        erreur.status === 401 || erreur.status === 403 || erreur.status === 429 ? undefined : sur(sceller),
      );
      this.journalisees.add(erreur);
      if (journalId !== undefined) this.lignesDesRefus.set(erreur, journalId);
      throw erreur;
    }
  }

  /**
   * A request refused before any use case ran (malformed body, size limit, bad parameter, unknown
   * path…): one journal row, in its own transaction. `cle` and `individu` when the door knows them.
   */
  async refuser(ctx: ContexteAppel, operation: string, erreur: ErreurMetier, extra: { charge?: unknown; cle?: string; individu?: string } = {}): Promise<void> {
    if (this.journalisees.has(erreur)) return;
    this.journalisees.add(erreur);
    if (erreur.status === 401) return this.refuserAuthentification(ctx, operation);
    await this.ecrireJournal({
      recuLe: new Date(),
      porte: ctx.porte,
      operation: operation.slice(0, 80),
      client: ctx.client,
      requestId: ctx.requestId,
      cle: tronquer(extra.cle, 100),
      individu: tronquer(extra.individu, 40),
      nombre: 1,
      empreinte: extra.charge === undefined ? null : empreinteDe(extra.charge),
      resultat: 'REJETE',
      statut: erreur.status,
      codes: codes(erreur.problemes),
      dureeMs: 0,
      details: detailsJson(erreur.problemes),
    });
  }

  /**
   * The caller's scope for the operation, then, for a client bound to prefixes, the OPI it names.
   * `executer` calls it first; a door that streams an upload calls it before reading the body.
   */
  verifierAcces(ctx: ContexteAppel, nom: NomOperation, entree?: unknown): void {
    const def = this.definitions.get(nom);
    const portee = OPERATIONS[nom].portee;
    if (ctx.portees && !autorise(ctx.portees, portee)) throw ErreurMetier.une('PORTEE_INSUFFISANTE', '', { operation: nom, portee });
    if (!ctx.prefixesOpi) return;
    const individu = entree === undefined ? undefined : sur(() => def?.individu?.(entree));
    if (individu?.startsWith('OPI:') && !opiAutorisee(individu.slice(4), ctx.prefixesOpi, ctx.portees))
      throw ErreurMetier.une('OPI_HORS_PERIMETRE', '', { codOpiIntEpo: individu.slice(4), prefixes: ctx.prefixesOpi.join(', ') });
  }

  /** The success status the client gets: REST's own (201, 202, 204…); a SOAP answer is always HTTP 200. */
  private statutSucces(def: Def, r: unknown, ctx: ContexteAppel): number {
    return ctx.porte === 'REST' ? (def.statut?.(r) ?? 200) : 200;
  }

  /** A read run without journal or scope check (a replay's before/after states); null when not found. */
  async lireDirect<R>(nom: NomOperation, entree: unknown, ctx: ContexteAppel): Promise<R | null> {
    try {
      return ((await this.definitions.get(nom)?.lire?.(entree, ctx)) as R) ?? null;
    } catch (err) {
      if (err instanceof ErreurMetier && err.status === 404) return null;
      throw err;
    }
  }

  /** What the journal records of a result of operation `nom` (outcome, warning codes). */
  issueDe(nom: NomOperation, r: unknown): { resultat: string; codes: string[] } {
    const issue = this.definitions.get(nom)?.issue?.(r) ?? {};
    return { resultat: issue.resultat ?? 'OK', codes: [...new Set((issue.avertissements ?? []).map((x) => x.code))] };
  }

  /** The journal row of a refusal `executer` threw, if it was written. */
  ligneDuRefus(err: unknown): number | undefined {
    return typeof err === 'object' && err !== null ? this.lignesDesRefus.get(err) : undefined;
  }

  /** Whether this error already has its journal row. */
  estJournalisee(err: unknown): boolean {
    return typeof err === 'object' && err !== null && this.journalisees.has(err);
  }

  /** A refusal before authentication (401): counted, journaled as one row per source address and minute. */
  refuserAuthentification(ctx: ContexteAppel, operation: string): void {
    this.metriques?.operation(ctx.porte, operation, 'NON_AUTHENTIFIE', 0);
    this.refusAgreges.compter(ctx, operation);
  }

  /** A request over its rate limit (429): counted, journaled like the 401s (one row per address, client and minute). */
  refuserDebit(ctx: ContexteAppel, operation: string, erreur: ErreurMetier): void {
    this.journalisees.add(erreur);
    this.metriques?.operation(ctx.porte, operation, 'TROP_DE_REQUETES', 0);
    this.refusAgreges.compter(ctx, operation, 'TROP_DE_REQUETES', 429);
  }

  /** Business errors pass as they are; anything else becomes a catalogue error and is logged with its stack. */
  traduire(err: unknown, ctx: ContexteAppel, operation: string): ErreurMetier {
    if (err instanceof ErreurMetier) return err;
    if (this.diagnostic.estBaseIndisponible(err)) {
      this.logger.error('base indisponible', { requestId: ctx.requestId, operation, err: String(err) });
      return new ErreurMetier([probleme('BASE_INDISPONIBLE', '')], 503);
    }
    if (this.diagnostic.estRejouable(err)) {
      this.logger.warn('conflit concurrent après rejeux', { requestId: ctx.requestId, operation, err: String(err) });
      return new ErreurMetier([probleme('CONFLIT_CONCURRENT', '')], 409);
    }
    this.logger.error('erreur interne', { requestId: ctx.requestId, operation, err: err instanceof Error ? err.stack : String(err) });
    return new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: ctx.requestId })], 500);
  }

  /** Journal rows built elsewhere (a job's rejected rows), written in the caller's transaction. */
  lignesJournal(lignes: Omit<JournalLigne, 'id'>[]): Omit<JournalLigne, 'id'>[] {
    for (const l of lignes) this.compter(l);
    return lignes;
  }

  private async rejeu(d: Depots, ctx: ContexteAppel, nom: string, idem: DemandeIdempotence): Promise<{ statut: number; corps: unknown } | undefined> {
    const deja = await d.idempotence.lire(ctx.client, idem.cle);
    if (!deja) return undefined;
    if (deja.empreinteRequete !== idem.empreinte || deja.operation !== nom) {
      throw ErreurMetier.une('IDEMPOTENCE_CONFLIT', 'Idempotency-Key', { cle: idem.cle });
    }
    return { statut: deja.statut, corps: JSON.parse(deja.reponse) as unknown };
  }

  private async journaliserRejeu(
    base: Omit<JournalLigne, 'id' | 'cle' | 'individu' | 'resultat' | 'statut' | 'codes' | 'dureeMs' | 'details' | 'nombre'>,
    deja: { statut: number; corps: unknown },
    cle: string | null,
    individu: string | null,
    dureeMs: number,
  ): Promise<Execution<never>> {
    await this.ecrireJournal({ ...base, cle, individu, resultat: 'REPONSE_REJOUEE', statut: deja.statut, codes: null, dureeMs, details: null, nombre: 1 });
    return { statut: deja.statut, corps: deja.corps, rejouee: true };
  }

  private compter(ligne: Omit<JournalLigne, 'id'>): void {
    this.metriques?.operation(ligne.porte, ligne.operation, ligne.resultat, ligne.dureeMs);
    const niveau = ligne.statut >= 500 ? 'error' : ligne.statut >= 400 ? 'warn' : 'info';
    // winston builds and streams the entry before its level filter drops it: asked first.
    if (!this.logger.isLevelEnabled(niveau)) return;
    this.logger.log(niveau, 'operation', {
      requestId: ligne.requestId,
      porte: ligne.porte,
      operation: ligne.operation,
      client: ligne.client,
      cle: ligne.cle,
      individu: ligne.individu,
      resultat: ligne.resultat,
      statut: ligne.statut,
      codes: ligne.codes,
      dureeMs: ligne.dureeMs,
    });
  }

  /**
   * A row with no business write beside it: with its kept payload in one short transaction; a replay's
   * row alone (its id is answered); any other grouped with the rows written alone at that moment (no id).
   */
  private async ecrireLigneSeule(ligne: Omit<JournalLigne, 'id'>, charge?: ChargeScellee): Promise<number | undefined> {
    if (charge) return this.unite.executer((d) => journaliser(d, ligne, charge), { borne: true });
    if (ligne.rejeuDe != null) return this.unite.ecrireSeul((d) => d.journal.ecrire(ligne));
    await this.groupe.ecrire(ligne);
  }

  /** A refusal's or a read's row: written alone; a failure is logged, never turned into the request's outcome. */
  private async ecrireJournal(ligne: Omit<JournalLigne, 'id'>, charge?: ChargeScellee): Promise<number | undefined> {
    this.compter(ligne);
    try {
      return await this.ecrireLigneSeule(ligne, charge);
    } catch (err) {
      // The outcome stands (nothing was written, or it is a read); the missing audit row is loud.
      this.logger.error('journal non écrit', { requestId: ligne.requestId, operation: ligne.operation, err: String(err) });
    }
  }
}

/** A journal row and, when there is one, the sealed payload kept beside it. */
async function journaliser(d: Depots, ligne: Omit<JournalLigne, 'id'>, charge?: ChargeScellee): Promise<number> {
  const id = await d.journal.ecrire(ligne);
  if (charge) await d.journal.ecrireCharge(id, ligne.recuLe, charge);
  return id;
}

function sur<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export function empreinteDe(charge: unknown): string {
  return sha256(typeof charge === 'string' ? charge : jsonStable(charge));
}

export function codes(p: Probleme[]): string | null {
  return p.length ? tronquer([...new Set(p.map((x) => x.code))].join(','), 1000) : null;
}

/**
 * The problems as JSON for the journal, always valid JSON and at most ~16,000 characters (a MySQL TEXT
 * holds 64 KiB): past that, the list is cut and ends with one item saying how many were left out.
 */
export function detailsJson(problemes: Probleme[], max = 16_000): string {
  const complet = JSON.stringify(problemes);
  if (complet.length <= max) return complet;
  const gardes: Probleme[] = [];
  let taille = 2;
  for (const p of problemes) {
    const t = JSON.stringify(p).length + 1;
    if (taille + t > max - 200) break;
    gardes.push(p);
    taille += t;
  }
  const reste = problemes.length - gardes.length;
  return JSON.stringify([
    ...gardes,
    { code: 'TRONQUE', path: '', message: `${reste} autre(s) problème(s) non journalisé(s) ; voir la réponse ou le rapport du chargement.` },
  ]);
}

export function tronquer(s: string | null | undefined, n: number): string | null {
  if (s === null || s === undefined) return null;
  return s.length > n ? s.slice(0, n) : s;
}
