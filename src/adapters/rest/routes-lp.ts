/** REST door of the laissez-passer, the bulk loads (jobs) and the access query. */
import { Router, type Request, type Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { lireMode, type ServiceLp } from '../../application/laissez-passer';
import type { ServiceChargements } from '../../application/chargements';
import { COLONNES_LP } from '../../application/chargements';
import type { ServiceAcces } from '../../application/acces';
import type { ServiceIdempotence } from '../../application/idempotence';
import type { Operations } from '../../application/operation';
import { ErreurMetier, probleme } from '../../domain/errors';
import { jsonStable, sha256 } from '../../domain/empreinte';
import { modele, versCsv, type FormatLot } from '../batch/lecteurs';
import { contexteDepuis } from './contexte';
import { idDe, requeteSimple } from './parametres';
import { exigerJson } from './probleme';

export interface DependancesLp {
  lp: ServiceLp;
  chargements: ServiceChargements;
  acces: ServiceAcces;
  idempotence: ServiceIdempotence;
  ops: Operations;
  tailleMaxLot: number;
}

const TYPES_XLSX = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'];

function formatDe(req: Request): { format: FormatLot; encodage?: 'utf-8' | 'windows-1252' } {
  const demande = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : undefined;
  const type = (req.get('content-type') ?? '').toLowerCase();
  const charset = /charset=([\w-]+)/.exec(type)?.[1];
  const encodage = charset === undefined ? undefined
    : ['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'iso-8859-15'].includes(charset) ? 'windows-1252' as const : 'utf-8' as const;
  if (demande === 'csv' || demande === 'xlsx' || demande === 'json') return { format: demande, encodage };
  if (type.startsWith('text/csv') || type.startsWith('application/csv') || type.startsWith('text/plain')) return { format: 'csv', encodage };
  if (TYPES_XLSX.some((t) => type.startsWith(t))) return { format: 'xlsx' };
  if (type.startsWith('application/json')) return { format: 'json' };
  throw new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: type || 'absent' })], 415);
}

/** Streams the request body to a file (bounded), hashing it on the way. */
async function recevoirFichier(req: Request, dossier: string, max: number): Promise<{ fichier: string; empreinte: string; taille: number }> {
  await fs.mkdir(dossier, { recursive: true });
  const fichier = path.join(dossier, `recu-${randomUUID()}`);
  const hash = createHash('sha256');
  let taille = 0;
  const compteur = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      taille += chunk.length;
      if (taille > max) return cb(new ErreurMetier([probleme('CORPS_TROP_VOLUMINEUX', '', { max: `${max} octets` })], 413));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(req, compteur, createWriteStream(fichier));
  } catch (err) {
    await fs.rm(fichier, { force: true });
    throw err instanceof ErreurMetier ? err : new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'envoi du fichier interrompu' })], 400);
  }
  if (taille === 0) {
    await fs.rm(fichier, { force: true });
    throw ErreurMetier.une('LOT_VIDE', '');
  }
  return { fichier, empreinte: hash.digest('hex'), taille };
}

function envoyer(res: Response, r: { statut: number; corps: unknown; rejouee: boolean }): void {
  if (r.rejouee) res.setHeader('Idempotent-Replayed', 'true');
  res.status(r.statut).json(r.corps);
}

