/**
 * The unit of work: every write of one record is one transaction, run here.
 * - MariaDB/MySQL: READ COMMITTED (REPEATABLE READ's gap locks on the vœux index deadlock almost
 *   every concurrent DELETE+INSERT of vœux; see ARCHITECTURE.md), and the WHOLE transaction is retried
 *   on deadlock (1213), lock wait timeout (1205) and on a unique-key race (1062: two first writes of
 *   the same key; the retry sees the committed row and updates it). Bounded, with jitter.
 * - SQLite: one writer at a time. TypeORM's SQLite driver refuses READ COMMITTED and its single
 *   connection cannot hold two transactions, so writes are serialised here by a queue.
 * Nothing is acknowledged before the commit: the caller gets the result only once `transaction` resolved.
 */
import type { DataSource, EntityManager } from 'typeorm';

export interface OptionsUnite {
  tentatives?: number;
}

const CODES_REJOUABLES = new Set([1213, 1205, 1062]);
const CODES_SQLITE_REJOUABLES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

export class UniteDeTravail {
  private fileSqlite: Promise<unknown> = Promise.resolve();
  /** Retries done since start (exposed by /health for monitoring). */
  rejeux = 0;

  constructor(readonly source: DataSource, private readonly tentativesParDefaut = 8) {}

  get estSqlite(): boolean {
    return this.source.options.type === 'better-sqlite3';
  }

  /** Runs `travail` in one transaction, retried as a whole on transient conflicts. */
  async executer<T>(travail: (em: EntityManager) => Promise<T>, options: OptionsUnite = {}): Promise<T> {
    const max = options.tentatives ?? this.tentativesParDefaut;
    for (let tentative = 1; ; tentative++) {
      try {
        return await this.uneFois(travail);
      } catch (err) {
        if (tentative >= max || !estRejouable(err)) throw err;
        this.rejeux++;
        await attendre(Math.min(1000, 5 * 2 ** tentative) * (0.5 + Math.random()));
      }
    }
  }

  private uneFois<T>(travail: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.estSqlite) return this.source.transaction('READ COMMITTED', travail);
    const resultat = this.fileSqlite.then(() => this.source.transaction(travail));
    this.fileSqlite = resultat.catch(() => undefined);
    return resultat;
  }
}

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
  return ['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ER_CON_COUNT_ERROR'].includes(code)
    || /Pool is closed|Connection lost|connect ECONNREFUSED/.test(e?.message ?? '');
}

function attendre(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
