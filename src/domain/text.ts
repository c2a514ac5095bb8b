/**
 * Normalisation des textes (noms, prénoms…) — voir docs/domaine.md §6.
 *
 * Code pur : aucune E/S, aucune dépendance.
 */

/**
 * Forme d'affichage/stockage d'un nom : blancs de début/fin retirés, blancs internes
 * (y compris insécables, tabulations) réduits à une espace, majuscules françaises
 * avec accents CONSERVÉS (`élodie` → `ÉLODIE`). `ß` devient `SS` (règle Unicode).
 */
export function normaliserNom(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLocaleUpperCase('fr-FR');
}

/** Lettres sans décomposition canonique (NFD) qu'on rabat sur l'ASCII pour comparer. */
const LIGATURES_ET_LETTRES: Readonly<Record<string, string>> = {
  Œ: 'OE',
  Æ: 'AE',
  Ø: 'O',
  Ł: 'L',
  Đ: 'D',
};

/**
 * Clé de comparaison (détection de doublons) : `normaliserNom`, puis `Œ`→`OE`, `Æ`→`AE`
 * (et `Ø`, `Ł`, `Đ` → `O`, `L`, `D`), suppression des diacritiques (NFD + retrait des
 * marques combinantes), tirets (`-` et tirets Unicode) et apostrophes (`'`, `’`, `‘`, `ʼ`)
 * traités comme des espaces, espaces réduites.
 * Ex. `Lefèvre-Dupont` et `LEFEVRE  DUPONT` → `LEFEVRE DUPONT`.
 */
export function cleComparaison(s: string): string {
  return normaliserNom(s)
    .replace(/[ŒÆØŁĐ]/g, (c) => LIGATURES_ET_LETTRES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[-\u2010-\u2015'\u2018\u2019\u02BC]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
