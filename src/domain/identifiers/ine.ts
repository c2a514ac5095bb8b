/**
 * INE (Identifiant National Étudiant) — 11 caractères.
 *
 * Description : docs/domaine.md §1 (mêmes règles qu'eCandidat
 * `MethodUtils.checkBEA23` / `checkNNE36` / `isINES` / `getIne` / `getCleIne`).
 *
 * Code pur : aucune E/S, aucune dépendance.
 *
 * Formats (sur une valeur normalisée) :
 * - INE_RNIE           `^[0-9]{9}[A-Z]{2}$`        clé non vérifiable localement (service INES distant)
 * - INE_APPRENTISSAGE  `^[0-9]{4}A[0-9]{5}[A-Z]$`  aucune clé connue
 * - INE_BEA            `^[0-9]{10}[A-Z]$`          clé = (nombre à 10 chiffres mod 23) → `ABCDEFGHJKLMNPRSTUVWXYZ`
 * - INE_UNIVERSITAIRE  `^[0-9A-Z]{10}[0-9]$`       clé = dernier chiffre de 6·(v1+…+v9) + v10 (base 36)
 *
 * Précédence de détection : RNIE, puis APPRENTISSAGE, puis BEA, puis UNIVERSITAIRE.
 * En pratique les quatre motifs sont mutuellement exclusifs (le 5e caractère `A`
 * distingue l'apprentissage du BEA/RNIE, le dernier caractère chiffre/lettre distingue
 * l'universitaire des trois autres, le 10e caractère chiffre/lettre distingue BEA de RNIE) ;
 * l'ordre est néanmoins fixé (et testé) pour que le résultat ne dépende jamais de
 * l'ordre d'évaluation si un motif venait à être élargi.
 */

export type IneFormat = 'INE_RNIE' | 'INE_BEA' | 'INE_UNIVERSITAIRE' | 'INE_APPRENTISSAGE';

export type IneVerdict =
  | { valide: true; format: IneFormat; ine: string; nne: string; cle: string; cleVerifiee: boolean }
  | { valide: false; raison: 'FORMAT' | 'CLE'; format?: IneFormat };

const RE_RNIE = /^[0-9]{9}[A-Z]{2}$/;
const RE_APPRENTISSAGE = /^[0-9]{4}A[0-9]{5}[A-Z]$/;
const RE_BEA = /^[0-9]{10}[A-Z]$/;
const RE_UNIVERSITAIRE = /^[0-9A-Z]{10}[0-9]$/;

/** Alphabet de 23 lettres sans I, O, Q. */
const ALPHABET_BEA23 = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** 10 fois le même chiffre : rejeté par les deux algorithmes d'eCandidat. */
const RE_CHIFFRES_IDENTIQUES = /^([0-9])\1{9}$/;
/** 10 lettres : rejeté par l'algorithme base 36. */
const RE_LETTRES_SEULES = /^[A-Z]{10}$/;

/**
 * Normalise une saisie : retire tous les blancs (y compris insécables) et les tirets
 * (trait d'union ASCII et tirets Unicode U+2010–U+2015), puis met en majuscules les
 * seules lettres ASCII (une lettre non ASCII — `ß`, `ı`… — est conservée telle quelle
 * et fera échouer le contrôle de format au lieu d'être transformée en `SS`/`I`).
 */
