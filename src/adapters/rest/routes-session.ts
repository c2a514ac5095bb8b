/**
 * The console's sign-in: `POST /session` with an account's identifier and password (JSON or an HTML
 * form), `GET /session` (who, role, scopes, the CSRF token), `DELETE /session` (sign-out); with
 * `CAS_URL`, `GET /session/cas` sends the browser to the establishment's CAS and `/session/cas/retour`
 * opens the session of the account CAS vouched for. The cookie is HttpOnly, SameSite=Strict, Secure
 * over HTTPS; it holds a random token whose SHA-256 only is stored.
 */
import express, { Router, type Request, type Response } from 'express';
import type { ServiceSessions, SessionOuverte } from '../../application/sessions';
import { PORTEES } from '../../domain/securite';
import { ErreurMetier, probleme } from '../../domain/errors';
import type { ClientCas } from '../cas/client-cas';
import { COOKIE_SESSION, cookieDe, estCsrfRefuse, sessionDe } from './authentification';
import { contexteDepuis } from './contexte';

export interface DependancesSession {
  sessions: ServiceSessions;
  cookieSecure: 'auto' | 'oui' | 'non';
  cas?: ClientCas;
  /** How users reach the gateway (CAS service URL); default: from the request. */
  urlPublique?: string;
}

/** Where the browser may be sent back after CAS: a path of the gateway, never another site. */
function retourSur(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[\w\-./?=&%#]*$/.test(v) ? v : '/console/';
}

export function routesSession(d: DependancesSession): Router {
  const r = Router();
  const secure = (req: Request) => (d.cookieSecure === 'auto' ? req.secure : d.cookieSecure === 'oui');
  const poserCookie = (req: Request, res: Response, s: SessionOuverte) => {
    res.cookie(COOKIE_SESSION, s.jeton, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
      path: '/',
      maxAge: s.expireLe.getTime() - Date.now(),
    });
  };
  const decrire = (s: { compte: string; role: string; csrf: string }, portees: Iterable<string>) => ({
    compte: s.compte,
    role: s.role,
    portees: [...portees].includes('admin') ? [...PORTEES] : [...portees].sort(),
    csrf: s.csrf,
    inactiviteS: Math.round(d.sessions.options.inactiviteMs / 1000),
    cas: d.cas !== undefined,
  });

  // A small body, JSON or an HTML form's.
  const corpsConnexion = [express.json({ limit: '8kb' }), express.urlencoded({ extended: false, limit: '8kb' })];
  r.post('/session', ...corpsConnexion, async (req, res) => {
    const ctx = contexteDepuis(req, 'REST');
    const corps = (req.body ?? {}) as Record<string, unknown>;
    const identifiant = typeof corps.identifiant === 'string' ? corps.identifiant.trim() : '';
    const motDePasse = typeof corps.motDePasse === 'string' ? corps.motDePasse : '';
    // A wrong password is a 401 the error handler counts per address and minute, like every refusal before authentication.
    const s = await d.sessions.ouvrir(identifiant, motDePasse, ctx.requestId);
    poserCookie(req, res, s);
    const lue = await d.sessions.lire(s.jeton);
    res.status(201).json(decrire(s, lue?.identite.portees ?? []));
  });

  // Public: what the sign-in page offers.
  r.get('/session/options', (_req, res) => {
    res.json({ cas: d.cas !== undefined });
  });

  r.get('/session', (req, res) => {
    const s = sessionDe(req);
    if (!s) throw new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401);
    res.json(decrire({ compte: s.session.compte, role: s.identite.role ?? s.session.role, csrf: s.csrf }, s.identite.portees));
  });

  r.delete('/session', async (req, res) => {
    if (estCsrfRefuse(req)) throw new ErreurMetier([probleme('CSRF_INVALIDE', '')], 403);
    const jeton = cookieDe(req, COOKIE_SESSION);
    if (jeton && sessionDe(req)) await d.sessions.fermer(jeton, contexteDepuis(req, 'REST').requestId);
    res.clearCookie(COOKIE_SESSION, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req) });
    res.status(204).end();
  });

  const service = (req: Request, retour: string) =>
    `${d.urlPublique ?? `${req.protocol}://${req.get('host')}`}/api/v1/session/cas/retour?retour=${encodeURIComponent(retour)}`;

  r.get('/session/cas', (req, res) => {
    if (!d.cas) throw ErreurMetier.une('CAS_NON_CONFIGURE');
    res.redirect(302, d.cas.urlConnexion(service(req, retourSur(req.query.retour))));
  });

  r.get('/session/cas/retour', async (req, res) => {
    if (!d.cas) throw ErreurMetier.une('CAS_NON_CONFIGURE');
    const ctx = contexteDepuis(req, 'REST');
    const retour = retourSur(req.query.retour);
    const identifiant = await d.cas.valider(service(req, retour), typeof req.query.ticket === 'string' ? req.query.ticket : '');
    const s = await d.sessions.ouvrirPourCompte(identifiant, 'cas', ctx.requestId);
    poserCookie(req, res, s);
    res.redirect(302, retour);
  });

  return r;
}
