/**
 * Authentication from the request's headers, before any body is read, the same for every door:
 * `Authorization: Bearer <clé>`, `X-Api-Key: <clé>`, or HTTP Basic (`client:clé`, or a staff account's
 * `identifiant:mot de passe`). The request leaves with one of three states: authenticated (`identite`),
 * refused (credentials given and wrong), or anonymous (none given; the door refuses it when credentials
 * exist — a SOAP door first looks for a WS-Security UsernameToken).
 */
import type { Request, Response, NextFunction } from 'express';
import type { Identite, Presente, ServiceIdentites } from '../../application/identites';

interface EtatAuthentification {
  identite?: Identite;
  refusee?: boolean;
  /** Credentials exist: an anonymous request must present some (or a WS-Security header, on SOAP). */
  requise?: boolean;
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

/** Resolves the caller; with `AUTH=desactivee` every request passes as anonymous with every scope. */
export function middlewareAuthentification(identites: ServiceIdentites, desactivee: boolean) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (desactivee) return next();
    try {
      const presente = presenteDans(req);
      const e = etat(req);
      if (presente) {
        const identite = 'cle' in presente && presente.cle === '' ? undefined : await identites.authentifier(presente);
        if (identite) e.identite = identite;
        else e.refusee = true;
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
