/** REST door of replay, retention and personal data: HTTP in → the pipeline → JSON (or, for an export, a zip). */
import { Router } from 'express';
import type { Pipeline } from '../../application/pipeline';
import type { EtatJob } from '../../application/jobs/moteur';
import type { ExportPersonne, ServiceRgpd } from '../../application/rgpd';
import { ErreurMetier, probleme } from '../../domain/errors';
import { contexteDepuis } from './contexte';
import { exigerJson } from './probleme';
import { ecrireArchive } from '../rgpd/archive-export';

const oui = (v: unknown) => v === 'true' || v === '1' || v === true;

export function routesJournal(pipeline: Pipeline, rgpd: ServiceRgpd): Router {
  const r = Router();

  // Bulk replay: a filter in a JSON body, a job on the shared engine (its state at /api/v1/jobs/{id}).
  r.post('/journal/rejouer', async (req, res) => {
    const x = await pipeline.executer<EtatJob>(contexteDepuis(req, 'REST'), 'journal.rejouerEnMasse', req.body ?? {}, { controle: () => exigerJson(req) });
    const job = x.valeur!;
    res.location(`/api/v1/jobs/${job.id}`);
    res.status(202).json({ ...job, liens: { etat: `/api/v1/jobs/${job.id}`, rejets: `/api/v1/jobs/${job.id}/rejets` } });
  });

  r.post('/journal/:id/rejouer', async (req, res) => {
    const entree = { id: String(req.params.id), forcer: oui(req.query.forcer), simulation: oui(req.query.simulation) };
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'journal.rejouer', entree)).valeur);
  });

  r.post('/conservation/purge', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'retention.purger', { simulation: oui(req.query.simulation) })).valeur);
  });

  r.post('/rgpd/purge', async (req, res) => {
    const x = await pipeline.executer(contexteDepuis(req, 'REST'), 'rgpd.purger', req.body ?? {}, { controle: () => exigerJson(req) });
    res.json(x.valeur);
  });

  // `format=zip`: the JSON document and the PJ files in one archive; by default the JSON alone.
  r.get('/rgpd/export', async (req, res) => {
    const format = typeof req.query.format === 'string' ? req.query.format : 'json';
    const x = await pipeline.executer<ExportPersonne>(
      contexteDepuis(req, 'REST'),
      'rgpd.exporter',
      { individu: req.query.individu },
      {
        controle: () => {
          if (format !== 'json' && format !== 'zip')
            throw new ErreurMetier([probleme('PARAMETRE_INVALIDE', 'format', { detail: 'format : json (défaut) ou zip' })], 400);
        },
      },
    );
    const exp = x.valeur!;
    if (format === 'json') return void res.json(exp);
    res.type('application/zip').attachment(`export-${exp.individu.replace(/\W+/g, '-')}.zip`);
    await ecrireArchive(exp, (e) => rgpd.fichier(e), res, { avecJson: true });
  });

  return r;
}
