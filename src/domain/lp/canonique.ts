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

const ALIAS: Record<string, string> = { numOPI: 'codOpiIntEpo', numOpi: 'codOpiIntEpo' };
const ENTIERS = new Set(['codVrsVet', 'codVrsVdi']);
const DATES = new Set(['dateDebutValidite', 'dateFinValidite']);

export function canoniserLp(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  const renomme: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(brut as Record<string, unknown>)) {
    const cle = ALIAS[k] ?? k;
    if (cle !== k && renomme[cle] !== undefined && v === '') continue;
    renomme[cle] = typeof v === 'number' && !ENTIERS.has(cle) ? String(v) : v;
  }
  const propre = (nettoyer(renomme) ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(propre)) {
    if (typeof v !== 'string') continue;
    if (ENTIERS.has(k) && /^\d{1,6}$/.test(v)) propre[k] = Number(v);
    else if (DATES.has(k)) propre[k] = parseDateFr(v) ?? parseDateApogee(v) ?? v;
    else if (k === 'ine') propre[k] = normaliserIne(v);
    else if (k === 'codOpiIntEpo' || k === 'codAnu' || k === 'typLpa') propre[k] = v.toUpperCase();
  }
  if (propre.typLpa === undefined && (propre.codOpiIntEpo !== undefined || propre.codEtu !== undefined)) {
    propre.typLpa = propre.codOpiIntEpo !== undefined ? 'IAPRIMO' : 'REINS';
  }
  return propre;
}
