/** What changed between two states of a record, leaf by leaf: what a replay's answer shows. */

export interface Changement {
  chemin: string;
  avant: unknown;
  apres: unknown;
}

const estObjet = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The leaves that differ, by path (`voeux[1].codEtp`). `ignorer` names fields that change on every
 * write (version, timestamps) and say nothing about the content.
 */
export function difference(avant: unknown, apres: unknown, ignorer: ReadonlySet<string> = new Set(), chemin = ''): Changement[] {
  if (estObjet(avant) && estObjet(apres)) {
    const cles = [...new Set([...Object.keys(avant), ...Object.keys(apres)])].filter((k) => !ignorer.has(k)).sort();
    return cles.flatMap((k) => difference(avant[k], apres[k], ignorer, chemin ? `${chemin}.${k}` : k));
  }
  if (Array.isArray(avant) && Array.isArray(apres)) {
    return Array.from({ length: Math.max(avant.length, apres.length) }, (_, i) => difference(avant[i], apres[i], ignorer, `${chemin}[${i}]`)).flat();
  }
  if (JSON.stringify(avant) === JSON.stringify(apres)) return [];
  return [{ chemin, avant: avant ?? null, apres: apres ?? null }];
}
