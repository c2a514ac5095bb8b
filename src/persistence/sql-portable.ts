/** What raw SQL needs to read the same on SQLite and MariaDB/MySQL: placeholders, bound values, concatenation, hot-path inserts. */
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { parPaquets, TAILLE_LISTE } from './paquets';
import type { EcrituresAuCommit } from './ecritures-au-commit';

/** `?, ?, ?` for an IN list of `n` values. */
export const marques = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The last date written and its text: a chunk's rows share one `maintenant`, written twice a row. */
let derniereDate = Number.NaN;
let derniereDateSql = '';

/** A JS value as the drivers bind it: dates as UTC `YYYY-MM-DD HH:MM:SS.mmm` text (both drivers), null for undefined. */
export function valeurSql(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) {
    // Keyed by the time value, not the object: a Date can be changed in place.
    const t = v.getTime();
    if (t !== derniereDate) {
      derniereDateSql = v.toISOString().replace('T', ' ').replace('Z', '');
      derniereDate = t;
    }
    return derniereDateSql;
  }
  return v;
}

/** `a || b` on SQLite, CONCAT on MySQL/MariaDB (where `||` is OR). */
export function concatSql(sqlite: boolean, a: string, b: string): string {
  return sqlite ? `(${a} || ${b})` : `CONCAT(${a}, ${b})`;
}

/** The statement text of a multi-row INSERT per entity and column list, built once (hot-path writes). */
const INSERTIONS = new WeakMap<EntityMetadata, Map<string, { tete: string; tuple: string; colonnes: ColumnMetadata[]; mysql: boolean }>>();

