/**
 * Ports the use cases call out through; src/persistence and src/adapters implement them, test/fakes
 * has in-memory versions. The application never sees TypeORM nor a file format library.
 */
import type { Catalogue, EntreeNomenclature } from '../domain/nomenclatures';
import type { IdentiteOpi } from '../domain/opi/doublons';
import type { Readable } from 'node:stream';
import type { Probleme } from '../domain/errors';
import type {
  ClientApiLigne,
  CleApiLigne,
  ComptePersonnelLigne,
  SessionLigne,
  AdresseRefuseeLigne,
  HistoriquePieceLigne,
  PieceLigne,
  RelanceLigne,
  DoublonOpiLigne,
  EvenementLigne,
  IdempotenceLigne,
  IndividuOpiLigne,
  InscriptionLigne,
  JobLigne,
  JournalLigne,
  LaissezPasserLigne,
  RejetLigne,
  VoeuOpiLigne,
} from './enregistrements';

export type VerdictInes = 'VALIDE' | 'INVALIDE' | 'INDISPONIBLE';

/** Online check of an RNIE-form INE (9 digits + 2 letters) by the INES service. */
export interface VerificateurInes {
  verifier(nne: string, cle: string): Promise<VerdictInes>;
}

export type LigneIndividu = Omit<IndividuOpiLigne, 'id'>;
export type LigneVoeu = Omit<VoeuOpiLigne, 'id' | 'individuOpiId'>;
export type LigneVoeuDe = Omit<VoeuOpiLigne, 'id'>;
export type LigneLp = Omit<LaissezPasserLigne, 'id'>;
export type OpiResumee = Pick<IndividuOpiLigne, 'codOpiIntEpo' | 'codEtuOpi' | 'codNneIndOpi' | 'codCleNneIndOpi'>;

export interface CritereOpi {
  ine?: { nne: string; cle: string };
  cleNom?: string;
  clePrenom?: string;
  dateNai?: string;
  codEtu?: number;
}

/** What an upsert needs of the stored OPI: its id, version and content hash. */
export type EtatOpi = Pick<IndividuOpiLigne, 'id' | 'version' | 'empreinte'>;

/** Another OPI that may be the same person, with the reasons already recorded for the pair. */
export type CandidatDoublon = IdentiteOpi & { motifsConnus: string[] };

export interface DepotOpiPort {
  /** Locks the row (MariaDB) until the end of the transaction. */
  trouverPourMiseAJour(codOpiIntEpo: string): Promise<EtatOpi | null>;
  lire(codOpiIntEpo: string): Promise<IndividuOpiLigne | null>;
  voeuxDe(individuOpiId: number): Promise<VoeuOpiLigne[]>;
  voeuxDePlusieurs(ids: number[]): Promise<VoeuOpiLigne[]>;
  creer(ligne: LigneIndividu): Promise<IndividuOpiLigne>;
  mettreAJour(id: number, ligne: Partial<LigneIndividu>): Promise<void>;
  /** `nouveau`: the individu was created in this transaction (it has no vœux yet). */
  remplacerVoeux(individuOpiId: number, voeux: LigneVoeu[], options?: { nouveau?: boolean }): Promise<void>;
  candidatsDoublons(id: IdentiteOpi): Promise<CandidatDoublon[]>;
  /** Without a lock, in one indexed query (a second for the known pairs, when there are candidates): the stored state of the OPI and the candidates `candidatsDoublons` would give. */
  etatEtCandidats(codOpiIntEpo: string, id: Omit<IdentiteOpi, 'id'>): Promise<{ etat: EtatOpi | null; candidats: CandidatDoublon[] }>;
  doublonsConnus(individuOpiId: number): Promise<DoublonOpiLigne[]>;
  /** A file's chunk: the stored states of these OPIs, locked, by number. */
  etatsPourMiseAJour(codes: string[]): Promise<Map<string, EtatOpi>>;
  /** A file's chunk: new individus, their ids by number. */
  creerPlusieurs(lignes: LigneIndividu[]): Promise<Map<string, number>>;
  /** A file's chunk: the vœux of `aVider` deleted, then `voeux` inserted. */
  remplacerVoeuxDePlusieurs(aVider: number[], voeux: LigneVoeuDe[]): Promise<void>;
  /** A file's chunk: every stored individu sharing a search criterion (`partageUnCritere`) with one of these identities. */
  partageantUnCritere(identites: Omit<IdentiteOpi, 'id' | 'codOpiIntEpo'>[]): Promise<IdentiteOpi[]>;
  /** A file's chunk: the duplicate pairs recorded for these individus, `idExistant|motif` by individu. */
  pairesConnues(ids: number[]): Promise<Map<number, Set<string>>>;
  ajouterDoublons(lignes: Omit<DoublonOpiLigne, 'id'>[]): Promise<void>;
  /** Possible duplicate pairs, newest first; `decidees`: false = undecided only, true = decided only. */
  listerDoublons(f: { decidees?: boolean; avant?: number; limite: number }): Promise<DoublonOpiLigne[]>;
  lireDoublon(id: number): Promise<DoublonOpiLigne | null>;
  deciderDoublon(id: number, decision: string, par: string, le: Date): Promise<void>;
  rechercher(critere: CritereOpi, limite: number): Promise<IndividuOpiLigne[]>;
  /** OPIs by number, for the LP consistency check. */
  parCodes(codes: string[]): Promise<Map<string, OpiResumee>>;
  /** OPIs by id order after `apresId` (paging over every OPI), optionally created since a date. */
  page(apresId: number, limite: number, depuis?: Date): Promise<IndividuOpiLigne[]>;
  /** OPIs of an individual known by any identifier. */
  deIndividu(ids: { codOpiIntEpo?: string; codEtu?: number; ine?: { nne: string; cle: string } }): Promise<IndividuOpiLigne[]>;
}

