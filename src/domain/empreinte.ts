import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level: the same record always gives the same text. */
export function jsonStable(valeur: unknown): string {
  if (valeur === null || typeof valeur !== 'object') return JSON.stringify(valeur);
  if (valeur instanceof Date) return JSON.stringify(valeur.toISOString());
  if (Array.isArray(valeur)) return `[${valeur.map((v) => (v === undefined ? 'null' : jsonStable(v))).join(',')}]`;
  const o = valeur as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jsonStable(o[k])}`)
    .join(',')}}`;
}

export function sha256(texte: string): string {
  return createHash('sha256').update(texte).digest('hex');
}
