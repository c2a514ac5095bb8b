/** REST door of the OPI: HTTP in → the pipeline (which validates) → JSON, or problem+json. */
import { Router } from 'express';
import type { Pipeline } from '../../application/pipeline';
import type { ResultatUpsertOpi, OpiLue } from '../../application/opi';
import { contexteDepuis } from './contexte';
import { requeteSimple } from './parametres';
import { exigerJson } from './probleme';

export function routesOpi(pipeline: Pipeline): Router {
  const r = Router();

  r.put('/opi/:codOpiIntEpo', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const codOpiIntEpo = String(req.params.codOpiIntEpo);
    const x = await pipeline.executer<ResultatUpsertOpi>(
      ctx,
      'opi.enregistrer',
      { corps: req.body, codOpiIntEpo },
      { charge: req.body, controle: () => exigerJson(req) },
    );
    const resultat = x.valeur!;
    if (resultat.resultat === 'CREE') res.location(`${req.baseUrl}/opi/${encodeURIComponent(resultat.codOpiIntEpo)}`);
    res.status(x.statut).json(resultat);
  });

  r.get('/doublons', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'doublons.lister', requeteSimple(req))).valeur);
  });

  r.post('/doublons/:id/decision', async (req, res) => {
    const x = await pipeline.executer(
      contexteDepuis(req, 'REST'),
      'doublons.decider',
      { id: String(req.params.id), corps: req.body },
      { controle: () => exigerJson(req) },
    );
    res.json(x.valeur);
  });

  r.get('/opi/:codOpiIntEpo', async (req, res) => {
    const lue = (await pipeline.executer<OpiLue>(contexteDepuis(req, 'REST'), 'opi.lire', String(req.params.codOpiIntEpo))).valeur!;
    res.setHeader('Last-Modified', new Date(lue.modifieLe).toUTCString());
    res.json(lue);
  });

  r.get('/opi', async (req, res) => {
    const { resultats } = (await pipeline.executer<{ resultats: OpiLue[] }>(contexteDepuis(req, 'REST'), 'opi.rechercher', requeteSimple(req))).valeur!;
    res.json({ nombre: resultats.length, resultats });
  });

  return r;
}
