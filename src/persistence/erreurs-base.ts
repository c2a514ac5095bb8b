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

/** The database could not be reached (connection refused, lost, pool closed…). */
export function estBaseIndisponible(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return (
    ['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ER_CON_COUNT_ERROR'].includes(code)
    || /Pool is closed|Connection lost|connect ECONNREFUSED/.test(e?.message ?? '')
  );
}
