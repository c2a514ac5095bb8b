import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AnalyseurFichiersBibliotheques, typeTexte } from '../../src/adapters/fichiers/analyseur';
import { problemesFichier, type FaitsFichier } from '../../src/domain/pj/fichier';
import type { TypePj } from '../../src/domain/pj/pieces-dues';

/* Les échantillons de fixtures/pj (voir son README), lus depuis la racine du dépôt. */
const PJ = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'pj');
const f = (nom: string) => path.join(PJ, nom);

const IDENT: TypePj = {
  code: 'IDENT',
  libelle: "Pièce d'identité",
  enService: true,
  typesMedia: ['application/pdf', 'image/jpeg', 'image/png'],
  tailleMaxOctets: 5 * 1024 * 1024,
};

/** Every sample: the real type read from its bytes, and for a PDF what PDF.js makes of it. */
const ECHANTILLONS: { nom: string; type: string | undefined; pdf?: 'OK' | 'ILLISIBLE' | 'CHIFFRE'; code?: string }[] = [
  { nom: 'valide.pdf', type: 'application/pdf', pdf: 'OK' },
  { nom: 'chiffre.pdf', type: 'application/pdf', pdf: 'CHIFFRE', code: 'PJ_PDF_CHIFFRE' },
  { nom: 'chiffre-proprietaire.pdf', type: 'application/pdf', pdf: 'OK' },
  { nom: 'tronque.pdf', type: 'application/pdf', pdf: 'ILLISIBLE', code: 'PJ_PDF_ILLISIBLE' },
  { nom: 'image.png', type: 'image/png' },
  { nom: 'photo.jpg', type: 'image/jpeg' },
  { nom: 'programme.pdf', type: 'application/x-elf', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'page.pdf', type: 'text/html', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'script.pdf', type: 'text/x-shellscript', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'dessin.svg', type: 'image/svg+xml', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'icone.svg', type: 'image/svg+xml', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'donnees.xml', type: 'application/xml', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'archive.zip', type: 'application/zip', code: 'PJ_TYPE_NON_AUTORISE' },
  { nom: 'vide.pdf', type: undefined, code: 'PJ_VIDE' },
];