export interface CritereLp {
  codAnu?: string;
  codOpiIntEpo?: string;
  codEtu?: string;
  ine?: string;
  codEtp?: string;
  codVrsVet?: number;
  jobId?: string;
  avant?: number;
}

export interface DepotLpPort {
  parCles(cles: string[]): Promise<Map<string, Pick<LaissezPasserLigne, 'id' | 'cle' | 'empreinte' | 'version'>>>;
  /** Multi-row insert; the ids in input order when `avecIds`. */
  inserer(lignes: LigneLp[], avecIds: boolean): Promise<number[]>;
  mettreAJour(id: number, ligne: Partial<LigneLp>): Promise<void>;
  lire(id: number): Promise<LaissezPasserLigne | null>;
  supprimer(id: number): Promise<boolean>;
  rechercher(f: CritereLp, limite: number): Promise<LaissezPasserLigne[]>;
  pourIndividu(ids: { codOpiIntEpo: string[]; codEtu: string[]; ine: string[] }, codAnu: string): Promise<LaissezPasserLigne[]>;
}

export interface DepotInscriptionsPort {
  parCleActive(cle: string): Promise<InscriptionLigne | null>;
  /** `verrou`: held until the end of the transaction (MariaDB). */
  lire(id: number, verrou?: boolean): Promise<InscriptionLigne | null>;
  inserer(ligne: Omit<InscriptionLigne, 'id'>): Promise<number>;
  mettreAJour(id: number, maj: Partial<InscriptionLigne>): Promise<void>;
  rechercher(
    egal: Partial<Record<'codAnu' | 'codOpiIntEpo' | 'codEtu' | 'ine' | 'codEtp' | 'etat', string>>,
    avant: number | undefined,
    limite: number,
  ): Promise<InscriptionLigne[]>;
  evenements(inscriptionId: number): Promise<EvenementLigne[]>;
  ajouterEvenement(e: Omit<EvenementLigne, 'id'>): Promise<void>;
}

export interface FiltreJournal {
  depuis?: Date;
  jusqua?: Date;
  porte?: string;
  operation?: string;
  client?: string;
  /** Any of these spellings of the key (as typed, upper-cased). */
  cle?: string[];
  individu?: string;
  resultat?: string;
  requestId?: string;
  /** The replays of this row. */
  rejeuDe?: number;
  /** Rows with this error code among theirs. */
  code?: string;
  /** Cursor: entries with an id lower than this (newest first). */
  avant?: number;
  limite: number;
}

/** Which kept messages a bulk replay takes. */
export interface FiltreRejeu {
  code?: string;
  porte?: string;
  operation?: string;
  client?: string;
  individu?: string;
  depuis?: Date;
  jusqua?: Date;
  /** Only rows up to this id (the set a job works through does not grow while it runs). */
  jusquaId: number;
  /** Also the messages already replayed with success. */
  forcer?: boolean;
}

