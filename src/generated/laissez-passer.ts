/* Généré depuis schemas/laissez-passer.schema.json par `npm run gen:types` : ne pas modifier à la main. */

/**
 * Laissez-passer (LP) : autorise un individu (connu par numéro d'OPI, numéro étudiant ou INE — au moins un) à s'inscrire à une étape/version pour une année universitaire, avec régime, statut, catégorie « Oui Si » et situation droits. Champs de mettreAJourLaissezPasserWS_V2 d'Apogée 6.70 (numOPI s'écrit codOpiIntEpo ; numOPI est accepté comme synonyme). Identité : (individu, codAnu, codEtp, codVrsVet).
 */
export interface LaissezPasser {
/**
 * IAPRIMO (première inscription, individu connu par son OPI) ou REINS (réinscription, étudiant connu) ; déduit des identifiants s'il est absent
 */
typLpa?: ("IAPRIMO" | "REINS")
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
 * Diplôme
 */
codDip?: string
/**
 * Version de diplôme
 */
codVrsVdi?: number
/**
 * Centre de gestion (par défaut celui de l'étape)
 */
codCge?: string
/**
 * Régime d'inscription
 */
codRgi?: string
/**
 * Statut étudiant
 */
codStu?: string
/**
 * Catégorie « Oui Si »
 */
codCatOuiSi?: string
/**
 * Motif de la catégorie « Oui Si »
 */
mtfCat?: string
/**
 * Situation droits (2 à 5 caractères)
 */
codCatExoExt?: string
/**
 * Commentaire
 */
libCmtLpa?: string
/**
 * Début de validité (AAAA-MM-JJ)
 */
dateDebutValidite?: string
/**
 * Fin de validité (AAAA-MM-JJ)
 */
dateFinValidite?: string
}
