/**
 * The identifiers of an individual, each normalised in one place, and the individual's key used by
 * the LP identity, the IA identity and the journal's `individu` column: the first identifier a message
 * carries among `OPI:<codOpiIntEpo>`, `ETU:<codEtu>`, `INE:<ine>`.
 */
import { normaliserIne } from './ine';

/** An OPI number is compared upper-cased, without surrounding blanks. */
export function normaliserCodOpi(v: string): string {
  return v.trim().toUpperCase();
}

/**
 * A student number is a number in Apogée (COD_ETU): `00012345` and `12345` are one student. Digits lose
 * their leading zeros; anything else is returned trimmed, for the schema to refuse at its path.
 */
export function normaliserCodEtu(v: string | number): string {
  const t = String(v).trim();
  return /^\d+$/.test(t) ? t.replace(/^0+(?=\d)/, '') : t;
}

export interface IdentifiantsIndividu {
  codOpiIntEpo?: unknown;
  codEtu?: unknown;
  ine?: unknown;
}

function texte(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** `OPI:…`, else `ETU:…`, else `INE:…`; undefined when the message carries none (or none readable). */
export function cleIndividu(ids: IdentifiantsIndividu): string | undefined {
  const opi = texte(ids.codOpiIntEpo);
  if (opi) return `OPI:${normaliserCodOpi(opi)}`;
  const etu = texte(ids.codEtu);
  if (etu) return `ETU:${normaliserCodEtu(etu)}`;
  const ine = texte(ids.ine);
  if (ine) return `INE:${normaliserIne(ine)}`;
  return undefined;
}

/** A key typed by a person (`etu:00012345`, `INE: 1234567890a`) in its stored form; undefined if unreadable. */
export function lireCleIndividu(saisie: string): string | undefined {
  const m = /^\s*(OPI|ETU|INE)\s*:\s*(.+)$/i.exec(saisie);
  if (!m) return undefined;
  const type = m[1].toUpperCase();
  return cleIndividu(type === 'OPI' ? { codOpiIntEpo: m[2] } : type === 'ETU' ? { codEtu: m[2] } : { ine: m[2] });
}
