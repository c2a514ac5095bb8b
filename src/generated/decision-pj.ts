/* Généré depuis schemas/decision-pj.schema.json par `npm run gen:types` : ne pas modifier à la main. */

/**
 * Décision de la scolarité sur une pièce justificative reçue : validée, ou refusée avec un motif.
 */
export interface DecisionPj {
/**
 * VALIDEE ou REFUSEE
 */
statut: ("VALIDEE" | "REFUSEE")
/**
 * Code du motif de refus (nomenclature motifs-refus-pj), obligatoire pour un refus
 */
motif?: string
/**
 * Précision donnée à l'étudiant (par exemple ce qui manque)
 */
commentaire?: string
}
