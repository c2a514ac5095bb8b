/**
 * Concurrent writers: eight clients pushing OPIs at once, many of them the same OPI with a different
 * vœux set each time (DELETE + INSERT of vœux, the deadlock-prone pattern under REPEATABLE READ).
 * Every request must be answered with success, and the final state must be exactly one of the sets sent.
 */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { IndividuOpi, VoeuOpi } from '../../src/persistence/entities';

const ETAPES = [
  { codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2 },
  { codCge: 'ECO', codEtp: 'LECG1', codVrsVet: 2 },
  { codCge: 'SCI', codEtp: 'LINF1', codVrsVet: 2 },
  { codCge: 'SCI', codEtp: 'LMAT1', codVrsVet: 2 },
];

for (const nomBase of BASES) {
  describe(`[${nomBase}] écritures concurrentes`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    it('8 écrivains × 30 requêtes sur 10 OPI partagées : aucune perte, aucun doublon, aucun interblocage remonté', async () => {
      const ECRIVAINS = 8;
      const REQUETES = 30;
      const statuts: number[] = [];
      await Promise.all(
        Array.from({ length: ECRIVAINS }, async (_, w) => {
          for (let i = 0; i < REQUETES; i++) {
            const code = `CC${String((w * 7 + i) % 10).padStart(8, '0')}`;
            const o = opiExemple(code, { ine: null, prenom: `P${(w * 7 + i) % 10}` });
            // A different, non-empty subset of étapes each time.
            const masque = ((w + i) % 15) + 1;
            o.voeux = ETAPES.filter((_, k) => masque & (1 << k)).map((e, k) => ({ ...o.voeux[1], ...e, numCls: k + 1 })) as typeof o.voeux;
            const r = await gw.json('PUT', `/api/v1/opi/${code}`, o);
            statuts.push(r.status);
            if (r.status >= 300) throw new Error(`${code}: ${r.status} ${JSON.stringify(r.body)}`);
          }
        }),
      );
      expect(statuts).to.have.length(ECRIVAINS * REQUETES);
      expect(statuts.every((s) => s === 200 || s === 201)).to.equal(true);
      expect(statuts.filter((s) => s === 201)).to.have.length(10);
      expect(await gw.p.source.getRepository(IndividuOpi).count()).to.equal(10);
      // Each OPI's vœux are one coherent set: no vœu twice, numCls 1..n.
      for (const ind of await gw.p.source.getRepository(IndividuOpi).find()) {
        const voeux = await gw.p.source.getRepository(VoeuOpi).find({ where: { individuOpiId: ind.id }, order: { rang: 'ASC' } });
        expect(voeux.length).to.be.within(1, 4);
        expect(new Set(voeux.map((v) => v.codEtp)).size).to.equal(voeux.length);
        expect(voeux.map((v) => v.numCls)).to.deep.equal(voeux.map((_, k) => k + 1));
      }
    });
  });
}
