/** The dashboard's figures on both databases: records received per day and door, rejects by class, inscriptions and documents by state. */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { passerelleDuBloc, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

for (const nomBase of BASES) {
  describe(`[${nomBase}] statistiques de la campagne`, function () {
    this.timeout(60_000);
    const passerelle = passerelleDuBloc(nomBase);
    let gw: PasserelleDeTest;
    beforeEach(() => {
      gw = passerelle();
    });

    it('compte les écritures acceptées du jour par porte, les rejets par classe, les pièces dues', async () => {
      for (const code of ['ST26000001', 'ST26000002'])
        expect((await gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code, { ine: null }))).status).to.equal(201);
      const ine = opiExemple('ST26000003', { ine: '1234567890A' });
      expect((await gw.json('PUT', '/api/v1/opi/ST26000003', ine)).status).to.equal(422);
      const cvec = await gw.json('POST', '/api/v1/inscriptions', { codAnu: '2026', codOpiIntEpo: 'ST26000001', codEtp: 'LDRT1', codVrsVet: 2 });
      expect(cvec.status).to.be.within(400, 499);
      const s = await gw.json('GET', '/api/v1/statistiques?jours=7');
      expect(s.status, JSON.stringify(s.body)).to.equal(200);
      const jour = new Date().toISOString().slice(0, 10);
      const rest = s.body.recusParJour.find(
        (r: { jour: string; porte: string; client: string }) => r.jour === jour && r.porte === 'REST' && r.client === 'anonyme',
      );
      expect(rest.n).to.equal(2);
      // A file's rows count as records received, under FICHIER; a simulation does not.
      const csv = ['typLpa;codAnu;codEtu;codEtp;codVrsVet;codRgi', 'REINS;2026;21800001;LDRT2;2;1', 'REINS;2026;21800002;LDRT2;2;1'].join('\n');
      for (const q of ['attendre=1', 'attendre=1&simulation=true'])
        expect(
          (await fetch(`${gw.url}/api/v1/laissez-passer/bulk?${q}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })).status,
        ).to.equal(200);
      const f = (await gw.json('GET', '/api/v1/statistiques')).body.recusParJour.find((r: { porte: string }) => r.porte === 'FICHIER');
      expect(f).to.include({ client: 'anonyme', n: 2 });
      const parClasse = Object.fromEntries(s.body.rejetsParClasse.map((r: { classe: string; n: number }) => [r.classe, r.n]));
      expect(parClasse.ine).to.equal(1);
      expect(s.body.piecesDues.individus).to.equal(2);
      expect(s.body.piecesDues.pieces).to.be.at.least(2);
      expect((await gw.json('GET', '/api/v1/statistiques?jours=0')).status).to.equal(400);
    });
  });
}