/** A kept payload, as sealed (the key id and the encrypted text). */
export interface ChargeScellee {
  cle: string;
  donnees: string;
}

export interface DepotJournalPort {
  ecrire(ligne: Omit<JournalLigne, 'id'>): Promise<number>;
  /**
   * In a transaction, the row is written with the commit and the promise gives its id once committed:
   * it must not be awaited inside the transaction (it would wait for its own commit). Outside one, `ecrire`.
   */
  ecrireAuCommit(ligne: Omit<JournalLigne, 'id'>): Promise<number>;
  ecrirePlusieurs(lignes: Omit<JournalLigne, 'id'>[]): Promise<void>;
  ajouterAuNombre(id: number, n: number): Promise<void>;
  lire(f: FiltreJournal): Promise<JournalLigne[]>;
  lireUne(id: number): Promise<JournalLigne | null>;
  /** The payload of row `journalId`, kept beside it (in the same transaction). */
  ecrireCharge(journalId: number, recuLe: Date, charge: ChargeScellee): Promise<void>;
  lireCharge(journalId: number): Promise<ChargeScellee | null>;
  /** Of these rows, those with a kept payload. */
  chargesGardees(ids: number[]): Promise<Set<number>>;
  /** Rows of the replays of row `id` that were accepted (a replay refused again applied nothing). */
  rejeuxDe(id: number): Promise<number[]>;
  dernierId(): Promise<number>;
  /** Ids, ascending, of rows with a kept payload matching `f`, after `apresId`. */
  idsRejouables(f: FiltreRejeu, apresId: number, limite: number): Promise<number[]>;
  compterRejouables(f: FiltreRejeu): Promise<number>;
}

export interface DepotIdempotencePort {
  lire(client: string, cle: string): Promise<IdempotenceLigne | null>;
  /** In a transaction, may be written with its commit: a concurrent first use of the key then fails the commit (and the retry replays it). */
  enregistrer(ligne: IdempotenceLigne): Promise<void>;
}

export interface CompteursPaquet {
  lues: number;
  rejetees: number;
  creees: number;
  misesAJour: number;
  inchangees: number;
  traitees: number;
}

export interface FiltreJobs {
  type?: string;
  etat?: string;
  client?: string;
  depuis?: Date;
  avant?: string;
  limite: number;
}

export interface DepotJobsPort {
  creer(job: JobLigne): Promise<void>;
  lire(id: string): Promise<JobLigne | null>;
  maj(id: string, champs: Partial<JobLigne>): Promise<void>;
  ajouterCompteurs(id: string, c: CompteursPaquet): Promise<void>;
  ajouterRejets(rejets: Omit<RejetLigne, 'id'>[]): Promise<void>;
  supprimerRejets(jobId: string): Promise<void>;
  rejets(jobId: string, apres: number, limite: number): Promise<RejetLigne[]>;
  /** Unfinished jobs whose lease is free (never taken, or expired). */
  aReprendre(maintenant: Date): Promise<JobLigne[]>;
  libererBaux(moi: string): Promise<void>;
  /** Takes or renews the lease: one conditional UPDATE, two instances cannot both win. */
  prendreBail(id: string, moi: string, jusqua: Date, maintenant: Date): Promise<boolean>;
  /** Newest first; `avant` is the cursor (creation time + id of the last job seen). */
  lister(f: FiltreJobs): Promise<JobLigne[]>;
}

export interface FichierNomenclature {
  nom: string;
  libelle: string;
  source?: string;
  codes: (EntreeNomenclature & { cle: string })[];
}

export interface DepotNomenclaturesPort {
  remplacer(fichiers: FichierNomenclature[], maintenant: Date): Promise<void>;
  listerNomenclatures(): Promise<{ nom: string; libelle: string; source: string | null; nombre: number; chargeLe: Date }[]>;
  toutes(): Promise<Record<string, EntreeNomenclature[]>>;
  version(): Promise<string>;
}

export interface DepotPiecesPort {
  /** Locks the row (MariaDB) until the end of the transaction. */
  trouver(codOpiIntEpo: string, codTpj: string, verrou?: boolean): Promise<PieceLigne | null>;
  deOpi(codOpiIntEpo: string): Promise<PieceLigne[]>;
  dePlusieurs(codes: string[]): Promise<PieceLigne[]>;
  inserer(ligne: Omit<PieceLigne, 'id'>): Promise<number>;
  mettreAJour(id: number, maj: Partial<PieceLigne>): Promise<void>;
  ajouterHistorique(h: Omit<HistoriquePieceLigne, 'id'>): Promise<void>;
  historique(pieceId: number): Promise<HistoriquePieceLigne[]>;
  /** Every file address still referenced (current files and history): what the cleanup keeps. */
  empreintesReferencees(): Promise<Set<string>>;
}

