/** Nomenclatures and the audit journal, read-only. */
import { lireLimite } from '../../application/pagination';
import { Router } from 'express';
import type { ServiceNomenclatures } from '../../application/nomenclatures';
import type { DepotJournal } from '../../persistence/depot-journal';
import { ErreurMetier } from '../../domain/errors';

export function routesNomenclatures(nom: ServiceNomenclatures): Router {
  const r = Router();
  r.get('/nomenclatures', async (_req, res) => {
    res.json({ nomenclatures: await nom.lister() });
  });
  r.get('/nomenclatures/:nom', async (req, res) => {
    const codes = await nom.codes(String(req.params.nom));
    const enService = req.query.enService;
    res.json({ nom: req.params.nom, codes: enService === 'true' ? codes.filter((c) => c.enService) : codes });
  });
  return r;
}

function date(v: unknown, champ: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw ErreurMetier.une('PARAMETRE_INVALIDE', champ, { detail: `${champ} : date ou date-heure ISO attendue` });
  return d;
}

export function routesJournal(journal: DepotJournal): Router {
  const r = Router();
  r.get('/journal', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const limite = lireLimite(q.limite, 100, 1000);
    const avant = q.avant === undefined ? undefined : Number(q.avant);
    if (avant !== undefined && !Number.isInteger(avant)) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'avant', { detail: 'avant : un identifiant entier' });
    const entrees = await journal.lire({
      depuis: date(q.depuis, 'depuis'), jusqua: date(q.jusqua, 'jusqua'), porte: q.porte?.toUpperCase(), operation: q.operation,
      client: q.client, cle: q.cle?.toUpperCase(), resultat: q.resultat?.toUpperCase(), requestId: q.requestId, avant, limite,
    });
    const lignes = entrees.map((e) => ({
      ...e, recuLe: new Date(e.recuLe).toISOString(), codes: e.codes ? e.codes.split(',') : [],
      details: e.details ? JSON.parse(e.details) : undefined,
    }));
    res.json({ entrees: lignes, suivant: entrees.length === limite ? entrees[entrees.length - 1].id : null });
  });
  return r;
}
