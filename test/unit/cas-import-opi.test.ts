/**
 * The OPI import job type on the in-memory stores, with a small test format (the real platform
 * formats have their own tests): rows mapped to canonical OPIs and written by the OPI use case,
 * problems named by column, a repeated or contradicting row reported, a dry-run, a joined pair of files.
 */
import { expect } from 'chai';
import { composerEnMemoire, contexte, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { sourceJointe } from '../../src/application/jobs/import-opi';
import type { CandidatMappe, FormatImport, ValeurLue } from '../../src/application/ports';
import { probleme } from '../../src/domain/errors';
import type { EtatJob } from '../../src/application/jobs/moteur';

const COLONNES = ['num', 'nom', 'prenom', 'naissance', 'etape', '__voeux'];

/** A format of test: `num` → OPI `T<num>`, one vœu on `etape` (or one per row of `__voeux` when joined). */
const FORMAT_TEST: FormatImport = {
  nom: 'test-csv',
  plateforme: 'ecandidat',
  colonnes: COLONNES,
  colonnesObligatoires: ['num', 'nom'],
  mapper(v: Record<string, ValeurLue>): CandidatMappe {
    const problemes = [];
    const naissance = String(v.naissance ?? '');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(naissance)) problemes.push(probleme('DATE_INVALIDE', 'naissance', { format: 'AAAA-MM-JJ' }));
    const etapes = Array.isArray(v.__voeux) ? (v.__voeux as unknown as Record<string, string>[]).map((x) => x.etape) : [String(v.etape ?? '')];
    return {
      plateforme: 'ecandidat',
      idPlateforme: String(v.num ?? ''),
      problemes,
      colonnes: { 'individu.etatCivil.libNomPatIndOpi': 'nom', 'individu.etatCivil.libPr1IndOpi': 'prenom', voeux: 'etape' },
      opi: {
        individu: {
          codOpiIntEpo: `T${String(v.num ?? '')}`,
          etatCivil: { libNomPatIndOpi: v.nom, libPr1IndOpi: v.prenom, codSexEtuOpi: 'F' },
          donneesNaissance: { dateNaiIndOpi: naissance, temDateNaiRelOpi: 'N', codPayNat: '100', codTypDepPayNai: 'D', codDepPayNai: '035' },
        },
        voeux: etapes.map((codEtp, i) => ({ numCls: i + 1, codCge: 'DRT', codEtp, codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C' })),
      },
    };
  },
};

async function importer(
  p: PasserelleMemoire,
  nom: string,
  lignes: Record<string, string>[],
  options: Record<string, unknown> = {},
  annexes: string[] = [],
): Promise<EtatJob> {
  const fichier = await p.lecteur.deposer(p.dossierLots, nom, lignes);
  const x = await p.pipeline.executer<EtatJob>(contexte(), 'opi.importer', {
    format: 'test-csv',
    fichier,
    options: { format: 'csv', mode: 'partiel', ...options, parametres: { format: 'test-csv', annexes } },
  });
  return p.moteur.attendre(x.valeur!.id, 10_000);
}

const ligne = (num: string, x: Record<string, string> = {}) => ({ num, nom: 'Lefèvre', prenom: 'Élodie', naissance: '2006-05-14', etape: 'LDRT1', ...x });

describe("cas d'usage — import d'OPI (type de job générique, format de test)", () => {
  let p: PasserelleMemoire;
  beforeEach(async () => {
    p = await composerEnMemoire({ formats: [{ format: FORMAT_TEST }] });
  });
  afterEach(async () => {
    await p.fermer();
  });

  it("chaque ligne devient une OPI écrite par le cas d'usage OPI ; les problèmes sont nommés par colonne, tous en une passe", async () => {
    const fin = await importer(p, 'a.csv', [
      ligne('1'),
      ligne('2', { naissance: '14/05/2006', nom: '' }),
      ligne('3', { etape: 'ZZZZ1' }),
      ligne('4', { nom: 'X'.repeat(40) }),
    ]);
    expect(fin).to.include({ etat: 'TERMINE', lignesLues: 4, creees: 1, lignesRejetees: 3 });
    expect(p.unite.lignes('individuOpi').map((i) => i.codOpiIntEpo)).to.deep.equal(['T1']);
    const rejets = Object.fromEntries(
      (await p.moteur.rejets(fin.id)).map((r) => [r.numLigne, JSON.parse(r.problemes).map((x: { code: string; path: string }) => `${x.code}@${x.path}`)]),
    );
    expect(rejets[3]).to.include('DATE_INVALIDE@naissance');
    expect(rejets[4]).to.include('ETAPE_INCONNUE@etape');
    expect(rejets[5]).to.include('LONGUEUR_MAX_DEPASSEE@nom');
    const r5 = (await p.moteur.rejets(fin.id)).find((r) => r.numLigne === 5)!;
    expect(JSON.parse(r5.identifiants!)).to.deep.equal({ idPlateforme: '4', codOpiIntEpo: 'T4' });
    // A rejected row is journaled with its individual.
    expect(
      p.unite
        .lignes('journal', (l) => l.operation === 'opi.import.ligne')
        .map((l) => l.individu)
        .sort(),
    ).to.deep.equal(['OPI:T2', 'OPI:T3', 'OPI:T4']);
  });

  it('une ligne qui répète (LIGNE_EN_DOUBLE) ou contredit (LIGNE_CONTRADICTOIRE) une ligne précédente du même candidat est rapportée, jamais gagnante en silence', async () => {
    const fin = await importer(p, 'b.csv', [ligne('1'), ligne('1'), ligne('1', { prenom: 'Zoé' }), ligne('2')]);
    expect(fin).to.include({ creees: 2, lignesRejetees: 2 });
    const rejets = await p.moteur.rejets(fin.id);
    expect(rejets.map((r) => [r.numLigne, r.codes])).to.deep.equal([
      [3, 'LIGNE_EN_DOUBLE'],
      [4, 'LIGNE_CONTRADICTOIRE'],
    ]);
    expect(JSON.parse(rejets[1].problemes)[0].message).to.contain('ligne 2');
    const t1 = p.unite.lignes('individuOpi', (i) => i.codOpiIntEpo === 'T1')[0];
    expect(t1.libPr1IndOpi).to.equal('ÉLODIE');
  });

  it("simulation : le même rapport, rien d'écrit ; un nouvel import du même fichier n'écrit rien deux fois", async () => {
    const lignes = [ligne('1'), ligne('2', { etape: 'ZZZZ1' }), ligne('3')];
    const sim = await importer(p, 'c.csv', lignes, { simulation: true });
    expect(sim).to.include({ etat: 'TERMINE', creees: 2, lignesRejetees: 1, simulation: true });
    expect(p.unite.lignes('individuOpi')).to.have.length(0);
    const reel = await importer(p, 'c2.csv', lignes);
    expect(reel).to.include({ creees: 2, lignesRejetees: 1 });
    const encore = await importer(p, 'c3.csv', lignes);
    expect(encore).to.include({ creees: 0, inchangees: 2, lignesRejetees: 1 });
    expect(p.unite.lignes('individuOpi')).to.have.length(2);
  });

  it('un format inconnu est refusé (FORMAT_IMPORT_INCONNU) et journalisé ; une colonne obligatoire absente aussi (FICHIER_NON_CONFORME)', async () => {
    const fichier = await p.lecteur.deposer(p.dossierLots, 'd.csv', [{ num: '1' }]);
    const e1 = await p.pipeline
      .executer(contexte(), 'opi.importer', { format: 'inconnu', fichier, options: { format: 'csv', mode: 'partiel' } })
      .catch((e) => e);
    expect(e1.problemes[0]).to.include({ code: 'FORMAT_IMPORT_INCONNU', path: 'format' });
    const e2 = await p.pipeline
      .executer(contexte(), 'opi.importer', { format: 'test-csv', fichier, options: { format: 'csv', mode: 'partiel', parametres: { format: 'test-csv' } } })
      .catch((e) => e);
    expect(e2.problemes[0]).to.include({ code: 'FICHIER_NON_CONFORME', path: 'entete' });
    expect(p.unite.lignes('journal', (l) => l.operation === 'opi.importer' && l.resultat === 'REJETE')).to.have.length(2);
  });

  it('une paire de fichiers jointe sur une colonne (comme candidat + candidature de Pégase) : une OPI avec un vœu par ligne de la seconde', async () => {
    await p.fermer();
    p = await composerEnMemoire({ formats: [{ format: FORMAT_TEST, source: sourceJointe(['num', 'etape'], 'num', '__voeux') }] });
    const annexe = await p.lecteur.deposer(p.dossierLots, 'voeux.csv', [
      { num: '1', etape: 'LDRT1' },
      { num: '1', etape: 'LDRT2' },
      { num: '2', etape: 'LDRT3' },
    ]);
    const fin = await importer(p, 'e.csv', [ligne('1', { etape: '' }), ligne('2', { etape: '' })], {}, [annexe]);
    expect(fin, JSON.stringify(await p.moteur.rejets(fin.id))).to.include({ creees: 2, lignesRejetees: 0 });
    const t1 = p.unite.lignes('individuOpi', (i) => i.codOpiIntEpo === 'T1')[0];
    expect(
      p.unite
        .lignes('voeuOpi', (v) => v.individuOpiId === t1.id)
        .map((v) => v.codEtp)
        .sort(),
    ).to.deep.equal(['LDRT1', 'LDRT2']);
  });
});
