/**
 * REST door of the OPI imports: `POST /api/v1/imports` (multipart: the file in the part `fichier`,
 * several in parts `fichiers`, or one ZIP; or a raw body), with `format`, `mode`, the formation of a
 * whole file (`codeFormationPsup`, or `codEtp` + `codVrsVet`) and `simulation` as form fields or query
 * parameters → 202 and the job (progress at `GET /api/v1/jobs/{id}`).
 */
import { Router, type Request } from 'express';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Pipeline } from '../../application/pipeline';
import type { EtatJob } from '../../application/jobs/moteur';
import { ErreurMetier } from '../../domain/errors';
import { preparerImport, type PairesImport } from '../batch/fichiers-import';
import { contexteDepuis, idempotenceDe } from './contexte';
import { recevoirCorps, recevoirMultipartPlusieurs, type FichierRecu } from './reception';

export interface DependancesImports {
  pipeline: Pipeline;
  /** Where uploads wait (the job engine's folder: an accepted file is renamed into it). */
  dossier: string;
  tailleMax: number;
  /** Formats that come as a pair of files: which file names each part (`candidat-…`, `candidature-…`). */
  paires: PairesImport;
}

export function routesImports(d: DependancesImports): Router {
  const r = Router();

  r.post('/imports', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const temporaires: string[] = [];
    // Refused before the operation ran (a broken upload, a refused archive, files not of the format): one journal row.
    const refuser = async (err: unknown): Promise<never> => {
      const e = d.pipeline.traduire(err, ctx, 'opi.importer');
      await d.pipeline.refuser(ctx, 'opi.importer', e);
      throw e;
    };
    try {
      // Out of scope: refused before the upload is read.
      await Promise.resolve()
        .then(() => d.pipeline.verifierAcces(ctx, 'opi.importer'))
        .catch(refuser);
      const recu = await recevoir(req, d).catch(refuser);
      temporaires.push(...recu.fichiers.map((f) => f.fichier));
      const valeur = (nom: string) => (typeof req.query[nom] === 'string' ? (req.query[nom] as string) : recu.champs[nom]);
      const imp = await preparerImport(recu.fichiers, valeur, { dossier: d.dossier, paires: d.paires, temporaires }).catch(refuser);
      const x = await d.pipeline.executer<EtatJob>(ctx, 'opi.importer', imp.entree, {
        charge: imp.empreintes,
        idempotence: idempotenceDe(req, imp.empreinteRequete),
        controle: imp.controle,
        reponse: (job) => ({ statut: 202, corps: { ...job, liens: liens(job.id) } }),
      });
      // Accepted: the job owns its files now (the main one was moved, the other is named in its parameters).
      if (!x.rejouee) imp.confier();
      const id = (x.corps as { id: string }).id;
      res.location(`/api/v1/jobs/${id}`);
      if (x.rejouee) res.setHeader('Idempotent-Replayed', 'true');
      res.status(x.statut).json(x.corps);
    } finally {
      await Promise.all(temporaires.map((f) => fs.rm(f, { force: true })));
    }
  });

  return r;
}

function liens(id: string) {
  return {
    etat: `/api/v1/jobs/${id}`,
    rejets: `/api/v1/jobs/${id}/rejets`,
    rejetsCsv: `/api/v1/jobs/${id}/rejets?format=csv`,
    annulation: `/api/v1/jobs/${id}/annulation`,
  };
}

async function recevoir(req: Request, d: DependancesImports): Promise<{ fichiers: FichierRecu[]; champs: Record<string, string> }> {
  const dossier = path.join(d.dossier, 'reception');
  if (req.is('multipart/form-data')) return recevoirMultipartPlusieurs(req, dossier, d.tailleMax, ['fichier', 'fichiers']);
  const un = await recevoirCorps(req, dossier, d.tailleMax);
  if (un.taille === 0) {
    await fs.rm(un.fichier, { force: true });
    throw ErreurMetier.une('LOT_VIDE', '');
  }
  return { fichiers: [{ ...un, nomFichier: un.nomFichier ?? (typeof req.query.nomFichier === 'string' ? req.query.nomFichier : undefined) }], champs: {} };
}
