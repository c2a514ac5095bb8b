import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { documentOpenApi, pageDocumentation } from '../../src/adapters/rest/openapi';

describe('OpenAPI', () => {
  it('le document est un OpenAPI 3.1 valide (validé contre le schéma officiel)', async () => {
    const v = new Validator();
    const r = await v.validate(documentOpenApi());
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    expect(r.valid).to.equal(true);
    expect(v.version).to.equal('3.1');
  });

  it('décrit chaque porte REST et chaque enregistrement', () => {
    const d = documentOpenApi() as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(d.paths)).to.include.members(['/api/v1/opi/{codOpiIntEpo}', '/api/v1/laissez-passer/bulk', '/api/v1/laissez-passer/lot',
      '/api/v1/acces', '/api/v1/inscriptions', '/api/v1/inscriptions/{id}/paiement', '/api/v1/jobs/{id}/rejets', '/api/v1/journal']);
    expect(Object.keys(d.components.schemas)).to.include.members(['DonneesOpi', 'LaissezPasser', 'DemandeInscription', 'Paiement', 'Annulation', 'Probleme']);
    expect(pageDocumentation(documentOpenApi())).to.contain('ACCES_NON_AUTORISE').and.contain('/ws/InscriptionMetier?wsdl');
  });
});
