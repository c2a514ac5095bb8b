/** Nomenclatures and the audit journal, read-only. */
import { Router } from 'express';
import type { Pipeline } from '../../application/pipeline';
import { contexteDepuis } from './contexte';
import { requeteSimple } from './parametres';

export function routesReference(pipeline: Pipeline): Router {
  const r = Router();
  r.get('/nomenclatures', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'nomenclatures.lister', undefined)).valeur);
  });
  r.get('/nomenclatures/:nom', async (req, res) => {
    res.json(
      (await pipeline.executer(contexteDepuis(req, 'REST'), 'nomenclatures.lire', { nom: String(req.params.nom), enService: req.query.enService === 'true' }))
        .valeur,
    );
  });
  r.get('/statistiques', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'statistiques.lire', requeteSimple(req))).valeur);
  });
  r.get('/journal', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'journal.lire', requeteSimple(req))).valeur);
  });
  return r;
}
