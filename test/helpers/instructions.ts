/** What the gateway sends to its database, seen at the client. */
import type { Logger as LoggerTypeorm } from 'typeorm';
import type { PasserelleDeTest } from './passerelle';

/**
 * Every statement the data source sends while `f` runs, with its query runner, seen by a TypeORM logger
 * put in place of the data source's own (the gateway of these tests has its background tasks slowed
 * down, so that only the request's own statements are seen).
 */
export async function instructionsPendant(gw: PasserelleDeTest, f: () => Promise<unknown>): Promise<{ q: string; qr: unknown }[]> {
  const vues: { q: string; qr: unknown }[] = [];
  const source = gw.p.source as unknown as { logger: LoggerTypeorm };
  const avant = source.logger;
  source.logger = {
    logQuery: (q: string, _p?: unknown[], qr?: unknown) => {
      vues.push({ q, qr });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  try {
    await f();
  } finally {
    source.logger = avant;
  }
  return vues;
}

/**
 * MariaDB/MySQL: the packets the driver sends while `f` runs (one round trip each; a packet may carry
 * several statements), seen on the class of the pool's connections, whose `query` each one goes through.
 */
export async function paquetsPendant(gw: PasserelleDeTest, f: () => Promise<unknown>): Promise<string[]> {
  const pool = (gw.p.source.driver as unknown as { pool: { getConnection(cb: (err: unknown, c: { release(): void }) => void): void } }).pool;
  const cx = await new Promise<{ release(): void }>((ok, ko) => pool.getConnection((err, c) => (err ? ko(err) : ok(c))));
  cx.release();
  let classe: Record<string, unknown> | null = Object.getPrototypeOf(cx);
  while (classe && !Object.hasOwn(classe, 'query')) classe = Object.getPrototypeOf(classe);
  if (!classe) throw new Error('query introuvable sur la connexion mysql2');
  const proprietaire = classe as { query(this: unknown, sql: unknown, ...reste: unknown[]): unknown };
  const query = proprietaire.query;
  const vus: string[] = [];
  proprietaire.query = function (this: unknown, sql: unknown, ...reste: unknown[]) {
    vus.push(typeof sql === 'string' ? sql : String((sql as { sql: string }).sql));
    return query.call(this, sql, ...reste);
  };
  try {
    await f();
  } finally {
    proprietaire.query = query;
  }
  return vus;
}
