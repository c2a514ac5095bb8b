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
export function verifierRegimeAutorise(cat: Catalogue, codRgi: string | undefined, codEtp: string, codVrsVet: number,
  path: string, out: Probleme[]): void {
  if (codRgi === undefined || !cat.estValide('regimes', codRgi)) return;
  const etape = cat.trouver('etapes', codEtp, codVrsVet);
  const autorises = etape?.regimesAutorises;
  if (etape?.enService && Array.isArray(autorises) && !autorises.map(String).includes(codRgi)) {
    out.push(probleme('REGIME_NON_AUTORISE_SUR_ETAPE', path, { codRgi, codEtp, codVrsVet, autorises: autorises.join(', ') }));
  }
}

/** The individual's key in an LP's identity: OPI number, else student number, else INE (deterministic). */
export function cleIndividuLp(lp: Pick<LaissezPasser, 'codOpiIntEpo' | 'codEtu' | 'ine'>): string {
  if (lp.codOpiIntEpo) return `OPI:${lp.codOpiIntEpo}`;
  if (lp.codEtu) return `ETU:${lp.codEtu}`;
  return `INE:${lp.ine ?? ''}`;
}

/** Identity of an LP: (individual, year, étape, version). */
export function cleLp(lp: Pick<LaissezPasser, 'codOpiIntEpo' | 'codEtu' | 'ine' | 'codAnu' | 'codEtp' | 'codVrsVet'>): string {
  return `${cleIndividuLp(lp)}|${lp.codAnu}|${lp.codEtp}|${lp.codVrsVet}`;
}
