/**
 * REST door of the supporting documents: deposit (multipart part `fichier`, or a raw body with its
 * Content-Type and a Content-Disposition file name), owed and received documents, the bytes, the staff
 * decision, who still owes what; and the Amue-compatible PJ read service (`/pj/info`, `/pj/fichier`)
 * with its own JSON error shape.
 */
import { Router, type Request, type Response } from 'express';
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline as relier } from 'node:stream/promises';
import type { Pipeline } from '../../application/pipeline';
import type { ResultatDepot } from '../../application/pieces';
import type { PieceLigne } from '../../application/enregistrements';
import { ErreurMetier, codeApogee, probleme } from '../../domain/errors';
import { contexteDepuis } from './contexte';
import { requeteSimple } from './parametres';
import { dispositionSure, recevoirCorps, recevoirMultipart, type Depassement } from './reception';
import { envoyerProbleme } from './probleme';

export interface DependancesPieces {
  pipeline: Pipeline;
  /** Where uploads wait while they are checked. */
  dossierReception: string;
  tailleMax: number;
}

const depassement: Depassement = (max) =>
  new ErreurMetier(
    [probleme('PJ_TROP_VOLUMINEUX', 'pj', { max: `${Math.round(max / 1024 / 1024)} Mio`, taille: `plus de ${Math.round(max / 1024 / 1024)} Mio` })],
    413,
  );

export function routesPieces(d: DependancesPieces): Router {
  const r = Router();
  const { pipeline } = d;

  r.put('/opi/:codOpiIntEpo/pj/:codTpj', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const codOpiIntEpo = String(req.params.codOpiIntEpo);
    const codTpj = String(req.params.codTpj);
    const multipart = req.is('multipart/form-data');
    // Out of scope, or another platform's OPI: refused before the document is read.
    try {
      pipeline.verifierAcces(ctx, 'pj.deposer', { codOpiIntEpo, codTpj });
    } catch (err) {
      const e = pipeline.traduire(err, ctx, 'pj.deposer');
      await pipeline.refuser(ctx, 'pj.deposer', e, { individu: `OPI:${codOpiIntEpo.trim().toUpperCase()}` });
      throw e;
    }
    const recevoir = multipart
      ? recevoirMultipart(req, d.dossierReception, d.tailleMax, 'fichier', depassement)
      : recevoirCorps(req, d.dossierReception, d.tailleMax, depassement);
    // A failed reception (too big, broken multipart, client gone) is refused like any input: one journal row.
    const recu = await recevoir.catch(async (err) => {
      const e = pipeline.traduire(err, ctx, 'pj.deposer');
      await pipeline.refuser(ctx, 'pj.deposer', e, {
        cle: `${codOpiIntEpo.toUpperCase()}|${codTpj.toUpperCase()}`,
        individu: `OPI:${codOpiIntEpo.trim().toUpperCase()}`,
      });
      throw e;
    });
    try {
      const x = await pipeline.executer<ResultatDepot>(
        ctx,
        'pj.deposer',
        { codOpiIntEpo, codTpj, nomFic: recu.nomFichier, fichier: recu.fichier },
        { charge: recu.empreinte },
      );
      res.location(`${req.baseUrl}/opi/${encodeURIComponent(codOpiIntEpo.toUpperCase())}/pj/${encodeURIComponent(codTpj.toUpperCase())}/contenu`);
      res.status(x.statut).json(x.valeur);
    } finally {
      await fs.rm(recu.fichier, { force: true });
    }
  });

  r.get('/opi/:codOpiIntEpo/pj', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'pj.lister', String(req.params.codOpiIntEpo))).valeur);
  });

  r.get('/opi/:codOpiIntEpo/pj/:codTpj/contenu', async (req, res) => {
    const x = await pipeline.executer<{ piece: PieceLigne; flux: Readable }>(contexteDepuis(req, 'REST'), 'pj.contenu', {
      codOpiIntEpo: String(req.params.codOpiIntEpo),
      codTpj: String(req.params.codTpj),
    });
    await servir(res, x.valeur!);
  });

  r.post('/opi/:codOpiIntEpo/pj/:codTpj/statut', async (req, res) => {
    const x = await pipeline.executer(contexteDepuis(req, 'REST'), 'pj.statuer', {
      codOpiIntEpo: String(req.params.codOpiIntEpo),
      codTpj: String(req.params.codTpj),
      corps: req.body ?? {},
    });
    res.json(x.valeur);
  });

  r.get('/pj/en-attente', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'pj.enAttente', requeteSimple(req))).valeur);
  });

  // The Amue PJ service's reads, with its error shape: a client written for it keeps working.
  r.get('/pj/info', async (req, res) => {
    await amue(req, res, async () => res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'pj.info', requeteSimple(req))).valeur));
  });

  r.get('/pj/fichier', async (req, res) => {
    await amue(req, res, async () => {
      const x = await pipeline.executer<{ piece: PieceLigne; flux: Readable }>(contexteDepuis(req, 'REST'), 'pj.fichier', requeteSimple(req));
      await servir(res, x.valeur!);
    });
  });

  return r;
}

/** The bytes as stored, with their real type; never rendered by a browser as a page. */
async function servir(res: Response, { piece, flux }: { piece: PieceLigne; flux: Readable }): Promise<void> {
  res.setHeader('Content-Type', piece.typeMedia);
  res.setHeader('Content-Length', String(piece.taille));
  res.setHeader('Content-Disposition', dispositionSure(piece.nomFichier));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('ETag', `"${piece.empreinte}"`);
  await relier(flux, res);
}

/** `nullretrieve.etudiantinexistant`, `nullretrieve.piecejustif`, else `<nature>.<élément>`, as the Amue service names its errors. */
const TYPES_AMUE: Record<string, string> = { INDIVIDU_INTROUVABLE: 'nullretrieve.etudiantinexistant', PJ_INTROUVABLE: 'nullretrieve.piecejustif' };

async function amue(req: Request, res: Response, faire: () => Promise<unknown>): Promise<void> {
  try {
    await faire();
  } catch (err) {
    if (!(err instanceof ErreurMetier) || res.headersSent) throw err;
    if (err.status >= 500) return envoyerProbleme(req, res, err);
    const p = err.problemes[0];
    const a = codeApogee(p);
    res.status(err.status).json({
      erreurMsg: p.message,
      erreurType: TYPES_AMUE[p.code] ?? `${a.nature}.${a.element}`,
      erreurDescription: err.problemes.map((x) => `${x.code}${x.path ? ` [${x.path}]` : ''} ${x.message}`).join(' ; '),
    });
  }
}
