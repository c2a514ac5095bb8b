/**
 * The Parcoursup back-channel, pure: which IA Parcoursup must hear about, the state it is told
 * (`etatInscription` of `majInscriptionAdministrative`) and the notification itself. Each notification
 * carries the IA's absolute state, never a difference: delivering one twice changes nothing.
 *
 * `etatInscription`: 1 inscription principale, 2 double cursus, 3 annulée (démission), 4 parallèle,
 * 5 parallèle secondaire.
 */
import type { Catalogue } from '../nomenclatures';
import type { CursusInscription } from './types';

/** The outbox type of the notification (table `notification_sortante`). */
export const TYPE_MAJ_IA_PARCOURSUP = 'PARCOURSUP_MAJ_IA';

export const CURSUS: readonly CursusInscription[] = ['PRINCIPALE', 'DOUBLE_CURSUS', 'PARALLELE', 'PARALLELE_SECONDAIRE'];

export type EtatInscriptionParcoursup = 1 | 2 | 3 | 4 | 5;

const ETAT_VALIDEE: Record<CursusInscription, EtatInscriptionParcoursup> = {
  PRINCIPALE: 1,
  DOUBLE_CURSUS: 2,
  PARALLELE: 4,
  PARALLELE_SECONDAIRE: 5,
};

/** A stored cursus (NULL for an IA recorded before the field existed, or anything unknown) → the cursus it means. */
export function cursusDe(brut: string | null | undefined): CursusInscription {
  return CURSUS.includes(brut as CursusInscription) ? (brut as CursusInscription) : 'PRINCIPALE';
}

/**
 * The state Parcoursup is told when an IA reaches `etat`: validated → 1, 2, 4 or 5 by its cursus;
 * cancelled → 3; any other state → undefined (nothing to tell).
 */
export function etatInscriptionParcoursup(etat: string, cursus: string | null | undefined): EtatInscriptionParcoursup | undefined {
  if (etat === 'ANNULEE') return 3;
  if (etat === 'VALIDEE') return ETAT_VALIDEE[cursusDe(cursus)];
  return undefined;
}

/** A client of the gateway that is Parcoursup: its name is `parcoursup`, or starts with it and a separator (`parcoursup-prod`, `parcoursup.2026`). */
export function estClientParcoursup(client: string | null | undefined): boolean {
  return /^parcoursup(?:$|[._@:-])/i.test((client ?? '').trim());
}

/** The candidate number in an OPI number: its last 7 digits, without leading zeros; undefined when they are not 7 digits or all zeros. */
export function candidatDuNumero(codOpiIntEpo: string): string | undefined {
  const m = /(\d{7})$/.exec(codOpiIntEpo.trim());
  if (!m) return undefined;
  const n = m[1].replace(/^0+/, '');
  return n || undefined;
}

/** An OPI number of the Parcoursup form: `P`, the campaign's 2-digit year, the candidate number on 7 digits (`P260012345`). */
export function estNumeroOpiParcoursup(codOpiIntEpo: string | null | undefined): boolean {
  return /^P\d{2}\d{7}$/i.test((codOpiIntEpo ?? '').trim());
}

export type CandidatParcoursup =
  /** Not a Parcoursup OPI: Parcoursup is not told. */
  | { parcoursup: false }
  /** A Parcoursup OPI; `codeCandidat` undefined when its number does not give one (a Parcoursup client's OPI numbered otherwise). */
  | { parcoursup: true; codeCandidat?: string };

/**
 * Whether an IA's OPI is a Parcoursup one, and its candidate: the OPI number has the Parcoursup form,
 * or the OPI was written by a Parcoursup client. The candidate number is the last 7 digits of the
 * OPI number, without leading zeros.
 */
export function candidatParcoursup(codOpiIntEpo: string | null | undefined, sourceOpi: string | null | undefined): CandidatParcoursup {
  const code = (codOpiIntEpo ?? '').trim();
  if (!code) return { parcoursup: false };
  if (!estNumeroOpiParcoursup(code) && !estClientParcoursup(sourceOpi)) return { parcoursup: false };
  const codeCandidat = candidatDuNumero(code);
  return codeCandidat ? { parcoursup: true, codeCandidat } : { parcoursup: true };
}

/** The Parcoursup formation code of an étape and version: the `parcoursup` row of `correspondances-formations` that names it (one in service first). */
export function codeFormationPsup(cat: Catalogue, codEtp: string, codVrsVet: number): string | undefined {
  const lignes = correspondances(cat).filter(
    (c) => String(c.plateforme).toLowerCase() === 'parcoursup' && String(c.codEtp).toUpperCase() === codEtp.toUpperCase() && Number(c.codVrsVet) === codVrsVet,
  );
  const choisie = lignes.find((c) => c.enService) ?? lignes[0];
  return choisie ? String(choisie.codeExterne) : undefined;
}

