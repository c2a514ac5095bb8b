/** Small helpers shared by the REST routers: path ids and flat query strings. */
import type { Request } from 'express';
import { ErreurMetier } from '../../domain/errors';

/** A numeric path id (1 to 9 digits), else 400 PARAMETRE_INVALIDE on `id`. */
export function idDe(brut: unknown): number {
  const s = String(brut);
  if (!/^\d{1,9}$/.test(s)) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'id', { detail: 'id : un entier' });
  return Number(s);
}

/** The query string as single string values (a repeated parameter counts as absent). */
export function requeteSimple(req: Request): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}
