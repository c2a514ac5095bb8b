import { createHash } from 'node:crypto';

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
      s += `${i ? ',' : ''}${v === undefined ? 'null' : jsonStable(v)}`;
    }
    return `${s}]`;
  }
  const o = valeur as Record<string, unknown>;
  let s = '{';
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    if (v === undefined) continue;
    s += `${s.length > 1 ? ',' : ''}${JSON.stringify(k)}:${jsonStable(v)}`;
  }
  return `${s}}`;
}

export function sha256(texte: string): string {
  return createHash('sha256').update(texte).digest('hex');
}
