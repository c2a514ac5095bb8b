/**
 * REST door of the outbox (notifications the gateway owes other systems: Parcoursup's
 * `majInscriptionAdministrative`): `GET /api/v1/notifications?etat=&cle=&limite=&avant=` lists them,
 * newest first; `POST /api/v1/notifications/{id}/relance` makes one in ECHEC (or waiting for its
 * backoff) due now, with a fresh count of attempts.
 */
import { Router } from 'express';
import type { Pipeline } from '../../application/pipeline';
import { contexteDepuis } from './contexte';
import { requeteSimple } from './parametres';

export function routesNotifications(pipeline: Pipeline): Router {
  const r = Router();
  r.get('/notifications', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'notifications.lister', requeteSimple(req))).valeur);
  });
  r.post('/notifications/:id/relance', async (req, res) => {
    const x = await pipeline.executer(contexteDepuis(req, 'REST'), 'notifications.relancer', String(req.params.id));
    res.status(x.statut).json(x.valeur);
  });
  return r;
}
