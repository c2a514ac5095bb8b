/** The life of an IA: EN_ATTENTE_PAIEMENT → PAYEE or EXONEREE → VALIDEE, or ANNULEE from any state but ANNULEE. */
import { ErreurMetier, probleme } from '../errors';
import type { EtatInscription } from './types';

const TRANSITIONS: Record<EtatInscription, EtatInscription[]> = {
  EN_ATTENTE_PAIEMENT: ['PAYEE', 'ANNULEE'],
  PAYEE: ['VALIDEE', 'ANNULEE'],
  EXONEREE: ['VALIDEE', 'ANNULEE'],
  VALIDEE: ['ANNULEE'],
  ANNULEE: [],
};

export function etatInitial(montantDu: number): EtatInscription {
  return montantDu > 0 ? 'EN_ATTENTE_PAIEMENT' : 'EXONEREE';
}

export function verifierTransition(de: EtatInscription, vers: EtatInscription, chemin = 'etat'): void {
  if (!TRANSITIONS[de].includes(vers)) throw new ErreurMetier([probleme('TRANSITION_INTERDITE', chemin, { de, vers })], 409);
}

export function transitionPermise(de: EtatInscription, vers: EtatInscription): boolean {
  return TRANSITIONS[de].includes(vers);
}
