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
