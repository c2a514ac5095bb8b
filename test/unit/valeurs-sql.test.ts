/** How values are bound on both drivers (src/persistence/sql-portable.ts): dates as UTC text. */
import { expect } from 'chai';
import { valeurSql } from '../../src/persistence/sql-portable';

describe('valeurSql — valeurs liées', () => {
  it('une date en texte UTC à la milliseconde, la même date redonnée, une autre, une date modifiée sur place', () => {
    const d = new Date('2026-07-14T08:09:10.123Z');
    expect(valeurSql(d)).to.equal('2026-07-14 08:09:10.123');
    expect(valeurSql(new Date(d.getTime()))).to.equal('2026-07-14 08:09:10.123');
    expect(valeurSql(new Date('2026-01-02T03:04:05.006Z'))).to.equal('2026-01-02 03:04:05.006');
    d.setTime(Date.UTC(2027, 11, 31, 23, 59, 59, 999));
    expect(valeurSql(d)).to.equal('2027-12-31 23:59:59.999');
    expect(() => valeurSql(new Date(Number.NaN))).to.throw(RangeError);
    expect(valeurSql(new Date('2026-07-14T08:09:10.123Z'))).to.equal('2026-07-14 08:09:10.123');
  });

  it('undefined devient NULL ; les autres valeurs passent telles quelles', () => {
    expect(valeurSql(undefined)).to.equal(null);
    expect(valeurSql(null)).to.equal(null);
    expect(valeurSql('texte')).to.equal('texte');
    expect(valeurSql(0)).to.equal(0);
  });
});