export interface DepotRelancesPort {
  /** Records the reminder of a period; false if one exists already (unique individual + period). */
  reserver(ligne: Omit<RelanceLigne, 'id'>): Promise<boolean>;
  terminer(codOpiIntEpo: string, periode: string, etat: string, erreur: string | null): Promise<void>;
  dePeriode(periode: string): Promise<RelanceLigne[]>;
  adresseRefusee(adresse: string): Promise<AdresseRefuseeLigne | null>;
  refuserAdresse(ligne: AdresseRefuseeLigne): Promise<void>;
}

export interface DepotSessionsPort {
  creer(l: SessionLigne): Promise<void>;
  lire(id: string): Promise<SessionLigne | null>;
  toucher(id: string, vueLe: Date): Promise<void>;
  supprimer(id: string): Promise<void>;
  /** Every session of an account (disabled, or its password changed). */
  supprimerDuCompte(compte: string): Promise<number>;
  purgerExpirees(avant: Date): Promise<number>;
}

/** Every store, bound to one transaction (or, for `lecture`, to no transaction). */
export interface Depots {
  opi: DepotOpiPort;
  lp: DepotLpPort;
  inscriptions: DepotInscriptionsPort;
  journal: DepotJournalPort;
  idempotence: DepotIdempotencePort;
  jobs: DepotJobsPort;
  nomenclatures: DepotNomenclaturesPort;
  pieces: DepotPiecesPort;
  relances: DepotRelancesPort;
  verrous: DepotVerrousPort;
  notifications: DepotNotificationsPort;
  identites: DepotIdentitesPort;
  sessions: DepotSessionsPort;
}

export interface OptionsTransaction {
  tentatives?: number;
  /**
   * A request's transaction: past the store's deadline (a frozen database) it fails as "database
   * unavailable" instead of waiting. Not for the job engine: its chunk must not be redone while the
   * abandoned one could still commit.
   */
  borne?: boolean;
}

export interface UniteDeTravailPort {
  /** Runs `travail` in one transaction, retried as a whole on transient conflicts; resolves after the commit. */
  executer<T>(travail: (d: Depots) => Promise<T>, options?: OptionsTransaction): Promise<T>;
  /** Stores for reads outside any transaction. Writes go through `executer` (or `ecrireSeul`). */
  readonly lecture: Depots;
  /**
   * One write that needs no transaction around it (a journal row alone): autocommitted on MariaDB/MySQL
   * (one statement, no START/COMMIT), queued behind the other writes on SQLite; retried like
   * `executer`. Resolves once it is durable (one statement: the driver's query timeout bounds it).
   */
  ecrireSeul<T>(travail: (d: Depots) => Promise<T>): Promise<T>;
  /** Reads outside a transaction, bounded like a transaction: a frozen server gives an error in time, not a hang. */
  lireBorne<T>(travail: (d: Depots) => Promise<T>): Promise<T>;
  /** Transactions retried since start (monitoring). */
  readonly rejeux: number;
}

// --- campaign statistics -----------------------------------------------------------------------

/** What the dashboard counts, read in a few grouped queries. */
export interface DepotStatistiquesPort {
  /** Accepted writes per day (YYYY-MM-DD, UTC), door and client, since `depuis`. */
  recusParJour(depuis: Date): Promise<{ jour: string; porte: string; client: string; n: number }[]>;
  /** Refusals since `depuis`, grouped by their exact list of codes. */
  rejetsParCodes(depuis: Date): Promise<{ codes: string | null; n: number }[]>;
  inscriptionsParEtat(codAnu: string): Promise<{ etat: string; n: number }[]>;
  piecesParStatut(): Promise<{ statut: string; n: number }[]>;
}

// --- retention and personal data ----------------------------------------------------------------

/** The kinds of rows purged by age. */
export type NatureConservee = 'charges' | 'journal' | 'rejets' | 'idempotence';

