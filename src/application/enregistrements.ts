/**
 * The stored records as the application sees them (plain data). The TypeORM entities of
 * src/persistence implement these; the use cases never see TypeORM.
 */

/**
 * One OPI individu (Apogée IND_OPI), identified by `codOpiIntEpo`. The searchable and rule-relevant
 * fields are columns; the complete canonical record (bac, addresses, sub-DTOs) is kept in `donnees`.
 */
export interface IndividuOpiLigne {
  id: number;
  codOpiIntEpo: string;
  codEtuOpi: number | null;
  libNomPatIndOpi: string;
  libNomUsuIndOpi: string | null;
  libPr1IndOpi: string;
  /** Comparison keys: upper case without accents, for the duplicate search. */
  cleNomPat: string;
  clePr1: string;
  /** ISO date `YYYY-MM-DD` (a calendar date, no time zone). */
  dateNaiIndOpi: string;
  /** INE split as in Apogée: the number (10, or 9 for the RNIE form) and its key (1 or 2). */
  codNneIndOpi: string | null;
  codCleNneIndOpi: string | null;
  codSexEtuOpi: string | null;
  codPayNat: string | null;
  codRgi: string | null;
  codStu: string | null;
  /** Campaign year of the OPI's vœux (`codAnu`, set at each write; see CAMPAGNE_COD_ANU). */
  codAnu: string | null;
  /** The canonical record without its vœux (JSON). */
  donnees: string;
  /** SHA-256 of the canonical record with its vœux: a resend with the same hash changes nothing. */
  empreinte: string;
  source: string;
  version: number;
  creeLe: Date;
  modifieLe: Date;
}

/** One vœu of an OPI (Apogée VOEUX_INS), unique per (individu, CGE, étape, version). */
export interface VoeuOpiLigne {
  id: number;
  individuOpiId: number;
  /** Position in the list sent (0-based), to give the vœux back in the order received. */
  rang: number;
  numCls: number;
  codCge: string;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codCmp: string | null;
  codDecVeu: string;
  codDemDos: string;
  codRge: string | null;
  codCatOuiSi: string | null;
  mtfCat: string | null;
  codCatExoExt: string | null;
  comExoExt: string | null;
  /** The complete canonical vœu (JSON). */
  donnees: string;
}

/** A possible duplicate individual, found when an OPI was written (reported as a warning, kept here). */
export interface DoublonOpiLigne {
  id: number;
  individuOpiId: number;
  codOpiIntEpo: string;
  individuOpiIdExistant: number;
  codOpiIntEpoExistant: string;
  /** DOUBLON_INE, DOUBLON_COD_ETU or DOUBLON_ETAT_CIVIL. */
  motif: string;
  detecteLe: Date;
  /** MEME_PERSONNE or PERSONNES_DIFFERENTES once decided, who decided and when. */
  decision?: string | null;
  decidePar?: string | null;
  decideLe?: Date | null;
}

/** Audit journal: one row per message received, whatever its door and outcome. */
export interface JournalLigne {
  id: number;
  recuLe: Date;
  /** REST, SOAP or BATCH. */
  porte: string;
  operation: string;
  client: string;
  requestId: string;
  /** The business key concerned (OPI number…), when known. */
  cle: string | null;
  /** SHA-256 of the payload received. */
  empreinte: string | null;
  /** CREE, MIS_A_JOUR, INCHANGE, LU, REJETE, ERREUR… */
  resultat: string;
  statut: number;
  /** Error and warning codes, comma-separated. */
  codes: string | null;
  dureeMs: number;
  /** Problems (JSON) for a rejection; nothing of the payload itself. */
  details: string | null;
  /** The individual concerned (`OPI:…`, `ETU:…`, `INE:…`), one format for every door. */
  individu: string | null;
  /** Requests this row stands for: 1, or more for the aggregated refusals before authentication. */
  nombre: number;
  /** For a replay: the row of the message replayed. */
  rejeuDe?: number | null;
}

