/**
 * Dates du domaine (docs/domaine.md §7).
 *
 * Représentation pivot : chaîne ISO `YYYY-MM-DD` (date civile, sans fuseau).
 * Tous les calculs se font sur des entiers (calendrier grégorien proleptique,
 * années 0001–9999) : aucun `new Date(string)`, donc aucun piège de fuseau horaire.
 *
 * Code pur : aucune E/S, aucune dépendance.
 */

/** Année bissextile grégorienne. */
function estBissextile(annee: number): boolean {
  return (annee % 4 === 0 && annee % 100 !== 0) || annee % 400 === 0;
}

function joursDansMois(annee: number, mois: number): number {
  switch (mois) {
    case 2:
      return estBissextile(annee) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

function estDateReelle(annee: number, mois: number, jour: number): boolean {
  return annee >= 1 && mois >= 1 && mois <= 12 && jour >= 1 && jour <= joursDansMois(annee, mois);
}

function pad(n: number, largeur: number): string {
  return String(n).padStart(largeur, '0');
}

/** Construit l'ISO si la date existe, sinon `null`. Les composants sont déjà des chaînes de chiffres. */
function versIso(aaaa: string, mm: string, jj: string): string | null {
  const annee = Number(aaaa);
  const mois = Number(mm);
  const jour = Number(jj);
  if (!estDateReelle(annee, mois, jour)) return null;
  return `${pad(annee, 4)}-${pad(mois, 2)}-${pad(jour, 2)}`;
}

/** `ddMMyyyy` (8 chiffres, format Apogée OPI) → ISO `YYYY-MM-DD`, ou `null` si invalide. */
export function parseDateApogee(s: string): string | null {
  const m = /^([0-9]{2})([0-9]{2})([0-9]{4})$/.exec(s);
  return m ? versIso(m[3]!, m[2]!, m[1]!) : null;
}

/** `YYYY-MM-DD` strict (date réelle) → la même chaîne, ou `null`. */
export function parseDateIso(s: string): string | null {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  return m ? versIso(m[1]!, m[2]!, m[3]!) : null;
}

/** `dd/MM/yyyy` strict (2 + 2 + 4 chiffres, format Parcoursup / CSV Pégase) → ISO, ou `null`. */
export function parseDateFr(s: string): string | null {
  const m = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/.exec(s);
  return m ? versIso(m[3]!, m[2]!, m[1]!) : null;
}

/** Décompose une ISO valide en entiers ; lève `RangeError` sinon. */
function composants(iso: string, nom: string): [number, number, number] {
  if (parseDateIso(iso) === null) {
    throw new RangeError(`${nom} : date ISO YYYY-MM-DD valide attendue, reçu ${JSON.stringify(iso)}`);
  }
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
}

/** ISO `YYYY-MM-DD` → `ddMMyyyy`. Lève `RangeError` si la date n'est pas valide. */
export function formatDateApogee(iso: string): string {
  const [annee, mois, jour] = composants(iso, 'formatDateApogee');
  return `${pad(jour, 2)}${pad(mois, 2)}${pad(annee, 4)}`;
}

/**
 * Âge en années révolues à la date de référence (deux dates ISO valides, sinon `RangeError`).
 * L'anniversaire est atteint le jour même (même mois et même jour) ; une personne née
 * un 29 février n'a son anniversaire, les années non bissextiles, que le 1er mars.
 * Résultat négatif si la référence précède la naissance.
 */
export function ageEnAnnees(isoNaissance: string, isoReference: string): number {
  const [an, mn, jn] = composants(isoNaissance, 'ageEnAnnees (naissance)');
  const [ar, mr, jr] = composants(isoReference, 'ageEnAnnees (référence)');
  const anniversairePasse = mr > mn || (mr === mn && jr >= jn);
  return ar - an - (anniversairePasse ? 0 : 1);
}
