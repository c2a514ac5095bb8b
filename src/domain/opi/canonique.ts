/**
 * Canonicalisation of an incoming OPI, the same for every door, before the schema:
 * - nil, absent, `""` and blank strings are alike: the field is absent;
 * - strings are trimmed; codes (`cod*`, `tem*` fields) are upper-cased; names are upper-cased with
 *   their accents kept (`normaliserNom`); the INE loses its spaces;
 * - a vœu whose fields are all absent is dropped, so eCandidat's "one empty vœu" (the only way to
 *   delete all vœux in Apogée) means `voeux: []` here.
 */
import { normaliserNom, rogner } from '../text';
import { normaliserIne } from '../identifiers/ine';

const NOMS = new Set(['libNomPatIndOpi', 'libNomUsuIndOpi', 'libPr1IndOpi', 'libPr2IndOpi', 'libPr3IndOpi']);

/** Drops nil/empty values recursively; returns undefined for an empty object. Arrays are kept (items cleaned). */
export function nettoyer(valeur: unknown, cle = ''): unknown {
  if (valeur === null || valeur === undefined) return undefined;
  if (typeof valeur === 'string') {
    const t = rogner(valeur);
    if (t === '') return undefined;
    if (NOMS.has(cle)) return normaliserNom(t);
    if (cle === 'codNneIndOpi') return normaliserIne(t);
    if (/^(cod|tem)[A-Z0-9]/.test(cle)) return t.toUpperCase();
    return t;
  }
  if (Array.isArray(valeur)) {
    return valeur.map((v) => nettoyer(v)).filter((v) => v !== undefined);
  }
  if (typeof valeur === 'object') {
    const sortie: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(valeur as Record<string, unknown>)) {
      const n = nettoyer(v, k);
      if (n !== undefined) sortie[k] = n;
    }
    return Object.keys(sortie).length > 0 ? sortie : undefined;
  }
  return valeur;
}

/** Canonical form of a whole OPI: `{}` stays an object so that the schema reports what is missing. */
export function canoniserOpi(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  return nettoyer(brut) ?? {};
}