/** The identifiers of one person, as the records name them. */
export interface IdentifiantsPersonne {
  codOpiIntEpo: string[];
  codEtu: string[];
  ine: string[];
}

/** Everything held about one person, as stored (rows as objects; PJ files by their address). */
export interface DossierPersonne {
  opi: Record<string, unknown>[];
  voeux: Record<string, unknown>[];
  doublons: Record<string, unknown>[];
  laissezPasser: Record<string, unknown>[];
  inscriptions: Record<string, unknown>[];
  evenementsInscription: Record<string, unknown>[];
  pieces: Record<string, unknown>[];
  historiquePieces: Record<string, unknown>[];
  relances: Record<string, unknown>[];
  /** What is owed or was sent to Parcoursup about them (name, INE, birth date). */
  notifications: Record<string, unknown>[];
  journal: Record<string, unknown>[];
}

/**
 * Deletions by age and by person, in small batches (each its own short transaction: no long lock),
 * and the gathering of one person's records. Outside `Depots`: maintenance work, never part of a request.
 */
export interface DepotConservationPort {
  /** Rows of `nature` older than `avant`: deleted `taille` at a time, or only counted (`simulation`). */
  purgerAvant(nature: NatureConservee, avant: Date, o: { simulation: boolean; taille: number }): Promise<number>;
  /** OPI numbers of campaign `campagne` or earlier whose person has no IA in that campaign or a later one. */
  opiSansInscription(campagne: string, finCampagne: Date): Promise<string[]>;
  /** Ids of the LPs of campaign `campagne` or earlier whose person has no IA in that campaign or a later one. */
  lpSansInscription(campagne: string): Promise<{ id: number; individu: string | null }[]>;
  /** File addresses of the PJ (current and past versions) of these OPIs. */
  empreintesPieces(codes: string[]): Promise<string[]>;
  compterPieces(codes: string[]): Promise<number>;
  /** Whether any OPI, LP or IA still names this individual (`OPI:…`, `ETU:…`, `INE:…`). */
  detenu(individu: string): Promise<boolean>;
  /** Of these addresses, those no PJ row refers to any more. */
  empreintesOrphelines(empreintes: string[]): Promise<string[]>;
  effacerPieces(codes: string[], taille: number): Promise<number>;
  effacerOpi(codes: string[], taille: number): Promise<number>;
  effacerLp(ids: number[], taille: number): Promise<number>;
  /** Journal rows of these individuals (`OPI:…`, `ETU:…`, `INE:…`) keep their metadata without who: their kept payloads go. */
  anonymiserJournal(individus: string[], taille: number): Promise<{ lignes: number; charges: number }>;
  /** The identifiers of the person one of them names (through their OPIs and LPs). */
  identifiantsDe(individu: string): Promise<IdentifiantsPersonne>;
  rassembler(ids: IdentifiantsPersonne): Promise<DossierPersonne>;
}

/** Kept payloads encrypted at rest; the key id stored with each one lets keys rotate. */
export interface CoffreCharges {
  readonly cleCourante: string;
  chiffrer(texte: string): { cle: string; donnees: string };
  connait(cle: string): boolean;
  /** Throws when the key is unknown or the text was altered. */
  dechiffrer(cle: string, donnees: string): string;
}

/** Error classes the pipeline maps to catalogue errors (driver-specific, so known by persistence). */
export interface DiagnosticBase {
  estBaseIndisponible(err: unknown): boolean;
  estRejouable(err: unknown): boolean;
  estViolationUnicite(err: unknown): boolean;
}

// --- files ---------------------------------------------------------------------------------------

export type FormatLot = 'csv' | 'xlsx' | 'json';
export type ValeurLue = string | number | boolean | null;
export interface LigneLue {
  numLigne: number;
  valeurs: Record<string, ValeurLue>;
}
export interface OptionsLecture {
  format: FormatLot;
  encodage?: 'utf-8' | 'windows-1252';
  separateur?: ';' | ',';
  /** Known column names (header cells are matched case-insensitively, renamed to this spelling). */
  colonnes: readonly string[];
  /** Data rows to skip (already processed: resume). */
  sauter?: number;
}
export interface EnteteLot {
  colonnes: string[];
  inconnues: string[];
  doublons?: string[];
  encodage?: string;
  separateur?: string;
}

