/** What a driver error means, for both drivers (MySQL errno, SQLite and Node codes), whether TypeORM wrapped it or not. */

const CODES_REJOUABLES = new Set([1213, 1205, 1062]);
const CODES_SQLITE_REJOUABLES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** The driver's error number (MySQL) and code (SQLite, Node), whether TypeORM wrapped the error or not. */
function codesErreur(err: unknown): { errno?: number; code?: string } {
  const e = err as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  return { errno: e?.driverError?.errno ?? e?.errno, code: e?.driverError?.code ?? e?.code };
}

export function estRejouable(err: unknown): boolean {
  const { errno, code } = codesErreur(err);
  return (errno !== undefined && CODES_REJOUABLES.has(errno)) || (code !== undefined && CODES_SQLITE_REJOUABLES.has(code));
}

/** A unique-key violation (the same natural key written twice). */
export function estViolationUnicite(err: unknown): boolean {
  const { errno, code } = codesErreur(err);
  return errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const CODES_INDISPONIBLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'POOL_ACQUIRE_TIMEOUT',
  'DELAI_TRANSACTION_DEPASSE',
]);
/** Server gone, lost during the query, shutting down, connection killed. */
const ERRNOS_INDISPONIBLE = new Set([2006, 2013, 1053, 1927]);

/** The database could not be reached or answer in time (refused, reset, lost, frozen, pool closed…): 503, never 500. */
export function estBaseIndisponible(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number }; message?: string };
  const code = e?.driverError?.code ?? e?.code ?? '';
  const errno = e?.driverError?.errno ?? e?.errno;
  return (
    CODES_INDISPONIBLE.has(code)
    || (errno !== undefined && ERRNOS_INDISPONIBLE.has(errno))
    || /Pool is closed|Connection lost|connect ECONNREFUSED|read ECONNRESET|Query inactivity timeout|closed state|aucune connexion libre/.test(e?.message ?? '')
  );
}
