/**
 * Authentication from the request's headers, before any body is read, the same for every door:
 * `Authorization: Bearer <clé>`, `X-Api-Key: <clé>`, or HTTP Basic (`client:clé`, or a staff account's
 * `identifiant:mot de passe`). The request leaves with one of three states: authenticated (`identite`),
 * refused (credentials given and wrong), or anonymous (none given; the door refuses it when credentials
 * exist — a SOAP door first looks for a WS-Security UsernameToken). Without header credentials, the
 * console's session cookie: a change (any method but GET, HEAD, OPTIONS) must also carry the session's
 * CSRF token in `X-CSRF-Token`, else the request is refused as if no session were given.
 */
import type { Request, Response, NextFunction } from 'express';
import type { Identite, Presente, ServiceIdentites } from '../../application/identites';
import type { ServiceSessions, SessionLue } from '../../application/sessions';

/** The console's session cookie. */
export const COOKIE_SESSION = 'gw_session';
const SURES = new Set(['GET', 'HEAD', 'OPTIONS']);

interface EtatAuthentification {
  identite?: Identite;
  refusee?: boolean;
  /** Credentials exist: an anonymous request must present some (or a WS-Security header, on SOAP). */
  requise?: boolean;
  session?: SessionLue;
  /** A change under a session cookie without its CSRF token. */
  csrfRefuse?: boolean;
}

const ETATS = new WeakMap<Request, EtatAuthentification>();

function etat(req: Request): EtatAuthentification {
  let e = ETATS.get(req);
  if (!e) ETATS.set(req, (e = {}));
  return e;
}

export function presenteDans(req: Pick<Request, 'get'>): Presente | undefined {
  const xApiKey = req.get('x-api-key');
  if (xApiKey) return { cle: xApiKey.trim() };
  const auth = req.get('authorization') ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) return { cle: bearer[1].trim() };
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic) {
    const texte = Buffer.from(basic[1].trim(), 'base64').toString('utf8');
    const i = texte.indexOf(':');
    // A malformed Basic header is wrong credentials, not none.
    return i > 0 ? { nom: texte.slice(0, i), secret: texte.slice(i + 1) } : { cle: '' };
  }
  return undefined;
}

/** The value of one cookie of the request. */
export function cookieDe(req: Pick<Request, 'get'>, nom: string): string | undefined {
  for (const morceau of (req.get('cookie') ?? '').split(';')) {
    const i = morceau.indexOf('=');
    if (i > 0 && morceau.slice(0, i).trim() === nom) return morceau.slice(i + 1).trim();
  }
  return undefined;
}

/** Resolves the caller; with `AUTH=desactivee` every request passes as anonymous with every scope. */
export function middlewareAuthentification(identites: ServiceIdentites, desactivee: boolean, sessions?: ServiceSessions) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (desactivee) return next();
    try {
      const presente = presenteDans(req);
      const e = etat(req);
      const jeton = presente || !sessions ? undefined : cookieDe(req, COOKIE_SESSION);
      const session = jeton ? await sessions!.lire(jeton) : undefined;
      if (presente) {
        const identite = 'cle' in presente && presente.cle === '' ? undefined : await identites.authentifier(presente);
        if (identite) e.identite = identite;
        else e.refusee = true;
      } else if (session) {
        e.session = session;
        if (SURES.has(req.method) || sessions!.csrfValide(session, req.get('x-csrf-token'))) e.identite = session.identite;
        else e.csrfRefuse = e.refusee = true;
      } else if (await identites.configuree()) e.requise = true;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function identiteDe(req: Request): Identite | undefined {
  return ETATS.get(req)?.identite;
}

/** The console session the request came with (valid, CSRF checked or not needed). */
export function sessionDe(req: Request): SessionLue | undefined {
  return ETATS.get(req)?.session;
}

/** A change came with a session cookie but without its CSRF token. */
export function estCsrfRefuse(req: Request): boolean {
  return ETATS.get(req)?.csrfRefuse === true;
}

/** Sets the identity found another way (a SOAP WS-Security header). */
export function authentifierAutrement(req: Request, identite: Identite | undefined): void {
  const e = etat(req);
  if (identite) {
    e.identite = identite;
    e.requise = false;
  } else e.refusee = true;
}

/** Wrong credentials given. */
export function estRefusee(req: Request): boolean {
  return ETATS.get(req)?.refusee === true;
}

/** No credentials given while some are required. */
export function estAnonymeRefuse(req: Request): boolean {
  return ETATS.get(req)?.requise === true;
}
