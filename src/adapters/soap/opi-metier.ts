/**
 * The OpiMetier SOAP door (Apogée 6.70 contract): parse → map the DTO to the canonical record →
 * the same use case as REST → empty response, or a WebBaseException fault.
 */
import type { ServiceOpi } from '../../application/opi';
import type { Operations } from '../../application/operation';
import type { DefinitionServiceSoap } from './serveur-soap';
import { soapOpiVersCanonique } from './mappage-opi';

export const NS_OPI = 'gouv.education.apogee.commun.servicesmetiers.OpiMetier';

export function serviceOpiMetier(opi: ServiceOpi, ops: Operations): DefinitionServiceSoap {
  return {
    nom: 'OpiMetier',
    namespace: NS_OPI,
    service: 'OpiMetierServiceInterfaceService',
    port: 'OpiMetier',
    operations: {
      mettreajourDonneesOpi_v10: async (args, ctx) => {
        const donnees = soapOpiVersCanonique(args._donneesOpi);
        const cle = codeOpiDe(donnees);
        await ops.executer(ctx, 'opi.enregistrer', { cle, charge: donnees }, () => opi.enregistrer(donnees, ctx.client));
        // Apogée answers an empty element; the REST door gives the detailed result.
        return {};
      },
    },
  };
}

function codeOpiDe(d: unknown): string | undefined {
  const c = (d as { individu?: { codOpiIntEpo?: unknown } } | undefined)?.individu?.codOpiIntEpo;
  return typeof c === 'string' ? c.trim().toUpperCase() : undefined;
}
