/**
 * The LaissezPasserMetier SOAP door: Apogée 6.70's two single-LP operations (V1 with underscore-
 * prefixed fields, V2), and our own list operation `mettreAJourLaissezPasserEnMasse` (one result per
 * item, in order) — what Apogée lacks and staff loop over today. Same use case as REST and files.
 */
import { lireMode, MAX_LP_PAR_APPEL, type ServiceLp, type ResultatLigne } from '../../application/laissez-passer';
import type { Operations } from '../../application/operation';
import { ErreurMetier, probleme } from '../../domain/errors';
import type { DefinitionServiceSoap } from './serveur-soap';

export const NS_LP = 'gouv.education.apogee.commun.servicesmetiers.LaissezPasserMetier';

const CHAMPS_V1 = ['typLpa', 'codAnu', 'numOPI', 'codEtu', 'codEtp', 'codVrsVet', 'codDip', 'codVrsVdi', 'codRgi', 'codStu', 'libCmtLpa'];

/** V1 (`_typLpa`…) → V2 names; the canonical form does the rest (numOPI, strings → ints, "" = absent). */
function depuisV1(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(CHAMPS_V1.map((c) => [c, args[`_${c}`]]));
}

function cleDe(x: Record<string, unknown>): string | undefined {
  const opi = x.numOPI || x.codOpiIntEpo;
  const ind = opi ? `OPI:${String(opi)}` : x.codEtu ? `ETU:${String(x.codEtu)}` : undefined;
  return ind ? `${ind}|${String(x.codAnu ?? '')}|${String(x.codEtp ?? '')}|${String(x.codVrsVet ?? '')}`.toUpperCase() : undefined;
}

export function serviceLaissezPasserMetier(lp: ServiceLp, ops: Operations): DefinitionServiceSoap {
  const unique = async (brut: Record<string, unknown>, ctx: Parameters<DefinitionServiceSoap['operations'][string]>[1], operation: string) => {
    await ops.executer(ctx, operation, { cle: cleDe(brut), charge: brut }, () => lp.enregistrer(brut, ctx.client));
    return {};
  };
  return {
    nom: 'LaissezPasserMetier',
    namespace: NS_LP,
    service: 'LaissezPasserMetierServiceInterfaceService',
    port: 'LaissezPasserMetier',
    operations: {
      mettreAJourLaissezPasserWS: (args, ctx) => unique(depuisV1(args), ctx, 'lp.enregistrer'),
      mettreAJourLaissezPasserWS_V2: (args, ctx) => unique(args, ctx, 'lp.enregistrer'),
      mettreAJourLaissezPasserEnMasse: async (args, ctx) => {
        const items = args.laissezPasser === undefined || args.laissezPasser === null ? []
          : Array.isArray(args.laissezPasser) ? args.laissezPasser : [args.laissezPasser];
        const resultats = await ops.executer(ctx, 'lp.enregistrerEnMasse', { charge: args }, async () => {
          const mode = lireMode(args.mode ?? 'partiel');
          if (items.length === 0) throw ErreurMetier.une('LOT_VIDE', 'laissezPasser');
          if (items.length > MAX_LP_PAR_APPEL) throw new ErreurMetier([probleme('LOT_TROP_GRAND', 'laissezPasser', { max: MAX_LP_PAR_APPEL })], 413);
          const r = await lp.traiterListe(items.map((i) => i ?? {}), ctx.client, mode, (rang) => `laissezPasser[${rang - 1}]`);
          const compte = (s: string) => r.filter((x) => x.statut === s).length;
          return {
            resultats: r,
            resultat: r.some((x) => x.statut === 'NON_ECRIT') ? 'REJETE' : compte('REJETE') ? 'PARTIEL' : 'TRAITE',
            avertissements: r.flatMap((x) => x.problemes ?? []).slice(0, 50),
          };
        });
        return reponseEnMasse(resultats.resultats);
      },
    },
  };
}

/** The bulk response, keys in WSDL sequence order (node-soap serialises in object key order). */
export function reponseEnMasse(r: ResultatLigne[]): Record<string, unknown> {
  const compte = (s: string) => r.filter((x) => x.statut === s).length;
  return {
    nombreCrees: compte('CREE'),
    nombreMisAJour: compte('MIS_A_JOUR'),
    nombreInchanges: compte('INCHANGE'),
    nombreRejetes: compte('REJETE'),
    toutOuRienAnnule: r.some((x) => x.statut === 'NON_ECRIT'),
    resultat: r.map((x) => ({
      rang: x.rang,
      statut: x.statut,
      ...(x.id !== undefined ? { id: x.id } : {}),
      ...(x.problemes?.length ? { erreur: x.problemes.map((p) => ({ code: p.code, chemin: p.path, message: p.message })) } : {}),
    })),
  };
}
