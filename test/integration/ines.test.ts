/** The optional INES online check of RNIE-form INEs, against a fake INES service (nock). */
import { expect } from 'chai';
import nock from 'nock';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

const INES = 'https://ines.univ-demo.example';

for (const nomBase of BASES) {
  describe(`[${nomBase}] vérification INES en ligne (INES_URL)`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, { INES_URL: INES, INES_TIMEOUT_MS: '500' });
      nock.disableNetConnect();
      nock.enableNetConnect(/127\.0\.0\.1/);
    });
    afterEach(() => nock.cleanAll());
    after(async () => {
      nock.enableNetConnect();
      await gw?.fermer();
    });

    it("INE 9 chiffres + 2 lettres accepté par INES → OPI créée ; la requête envoyée est celle d'eCandidat", async () => {
      const appel = nock(INES).post('/v1/check-ine', { type: 'INES', ine: '123456789', cle: 'AB' }).reply(200, 'true', { 'content-type': 'application/json' });
      const r = await gw.json('PUT', '/api/v1/opi/IN00000001', opiExemple('IN00000001', { ine: '123456789AB', nom: 'Ines', dateNai: '2005-05-05' }));
      expect(r.status).to.equal(201);
      expect(r.body.avertissements).to.deep.equal([]);
      expect(appel.isDone()).to.equal(true);
    });

    it("INE refusé par INES → 422 INE_REFUSE_PAR_INES sur le champ, rien d'écrit", async () => {
      nock(INES).post('/v1/check-ine').reply(200, 'false', { 'content-type': 'application/json' });
      const r = await gw.json('PUT', '/api/v1/opi/IN00000002', opiExemple('IN00000002', { ine: '123456789CD', nom: 'Ines', dateNai: '2005-05-06' }));
      expect(r.status).to.equal(422);
      expect(r.body.errors[0]).to.include({ code: 'INE_REFUSE_PAR_INES', path: 'individu.etatCivil.codNneIndOpi' });
      expect((await gw.json('GET', '/api/v1/opi/IN00000002')).status).to.equal(404);
    });

    it("INES en panne ou trop lent → l'OPI est acceptée avec l'avertissement INES_INDISPONIBLE", async () => {
      nock(INES).post('/v1/check-ine').reply(503, 'maintenance');
      const r = await gw.json('PUT', '/api/v1/opi/IN00000003', opiExemple('IN00000003', { ine: '123456789EF', nom: 'Ines', dateNai: '2005-05-07' }));
      expect(r.status).to.equal(201);
      expect(r.body.avertissements.map((a: { code: string }) => a.code)).to.deep.equal(['INES_INDISPONIBLE']);
      nock(INES).post('/v1/check-ine').delay(2000).reply(200, 'true');
      const lent = await gw.json('PUT', '/api/v1/opi/IN00000004', opiExemple('IN00000004', { ine: '123456789GH', nom: 'Ines', dateNai: '2005-05-08' }));
      expect(lent.status).to.equal(201);
      expect(lent.body.avertissements.map((a: { code: string }) => a.code)).to.deep.equal(['INES_INDISPONIBLE']);
    });

    it('les INE à clé calculable (BEA, universitaire) ne sollicitent pas INES', async () => {
      const r = await gw.json('PUT', '/api/v1/opi/IN00000005', opiExemple('IN00000005', { ine: '0000000001B', nom: 'Bea', dateNai: '2005-05-09' }));
      expect(r.status).to.equal(201);
      // Outbound connections are refused here: a call to INES would have come back INES_INDISPONIBLE.
      expect(r.body.avertissements).to.deep.equal([]);
    });
  });
}