/** A staff member signed in to the console (only the token's SHA-256 is kept). */
export interface SessionLigne {
  id: string;
  compte: string;
  role: string;
  csrf: string;
  origine: string;
  creeLe: Date;
  vueLe: Date;
  expireLe: Date;
}

/**
 * One laissez-passer (Apogée TELEM_LAISSER_PASSER / _OPI), unique per (individual, year, étape, version):
 * `cle` = `<OPI:code|ETU:num|INE:ine>|codAnu|codEtp|codVrsVet`.
 */
export interface LaissezPasserLigne {
  id: number;
  cle: string;
  typLpa: string;
  codAnu: string;
  codOpiIntEpo: string | null;
  codEtu: string | null;
  ine: string | null;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codCge: string | null;
  codRgi: string | null;
  codStu: string | null;
  codCatOuiSi: string | null;
  mtfCat: string | null;
  codCatExoExt: string | null;
  libCmtLpa: string | null;
  dateDebutValidite: string | null;
  dateFinValidite: string | null;
  /** Who created / last changed it (the authenticated client or account; `anonyme` on an install without credentials). */
  source: string;
  /** The bulk load that last wrote it, if any. */
  jobId: string | null;
  empreinte: string;
  version: number;
  creeLe: Date;
  modifieLe: Date;
}

/** A bulk load: its file on disk, its progress (committed with each chunk) and its counts. */
export interface JobLigne {
  id: string;
  type: string;
  /** EN_ATTENTE, EN_COURS, TERMINE, REJETE (all-or-nothing refused), ECHOUE. */
  etat: string;
  /** partiel | tout-ou-rien */
  mode: string;
  format: string;
  fichier: string;
  nomFichier: string | null;
  encodage: string | null;
  separateur: string | null;
  client: string;
  requestId: string;
  empreinte: string | null;
  lignesLues: number;
  lignesRejetees: number;
  creees: number;
  misesAJour: number;
  inchangees: number;
  /** Data rows fully processed and committed (resume point after a crash). */
  lignesTraitees: number;
  erreur: string | null;
  /** The gateway instance running the job, and until when its lease holds (renewed with each chunk). */
  proprietaire: string | null;
  bailJusqua: Date | null;
  creeLe: Date;
  debutLe: Date | null;
  finLe: Date | null;
  /** 1: a dry-run (every row validated, nothing written). */
  simulation: number;
  /** 1: cancellation asked; the job stops at its next chunk boundary. */
  annulationDemandee: number;
  /** Data rows in the file when known (counted at acceptance), for progress and ETA. */
  lignesTotal: number | null;
  /** The job type's own parameters (JSON): an import's format, the formation of a whole file, a second file… */
  parametres: string | null;
}

/** One rejected row of a bulk load, with its problems. */
export interface RejetLigne {
  id: number;
  jobId: string;
  numLigne: number;
  codes: string;
  /** Problems (JSON: code, path, message). */
  problemes: string;
  /** The row as read (JSON), to correct and resend it. */
  valeurs: string | null;
  /** The row's identifiers (JSON: platform id, OPI number), for the report. */
  identifiants: string | null;
}

/** An `Idempotency-Key` already answered: a retry with the same key and body gets the same answer. */
export interface IdempotenceLigne {
  client: string;
  cle: string;
  operation: string;
  empreinteRequete: string;
  statut: number;
  reponse: string;
  creeLe: Date;
}

/**
 * One administrative enrolment (IA): one individual, one year, one étape/version. `cleActive` is the
 * identity (individual|codAnu|codEtp|codVrsVet) while the IA is not cancelled (unique), NULL after.
 */
