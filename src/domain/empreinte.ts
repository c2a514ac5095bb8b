import { hash } from 'node:crypto';

/** `"clé":` per key already seen: records share a few dozen field names, quoted once each. */
const clesCitees = new Map<string, string>();
const MAX_CLES_CITEES = 4096;

function citer(k: string): string {
  let c = clesCitees.get(k);
  if (c === undefined) {
    c = `${JSON.stringify(k)}:`;
    if (clesCitees.size < MAX_CLES_CITEES) clesCitees.set(k, c);
  }
  return c;
}

/** Keys in UTF-16 order, as `sort()` gives them; an insertion sort is twice as fast on a record's few keys. */
function clesTriees(o: object): string[] {
  const cles = Object.keys(o);
  if (cles.length > 32) return cles.sort();
  for (let i = 1; i < cles.length; i++) {
    const x = cles[i];
    let j = i - 1;
    while (j >= 0 && cles[j] > x) {
      cles[j + 1] = cles[j];
      j--;
    }
    cles[j + 1] = x;
  }
  return cles;
}

/**
 * JSON with keys sorted at every level: the same record always gives the same text (stored hashes
 * depend on it byte for byte). Built with one string, not arrays of parts: it runs on every request.
 */
export function jsonStable(valeur: unknown): string {
  if (valeur === null || typeof valeur !== 'object') return JSON.stringify(valeur);
  if (valeur instanceof Date) return JSON.stringify(valeur.toISOString());
  if (Array.isArray(valeur)) {
    let s = '[';
    for (let i = 0; i < valeur.length; i++) {
      const v: unknown = valeur[i];
      if (i) s += ',';
      s += v === undefined ? 'null' : jsonStable(v);
    }
    return `${s}]`;
  }
  const o = valeur as Record<string, unknown>;
  const cles = clesTriees(o);
  let s = '{';
  let premier = true;
  for (let i = 0; i < cles.length; i++) {
    const v = o[cles[i]];
    if (v === undefined) continue;
    if (!premier) s += ',';
    premier = false;
    s += citer(cles[i]);
    // A string member without the recursive call: most of a record's values (10–20 % of this function's time).
    s += typeof v === 'string' ? JSON.stringify(v) : jsonStable(v);
  }
  return `${s}}`;
}

/** Hex SHA-256 of a text, in one call (no Hash object per record). */
export function sha256(texte: string): string {
  return hash('sha256', texte, 'hex');
}