/** From this length, a text bound for mysql2 is a `TexteMysql` (below, the driver's own escaping is as quick). */
const TEXTE_LONG = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters a MySQL literal escapes.
const A_ECHAPPER = /[\0\b\t\n\r\x1a'\\]/g;
const ECHAPPEMENTS: Record<string, string> = { '\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', "'": "\\'", '\\': '\\\\' };
const echapper = (c: string) => ECHAPPEMENTS[c];

/**
 * A long text for mysql2, as a literal escaped like the driver does but leaving `"` alone: between
 * single quotes a double quote needs no escape, and a JSON document is full of them (the driver's
 * escaper cuts the text at each one: 8 µs for 1.5 kB of JSON, about 1 µs here).
 */
export class TexteMysql {
  constructor(readonly texte: string) {}
  /** In TypeORM's logs of a slow or failed query, the text as it was. */
  toJSON(): string {
    return this.texte;
  }
  toSqlString(mode?: { noBackslashEscapes?: boolean }): string {
    if (mode?.noBackslashEscapes) return `'${this.texte.replaceAll("'", "''")}'`;
    return `'${this.texte.replace(A_ECHAPPER, echapper)}'`;
  }
}

/**
 * A value as bound on this driver. For mysql2: long texts as `TexteMysql`, dates as the UTC text
 * `valeurSql` gives — what the driver writes for them on a `timezone: 'Z'` connection, without its
 * per-value date arithmetic (a chunk's rows share their dates) —, anything else as is.
 */
function lie(v: unknown, mysql: boolean): unknown {
  if (!mysql) return v;
  if (typeof v === 'string') return v.length >= TEXTE_LONG ? new TexteMysql(v) : v;
  return v instanceof Date ? valeurSql(v) : v;
}

const estMysql = (em: EntityManager) => {
  const t = em.connection.options.type;
  return t === 'mysql' || t === 'mariadb';
};

/**
 * Rows of an entity written with ONE driver-level INSERT and positional parameters: what TypeORM's
 * `insert()` writes (each value through the driver's own conversion, columns left out get their
 * default), without its query building nor the re-read of defaulted columns it does after each row.
 * The columns are those the first row sets: rows of one call must set the same ones (a value the first
 * row leaves out is not written). Returns the generated id of a one-row insert.
 */
export async function insererLignes(em: EntityManager, entite: EntityTarget<ObjectLiteral>, lignes: readonly object[]): Promise<number> {
  if (!lignes.length) return 0;
  const { sql, parametres } = instructionInsertion(em, entite, lignes);
  return idInsere(await em.query(sql, parametres));
}

/** `insererLignes`, sent with the commit (`EcrituresAuCommit`): the promise gives the id once committed. */
export function insererAuCommit(em: EntityManager, lot: EcrituresAuCommit, entite: EntityTarget<ObjectLiteral>, lignes: readonly object[]): Promise<number> {
  if (!lignes.length) return Promise.resolve(0);
  const { sql, parametres } = instructionInsertion(em, entite, lignes);
  const id = lot.differer(sql, parametres).then(idInsere);
  // Like the deferred write's own promise: a failed commit is the transaction's error, not an unhandled one.
  id.catch(() => undefined);
  return id;
}

/**
 * A write whose result nobody reads: given `auCommit` (in a transaction), sent with the transaction's
 * next statement and resolved at once (its failure fails the commit); else run now.
 */
export async function ecrireSansRetour(em: EntityManager, auCommit: EcrituresAuCommit | undefined, sql: string, parametres: unknown[]): Promise<void> {
  if (auCommit) void auCommit.differer(sql, parametres);
  else await em.query(sql, parametres);
}

/** The multi-row INSERT of `insererLignes`, written as `ecrireSansRetour` writes. */
export function insererSansRetour(
  em: EntityManager,
  auCommit: EcrituresAuCommit | undefined,
  entite: EntityTarget<ObjectLiteral>,
  lignes: readonly object[],
): Promise<void> {
  if (!lignes.length) return Promise.resolve();
  const { sql, parametres } = instructionInsertion(em, entite, lignes);
  return ecrireSansRetour(em, auCommit, sql, parametres);
}

/**
 * `UPDATE <table> SET <the columns `champs` sets> WHERE id = ?`, each value through the driver's own
 * conversion: what `em.update` writes, without its query building (the update path's hot statement).
 */
export function instructionMiseAJour(
  em: EntityManager,
  entite: EntityTarget<ObjectLiteral>,
  id: number,
  champs: object,
): { sql: string; parametres: unknown[] } {
  const meta = em.connection.getMetadata(entite);
  const pilote = em.connection.driver;
  const mysql = estMysql(em);
  const affectations: string[] = [];
  const parametres: unknown[] = [];
  for (const [k, v] of Object.entries(champs)) {
    if (v === undefined) continue;
    const c = meta.findColumnWithPropertyName(k);
    if (!c) throw new Error(`${meta.tableName} : colonne inconnue ${k}`);
    affectations.push(`${pilote.escape(c.databaseName)} = ?`);
    parametres.push(lie(pilote.preparePersistentValue(v, c), mysql));
  }
  parametres.push(id);
  return { sql: `UPDATE ${pilote.escape(meta.tableName)} SET ${affectations.join(', ')} WHERE ${pilote.escape('id')} = ?`, parametres };
}

/** MySQL answers a result header, better-sqlite3 (through TypeORM) the last row id. */
function idInsere(brut: unknown): number {
  return Number(typeof brut === 'object' && brut !== null ? (brut as { insertId: number }).insertId : brut);
}

/** The multi-row INSERT of `lignes` and its parameters (the statement text built once per column list). */
function instructionInsertion(em: EntityManager, entite: EntityTarget<ObjectLiteral>, lignes: readonly object[]): { sql: string; parametres: unknown[] } {
  const meta = em.connection.getMetadata(entite);
  const cles = Object.keys(lignes[0]).filter((k) => (lignes[0] as Record<string, unknown>)[k] !== undefined);
  let parEntite = INSERTIONS.get(meta);
  if (!parEntite) INSERTIONS.set(meta, (parEntite = new Map()));
  const cleCache = cles.join(',');
  let gabarit = parEntite.get(cleCache);
  if (!gabarit) {
    const pilote = em.connection.driver;
    const colonnes = cles.map((k) => {
      const c = meta.findColumnWithPropertyName(k);
      if (!c) throw new Error(`${meta.tableName} : colonne inconnue ${k}`);
      return c;
    });
    gabarit = {
      tete: `INSERT INTO ${pilote.escape(meta.tableName)} (${colonnes.map((c) => pilote.escape(c.databaseName)).join(', ')}) VALUES `,
      tuple: `(${marques(colonnes.length)})`,
      colonnes,
      mysql: estMysql(em),
    };
    parEntite.set(cleCache, gabarit);
  }
  const pilote = em.connection.driver;
  const parametres: unknown[] = [];
  const { tete, tuple, mysql } = gabarit;
  for (const l of lignes)
    for (const c of gabarit.colonnes) parametres.push(lie(pilote.preparePersistentValue((l as Record<string, unknown>)[c.propertyName] ?? null, c), mysql));
  return { sql: tete + Array.from({ length: lignes.length }, () => tuple).join(', '), parametres };
}

/** Placeholders per statement of `insererParPaquets`: a file chunk's individus, or its vœux, in one statement (SQLite allows 32,766). */
const PARAMETRES_PAR_INSTRUCTION = 20_000;

/** `insererLignes` for many rows: as few statements as the placeholder bound allows (sent with the commit, given `auCommit`). */
export async function insererParPaquets(
  em: EntityManager,
  entite: EntityTarget<ObjectLiteral>,
  lignes: readonly object[],
  auCommit?: EcrituresAuCommit,
): Promise<void> {
  if (!lignes.length) return;
  const parInstruction = Math.max(1, Math.floor(PARAMETRES_PAR_INSTRUCTION / Object.keys(lignes[0]).length));
  for (let i = 0; i < lignes.length; i += parInstruction) await insererSansRetour(em, auCommit, entite, lignes.slice(i, i + parInstruction));
}

/** `<tete> IN (…)<queue>` over any number of values, one statement per list of TAILLE_LISTE: every row. */
export async function parListe<T>(em: EntityManager, tete: string, valeurs: readonly unknown[], queue = ''): Promise<T[]> {
  const lignes: T[] = [];
  await parPaquets(
    [...valeurs],
    async (p) => {
      const r: unknown = await em.query(`${tete} IN (${marques(p.length)})${queue}`, p);
      if (Array.isArray(r)) for (const l of r) lignes.push(l as T);
    },
    TAILLE_LISTE,
  );
  return lignes;
}
