import { expect } from 'chai';
import { detailsJson } from '../../src/application/pipeline';
import { probleme } from '../../src/domain/errors';

describe('journal — détails des problèmes', () => {
  it('garde la liste entière quand elle tient', () => {
    const p = [probleme('ETAPE_INCONNUE', 'voeux[0].codEtp', { codEtp: 'X', codVrsVet: 1 })];
    expect(JSON.parse(detailsJson(p))).to.deep.equal(p);
  });
  it("coupe une très longue liste en JSON valide, sous la taille d'un TEXT MySQL, et dit combien manquent", () => {
    const p = Array.from({ length: 10_000 }, (_, i) => probleme('REGIME_INCONNU', `laissezPasser[${i}].codRgi`, { code: 'é9' }));
    const texte = detailsJson(p);
    expect(Buffer.byteLength(texte, 'utf8')).to.be.below(65_535);
    const relu = JSON.parse(texte) as { code: string; message: string }[];
    const dernier = relu[relu.length - 1];
    expect(dernier.code).to.equal('TRONQUE');
    expect(dernier.message).to.contain(`${10_000 - (relu.length - 1)} autre(s) problème(s)`);
    expect(relu[0]).to.deep.equal(p[0]);
  });
});
