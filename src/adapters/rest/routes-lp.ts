/** REST door of the laissez-passer, the bulk loads (jobs) and the access query. */
import { Router, type Request, type Response } from 'express';
import { promises as fs } from 'node:fs';
import { lireMode, type LaissezPasserLu, type ResultatListeLp, type ResultatLp } from '../../application/laissez-passer';
import { COLONNES_FICHIER_LP } from '../../application/champs';
import type { ContexteAppel, Pipeline } from '../../application/pipeline';
import type { EtatJob, MoteurJobs } from '../../application/jobs/moteur';
import { TYPE_CHARGEMENT_LP } from '../../application/jobs/chargement-lp';
import type { RejetLigne } from '../../application/enregistrements';
import { ErreurMetier, probleme } from '../../domain/errors';
import { jsonStable, sha256 } from '../../domain/empreinte';
import { modele, versCsv } from '../batch/lecteurs';
import { modeleXlsxLp, type ListeCodes } from '../batch/modele-xlsx';
import { AIDE_LP } from '../batch/aide-lp';
import type { FormatLot } from '../../application/ports';
import { contexteDepuis, idempotenceDe } from './contexte';
import { recevoirCorps, recevoirMultipart } from './reception';
import { requeteSimple } from './parametres';
import { exigerJson } from './probleme';

export interface DependancesLp {
  pipeline: Pipeline;
  /** Where uploads wait, and job states for `attendre=true`. */
  moteur: MoteurJobs;
  tailleMaxLot: number;
}

const TYPES_XLSX = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'];

/** The format a file's name says (an HTML form's upload carries no useful type). */
function formatDuNom(nom: string | undefined): FormatLot | undefined {
  const ext = /\.(csv|txt|xlsx|json)$/i.exec(nom ?? '')?.[1]?.toLowerCase();
  return ext === 'txt' ? 'csv' : (ext as FormatLot | undefined);
}

function formatDe(req: Request): { format: FormatLot; encodage?: 'utf-8' | 'windows-1252' } {
  const demande = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : undefined;
  const type = (req.get('content-type') ?? '').toLowerCase();
  const charset = /charset=([\w-]+)/.exec(type)?.[1];
  const encodage =
    charset === undefined
      ? undefined
      : ['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'iso-8859-15'].includes(charset)
        ? ('windows-1252' as const)
        : ('utf-8' as const);
  if (demande === 'csv' || demande === 'xlsx' || demande === 'json') return { format: demande, encodage };
  if (type.startsWith('text/csv') || type.startsWith('application/csv') || type.startsWith('text/plain')) return { format: 'csv', encodage };
  if (TYPES_XLSX.some((t) => type.startsWith(t))) return { format: 'xlsx' };
  if (type.startsWith('application/json')) return { format: 'json' };
  throw new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: type || 'absent' })], 415);
}

/**
 * The uploaded file, streamed to disk — the raw body, or the part `fichier` of a multipart/form-data
 * (an HTML form), whose format then comes from `?format=` or the file's name; an empty one is refused
 * here (no job for nothing).
 */
async function recevoirFichier(req: Request, dossier: string, max: number, format: FormatLot | undefined) {
  const recu = req.is('multipart/form-data') ? await recevoirMultipart(req, dossier, max, 'fichier') : await recevoirCorps(req, dossier, max);
  const lu = format ?? formatDuNom(recu.nomFichier);
  const refus =
    recu.taille === 0
      ? ErreurMetier.une('LOT_VIDE', '')
      : !lu
        ? new ErreurMetier(
            [probleme('TYPE_CONTENU_NON_SUPPORTE', 'fichier', { type: `fichier ${recu.nomFichier ?? 'sans nom'} (CSV, XLSX ou JSON attendu)` })],
            415,
          )
        : undefined;
  if (refus || !lu) {
    await fs.rm(recu.fichier, { force: true });
    throw refus;
  }
  return { ...recu, format: lu };
}

