/** application/problem+json (RFC 9457) rendering of catalogue errors, with `errors[]` = {code, path, message}. */
import type { Request, Response, NextFunction } from 'express';
import { ErreurMetier, probleme, type Probleme } from '../../domain/errors';
import type { Pipeline } from '../../application/pipeline';
import { contexteDepuis } from './contexte';
import { estAnonymeRefuse, estCsrfRefuse, estRefusee, identiteDe } from './authentification';
import { autorise } from '../../domain/securite';

const TITRES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  404: 'Ressource introuvable',
  405: 'Méthode non autorisée',
  409: 'Conflit',
  413: 'Requête trop volumineuse',
  415: 'Type de contenu non supporté',
  422: 'Données invalides',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

export function envoyerProbleme(req: Request, res: Response, err: ErreurMetier): void {
  const premier = err.problemes[0];
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="candidature-gateway", Basic realm="candidature-gateway"');
  res
    .status(err.status)
    .type('application/problem+json; charset=utf-8')
    .json({
      type: `urn:candidature-gateway:erreur:${premier?.code ?? 'ERREUR_INTERNE'}`,
      title: TITRES[err.status] ?? 'Erreur',
      status: err.status,
      detail: err.problemes.length === 1 ? premier.message : `${err.problemes.length} problèmes : ${err.problemes.map((p) => p.code).join(', ')}.`,
      instance: req.originalUrl,
      requestId: req.headers['x-request-id'],
      errors: err.problemes.map((p: Probleme) => ({ code: p.code, path: p.path, message: p.message })),
    });
}

/** Errors raised by Express itself (body parser…) → catalogue; anything else is already an ErreurMetier or a 500. */
export function gestionnaireErreurs(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  const pipeline = req.app.locals.pipeline as Pipeline | undefined;
  if (err instanceof ErreurMetier && pipeline?.estJournalisee(err)) return envoyerProbleme(req, res, err);
  const refus = err instanceof ErreurMetier ? err : erreurHttp(e);
  if (refus) {
    const envoyer = () => envoyerProbleme(req, res, refus);
    if (!pipeline) return envoyer();
    const ctx = contexteDepuis(req, 'REST');
    const operation = `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`;
    pipeline.refuser(ctx, operation, refus).then(envoyer, envoyer);
    return;
  }
  (req.app.locals.logger as { error: (m: string, o: object) => void } | undefined)?.error('erreur non gérée', {
    requestId: req.headers['x-request-id'],
    err: err instanceof Error ? err.stack : String(err),
  });
  envoyerProbleme(req, res, new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: req.headers['x-request-id'] })], 500));
}

/** Errors raised by Express itself (body parser…) → catalogue errors; undefined for anything else. */
function erreurHttp(e: { type?: string; status?: number; message?: string; limit?: number }): ErreurMetier | undefined {
  if (e?.type === 'entity.parse.failed') return new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'JSON invalide' })], 400);
  if (e?.type === 'entity.too.large') return new ErreurMetier([probleme('CORPS_TROP_VOLUMINEUX', '', { max: `${e.limit} octets` })], 413);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: e.message })], 415);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: e.message ?? 'requête refusée' })], 400);
  }
  return undefined;
}

/** With credentials configured, refuses (401, aggregated in the journal) a request without valid ones. */
export function exigerAuthentification(req: Request, _res: Response, next: NextFunction): void {
  if (!estRefusee(req) && !estAnonymeRefuse(req)) return next();
  if (estCsrfRefuse(req)) return next(new ErreurMetier([probleme('CSRF_INVALIDE', '')], 403));
  next(new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401));
}

/** A JSON body is required and must be an object. */
export function exigerJson(req: Request): void {
  if (!req.is('application/json') && !req.is('application/*+json')) {
    throw new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: req.get('content-type') ?? 'absent' })], 415);
  }
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: 'un objet JSON est attendu' })], 400);
  }
}

/** For routes outside the pipeline (metrics): the caller's scope, 403 with the catalogue's code. */
export function exigerPortee(portee: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const portees = identiteDe(req)?.portees;
    if (!portees || autorise(portees, portee)) return next();
    next(new ErreurMetier([probleme('PORTEE_INSUFFISANTE', '', { operation: `${req.method} ${req.path}`, portee })], 403));
  };
}
