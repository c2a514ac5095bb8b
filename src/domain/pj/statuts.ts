/**
 * The life of an owed document: ATTENDUE (nothing received) → DEPOSEE (a file received) → VALIDEE or
 * REFUSEE (by staff, with a reason). A new file after a refusal (or instead of a deposited one) puts it
 * back to DEPOSEE; a validated document is replaced only by a new file (back to DEPOSEE, history kept).
 */
import { ErreurMetier } from '../errors';

export type StatutPj = 'ATTENDUE' | 'DEPOSEE' | 'VALIDEE' | 'REFUSEE';
export type DecisionPj = 'VALIDEE' | 'REFUSEE';

/** A staff decision is taken on a document that was received. */
export function verifierDecision(actuel: StatutPj, decision: DecisionPj): void {
  if (actuel === 'ATTENDUE') throw ErreurMetier.une('TRANSITION_INTERDITE', 'statut', { de: actuel, vers: decision });
}

/** Whether a document still has to be provided (or provided again). */
export function resteAFournir(statut: StatutPj): boolean {
  return statut === 'ATTENDUE' || statut === 'REFUSEE';
}
