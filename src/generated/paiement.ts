/* Généré depuis schemas/paiement.schema.json par `npm run gen:types` : ne pas modifier à la main. */

/**
 * Paiement des droits d'une inscription : le montant doit être le montant dû ; la référence rend le paiement idempotent.
 */
export interface Paiement {
/**
 * Montant payé en euros
 */
montant: number
/**
 * Référence de la transaction (banque, régie)
 */
reference: string
/**
 * Mode de paiement
 */
mode: ("CB" | "VIREMENT" | "CHEQUE" | "ESPECES" | "PRELEVEMENT" | "PRISE_EN_CHARGE")
}