/** The codes in service of each coded column of the template, read through the nomenclatures' operation. */
async function listesDeCodes(pipeline: Pipeline, ctx: ContexteAppel): Promise<ListeCodes[]> {
  type Code = { code?: string; codEtp?: string; codVrsVet?: number; libelle?: string };
  const lire = async (nom: string) =>
    ((await pipeline.executer<{ codes: Code[] }>(ctx, 'nomenclatures.lire', { nom, enService: true }).catch(() => ({ valeur: { codes: [] } }))).valeur?.codes
      ?? []) as Code[];
  const simples = (nom: string) => async () => (await lire(nom)).map((c) => ({ code: String(c.code), libelle: c.libelle ?? '' }));
  const etapes = await lire('etapes');
  const uniques = (l: { code: string; libelle: string }[]) => [...new Map(l.map((x) => [x.code, x])).values()];
  return [
    {
      colonne: 'typLpa',
      codes: [
        { code: 'IAPRIMO', libelle: 'première inscription (OPI)' },
        { code: 'REINS', libelle: 'réinscription (numéro étudiant)' },
      ],
    },
    { colonne: 'codEtp', codes: uniques(etapes.map((e) => ({ code: String(e.codEtp), libelle: e.libelle ?? '' }))) },
    { colonne: 'codVrsVet', codes: uniques(etapes.map((e) => ({ code: String(e.codVrsVet), libelle: `version ${e.codVrsVet}` }))) },
    { colonne: 'codRgi', codes: await simples('regimes')() },
    { colonne: 'codStu', codes: await simples('statuts')() },
    { colonne: 'codCatOuiSi', codes: await simples('categories-oui-si')() },
    { colonne: 'codCatExoExt', codes: await simples('situations-droits')() },
    { colonne: 'codCge', codes: await simples('centres-gestion')() },
  ];
}

