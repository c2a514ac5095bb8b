import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AdresseDocumentInvalide, DocumentIntrouvable, StockageFichiersLocaux } from '../../src/storage/fichiers-locaux';

const PJ = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'pj');

async function contenu(flux: Readable): Promise<Buffer> {
  const morceaux: Buffer[] = [];
  for await (const m of flux) morceaux.push(m as Buffer);
  return Buffer.concat(morceaux);
}

async function toutes(stockage: StockageFichiersLocaux): Promise<string[]> {
  const adresses: string[] = [];
  for await (const a of stockage.lister()) adresses.push(a);
  return adresses.sort();
}

/** Every file under a folder, as paths relative to it. */
function arbre(dossier: string): string[] {
  return readdirSync(dossier, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dossier, path.join(e.parentPath, e.name)))
    .sort();
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function erreurDe(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('une erreur était attendue');
}

describe('StockageDocuments: StockageFichiersLocaux (content-addressed folder)', function () {
  let racine: string;
  let dossier: string;
  let stockage: StockageFichiersLocaux;
  let n = 0;
  const source = (octets: string | Buffer) => {
    const f = path.join(racine, `source-${++n}`);
    writeFileSync(f, octets);
    return f;
  };

  beforeEach(() => {
    racine = mkdtempSync(path.join(tmpdir(), 'stockage-pj-'));
    dossier = path.join(racine, 'documents');
    stockage = new StockageFichiersLocaux(dossier);
  });
  afterEach(() => rmSync(racine, { recursive: true, force: true }));

  it('stores a file at <2 first hex>/<sha256> and gives its address and size', async function () {
    const octets = readFileSync(path.join(PJ, 'valide.pdf'));
    const r = await stockage.deposer(path.join(PJ, 'valide.pdf'));
    expect(r).to.deep.equal({ empreinte: sha256(octets), taille: octets.length });
    expect(arbre(dossier)).to.deep.equal([path.join(r.empreinte.slice(0, 2), r.empreinte)]);
    expect(await stockage.existe(r.empreinte)).to.equal(true);
    expect(await contenu(await stockage.lire(r.empreinte))).to.deep.equal(octets);
  });

  it('the same bytes twice: one file, same address, nothing rewritten', async function () {
    const a = await stockage.deposer(source('mêmes octets'));
    const fichier = stockage.chemin(a.empreinte);
    const passe = new Date(Date.now() - 3600_000);
    utimesSync(fichier, passe, passe);
    const b = await stockage.deposer(source('mêmes octets'));
    expect(b).to.deep.equal(a);
    expect(arbre(dossier)).to.have.length(1);
    expect(statSync(fichier).mtimeMs, 'the stored file was not written again').to.be.closeTo(passe.getTime(), 1);
  });

  it('different bytes: two files', async function () {
    const a = await stockage.deposer(source('un'));
    const b = await stockage.deposer(source('deux'));
    expect(a.empreinte).not.to.equal(b.empreinte);
    expect(await toutes(stockage)).to.deep.equal([a.empreinte, b.empreinte].sort());
    expect(arbre(dossier)).to.have.length(2);
  });

  it('an empty file is stored like any other (the rules refuse it before)', async function () {
    const r = await stockage.deposer(path.join(PJ, 'vide.pdf'));
    expect(r).to.deep.equal({ empreinte: sha256(Buffer.alloc(0)), taille: 0 });
    expect(await contenu(await stockage.lire(r.empreinte))).to.have.length(0);
  });

  it('the copy goes through a temporary file renamed in place: no temporary file is left', async function () {
    const gros = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    await Promise.all([stockage.deposer(source(gros)), stockage.deposer(source(gros)), stockage.deposer(source('autre'))]);
    const fichiers = arbre(dossier);
    expect(fichiers).to.have.length(2);
    expect(
      fichiers.every((f) => /^[0-9a-f]{2}[\\/][0-9a-f]{64}$/.test(f)),
      fichiers.join(', '),
    ).to.equal(true);
    expect(readFileSync(stockage.chemin(sha256(gros)))).to.deep.equal(gros);
  });

  it('a deposit that fails leaves nothing behind and keeps the caller’s file', async function () {
    const e = await erreurDe(stockage.deposer(path.join(racine, 'absent')));
    expect((e as NodeJS.ErrnoException).code).to.equal('ENOENT');
    expect(existsSync(dossier) ? arbre(dossier) : []).to.deep.equal([]);
    const f = source('gardé');
    await stockage.deposer(f);
    expect(readFileSync(f, 'utf8')).to.equal('gardé');
  });

  it('lire of a missing address: DocumentIntrouvable, which the caller can map', async function () {
    const absente = sha256(Buffer.from('jamais déposé'));
    const e = await erreurDe(stockage.lire(absente));
    expect(e).to.be.instanceOf(DocumentIntrouvable);
    expect(e).to.include({ code: 'DOCUMENT_INTROUVABLE', empreinte: absente });
    expect(await stockage.existe(absente)).to.equal(false);
  });

  it('supprimer removes; a missing address is fine', async function () {
    const r = await stockage.deposer(source('à supprimer'));
    await stockage.supprimer(r.empreinte);
    expect(await stockage.existe(r.empreinte)).to.equal(false);
    expect(await toutes(stockage)).to.deep.equal([]);
    await stockage.supprimer(r.empreinte);
    await stockage.supprimer(sha256(Buffer.from('jamais déposé')));
  });

  describe('an address from outside is never trusted', function () {
    const mauvaises = [
      '../../../etc/passwd',
      '..',
      '',
      'ab/../../secret',
      `${'a'.repeat(63)}`,
      `${'a'.repeat(65)}`,
      `${'A'.repeat(64)}`,
      `${'a'.repeat(62)}/x`,
      `../${'a'.repeat(61)}`,
      `${'a'.repeat(63)}\n`,
      `${'a'.repeat(63)}\u0000`,
      `${'g'.repeat(64)}`,
    ];
    for (const m of mauvaises) {
      it(`refuses ${JSON.stringify(m)}`, async function () {
        for (const appel of [() => stockage.lire(m), () => stockage.existe(m), () => stockage.supprimer(m)]) {
          const e = await erreurDe(appel());
          expect(e).to.be.instanceOf(AdresseDocumentInvalide);
          expect(e).to.include({ code: 'ADRESSE_DOCUMENT_INVALIDE' });
        }
      });
    }

    it('refuses a non-string', async function () {
      expect(await erreurDe(stockage.lire(42 as any))).to.be.instanceOf(AdresseDocumentInvalide);
    });
  });

  describe('lister and nettoyerTemporaires', function () {
    it('lister yields every stored address, and nothing else', async function () {
      const a = await stockage.deposer(source('a'));
      const b = await stockage.deposer(source('b'));
      const c = await stockage.deposer(path.join(PJ, 'image.png'));
      // Not addresses: a crash's temporary file, a stray file, a file in the wrong sub-folder, a foreign folder.
      writeFileSync(path.join(dossier, '.depot-00000000-0000-0000-0000-000000000000'), 'moitié');
      writeFileSync(path.join(dossier, 'LISEZMOI'), 'x');
      writeFileSync(path.join(dossier, a.empreinte.slice(0, 2), `${a.empreinte.slice(0, 63)}0.tmp`), 'x');
      const ailleurs = b.empreinte.slice(0, 2) === 'ff' ? '00' : 'ff';
      mkdirSync(path.join(dossier, ailleurs), { recursive: true });
      writeFileSync(path.join(dossier, ailleurs, b.empreinte), 'mal rangé');
      mkdirSync(path.join(dossier, 'zz'));
      expect(await toutes(stockage)).to.deep.equal([a.empreinte, b.empreinte, c.empreinte].sort());
    });

    it('an empty or missing store lists nothing', async function () {
      expect(await toutes(stockage)).to.deep.equal([]);
      expect(await stockage.nettoyerTemporaires()).to.equal(0);
    });

    it('nettoyerTemporaires removes the temporary files older than the age, keeps the younger ones', async function () {
      const r = await stockage.deposer(source('gardé'));
      const vieux = path.join(dossier, '.depot-vieux');
      const jeune = path.join(dossier, '.depot-jeune');
      writeFileSync(vieux, 'abandonné par un crash');
      writeFileSync(jeune, 'dépôt en cours');
      const ilYaDeuxHeures = new Date(Date.now() - 2 * 3600_000);
      utimesSync(vieux, ilYaDeuxHeures, ilYaDeuxHeures);
      expect(await toutes(stockage)).to.deep.equal([r.empreinte]);

      expect(await stockage.nettoyerTemporaires()).to.equal(1);
      expect(existsSync(vieux)).to.equal(false);
      expect(existsSync(jeune)).to.equal(true);
      expect(await stockage.existe(r.empreinte)).to.equal(true);

      expect(await stockage.nettoyerTemporaires(0)).to.equal(1);
      expect(existsSync(jeune)).to.equal(false);
      expect(arbre(dossier)).to.deep.equal([path.join(r.empreinte.slice(0, 2), r.empreinte)]);
    });
  });
});
