import { ErreurMetier } from '../domain/errors';

/** The `limite` query parameter of a search: an integer from 1 to `max`, `defaut` when absent. */
export function lireLimite(brut: string | undefined, defaut: number, max: number): number {
  const limite = brut === undefined ? defaut : Number(brut);
  if (!Number.isInteger(limite) || limite < 1 || limite > max) {
    throw ErreurMetier.une('PARAMETRE_INVALIDE', 'limite', { detail: `limite entre 1 et ${max}` });
  }
  return limite;
}
