/**
 * Access to enrolment: which formations an individual may enrol in for a year, and with which
 * régime, statut, catégorie « Oui Si » and situation droits. Pure.
 *
 * - A formation (étape + version) is open by a favourable OPI vœu (`codDecVeu = F`) or by an
 *   active laissez-passer (IA-Primo treats an LP-OPI like a vœu with decision F).
 * - Each value is resolved in one order, the same for the four: LP → OPI vœu → OPI individu →
 *   formation default; a level that does not carry the field is skipped (the vœu has no statut,
 *   the individu has no catégorie Oui Si…). When an LP and a vœu exist for the same formation,
 *   the LP's data win (Amue rule). The source of every value is returned.
 */
import type { Catalogue } from './nomenclatures';

export type Source = 'LP' | 'OPI_VOEU' | 'OPI_INDIVIDU' | 'FORMATION';

export interface ValeurResolue {
  valeur: string | null;
  source: Source | null;
  /** Complement carried with the value (mtfCat for the catégorie Oui Si, comExoExt for the situation droits). */
  complement?: string | null;
}

export interface VoeuSource {
  codOpiIntEpo: string;
  codCge: string;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codDecVeu: string;
  codRge: string | null;
  codCatOuiSi: string | null;
  mtfCat: string | null;
  codCatExoExt: string | null;
  comExoExt: string | null;
}

export interface LpSource {
  id: number;
  codOpiIntEpo: string | null;
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codCge: string | null;
  codRgi: string | null;
  codStu: string | null;
  codCatOuiSi: string | null;
  mtfCat: string | null;
  codCatExoExt: string | null;
  dateDebutValidite: string | null;
  dateFinValidite: string | null;
}

export interface IndividuSource {
  codOpiIntEpo: string;
  codRgi: string | null;
  codStu: string | null;
}

export interface FormationAccessible {
  codEtp: string;
  codVrsVet: number;
  codDip: string | null;
  codVrsVdi: number | null;
  codCge: string | null;
  libelle: string | null;
  /** What opens the access: the LP, the favourable vœu, or both. */
  ouvertPar: ('LP' | 'OPI_VOEU')[];
  laissezPasserId: number | null;
  codOpiIntEpo: string | null;
  valeurs: { codRgi: ValeurResolue; codStu: ValeurResolue; codCatOuiSi: ValeurResolue; codCatExoExt: ValeurResolue };
}

export interface LpInactif {
  id: number;
  codEtp: string;
  codVrsVet: number;
  raison: 'PAS_ENCORE_VALIDE' | 'EXPIRE';
}

function premiere(...candidats: [string | null | undefined, Source, (string | null | undefined)?][]): ValeurResolue {
  for (const [valeur, source, complement] of candidats) {
    if (valeur !== null && valeur !== undefined && valeur !== '') {
      return complement === undefined ? { valeur, source } : { valeur, source, complement: complement ?? null };
    }
  }
  return { valeur: null, source: null };
}

export function lpActif(lp: Pick<LpSource, 'dateDebutValidite' | 'dateFinValidite'>, aujourdHui: string): LpInactif['raison'] | null {
  if (lp.dateDebutValidite && aujourdHui < lp.dateDebutValidite) return 'PAS_ENCORE_VALIDE';
  if (lp.dateFinValidite && aujourdHui > lp.dateFinValidite) return 'EXPIRE';
  return null;
}

export function resoudreAcces(entree: { individus: IndividuSource[]; voeux: VoeuSource[]; lps: LpSource[]; catalogue: Catalogue; aujourdHui: string }): {
  formations: FormationAccessible[];
  lpInactifs: LpInactif[];
} {
  const parFormation = new Map<string, { voeu?: VoeuSource; lp?: LpSource }>();
  const cle = (codEtp: string, codVrsVet: number) => `${codEtp}/${codVrsVet}`;
  for (const v of entree.voeux) {
    if (v.codDecVeu !== 'F') continue;
    const c = cle(v.codEtp, v.codVrsVet);
    const deja = parFormation.get(c) ?? {};
    if (!deja.voeu) parFormation.set(c, { ...deja, voeu: v });
  }
  const lpInactifs: LpInactif[] = [];
  for (const lp of entree.lps) {
    const raison = lpActif(lp, entree.aujourdHui);
    if (raison) {
      lpInactifs.push({ id: lp.id, codEtp: lp.codEtp, codVrsVet: lp.codVrsVet, raison });
      continue;
    }
    const c = cle(lp.codEtp, lp.codVrsVet);
    parFormation.set(c, { ...(parFormation.get(c) ?? {}), lp });
  }
  const formations: FormationAccessible[] = [];
  for (const { voeu, lp } of parFormation.values()) {
    const codEtp = (lp ?? voeu)!.codEtp;
    const codVrsVet = (lp ?? voeu)!.codVrsVet;
    const etape = entree.catalogue.trouver('etapes', codEtp, codVrsVet);
    // The OPI individu of this formation: the vœu's, else the one the LP names, else the only one known
    // (with several OPIs and an LP naming none, the individu level is skipped rather than guessed).
    const individu = voeu
      ? entree.individus.find((i) => i.codOpiIntEpo === voeu.codOpiIntEpo)
      : (entree.individus.find((i) => i.codOpiIntEpo === lp?.codOpiIntEpo) ?? (entree.individus.length === 1 ? entree.individus[0] : undefined));
    const defaut = (champ: string) => (etape?.[champ] === undefined || etape?.[champ] === null ? null : String(etape[champ]));
    formations.push({
      codEtp,
      codVrsVet,
      codDip: lp?.codDip ?? voeu?.codDip ?? defaut('codDip'),
      codVrsVdi: lp?.codVrsVdi ?? voeu?.codVrsVdi ?? (etape?.codVrsVdi === undefined ? null : Number(etape.codVrsVdi)),
      codCge: lp?.codCge ?? voeu?.codCge ?? defaut('codCge'),
      libelle: etape ? String(etape.libelle) : null,
      ouvertPar: [...(lp ? ['LP' as const] : []), ...(voeu ? ['OPI_VOEU' as const] : [])],
      laissezPasserId: lp?.id ?? null,
      codOpiIntEpo: voeu?.codOpiIntEpo ?? lp?.codOpiIntEpo ?? individu?.codOpiIntEpo ?? null,
      valeurs: {
        codRgi: premiere([lp?.codRgi, 'LP'], [voeu?.codRge, 'OPI_VOEU'], [individu?.codRgi, 'OPI_INDIVIDU'], [defaut('codRgiDefaut'), 'FORMATION']),
        codStu: premiere([lp?.codStu, 'LP'], [individu?.codStu, 'OPI_INDIVIDU'], [defaut('codStuDefaut'), 'FORMATION']),
        codCatOuiSi: premiere([lp?.codCatOuiSi, 'LP', lp?.mtfCat], [voeu?.codCatOuiSi, 'OPI_VOEU', voeu?.mtfCat]),
        codCatExoExt: premiere(
          [lp?.codCatExoExt, 'LP', null],
          [voeu?.codCatExoExt, 'OPI_VOEU', voeu?.comExoExt],
          [defaut('codCatExoExtDefaut'), 'FORMATION', null],
        ),
      },
    });
  }
  formations.sort((a, b) => a.codEtp.localeCompare(b.codEtp) || a.codVrsVet - b.codVrsVet);
  return { formations, lpInactifs };
}
