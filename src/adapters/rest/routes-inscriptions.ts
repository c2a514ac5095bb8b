/** REST door of the administrative enrolments (IA). */
import { Router } from 'express';
import type { ServiceInscriptions } from '../../application/inscriptions';
import type { ServiceIdempotence } from '../../application/idempotence';
import type { Operations } from '../../application/operation';
import { jsonStable, sha256 } from '../../domain/empreinte';
import { contexteDepuis } from './contexte';
import { idDe, requeteSimple } from './parametres';
import { exigerJson } from './probleme';


export function routesInscriptions(ia: ServiceInscriptions, ops: Operations, idempotence: ServiceIdempotence): Router {
  const r = Router();

  r.post('/inscriptions', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    exigerJson(req);
    const rep = await idempotence.executer(ctx.client, req.get('idempotency-key'), 'ia.creer', sha256(jsonStable(req.body)), async () => {
      const x = await ops.executer(ctx, 'ia.creer', { charge: req.body, statutSucces: (y) => (y.resultat === 'CREEE' ? 201 : 200) },
        () => ia.creer(req.body, ctx));
      return { statut: x.resultat === 'CREEE' ? 201 : 200, corps: { resultat: x.resultat, inscription: x.inscription } };
    });
    const id = (rep.corps as { inscription: { id: number } }).inscription.id;
    res.location(`/api/v1/inscriptions/${id}`);
    if (rep.rejouee) res.setHeader('Idempotent-Replayed', 'true');
    res.status(rep.statut).json(rep.corps);
  });

  r.get('/inscriptions/:id', async (req, res) => {
    res.json(await ops.lire(contexteDepuis(req, 'REST'), 'ia.lire', { cle: String(req.params.id) }, () => ia.lire(idDe(req.params.id))));
  });

  r.get('/inscriptions/:id/evenements', async (req, res) => {
    res.json({ evenements: await ia.evenements(idDe(req.params.id)) });
  });

  r.get('/inscriptions', async (req, res) => {
    const q = requeteSimple(req);
    res.json(await ops.lire(contexteDepuis(req, 'REST'), 'ia.rechercher', { charge: q }, () => ia.rechercher(q)));
  });

  const changement = (chemin: string, operation: string, faire: (id: number, corps: unknown, ctx: ReturnType<typeof contexteDepuis>) => Promise<{ resultat: string; inscription: unknown }>) => {
    r.post(`/inscriptions/:id/${chemin}`, async (req, res) => {
      const ctx = contexteDepuis(req, 'REST');
      const id = idDe(req.params.id);
      if (chemin !== 'validation') exigerJson(req);
      const x = await ops.executer(ctx, operation, { cle: String(id), charge: req.body ?? {} }, () => faire(id, req.body, ctx));
      res.json(x);
    });
  };
  changement('paiement', 'ia.payer', (id, corps, ctx) => ia.payer(id, corps, ctx));
  changement('validation', 'ia.valider', (id, _corps, ctx) => ia.valider(id, ctx));
  changement('annulation', 'ia.annuler', (id, corps, ctx) => ia.annuler(id, corps, ctx));

  return r;
}
