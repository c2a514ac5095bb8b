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

const ALIAS: Record<string, string> = { numOPI: 'codOpiIntEpo', numOpi: 'codOpiIntEpo' };
const ALIAS_DE = new Set(Object.values(ALIAS));
/** Integer and date fields of the LP schema (generated from it: src/generated/champs.ts). */
const ENTIERS: ReadonlySet<string> = new Set(ENTIERS_LP);
const DATES: ReadonlySet<string> = new Set(DATES_LP);

function estVide(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Two names of one field given with different values (`numOPI` and `codOpiIntEpo`): which one is meant? */
export function conflitsSynonymes(brut: unknown): { champ: string; valeurs: string[] }[] {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return [];
  const parChamp = new Map<string, Set<string>>();
  for (const [k, v] of Object.entries(brut as Record<string, unknown>)) {
    const cle = ALIAS[k] ?? k;
    if (!ALIAS_DE.has(cle) || estVide(v)) continue;
    parChamp.set(cle, (parChamp.get(cle) ?? new Set()).add(String(v).trim().toUpperCase()));
  }
  return [...parChamp].filter(([, v]) => v.size > 1).map(([champ, v]) => ({ champ, valeurs: [...v] }));
}

export function canoniserLp(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  const renomme: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(brut as Record<string, unknown>)) {
    const cle = ALIAS[k] ?? k;
    // Two names of one field: a blank value on either never erases the other's (key order does not matter).
    if (cle !== k || ALIAS_DE.has(cle)) {
      if (estVide(v)) {
        if (!(cle in renomme)) renomme[cle] = v;
        continue;
      }
      if (!estVide(renomme[cle])) continue; // both given: `conflitsSynonymes` reports it when they differ
    }
    renomme[cle] = typeof v === 'number' && !ENTIERS.has(cle) ? String(v) : v;
  }
  const propre = (nettoyer(renomme) ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(propre)) {
    if (typeof v !== 'string') continue;
    if (ENTIERS.has(k) && /^\d{1,6}$/.test(v)) propre[k] = Number(v);
    else if (DATES.has(k)) propre[k] = parseDateFr(v) ?? parseDateApogee(v) ?? v;
    else if (k === 'ine') propre[k] = normaliserIne(v);
    // A student number is a number in Apogée (COD_ETU): `00012345` and `12345` are the same student.
    else if (k === 'codEtu' && /^\d+$/.test(v)) propre[k] = normaliserCodEtu(v);
    else if (k === 'codOpiIntEpo') propre[k] = normaliserCodOpi(v);
    else if (k === 'codAnu' || k === 'typLpa') propre[k] = v.toUpperCase();
  }
  propre.typLpa ??= typLpaDeduit(propre);
  if (propre.typLpa === undefined) delete propre.typLpa;
  return propre;
}
