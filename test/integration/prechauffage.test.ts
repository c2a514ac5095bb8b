/** The warm-up a process runs before it listens leaves nothing behind: no OPI, no journal row, no metric. */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { prechauffer } from '../../src/application/prechauffage';
import { opiExemple } from '../helpers/exemples';

for (const nomBase of BASES) {
  describe(`[${nomBase}] préchauffage avant l'écoute`, function () {
    this.timeout(60_000);
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(() => gw?.fermer());

    it("quarante écritures simulées d'OPI : rien n'est gardé, ni OPI ni journal ni compteur", async () => {
      const compter = async () => {
        const [o] = await gw.p.source.query('SELECT COUNT(*) AS n FROM individu_opi');
        const [j] = await gw.p.source.query('SELECT COUNT(*) AS n FROM journal');
        const metriques = await (await fetch(`${gw.url}/metrics`)).text();
        return { opi: Number(o.n), journal: Number(j.n), ecritures: /opi\.enregistrer/.test(metriques) };
      };
      const avant = await compter();
      await prechauffer(gw.p.services.pipeline);
      // /metrics itself is not journaled; the counts are those of before.
      expect(await compter()).to.deep.equal(avant);
      expect(avant.ecritures).to.equal(false);
      // And the gateway writes as usual afterwards (the simulated numbers are free).
      const r = await gw.json('PUT', '/api/v1/opi/ZZ00000001', opiExemple('ZZ00000001'));
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
    });
  });
}