export function normaliserIne(raw: string): string {
  return raw.replace(/[\s\-\u2010-\u2015]/g, '').replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** Détecte le format d'un INE déjà normalisé ; `null` si aucun motif ne correspond. */
export function detecterFormatIne(ine: string): IneFormat | null {
  if (RE_RNIE.test(ine)) return 'INE_RNIE';
  if (RE_APPRENTISSAGE.test(ine)) return 'INE_APPRENTISSAGE';
  if (RE_BEA.test(ine)) return 'INE_BEA';
  if (RE_UNIVERSITAIRE.test(ine)) return 'INE_UNIVERSITAIRE';
  return null;
}

/**
 * Clé BEA (rectorat) d'un numéro à 10 chiffres : lettre d'indice (numéro mod 23)
 * dans `ABCDEFGHJKLMNPRSTUVWXYZ`. Le modulo est calculé chiffre par chiffre
 * (pas de perte de précision). Lève `RangeError` si l'entrée n'est pas 10 chiffres.
 */
export function cleBea23(dix: string): string {
  if (!/^[0-9]{10}$/.test(dix)) {
    throw new RangeError(`cleBea23 : 10 chiffres attendus, reçu ${JSON.stringify(dix)}`);
  }
  let reste = 0;
  for (const c of dix) {
    reste = (reste * 10 + (c.charCodeAt(0) - 48)) % 23;
  }
  return ALPHABET_BEA23.charAt(reste);
}

/** Valeur base 36 d'un caractère `[0-9A-Z]` (insensible à la casse). */
function valeurBase36(c: string): number {
  const code = c.toUpperCase().charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/**
 * Clé « universitaire » (base 36) d'un préfixe de 10 caractères `[0-9A-Z]` :
 * dernier chiffre décimal de 6·(v(c1)+…+v(c9)) + v(c10).
 * Lève `RangeError` si l'entrée n'est pas 10 caractères alphanumériques.
 */
export function cleNne36(dix: string): string {
  if (!/^[0-9A-Za-z]{10}$/.test(dix)) {
    throw new RangeError(`cleNne36 : 10 caractères [0-9A-Z] attendus, reçu ${JSON.stringify(dix)}`);
  }
  let somme = 0;
  for (let i = 0; i < 9; i++) somme += valeurBase36(dix.charAt(i));
  somme = 6 * somme + valeurBase36(dix.charAt(9));
  return String(somme % 10);
}

/** Équivalent de `MethodUtils.checkBEA23` (sur une valeur normalisée). */
function passeBea23(ine: string): boolean {
  if (!RE_BEA.test(ine)) return false;
  const nne = ine.slice(0, 10);
  if (RE_CHIFFRES_IDENTIQUES.test(nne)) return false;
  // Une clé I, O ou Q ne peut jamais être égale à la clé calculée (absentes de l'alphabet).
  return cleBea23(nne) === ine.charAt(10);
}

/** Équivalent de `MethodUtils.checkNNE36` (sur une valeur normalisée, motif strict de docs/domaine.md §1). */
function passeNne36(ine: string): boolean {
  if (!RE_UNIVERSITAIRE.test(ine)) return false;
  const nne = ine.slice(0, 10);
  if (RE_CHIFFRES_IDENTIQUES.test(nne) || RE_LETTRES_SEULES.test(nne)) return false;
  return cleNne36(nne) === ine.charAt(10);
}

/**
 * Vérifie un INE selon la règle d'eCandidat (`CandidatController.checkStudentINE`) :
 * - 9+2 (RNIE) : format accepté, clé non vérifiable localement (`cleVerifiee: false`),
 *   découpage 9 + 2 ;
 * - apprentissage : format accepté, pas d'algorithme de clé connu (`cleVerifiee: false`) ;
 * - sinon (10+1) : accepté si la clé BEA23 **ou** la clé NNE36 est correcte
 *   (`cleVerifiee: true`), refusé avec `raison: 'CLE'` si les deux échouent
 *   (y compris préfixe de 10 chiffres identiques ou de 10 lettres) ;
 * - tout le reste : `raison: 'FORMAT'`. Une saisie vide est un échec de FORMAT ici :
 *   c'est à l'appelant de décider si l'INE est obligatoire.
 */
export function verifierIne(raw: string): IneVerdict {
  const ine = normaliserIne(raw);
  const format = detecterFormatIne(ine);
  if (format === null) return { valide: false, raison: 'FORMAT' };

  if (format === 'INE_RNIE') {
    return { valide: true, format, ine, nne: ine.slice(0, 9), cle: ine.slice(9), cleVerifiee: false };
  }
  if (format === 'INE_APPRENTISSAGE') {
    return { valide: true, format, ine, nne: ine.slice(0, 10), cle: ine.slice(10), cleVerifiee: false };
  }
  if (passeBea23(ine) || passeNne36(ine)) {
    return { valide: true, format, ine, nne: ine.slice(0, 10), cle: ine.slice(10), cleVerifiee: true };
  }
  return { valide: false, raison: 'CLE', format };
}
