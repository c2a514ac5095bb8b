/** Laissez-passer through the pipeline, on the in-memory stores: lists (all-or-nothing, partial), identity by student number. */
import { expect } from 'chai';
import { composerEnMemoire, contexte, erreurDe, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { anneeCampagne, aujourdhuiParis } from '../../src/application/horloge';
import type { ResultatListeLp, ResultatLp } from '../../src/application/laissez-passer';

const ANNEE = anneeCampagne(aujourdhuiParis());
const lp = (surcharges: Record<string, unknown> = {}) => ({
  typLpa: 'REINS',
  codAnu: ANNEE,
  codEtu: '21000001',
  codEtp: 'LDRT2',
  codVrsVet: 2,
  codRgi: '1',
  codStu: '01',
  codCatExoExt: 'DN',
  ...surcharges,
});

describe("cas d'usage — laissez-passer (pipeline sur dépôts en mémoire)", () => {
  let p: PasserelleMemoire;
  beforeEach(async () => {
    p = await composerEnMemoire();
  });
  afterEach(async () => {
    await p.fermer();
  });

  const liste = (items: unknown[], mode: 'partiel' | 'tout-ou-rien') =>
    p.pipeline.executer<ResultatListeLp>(contexte(), 'lp.enregistrerEnMasse', { items, mode, cheminListe: '' });
  const quatre = () => [lp({ codEtu: '43000001' }), lp({ codEtu: '43000002' }), lp({ codEtu: '43000003', codEtp: 'ZZZZ1' }), lp({ codEtu: '43000004' })];

  it("liste tout-ou-rien avec un mauvais élément : rien d'écrit, le mauvais REJETE (avec son problème), les autres NON_ECRIT", async () => {
    const { valeur } = await liste(quatre(), 'tout-ou-rien');
    expect(valeur!.resultats.map((r) => [r.rang, r.statut])).to.deep.equal([
      [1, 'NON_ECRIT'],
      [2, 'NON_ECRIT'],
      [3, 'REJETE'],
      [4, 'NON_ECRIT'],
    ]);
    expect(valeur!.resultats[2].problemes!.map((x) => [x.code, x.path])).to.deep.equal([['ETAPE_INCONNUE', '[2].codEtp']]);
    expect(valeur!.bilan).to.include({ creees: 0, rejetees: 1, toutOuRienAnnule: true, resultat: 'REJETE' });
    expect(p.unite.lignes('laissezPasser')).to.have.length(0);
    const journal = p.unite.lignes('journal', (l) => l.operation === 'lp.enregistrerEnMasse');
    expect(journal.map((l) => [l.resultat, l.codes])).to.deep.equal([['REJETE', 'ETAPE_INCONNUE']]);
  });

  it('liste partielle : les bons écrits (CREE, avec leur id), le mauvais REJETE ; bilan PARTIEL', async () => {
    const { valeur } = await liste(quatre(), 'partiel');
    expect(valeur!.resultats.map((r) => r.statut)).to.deep.equal(['CREE', 'CREE', 'REJETE', 'CREE']);
    expect(valeur!.bilan).to.include({ creees: 3, rejetees: 1, toutOuRienAnnule: false, resultat: 'PARTIEL' });
    const parId = new Map(p.unite.lignes('laissezPasser').map((l) => [l.id, l.codEtu]));
    expect(parId.size).to.equal(3);
    expect(valeur!.resultats.filter((r) => r.id !== undefined).map((r) => parId.get(r.id!))).to.deep.equal(['43000001', '43000002', '43000004']);
    // Sent again: unchanged, same ids; the bad one still refused.
    const renvoi = await liste(quatre(), 'partiel');
    expect(renvoi.valeur!.resultats.map((r) => r.statut)).to.deep.equal(['INCHANGE', 'INCHANGE', 'REJETE', 'INCHANGE']);
    expect(renvoi.valeur!.resultats.map((r) => r.id)).to.deep.equal(valeur!.resultats.map((r) => r.id));
    expect(p.unite.lignes('laissezPasser')).to.have.length(3);
  });

  it('codEtu 00012345 et 12345 : une seule identité de LP (ETU:12345|…), individu ETU:12345 au journal pour les deux écritures', async () => {
    const a = await p.pipeline.executer<ResultatLp>(contexte(), 'lp.enregistrer', lp({ codEtu: '00012345' }));
    expect(a.valeur).to.include({ resultat: 'CREE', cle: `ETU:12345|${ANNEE}|LDRT2|2` });
    const b = await p.pipeline.executer<ResultatLp>(contexte(), 'lp.enregistrer', lp({ codEtu: '12345' }));
    expect(b.valeur).to.include({ resultat: 'INCHANGE', id: a.valeur!.id });
    const lps = p.unite.lignes('laissezPasser');
    expect(lps.map((l) => [l.cle, l.codEtu, l.version])).to.deep.equal([[`ETU:12345|${ANNEE}|LDRT2|2`, '12345', 1]]);
    // A refused LP with the zero-padded spelling is journaled under the same individual too.
    await erreurDe(p.pipeline.executer(contexte(), 'lp.enregistrer', lp({ codEtu: '00012345', codEtp: 'ZZZZ1' })));
    const journal = p.unite.lignes('journal', (l) => l.operation === 'lp.enregistrer');
    expect(journal.map((l) => [l.resultat, l.individu])).to.deep.equal([
      ['CREE', 'ETU:12345'],
      ['INCHANGE', 'ETU:12345'],
      ['REJETE', 'ETU:12345'],
    ]);
    expect(journal[0].cle).to.equal(`ETU:12345|${ANNEE}|LDRT2|2`);
    // The journal search by individual finds them whatever the spelling typed.
    const lu = await p.pipeline.executer<{ entrees: unknown[] }>(contexte(), 'journal.lire', { individu: 'etu:00012345', operation: 'lp.enregistrer' });
    expect(lu.valeur!.entrees).to.have.length(3);
  });

  it('les deux graphies dans une même liste : la seconde met à jour la première, un seul LP créé', async () => {
    const { valeur } = await liste([lp({ codEtu: '00012345' }), lp({ codEtu: '12345', libCmtLpa: 'Réorientation' })], 'partiel');
    expect(valeur!.resultats.map((r) => r.statut)).to.deep.equal(['CREE', 'MIS_A_JOUR']);
    expect(valeur!.resultats[0].id).to.equal(valeur!.resultats[1].id);
    expect(p.unite.lignes('laissezPasser').map((l) => [l.codEtu, l.libCmtLpa])).to.deep.equal([['12345', 'Réorientation']]);
    expect(p.unite.lignes('journal', (l) => l.operation === 'lp.enregistrerEnMasse').map((l) => l.individu)).to.deep.equal(['ETU:12345']);
  });

  it("la validation d'un paquet de 500 lignes laisse la main à la boucle d'événements (les réponses de la base pendant ce temps sont lues à mesure)", async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ rang: i + 2, brut: lp({ codEtu: String(21000000 + i) }) }));
    const tours: number[] = [];
    let fait = 0;
    // An immediate re-armed after each turn counts the turns the event loop gets during the validation.
    const compter = () => {
      if (fait) return;
      tours.push(1);
      setImmediate(compter);
    };
    setImmediate(compter);
    const prepares = await p.lp.preparer(items);
    fait = 1;
    expect(prepares.filter((x) => x.lp && !x.problemes.length)).to.have.length(500);
    // One turn every 50 rows, at least.
    expect(tours.length).to.be.at.least(10);
  });
});
