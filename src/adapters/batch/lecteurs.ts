/**
 * Readers of bulk laissez-passer files (CSV, XLSX, JSON). Everything streams from a file on disk:
 * a 100,000-row file is never held in memory at once (except, for XLSX, the workbook's shared
 * strings table, which is how the format works).
 *
 * The readers do not judge the content: `lireEntete` reports unknown columns and the caller decides;
 * rows come out as raw values keyed by the known column spelling. Only a file that cannot be read
 * at all (or a CSV that breaks in the middle) raises `REQUETE_MALFORMEE`.
 */
import { feuilleARemplir } from './modele-xlsx';
import { createReadStream, promises as fsp, type ReadStream } from 'node:fs';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { parse as csvParse, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { Workbook, stream as excelStream } from 'exceljs';
import { verifierClasseur } from './classeurs';
import { parser as jsonParser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { ErreurMetier } from '../../domain/errors';

export type { FormatLot, ValeurLue, LigneLue, OptionsLecture, EnteteLot } from '../../application/ports';
import type { EnteteLot, LecteurFichiers, LigneLue, OptionsLecture, ValeurLue } from '../../application/ports';

/** Size of the sample used for encoding and separator detection. */
const TAILLE_ECHANTILLON = 64 * 1024;
/** A CSV record longer than this is refused (typically an unclosed quote swallowing the file). */
const TAILLE_MAX_ENREGISTREMENT = 1_000_000;

function malforme(detail: string): ErreurMetier {
  return ErreurMetier.une('REQUETE_MALFORMEE', '', { detail });
}

function estErreurSysteme(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

// =================================================================================================
// Header ↔ known columns

interface Correspondance {
  /** Key of each column (0-based), or undefined for a column with an empty header cell. */
  cles: (string | undefined)[];
  entete: EnteteLot;
}

function indexColonnes(colonnes: readonly string[]): Map<string, string> {
  return new Map(colonnes.map((c) => [c.trim().toLowerCase(), c]));
}

function correspondre(cellules: readonly string[], colonnes: readonly string[]): Correspondance {
  const connues = indexColonnes(colonnes);
  const vues = new Set<string>();
  const cles: (string | undefined)[] = [];
  const entete: EnteteLot = { colonnes: [], inconnues: [] };
  const doublons: string[] = [];
  cellules.forEach((brute, i) => {
    const nom = (brute ?? '').trim();
    if (!nom) {
      cles.push(undefined);
      return;
    }
    const connue = connues.get(nom.toLowerCase());
    const cle = connue ?? nom;
    entete.colonnes.push(cle);
    if (!connue) entete.inconnues.push(nom);
    if (vues.has(cle) || cle === '__proto__') {
      if (connue) doublons.push(connue);
      cles.push(`__colonne${i + 1}`);
      return;
    }
    vues.add(cle);
    cles.push(cle);
  });
  if (doublons.length) entete.doublons = doublons;
  return { cles, entete };
}

/** Values of one data row: keyed by header; extra or unnamed non-empty cells as `__colonne<N>`. */
function valeursLigne(cellules: readonly string[], cles: readonly (string | undefined)[], completer: boolean): Record<string, ValeurLue> {
  const valeurs: Record<string, ValeurLue> = {};
  const n = Math.max(cellules.length, completer ? cles.length : 0);
  for (let i = 0; i < n; i++) {
    const v = cellules[i] ?? '';
    const cle = cles[i];
    if (cle !== undefined) {
      if (i < cellules.length || completer) valeurs[cle] = v;
    } else if (v !== '') {
      valeurs[`__colonne${i + 1}`] = v;
    }
  }
  return valeurs;
}

function ligneVide(cellules: readonly (string | undefined)[]): boolean {
  for (const c of cellules) if (c !== undefined && c !== '') return false;
  return true;
}

interface Enregistrement {
  num: number;
  cellules: string[];
}

/** Tabular formats (CSV, XLSX): first non-empty record = header, then the data rows. */
async function* lignesTabulaires(enregistrements: AsyncIterable<Enregistrement>, colonnes: readonly string[], completer: boolean): AsyncGenerator<LigneLue> {
  let corr: Correspondance | undefined;
  for await (const { num, cellules } of enregistrements) {
    if (ligneVide(cellules)) continue;
    if (!corr) {
      corr = correspondre(cellules, colonnes);
      continue;
    }
    yield { numLigne: num, valeurs: valeursLigne(cellules, corr.cles, completer) };
  }
}

// =================================================================================================
// CSV

/** Detects UTF-8 vs Windows-1252 from the first 64 KiB (BOM, or invalid UTF-8 sequences ⇒ windows-1252). */
export function detecterEncodage(echantillon: Buffer): 'utf-8' | 'windows-1252' {
  const b = echantillon.subarray(0, TAILLE_ECHANTILLON);
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  return utf8Valide(b) ? 'utf-8' : 'windows-1252';
}

/** Strict UTF-8 check (no overlongs, no surrogates); a sequence cut by the end of the sample is tolerated. */
function utf8Valide(b: Buffer): boolean {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) len = 3;
    else if (c >= 0xf0 && c <= 0xf4) len = 4;
    else return false;
    for (let k = 1; k < len; k++) {
      if (i + k >= n) return true;
      if ((b[i + k] & 0xc0) !== 0x80) return false;
    }
    const c1 = b[i + 1];
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return false;
    i += len;
  }
  return true;
}

async function lireEchantillon(fichier: string): Promise<Buffer> {
  const fh = await fsp.open(fichier, 'r');
  try {
    const buf = Buffer.alloc(TAILLE_ECHANTILLON);
    const { bytesRead } = await fh.read(buf, 0, TAILLE_ECHANTILLON, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** `;` if the first line (outside quotes) has more `;` than `,`, else `,`. */
function detecterSeparateur(texte: string): ';' | ',' {
  let pv = 0,
    v = 0,
    guillemets = false;
  for (const ch of texte) {
    if (ch === '"') guillemets = !guillemets;
    else if (!guillemets && (ch === '\n' || ch === '\r')) break;
    else if (!guillemets && ch === ';') pv++;
    else if (!guillemets && ch === ',') v++;
  }
  return pv > v ? ';' : ',';
}

interface ParametresCsv {
  encodage: 'utf-8' | 'windows-1252';
  separateur: ';' | ',';
}

async function parametresCsv(fichier: string, options: OptionsLecture): Promise<ParametresCsv> {
  const e = await lireEchantillon(fichier);
  if ((e[0] === 0xff && e[1] === 0xfe) || (e[0] === 0xfe && e[1] === 0xff)) {
    throw malforme('fichier CSV en UTF-16 non pris en charge ; enregistrez-le en CSV UTF-8 ou Windows-1252');
  }
  if (e[0] === 0x50 && e[1] === 0x4b && e[2] === 0x03 && e[3] === 0x04) {
    throw malforme('le fichier est une archive (classeur XLSX ?), pas un CSV');
  }
  if (e.includes(0)) throw malforme('fichier CSV illisible (contenu binaire)');
  const encodage = options.encodage ?? detecterEncodage(e);
  const separateur = options.separateur ?? detecterSeparateur(iconv.decode(e, encodage));
  return { encodage, separateur };
}

const RAISONS_CSV: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'guillemet ouvert jamais fermé',
  CSV_INVALID_CLOSING_QUOTE: "guillemet fermant suivi d'autres caractères",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'caractère inattendu après un guillemet fermant',
  INVALID_OPENING_QUOTE: 'guillemet inattendu dans un champ',
  CSV_MAX_RECORD_SIZE: 'ligne démesurément longue (guillemet non fermé ?)',
};

async function* enregistrementsCsv(fichier: string, p: ParametresCsv): AsyncGenerator<Enregistrement> {
  const source = createReadStream(fichier);
  const decodeur = iconv.decodeStream(p.encodage); // strips a UTF-8 BOM
  const analyseur = csvParse({
    delimiter: p.separateur,
    relax_column_count: true,
    relax_quotes: true,
    trim: true,
    skip_empty_lines: false,
    bom: true,
    max_record_size: TAILLE_MAX_ENREGISTREMENT,
  });
  // pipeline destroys every stream on error or when the consumer stops early; the error itself
  // surfaces through the parser's async iterator — or, when the destruction wins the race, as a
  // premature close: the parser's own error, heard first, is the one that says what is wrong.
  let erreurAnalyse: unknown;
  analyseur.once('error', (e) => {
    erreurAnalyse = e;
  });
  pipeline(source, decodeur, analyseur, () => {
    /* see the iterator */
  });
  let num = 0;
  try {
    for await (const rec of analyseur as AsyncIterable<string[]>) {
      num++;
      yield { num, cellules: rec };
    }
  } catch (e) {
    const err = erreurAnalyse ?? e;
    if (err instanceof CsvError || (err instanceof Error && /^(CSV_|INVALID_)/.test(String((err as CsvError).code)))) {
      const raison = RAISONS_CSV[(err as CsvError).code] ?? err.message;
      throw malforme(`fichier CSV illisible à la ligne ${num + 1} : ${raison}`);
    }
    throw err;
  } finally {
    source.destroy();
  }
}

// =================================================================================================
// XLSX

/** Same rule as exceljs' own date-format detection (quoted text and [..] sections removed). */
function formatDate(numFmt: unknown): boolean {
  if (typeof numFmt !== 'string' || !numFmt) return false;
  return /[ymdhMsb]+/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function texteNombre(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(Number(n.toPrecision(15)));
}

function texteDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** Excel serial number (1900 system) → ISO date, for formula results in a date-formatted cell. */
function serieVersDate(n: number): string {
  return texteDate(new Date(Math.round((n - 25569) * 86_400_000)));
}

function texteCellule(valeur: unknown, numFmt: unknown): string {
  if (valeur === null || valeur === undefined) return '';
  if (typeof valeur === 'string') return valeur.trim();
  if (typeof valeur === 'number') return formatDate(numFmt) ? serieVersDate(valeur) : texteNombre(valeur);
  if (typeof valeur === 'boolean') return valeur ? 'true' : 'false';
  if (valeur instanceof Date) return texteDate(valeur);
  if (typeof valeur === 'object') {
    const o = valeur as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      return (o.richText as { text?: unknown }[])
        .map((r) => (typeof r.text === 'string' ? r.text : ''))
        .join('')
        .trim();
    }
    if ('formula' in o || 'sharedFormula' in o) return texteCellule(o.result, numFmt);
    if ('error' in o) return String(o.error ?? '');
    if ('text' in o) return texteCellule(o.text, undefined); // hyperlink
  }
  return String(valeur).trim();
}

interface FeuilleModele {
  sheets?: { name?: string }[];
}

/**
 * A zip archive ends with an "end of central directory" record (within its last 65,557 bytes).
 * Checked up front because exceljs' streaming unzipper waits forever on a truncated archive.
 */
async function verifierArchiveZip(fichier: string): Promise<void> {
  const fh = await fsp.open(fichier, 'r');
  try {
    const { size } = await fh.stat();
    const debut = Buffer.alloc(4);
    await fh.read(debut, 0, 4, 0);
    const taille = Math.min(size, 22 + 0xffff);
    const fin = Buffer.alloc(taille);
    await fh.read(fin, 0, taille, size - taille);
    if (size < 22 || debut.readUInt32LE(0) !== 0x04034b50) throw malforme("fichier XLSX illisible (ce n'est pas un classeur Excel .xlsx)");
    let eocd = false;
    for (let i = taille - 22; i >= 0 && !eocd; i--) eocd = fin.readUInt32LE(i) === 0x06054b50;
    if (!eocd) throw malforme('fichier XLSX illisible (archive tronquée ou endommagée)');
  } finally {
    await fh.close();
  }
}

/**
 * exceljs's streaming reader now and then (about 1 read in 100 here) fails on a sound file: it may
 * reach a worksheet before its workbook model is set (`Cannot read properties of undefined (reading
 * 'sheets')`). Such a read is started again, the records already given skipped, a few times before the
 * file is called unreadable. Our own refusals and the file's read errors are not retried.
 */
async function* enregistrementsXlsx(fichier: string): AsyncGenerator<Enregistrement> {
  await verifierArchiveZip(fichier);
  // Its expansion measured before exceljs expands anything (an XLSX bomb is refused here).
  await verifierClasseur(fichier);
  let rendus = 0;
  for (let tentative = 1; ; tentative++) {
    try {
      let vus = 0;
      for await (const e of uneLectureXlsx(fichier)) {
        if (vus++ < rendus) continue;
        rendus++;
        yield e;
      }
      return;
    } catch (err) {
      if (!(err instanceof LectureXlsxInterrompue) || tentative >= 5) throw err instanceof LectureXlsxInterrompue ? malforme('fichier XLSX illisible') : err;
    }
  }
}

/** exceljs failed on its own (see `enregistrementsXlsx`): worth another read. */
class LectureXlsxInterrompue extends Error {}

async function* uneLectureXlsx(fichier: string): AsyncGenerator<Enregistrement> {
  // The stream is ours so that it can be closed when the consumer stops early (header only).
  // exceljs pipes its input into the unzipper, and `pipe` does not forward errors: a read error
  // (missing file…) would leave it waiting forever. So a read error ends the input early and is
  // rethrown once exceljs gives up.
  const source: ReadStream = createReadStream(fichier);
  const entree = new PassThrough();
  let erreurSource: Error | undefined;
  source.on('error', (err) => {
    erreurSource = err;
    entree.end();
  });
  source.pipe(entree);
  const lecteur = new excelStream.xlsx.WorkbookReader(entree, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // 'cache' (not 'ignore'): without the number formats exceljs cannot tell a date from a number.
    // styles.xml is small; it is not per row.
    styles: 'cache',
  });
  let trouvee = false;
  try {
    for await (const feuille of lecteur) {
      const noms = ((lecteur as unknown as { model?: FeuilleModele }).model?.sheets ?? []).map((s) => s.name).filter((s): s is string => typeof s === 'string');
      const nomFeuille = (feuille as unknown as { name?: string }).name;
      const premiere = noms.length === 0 || nomFeuille === noms[0] || !noms.includes(nomFeuille ?? '');
      if (!premiere) {
        for await (const _ligne of feuille) {
          /* drain a sheet stored before the first one */
        }
        continue;
      }
      trouvee = true;
      for await (const ligne of feuille) {
        const cellules: string[] = [];
        ligne.eachCell({ includeEmpty: false }, (cellule, col) => {
          cellules[col - 1] = texteCellule(cellule.value, cellule.numFmt);
        });
        for (let i = 0; i < cellules.length; i++) cellules[i] ??= '';
        yield { num: ligne.number, cellules };
      }
      return;
    }
  } catch (err) {
    if (err instanceof ErreurMetier) throw err;
    if (erreurSource) throw erreurSource;
    throw new LectureXlsxInterrompue(String(err));
  } finally {
    source.destroy();
    entree.destroy();
  }
  if (erreurSource) throw erreurSource;
  if (!trouvee) throw malforme('fichier XLSX illisible : aucune feuille de calcul');
}

// =================================================================================================
// JSON

/** Sniffs the first significant character: a top-level array is required. Returns the BOM length. */
async function verifierJson(fichier: string): Promise<number> {
  const e = await lireEchantillon(fichier);
  const bom = e.length >= 3 && e[0] === 0xef && e[1] === 0xbb && e[2] === 0xbf ? 3 : 0;
  let i = bom;
  while (i < e.length && (e[i] === 0x20 || e[i] === 0x09 || e[i] === 0x0a || e[i] === 0x0d)) i++;
  if (e[i] !== 0x5b /* [ */) throw malforme("JSON : un tableau d'objets est attendu");
  return bom;
}

function valeursJson(element: unknown, connues: Map<string, string>): Record<string, ValeurLue> {
  if (element === null || typeof element !== 'object' || Array.isArray(element)) return { __invalide: 'type' };
  const valeurs: Record<string, ValeurLue> = {};
  for (const [cleBrute, v] of Object.entries(element as Record<string, unknown>)) {
    const nom = cleBrute.trim();
    const cle = connues.get(nom.toLowerCase()) ?? nom;
    if (cle === '__proto__' || cle in valeurs) continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      valeurs[cle] = v;
    } else {
      // nested object or array: not a cell value; the row is flagged, the field left out
      valeurs.__invalide = 'champ';
      valeurs.__champ = cle;
    }
  }
  return valeurs;
}

function objetVide(valeurs: Record<string, ValeurLue>): boolean {
  for (const v of Object.values(valeurs)) if (v !== null && v !== '') return false;
  return true;
}

async function* elementsJson(fichier: string): AsyncGenerator<{ index: number; element: unknown }> {
  const bom = await verifierJson(fichier);
  const source = createReadStream(fichier, { start: bom });
  const elements = streamArray();
  pipeline(source, jsonParser(), elements, () => {
    /* see the iterator */
  });
  let suivant = 0;
  try {
    for await (const { key, value } of elements as Readable as AsyncIterable<{ key: number; value: unknown }>) {
      suivant = key + 1;
      yield { index: key, element: value };
    }
  } catch (err) {
    if (estErreurSysteme(err)) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (/array/i.test(msg)) throw malforme("JSON : un tableau d'objets est attendu");
    throw malforme(`JSON invalide ou tronqué à partir de l'élément d'indice ${suivant} (${msg.replace(/\.$/, '')})`);
  } finally {
    source.destroy();
  }
}

async function* lignesJson(fichier: string, colonnes: readonly string[]): AsyncGenerator<LigneLue> {
  const connues = indexColonnes(colonnes);
  for await (const { index, element } of elementsJson(fichier)) {
    const valeurs = valeursJson(element, connues);
    if (objetVide(valeurs)) continue;
    yield { numLigne: index, valeurs };
  }
}

// =================================================================================================
// Public API

/** Reads only the header (first row) of the file, for checking before a job is accepted. */
export async function lireEntete(fichier: string, options: OptionsLecture): Promise<EnteteLot> {
  switch (options.format) {
    case 'csv': {
      const p = await parametresCsv(fichier, options);
      const entete = await premiereLigne(enregistrementsCsv(fichier, p), options.colonnes);
      return { ...entete, encodage: p.encodage, separateur: p.separateur };
    }
    case 'xlsx':
      return premiereLigne(enregistrementsXlsx(fichier), options.colonnes);
    case 'json': {
      for await (const { element } of elementsJson(fichier)) {
        if (element === null || typeof element !== 'object' || Array.isArray(element)) break;
        return correspondre(Object.keys(element), options.colonnes).entete;
      }
      return { colonnes: [], inconnues: [] };
    }
  }
}

async function premiereLigne(enregistrements: AsyncGenerator<Enregistrement>, colonnes: readonly string[]): Promise<EnteteLot> {
  for await (const { cellules } of enregistrements) {
    if (!ligneVide(cellules)) return correspondre(cellules, colonnes).entete; // closes the generator
  }
  return { colonnes: [], inconnues: [] };
}

/**
 * Streams the data rows. numLigne: for CSV/XLSX the physical row number in the file (header = 1,
 * first data row = 2; for CSV a record whose quoted field spans several text lines counts as one
 * row, as Excel shows it); for JSON the 0-based index in the array. Empty rows (every cell empty)
 * are skipped but still counted in numLigne.
 */
export async function* lireLignes(fichier: string, options: OptionsLecture): AsyncGenerator<LigneLue> {
  let source: AsyncGenerator<LigneLue>;
  switch (options.format) {
    case 'csv':
      source = lignesTabulaires(enregistrementsCsv(fichier, await parametresCsv(fichier, options)), options.colonnes, false);
      break;
    case 'xlsx':
      source = lignesTabulaires(enregistrementsXlsx(fichier), options.colonnes, true);
      break;
    case 'json':
      source = lignesJson(fichier, options.colonnes);
      break;
    default:
      throw malforme(`format de fichier non pris en charge : ${String(options.format)}`);
  }
  let aSauter = Math.max(0, Math.floor(options.sauter ?? 0));
  for await (const ligne of source) {
    if (aSauter > 0) {
      aSauter--;
      continue;
    }
    yield ligne;
  }
}

// =================================================================================================
// Writing: templates and reports

function champCsv(v: unknown): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (v instanceof Date) s = Number.isNaN(v.getTime()) ? '' : v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  // A downloaded report opens in a spreadsheet: a value from an uploaded file that starts like a
  // formula (= + - @, tab, CR) is neutralised with a leading apostrophe (CSV injection).
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows as CSV text (`;`, UTF-8 with BOM, RFC 4180 quoting, CRLF) — used for downloadable reports. */
export function versCsv(colonnes: readonly string[], lignes: Iterable<Record<string, unknown>>): string {
  const parties: string[] = ['\ufeff', colonnes.map(champCsv).join(';'), '\r\n'];
  for (const ligne of lignes) {
    parties.push(colonnes.map((c) => champCsv(ligne[c])).join(';'), '\r\n');
  }
  return parties.join('');
}

/**
 * Writes a template file (header row of the given columns + one example row) in csv (UTF-8 with
 * BOM, `;`) or xlsx (columns formatted as text so that leading zeros typed by staff are kept).
 */
export async function modele(format: 'csv' | 'xlsx', colonnes: readonly string[], exemple: Record<string, string>): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(versCsv(colonnes, [exemple]), 'utf8');
  const classeur = new Workbook();
  feuilleARemplir(classeur, colonnes, exemple);
  const contenu = await classeur.xlsx.writeBuffer();
  return Buffer.from(contenu as ArrayBuffer);
}

/** The readers as the job engine's port. */
export const lecteurFichiers: LecteurFichiers = { lireEntete, lireLignes };
