/* Généré depuis schemas/annulation.schema.json par `npm run gen:types` : ne pas modifier à la main. */

/**
 * Annulation d'une inscription, avec son motif.
 */
export interface Annulation {
/**
 * Motif de l'annulation
 */
motif: string
}
