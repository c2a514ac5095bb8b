/**
 * Rules of a laissez-passer, after the schema (pure; nomenclatures and "today" come in).
 * The consistency with an existing OPI needs the database and lives in the use case.
 */
import type { LaissezPasser } from '../../generated/laissez-passer';
import { probleme, type Probleme } from '../errors';
import type { Catalogue } from '../nomenclatures';
import { verifierCode, verifierFormation, verifierIneChamp } from '../opi/regles';
import { joindre } from '../chemins';
import { anneeCampagne } from '../campagne';
import { cleIndividu, normaliserCodEtu } from '../identifiers/individu';
import { verifierIne } from '../identifiers/ine';

export interface ContexteReglesLp {
  catalogue: Catalogue;
  aujourdHui: string;
}

export function verifierLp(lp: LaissezPasser, ctx: ContexteReglesLp, prefixe = ''): Probleme[] {
  const out: Probleme[] = [];
  const p = (champ: string) => joindre(prefixe, champ);
  const cat = ctx.catalogue;
  if (lp.codOpiIntEpo === undefined && lp.codEtu === undefined && lp.ine === undefined) {
    out.push(probleme('IDENTIFIANT_INDIVIDU_MANQUANT', p('codOpiIntEpo')));
  }
  verifierIneChamp(lp.ine, p('ine'), out);
  // Years around the current campaign (not the calendar year: in February the campaign is last year's).
  const annee = Number(anneeCampagne(ctx.aujourdHui));
  const min = annee - 2;
  const max = annee + 1;
  if (Number(lp.codAnu) < min || Number(lp.codAnu) > max) {
    out.push(probleme('ANNEE_UNIVERSITAIRE_INVALIDE', p('codAnu'), { codAnu: lp.codAnu, min, max }));
  }
  verifierFormation(cat, lp, prefixe, out);
  verifierCode(cat, 'centres-gestion', lp.codCge, p('codCge'), out);
  verifierCode(cat, 'regimes', lp.codRgi, p('codRgi'), out);
  verifierCode(cat, 'statuts', lp.codStu, p('codStu'), out);
  verifierCode(cat, 'categories-oui-si', lp.codCatOuiSi, p('codCatOuiSi'), out);
  verifierCode(cat, 'situations-droits', lp.codCatExoExt, p('codCatExoExt'), out);
  verifierRegimeAutorise(cat, lp.codRgi, lp.codEtp, lp.codVrsVet, p('codRgi'), out);
  if (lp.dateDebutValidite && lp.dateFinValidite && lp.dateFinValidite < lp.dateDebutValidite) {
    out.push(probleme('PERIODE_VALIDITE_INCOHERENTE', p('dateFinValidite'), { debut: lp.dateDebutValidite, fin: lp.dateFinValidite }));
  }
  return out;
}

/** A régime must be one the étape allows (Apogée's RGI_AUTORISER_VET), when the étape lists them. */
export function verifierRegimeAutorise(cat: Catalogue, codRgi: string | undefined, codEtp: string, codVrsVet: number, path: string, out: Probleme[]): void {
  if (codRgi === undefined || !cat.estValide('regimes', codRgi)) return;
  const etape = cat.trouver('etapes', codEtp, codVrsVet);
  const autorises = etape?.regimesAutorises;
  if (etape?.enService && Array.isArray(autorises) && !autorises.map(String).includes(codRgi)) {
    out.push(probleme('REGIME_NON_AUTORISE_SUR_ETAPE', path, { codRgi, codEtp, codVrsVet, autorises: autorises.join(', ') }));
  }
}

/** The individual's key in an LP's identity: OPI number, else student number, else INE (deterministic). */
export function cleIndividuLp(lp: Pick<LaissezPasser, 'codOpiIntEpo' | 'codEtu' | 'ine'>): string {
  return cleIndividu(lp) ?? 'INE:';
}

/** Identity of an LP: (individual, year, étape, version). */
export function cleLp(lp: Pick<LaissezPasser, 'codOpiIntEpo' | 'codEtu' | 'ine' | 'codAnu' | 'codEtp' | 'codVrsVet'>): string {
  return `${cleIndividuLp(lp)}|${lp.codAnu}|${lp.codEtp}|${lp.codVrsVet}`;
}

/** The LP's identity when an (even invalid) input carries all its parts; for the journal of a refusal. */
export function cleLpSiComplete(lp: Record<string, unknown>): string | undefined {
  const individu = cleIndividu(lp);
  const parties = [lp.codAnu, lp.codEtp, lp.codVrsVet];
  if (!individu || parties.some((x) => (typeof x !== 'string' && typeof x !== 'number') || String(x).trim() === '')) return undefined;
  return `${individu}|${parties.map((x) => String(x).trim().toUpperCase()).join('|')}`;
}

/** `IAPRIMO` (first enrolment, an OPI exists) or `REINS` (re-enrolment by student number), when not given. */
export function typLpaDeduit(lp: { codOpiIntEpo?: unknown; codEtu?: unknown }): 'IAPRIMO' | 'REINS' | undefined {
  if (lp.codOpiIntEpo !== undefined) return 'IAPRIMO';
  if (lp.codEtu !== undefined) return 'REINS';
  return undefined;
}

/** An LP naming an OPI must name the same individual as that OPI (student number, INE). */
export function incoherencesAvecOpi(
  lp: LaissezPasser,
  opi: { codOpiIntEpo: string; codEtuOpi: number | null; codNneIndOpi: string | null; codCleNneIndOpi: string | null },
  prefixe = '',
): Probleme[] {
  const out: Probleme[] = [];
  if (lp.codEtu !== undefined && opi.codEtuOpi !== null && normaliserCodEtu(String(opi.codEtuOpi)) !== normaliserCodEtu(lp.codEtu)) {
    out.push(
      probleme('LP_INDIVIDU_INCOHERENT', joindre(prefixe, 'codEtu'), { codOpiIntEpo: opi.codOpiIntEpo, detail: `numéro étudiant ${opi.codEtuOpi} dans l'OPI` }),
    );
  }
  if (lp.ine !== undefined && opi.codNneIndOpi !== null) {
    const v = verifierIne(lp.ine);
    if (v.valide && (v.nne !== opi.codNneIndOpi || v.cle !== opi.codCleNneIndOpi)) {
      out.push(
        probleme('LP_INDIVIDU_INCOHERENT', joindre(prefixe, 'ine'), {
          codOpiIntEpo: opi.codOpiIntEpo,
          detail: `INE ${opi.codNneIndOpi}${opi.codCleNneIndOpi} dans l'OPI`,
        }),
      );
    }
  }
  return out;
}

/**
 * Paths name the field as the caller spelled it: an input that uses Apogée's V2 name `numOPI` (and not
 * `codOpiIntEpo`) gets `numOPI` in its paths, whatever the door (SOAP V1/V2, REST, a file's header).
 */
export function cheminsSelonNomsRecus(problemes: Probleme[], brut: unknown, prefixe = ''): Probleme[] {
  if (brut === null || typeof brut !== 'object' || !('numOPI' in brut) || 'codOpiIntEpo' in brut) return problemes;
  const canon = joindre(prefixe, 'codOpiIntEpo');
  return problemes.map((p) => (p.path === canon ? { ...p, path: joindre(prefixe, 'numOPI') } : p));
}
