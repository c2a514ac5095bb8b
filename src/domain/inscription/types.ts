/** Shapes of an administrative enrolment (IA) as the doors return it. Amounts are in euros (2 decimals). */
import type { ValeurResolue } from '../acces';

export type EtatInscription = 'EN_ATTENTE_PAIEMENT' | 'PAYEE' | 'EXONEREE' | 'VALIDEE' | 'ANNULEE';

/** The kind of enrolment, as Parcoursup counts it: the main one, a double cursus, a parallel (or secondary parallel) one. */
export type CursusInscription = 'PRINCIPALE' | 'DOUBLE_CURSUS' | 'PARALLELE' | 'PARALLELE_SECONDAIRE';

export interface Droits {
  /** Level of the étape (LICENCE, MASTER, DOCTORAT, INGENIEUR…), which sets the national amount. */
  niveau: string;
  /** Amount before any exonération (national or differentiated, or the continuing-education rate). */
  montantBase: number;
  /** What the student owes the establishment. */
  montantDu: number;
  tarif: 'NATIONAL' | 'DIFFERENCIE' | 'FORMATION_CONTINUE';
  exoneration: { type: 'AUCUNE' | 'TOTALE' | 'PARTIELLE' | 'DROITS_DIFFERENCIES' | 'PRISE_EN_CHARGE'; motif: string | null; source: string | null };
}

export interface Cvec {
  /** The régime owes the CVEC (initial training): an attestation number is required at enrolment. */
  requise: boolean;
  numero: string | null;
  montant: number | null;
  /** Exempt from paying (boursier, réfugié…): the attestation is still required. */
  paiementExonere: boolean;
  motif: string | null;
}

export interface InscriptionLue {
  id: number;
  codAnu: string;
  codOpiIntEpo: string | null;
  codEtu: string | null;
  ine: string | null;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codCge: string | null;
  /** What opened the access: LP, OPI_VOEU, or both. */
  ouvertPar: string[];
  etat: EtatInscription;
  valeurs: { codRgi: ValeurResolue; codStu: ValeurResolue; codCatOuiSi: ValeurResolue; codCatExoExt: ValeurResolue };
  boursier: boolean;
  numBoursier: string | null;
  profilExonerant: string | null;
  codPayNat: string | null;
  /** PRINCIPALE unless the request said otherwise (an IA recorded before the field existed reads PRINCIPALE). */
  cursus: CursusInscription;
  droits: Droits;
  cvec: Cvec;
  paiement: { montant: number; reference: string; mode: string; le: string } | null;
  /** Why each value is what it is, in French, one line each. */
  explication: string[];
  version: number;
  creeLe: string;
  modifieLe: string;
}

export interface ResultatCreationInscription {
  resultat: 'CREEE' | 'EXISTANTE';
  inscription: InscriptionLue;
}
