import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { Workbook } from 'exceljs';
import { parse as csvParseSync } from 'csv-parse/sync';
import { detecterEncodage, lireEntete, lireLignes, modele, versCsv, type LigneLue, type OptionsLecture } from '../../src/adapters/batch/lecteurs';
import { ErreurMetier } from '../../src/domain/errors';

const COLONNES = [
  'typLpa',
  'codAnu',
  'numOPI',
  'codEtu',
  'codEtp',
  'codVrsVet',
  'codDip',
  'codVrsVdi',
  'codRgi',
  'codStu',
  'libCmtLpa',
  'codCatOuiSi',
  'mtfCat',
  'codCatExoExt',
  'ine',
  'codCge',
  'dateDebutValidite',
  'dateFinValidite',
] as const;

let dossier: string;
function fichier(nom: string, contenu: string | Buffer): string {
  const f = path.join(dossier, nom);
  writeFileSync(f, contenu);
  return f;
}

async function tout(f: string, options: Partial<OptionsLecture> & Pick<OptionsLecture, 'format'>): Promise<LigneLue[]> {
  const lignes: LigneLue[] = [];
  for await (const l of lireLignes(f, { colonnes: COLONNES, ...options })) lignes.push(l);
  return lignes;
}

async function erreur(p: Promise<unknown>): Promise<ErreurMetier> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ErreurMetier);
    return err as ErreurMetier;
  }
  throw new Error('une ErreurMetier était attendue');
}

