/** The TypeORM data source for SQLite (embedded default) or MariaDB/MySQL, and its migrations. */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { ConfigBase } from '../config';
import { ENTITES } from './entities';
import { MIGRATIONS } from './migrations';

export function creerSource(base: ConfigBase): DataSource {
  if (base.type === 'sqlite') {
    if (base.url !== ':memory:') mkdirSync(path.dirname(base.url), { recursive: true });
    return new DataSource({
      type: 'better-sqlite3',
      database: base.url,
      entities: ENTITES,
      migrations: MIGRATIONS,
      synchronize: false,
      migrationsTransactionMode: 'each',
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 10000');
        db.pragma('foreign_keys = ON');
      },
    });
  }
  return new DataSource({
    type: 'mysql',
    url: base.url,
    entities: ENTITES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsTransactionMode: 'each',
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize: base.pool,
    // A frozen server must give errors within a bound, not hangs: each query has a timeout (mysql2 then
    // closes its connection, the server rolls the transaction back), and so has a connection's handshake.
    maxQueryExecutionTime: base.delaiRequeteMs ?? 30_000,
    enableQueryTimeout: true,
    // (TypeORM would print every query over that time on the console; the pipeline logs what matters.)
    logging: false,
    // Several statements in one packet: a transaction's deferred writes go with its COMMIT (ecritures-au-commit.ts).
    // Every value is still bound by the driver's escaping, never spliced into the text.
    multipleStatements: true,
    // `trace: false`: mysql2 otherwise captures a stack trace on every query, to decorate errors nobody reads here.
    extra: { connectionLimit: base.pool, waitForConnections: true, connectTimeout: Math.min(10_000, base.delaiAcquisitionMs ?? 10_000), trace: false },
  });
}

/**
 * mysql2's pool waits for a free connection for ever: a bound on that wait (the pool's other users are
 * stuck on a frozen server) turns it into an error the pipeline answers 503. A connection that arrives
 * after the bound goes back to the pool.
 */
function bornerAcquisition(source: DataSource, ms: number): void {
  const pool = (source.driver as unknown as { pool?: { getConnection(cb: (err: unknown, c?: { release(): void }) => void): void } }).pool;
  if (!pool) return;
  const obtenir = pool.getConnection.bind(pool);
  pool.getConnection = (cb) => {
    let abandonne = false;
    const t = setTimeout(() => {
      abandonne = true;
      cb(Object.assign(new Error(`aucune connexion libre en ${ms} ms`), { code: 'POOL_ACQUIRE_TIMEOUT' }));
    }, ms);
    obtenir((err, c) => {
      if (abandonne) return c?.release();
      clearTimeout(t);
      cb(err, c);
    });
  };
}

export interface OptionsOuverture {
  /** Apply pending migrations once connected (default: true). `false` for tools that inspect them (scripts/migrate). */
  migrer?: boolean;
}

/** Initialises the source and, unless told otherwise, applies pending migrations (the same list on both databases). */
export async function ouvrirBase(base: ConfigBase, options: OptionsOuverture = {}): Promise<DataSource> {
  const source = creerSource(base);
  await source.initialize();
  if (base.type === 'mysql') bornerAcquisition(source, base.delaiAcquisitionMs ?? 10_000);
  if (options.migrer === false) return source;
  try {
    await source.runMigrations({ transaction: 'each' });
  } catch (err) {
    await source.destroy();
    throw err;
  }
  return source;
}