/** The SISE code, when the nomenclatures give one (`codeSise` on the correspondence, the étape or the diploma). */
function codeSise(cat: Catalogue, ia: IaNotifiee): string | null {
  const corr = correspondances(cat).find(
    (c) =>
      String(c.plateforme).toLowerCase() === 'parcoursup' && String(c.codEtp).toUpperCase() === ia.codEtp.toUpperCase() && Number(c.codVrsVet) === ia.codVrsVet,
  );
  const etape = cat.trouver('etapes', ia.codEtp, ia.codVrsVet);
  const diplome = ia.codDip && ia.codVrsVdi !== null ? cat.trouver('diplomes', ia.codDip, ia.codVrsVdi) : undefined;
  for (const e of [corr, etape, diplome]) {
    const v = e?.codeSise ?? e?.codSise;
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

function correspondances(cat: Catalogue) {
  return cat.lister('correspondances-formations');
}

/** ISO `YYYY-MM-DD` → `dd/MM/yyyy` (Parcoursup's dates); null when not an ISO date. */
export function dateParcoursup(iso: string | null | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((iso ?? '').trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : null;
}

/** What the notification needs of the IA. */
export interface IaNotifiee {
  etat: string;
  cursus?: string | null;
  codOpiIntEpo: string | null;
  ine: string | null;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
}

/** What it needs of the IA's OPI (absent: an IA opened by a laissez-passer naming an OPI the gateway has not received). */
export interface OpiNotifiee {
  source: string;
  libNomPatIndOpi: string;
  libPr1IndOpi: string;
  dateNaiIndOpi: string;
  codNneIndOpi: string | null;
  codCleNneIndOpi: string | null;
}

/** The body of `majInscriptionAdministrative` but the credentials and the establishment (`identifiant`, `codeEtablissementAffectation`: the adapter's). */
export interface CorpsMajIaParcoursup {
  codeCandidat: string | null;
  ine: string | null;
  nom: string | null;
  prenom: string | null;
  dateNaissance: string | null;
  codeFormationPsup: string | null;
  codeFormation1: string;
  codeSISE: string | null;
  etatInscription: EtatInscriptionParcoursup;
}

export type NotificationIa =
  | { notifier: false }
  | {
      notifier: true;
      /** The outbox key: the candidate (the OPI number when the candidate number is unknown). */
      cle: string;
      corps: CorpsMajIaParcoursup;
      /** Why it cannot be delivered as it is (no candidate number): recorded directly as a failure, visible and retryable. */
      erreur?: string;
    };

/**
 * The notification an IA now in `ia.etat` owes Parcoursup, if any: an IA of a Parcoursup OPI, validated
 * or cancelled. `codeFormation1` is the étape, the establishment's own formation code.
 */
export function notificationIa(ia: IaNotifiee, opi: OpiNotifiee | null, cat: Catalogue): NotificationIa {
  const etatInscription = etatInscriptionParcoursup(ia.etat, ia.cursus);
  if (etatInscription === undefined) return { notifier: false };
  const candidat = candidatParcoursup(ia.codOpiIntEpo, opi?.source);
  if (!candidat.parcoursup) return { notifier: false };
  const ineOpi = opi?.codNneIndOpi ? `${opi.codNneIndOpi}${opi.codCleNneIndOpi ?? ''}` : null;
  const corps: CorpsMajIaParcoursup = {
    codeCandidat: candidat.codeCandidat ?? null,
    ine: ia.ine ?? ineOpi,
    nom: opi?.libNomPatIndOpi ?? null,
    prenom: opi?.libPr1IndOpi ?? null,
    dateNaissance: dateParcoursup(opi?.dateNaiIndOpi),
    codeFormationPsup: codeFormationPsup(cat, ia.codEtp, ia.codVrsVet) ?? null,
    codeFormation1: ia.codEtp,
    codeSISE: codeSise(cat, ia),
    etatInscription,
  };
  if (candidat.codeCandidat) return { notifier: true, cle: candidat.codeCandidat, corps };
  return {
    notifier: true,
    cle: `OPI:${ia.codOpiIntEpo}`,
    corps,
    erreur: `Numéro de candidat Parcoursup introuvable : l'OPI ${ia.codOpiIntEpo} ne se termine pas par 7 chiffres.`,
  };
}
