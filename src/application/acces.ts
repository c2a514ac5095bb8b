/**
 * `GET /api/v1/acces`: the formations an individual may enrol in for a year, each with the effective
 * régime, statut, catégorie « Oui Si » and situation droits and where each value comes from
 * (LP over OPI vœu over OPI individu over formation default; see domain/acces.ts).
 */
import { ErreurMetier } from '../domain/errors';
import { resoudreAcces, type FormationAccessible, type LpInactif } from '../domain/acces';
import { verifierIne, normaliserIne } from '../domain/identifiers/ine';
import type { DepotLp } from '../persistence/depot-lp';
import type { ServiceNomenclatures } from './nomenclatures';
import { aujourdhuiParis } from './horloge';

export interface Acces {
  codAnu: string;
  individu: { codOpiIntEpo: string[]; codEtu: string[]; ine: string[] };
  formations: FormationAccessible[];
  laissezPasserInactifs: LpInactif[];
}

export interface CritereIndividu { codAnu?: string; codOpiIntEpo?: string; codEtu?: string; ine?: string }

export class ServiceAcces {
  constructor(private readonly depot: DepotLp, private readonly nomenclatures: ServiceNomenclatures) {}

  async consulter(q: CritereIndividu, aujourdHui = aujourdhuiParis()): Promise<Acces> {
    if (!q.codAnu || !/^\d{4}$/.test(q.codAnu)) throw ErreurMetier.une(q.codAnu ? 'FORMAT_INVALIDE' : 'CRITERE_RECHERCHE_MANQUANT', 'codAnu', { criteres: 'codAnu (AAAA)' });
    const codOpi = q.codOpiIntEpo?.trim().toUpperCase();
    let ine: { nne: string; cle: string; texte: string } | undefined;
    if (q.ine) {
      const v = verifierIne(normaliserIne(q.ine));
      if (!v.valide) throw ErreurMetier.une(v.raison === 'CLE' ? 'INE_CLE_INVALIDE' : 'INE_FORMAT_INVALIDE', 'ine');
      ine = { nne: v.nne, cle: v.cle, texte: v.ine };
    }
    if (q.codEtu !== undefined && !/^\d{1,8}$/.test(q.codEtu)) throw ErreurMetier.une('FORMAT_INVALIDE', 'codEtu');
    if (!codOpi && !q.codEtu && !ine) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'codOpiIntEpo, codEtu ou ine' });

    // The individual's identifiers, widened through its OPIs (an OPI brings its student number and INE).
    const opis = (await this.depot.opisDeIndividu({ codOpiIntEpo: codOpi, codEtu: q.codEtu ? Number(q.codEtu) : undefined, ine }))
      .filter((o) => !o.codAnu || o.codAnu === q.codAnu);
    const ids = {
      codOpiIntEpo: [...new Set([...(codOpi ? [codOpi] : []), ...opis.map((o) => o.codOpiIntEpo)])],
      codEtu: [...new Set([...(q.codEtu ? [String(Number(q.codEtu))] : []), ...opis.filter((o) => o.codEtuOpi !== null).map((o) => String(o.codEtuOpi))])],
      ine: [...new Set([...(ine ? [ine.texte] : []), ...opis.filter((o) => o.codNneIndOpi).map((o) => `${o.codNneIndOpi}${o.codCleNneIndOpi ?? ''}`)])],
    };
    const lps = await this.depot.pourIndividu(ids, q.codAnu);
    const voeux = await this.depot.voeuxDe(opis.map((o) => o.id));
    const codeParId = new Map(opis.map((o) => [o.id, o.codOpiIntEpo]));
    if (!opis.length && !lps.length) throw ErreurMetier.une('INDIVIDU_INTROUVABLE', '');
    const { formations, lpInactifs } = resoudreAcces({
      individus: opis.map((o) => ({ codOpiIntEpo: o.codOpiIntEpo, codRgi: o.codRgi, codStu: o.codStu })),
      voeux: voeux.map((v) => ({ ...v, codOpiIntEpo: codeParId.get(v.individuOpiId)! })),
      lps,
      catalogue: await this.nomenclatures.catalogue(),
      aujourdHui,
    });
    return { codAnu: q.codAnu, individu: ids, formations, laissezPasserInactifs: lpInactifs };
  }
}
