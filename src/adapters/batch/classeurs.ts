/**
 * An XLSX file is a ZIP of XML: before exceljs reads it, its content is measured without being kept —
 * entry count and declared sizes from the central directory, then every entry inflated once into a
 * counter (declared sizes can lie), its shared strings, rows and cells per row counted on the way — so that an XLSX
 * bomb (millions of shared strings that compress to nothing, a sheet that inflates to gigabytes) is
 * refused with ARCHIVE_REFUSEE before anything is expanded in memory. Memory stays constant: streams.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ErreurMetier } from '../../domain/errors';

export interface BornesClasseur {
  entrees: number;
  /** Bytes inflated in all, and for one entry. */
  taille: number;
  tailleEntree: number;
  /** Largest uncompressed / compressed ratio of an entry over 1 MiB. */
  ratio: number;
  chainesPartagees: number;
  /** Rows of all the sheets (Excel's own limit is 1,048,576 per sheet). */
  lignes: number;
  /** Cells of one row (Excel's own limit is 16,384 columns). */
  colonnes: number;
}

export const BORNES_CLASSEUR: BornesClasseur = {
  entrees: 1000,
  taille: 512 * 1024 * 1024,
  tailleEntree: 256 * 1024 * 1024,
  ratio: 200,
  chainesPartagees: 2_000_000,
  lignes: 1_048_576,
  colonnes: 16_384,
};

const refus = (detail: string) => ErreurMetier.une('ARCHIVE_REFUSEE', 'fichier', { detail });

/** Counts the occurrences of `motif` in a stream of bytes, across chunk boundaries. */
function compteur(motifs: readonly string[]): { compter(c: Buffer): void; total(): number } {
  const b = motifs.map((m) => Buffer.from(m));
  const garde = Math.max(...b.map((x) => x.length)) - 1;
  let reste: Buffer = Buffer.alloc(0);
  let n = 0;
  return {
    compter(c) {
      const t = reste.length ? Buffer.concat([reste, c]) : c;
      for (const m of b) for (let i = t.indexOf(m); i >= 0; i = t.indexOf(m, i + 1)) if (i + m.length > reste.length) n++;
      reste = t.subarray(Math.max(0, t.length - garde));
    },
    total: () => n,
  };
}

const blanc = (x: number | undefined) => x === 0x20 || x === 0x3e || x === 0x2f || x === 0x0a || x === 0x0d || x === 0x09;

/** The most cells one row of a sheet holds, from a stream of the sheet's XML (`<row …>` opens a row, `<c …>` is a cell). */
function cellulesParLigne(): { compter(c: Buffer): void; plus(): number } {
  let reste: Buffer = Buffer.alloc(0);
  let ligne = 0;
  let plus = 0;
  return {
    compter(c) {
      const t = reste.length ? Buffer.concat([reste, c]) : c;
      let fin = t.length;
      for (let i = t.indexOf(0x3c); i >= 0; i = t.indexOf(0x3c, i + 1)) {
        // A tag cut by the chunk's end is read again, whole, with the next chunk.
        if (i + 5 > t.length) {
          fin = i;
          break;
        }
        if (t[i + 1] === 0x72 && t[i + 2] === 0x6f && t[i + 3] === 0x77 && blanc(t[i + 4])) ligne = 0;
        else if (t[i + 1] === 0x63 && blanc(t[i + 2])) plus = Math.max(plus, ++ligne);
      }
      reste = fin < t.length ? Buffer.from(t.subarray(fin)) : Buffer.alloc(0);
    },
    plus: () => plus,
  };
}

export async function verifierClasseur(fichier: string, bornes: BornesClasseur = BORNES_CLASSEUR): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((ok, ko) =>
    yauzl.open(fichier, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, z) =>
      err || !z ? ko(refus('classeur XLSX illisible (archive ZIP)')) : ok(z),
    ),
  );
  try {
    if (zip.entryCount > bornes.entrees) throw refus(`le classeur contient ${zip.entryCount} fichiers, ${bornes.entrees} au plus`);
    let total = 0;
    const chaines = compteur(['<si>', '<si ']);
    const lignes = compteur(['<row>', '<row ']);
    for (;;) {
      const e = await new Promise<yauzl.Entry | undefined>((ok, ko) => {
        // Listeners removed at each entry: a workbook has hundreds of entries.
        const fin = (f: () => void) => () => {
          zip.off('entry', surEntree).off('end', surFin).off('error', surErreur);
          f();
        };
        let x: yauzl.Entry | undefined;
        const surEntree = (y: yauzl.Entry) => {
          x = y;
          fin(() => ok(x))();
        };
        const surFin = fin(() => ok(undefined));
        const surErreur = fin(() => ko(refus('classeur XLSX corrompu')));
        zip.on('entry', surEntree).on('end', surFin).on('error', surErreur);
        zip.readEntry();
      });
      if (!e) break;
      if (e.fileName.endsWith('/')) continue;
      if (e.isEncrypted()) throw refus(`${e.fileName} est chiffré`);
      if (e.uncompressedSize > bornes.tailleEntree) throw refus(`${e.fileName} annonce ${Math.round(e.uncompressedSize / 1048576)} Mio décompressé`);
      if (e.uncompressedSize > 1048576 && e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > bornes.ratio) {
        throw refus(`${e.fileName} se décompresse ${Math.round(e.uncompressedSize / e.compressedSize)} fois (${bornes.ratio} au plus)`);
      }
      const nom = e.fileName.toLowerCase();
      const feuille = /worksheets\/.*\.xml$/.test(nom);
      const compte = nom.endsWith('sharedstrings.xml') ? chaines : feuille ? lignes : undefined;
      const cellules = feuille ? cellulesParLigne() : undefined;
      const flux = await new Promise<NodeJS.ReadableStream>((ok, ko) =>
        zip.openReadStream(e, (err, s) => (err || !s ? ko(refus(`${e.fileName} illisible`)) : ok(s))),
      );
      let entree = 0;
      const mesure = new Writable({
        write(c: Buffer, _enc, cb) {
          entree += c.length;
          total += c.length;
          compte?.compter(c);
          cellules?.compter(c);
          if (entree > bornes.tailleEntree || total > bornes.taille)
            return cb(refus(`plus de ${Math.round(bornes.taille / 1048576)} Mio une fois décompressé`));
          if (chaines.total() > bornes.chainesPartagees) return cb(refus(`plus de ${bornes.chainesPartagees} chaînes partagées`));
          if (lignes.total() > bornes.lignes) return cb(refus(`plus de ${bornes.lignes} lignes`));
          if (cellules && cellules.plus() > bornes.colonnes) return cb(refus(`une ligne de plus de ${bornes.colonnes} cellules`));
          cb();
        },
      });
      await pipeline(flux, mesure).catch((err: unknown) => {
        throw err instanceof ErreurMetier ? err : refus(`${e.fileName} : ${(err as Error).message}`);
      });
    }
  } finally {
    zip.close();
  }
}
