/**
 * The OpiMetier SOAP door (Apogée 6.70 contract): parse → map the DTO to the canonical record →
 * the same use case as REST → empty response, or a WebBaseException fault.
 */
import type { Pipeline } from '../../application/pipeline';
import type { DefinitionServiceSoap } from './serveur-soap';
import { soapOpiVersCanonique } from './mappage-opi';

export const NS_OPI = 'gouv.education.apogee.commun.servicesmetiers.OpiMetier';

export function serviceOpiMetier(pipeline: Pipeline): DefinitionServiceSoap {
  return {
    nom: 'OpiMetier',
    namespace: NS_OPI,
    service: 'OpiMetierServiceInterfaceService',
    port: 'OpiMetier',
    registre: { mettreajourDonneesOpi_v10: 'opi.enregistrer' },
    operations: {
      mettreajourDonneesOpi_v10: async (args, ctx) => {
        const donnees = soapOpiVersCanonique(args._donneesOpi);
        await pipeline.executer(ctx, 'opi.enregistrer', { corps: donnees });
        // Apogée answers an empty element; the REST door gives the detailed result.
        return {};
      },
    },
  };
}
