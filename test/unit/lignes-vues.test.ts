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

  it('400 000 clés de laissez-passer (forme réelle, très proches les unes des autres) : aucune prise pour une autre, toutes retrouvées', () => {
    const v = new LignesVues();
    const cle = (i: number) => `${i % 2 ? 'INE' : 'OPI'}:${String(i).padStart(10, '0')}${i % 7}|2026|LDRT${i % 3}|${i % 5}`;
    const faux: number[] = [];
    for (let i = 0; i < 400_000; i++) if (v.voir(cle(i), i + 2, h(String(i))) !== undefined) faux.push(i);
    expect(faux).to.deep.equal([]);
    for (let i = 0; i < 400_000; i += 997) expect(v.voir(cle(i), 0, h(String(i)))).to.deep.equal({ rang: i + 2, identique: true });
    // Numbers beyond 32 bits are kept exactly.
    expect(v.voir('4294967297', 1, h('n'))).to.equal(undefined);
    expect(v.voir('1', 2, h('n'))).to.equal(undefined);
    expect(v.voir('000004294967297', 3, h('n'))).to.deep.equal({ rang: 1, identique: true });
  });
});