describe('lecteurs de lots — CSV', () => {
  before(() => {
    dossier = mkdtempSync(path.join(os.tmpdir(), 'lecteurs-'));
  });
  after(() => {
    rmSync(dossier, { recursive: true, force: true });
  });

  it('UTF-8, séparateur ; et accents', async () => {
    const f = fichier('utf8.csv', 'typLpa;codAnu;codEtu;libCmtLpa\nI;2025;00012345;Élève dérogé\nR;2025;00012346;Cœur\n');
    const entete = await lireEntete(f, { format: 'csv', colonnes: COLONNES });
    expect(entete).to.deep.equal({
      colonnes: ['typLpa', 'codAnu', 'codEtu', 'libCmtLpa'],
      inconnues: [],
      encodage: 'utf-8',
      separateur: ';',
    });
    const lignes = await tout(f, { format: 'csv' });
    expect(lignes).to.deep.equal([
      { numLigne: 2, valeurs: { typLpa: 'I', codAnu: '2025', codEtu: '00012345', libCmtLpa: 'Élève dérogé' } },
      { numLigne: 3, valeurs: { typLpa: 'R', codAnu: '2025', codEtu: '00012346', libCmtLpa: 'Cœur' } },
    ]);
  });

  it('Windows-1252, séparateur , : détecté et relu correctement', async () => {
    const texte = 'codEtu,libCmtLpa,codEtp\r\n1,Hélène Lefèvre,VET1\r\n2,Œuvre « spéciale »,VET2\r\n';
    const octets = iconv.encode(texte, 'windows-1252');
    expect(detecterEncodage(octets)).to.equal('windows-1252');
    const f = fichier('cp1252.csv', octets);
    const entete = await lireEntete(f, { format: 'csv', colonnes: COLONNES });
    expect(entete.encodage).to.equal('windows-1252');
    expect(entete.separateur).to.equal(',');
    const lignes = await tout(f, { format: 'csv' });
    expect(lignes.map((l) => l.valeurs.libCmtLpa)).to.deep.equal(['Hélène Lefèvre', 'Œuvre « spéciale »']);
    expect(lignes.map((l) => l.numLigne)).to.deep.equal([2, 3]);
  });

  it('detecterEncodage : ASCII et UTF-8 valide → utf-8 ; BOM → utf-8', () => {
    expect(detecterEncodage(Buffer.from('codEtu;codEtp\n1;A\n'))).to.equal('utf-8');
    expect(detecterEncodage(Buffer.from('Hélène;Œuvre\n', 'utf8'))).to.equal('utf-8');
    expect(detecterEncodage(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).to.equal('utf-8');
    expect(detecterEncodage(Buffer.from([0x41, 0xe9, 0x42]))).to.equal('windows-1252');
  });

  it('UTF-8 avec BOM : le BOM ne pollue pas le premier nom de colonne', async () => {
    const f = fichier('bom.csv', '\ufefftypLpa;codEtu\nI;123\n');
    const entete = await lireEntete(f, { format: 'csv', colonnes: COLONNES });
    expect(entete.colonnes).to.deep.equal(['typLpa', 'codEtu']);
    expect(entete.inconnues).to.deep.equal([]);
    expect(entete.encodage).to.equal('utf-8');
    expect(await tout(f, { format: 'csv' })).to.deep.equal([{ numLigne: 2, valeurs: { typLpa: 'I', codEtu: '123' } }]);
  });

  it('champs entre guillemets contenant séparateurs, guillemets et retours à la ligne', async () => {
    const f = fichier('guillemets.csv', 'codEtu;libCmtLpa;codEtp\n' + '1;"a;b";X\n' + '2;"il dit ""oui""";Y\n' + '3;"ligne 1\nligne 2";Z\n' + '4;simple;W\n');
    const lignes = await tout(f, { format: 'csv' });
    expect(lignes.map((l) => l.valeurs.libCmtLpa)).to.deep.equal(['a;b', 'il dit "oui"', 'ligne 1\nligne 2', 'simple']);
    expect(lignes.map((l) => l.valeurs.codEtp)).to.deep.equal(['X', 'Y', 'Z', 'W']);
    // a record spanning two text lines counts as one row, as Excel shows it
    expect(lignes.map((l) => l.numLigne)).to.deep.equal([2, 3, 4, 5]);
  });

  it('en-tête insensible à la casse et aux espaces ; colonnes inconnues signalées', async () => {
    const f = fichier('entete.csv', ' CODETP ;codvrsvet;Colonne Perso;;CODETP\nVET1;1;x;;dup\n');
    const entete = await lireEntete(f, { format: 'csv', colonnes: COLONNES });
    expect(entete.colonnes).to.deep.equal(['codEtp', 'codVrsVet', 'Colonne Perso', 'codEtp']);
    expect(entete.inconnues).to.deep.equal(['Colonne Perso']);
    expect(entete.doublons).to.deep.equal(['codEtp']);
    const [ligne] = await tout(f, { format: 'csv' });
    expect(ligne.valeurs).to.deep.equal({ codEtp: 'VET1', codVrsVet: '1', 'Colonne Perso': 'x', __colonne5: 'dup' });
  });

  it('cellules en trop → __colonne<N> ; cellules manquantes → clés absentes', async () => {
    const f = fichier('colonnes.csv', 'codEtu;codEtp\n1;A;extra;;\n2\n3;B;;\n');
    const lignes = await tout(f, { format: 'csv' });
    expect(lignes.map((l) => l.valeurs)).to.deep.equal([{ codEtu: '1', codEtp: 'A', __colonne3: 'extra' }, { codEtu: '2' }, { codEtu: '3', codEtp: 'B' }]);
  });

  it('lignes vides ignorées, numLigne reste la ligne physique', async () => {
    const f = fichier('vides.csv', 'codEtu;codEtp\n\n1;A\n;\n   ;  \n2;B\n\n');
    const lignes = await tout(f, { format: 'csv' });
    expect(lignes).to.deep.equal([
      { numLigne: 3, valeurs: { codEtu: '1', codEtp: 'A' } },
      { numLigne: 6, valeurs: { codEtu: '2', codEtp: 'B' } },
    ]);
  });

  it('sauter : reprend après les N premières lignes de données', async () => {
    const f = fichier('sauter.csv', 'codEtu\n1\n2\n\n3\n4\n');
    expect((await tout(f, { format: 'csv', sauter: 2 })).map((l) => [l.numLigne, l.valeurs.codEtu])).to.deep.equal([
      [5, '3'],
      [6, '4'],
    ]);
    expect(await tout(f, { format: 'csv', sauter: 10 })).to.deep.equal([]);
  });

  it('séparateur forcé', async () => {
    const f = fichier('force.csv', 'codEtu,libCmtLpa;x\n1,a;b\n');
    const lignes = await tout(f, { format: 'csv', separateur: ',' });
    expect(lignes[0].valeurs).to.deep.equal({ codEtu: '1', 'libCmtLpa;x': 'a;b' });
  });

  it('guillemet non fermé au milieu du fichier → REQUETE_MALFORMEE avec le numéro de ligne', async () => {
    const f = fichier('casse.csv', 'codEtu;libCmtLpa\n1;ok\n2;ok\n3;"pas fermé\n4;ok\n');
    const e = await erreur(tout(f, { format: 'csv' }));
    expect(e.problemes[0].code).to.equal('REQUETE_MALFORMEE');
    expect(e.problemes[0].path).to.equal('');
    expect(e.problemes[0].message).to.contain('ligne 4');
  });

  it('fichier binaire ou XLSX envoyé comme CSV → REQUETE_MALFORMEE', async () => {
    const f = fichier('zip.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
    const e = await erreur(lireEntete(f, { format: 'csv', colonnes: COLONNES }));
    expect(e.problemes[0].code).to.equal('REQUETE_MALFORMEE');
  });
});

describe('lecteurs de lots — XLSX', () => {
  before(() => {
    dossier = mkdtempSync(path.join(os.tmpdir(), 'lecteurs-'));
  });
  after(() => {
    rmSync(dossier, { recursive: true, force: true });
  });

  async function classeur(nom: string): Promise<string> {
    const wb = new Workbook();
    const ws = wb.addWorksheet('LP');
    ws.addRow(['typLpa', 'CODANU', 'codEtu', 'codVrsVet', 'dateDebutValidite', 'libCmtLpa', 'Inconnue']);
    ws.addRow(['I', 2017, '00012345', 113, new Date(Date.UTC(2025, 8, 1)), { richText: [{ text: 'Hé' }, { text: 'lène', font: { bold: true } }] }, true]);
    ws.addRow([]);
    ws.addRow(['R', 2017, '00012346', 0.1 + 0.2, new Date(Date.UTC(2026, 0, 31)), { formula: '1+1', result: 2 }, false]);
    ws.addRow(['R', { formula: '2000+17', result: 2017 }, '035', 1, null, '  espaces  ', null]);
    ws.getCell('E2').numFmt = 'dd/mm/yyyy';
    ws.getCell('E4').numFmt = 'dd/mm/yyyy';
    wb.addWorksheet('Autre').addRow(['codEtu', 'x']);
    const f = path.join(dossier, nom);
    await wb.xlsx.writeFile(f);
    return f;
  }

  it('en-tête lu par lireEntete', async () => {
    const f = await classeur('entete.xlsx');
    const entete = await lireEntete(f, { format: 'xlsx', colonnes: COLONNES });
    expect(entete.colonnes).to.deep.equal(['typLpa', 'codAnu', 'codEtu', 'codVrsVet', 'dateDebutValidite', 'libCmtLpa', 'Inconnue']);
    expect(entete.inconnues).to.deep.equal(['Inconnue']);
  });

  it('lignes relues en chaînes : nombres, dates, texte riche, formules, booléens', async () => {
    const f = await classeur('lignes.xlsx');
    const lignes = await tout(f, { format: 'xlsx' });
    expect(lignes).to.deep.equal([
      {
        numLigne: 2,
        valeurs: { typLpa: 'I', codAnu: '2017', codEtu: '00012345', codVrsVet: '113', dateDebutValidite: '2025-09-01', libCmtLpa: 'Hélène', Inconnue: 'true' },
      },
      {
        numLigne: 4,
        valeurs: { typLpa: 'R', codAnu: '2017', codEtu: '00012346', codVrsVet: '0.3', dateDebutValidite: '2026-01-31', libCmtLpa: '2', Inconnue: 'false' },
      },
      { numLigne: 5, valeurs: { typLpa: 'R', codAnu: '2017', codEtu: '035', codVrsVet: '1', dateDebutValidite: '', libCmtLpa: 'espaces', Inconnue: '' } },
    ]);
  });

  it('sauter en XLSX', async () => {
    const f = await classeur('sauter.xlsx');
    expect((await tout(f, { format: 'xlsx', sauter: 2 })).map((l) => l.numLigne)).to.deep.equal([5]);
  });

  it("fichier qui n'est pas un classeur → REQUETE_MALFORMEE", async () => {
    const f = fichier('faux.xlsx', 'codEtu;codEtp\n1;A\n');
    const e = await erreur(lireEntete(f, { format: 'xlsx', colonnes: COLONNES }));
    expect(e.problemes[0].code).to.equal('REQUETE_MALFORMEE');
    expect(e.problemes[0].message).to.contain('XLSX illisible');
    const vide = fichier('vide.xlsx', '');
    expect((await erreur(tout(vide, { format: 'xlsx' }))).problemes[0].code).to.equal('REQUETE_MALFORMEE');
  });

  it('classeur tronqué (envoi interrompu) → REQUETE_MALFORMEE, sans attente infinie', async () => {
    const complet = readFileSync(await classeur('complet.xlsx'));
    const f = fichier('tronque.xlsx', complet.subarray(0, Math.floor(complet.length / 2)));
    const e = await erreur(tout(f, { format: 'xlsx' }));
    expect(e.problemes[0].message).to.contain('tronquée');
  });
});

describe('lecteurs de lots — JSON', () => {
  before(() => {
    dossier = mkdtempSync(path.join(os.tmpdir(), 'lecteurs-'));
  });
  after(() => {
    rmSync(dossier, { recursive: true, force: true });
  });

  it("tableau d'objets : valeurs brutes, numLigne = indice, éléments non objets signalés", async () => {
    const f = fichier(
      'lot.json',
      JSON.stringify([{ typLpa: 'I', CODANU: 2025, codEtu: '00012345', ine: null, exo: true }, {}, 'pas un objet', { codEtp: 'VET1', voeux: [1] }]),
    );
    const entete = await lireEntete(f, { format: 'json', colonnes: COLONNES });
    expect(entete).to.deep.equal({ colonnes: ['typLpa', 'codAnu', 'codEtu', 'ine', 'exo'], inconnues: ['exo'] });
    expect(await tout(f, { format: 'json' })).to.deep.equal([
      { numLigne: 0, valeurs: { typLpa: 'I', codAnu: 2025, codEtu: '00012345', ine: null, exo: true } },
      { numLigne: 2, valeurs: { __invalide: 'type' } },
      { numLigne: 3, valeurs: { codEtp: 'VET1', __invalide: 'champ', __champ: 'voeux' } },
    ]);
    expect((await tout(f, { format: 'json', sauter: 1 })).map((l) => l.numLigne)).to.deep.equal([2, 3]);
  });

  it("JSON qui n'est pas un tableau → REQUETE_MALFORMEE", async () => {
    const f = fichier('objet.json', '{"typLpa":"I"}');
    const e = await erreur(tout(f, { format: 'json' }));
    expect(e.problemes[0].code).to.equal('REQUETE_MALFORMEE');
    expect(e.problemes[0].message).to.contain("un tableau d'objets est attendu");
    const e2 = await erreur(lireEntete(f, { format: 'json', colonnes: COLONNES }));
    expect(e2.problemes[0].code).to.equal('REQUETE_MALFORMEE');
  });

  it('JSON tronqué → REQUETE_MALFORMEE', async () => {
    const f = fichier('tronque.json', '[{"typLpa":"I"},{"typLpa":');
    const e = await erreur(tout(f, { format: 'json' }));
    expect(e.problemes[0].code).to.equal('REQUETE_MALFORMEE');
    expect(e.problemes[0].message).to.contain('JSON invalide');
  });
});

describe('lecteurs de lots — modèles et rapports', () => {
  before(() => {
    dossier = mkdtempSync(path.join(os.tmpdir(), 'lecteurs-'));
  });
  after(() => {
    rmSync(dossier, { recursive: true, force: true });
  });

  const exemple = { typLpa: 'I', codAnu: '2025', codEtu: '00012345', libCmtLpa: 'Dérogation; « accord »' };

  it('modèle CSV : UTF-8 avec BOM, ; , se relit en en-tête + exemple', async () => {
    const buf = await modele('csv', COLONNES, exemple);
    expect([...buf.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lignes = csvParseSync(buf, { delimiter: ';', bom: true, relax_column_count: true }) as string[][];
    expect(lignes[0]).to.deep.equal([...COLONNES]);
    expect(lignes[1][3]).to.equal('00012345');
    const f = fichier('modele.csv', buf);
    const entete = await lireEntete(f, { format: 'csv', colonnes: COLONNES });
    expect(entete.colonnes).to.deep.equal([...COLONNES]);
    expect(entete.separateur).to.equal(';');
    const [ligne] = await tout(f, { format: 'csv' });
    expect(ligne.valeurs.libCmtLpa).to.equal('Dérogation; « accord »');
  });

  it('modèle XLSX : se relit avec lireEntete et lireLignes', async () => {
    const buf = await modele('xlsx', COLONNES, exemple);
    const f = fichier('modele.xlsx', buf);
    const entete = await lireEntete(f, { format: 'xlsx', colonnes: COLONNES });
    expect(entete.colonnes).to.deep.equal([...COLONNES]);
    expect(entete.inconnues).to.deep.equal([]);
    const [ligne] = await tout(f, { format: 'xlsx' });
    expect(ligne.numLigne).to.equal(2);
    expect(ligne.valeurs.codEtu).to.equal('00012345');
    expect(ligne.valeurs.codDip).to.equal('');
  });

  it('versCsv : ; , BOM, guillemets RFC 4180, CRLF', () => {
    const texte = versCsv(
      ['a', 'b', 'c'],
      [
        { a: 'x;y', b: 'il dit "oui"', c: 'l1\nl2' },
        { a: 12, b: null, c: undefined },
        { a: ' bord ', b: true, c: 'simple' },
      ],
    );
    expect(texte).to.equal('\ufeffa;b;c\r\n"x;y";"il dit ""oui""";"l1\nl2"\r\n12;;\r\n" bord ";true;simple\r\n');
    const relu = csvParseSync(texte, { delimiter: ';', bom: true }) as string[][];
    expect(relu[1]).to.deep.equal(['x;y', 'il dit "oui"', 'l1\nl2']);
  });
});

describe('versCsv — injection de formules', () => {
  it("neutralise une valeur venue d'un fichier qui commence comme une formule", async () => {
    const texte = versCsv(
      ['a', 'b'],
      [
        { a: '=HYPERLINK("http://x")', b: '@SUM(1)' },
        { a: '-12', b: 'normal' },
      ],
    ).replace(/^\uFEFF/, '');
    const lignes = texte.trim().split(/\r?\n/);
    expect(lignes[1]).to.equal(`"'=HYPERLINK(""http://x"")";'@SUM(1)`);
    expect(lignes[2]).to.equal("'-12;normal");
  });
});
