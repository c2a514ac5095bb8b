/**
 * What a supporting document's file must be, decided from facts read by the adapters (the real type
 * from the bytes, the PDF parser's verdict): pure rules, one problem each, with the path `pj`.
 */
import { probleme, type Probleme } from '../errors';
import { tailleMax, typesMediaAutorises, type TypePj } from './pieces-dues';

/** Never accepted, whatever a type's list says: executables, scripts, markup, archives. */
const INTERDITS = [
  /^application\/(x-msdownload|x-dosexec|x-executable|x-elf|x-mach-binary|vnd\.microsoft\.portable-executable|x-sharedlib)$/,
  /^application\/(x-sh|x-shellscript|javascript|x-javascript|ecmascript|wasm)$/,
  /^text\/(html|javascript|x-shellscript|xml)$/,
  /^application\/(xhtml\+xml|xml)$/,
  /^image\/svg\+xml$/,
  /^application\/(zip|x-zip-compressed|x-7z-compressed|x-rar-compressed|vnd\.rar|x-tar|gzip|x-gzip|x-bzip2|x-xz|zstd|x-cpio|java-archive|vnd\.android\.package-archive)$/,
];

export interface FaitsFichier {
  taille: number;
  /** The real media type read from the bytes; undefined when nothing known was recognised. */
  typeReel?: string;
  /** For a PDF: what a PDF parser made of it. */
  pdf?: 'OK' | 'ILLISIBLE' | 'CHIFFRE';
}

export function problemesFichier(type: TypePj, f: FaitsFichier, chemin = 'pj'): Probleme[] {
  if (f.taille === 0) return [probleme('PJ_VIDE', chemin)];
  const max = tailleMax(type);
  if (f.taille > max) return [probleme('PJ_TROP_VOLUMINEUX', chemin, { max: octets(max), taille: octets(f.taille) })];
  const autorises = typesMediaAutorises(type);
  const reel = f.typeReel;
  if (!reel || INTERDITS.some((r) => r.test(reel)) || !autorises.includes(reel)) {
    return [probleme('PJ_TYPE_NON_AUTORISE', chemin, { detecte: reel ?? 'inconnu', codTpj: type.code, autorises: autorises.join(', ') })];
  }
  if (reel === 'application/pdf' && f.pdf === 'CHIFFRE') return [probleme('PJ_PDF_CHIFFRE', chemin)];
  if (reel === 'application/pdf' && f.pdf !== 'OK') return [probleme('PJ_PDF_ILLISIBLE', chemin)];
  return [];
}

/**
 * A file name as sent, made safe to store and to give back in a `Content-Disposition`: no folder part,
 * no control or reserved characters, at most 200 characters (extension kept), never empty.
 */
export function nettoyerNomFichier(brut: string | undefined | null): string {
  const base =
    String(brut ?? '')
      .split(/[\\/]/)
      .pop() ?? '';
  const propre = base
    .normalize('NFC')
    .split('')
    .filter((c) => !estControle(c))
    .join('')
    .replace(/["<>:|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (!propre) return 'document';
  if (propre.length <= 200) return propre;
  const point = propre.lastIndexOf('.');
  const ext = point > 0 && propre.length - point <= 10 ? propre.slice(point) : '';
  return propre.slice(0, 200 - ext.length) + ext;
}

/** C0 and C1 control characters (never in a file name). */
function estControle(c: string): boolean {
  const n = c.charCodeAt(0);
  return n < 0x20 || (n >= 0x7f && n <= 0x9f);
}

function octets(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace('.0', '')} Mio` : n >= 1024 ? `${Math.round(n / 1024)} kio` : `${n} octets`;
}
