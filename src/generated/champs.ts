/* Généré depuis schemas/*.schema.json par `npm run gen:types` (dérivation : src/application/champs.ts) : ne pas modifier à la main. */
/* Copie pure des listes de champs, pour le code du domaine qui ne lit pas de fichier ; ailleurs, importer src/application/champs.ts. */
import type { LaissezPasser } from './laissez-passer';

/** Champs entiers du laissez-passer (type integer). */
export const ENTIERS_LP = ["codVrsVet", "codVrsVdi"] as const satisfies readonly (keyof LaissezPasser)[];
/** Champs date du laissez-passer (format date). */
export const DATES_LP = ["dateDebutValidite", "dateFinValidite"] as const satisfies readonly (keyof LaissezPasser)[];