export function routesLp(d: DependancesLp): Router {
  const r = Router();
  const { pipeline } = d;

  r.get('/laissez-passer/modele.:format', async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx') throw ErreurMetier.une('RESSOURCE_INTROUVABLE', 'format', { ressource: `modele.${format}` });
    const exemple = {
      typLpa: 'IAPRIMO',
      codAnu: '2026',
      numOPI: 'EC26000001',
      codEtu: '',
      codEtp: 'MINF1',
      codVrsVet: '2',
      codDip: 'MINF',
      codVrsVdi: '2',
      codRgi: '1',
      codStu: '01',
      libCmtLpa: 'Admis en M1 après commission',
      codCatOuiSi: '',
      mtfCat: '',
      codCatExoExt: 'DN',
      ine: '',
      codCge: 'SCI',
      dateDebutValidite: '',
      dateFinValidite: '',
    };
    const colonnes = COLONNES_FICHIER_LP.filter((c) => c !== 'codOpiIntEpo');
    const contenu =
      format === 'csv'
        ? await modele(format, colonnes, exemple)
        : await modeleXlsxLp(colonnes, exemple, await listesDeCodes(pipeline, contexteDepuis(req, 'REST')), AIDE_LP);
    res.setHeader('Content-Disposition', `attachment; filename="modele-laissez-passer.${format}"`);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : TYPES_XLSX[0]).send(contenu);
  });

  r.post('/laissez-passer/bulk', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    // Refused before the body is read (journaled as lp.charger), and the upload is not kept.
    const refuser = async (err: unknown) => {
      if (err instanceof ErreurMetier) await pipeline.refuser(ctx, 'lp.charger', err);
      return Promise.reject(err);
    };
    const {
      mode,
      format: formatDemande,
      encodage,
    } = await (async () => {
      pipeline.verifierAcces(ctx, 'lp.charger');
      const multipart = req.is('multipart/form-data');
      const demande = typeof req.query.format === 'string' ? req.query.format : undefined;
      return { mode: lireMode(req.query.mode), ...(multipart && !demande ? { format: undefined, encodage: undefined } : formatDe(req)) };
    })().catch(refuser);
    const simulation = req.query.simulation === 'true' || req.query.simulation === '1';
    const attendre = req.query.attendre === 'true' || req.query.attendre === '1';
    const recu = await recevoirFichier(req, d.moteur.dossier, d.tailleMaxLot, formatDemande).catch(refuser);
    const format = recu.format;
    // `apercu=N` (with attendre): the file's first N rows as read, beside the report (the console's preview).
    const n = attendre ? Math.min(50, Math.max(0, Math.trunc(Number(req.query.apercu ?? 0)) || 0)) : 0;
    const apercu = n
      ? (await d.moteur.premieresLignes(TYPE_CHARGEMENT_LP, recu.fichier, { format, encodage }, n).catch(() => [])).map((l) => ({
          ligne: l.numLigne,
          valeurs: l.valeurs,
        }))
      : undefined;
    const nomFichier = typeof req.query.nomFichier === 'string' ? req.query.nomFichier : (req.get('x-file-name') ?? recu.nomFichier);
    try {
      const x = await pipeline.executer<EtatJob>(
        ctx,
        'lp.charger',
        { fichier: recu.fichier, options: { format, mode, encodage, nomFichier, empreinte: recu.empreinte, simulation } },
        {
          charge: recu.empreinte,
          idempotence: idempotenceDe(req, sha256(`${mode}|${format}|${simulation}|${recu.empreinte}`)),
          reponse: (job) => ({ statut: 202, corps: { ...job, liens: liensJob(job.id) } }),
        },
      );
      const id = (x.corps as { id: string }).id;
      res.location(`/api/v1/jobs/${id}`);
      if (!attendre) return envoyer(res, x);
      const fin = await d.moteur.attendre(id, 10 * 60_000);
      res.status(fin.finLe ? 200 : 202).json({ ...fin, liens: liensJob(id), rejets: await premiersRejets(d, id), ...(apercu ? { apercu } : {}) });
    } finally {
      await fs.rm(recu.fichier, { force: true });
    }
  });

  // A list in one call, answered item by item in order (the REST twin of the SOAP bulk operation).
  r.post('/laissez-passer/lot', async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const items = Array.isArray(req.body) ? (req.body as unknown[]) : [];
    const entree = { items, mode: 'partiel' as ReturnType<typeof lireMode>, cheminListe: '' };
    const x = await pipeline.executer<ResultatListeLp>(ctx, 'lp.enregistrerEnMasse', entree, {
      charge: req.body,
      controle: () => {
        entree.mode = lireMode(req.query.mode);
        if (!req.is('application/json'))
          throw new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: req.get('content-type') ?? 'absent' })], 415);
        if (!Array.isArray(req.body))
          throw new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'un tableau JSON de laissez-passer est attendu' })], 400);
      },
      idempotence: idempotenceDe(req, sha256(`${String(req.query.mode ?? 'partial').toLowerCase()}|${jsonStable(items)}`)),
      reponse: ({ resultats, bilan }) => {
        const { resultat: _resultat, ...compteurs } = bilan;
        return {
          statut: 200,
          corps: {
            mode: entree.mode,
            ...compteurs,
            resultats: resultats.map((y) => ({
              rang: y.rang,
              statut: y.statut,
              ...(y.id !== undefined ? { id: y.id } : {}),
              ...(y.problemes?.length ? { erreurs: y.problemes } : {}),
            })),
          },
        };
      },
    });
    envoyer(res, x);
  });

  r.post('/laissez-passer', async (req, res) => {
    const x = await pipeline.executer<ResultatLp>(contexteDepuis(req, 'REST'), 'lp.enregistrer', req.body, {
      controle: () => exigerJson(req),
      idempotence: idempotenceDe(req, sha256(jsonStable(req.body ?? null))),
      reponse: (y) => ({ statut: y.resultat === 'CREE' ? 201 : 200, corps: { resultat: y.resultat, id: y.id, laissezPasser: y.laissezPasser } }),
    });
    if (x.statut === 201) res.location(`/api/v1/laissez-passer/${(x.corps as { id: number }).id}`);
    envoyer(res, x);
  });

  r.get('/laissez-passer', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'lp.rechercher', requeteSimple(req))).valeur);
  });

  // Fixed paths of a resource collection are not ids: `GET /laissez-passer/bulk` or `/lot` is a wrong method, not a bad id.
  for (const chemin of ['/laissez-passer/bulk', '/laissez-passer/lot']) {
    r.all(chemin, (req, res) => {
      res.setHeader('Allow', 'POST');
      throw new ErreurMetier([probleme('METHODE_NON_AUTORISEE', '', { methode: req.method, ressource: req.path, autorisees: 'POST' })], 405);
    });
  }

  r.get('/laissez-passer/:id', async (req, res) => {
    res.json((await pipeline.executer<LaissezPasserLu>(contexteDepuis(req, 'REST'), 'lp.lire', String(req.params.id))).valeur);
  });

  r.delete('/laissez-passer/:id', async (req, res) => {
    await pipeline.executer(contexteDepuis(req, 'REST'), 'lp.supprimer', String(req.params.id));
    res.status(204).end();
  });

  r.get('/jobs', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'jobs.lister', requeteSimple(req))).valeur);
  });

  r.get('/jobs/:id', async (req, res) => {
    const id = String(req.params.id);
    const etat = (await pipeline.executer<EtatJob>(contexteDepuis(req, 'REST'), 'jobs.lire', id)).valeur!;
    res.json({ ...etat, liens: liensJob(id), rejets: await premiersRejets(d, id) });
  });

  r.post('/jobs/:id/annulation', async (req, res) => {
    const x = await pipeline.executer<{ resultat: string; job: EtatJob }>(contexteDepuis(req, 'REST'), 'jobs.annuler', String(req.params.id));
    res.status(x.statut).json(x.valeur);
  });

  r.get('/jobs/:id/rejets', async (req, res) => {
    const id = String(req.params.id);
    const ctx = contexteDepuis(req, 'REST');
    const page = async (apres: number) => (await pipeline.executer<RejetLigne[]>(ctx, 'jobs.rejets', { id, apres, limite: 1000 })).valeur!;
    const csv = req.query.format === 'csv' || (req.get('accept') ?? '').includes('text/csv');
    if (!csv) {
      const apres = Number(req.query.apres ?? 0);
      const lignes = await page(Number.isInteger(apres) ? apres : 0);
      res.json({ rejets: lignes.map(versRejet), suivant: lignes.length === 1000 ? lignes[lignes.length - 1].numLigne : null });
      return;
    }
    // The CSV report: every rejected row, one line per problem, with the row's values to correct and resend.
    const premiere = await page(0);
    // The file's own columns: the LP template's for an LP file, those of the rows for an import.
    const colonnes = premiere.some((l) => l.identifiants)
      ? [...new Set(premiere.flatMap((l) => Object.keys(JSON.parse(l.valeurs ?? '{}') as object)).filter((c) => !c.startsWith('__')))]
      : [...COLONNES_FICHIER_LP];
    const ids = premiere.some((l) => l.identifiants) ? ['candidat', 'codOpiIntEpo'] : [];
    res.setHeader('Content-Disposition', `attachment; filename="rejets-${id}.csv"`);
    res.type('text/csv; charset=utf-8');
    let lignes = premiere;
    let premier = true;
    for (;;) {
      const sortie = lignes.flatMap((l) => {
        const valeurs = JSON.parse(l.valeurs ?? '{}') as Record<string, unknown>;
        const id = l.identifiants ? (JSON.parse(l.identifiants) as { idPlateforme?: string; codOpiIntEpo?: string }) : {};
        return (JSON.parse(l.problemes) as { code: string; path: string; message: string }[]).map((p) => ({
          ligne: l.numLigne,
          ...(ids.length ? { candidat: id.idPlateforme ?? '', codOpiIntEpo: id.codOpiIntEpo ?? '' } : {}),
          code: p.code,
          chemin: p.path,
          message: p.message,
          ...Object.fromEntries(colonnes.map((c) => [c, valeurs[c] ?? ''])),
        }));
      });
      const texte = versCsv(['ligne', ...ids, 'code', 'chemin', 'message', ...colonnes], sortie);
      // versCsv writes a BOM and a header each time: keep them for the first page only.
      res.write(premier ? texte : texte.replace(/^\uFEFF?[^\r\n]*\r?\n/, ''));
      premier = false;
      if (lignes.length < 1000) break;
      lignes = await page(lignes[lignes.length - 1].numLigne);
    }
    res.end();
  });

  r.get('/acces', async (req, res) => {
    res.json((await pipeline.executer(contexteDepuis(req, 'REST'), 'acces.consulter', requeteSimple(req))).valeur);
  });

  return r;
}

