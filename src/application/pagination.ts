import { ErreurMetier } from '../domain/errors';

/** The `limite` query parameter of a search: an integer from 1 to `max`, `defaut` when absent. */
export function lireLimite(brut: string | undefined, defaut: number, max: number): number {
  const limite = brut === undefined ? defaut : Number(brut);
  if (!Number.isInteger(limite) || limite < 1 || limite > max) {
    throw ErreurMetier.une('PARAMETRE_INVALIDE', 'limite', { detail: `limite entre 1 et ${max}` });
  }
  return limite;
}

/** A numeric id (1 to 9 digits) given as text (a path, a SOAP argument), else 400 PARAMETRE_INVALIDE on `champ`. */
export function lireId(brut: unknown, champ = 'id'): number {
  const s = typeof brut === 'number' ? String(brut) : typeof brut === 'string' ? brut.trim() : '';
  if (!/^\d{1,9}$/.test(s)) throw ErreurMetier.une('PARAMETRE_INVALIDE', champ, { detail: `${champ} : un entier` });
  return Number(s);
}
