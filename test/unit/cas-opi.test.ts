/** OPI upsert through the pipeline, on the in-memory stores: outcomes, one journal row per call, one transaction. */
import { expect } from 'chai';
import { composerEnMemoire, contexte, erreurDe, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { ConflitTransitoire } from '../fakes/depots-memoire';
import { opiExemple } from '../helpers/exemples';
import type { ResultatUpsertOpi } from '../../src/application/opi';
import type { MAJOpiVoeuDTO3 } from '../../src/generated/opi';
import { empreinteDeJson, empreinteOpi } from '../../src/application/opi-lignes';
import { jsonStable, sha256 } from '../../src/domain/empreinte';

describe("cas d'usage — OPI (pipeline sur dépôts en mémoire)", () => {
  let p: PasserelleMemoire;
  beforeEach(async () => {
    p = await composerEnMemoire();
  });
  afterEach(async () => {
    await p.fermer();
  });

  const enregistrer = (corps: unknown) => p.pipeline.executer<ResultatUpsertOpi>(contexte(), 'opi.enregistrer', { corps });
  const lignesJournal = () => p.unite.lignes('journal', (l) => l.operation === 'opi.enregistrer');

  it('CREE (201) puis INCHANGE (200) puis MIS_A_JOUR (200, version 2) ; une ligne de journal par appel, individu OPI:<code>', async () => {
    const cree = await enregistrer(opiExemple('EC26000001'));
    expect(cree.statut).to.equal(201);
    expect(cree.valeur).to.include({ resultat: 'CREE', codOpiIntEpo: 'EC26000001', version: 1 });
    expect(cree.valeur!.voeux.map((v) => v.codEtp)).to.deep.equal(['LDRT1', 'LECG1']);
    expect(lignesJournal()).to.have.length(1);

    const inchange = await enregistrer(opiExemple('EC26000001'));
    expect(inchange.statut).to.equal(200);
    expect(inchange.valeur).to.include({ resultat: 'INCHANGE', version: 1 });
    expect(lignesJournal()).to.have.length(2);

    const maj = await enregistrer(opiExemple('EC26000001', { prenom: 'Élise' }));
    expect(maj.statut).to.equal(200);
    expect(maj.valeur).to.include({ resultat: 'MIS_A_JOUR', version: 2 });

    const journal = lignesJournal();
    expect(journal.map((l) => [l.resultat, l.statut, l.cle, l.individu, l.nombre])).to.deep.equal([
      ['CREE', 201, 'EC26000001', 'OPI:EC26000001', 1],
      ['INCHANGE', 200, 'EC26000001', 'OPI:EC26000001', 1],
      ['MIS_A_JOUR', 200, 'EC26000001', 'OPI:EC26000001', 1],
    ]);
    // An unchanged resend has the same payload hash as the first send; the update another.
    expect(journal[1].empreinte).to.equal(journal[0].empreinte);
    expect(journal[2].empreinte).to.not.equal(journal[0].empreinte);

    const [individu] = p.unite.lignes('individuOpi');
    expect(p.unite.lignes('individuOpi')).to.have.length(1);
    expect(individu).to.include({ codOpiIntEpo: 'EC26000001', libPr1IndOpi: 'ÉLISE', version: 2, source: 'scolarite' });
    expect(p.unite.lignes('voeuOpi').map((v) => [v.rang, v.codEtp])).to.deep.equal([
      [0, 'LDRT1'],
      [1, 'LECG1'],
    ]);
    const lue = await p.pipeline.executer(contexte(), 'opi.lire', 'ec26000001');
    expect(lue.valeur).to.include({ codOpiIntEpo: 'EC26000001', version: 2 });
  });

  it("une erreur de schéma → ErreurMetier 422, une ligne REJETE, rien d'enregistré", async () => {
    const e = await erreurDe(enregistrer({ individu: { codOpiIntEpo: 'EC26000009', etatCivil: { libPr1IndOpi: 'Élodie' } } }));
    expect(e.status).to.equal(422);
    expect(e.problemes.map((x) => x.code)).to.include('CHAMP_OBLIGATOIRE');
    const journal = lignesJournal();
    expect(journal).to.have.length(1);
    expect(journal[0]).to.include({ resultat: 'REJETE', statut: 422, cle: 'EC26000009', individu: 'OPI:EC26000009', nombre: 1 });
    expect(journal[0].codes!.split(',')).to.include('CHAMP_OBLIGATOIRE');
    expect(JSON.parse(journal[0].details!)).to.deep.equal(e.problemes);
    expect(p.unite.lignes('individuOpi')).to.have.length(0);
    expect(p.unite.lignes('voeuOpi')).to.have.length(0);
  });

  it("une panne dans la transaction APRÈS l'insertion de la ligne de journal : ni OPI, ni vœux, ni cette ligne (même transaction)", async () => {
    let pannes = 0;
    p.unite.decorer = (d) => {
      const ecrire = d.journal.ecrire.bind(d.journal);
      d.journal.ecrire = async (ligne) => {
        const id = await ecrire(ligne);
        if (ligne.resultat === 'CREE' && pannes === 0) {
          pannes++;
          throw new Error('disque plein (simulé)');
        }
        return id;
      };
    };
    const e = await erreurDe(enregistrer(opiExemple('EC26000002')));
    expect(e.status).to.equal(500);
    expect(e.problemes.map((x) => x.code)).to.deep.equal(['ERREUR_INTERNE']);
    expect(pannes).to.equal(1);
    expect(p.unite.lignes('individuOpi')).to.have.length(0);
    expect(p.unite.lignes('voeuOpi')).to.have.length(0);
    // Only the failure's own row (written in its own transaction) remains: no CREE row.
    expect(lignesJournal().map((l) => [l.resultat, l.statut, l.codes])).to.deep.equal([['ERREUR', 500, 'ERREUR_INTERNE']]);
    expect(p.logs.some((l) => l.level === 'error' && l.message === 'erreur interne')).to.equal(true);
    expect(p.unite.rejeux).to.equal(0);

    // Nothing was left behind: the same OPI sent again is created, at version 1.
    p.unite.decorer = undefined;
    const x = await enregistrer(opiExemple('EC26000002'));
    expect(x.valeur).to.include({ resultat: 'CREE', version: 1 });
  });

  it("un conflit transitoire pendant l'écriture : la transaction entière est rejouée, une OPI et une ligne de journal", async () => {
    let essais = 0;
    p.unite.decorer = (d) => {
      const creer = d.opi.creer.bind(d.opi);
      d.opi.creer = async (ligne) => {
        const cree = await creer(ligne);
        if (essais++ === 0) throw new ConflitTransitoire();
        return cree;
      };
    };
    const x = await enregistrer(opiExemple('EC26000003'));
    expect(x.valeur).to.include({ resultat: 'CREE', version: 1 });
    expect(p.unite.rejeux).to.equal(1);
    expect(p.unite.lignes('individuOpi').map((i) => i.codOpiIntEpo)).to.deep.equal(['EC26000003']);
    expect(p.unite.lignes('voeuOpi')).to.have.length(2);
    expect(lignesJournal().map((l) => l.resultat)).to.deep.equal(['CREE']);
  });

  it("deux OPI d'un même individu (même INE) : la seconde porte l'avertissement DOUBLON_INE, gardé une fois", async () => {
    await enregistrer(opiExemple('EC26000004'));
    const x = await enregistrer(opiExemple('EC26000005', { prenom: 'Élise', dateNai: '2006-06-01' }));
    expect(x.valeur!.avertissements.map((a) => a.code)).to.deep.equal(['DOUBLON_INE']);
    await enregistrer(opiExemple('EC26000005', { prenom: 'Elise', dateNai: '2006-06-01' }));
    expect(p.unite.lignes('doublonOpi').map((d) => [d.codOpiIntEpo, d.codOpiIntEpoExistant, d.motif])).to.deep.equal([
      ['EC26000005', 'EC26000004', 'DOUBLON_INE'],
    ]);
    expect(lignesJournal().map((l) => l.codes)).to.deep.equal([null, 'DOUBLON_INE', 'DOUBLON_INE']);
  });
});

describe("empreinte d'une OPI : la même quelle que soit la façon de la calculer", () => {
  it('depuis les vœux ou depuis le JSON de chacun ; la formule des empreintes déjà stockées (un renvoi reste INCHANGE après mise à jour de la passerelle)', () => {
    const voeux = opiExemple().voeux as unknown as MAJOpiVoeuDTO3[];
    const donnees = '{"individu":{"codOpiIntEpo":"EC24000001"}}';
    const attendue = sha256(`${donnees}|${jsonStable(voeux)}`);
    expect(empreinteOpi(donnees, voeux)).to.equal(attendue);
    expect(
      empreinteDeJson(
        donnees,
        voeux.map((v) => jsonStable(v)),
      ),
    ).to.equal(attendue);
    expect(empreinteDeJson(donnees, [])).to.equal(sha256(`${donnees}|[]`));
  });
});
