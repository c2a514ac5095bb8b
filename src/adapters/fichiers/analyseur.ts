/**
 * `AnalyseurFichiers` over maintained libraries: `file-type` reads the real type from the magic numbers,
 * `pdfjs-dist` (Mozilla's PDF.js, legacy Node build) says whether a PDF opens. Both are ESM-only: they are
 * loaded once, lazily, by a real dynamic `import()` (kept as is in the CommonJS output under `module: node20`)
 * and cached.
 *
 * `file-type` does not type text formats: for a file it cannot type (or that it calls generic XML) the first
 * bytes are sniffed for the dangerous text kinds, so that the domain rule can name them — `#!` scripts,
 * HTML (the WHATWG sniffing tags), SVG, XHTML, other XML. Anything else stays undefined (refused as unknown).
 *
 * PDF.js runs without eval, without font loading, without WebAssembly, without a worker (its worker code
 * is imported on the main thread, so nothing is ever fetched), and prints nothing (`verbosity: 0`).
 */
import { open, readFile } from 'node:fs/promises';
import type { AnalyseurFichiers } from '../../application/ports';

type ModuleFileType = typeof import('file-type');
type ModulePdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** How many bytes are sniffed for the text kinds. */
const OCTETS_RENIFLES = 4096;
/** PDF.js's worker, imported on the main thread: it sets `globalThis.pdfjsWorker`, so PDF.js never loads a worker itself. */
const MODULE_TRAVAILLEUR_PDFJS: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';

let fileType: Promise<ModuleFileType> | undefined;
let pdfjs: Promise<ModulePdfjs> | undefined;

function chargerFileType(): Promise<ModuleFileType> {
  fileType ??= import('file-type').catch((err: unknown) => {
    fileType = undefined;
    throw err;
  });
  return fileType;
}

function chargerPdfjs(): Promise<ModulePdfjs> {
  pdfjs ??= (async () => {
    // A string variable: the worker has no type declarations, and the specifier needs none.
    await import(MODULE_TRAVAILLEUR_PDFJS);
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })().catch((err: unknown) => {
    pdfjs = undefined;
    throw err;
  });
  return pdfjs;
}

export interface OptionsAnalyseur {
  /** How many pages are loaded to decide (each must load). Default 1000. */
  pagesVerifiees?: number;
}

/**
 * In Node, PDF.js parses on the calling thread (its "fake worker" is a chain of promises that never yields
 * to timers), so a timeout could not interrupt it; opening a PDF and loading its pages decodes neither
 * images nor fonts, and typically takes milliseconds (about 100 ms for 500 pages).
 */
export class AnalyseurFichiersBibliotheques implements AnalyseurFichiers {
  private readonly pagesVerifiees: number;

  constructor(options: OptionsAnalyseur = {}) {
    this.pagesVerifiees = options.pagesVerifiees ?? 1000;
  }

  async typeReel(fichier: string): Promise<string | undefined> {
    const tete = await lireDebut(fichier, OCTETS_RENIFLES);
    const { fileTypeFromFile } = await chargerFileType();
    const detecte = (await fileTypeFromFile(fichier))?.mime;
    // file-type says PDF on `%PDF` at offset 0; a PDF is only what starts with the full header `%PDF-`.
    if (detecte === 'application/pdf') return tete.subarray(0, 5).toString('latin1') === '%PDF-' ? detecte : undefined;
    if (detecte && detecte !== 'application/xml') return detecte;
    return typeTexte(tete) ?? detecte;
  }

