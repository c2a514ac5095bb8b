/** The compact record of a file's rows already seen (repeated vs contradicting rows of one candidate). */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { LignesVues } from '../../src/application/jobs/lignes-vues';

const h = (s: string) => createHash('sha256').update(s).digest('hex');

describe('LignesVues — lignes déjà vues d’un fichier', () => {
  it('première vue : rien ; même candidat, même contenu : identique avec le rang de la première ; autre contenu : non identique', () => {
    const v = new LignesVues();
    expect(v.voir('4000001', 2, h('a'))).to.equal(undefined);
    expect(v.voir('4000001', 7, h('a'))).to.deep.equal({ rang: 2, identique: true });
    expect(v.voir('4000001', 9, h('b'))).to.deep.equal({ rang: 2, identique: false });
  });

  it('clés numériques et textuelles distinctes ; 5 000 candidats (au-delà de la capacité initiale) tous retrouvés', () => {
    const v = new LignesVues();
    expect(v.voir('ABC-12', 1, h('x'))).to.equal(undefined);
    expect(v.voir('0012', 2, h('y'))).to.equal(undefined);
    for (let i = 0; i < 5000; i++) expect(v.voir(String(100000 + i), i + 10, h(`r${i}`))).to.equal(undefined);
    for (let i = 0; i < 5000; i += 499) expect(v.voir(String(100000 + i), 0, h(`r${i}`))).to.deep.equal({ rang: i + 10, identique: true });
    expect(v.voir('ABC-12', 3, h('x'))).to.deep.equal({ rang: 1, identique: true });
    // '0012' and '12' are the same candidate number.
    expect(v.voir('12', 4, h('y'))).to.deep.equal({ rang: 2, identique: true });
  });
});
