/**
 * What a kind of file job declares to the job engine: its columns, how a row becomes a command, how
 * a chunk is checked (no write) and written (in the chunk's transaction), and how a refused row is
 * named in the journal. Everything else — leases, chunks, resume, counters, rejects, reports,
 * dry-run, cancellation, the job list — is the engine's, shared by every type.
 */
import type { NomOperation } from '../registre';
import type { Depots, EnteteLot, LecteurFichiers, LigneLue, OptionsLecture } from '../ports';
import type { JobLigne } from '../enregistrements';
import type { ItemPrepare, ResultatLigne } from '../../domain/lots';
import type { Probleme } from '../../domain/errors';

export interface TypeJob<P extends ItemPrepare = ItemPrepare> {
  /** Stored in `job.type`: `LP_CHARGEMENT`… */
  type: string;
  /** The operation that accepts such a file (registry; its scope governs the upload). */
  operation: NomOperation;
  /** Journal operation names of a refused row and of the job's end. */
  journal: { ligne: string; fin: string };
  /** Refused rows already have their journal row (written elsewhere): the engine keeps them for the report only. */
  rejetsDejaJournalises?: boolean;
  /** Columns outside `colonnes` are tolerated (a platform's export may carry more than we read), else refused. */
  colonnesEnPlusToleres?: boolean;
  /** Accepted columns, in the spelling of the template; header cells are matched case-insensitively. */
  colonnes: readonly string[];
  /** A row read from the file → the raw command the use case takes. */
  versCommande(l: LigneLue): unknown;
  /** Business key and individual of a raw command (journal of a refused row), and what the report names the row by. */
  identite(brut: unknown): { cle?: string; individu?: string; idPlateforme?: string; codOpiIntEpo?: string };
  /** The rows, when not simply those of the job's one file (two files joined…). */
  source?(job: JobLigne, lecteur: LecteurFichiers, options: OptionsLecture): AsyncGenerator<LigneLue>;
  /** Checks of the header beyond unknown columns (the columns a format needs). */
  verifierEntete?(entete: EnteteLot, job: Pick<JobLigne, 'parametres'>): Probleme[];
  /** Checks a chunk without writing; one result per row, in order. */
  preparer(lignes: { rang: number; brut: unknown }[], job: JobLigne): Promise<P[]>;
  /** Writes the valid rows of a chunk in the transaction given; one result per row, in order. */
  ecrire(d: Depots, prepares: P[], job: JobLigne): Promise<ResultatLigne[]>;
  /** Forget what the type keeps for a job (rows already seen): called before each pass over its rows, and when it ends. */
  oublier?(jobId: string): void;
  /** Paths of a refused row as the file names its columns, when they differ from the record's. */
  renommer?(problemes: Probleme[], brut: unknown, valeurs: Record<string, unknown>): Probleme[];
}