/** Streaming readers of bulk files (CSV, XLSX, JSON arrays): the job engine's only view of a file. */
export interface LecteurFichiers {
  lireEntete(fichier: string, options: OptionsLecture): Promise<EnteteLot>;
  lireLignes(fichier: string, options: OptionsLecture): AsyncGenerator<LigneLue>;
}

// --- supporting documents ------------------------------------------------------------------------

/** Facts read from a file's bytes, never from its name or its declared type. */
export interface AnalyseurFichiers {
  /** The real media type (magic numbers); undefined when no known type is recognised. */
  typeReel(fichier: string): Promise<string | undefined>;
  /** What a maintained PDF parser makes of the file. */
  verifierPdf(fichier: string): Promise<'OK' | 'ILLISIBLE' | 'CHIFFRE'>;
}

/**
 * The document store: content-addressed by SHA-256 (the same bytes are stored once). A local folder by
 * default; an S3-compatible object store fits the same port.
 */
export interface StockageDocuments {
  /** Stores a file already on disk (the caller keeps and removes its own copy); written whole or not at all. */
  deposer(fichier: string): Promise<{ empreinte: string; taille: number }>;
  lire(empreinte: string): Promise<Readable>;
  existe(empreinte: string): Promise<boolean>;
  supprimer(empreinte: string): Promise<void>;
  /** Every stored address (for the cleanup of unreferenced files). */
  lister(): AsyncIterable<string>;
}

/** Outgoing e-mail. `refuse`: the server refused the address (never write to it again). */
export interface Messagerie {
  envoyer(m: { a: string; sujet: string; texte: string }): Promise<{ accepte: true } | { accepte: false; adresseRefusee: boolean; erreur: string }>;
}

// --- task leases ---------------------------------------------------------------------------------

/** A lease on a task one instance at a time runs (table `verrou_tache`). */
export interface VerrouTacheLigne {
  nom: string;
  proprietaire: string;
  jusqua: Date;
}

/** Leases of the tasks one instance at a time runs, across nodes (the reminder of missing documents). */
export interface DepotVerrousPort {
  /** Takes (or renews) the lease `nom` until `jusqua`: free, expired at `maintenant`, or already ours. Two instances cannot both win. */
  prendre(nom: string, moi: string, jusqua: Date, maintenant: Date): Promise<boolean>;
  /** Gives the lease back (only if it is ours). */
  liberer(nom: string, moi: string): Promise<void>;
}

/** Clients, their API keys and the staff accounts. */
export interface DepotIdentitesPort {
  /** The key with this SHA-256 and its client, whatever their state (the caller checks revocation and expiry). */
  cleParEmpreinte(empreinte: string): Promise<{ cle: CleApiLigne; client: ClientApiLigne } | null>;
  clientParNom(nom: string): Promise<ClientApiLigne | null>;
  clients(): Promise<ClientApiLigne[]>;
  clesDe(clientId: number): Promise<CleApiLigne[]>;
  creerClient(l: Omit<ClientApiLigne, 'id'>): Promise<ClientApiLigne>;
  modifierClient(id: number, l: Partial<Omit<ClientApiLigne, 'id'>>): Promise<void>;
  ajouterCle(l: Omit<CleApiLigne, 'id'>): Promise<CleApiLigne>;
  modifierCle(id: number, l: Partial<Pick<CleApiLigne, 'expireLe' | 'revoqueLe'>>): Promise<void>;
  compte(identifiant: string): Promise<ComptePersonnelLigne | null>;
  comptes(): Promise<ComptePersonnelLigne[]>;
  creerCompte(l: Omit<ComptePersonnelLigne, 'id'>): Promise<ComptePersonnelLigne>;
  modifierCompte(id: number, l: Partial<Omit<ComptePersonnelLigne, 'id' | 'identifiant'>>): Promise<void>;
  /** Whether any credential can sign in at `maintenant` (a live key of a live client, or an active account). */
  existeActif(maintenant: Date): Promise<boolean>;
}

// --- platform imports ----------------------------------------------------------------------------
// What a platform module (src/adapters/platforms/) gives the OPI import: one candidate per row (or per
// pushed payload), turned into the one canonical OPI, checked afterwards by the same schema and rules.

export type Plateforme = 'parcoursup' | 'eef' | 'pegase' | 'ecandidat';

export interface ContexteMappage {
  /** Nomenclatures, `correspondances-formations` included. */
  catalogue: Catalogue;
  /** Campaign year (`codAnu`), for OPI numbers. */
  codAnu: string;
  /** A file that carries no formation code (Parcoursup's gestion export): the formation of every row. */
  formationFichier?: { codeFormationPsup?: string; codEtp?: string; codVrsVet?: number };
}