function envoyer(res: Response, x: { statut: number; corps?: unknown; rejouee: boolean }): void {
  if (x.rejouee) res.setHeader('Idempotent-Replayed', 'true');
  res.status(x.statut).json(x.corps);
}

function liensJob(id: string) {
  return {
    etat: `/api/v1/jobs/${id}`,
    rejets: `/api/v1/jobs/${id}/rejets`,
    rejetsCsv: `/api/v1/jobs/${id}/rejets?format=csv`,
    laissezPasser: `/api/v1/laissez-passer?jobId=${id}`,
    annulation: `/api/v1/jobs/${id}/annulation`,
  };
}

function versRejet(l: { numLigne: number; problemes: string; valeurs: string | null; identifiants?: string | null }) {
  const ids = l.identifiants ? (JSON.parse(l.identifiants) as { idPlateforme?: string; codOpiIntEpo?: string }) : undefined;
  return {
    ligne: l.numLigne,
    ...(ids ? { candidat: ids.idPlateforme ?? null, codOpiIntEpo: ids.codOpiIntEpo ?? null } : {}),
    erreurs: JSON.parse(l.problemes),
    valeurs: l.valeurs ? JSON.parse(l.valeurs) : null,
  };
}

async function premiersRejets(d: DependancesLp, id: string) {
  return (await d.moteur.rejets(id, 0, 100)).map(versRejet);
}
