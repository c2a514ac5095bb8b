/**
 * Fees of an enrolment, as pure functions over the establishment's nomenclatures:
 * - the base: the national amount of the étape's level for the year; the differentiated amount for a
 *   nationality outside EU/EEE/Switzerland (pays.droitsNationaux = false) unless the situation droits
 *   or the profil exempts it; the continuing-education rate for an FC régime or an FC situation;
 * - then the exonération: boursier (total, and no CVEC payment), profil exonérant, situation droits
 *   (total, partial at its rate, differentiated fees only), fees paid by the employer (apprentice);
 * - the CVEC: due for the régimes that owe it (initial training); an attestation number is required
 *   even when its payment is exempt (boursier, réfugié…).
 * Every step adds a French line to the explanation.
 */
import type { EntreeNomenclature, Catalogue } from '../nomenclatures';
import type { ValeurResolue } from '../acces';
import { probleme, type Probleme } from '../errors';
import type { Cvec, Droits } from './types';

export interface EntreeCalcul {
  codAnu: string;
  codEtp: string;
  codVrsVet: number;
  valeurs: { codRgi: ValeurResolue; codStu: ValeurResolue; codCatOuiSi: ValeurResolue; codCatExoExt: ValeurResolue };
  codPayNat: string;
  boursier: boolean;
  profilExonerant: string | null;
}

export interface Calcul {
  droits: Droits;
  cvec: Omit<Cvec, 'numero'>;
  explication: string[];
  problemes: Probleme[];
}

const SOURCES: Record<string, string> = {
  LP: 'laissez-passer',
  OPI_VOEU: "vœu d'OPI",
  OPI_INDIVIDU: 'OPI (individu)',
  FORMATION: 'défaut de la formation',
};