  async verifierPdf(fichier: string): Promise<'OK' | 'ILLISIBLE' | 'CHIFFRE'> {
    const m = await chargerPdfjs();
    const data = new Uint8Array(await readFile(fichier));
    let tache: ReturnType<ModulePdfjs['getDocument']> | undefined;
    try {
      tache = m.getDocument({
        data,
        verbosity: m.VerbosityLevel.ERRORS,
        isEvalSupported: false,
        disableFontFace: true,
        useSystemFonts: false,
        useWorkerFetch: false,
        useWasm: false,
        enableXfa: false,
        isOffscreenCanvasSupported: false,
        isImageDecoderSupported: false,
        stopAtErrors: true,
      });
      const doc = await tache.promise;
      if (!Number.isInteger(doc.numPages) || doc.numPages < 1) return 'ILLISIBLE';
      for (let i = 1; i <= Math.min(doc.numPages, this.pagesVerifiees); i++) await doc.getPage(i);
      return 'OK';
    } catch (err) {
      // PDF.js does not export its PasswordException class; its name is part of the API.
      return (err as { name?: unknown } | null)?.name === 'PasswordException' ? 'CHIFFRE' : 'ILLISIBLE';
    } finally {
      await tache?.destroy().catch(() => undefined);
    }
  }
}

async function lireDebut(fichier: string, n: number): Promise<Buffer> {
  const fh = await open(fichier, 'r');
  try {
    const tampon = Buffer.alloc(n);
    const { bytesRead } = await fh.read(tampon, 0, n, 0);
    return tampon.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Tags that make a text file HTML for a browser (WHATWG MIME sniffing, "text/html" patterns). */
const BALISES_HTML = new Set(['html', 'head', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style', 'title', 'b', 'body', 'br', 'p']);

/** The dangerous text kinds, from a file's first bytes; undefined for anything else. */
export function typeTexte(tete: Buffer): string | undefined {
  const texte = decoder(tete);
  if (texte.startsWith('#!')) return 'text/x-shellscript';
  const s = texte.replace(/^[\t\n\f\r ]+/, '');
  const prologueXml = /^<\?xml[\t\n\r ?]/i.test(s);
  const racine = premiereRacine(s);
  if (racine === 'svg') return 'image/svg+xml';
  if (racine === 'html') return prologueXml ? 'application/xhtml+xml' : 'text/html';
  if (!prologueXml && racine && BALISES_HTML.has(racine)) return 'text/html';
  return prologueXml ? 'application/xml' : undefined;
}

function decoder(tete: Buffer): string {
  if (tete[0] === 0xef && tete[1] === 0xbb && tete[2] === 0xbf) return tete.subarray(3).toString('latin1');
  if (tete[0] === 0xff && tete[1] === 0xfe) return new TextDecoder('utf-16le').decode(tete.subarray(2));
  if (tete[0] === 0xfe && tete[1] === 0xff) return new TextDecoder('utf-16be').decode(tete.subarray(2));
  // Markup and `#!` are ASCII: latin1 keeps every byte at its place whatever the real encoding.
  return tete.toString('latin1');
}

/**
 * The name (lower case, without prefix) of the first element, or of the DOCTYPE when it comes first,
 * skipping the XML declaration, processing instructions, comments and white space.
 */
function premiereRacine(s: string): string | undefined {
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /[\t\n\f\r ]/.test(s[i]!)) i++;
    if (s.startsWith('<?', i)) {
      const fin = s.indexOf('?>', i + 2);
      if (fin < 0) return undefined;
      i = fin + 2;
    } else if (s.startsWith('<!--', i)) {
      const fin = s.indexOf('-->', i + 4);
      if (fin < 0) return undefined;
      i = fin + 3;
    } else if (s.slice(i, i + 9).toLowerCase() === '<!doctype') {
      const nom = /^[\t\n\f\r ]+([A-Za-z_][\w.:-]*)/.exec(s.slice(i + 9));
      return nom ? nomLocal(nom[1]!) : undefined;
    } else {
      const nom = /^<([A-Za-z_][\w.:-]*)(?=[\t\n\f\r />]|$)/.exec(s.slice(i, i + 200));
      return nom ? nomLocal(nom[1]!) : undefined;
    }
  }
  return undefined;
}

function nomLocal(nom: string): string {
  return nom.slice(nom.lastIndexOf(':') + 1).toLowerCase();
}
