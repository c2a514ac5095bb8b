/**
 * A ZIP of import files (a Pégase pair, say), opened with bounds checked from the start: the number of
 * entries and each entry's declared size and compression ratio are read from the central directory
 * before anything is inflated, and the bytes actually inflated are counted too (a declared size can
 * lie), so that a zip bomb is refused before it costs memory or disk.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ErreurMetier } from '../../domain/errors';

export interface BornesArchive {
  entrees: number;
  /** Total uncompressed bytes. */
  taille: number;
  /** Largest uncompressed / compressed ratio of an entry. */
  ratio: number;
}

export const BORNES_PAR_DEFAUT: BornesArchive = { entrees: 10, taille: 200 * 1024 * 1024, ratio: 200 };

const refus = (detail: string) => ErreurMetier.une('ARCHIVE_REFUSEE', 'fichier', { detail });

/** Starts like a ZIP (`PK\x03\x04`, or an empty archive's `PK\x05\x06`). */
export async function estZip(fichier: string): Promise<boolean> {
  const f = await fs.open(fichier, 'r');
  try {
    const b = Buffer.alloc(4);
    await f.read(b, 0, 4, 0);
    return b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
  } finally {
    await f.close();
  }
}

/** The files of the archive, written into `dossier` under new names; their names in the archive (folders dropped). */
export async function extraireZip(fichier: string, dossier: string, bornes: BornesArchive = BORNES_PAR_DEFAUT): Promise<{ nom: string; fichier: string }[]> {
  const zip = await new Promise<yauzl.ZipFile>((ok, ko) => {
    yauzl.open(fichier, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, z) =>
      err || !z ? ko(refus('archive ZIP illisible')) : ok(z),
    );
  });
  const sortie: { nom: string; fichier: string }[] = [];
  try {
    if (zip.entryCount > bornes.entrees) throw refus(`${zip.entryCount} entrées, ${bornes.entrees} au plus`);
    let total = 0;
    await fs.mkdir(dossier, { recursive: true });
    for (;;) {
      const entree = await new Promise<yauzl.Entry | undefined>((ok, ko) => {
        zip.once('entry', ok);
        zip.once('end', () => ok(undefined));
        zip.once('error', () => ko(refus('archive ZIP corrompue')));
        zip.readEntry();
      });
      if (!entree) break;
      if (entree.fileName.endsWith('/')) continue;
      if (entree.isEncrypted()) throw refus(`${entree.fileName} est chiffrée`);
      total += entree.uncompressedSize;
      if (total > bornes.taille) throw refus(`plus de ${Math.round(bornes.taille / 1024 / 1024)} Mio une fois décompressée`);
      if (entree.compressedSize > 0 && entree.uncompressedSize / entree.compressedSize > bornes.ratio) {
        throw refus(`${entree.fileName} se décompresse ${Math.round(entree.uncompressedSize / entree.compressedSize)} fois (${bornes.ratio} au plus)`);
      }
      const cible = path.join(dossier, `archive-${randomUUID()}`);
      const flux = await new Promise<NodeJS.ReadableStream>((ok, ko) =>
        zip.openReadStream(entree, (err, s) => (err || !s ? ko(refus(`${entree.fileName} illisible`)) : ok(s))),
      );
      let lus = 0;
      const compteur = new Transform({
        transform(chunk: Buffer, _e, cb) {
          lus += chunk.length;
          cb(lus > entree.uncompressedSize ? refus(`${entree.fileName} plus grande qu'annoncé`) : null, chunk);
        },
      });
      await pipeline(flux, compteur, createWriteStream(cible)).catch((err) => {
        throw err instanceof ErreurMetier ? err : refus(`${entree.fileName} : ${(err as Error).message}`);
      });
      sortie.push({ nom: path.posix.basename(entree.fileName.replace(/\\/g, '/')), fichier: cible });
    }
    return sortie;
  } catch (err) {
    await Promise.all(sortie.map((s) => fs.rm(s.fichier, { force: true })));
    throw err;
  } finally {
    zip.close();
  }
}