export function routesLp(d: DependancesLp): Router {
  const r = Router();

  r.get('/laissez-passer/modele.:format', async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx') throw ErreurMetier.une('RESSOURCE_INTROUVABLE', 'format', { ressource: `modele.${format}` });
    const exemple = { typLpa: 'IAPRIMO', codAnu: '2026', numOPI: 'EC26000001', codEtu: '', codEtp: 'MINF1', codVrsVet: '2', codDip: 'MINF', codVrsVdi: '2',
      codRgi: '1', codStu: '01', libCmtLpa: 'Admis en M1 après commission', codCatOuiSi: '', mtfCat: '', codCatExoExt: 'DN', ine: '', codCge: 'SCI',
      dateDebutValidite: '', dateFinValidite: '' };
    const colonnes = COLONNES_LP.filter((c) => c !== 'codOpiIntEpo');
    const contenu = await modele(format, colonnes, exemple);
    res.setHeader('Content-Disposition', `attachment; filename="modele-laissez-passer.${format}"`);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : TYPES_XLSX[0]).send(contenu);
  });

  r.post('/laissez-passer/bulk', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const mode = lireMode(req.query.mode);
    const { format, encodage } = formatDe(req);
    const attendre = req.query.attendre === 'true' || req.query.attendre === '1';
    const recu = await recevoirFichier(req, d.chargements.dossier, d.tailleMaxLot);
    const nomFichier = typeof req.query.nomFichier === 'string' ? req.query.nomFichier : req.get('x-file-name') ?? undefined;
    try {
      const reponse = await d.idempotence.executer(ctx.client, req.get('idempotency-key'), 'lp.charger', sha256(`${mode}|${format}|${recu.empreinte}`), async () => {
        const job = await d.ops.executer(ctx, 'lp.charger', { charge: recu.empreinte }, async () => ({
          ...(await d.chargements.accepter(recu.fichier, { format, mode, encodage, nomFichier, empreinte: recu.empreinte }, ctx.client, ctx.requestId)),
          resultat: 'ACCEPTE',
        }));
        const { resultat: _r, ...corps } = job;
        return { statut: 202, corps: { ...corps, liens: liensJob(job.id) } };
      });
      const id = (reponse.corps as { id: string }).id;
      res.location(`/api/v1/jobs/${id}`);
      if (!attendre) return envoyer(res, reponse);
      const fin = await d.chargements.attendre(id, 10 * 60_000);
      res.status(fin.finLe ? 200 : 202).json({ ...fin, liens: liensJob(id), rejets: await premiersRejets(d, id) });
    } finally {
      await fs.rm(recu.fichier, { force: true });
    }
  });

  // A list in one call, answered item by item in order (the REST twin of the SOAP bulk operation).
  r.post('/laissez-passer/lot', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const mode = lireMode(req.query.mode);
    if (!req.is('application/json')) throw new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: req.get('content-type') ?? 'absent' })], 415);
    if (!Array.isArray(req.body)) throw new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'un tableau JSON de laissez-passer est attendu' })], 400);
    const items = req.body as unknown[];
    const reponse = await d.idempotence.executer(ctx.client, req.get('idempotency-key'), 'lp.enregistrerEnMasse', sha256(`${mode}|${jsonStable(items)}`), async () => {
      const { resultats, bilan } = await d.ops.executer(ctx, 'lp.enregistrerEnMasse', { charge: items }, async () => {
        const r = await d.lp.enregistrerListe(items, ctx.client, mode, '');
        return { ...r, resultat: r.bilan.resultat };
      });
      const { resultat: _resultat, ...compteurs } = bilan;
      const corps = {
        mode, ...compteurs,
        resultats: resultats.map((x) => ({ rang: x.rang, statut: x.statut, ...(x.id !== undefined ? { id: x.id } : {}), ...(x.problemes?.length ? { erreurs: x.problemes } : {}) })),
      };
      return { statut: 200, corps };
    });
    envoyer(res, reponse);
  });

  r.post('/laissez-passer', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    exigerJson(req);
    const reponse = await d.idempotence.executer(ctx.client, req.get('idempotency-key'), 'lp.enregistrer', sha256(jsonStable(req.body)), async () => {
      const r1 = await d.ops.executer(ctx, 'lp.enregistrer', { charge: req.body, statutSucces: (x) => (x.resultat === 'CREE' ? 201 : 200) },
        () => d.lp.enregistrer(req.body, ctx.client));
      return { statut: r1.resultat === 'CREE' ? 201 : 200, corps: { resultat: r1.resultat, id: r1.id, laissezPasser: r1.laissezPasser } };
    });
    if (reponse.statut === 201) res.location(`/api/v1/laissez-passer/${(reponse.corps as { id: number }).id}`);
    envoyer(res, reponse);
  });

  r.get('/laissez-passer', async (req, res) => {
    const q = requeteSimple(req);
    res.json(await d.ops.lire(contexteDepuis(req, 'REST'), 'lp.rechercher', { charge: q }, () => d.lp.rechercher(q)));
  });

  r.get('/laissez-passer/:id', async (req, res) => {
    res.json(await d.ops.lire(contexteDepuis(req, 'REST'), 'lp.lire', { cle: String(req.params.id) }, () => d.lp.lire(idDe(req.params.id))));
  });

  r.delete('/laissez-passer/:id', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const id = idDe(req.params.id);
    await d.ops.executer(ctx, 'lp.supprimer', { cle: String(id) }, () => d.lp.supprimer(id));
    res.status(204).end();
  });

  r.get('/jobs/:id', async (req, res) => {
    const id = String(req.params.id);
    res.json({ ...(await d.chargements.etat(id)), liens: liensJob(id), rejets: await premiersRejets(d, id) });
  });

  r.get('/jobs/:id/rejets', async (req, res) => {
    const id = String(req.params.id);
    const csv = req.query.format === 'csv' || (req.get('accept') ?? '').includes('text/csv');
    if (!csv) {
      const apres = Number(req.query.apres ?? 0);
      const lignes = await d.chargements.rejets(id, Number.isInteger(apres) ? apres : 0, 1000);
      res.json({ rejets: lignes.map(versRejet), suivant: lignes.length === 1000 ? lignes[lignes.length - 1].numLigne : null });
      return;
    }
    // The CSV report: every rejected row, one line per problem, with the row's values to correct and resend.
    res.setHeader('Content-Disposition', `attachment; filename="rejets-${id}.csv"`);
    res.type('text/csv; charset=utf-8');
    let apres = 0;
    let premier = true;
    for (;;) {
      const lignes = await d.chargements.rejets(id, apres, 1000);
      const sortie = lignes.flatMap((l) => {
        const valeurs = JSON.parse(l.valeurs ?? '{}') as Record<string, unknown>;
        return (JSON.parse(l.problemes) as { code: string; path: string; message: string }[]).map((p) => ({
          ligne: l.numLigne, code: p.code, chemin: p.path, message: p.message, ...Object.fromEntries(COLONNES_LP.map((c) => [c, valeurs[c] ?? ''])),
        }));
      });
      const texte = versCsv(['ligne', 'code', 'chemin', 'message', ...COLONNES_LP], sortie);
      // versCsv writes a BOM and a header each time: keep them for the first page only.
      res.write(premier ? texte : texte.replace(/^\uFEFF?[^\r\n]*\r?\n/, ''));
      premier = false;
      if (lignes.length < 1000) break;
      apres = lignes[lignes.length - 1].numLigne;
    }
    res.end();
  });

  r.get('/acces', async (req, res) => {
    const q = requeteSimple(req);
    res.json(await d.ops.lire(contexteDepuis(req, 'REST'), 'acces.consulter', { cle: q.codOpiIntEpo ?? q.codEtu ?? q.ine, charge: q }, () => d.acces.consulter(q)));
  });

  return r;
}


function liensJob(id: string) {
  return { etat: `/api/v1/jobs/${id}`, rejets: `/api/v1/jobs/${id}/rejets`, rejetsCsv: `/api/v1/jobs/${id}/rejets?format=csv`, laissezPasser: `/api/v1/laissez-passer?jobId=${id}` };
}

function versRejet(l: { numLigne: number; problemes: string; valeurs: string | null }) {
  return { ligne: l.numLigne, erreurs: JSON.parse(l.problemes), valeurs: l.valeurs ? JSON.parse(l.valeurs) : null };
}

async function premiersRejets(d: DependancesLp, id: string) {
  return (await d.chargements.rejets(id, 0, 100)).map(versRejet);
}
