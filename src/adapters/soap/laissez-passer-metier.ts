/**
 * The LaissezPasserMetier SOAP door: Apogée 6.70's two single-LP operations (V1 with underscore-
 * prefixed fields, V2), and our own list operation `mettreAJourLaissezPasserEnMasse` (one result per
 * item, in order) — what Apogée lacks and staff loop over today. Same use case as REST and files.
 */
import { CHAMPS_LP_V1 } from '../../application/champs';
import { lireMode, type ResultatLigne, type BilanListe, type ResultatListeLp } from '../../application/laissez-passer';
import type { Pipeline } from '../../application/pipeline';
import type { DefinitionServiceSoap } from './serveur-soap';

export const NS_LP = 'gouv.education.apogee.commun.servicesmetiers.LaissezPasserMetier';

/** The V1 fields, by their V2 names, in wire order (`x-v2` of laissez-passer.schema.json, origine apogee-v1). */
const CHAMPS_V1 = CHAMPS_LP_V1;

/** V1 (`_typLpa`…) → V2 names; the canonical form does the rest (numOPI, strings → ints, "" = absent). */
function depuisV1(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(CHAMPS_V1.map((c) => [c, args[`_${c}`]]));
}

export function serviceLaissezPasserMetier(pipeline: Pipeline): DefinitionServiceSoap {
  const unique = async (brut: Record<string, unknown>, ctx: Parameters<DefinitionServiceSoap['operations'][string]>[1]) => {
    await pipeline.executer(ctx, 'lp.enregistrer', brut);
    return {};
  };
  return {
    nom: 'LaissezPasserMetier',
    namespace: NS_LP,
    service: 'LaissezPasserMetierServiceInterfaceService',
    port: 'LaissezPasserMetier',
    registre: {
      mettreAJourLaissezPasserWS: 'lp.enregistrer',
      mettreAJourLaissezPasserWS_V2: 'lp.enregistrer',
      mettreAJourLaissezPasserEnMasse: 'lp.enregistrerEnMasse',
    },
    operations: {
      mettreAJourLaissezPasserWS: (args, ctx) => unique(depuisV1(args), ctx),
      mettreAJourLaissezPasserWS_V2: (args, ctx) => unique(args, ctx),
      mettreAJourLaissezPasserEnMasse: async (args, ctx) => {
        const items =
          args.laissezPasser === undefined || args.laissezPasser === null ? [] : Array.isArray(args.laissezPasser) ? args.laissezPasser : [args.laissezPasser];
        // node-soap gives null for an empty <laissezPasser/>: an empty record, refused by the schema.
        const entree = { items: items.map((i: unknown) => i ?? {}), mode: 'partiel' as ReturnType<typeof lireMode>, cheminListe: 'laissezPasser' };
        const x = await pipeline.executer<ResultatListeLp>(ctx, 'lp.enregistrerEnMasse', entree, {
          charge: args,
          controle: () => {
            entree.mode = lireMode(args.mode ?? 'partiel');
          },
        });
        return reponseEnMasse(x.valeur!.resultats, x.valeur!.bilan);
      },
    },
  };
}

/** The bulk response, keys in WSDL sequence order (node-soap serialises in object key order). */
export function reponseEnMasse(r: ResultatLigne[], bilan: BilanListe): Record<string, unknown> {
  return {
    nombreCrees: bilan.creees,
    nombreMisAJour: bilan.misesAJour,
    nombreInchanges: bilan.inchangees,
    nombreRejetes: bilan.rejetees,
    toutOuRienAnnule: bilan.toutOuRienAnnule,
    resultat: r.map((x) => ({
      rang: x.rang,
      statut: x.statut,
      ...(x.id !== undefined ? { id: x.id } : {}),
      ...(x.problemes?.length ? { erreur: x.problemes.map((p) => ({ code: p.code, chemin: p.path, message: p.message })) } : {}),
    })),
  };
}
