/** Refusals before authentication (401): one journal row per source address (and minute), with the count. */
import { expect } from 'chai';
import { composerEnMemoire, contexte, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { ErreurMetier, probleme } from '../../src/domain/errors';
import type { EntreeJournalLue } from '../../src/application/journal';

const non401 = () => new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401);

/** The rows are per minute: start well inside one, so that a test never straddles two (not a timing assertion). */
async function loinDuChangementDeMinute(): Promise<void> {
  const dansLaMinute = Date.now() % 60_000;
  if (dansLaMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - dansLaMinute + 100));
}

describe("cas d'usage — refus 401 regroupés (pipeline sur dépôts en mémoire)", () => {
  let p: PasserelleMemoire;
  beforeEach(async () => {
    p = await composerEnMemoire();
    await loinDuChangementDeMinute();
  });
  afterEach(async () => {
    await p.fermer();
  });

  const refuser = (adresse: string, n: number, operation = 'opi.enregistrer') =>
    Promise.all(Array.from({ length: n }, () => p.pipeline.refuser(contexte({ client: 'anonyme', adresse }), operation, non401())));
  const lignes401 = () => p.unite.lignes('journal', (l) => l.statut === 401);

  it('5 refus depuis une adresse → après vider(), UNE ligne de journal avec nombre 5', async () => {
    await refuser('198.51.100.7', 5);
    await p.pipeline.refusAgreges.vider();
    const l = lignes401();
    expect(l.map((x) => [x.cle, x.nombre, x.resultat, x.codes, x.porte, x.operation])).to.deep.equal([
      ['adresse:198.51.100.7', 5, 'REJETE', 'AUTHENTIFICATION_REQUISE', 'REST', 'opi.enregistrer'],
    ]);
    // Flushing again adds nothing.
    await p.pipeline.refusAgreges.vider();
    expect(lignes401()[0].nombre).to.equal(5);
  });

  it('depuis deux adresses → deux lignes, chacune avec son compte ; un refus non-401 garde sa propre ligne', async () => {
    await refuser('198.51.100.7', 3);
    await refuser('203.0.113.9', 2, 'lp.enregistrer');
    await p.pipeline.refuser(contexte({ adresse: '198.51.100.7' }), 'lp.lire', ErreurMetier.une('PARAMETRE_INVALIDE', 'id', { detail: 'id : un entier' }));
    await p.pipeline.refusAgreges.vider();
    expect(
      lignes401()
        .map((x) => [x.cle, x.nombre])
        .sort(),
    ).to.deep.equal([
      ['adresse:198.51.100.7', 3],
      ['adresse:203.0.113.9', 2],
    ]);
    const autres = p.unite.lignes('journal', (l) => l.statut !== 401);
    expect(autres.map((x) => [x.operation, x.statut, x.nombre, x.codes])).to.deep.equal([['lp.lire', 400, 1, 'PARAMETRE_INVALIDE']]);
  });

  it("la lecture du journal écrit d'abord ce qui a été compté (sans vider() explicite)", async () => {
    await refuser('198.51.100.7', 4);
    const lu = await p.pipeline.executer<{ entrees: EntreeJournalLue[] }>(contexte(), 'journal.lire', { operation: 'opi.enregistrer', resultat: 'rejete' });
    expect(lu.valeur!.entrees.map((e) => [e.cle, e.statut, e.nombre])).to.deep.equal([['adresse:198.51.100.7', 401, 4]]);
  });
});
