/** REST door of the OPI: parse → the use case (which validates) → JSON, or problem+json. */
import { Router } from 'express';
import type { ServiceOpi } from '../../application/opi';
import type { Operations } from '../../application/operation';
import { contexteDepuis } from './contexte';
import { requeteSimple } from './parametres';
import { exigerJson } from './probleme';

export function routesOpi(opi: ServiceOpi, ops: Operations): Router {
  const r = Router();

  r.put('/opi/:codOpiIntEpo', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const code = String(req.params.codOpiIntEpo);
    const resultat = await ops.executer(ctx, 'opi.enregistrer',
      { cle: code.toUpperCase(), charge: req.body, statutSucces: (x) => (x.resultat === 'CREE' ? 201 : 200) },
      async () => {
        exigerJson(req);
        return opi.enregistrer(req.body, ctx.client, code);
      });
    if (resultat.resultat === 'CREE') res.location(`${req.baseUrl}/opi/${encodeURIComponent(resultat.codOpiIntEpo)}`);
    res.status(resultat.resultat === 'CREE' ? 201 : 200).json(resultat);
  });

  r.get('/opi/:codOpiIntEpo', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const code = String(req.params.codOpiIntEpo).toUpperCase();
    const lue = await ops.executer(ctx, 'opi.lire', { cle: code }, async () => ({ ...(await opi.lire(code)), resultat: 'LU' }));
    const { resultat: _r, ...corps } = lue;
    res.setHeader('Last-Modified', new Date(corps.modifieLe).toUTCString());
    res.json(corps);
  });

  r.get('/opi', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const q = requeteSimple(req);
    const trouves = await ops.executer(ctx, 'opi.rechercher', { charge: q }, async () => {
      const resultats = await opi.rechercher(q);
      return { resultat: 'LU', resultats };
    });
    res.json({ nombre: trouves.resultats.length, resultats: trouves.resultats });
  });

  return r;
}