export interface InscriptionLigne {
  id: number;
  cleActive: string | null;
  codAnu: string;
  codOpiIntEpo: string | null;
  codEtu: string | null;
  ine: string | null;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codCge: string | null;
  etat: string;
  codRgi: string | null;
  codStu: string | null;
  codCatOuiSi: string | null;
  codCatExoExt: string | null;
  boursier: number;
  numBoursier: string | null;
  profilExonerant: string | null;
  codPayNat: string | null;
  numeroCvec: string | null;
  /** Amounts in cents. */
  montantBaseCentimes: number;
  montantDuCentimes: number;
  paiementCentimes: number | null;
  paiementReference: string | null;
  paiementMode: string | null;
  paiementLe: Date | null;
  /** Resolved values with their sources, fees, CVEC, explanation (JSON). */
  calcul: string;
  source: string;
  version: number;
  creeLe: Date;
  modifieLe: Date;
  /** PRINCIPALE, DOUBLE_CURSUS, PARALLELE or PARALLELE_SECONDAIRE; NULL (rows written before the field) = PRINCIPALE. */
  cursus?: string | null;
}

/** Every state change of an IA, with who, when and why. */
export interface EvenementLigne {
  id: number;
  inscriptionId: number;
  de: string | null;
  vers: string;
  motif: string | null;
  client: string;
  requestId: string;
  le: Date;
}

/** One supporting document of an OPI, per type (Apogée OPI_PJ): its current file and status. */
export interface PieceLigne {
  id: number;
  codOpiIntEpo: string;
  codTpj: string;
  /** DEPOSEE, VALIDEE or REFUSEE (ATTENDUE is computed: no row yet). */
  statut: string;
  nomFichier: string;
  typeMedia: string;
  taille: number;
  /** SHA-256 of the bytes: the address of the file in the document store. */
  empreinte: string;
  motifRefus: string | null;
  commentaire: string | null;
  source: string;
  version: number;
  deposeLe: Date;
  statutLe: Date;
}

/** Every change of a supporting document: a new file, a decision. */
export interface HistoriquePieceLigne {
  id: number;
  pieceId: number;
  codOpiIntEpo: string;
  codTpj: string;
  de: string | null;
  vers: string;
  empreinte: string;
  nomFichier: string;
  motif: string | null;
  client: string;
  requestId: string;
  le: Date;
}

/** A reminder sent (or tried) to one individual for one period: at most one per period. */
export interface RelanceLigne {
  id: number;
  codOpiIntEpo: string;
  /** First day of the period (`AAAA-MM-JJ`). */
  periode: string;
  adresse: string;
  /** EN_COURS, ENVOYEE, ECHEC, ADRESSE_REFUSEE. */
  etat: string;
  erreur: string | null;
  /** The codes of the documents listed in the e-mail. */
  pieces: string;
  jobId: string | null;
  le: Date;
}

/** An address the SMTP server refused: never written to again. */
export interface AdresseRefuseeLigne {
  adresse: string;
  erreur: string;
  le: Date;
}

/** A machine client (a platform, a connector): its scopes and, for a platform, the OPI-number prefixes it owns. */
export interface ClientApiLigne {
  id: number;
  nom: string;
  /** Scopes, space-separated (`opi:ecrire lp:lire`, or `admin`). */
  portees: string;
  /** OPI-number prefixes, space-separated; null = not bound (the establishment's own connectors). */
  prefixesOpi: string | null;
  description: string | null;
  creeLe: Date;
  revoqueLe: Date | null;
}

/** One API key of a client, kept as the SHA-256 of the key (the key itself is shown once, at creation). */
export interface CleApiLigne {
  id: number;
  clientId: number;
  /** Hex SHA-256 of the whole key. */
  empreinte: string;
  /** The key's first characters, to tell keys apart in listings (`gw_3fA9…`). */
  indice: string;
  creeLe: Date;
  /** Set on the old key when a rotation starts: both keys work until then. */
  expireLe: Date | null;
  revoqueLe: Date | null;
}

/** A staff account (console, or HTTP Basic): a role, a scrypt password hash. */
export interface ComptePersonnelLigne {
  id: number;
  identifiant: string;
  nomAffiche: string | null;
  role: string;
  /** `scrypt$N$r$p$<sel base64>$<condensat base64>`. */
  empreinteMotDePasse: string;
  creeLe: Date;
  desactiveLe: Date | null;
}
