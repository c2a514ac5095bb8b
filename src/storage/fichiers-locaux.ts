/**
 * `StockageDocuments` as a content-addressed local folder: a document's address is the SHA-256 of its
 * bytes (64 lowercase hex), stored at `<dossier>/<2 first hex>/<sha256>`.
 *
 * A deposit hashes the file, and when those bytes are not stored yet copies it to a temporary name in the
 * store's own folder (`<dossier>/.depot-…`, the same file system), flushes it to disk and renames it to its
 * address: rename is atomic, so a crash never leaves a half file at an address — at worst a temporary
 * file, which `lister` never yields and `nettoyerTemporaires` removes once old enough. The bytes are hashed
 * again while copied; an address is always the hash of what was written.
 *
 * An address from outside is never trusted: anything but 64 lowercase hex is refused (path traversal).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StockageDocuments } from '../application/ports';

const ADRESSE = /^[0-9a-f]{64}$/;
const SOUS_DOSSIER = /^[0-9a-f]{2}$/;
const PREFIXE_TEMPORAIRE = '.depot-';
/** A temporary file older than this is garbage from a crash (a deposit of 10 MiB takes well under a second). */
export const AGE_TEMPORAIRE_ABANDONNE_MS = 60 * 60 * 1000;

/** The address is not one this store could have given (not 64 lowercase hex): refused before any file access. */
export class AdresseDocumentInvalide extends Error {
  readonly code = 'ADRESSE_DOCUMENT_INVALIDE';
  constructor(readonly adresse: string) {
    super(`Adresse de document invalide (64 caractères hexadécimaux minuscules attendus) : ${JSON.stringify(String(adresse).slice(0, 80))}`);
    this.name = 'AdresseDocumentInvalide';
  }
}

/** No document is stored at that address. */
export class DocumentIntrouvable extends Error {
  readonly code = 'DOCUMENT_INTROUVABLE';
  constructor(readonly empreinte: string) {
    super(`Aucun document stocké à l'adresse ${empreinte}.`);
    this.name = 'DocumentIntrouvable';
  }
}

export function estAdresseDocument(valeur: unknown): valeur is string {
  return typeof valeur === 'string' && ADRESSE.test(valeur);
}

export class StockageFichiersLocaux implements StockageDocuments {
  readonly dossier: string;

  constructor(dossier: string) {
    this.dossier = path.resolve(dossier);
  }

  async deposer(fichier: string): Promise<{ empreinte: string; taille: number }> {
    const avant = await empreinteFichier(fichier);
    const cible = this.chemin(avant.empreinte);
    if (await estFichier(cible)) return avant;

    await mkdir(this.dossier, { recursive: true });
    const temporaire = path.join(this.dossier, `${PREFIXE_TEMPORAIRE}${randomUUID()}`);
    try {
      const hash = createHash('sha256');
      let taille = 0;
      const compteur = new Transform({
        transform(morceau: Buffer, _enc, suite) {
          hash.update(morceau);
          taille += morceau.length;
          suite(null, morceau);
        },
      });
      // `wx`: never write over anything; `flush`: fsync before close, so the rename below publishes whole bytes.
      await pipeline(createReadStream(fichier), compteur, createWriteStream(temporaire, { flags: 'wx', mode: 0o644, flush: true }));
      const empreinte = hash.digest('hex');
      if (empreinte !== avant.empreinte) throw new Error(`Le fichier ${fichier} a changé pendant son dépôt.`);
      await mkdir(path.dirname(cible), { recursive: true });
      // Same bytes deposited at the same time elsewhere: renaming over an identical file changes nothing.
      await rename(temporaire, cible);
      await synchroniserDossier(path.dirname(cible));
      return { empreinte, taille };
    } catch (err) {
      await unlink(temporaire).catch(() => undefined);
      throw err;
    }
  }

  async lire(empreinte: string): Promise<Readable> {
    const chemin = this.chemin(empreinte);
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(chemin, 'r');
    } catch (err) {
      if (codeErreur(err) === 'ENOENT') throw new DocumentIntrouvable(empreinte);
      throw err;
    }
    return fh.createReadStream();
  }

  async existe(empreinte: string): Promise<boolean> {
    return estFichier(this.chemin(empreinte));
  }

  async supprimer(empreinte: string): Promise<void> {
    try {
      await unlink(this.chemin(empreinte));
    } catch (err) {
      if (codeErreur(err) !== 'ENOENT') throw err;
    }
  }

  /** Every stored address; temporary files (in progress or left by a crash) are never yielded. */
  async *lister(): AsyncIterable<string> {
    for (const sous of await lireDossier(this.dossier)) {
      if (!sous.isDirectory() || !SOUS_DOSSIER.test(sous.name)) continue;
      for (const f of await lireDossier(path.join(this.dossier, sous.name))) {
        if (f.isFile() && ADRESSE.test(f.name) && f.name.startsWith(sous.name)) yield f.name;
      }
    }
  }

  /**
   * Removes the temporary files older than `ageMs` (default one hour): what a crash left between the copy
   * and the rename. Younger ones may be deposits in progress and are kept. Returns how many were removed.
   */
  async nettoyerTemporaires(ageMs = AGE_TEMPORAIRE_ABANDONNE_MS): Promise<number> {
    const limite = Date.now() - ageMs;
    let supprimes = 0;
    for (const f of await lireDossier(this.dossier)) {
      if (!f.isFile() || !f.name.startsWith(PREFIXE_TEMPORAIRE)) continue;
      const chemin = path.join(this.dossier, f.name);
      try {
        if ((await stat(chemin)).mtimeMs > limite) continue;
        await unlink(chemin);
        supprimes++;
      } catch (err) {
        if (codeErreur(err) !== 'ENOENT') throw err;
      }
    }
    return supprimes;
  }

  /** The file of an address; throws `AdresseDocumentInvalide` for anything but 64 lowercase hex. */
  chemin(empreinte: string): string {
    if (!estAdresseDocument(empreinte)) throw new AdresseDocumentInvalide(empreinte);
    return path.join(this.dossier, empreinte.slice(0, 2), empreinte);
  }
}

async function empreinteFichier(fichier: string): Promise<{ empreinte: string; taille: number }> {
  const hash = createHash('sha256');
  let taille = 0;
  for await (const morceau of createReadStream(fichier) as AsyncIterable<Buffer>) {
    hash.update(morceau);
    taille += morceau.length;
  }
  return { empreinte: hash.digest('hex'), taille };
}

async function estFichier(chemin: string): Promise<boolean> {
  try {
    return (await stat(chemin)).isFile();
  } catch (err) {
    if (codeErreur(err) === 'ENOENT' || codeErreur(err) === 'ENOTDIR') return false;
    throw err;
  }
}

async function lireDossier(dossier: string) {
  try {
    return await readdir(dossier, { withFileTypes: true });
  } catch (err) {
    if (codeErreur(err) === 'ENOENT') return [];
    throw err;
  }
}

/** Makes the rename itself durable (POSIX); a platform that cannot open a folder (Windows) skips it. */
async function synchroniserDossier(dossier: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dossier, 'r');
    await fh.sync();
  } catch {
    // best effort
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

function codeErreur(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}
