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
  return rogner(s)
    .replace(/[^\S\uFEFF]+/g, ' ')
    .toLocaleUpperCase('fr-FR');
}

/**
 * `trim()` but for U+FEFF, which JavaScript counts as a blank: a byte-order mark in a value must reach
 * the check that refuses it (CARACTERE_INTERDIT), not be dropped silently.
 */
export function rogner(s: string): string {
  // Most values begin and end with a visible ASCII character: nothing to remove, no regex run.
  const a = s.charCodeAt(0);
  const z = s.charCodeAt(s.length - 1);
  if (a > 0x20 && a < 0x7f && z > 0x20 && z < 0x7f) return s;
  return s.replace(/^[^\S\uFEFF]+|[^\S\uFEFF]+$/g, '');
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
  if (s.length > CLE_MEMO_LONGUEUR_MAX) return calculerCle(s);
  let c = CLES_RECENTES.get(s);
  if (c === undefined) {
    c = calculerCle(s);
    if (CLES_RECENTES.size >= CLES_MEMO_MAX) CLES_RECENTES.clear();
    CLES_RECENTES.set(s, c);
  }
  return c;
}

/**
 * Recent keys, by text: a file repeats its countries, its bac mentions and its first names thousands of
 * times, and the key's Unicode work (French upper case, NFD) is the costly part. Bounded in count and
 * in text length; emptied when full.
 */
const CLES_RECENTES = new Map<string, string>();
const CLES_MEMO_MAX = 10_000;
const CLE_MEMO_LONGUEUR_MAX = 100;

function calculerCle(s: string): string {
  return normaliserNom(s)
    .replace(/[ŒÆØŁĐ]/g, (c) => LIGATURES_ET_LETTRES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[-\u2010-\u2015'\u2018\u2019\u02BC]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The first character a text value may not hold, as `U+XXXX`, or undefined: NUL and the other control
 * characters but tab, line feed and carriage return, DEL, a byte-order mark inside a value, and half of
 * a UTF-16 surrogate pair (which no encoding can store; databases would turn it into U+FFFD or `?`).
 */
export function caractereInterdit(s: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this function's purpose.
  const m = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u.exec(s);
  if (!m) return undefined;
  return `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Whether a JSON text nests arrays and objects deeper than `max`, read without parsing it (strings
 * skipped): a body of 50,000 `[` is refused before any recursive code sees it.
 */
export function jsonTropProfond(texte: Uint8Array, max: number): boolean {
  let profondeur = 0;
  let dansChaine = false;
  for (let i = 0; i < texte.length; i++) {
    const c = texte[i];
    if (dansChaine) {
      if (c === 0x5c) i++;
      else if (c === 0x22) dansChaine = false;
    } else if (c === 0x22) dansChaine = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++profondeur > max) return true;
    } else if (c === 0x5d || c === 0x7d) profondeur--;
  }
  return false;
}
