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

type Genre = 'nom' | 'ine' | 'code' | 'texte';
/** What a key's string values become, per key name (a few dozen names: computed once each). */
const genres = new Map<string, Genre>();

function genre(cle: string): Genre {
  let g = genres.get(cle);
  if (g === undefined) {
    g = NOMS.has(cle) ? 'nom' : cle === 'codNneIndOpi' ? 'ine' : /^(cod|tem)[A-Z0-9]/.test(cle) ? 'code' : 'texte';
    if (genres.size < 4096) genres.set(cle, g);
  }
  return g;
}

/** Drops nil/empty values recursively; returns undefined for an empty object. Arrays are kept (items cleaned). */
export function nettoyer(valeur: unknown, cle = ''): unknown {
  if (valeur === null || valeur === undefined) return undefined;
  if (typeof valeur === 'string') {
    const t = rogner(valeur);
    if (t === '') return undefined;
    switch (genre(cle)) {
      case 'nom':
        return normaliserNom(t);
      case 'ine':
        return normaliserIne(t);
      case 'code':
        return t.toUpperCase();
      default:
        return t;
    }
  }
  if (Array.isArray(valeur)) {
    return valeur.map((v) => nettoyer(v)).filter((v) => v !== undefined);
  }
  if (typeof valeur === 'object') {
    const o = valeur as Record<string, unknown>;
    const sortie: Record<string, unknown> = {};
    let vide = true;
    for (const k of Object.keys(o)) {
      const n = nettoyer(o[k], k);
      if (n === undefined) continue;
      sortie[k] = n;
      vide = false;
    }
    return vide ? undefined : sortie;
  }
  return valeur;
}

/** Canonical form of a whole OPI: `{}` stays an object so that the schema reports what is missing. */
export function canoniserOpi(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  return nettoyer(brut) ?? {};
}
