/**
 * Canonical form of an incoming laissez-passer, the same whatever the door (REST JSON, SOAP V1/V2,
 * CSV/XLSX/JSON bulk rows): nil/absent/"" alike; codes upper-cased; `numOPI` is a synonym of
 * `codOpiIntEpo` (the V2 field name); versions given as digit strings (SOAP, CSV) become integers;
 * dates accepted as `AAAA-MM-JJ`, `JJ/MM/AAAA` or `JJMMAAAA` become ISO; `typLpa` deduced if absent.
 * A value that cannot be converted is passed on unchanged, so the schema reports it at its path.
 */
import { nettoyer } from '../opi/canonique';
import { parseDateApogee, parseDateFr } from '../dates';
import { normaliserIne } from '../identifiers/ine';
import { normaliserCodEtu, normaliserCodOpi } from '../identifiers/individu';
import { typLpaDeduit } from './regles';
import { DATES_LP, ENTIERS_LP } from '../../generated/champs';

const ALIAS: ReadonlyMap<string, string> = new Map([
  ['numOPI', 'codOpiIntEpo'],
  ['numOpi', 'codOpiIntEpo'],
]);
const ALIAS_DE = new Set(ALIAS.values());
/** Integer and date fields of the LP schema (generated from it: src/generated/champs.ts). */
const ENTIERS: ReadonlySet<string> = new Set(ENTIERS_LP);
const DATES: ReadonlySet<string> = new Set(DATES_LP);

function estVide(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Two names of one field given with different values (`numOPI` and `codOpiIntEpo`): which one is meant? */
export function conflitsSynonymes(brut: unknown): { champ: string; valeurs: string[] }[] {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return [];
  const o = brut as Record<string, unknown>;
  let parChamp: Map<string, Set<string>> | undefined;
  for (const k of Object.keys(o)) {
    const cle = ALIAS.get(k) ?? k;
    if (!ALIAS_DE.has(cle) || estVide(o[k])) continue;
    parChamp ??= new Map();
    parChamp.set(cle, (parChamp.get(cle) ?? new Set()).add(String(o[k]).trim().toUpperCase()));
  }
  if (!parChamp) return [];
  return [...parChamp].filter(([, v]) => v.size > 1).map(([champ, v]) => ({ champ, valeurs: [...v] }));
}

/** A string field's canonical value, by field (after trimming and upper-casing of codes). */
function convertir(k: string, v: string): unknown {
  if (ENTIERS.has(k)) return /^\d{1,6}$/.test(v) ? Number(v) : v;
  if (DATES.has(k)) return parseDateFr(v) ?? parseDateApogee(v) ?? v;
  if (k === 'ine') return normaliserIne(v);
  // A student number is a number in Apogée (COD_ETU): `00012345` and `12345` are the same student.
  if (k === 'codEtu') return /^\d+$/.test(v) ? normaliserCodEtu(v) : v;
  if (k === 'codOpiIntEpo') return normaliserCodOpi(v);
  if (k === 'codAnu' || k === 'typLpa') return v.toUpperCase();
  return v;
}

export function canoniserLp(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  const o = brut as Record<string, unknown>;
  const renomme: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    const cle = ALIAS.get(k) ?? k;
    // Two names of one field: a blank value on either never erases the other's (key order does not matter).
    if (cle !== k || ALIAS_DE.has(cle)) {
      if (estVide(v)) {
        if (!Object.hasOwn(renomme, cle)) renomme[cle] = v;
        continue;
      }
      if (!estVide(renomme[cle])) continue; // both given: `conflitsSynonymes` reports it when they differ
    }
    renomme[cle] = typeof v === 'number' && !ENTIERS.has(cle) ? String(v) : v;
  }
  // Cleaned (nil and blanks dropped, trimmed, codes upper-cased), then converted, field by field.
  const propre: Record<string, unknown> = {};
  for (const k of Object.keys(renomme)) {
    const n = nettoyer(renomme[k], k);
    if (n !== undefined) propre[k] = typeof n === 'string' ? convertir(k, n) : n;
  }
  propre.typLpa ??= typLpaDeduit(propre);
  if (propre.typLpa === undefined) delete propre.typLpa;
  return propre;
}
