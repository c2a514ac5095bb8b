/** Ports the use cases call out through; adapters implement them (src/adapters/…). */

export type VerdictInes = 'VALIDE' | 'INVALIDE' | 'INDISPONIBLE';

/** Online check of an RNIE-form INE (9 digits + 2 letters) by the INES service. */
export interface VerificateurInes {
  verifier(nne: string, cle: string): Promise<VerdictInes>;
}
