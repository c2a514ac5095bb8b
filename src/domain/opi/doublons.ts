/**
 * Duplicate individuals ("doublons", 16 % of enrolment errors): the same person under another OPI
 * number. Looked for in the domain reference's order: student number, INE (+ key), then civil
 * identity (birth name, first name, birth date) compared upper-case without accents.
 */
import type { CodeErreur } from '../errors';

export interface IdentiteOpi {
  id: number;
  codOpiIntEpo: string;
  codEtuOpi: number | null;
  codNneIndOpi: string | null;
  codCleNneIndOpi: string | null;
  cleNomPat: string;
  clePr1: string;
  dateNaiIndOpi: string;
}

export interface DoublonTrouve {
  motif: Extract<CodeErreur, 'DOUBLON_INE' | 'DOUBLON_COD_ETU' | 'DOUBLON_ETAT_CIVIL'>;
  existant: IdentiteOpi;
}

/** Among `candidats` (rows sharing at least one criterion), the ones that are the same person, with why. */
export function detecterDoublons(moi: Omit<IdentiteOpi, 'id'> & { id?: number }, candidats: IdentiteOpi[]): DoublonTrouve[] {
  const out: DoublonTrouve[] = [];
  for (const c of candidats) {
    if (c.codOpiIntEpo === moi.codOpiIntEpo) continue;
    if (moi.codEtuOpi !== null && c.codEtuOpi === moi.codEtuOpi) out.push({ motif: 'DOUBLON_COD_ETU', existant: c });
    if (moi.codNneIndOpi !== null && c.codNneIndOpi === moi.codNneIndOpi && c.codCleNneIndOpi === moi.codCleNneIndOpi) {
      out.push({ motif: 'DOUBLON_INE', existant: c });
    }
    if (c.cleNomPat === moi.cleNomPat && c.clePr1 === moi.clePr1 && c.dateNaiIndOpi === moi.dateNaiIndOpi) {
      out.push({ motif: 'DOUBLON_ETAT_CIVIL', existant: c });
    }
  }
  return out;
}

type Criteres = Pick<IdentiteOpi, 'codEtuOpi' | 'codNneIndOpi' | 'cleNomPat' | 'clePr1' | 'dateNaiIndOpi'>;

/**
 * Whether `autre` is a candidate for `moi`: it shares one of the criteria the search looks on (the
 * civil identity, the INE number, the student number), each of which has its index in the store.
 */
export function partageUnCritere(moi: Criteres, autre: Criteres): boolean {
  return (
    (autre.cleNomPat === moi.cleNomPat && autre.clePr1 === moi.clePr1 && autre.dateNaiIndOpi === moi.dateNaiIndOpi)
    || (moi.codNneIndOpi !== null && autre.codNneIndOpi === moi.codNneIndOpi)
    || (moi.codEtuOpi !== null && autre.codEtuOpi === moi.codEtuOpi)
  );
}

/** The keys under which an identity is found by each criterion (for an index of many identities). */
export function clesDeRecherche(i: Criteres): string[] {
  const cles = [`C|${i.cleNomPat}|${i.clePr1}|${i.dateNaiIndOpi}`];
  if (i.codNneIndOpi !== null) cles.push(`I|${i.codNneIndOpi}`);
  if (i.codEtuOpi !== null) cles.push(`E|${i.codEtuOpi}`);
  return cles;
}