/** A PDF of `n` blank pages whose page tree says it has `annonce`. */
function pdfPages(n: number, annonce: number): string {
  const kids = Array.from({ length: annonce }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objets = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${annonce} >>`];
  for (let i = 0; i < n; i++) objets.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  let pdf = '%PDF-1.4\n';
  const positions: number[] = [];
  objets.forEach((o, i) => {
    positions.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objets.length + 1}\n0000000000 65535 f \n${positions.map((p) => `${String(p).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${pdf}trailer\n<< /Size ${objets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

describe('AnalyseurFichiers (file-type + pdfjs-dist)', function () {
  const analyseur = new AnalyseurFichiersBibliotheques();
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'analyseur-pj-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('every sample is small (< 50 kB)', function () {
    for (const e of ECHANTILLONS) expect(readFileSync(f(e.nom)).length, e.nom).to.be.below(50 * 1024);
  });

  describe('typeReel: the type from the bytes, never from the name', function () {
    for (const e of ECHANTILLONS) {
      it(`${e.nom} → ${e.type ?? 'inconnu'}`, async function () {
        expect(await analyseur.typeReel(f(e.nom))).to.equal(e.type);
      });
    }

    it('%PDF without the dash is not a PDF', async function () {
      const faux = path.join(tmp, 'faux.pdf');
      writeFileSync(faux, '%PDF1.4 rien de plus\n');
      expect(await analyseur.typeReel(faux)).to.equal(undefined);
    });

    it('a plain text file stays unknown', async function () {
      const texte = path.join(tmp, 'notes.pdf');
      writeFileSync(texte, 'Bonjour, voici mon attestation.\n');
      expect(await analyseur.typeReel(texte)).to.equal(undefined);
    });

    it('a missing file is an error, not a type', async function () {
      let erreur: unknown;
      await analyseur.typeReel(path.join(tmp, 'absent')).catch((e: unknown) => (erreur = e));
      expect((erreur as NodeJS.ErrnoException)?.code).to.equal('ENOENT');
    });
  });

  describe('typeTexte: the dangerous text kinds from the first bytes', function () {
    const cas: [string, string | Buffer, string | undefined][] = [
      ['shebang', '#!/usr/bin/env python3\nprint(1)\n', 'text/x-shellscript'],
      ['doctype html, upper case, after white space', '\n  <!DOCTYPE HTML>\n<p>x', 'text/html'],
      ['<html', '<html><body>x</body></html>', 'text/html'],
      ['<script', '<script>alert(1)</script>', 'text/html'],
      ['<iframe after a comment', '<!-- x --><iframe src="https://exemple.org">', 'text/html'],
      ['svg root without prolog', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
      ['prefixed svg root', '<?xml version="1.0"?><s:svg xmlns:s="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
      ['svg doctype', '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg/>', 'image/svg+xml'],
      ['xhtml', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', 'application/xhtml+xml'],
      ['other xml', '<?xml version="1.0"?><a><b/></a>', 'application/xml'],
      ['xml whose root is past the sniffed bytes', `<?xml version="1.0"?><!--${'x'.repeat(5000)}-->`, 'application/xml'],
      ['svg with an UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<svg/>')]), 'image/svg+xml'],
      ['html in UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html>', 'utf16le')]), 'text/html'],
      ['unknown element without prolog', '<attestation/>', undefined],
      ['plain text', 'Ceci est un texte.', undefined],
      ['<b is a tag, <bonjour is not', '<bonjour>', undefined],
      ['empty', '', undefined],
    ];
    for (const [nom, contenu, attendu] of cas) {
      it(`${nom} → ${attendu ?? 'inconnu'}`, function () {
        expect(typeTexte(Buffer.isBuffer(contenu) ? contenu : Buffer.from(contenu, 'latin1').subarray(0, 4096))).to.equal(attendu);
      });
    }
  });

  describe('verifierPdf', function () {
    for (const e of ECHANTILLONS.filter((x) => x.pdf)) {
      it(`${e.nom} → ${e.pdf}`, async function () {
        expect(await analyseur.verifierPdf(f(e.nom))).to.equal(e.pdf);
      });
    }

    it('what is not a PDF does not open', async function () {
      for (const nom of ['programme.pdf', 'page.pdf', 'script.pdf', 'vide.pdf', 'image.png']) {
        expect(await analyseur.verifierPdf(f(nom)), nom).to.equal('ILLISIBLE');
      }
    });

    it('prints nothing and fetches nothing, whatever the sample', async function () {
      const ecrits: string[] = [];
      const console_ = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
      const sortie = process.stdout.write;
      const erreurs = process.stderr.write;
      const fetch_ = globalThis.fetch;
      const noter =
        (canal: string) =>
        (...args: unknown[]) => {
          ecrits.push(`${canal}: ${args.map(String).join(' ')}`);
          return true;
        };
      console.log = noter('log');
      console.info = noter('info');
      console.warn = noter('warn');
      console.error = noter('error');
      console.debug = noter('debug');
      process.stdout.write = noter('stdout') as any;
      process.stderr.write = noter('stderr') as any;
      globalThis.fetch = (async (url: unknown) => {
        ecrits.push(`fetch: ${String(url)}`);
        throw new Error('réseau interdit');
      }) as typeof fetch;
      try {
        for (const e of ECHANTILLONS) await analyseur.verifierPdf(f(e.nom));
      } finally {
        Object.assign(console, console_);
        process.stdout.write = sortie;
        process.stderr.write = erreurs;
        globalThis.fetch = fetch_;
      }
      expect(ecrits).to.deep.equal([]);
    });

    it('a missing file is an error, not a verdict', async function () {
      let erreur: unknown;
      await analyseur.verifierPdf(path.join(tmp, 'absent.pdf')).catch((e: unknown) => (erreur = e));
      expect((erreur as NodeJS.ErrnoException)?.code).to.equal('ENOENT');
    });

    it('a page tree that claims pages it does not have does not open', async function () {
      const menteur = path.join(tmp, 'menteur.pdf');
      writeFileSync(menteur, pdfPages(3, 5));
      expect(await analyseur.verifierPdf(menteur)).to.equal('ILLISIBLE');
      const honnete = path.join(tmp, 'honnete.pdf');
      writeFileSync(honnete, pdfPages(3, 3));
      expect(await analyseur.verifierPdf(honnete)).to.equal('OK');
    });
  });

  it('the ESM-only libraries are loaded by a real import(), not require()', function () {
    const js = readFileSync(path.resolve(__dirname, '..', '..', 'src', 'adapters', 'fichiers', 'analyseur.js'), 'utf8');
    expect(js).to.match(/\bimport\('file-type'\)/);
    expect(js).to.match(/\bimport\('pdfjs-dist\/legacy\/build\/pdf\.mjs'\)/);
    expect(js).not.to.match(/require\(['"](file-type|pdfjs-dist)/);
  });

  describe('through the domain rule problemesFichier (IDENT: PDF, JPEG, PNG)', function () {
    async function faits(nom: string): Promise<FaitsFichier> {
      const taille = readFileSync(f(nom)).length;
      const typeReel = await analyseur.typeReel(f(nom));
      return { taille, typeReel, ...(typeReel === 'application/pdf' ? { pdf: await analyseur.verifierPdf(f(nom)) } : {}) };
    }

    for (const e of ECHANTILLONS) {
      it(`${e.nom} → ${e.code ?? 'accepté'}`, async function () {
        const problemes = problemesFichier(IDENT, await faits(e.nom));
        expect(problemes.map((p) => p.code)).to.deep.equal(e.code ? [e.code] : []);
        for (const p of problemes) expect(p.path).to.equal('pj');
      });
    }

    it('the refusal names the type read from the bytes', async function () {
      const [p] = problemesFichier(IDENT, await faits('programme.pdf'));
      expect(p?.message).to.contain('application/x-elf').and.to.contain('IDENT');
      const [svg] = problemesFichier({ ...IDENT, typesMedia: ['image/svg+xml'] }, await faits('dessin.svg'));
      expect(svg?.code, 'SVG is never accepted, whatever the list says').to.equal('PJ_TYPE_NON_AUTORISE');
    });
  });
});
