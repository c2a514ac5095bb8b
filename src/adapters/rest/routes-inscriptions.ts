/** REST door of the administrative enrolments (IA). */
import { Router } from 'express';
import type { Pipeline } from '../../application/pipeline';
import type { InscriptionLue, ResultatCreationInscription } from '../../domain/inscription/types';
import { jsonStable, sha256 } from '../../domain/empreinte';
import { contexteDepuis, idempotenceDe } from './contexte';
import { requeteSimple } from './parametres';
import { exigerJson } from './probleme';

export function routesInscriptions(pipeline: Pipeline): Router {
  const r = Router();

  r.post('/inscriptions', async (req, res) => {
    const x = await pipeline.executer<ResultatCreationInscription>(contexteDepuis(req, 'REST'), 'ia.creer', req.body, {
      controle: () => exigerJson(req),
      idempotence: idempotenceDe(req, sha256(jsonStable(req.body ?? null))),
      reponse: (y) => ({ statut: y.resultat === 'CREEE' ? 201 : 200, corps: { resultat: y.resultat, inscription: y.inscription } }),
    });
    res.location(`/api/v1/inscriptions/${(x.corps as { inscription: { id: number } }).inscription.id}`);
    if (x.rejouee) res.setHeader('Idempotent-Replayed', 'true');
    res.status(x.statut).json(x.corps);
  });

  r.get('/inscriptions/:id', async (req, res) => {
    res.json((await pipeline.executer<InscriptionLue>(contexteDepuis(req, 'REST'), 'ia.lire', String(req.params.id))).valeur);
  });

  r.get('/inscriptions/:id/evenements', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'ia.evenements', String(req.params.id))).valeur);
  });

  r.get('/inscriptions', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'ia.rechercher', requeteSimple(req))).valeur);
  });

  for (const [chemin, operation] of [
    ['paiement', 'ia.payer'],
    ['validation', 'ia.valider'],
    ['annulation', 'ia.annuler'],
  ] as const) {
    r.post(`/inscriptions/:id/${chemin}`, async (req, res) => {
      const x = await pipeline.executer(
        contexteDepuis(req, 'REST'),
        operation,
        { id: String(req.params.id), corps: req.body ?? {} },
        {
          controle: () => {
            if (chemin !== 'validation') exigerJson(req);
          },
        },
      );
      res.json(x.valeur);
    });
  }

  return r;
}
