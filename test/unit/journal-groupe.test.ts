/** Stand-alone journal rows written together: grouping under load, each caller settled by its own row, a bad row alone. */
import { expect } from 'chai';
import { JournalGroupe } from '../../src/application/journal-groupe';
import { aujourdhuiParis } from '../../src/application/horloge';
import type { JournalLigne } from '../../src/application/enregistrements';
import type { Depots, UniteDeTravailPort } from '../../src/application/ports';
import { ligneJournalExemple } from '../helpers/exemples';

type Ligne = Omit<JournalLigne, 'id'>;
const ligne = (cle: string): Ligne => ligneJournalExemple({ cle, requestId: `r-${cle}`, operation: 'opi.enregistrer', resultat: 'INCHANGE' });

/** A unit of work whose INSERT takes one event-loop turn and refuses any group holding a row with cle `MAUVAISE`. */
function unite(erreur: (lignes: Ligne[]) => Error | undefined = (l) => (l.some((x) => x.cle === 'MAUVAISE') ? new Error('Data too long') : undefined)) {
  const groupes: string[][] = [];
  const u = {
    ecrireSeul: async <T>(travail: (d: Depots) => Promise<T>) =>
      travail({
        journal: {
          ecrirePlusieurs: async (lignes: Ligne[]) => {
            await new Promise((r) => setImmediate(r));
            const e = erreur(lignes);
            if (e) throw e;
            groupes.push(lignes.map((l) => l.cle!));
          },
        },
      } as unknown as Depots),
  } as unknown as UniteDeTravailPort;
  return { u, groupes };
}
const diagnostic = { estRejouable: (e: unknown) => String(e).includes('Deadlock'), estBaseIndisponible: (e: unknown) => String(e).includes('ECONNREFUSED') };

describe('journal — lignes seules écrites groupées', () => {
  it('la première ligne part seule ; celles qui arrivent pendant son écriture partent ensemble', async () => {
    const { u, groupes } = unite();
    const g = new JournalGroupe(u, diagnostic);
    await g.ecrire(ligne('A'));
    await new Promise((r) => setImmediate(r));
    const premiere = g.ecrire(ligne('B'));
    await Promise.all([premiere, ...['C', 'D', 'E'].map((c) => g.ecrire(ligne(c)))]);
    expect(groupes).to.deep.equal([['A'], ['B'], ['C', 'D', 'E']]);
    expect(g.instructions).to.equal(3);
    expect(g.lignes).to.equal(5);
  });

  it('une promesse ne se résout qu’une fois sa propre ligne écrite', async () => {
    const { u, groupes } = unite();
    const g = new JournalGroupe(u, diagnostic);
    const vues: number[] = [];
    await Promise.all(['A', 'B', 'C'].map((c) => g.ecrire(ligne(c)).then(() => vues.push(groupes.flat().indexOf(c)))));
    expect(vues.every((i) => i >= 0)).to.equal(true);
  });

  it('au plus 200 lignes par INSERT : 450 lignes en attente → 200, 200, puis le reste', async () => {
    const { u, groupes } = unite();
    const g = new JournalGroupe(u, diagnostic);
    await Promise.all(Array.from({ length: 451 }, (_, i) => g.ecrire(ligne(`L${i}`))));
    expect(groupes.map((x) => x.length)).to.deep.equal([1, 200, 200, 50]);
    expect(new Set(groupes.flat()).size).to.equal(451);
  });

  it('une ligne que la base refuse échoue seule : les autres du groupe sont écrites', async () => {
    const { u, groupes } = unite();
    const g = new JournalGroupe(u, diagnostic);
    await g.ecrire(ligne('A'));
    const issues = await Promise.allSettled(['B', 'C', 'MAUVAISE', 'D'].map((c) => g.ecrire(ligne(c))));
    expect(issues.map((i) => i.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((issues[2] as PromiseRejectedResult).reason.message).to.equal('Data too long');
    expect(groupes.flat().sort()).to.deep.equal(['A', 'B', 'C', 'D']);
  });

  it('base indisponible : le même refus pour tout le groupe, sans une tentative par ligne', async () => {
    let tentatives = 0;
    const { u } = unite(() => {
      tentatives++;
      return new Error('connect ECONNREFUSED 127.0.0.1:3306');
    });
    const g = new JournalGroupe(u, diagnostic);
    const issues = await Promise.allSettled(['A', 'B', 'C', 'D'].map((c) => g.ecrire(ligne(c))));
    expect(issues.every((i) => i.status === 'rejected')).to.equal(true);
    expect(tentatives).to.equal(2); // A alone, then B, C, D together
  });

  it('après un échec, les lignes suivantes sont encore écrites', async () => {
    const { u, groupes } = unite();
    const g = new JournalGroupe(u, diagnostic);
    await g.ecrire(ligne('MAUVAISE')).catch(() => undefined);
    await g.ecrire(ligne('A'));
    expect(groupes).to.deep.equal([['A']]);
  });
});

describe('horloge — aujourdhuiParis (un format par minute)', () => {
  it('le jour de Paris, à la seconde du changement, en hiver, en été et au changement d’heure', () => {
    const cas: [string, string][] = [
      ['2026-01-15T22:59:59.999Z', '2026-01-15'],
      ['2026-01-15T23:00:00.000Z', '2026-01-16'],
      ['2026-07-01T21:59:59.999Z', '2026-07-01'],
      ['2026-07-01T22:00:00.000Z', '2026-07-02'],
      ['2026-03-28T22:59:59.000Z', '2026-03-28'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29'],
      ['2026-03-29T21:59:59.000Z', '2026-03-29'],
      ['2026-03-29T22:00:00.000Z', '2026-03-30'],
      ['2026-10-24T21:59:59.000Z', '2026-10-24'],
      ['2026-10-24T22:00:00.000Z', '2026-10-25'],
      ['2026-10-25T22:59:00.000Z', '2026-10-25'],
      ['2026-10-25T23:00:00.000Z', '2026-10-26'],
    ];
    // Twice over, in order and back: the kept minute never answers for another.
    for (const [instant, jour] of [...cas, ...cas.slice().reverse()]) expect(aujourdhuiParis(new Date(instant)), instant).to.equal(jour);
  });
  it('une date invalide est refusée comme avant', () => {
    expect(() => aujourdhuiParis(new Date('x'))).to.throw(RangeError);
  });
});
