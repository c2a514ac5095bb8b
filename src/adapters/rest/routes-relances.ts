/**
 * REST door of the reminder of missing supporting documents: `POST /api/v1/pj/relances` runs it now
 * (one run at a time across nodes: else 409 RELANCE_EN_COURS), `?simulation=true` lists who would be
 * written to and sends nothing. 200 with the run's report.
 */
import { Router } from 'express';
import type { Pipeline } from '../../application/pipeline';
import type { RapportRelances } from '../../application/relances-pj';
import { ErreurMetier } from '../../domain/errors';
import { contexteDepuis } from './contexte';

/** `simulation`: absent, `false` or `0` → a real run; `true` or `1` → a simulation; anything else is refused. */
function simulationDe(brut: unknown): boolean {
  if (brut === undefined || brut === 'false' || brut === '0') return false;
  if (brut === 'true' || brut === '1') return true;
  throw ErreurMetier.une('PARAMETRE_INVALIDE', 'simulation', { detail: 'simulation : true ou false' });
}

export function routesRelances(pipeline: Pipeline): Router {
  const r = Router();
  r.post('/pj/relances', async (req, res) => {
    const entree = { simulation: false };
    const x = await pipeline.executer<RapportRelances>(contexteDepuis(req, 'REST'), 'pj.relancer', entree, {
      charge: { simulation: req.query.simulation ?? null },
      // Read as the pipeline's own check: a bad value is refused and journaled like any input.
      controle: () => {
        entree.simulation = simulationDe(req.query.simulation);
      },
    });
    res.status(x.statut).json(x.valeur);
  });
  return r;
}