export function euros(n: number): string {
  return `${n.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
}

/** Rounds to the cent (amounts are stored in cents). */
export function auCentime(n: number): number {
  // Half a cent rounds up (1.005 → 1.01): the binary representation of 1.005 is just below it.
  return Math.round((n + Math.sign(n) * Number.EPSILON * Math.max(1, Math.abs(n))) * 100) / 100;
}

export function expliquerValeurs(cat: Catalogue, v: EntreeCalcul['valeurs']): string[] {
  const ligne = (titre: string, nom: 'regimes' | 'statuts' | 'categories-oui-si' | 'situations-droits', r: ValeurResolue) => {
    if (r.valeur === null) return `${titre} : aucune.`;
    const lib = cat.trouver(nom, r.valeur)?.libelle;
    return `${titre} ${r.valeur}${lib ? ` (${lib})` : ''} : ${SOURCES[r.source ?? ''] ?? r.source}.`;
  };
  return [
    ligne("Régime d'inscription", 'regimes', v.codRgi),
    ligne('Statut', 'statuts', v.codStu),
    ligne('Catégorie « Oui Si »', 'categories-oui-si', v.codCatOuiSi),
    ligne('Situation droits', 'situations-droits', v.codCatExoExt),
  ];
}

export function calculerDroits(e: EntreeCalcul, cat: Catalogue): Calcul {
  const problemes: Probleme[] = [];
  const explication = expliquerValeurs(cat, e.valeurs);
  const etape = cat.trouver('etapes', e.codEtp, e.codVrsVet);
  const niveau = String(etape?.niveau ?? 'INCONNU');
  const tarif = cat.trouver('droits-inscription', e.codAnu, niveau);
  const regime = e.valeurs.codRgi.valeur ? cat.trouver('regimes', e.valeurs.codRgi.valeur) : undefined;
  const situation = e.valeurs.codCatExoExt.valeur ? cat.trouver('situations-droits', e.valeurs.codCatExoExt.valeur) : undefined;
  const pays = cat.trouver('pays', e.codPayNat);
  const profil: EntreeNomenclature | undefined = e.profilExonerant ? cat.trouver('profils-exonerants', e.profilExonerant) : undefined;
  const boursier = e.boursier
    ? (cat.trouver('profils-exonerants', 'BO') ?? {
        code: 'BO',
        libelle: 'Boursier',
        enService: true,
        exonereDroits: true,
        exonereCvec: true,
        exonereDroitsDifferencies: true,
      })
    : undefined;
  const cvecAnnee = cat.trouver('cvec', e.codAnu);
  if (!tarif) problemes.push(probleme('DROITS_NON_PARAMETRES', 'codAnu', { codAnu: e.codAnu, detail: `niveau ${niveau}` }));
  // The CVEC is owed by the régimes of initial training (régime.cvec) unless the statut says otherwise
  // (statut.cvec = false: auditeur libre, formation continue statuts).
  const statut = e.valeurs.codStu.valeur ? cat.trouver('statuts', e.valeurs.codStu.valeur) : undefined;
  const cvecRequise = regime?.cvec === true && statut?.cvec !== false;
  if (cvecRequise && !cvecAnnee) problemes.push(probleme('DROITS_NON_PARAMETRES', 'codAnu', { codAnu: e.codAnu, detail: 'montant de la CVEC' }));
  const sourceSituation = e.valeurs.codCatExoExt.source ? SOURCES[e.valeurs.codCatExoExt.source] : null;

  // 1. The base amount.
  const horsUe = pays?.droitsNationaux === false;
  const exempteur = boursier ?? (profil?.exonereDroitsDifferencies === true ? profil : undefined);
  let tarifApplique: Droits['tarif'] = 'NATIONAL';
  let montantBase = Number(tarif?.montant ?? 0);
  let exoneration: Droits['exoneration'] = { type: 'AUCUNE', motif: null, source: null };
  const nationalite = `Nationalité ${e.codPayNat} (${pays?.libelle ?? 'inconnue'}) hors UE/EEE/Suisse`;
  if (regime?.typeFormation === 'FC' || situation?.tarifFormationContinue === true) {
    tarifApplique = 'FORMATION_CONTINUE';
    montantBase = Number(tarif?.montantFormationContinue ?? montantBase);
    explication.push(
      `Niveau ${niveau} ${e.codAnu} : tarif de formation continue ${euros(montantBase)} (${regime?.typeFormation === 'FC' ? `régime ${regime.code}` : `situation droits ${situation?.code}`}).`,
    );
  } else if (horsUe && tarif?.montantDifferencie !== null && tarif?.montantDifferencie !== undefined) {
    if (situation?.effet === 'DROITS_NATIONAUX') {
      explication.push(`${nationalite}, droits nationaux par la situation droits ${situation.code} (${situation.libelle}) : ${euros(montantBase)}.`);
    } else if (situation?.effet === 'EXONERATION_DROITS_DIFFERENCIES' || exempteur) {
      const motif = situation?.effet === 'EXONERATION_DROITS_DIFFERENCIES' ? String(situation.libelle) : String(exempteur!.libelle);
      exoneration = {
        type: 'DROITS_DIFFERENCIES',
        motif,
        source: situation?.effet === 'EXONERATION_DROITS_DIFFERENCIES' ? sourceSituation : boursier ? 'boursier' : 'profil exonérant',
      };
      explication.push(`${nationalite}, exonéré des droits différenciés (${motif}) : droits nationaux ${niveau} ${e.codAnu} ${euros(montantBase)}.`);
    } else {
      tarifApplique = 'DIFFERENCIE';
      montantBase = Number(tarif.montantDifferencie);
      explication.push(`${nationalite} : droits différenciés ${niveau} ${e.codAnu} ${euros(montantBase)}.`);
    }
  } else {
    explication.push(`Niveau ${niveau} ${e.codAnu} : droits nationaux ${euros(montantBase)}.`);
  }

  // 2. The exonération of what is left.
  let montantDu = montantBase;
  const exonerant = boursier ?? (profil?.exonereDroits === true ? profil : undefined);
  if (exonerant) {
    const prise = exonerant.priseEnCharge === true;
    exoneration = { type: prise ? 'PRISE_EN_CHARGE' : 'TOTALE', motif: String(exonerant.libelle), source: boursier ? 'boursier' : 'profil exonérant' };
    montantDu = 0;
    explication.push(
      `${String(exonerant.libelle)} : ${prise ? "droits pris en charge, rien à payer par l'étudiant" : "exonération totale des droits d'inscription"}.`,
    );
  } else if (regime?.droitsPrisEnCharge === true || situation?.priseEnCharge === true) {
    const motif = regime?.droitsPrisEnCharge === true ? String(regime.libelle) : String(situation!.libelle);
    exoneration = {
      type: 'PRISE_EN_CHARGE',
      motif,
      source: regime?.droitsPrisEnCharge === true ? (SOURCES[e.valeurs.codRgi.source ?? ''] ?? null) : sourceSituation,
    };
    montantDu = 0;
    explication.push(`${motif} : droits pris en charge par l'employeur ou le CFA, rien à payer par l'étudiant.`);
  } else if (situation?.effet === 'EXONERATION_TOTALE') {
    exoneration = { type: 'TOTALE', motif: String(situation.libelle), source: sourceSituation };
    montantDu = 0;
    explication.push(`Situation droits ${situation.code} : exonération totale.`);
  } else if (situation?.effet === 'EXONERATION_PARTIELLE') {
    const taux = Number(situation.tauxExoneration ?? 0.5);
    exoneration = { type: 'PARTIELLE', motif: `${String(situation.libelle)} (${Math.round(taux * 100)} %)`, source: sourceSituation };
    montantDu = auCentime(montantBase * (1 - taux));
    explication.push(`Situation droits ${situation.code} : exonération partielle de ${Math.round(taux * 100)} %.`);
  }
  explication.push(`Droits d'inscription dus : ${euros(montantDu)}.`);

  // 3. The CVEC.
  const exempteCvec = boursier !== undefined || profil?.exonereCvec === true;
  const cvec: Omit<Cvec, 'numero'> = {
    requise: cvecRequise,
    montant: cvecRequise && cvecAnnee ? Number(cvecAnnee.montant) : null,
    paiementExonere: cvecRequise && exempteCvec,
    motif: !cvecRequise
      ? regime?.cvec === true
        ? `statut ${statut?.code} (${String(statut?.libelle)}) : CVEC non due`
        : `régime ${regime?.code ?? '?'} hors formation initiale : CVEC non due`
      : exempteCvec
        ? `${String((boursier ?? profil)!.libelle)} : exonéré du paiement, attestation requise`
        : 'formation initiale : CVEC due, attestation requise',
  };
  explication.push(
    cvecRequise
      ? `CVEC ${e.codAnu} (${cvecAnnee ? euros(Number(cvecAnnee.montant)) : 'montant non paramétré'}) : ${cvec.motif}.`
      : `CVEC : non due (${cvec.motif}).`,
  );
  return {
    droits: { niveau, montantBase: auCentime(montantBase), montantDu: auCentime(montantDu), tarif: tarifApplique, exoneration },
    cvec,
    explication,
    problemes,
  };
}

/** CVEC attestation number: normalised (upper case, no spaces or dashes), 3 letters (the Crous) + 6 to 20 alphanumerics. */
export function normaliserCvec(brut: string): string {
  return brut.toUpperCase().replace(/[\s-]/g, '');
}

export function cvecValide(numero: string): boolean {
  return /^[A-Z]{3}[A-Z0-9]{6,20}$/.test(numero);
}

/** The CVEC certificate is required when the CVEC is owed (initial training régimes) and none was given. */
export function verifierCvecFournie(cvec: { requise: boolean }, numeroCvec: string | undefined, codRgi: string | null): Probleme[] {
  return cvec.requise && numeroCvec === undefined ? [probleme('CVEC_REQUISE', 'numeroCvec', { codRgi })] : [];
}
