/* Généré depuis schemas/inscription.schema.json par `npm run gen:types` : ne pas modifier à la main. */

/**
 * Demande d'inscription administrative (IA) : un individu (numéro d'OPI, numéro étudiant ou INE), une année, une étape/version. Régime, statut, catégorie « Oui Si » et situation droits ne se saisissent pas : ils sont résolus (LP → vœu d'OPI → individu d'OPI → défaut de la formation).
 */
export interface DemandeInscription {
/**
 * Année universitaire (2026 pour 2026-2027)
 */
codAnu: string
/**
 * Numéro d'OPI (1 à 10 lettres ou chiffres)
 */
codOpiIntEpo?: string
/**
 * Numéro étudiant (8 chiffres au plus)
 */
codEtu?: string
/**
 * INE + clé (11 caractères)
 */
ine?: string
/**
 * Étape
 */
codEtp: string
/**
 * Version d'étape
 */
codVrsVet: number
/**
 * Numéro d'attestation CVEC (obligatoire pour les régimes de formation initiale)
 */
numeroCvec?: string
/**
 * Boursier sur critères sociaux (exonéré des droits et du paiement de la CVEC)
 */
boursier?: boolean
/**
 * Numéro de boursier (INDIVIDU.NUM_BRS_ETU)
 */
numBoursier?: string
/**
 * Profil exonérant (nomenclature profils-exonerants)
 */
profilExonerant?: string
/**
 * Nationalité (code pays INSEE) ; par défaut celle de l'OPI
 */
codPayNat?: string
/**
 * Cursus de l'inscription : PRINCIPALE (par défaut), DOUBLE_CURSUS, PARALLELE ou PARALLELE_SECONDAIRE ; transmis à Parcoursup à la validation (etatInscription 1, 2, 4 ou 5)
 */
cursus?: ("PRINCIPALE" | "DOUBLE_CURSUS" | "PARALLELE" | "PARALLELE_SECONDAIRE")
}
