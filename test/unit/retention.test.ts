import { expect } from 'chai';
import { campagneDe, campagneLimitePurgeRgpd, derniereCampagnePurgeable, finCampagne, limiteRetention } from '../../src/domain/retention';
import { difference } from '../../src/domain/difference';

describe('rétention : campagnes et limites', () => {
  it('une campagne Y finit le 1er mars de Y+1 ; un instant appartient à la campagne de sa date', () => {
    expect(finCampagne('2025').toISOString()).to.equal('2026-03-01T00:00:00.000Z');
    expect(campagneDe(new Date('2026-02-28T12:00:00Z'))).to.equal('2025');
    expect(campagneDe(new Date('2026-03-01T12:00:00Z'))).to.equal('2026');
  });

  it('90 jours après la fin de campagne : la campagne 2025 devient purgeable le 30 mai 2026', () => {
    expect(derniereCampagnePurgeable(new Date('2026-05-29T23:00:00Z'), 90)).to.equal('2024');
    expect(derniereCampagnePurgeable(new Date('2026-05-30T00:00:00Z'), 90)).to.equal('2025');
    expect(limiteRetention(new Date('2026-05-30T00:00:00Z'), 90, 'fin-de-campagne').toISOString()).to.equal('2026-03-01T00:00:00.000Z');
    expect(limiteRetention(new Date('2026-05-29T00:00:00Z'), 90, 'fin-de-campagne').toISOString()).to.equal('2025-03-01T00:00:00.000Z');
  });

  it('depuis l’écriture : tant de jours avant maintenant', () => {
    expect(limiteRetention(new Date('2026-12-01T00:00:00Z'), 30, 'ecriture').toISOString()).to.equal('2026-11-01T00:00:00.000Z');
  });

  it('purge RGPD sur N campagnes : les campagnes N avant la courante et avant', () => {
    expect(campagneLimitePurgeRgpd(new Date('2026-12-01T00:00:00Z'), 2)).to.equal('2024');
    expect(campagneLimitePurgeRgpd(new Date('2027-01-15T00:00:00Z'), 1)).to.equal('2025');
  });
});

describe('différence entre deux états', () => {
  it('les feuilles changées, par chemin ; les champs ignorés et les égaux absents', () => {
    const avant = { nom: 'DURAND', version: 1, voeux: [{ codEtp: 'LDRT1' }, { codEtp: 'LECO1' }] };
    const apres = { nom: 'DURAND', version: 2, voeux: [{ codEtp: 'LDRT2' }, { codEtp: 'LECO1' }, { codEtp: 'LHIS1' }], ine: 'X' };
    expect(difference(avant, apres, new Set(['version']))).to.deep.equal([
      { chemin: 'ine', avant: null, apres: 'X' },
      { chemin: 'voeux[0].codEtp', avant: 'LDRT1', apres: 'LDRT2' },
      { chemin: 'voeux[2]', avant: null, apres: { codEtp: 'LHIS1' } },
    ]);
    expect(difference(null, { a: 1 })).to.deep.equal([{ chemin: '', avant: null, apres: { a: 1 } }]);
    expect(difference({ a: [1, 2] }, { a: [1, 2] })).to.deep.equal([]);
  });
});
