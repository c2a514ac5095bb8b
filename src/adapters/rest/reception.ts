/**
 * Receiving a file over HTTP without holding it in memory: the body (raw, or the one file part of a
 * multipart/form-data) is streamed to a temporary file, counted and hashed on the way, and cut off as
 * soon as it passes the limit.
 */
import type { Request } from 'express';
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErreurMetier, probleme } from '../../domain/errors';

export interface FichierRecu {
  fichier: string;
  empreinte: string;
  taille: number;
  /** The file name the client gave (multipart part, or Content-Disposition), unsanitised. */
  nomFichier?: string;
}

/** What to say when the limit is passed (the caller's catalogue code). */
export type Depassement = (max: number) => ErreurMetier;

const tropGros: Depassement = (max) => new ErreurMetier([probleme('CORPS_TROP_VOLUMINEUX', '', { max: `${max} octets` })], 413);

async function versFichier(source: Readable, dossier: string, max: number, depassement: Depassement): Promise<FichierRecu> {
  await fs.mkdir(dossier, { recursive: true });
  const fichier = path.join(dossier, `recu-${randomUUID()}`);
  const hash = createHash('sha256');
  let taille = 0;
  const compteur = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      taille += chunk.length;
      if (taille > max) return cb(depassement(max));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(source, compteur, createWriteStream(fichier));
  } catch (err) {
    await fs.rm(fichier, { force: true });
    throw err instanceof ErreurMetier ? err : new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'envoi du fichier interrompu' })], 400);
  }
  return { fichier, empreinte: hash.digest('hex'), taille };
}

/** The raw body; its name from `Content-Disposition: …; filename=…` when given. */
export async function recevoirCorps(req: Request, dossier: string, max: number, depassement: Depassement = tropGros): Promise<FichierRecu> {
  const longueur = Number(req.get('content-length'));
  if (Number.isFinite(longueur) && longueur > max) throw depassement(max);
  const recu = await versFichier(req, dossier, max, depassement);
  return { ...recu, nomFichier: nomDeDisposition(req.get('content-disposition')) };
}

/** The one file part named `champ` of a multipart/form-data body (other parts are ignored, a second file refused). */
export function recevoirMultipart(req: Request, dossier: string, max: number, champ: string, depassement: Depassement = tropGros): Promise<FichierRecu> {
  return new Promise((resolve, reject) => {
    let analyseur: busboy.Busboy;
    try {
      analyseur = busboy({ headers: req.headers, limits: { files: 1, fileSize: max + 1, fields: 20, parts: 25 } });
    } catch {
      reject(new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'corps multipart/form-data illisible (boundary manquant ?)' })], 400));
      return;
    }
    let recu: Promise<FichierRecu> | undefined;
    analyseur.on('file', (nom, flux, info) => {
      if (nom !== champ || recu) {
        flux.resume();
        return;
      }
      recu = versFichier(flux, dossier, max, depassement).then((r) => ({ ...r, nomFichier: info.filename }));
      recu.catch(() => flux.resume());
    });
    analyseur.on('error', () => reject(new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'corps multipart/form-data mal formé' })], 400)));
    analyseur.on('close', () => {
      if (!recu) reject(new ErreurMetier([probleme('CHAMP_OBLIGATOIRE', champ)], 400));
      else recu.then(resolve, reject);
    });
    req.pipe(analyseur);
  });
}

/** `attachment; filename="a.pdf"` or `filename*=UTF-8''a%20b.pdf` → the name. */
export function nomDeDisposition(entete: string | undefined): string | undefined {
  if (!entete) return undefined;
  const etoile = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(entete);
  if (etoile) {
    try {
      return decodeURIComponent(etoile[1].trim());
    } catch {
      return undefined;
    }
  }
  const simple = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(entete);
  return simple ? (simple[1] ?? simple[2]).replace(/\\(.)/g, '$1').trim() : undefined;
}

/** A `Content-Disposition` that no file name can break (ASCII fallback + RFC 5987 UTF-8 form). */
export function dispositionSure(nom: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = nom
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(nom)}`;
}

/** Every file part named in `champs` of a multipart body, and its text fields (the import's `format`, `mode`…). */
export function recevoirMultipartPlusieurs(
  req: Request,
  dossier: string,
  max: number,
  champs: readonly string[],
  depassement: Depassement = tropGros,
): Promise<{ fichiers: FichierRecu[]; champs: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let analyseur: busboy.Busboy;
    try {
      analyseur = busboy({ headers: req.headers, limits: { files: 10, fileSize: max + 1, fields: 20, parts: 40, fieldSize: 10_000 } });
    } catch {
      reject(new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'corps multipart/form-data illisible (boundary manquant ?)' })], 400));
      return;
    }
    const recus: Promise<FichierRecu>[] = [];
    const textes: Record<string, string> = {};
    let total = 0;
    analyseur.on('field', (nom, valeur) => {
      textes[nom] = valeur;
    });
    analyseur.on('file', (nom, flux, info) => {
      if (!champs.includes(nom)) {
        flux.resume();
        return;
      }
      // The limit holds for all the files of the request together.
      const compte = new Transform({
        transform(chunk: Buffer, _e, cb) {
          total += chunk.length;
          cb(total > max ? depassement(max) : null, chunk);
        },
      });
      const p = versFichier(flux.pipe(compte), dossier, max, depassement).then((r) => ({ ...r, nomFichier: info.filename }));
      p.catch(() => flux.resume());
      recus.push(p);
    });
    analyseur.on('filesLimit', () => reject(new ErreurMetier([probleme('LOT_TROP_GRAND', 'fichiers', { max: 10 })], 413)));
    analyseur.on('error', () => reject(new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'corps multipart/form-data mal formé' })], 400)));
    analyseur.on('close', () => {
      Promise.allSettled(recus).then((r) => {
        const echec = r.find((x) => x.status === 'rejected');
        const ok = r.filter((x): x is PromiseFulfilledResult<FichierRecu> => x.status === 'fulfilled').map((x) => x.value);
        if (echec) {
          Promise.all(ok.map((f) => fs.rm(f.fichier, { force: true }))).finally(() => reject((echec as PromiseRejectedResult).reason));
        } else if (!ok.length) reject(new ErreurMetier([probleme('CHAMP_OBLIGATOIRE', champs[0])], 400));
        else resolve({ fichiers: ok, champs: textes });
      });
    });
    req.pipe(analyseur);
  });
}
