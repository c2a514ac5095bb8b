/**
 * UAI (Unité Administrative Immatriculée, ex-RNE) — code établissement de 8 caractères.
 *
 * Description : docs/domaine.md §2.
 * Motif `^[0-9]{7}[A-Z]$` ; clé = lettre d'indice (nombre à 7 chiffres mod 23)
 * dans `abcdefghjklmnprstuvwxyz` (sans i, o, q), comparée sans tenir compte de la casse.
 *
 * Code pur : aucune E/S, aucune dépendance.
 */

const ALPHABET_UAI = 'abcdefghjklmnprstuvwxyz';

/**
 * Clé d'un UAI à partir de ses 7 chiffres, renvoyée en MAJUSCULE (forme stockée).
 * Lève `RangeError` si l'entrée n'est pas 7 chiffres.
 */
export function cleUai(sept: string): string {
  if (!/^[0-9]{7}$/.test(sept)) {
    throw new RangeError(`cleUai : 7 chiffres attendus, reçu ${JSON.stringify(sept)}`);
  }
  return ALPHABET_UAI.charAt(Number(sept) % 23).toUpperCase();
}

/**
 * Vérifie un UAI. Les blancs en début/fin sont ignorés ; la lettre peut être en
 * minuscule. En cas de succès, l'UAI est renvoyé en majuscules.
 * Le contrôle de préfixe départemental de csv-detective n'est pas appliqué ici.
 */
export function verifierUai(raw: string): { valide: true; uai: string } | { valide: false; raison: 'FORMAT' | 'CLE' } {
  const s = raw.trim();
  if (!/^[0-9]{7}[A-Za-z]$/.test(s)) return { valide: false, raison: 'FORMAT' };
  const uai = s.toUpperCase();
  if (cleUai(uai.slice(0, 7)) !== uai.charAt(7)) return { valide: false, raison: 'CLE' };
  return { valide: true, uai };
}
