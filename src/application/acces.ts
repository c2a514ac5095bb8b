/**
 * `GET /api/v1/acces`: the formations an individual may enrol in for a year, each with the effective
 * régime, statut, catégorie « Oui Si » and situation droits and where each value comes from
 * (LP over OPI vœu over OPI individu over formation default; see domain/acces.ts).
 */
import { ErreurMetier } from '../domain/errors';
import { resoudreAcces, type FormationAccessible, type LpInactif } from '../domain/acces';
import { verifierIne, normaliserIne } from '../domain/identifiers/ine';
import { normaliserCodEtu, normaliserCodOpi } from '../domain/identifiers/individu';
import type { UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';
import { cleIndividu } from '../domain/identifiers/individu';
import type { ServiceNomenclatures } from './nomenclatures';
import { aujourdhuiParis } from './horloge';

export interface Acces {
  codAnu: string;
  individu: { codOpiIntEpo: string[]; codEtu: string[]; ine: string[] };
  formations: FormationAccessible[];
  laissezPasserInactifs: LpInactif[];
}

export interface CritereIndividu {
  codAnu?: string;
  codOpiIntEpo?: string;
  codEtu?: string;
  ine?: string;
}

export class ServiceAcces {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly nomenclatures: ServiceNomenclatures,
  ) {}

  async consulter(q: CritereIndividu, aujourdHui = aujourdhuiParis()): Promise<Acces> {
    if (!q.codAnu || !/^\d{4}$/.test(q.codAnu))
      throw ErreurMetier.une(q.codAnu ? 'FORMAT_INVALIDE' : 'CRITERE_RECHERCHE_MANQUANT', 'codAnu', {
        criteres: 'codAnu (AAAA)',
        attendu: 'une année sur 4 chiffres',
      });
    const codEtu = q.codEtu === undefined ? undefined : normaliserCodEtu(q.codEtu);
    const codOpi = q.codOpiIntEpo === undefined ? undefined : normaliserCodOpi(q.codOpiIntEpo);
    let ine: { nne: string; cle: string; texte: string } | undefined;
    if (q.ine) {
      const v = verifierIne(normaliserIne(q.ine));
      if (!v.valide) throw ErreurMetier.une(v.raison === 'CLE' ? 'INE_CLE_INVALIDE' : 'INE_FORMAT_INVALIDE', 'ine');
      ine = { nne: v.nne, cle: v.cle, texte: v.ine };
    }
    if (codEtu !== undefined && !/^\d{1,8}$/.test(codEtu))
      throw ErreurMetier.une('FORMAT_INVALIDE', 'codEtu', { attendu: 'un numéro étudiant, 8 chiffres au plus' });
    if (!codOpi && !codEtu && !ine) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'codOpiIntEpo, codEtu ou ine' });

    // The individual's identifiers, widened through its OPIs (an OPI brings its student number and INE).
    const opis = (await this.unite.lecture.opi.deIndividu({ codOpiIntEpo: codOpi, codEtu: codEtu ? Number(codEtu) : undefined, ine })).filter(
      (o) => !o.codAnu || o.codAnu === q.codAnu,
    );
    const ids = {
      codOpiIntEpo: [...new Set([...(codOpi ? [codOpi] : []), ...opis.map((o) => o.codOpiIntEpo)])],
      codEtu: [...new Set([...(codEtu ? [codEtu] : []), ...opis.filter((o) => o.codEtuOpi !== null).map((o) => String(o.codEtuOpi))])],
      ine: [...new Set([...(ine ? [ine.texte] : []), ...opis.filter((o) => o.codNneIndOpi).map((o) => `${o.codNneIndOpi}${o.codCleNneIndOpi ?? ''}`)])],
    };
    const lps = await this.unite.lecture.lp.pourIndividu(ids, q.codAnu);
    const voeux = await this.unite.lecture.opi.voeuxDePlusieurs(opis.map((o) => o.id));
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

/** The access query as the pipeline runs it. */
export function operationAcces(s: ServiceAcces): DefinitionOperation<CritereIndividu, never, Acces> {
  return {
    cle: (q) => q.codOpiIntEpo ?? q.codEtu ?? q.ine,
    individu: (q) => cleIndividu(q),
    lire: (q) => s.consulter(q),
    issue: () => ({ resultat: 'LU' }),
  };
}
