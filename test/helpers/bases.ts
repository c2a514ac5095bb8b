/**
 * The databases every integration test runs on: SQLite (a fresh file) and MariaDB (a fresh database
 * on 127.0.0.1:3306, root, no password, created from the `test` database's server and dropped after).
 * `TEST_DATABASES=sqlite` restricts the run; by default both run, and an unreachable MariaDB FAILS the
 * suite rather than skipping it silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { lireBase, type ConfigBase } from '../../src/config';

export type NomBase = 'sqlite' | 'mariadb';

export const URL_MARIADB = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

export const BASES: NomBase[] = (process.env.TEST_DATABASES ?? 'sqlite,mariadb')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as NomBase[];

export interface BaseDeTest {
  nom: NomBase;
  config: ConfigBase;
  supprimer(): Promise<void>;
}

/** A connection to the MariaDB server itself (no database selected), as root by default. */
function connexionServeur(connectTimeout = 10_000) {
  const u = new URL(URL_MARIADB);
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    connectTimeout,
  });
}

/** A new, empty database of the given kind. */
export async function nouvelleBase(nom: NomBase): Promise<BaseDeTest> {
  if (nom === 'sqlite') {
    const dossier = mkdtempSync(path.join(tmpdir(), 'passerelle-test-'));
    return {
      nom,
      config: lireBase(`sqlite:${path.join(dossier, 'test.sqlite')}`),
      async supprimer() {
        rmSync(dossier, { recursive: true, force: true });
      },
    };
  }
  const nomBase = `gw_t_${randomBytes(5).toString('hex')}`;
  const cx = await connexionServeur();
  await cx.query(`CREATE DATABASE \`${nomBase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await cx.end();
  const url = new URL(URL_MARIADB);
  url.pathname = `/${nomBase}`;
  return {
    nom,
    config: lireBase(url.toString(), 20),
    async supprimer() {
      const c = await connexionServeur();
      await c.query(`DROP DATABASE IF EXISTS \`${nomBase}\``);
      await c.end();
    },
  };
}

/** Fails fast, with a clear message, when MariaDB is expected but not reachable. */
export async function verifierMariaDb(): Promise<void> {
  if (!BASES.includes('mariadb')) return;
  const u = new URL(URL_MARIADB);
  try {
    const c = await connexionServeur(5000);
    await c.query('SELECT 1');
    await c.end();
  } catch (err) {
    throw new Error(`MariaDB injoignable sur ${u.host} (${(err as Error).message}). Démarrez-la (voir .ci/run) ou lancez TEST_DATABASES=sqlite npm test.`);
  }
}
