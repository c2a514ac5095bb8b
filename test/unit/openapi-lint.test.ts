/**
 * The OpenAPI document passes Redocly's strictest ruleset (`recommended-strict`: every rule an error),
 * but one rule: the two CAS routes answer only redirects (302), there is no 2xx to describe.
 */
import { expect } from 'chai';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { documentOpenApi } from '../../src/adapters/rest/openapi';

describe('OpenAPI : linter strict (Redocly recommended-strict)', function () {
  this.timeout(30_000);
  it('aucun problème, servers et licence compris', async () => {
    const config = await createConfig({ extends: ['recommended-strict'], rules: { 'operation-2xx-response': 'off' } });
    const doc = documentOpenApi(['parcoursup-csv', 'eef-csv', 'pegase', 'pegase-inscription']);
    const problemes = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/api/v1/openapi.json', config });
    expect(problemes.map((p) => `${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer})`)).to.deep.equal([]);
    expect((doc as { servers: unknown[] }).servers).to.deep.equal([{ url: '/', description: 'Cette passerelle' }]);
    // Only the CAS redirects lack a 2xx.
    const sans2xx = Object.entries((doc as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }).paths).flatMap(([chemin, ops]) =>
      Object.entries(ops)
        .filter(([, o]) => o && typeof o === 'object' && 'responses' in o && !Object.keys(o.responses).some((c) => c.startsWith('2')))
        .map(([m]) => `${m} ${chemin}`),
    );
    expect(sans2xx).to.deep.equal(['get /api/v1/session/cas', 'get /api/v1/session/cas/retour']);
  });
});
