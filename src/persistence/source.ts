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
    extra: { connectionLimit: base.pool, waitForConnections: true, connectTimeout: 10000 },
  });
}

export interface OptionsOuverture {
  /** Apply pending migrations once connected (default: true). `false` for tools that inspect them (scripts/migrate). */
  migrer?: boolean;
}

/** Initialises the source and, unless told otherwise, applies pending migrations (the same list on both databases). */
export async function ouvrirBase(base: ConfigBase, options: OptionsOuverture = {}): Promise<DataSource> {
  const source = creerSource(base);
  await source.initialize();
  if (options.migrer === false) return source;
  try {
    await source.runMigrations({ transaction: 'each' });
  } catch (err) {
    await source.destroy();
    throw err;
  }
  return source;
}
