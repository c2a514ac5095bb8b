/** Idempotency-Key through the pipeline (as the REST door passes it), on the in-memory stores. */
import { expect } from 'chai';
import { composerEnMemoire, contexte, erreurDe, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { jsonStable, sha256 } from '../../src/domain/empreinte';
import { anneeCampagne, aujourdhuiParis } from '../../src/application/horloge';
import type { ResultatLp } from '../../src/application/laissez-passer';
import type { ContexteAppel, OptionsExecution } from '../../src/application/pipeline';

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

/** What routes-lp.ts passes for `POST /laissez-passer` with an `Idempotency-Key`. */
const optionsRest = (cle: string, corps: unknown): OptionsExecution<ResultatLp> => ({
  idempotence: { cle, empreinte: sha256(jsonStable(corps)) },
  reponse: (y) => ({ statut: y.resultat === 'CREE' ? 201 : 200, corps: { resultat: y.resultat, id: y.id, laissezPasser: y.laissezPasser } }),
});

describe("cas d'usage — idempotence (pipeline sur dépôts en mémoire)", () => {
  let p: PasserelleMemoire;
  beforeEach(async () => {
    p = await composerEnMemoire();
  });
  afterEach(async () => {
    await p.fermer();
  });

  const envoyer = (corps: unknown, cle: string, ctx: ContexteAppel = contexte()) =>
    p.pipeline.executer<ResultatLp>(ctx, 'lp.enregistrer', corps, optionsRest(cle, corps));
  const lignesJournal = () => p.unite.lignes('journal', (l) => l.operation === 'lp.enregistrer');

  it('même clé, même corps : la 2e réponse est rejouée (rejouee: true, même statut et corps), sans 2e écriture ; journal REPONSE_REJOUEE', async () => {
    const premiere = await envoyer(lp(), 'cle-1');
    expect(premiere).to.include({ rejouee: false, statut: 201 });
    const validees = p.unite.validees;
    const seconde = await envoyer(lp(), 'cle-1');
    expect(seconde).to.include({ rejouee: true, statut: 201 });
    expect(seconde.valeur).to.equal(undefined);
    expect(seconde.corps).to.deep.equal(premiere.corps);
    // One transaction only: the replay's journal row.
    expect(p.unite.validees).to.equal(validees + 1);
    const lps = p.unite.lignes('laissezPasser');
    expect(lps).to.have.length(1);
    expect(lps[0]).to.include({ version: 1, codEtu: '21000001' });
    expect(p.unite.lignes('idempotence').map((i) => [i.client, i.cle, i.operation, i.statut])).to.deep.equal([['scolarite', 'cle-1', 'lp.enregistrer', 201]]);
    expect(lignesJournal().map((l) => [l.resultat, l.statut, l.individu])).to.deep.equal([
      ['CREE', 201, 'ETU:21000001'],
      ['REPONSE_REJOUEE', 201, 'ETU:21000001'],
    ]);
  });

  it('même clé, autre corps → 409 IDEMPOTENCE_CONFLIT, une ligne CONFLIT_IDEMPOTENCE, rien de changé ; la clé est propre à chaque client', async () => {
    await envoyer(lp(), 'cle-2');
    const e = await erreurDe(envoyer(lp({ codRgi: '3' }), 'cle-2'));
    expect(e.status).to.equal(409);
    expect(e.problemes.map((x) => x.code)).to.deep.equal(['IDEMPOTENCE_CONFLIT']);
    expect(lignesJournal().map((l) => [l.resultat, l.statut, l.codes])).to.deep.equal([
      ['CREE', 201, null],
      ['CONFLIT_IDEMPOTENCE', 409, 'IDEMPOTENCE_CONFLIT'],
    ]);
    expect(p.unite.lignes('laissezPasser').map((l) => [l.codRgi, l.version])).to.deep.equal([['1', 1]]);

    const autreClient = await envoyer(lp({ codRgi: '3' }), 'cle-2', contexte({ client: 'scolarite-eco' }));
    expect(autreClient).to.include({ rejouee: false, statut: 200 });
    expect(p.unite.lignes('laissezPasser').map((l) => [l.codRgi, l.version])).to.deep.equal([['3', 2]]);
    expect(p.unite.lignes('idempotence')).to.have.length(2);
  });

  it("deux premiers envois simultanés de la même clé : un écrit, l'autre rejoue sa réponse (re-vérifié dans la transaction)", async () => {
    // Both calls pass the fast path (read outside any transaction) before either commits.
    let trouveesEnTransaction = 0;
    p.unite.decorer = (d) => {
      const lire = d.idempotence.lire.bind(d.idempotence);
      d.idempotence.lire = async (client, cle) => {
        const l = await lire(client, cle);
        if (l) trouveesEnTransaction++;
        return l;
      };
    };
    const [a, b] = await Promise.all([envoyer(lp(), 'cle-3'), envoyer(lp(), 'cle-3')]);
    expect([a.rejouee, b.rejouee].sort()).to.deep.equal([false, true]);
    expect(trouveesEnTransaction).to.equal(1);
    expect(a.corps).to.deep.equal(b.corps);
    expect(p.unite.lignes('laissezPasser')).to.have.length(1);
    expect(
      lignesJournal()
        .map((l) => l.resultat)
        .sort(),
    ).to.deep.equal(['CREE', 'REPONSE_REJOUEE']);
  });

  it("une clé de plus de 200 caractères → 400 PARAMETRE_INVALIDE, journalisé, rien d'écrit", async () => {
    const e = await erreurDe(envoyer(lp(), 'k'.repeat(201)));
    expect(e.status).to.equal(400);
    expect(e.problemes[0]).to.include({ code: 'PARAMETRE_INVALIDE', path: 'Idempotency-Key' });
    expect(p.unite.lignes('laissezPasser')).to.have.length(0);
    expect(lignesJournal().map((l) => l.resultat)).to.deep.equal(['REJETE']);
  });
});