export interface CandidatMappe {
  plateforme: Plateforme;
  /** The candidate's number on the platform (`numero_candidat`, `codeCandidat`…). */
  idPlateforme: string;
  /** The canonical OPI record when the mapping could build one (it may still fail the schema or the rules). */
  opi?: Record<string, unknown>;
  /** Problems of the mapping (unknown or unmapped codes, bad dates…); `path` is the column or field name. */
  problemes: Probleme[];
  /** Canonical path → the column (or field) it came from: schema and rule problems are reported by column. */
  colonnes: Record<string, string>;
}

/** One file format of the OPI import (`parcoursup-csv`, `eef-csv`, `pegase`, `pegase-inscription`). */
export interface FormatImport {
  nom: string;
  plateforme: Plateforme;
  /** Accepted columns (header cells are matched case-insensitively, trimmed). */
  colonnes: readonly string[];
  /** Columns that must be in the header for the file to be of this format. */
  colonnesObligatoires: readonly string[];
  mapper(valeurs: Record<string, ValeurLue>, ctx: ContexteMappage): CandidatMappe;
}

// --- outgoing notifications (outbox) -------------------------------------------------------------

/** A_ENVOYER: waiting for its turn or its next attempt; ENVOYEE: acknowledged by the receiver; ECHEC: attempts exhausted or refused for good (retryable by hand). */
export type EtatNotification = 'A_ENVOYER' | 'ENVOYEE' | 'ECHEC';

/** A notification the gateway owes another system (table `notification_sortante`). */
export interface NotificationLigne {
  id: number;
  /** What it is and where it goes (`PARCOURSUP_MAJ_IA`). */
  type: string;
  /** Whose it is (the Parcoursup candidate number): the notifications of one `cle` are delivered in `ordre`. */
  cle: string;
  /** 1, 2, 3… per type and `cle`, in the order the changes were committed. */
  ordre: number;
  /** What is sent (JSON), without the credentials the adapter adds. */
  corps: string;
  etat: EtatNotification | string;
  tentatives: number;
  /** Not sent before this instant (backoff). */
  prochaineTentative: Date;
  derniereErreur: string | null;
  creeLe: Date;
  envoyeeLe: Date | null;
}

export interface FiltreNotifications {
  type?: string;
  etat?: string;
  cle?: string;
  /** Cursor: notifications with an id lower than this (newest first). */
  avant?: number;
  limite: number;
}

/** The outbox. Written in the transaction of the change a notification reports; delivered by src/application/notifications.ts. */
export interface DepotNotificationsPort {
  /**
   * Appends a notification after the last one of its type and `cle` (`ordre` = last + 1). Two
   * concurrent appends for one `cle` cannot take the same number (unique key): the later one fails and
   * the unit of work replays its transaction.
   */
  ajouter(n: Omit<NotificationLigne, 'id' | 'ordre'>): Promise<NotificationLigne>;
  lire(id: number): Promise<NotificationLigne | null>;
  /** Newest first (id descending). */
  lister(f: FiltreNotifications): Promise<NotificationLigne[]>;
  /**
   * What may be sent now, oldest due first: A_ENVOYER, due at `maintenant`, of one of `types`, and the
   * first of its type and `cle` not yet ENVOYEE (no earlier one is A_ENVOYER or ECHEC).
   */
  aEnvoyer(types: readonly string[], maintenant: Date, limite: number): Promise<NotificationLigne[]>;
  /** Updates the row if it is still as `si` says (etat and tentatives): a delivery and a manual retry cannot both win. */
  modifierSi(id: number, si: Pick<NotificationLigne, 'etat' | 'tentatives'>, maj: Partial<Omit<NotificationLigne, 'id'>>): Promise<boolean>;
}

/** The outcome of one delivery: acknowledged, or failed (`definitif`: the receiver refused it, retrying the same request will not help). */
export type ResultatEnvoi = { ok: true } | { ok: false; erreur: string; definitif: boolean };

/** Delivers one type of notification to its receiver (src/adapters/platforms/notificateur-parcoursup.ts). Never throws. */
export interface Notificateur {
  readonly type: string;
  envoyer(corps: Record<string, unknown>): Promise<ResultatEnvoi>;
}
