/** What raw SQL needs to read the same on SQLite and MariaDB/MySQL: placeholders, bound values, concatenation. */

/** `?, ?, ?` for an IN list of `n` values. */
export const marques = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** A JS value as the drivers bind it: dates as UTC `YYYY-MM-DD HH:MM:SS.mmm` text (both drivers), null for undefined. */
export function valeurSql(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  return v;
}

/** `a || b` on SQLite, CONCAT on MySQL/MariaDB (where `||` is OR). */
export function concatSql(sqlite: boolean, a: string, b: string): string {
  return sqlite ? `(${a} || ${b})` : `CONCAT(${a}, ${b})`;
}
