/**
 * Optional API-key authentication, the same for both doors. When keys are configured, a call
 * without a valid key is refused (401, or a SOAP fault `technical.security.invaliduser.…`) and
 * journaled; an authenticated call is journaled under its client's name.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';

export function cleFournie(req: Request): { client?: string; cle: string } | undefined {
  const xApiKey = req.get('x-api-key');
  if (xApiKey) return { cle: xApiKey };
  const auth = req.get('authorization') ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) return { cle: bearer[1].trim() };
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic) {
    const texte = Buffer.from(basic[1].trim(), 'base64').toString('utf8');
    const i = texte.indexOf(':');
    if (i > 0) return { client: texte.slice(0, i), cle: texte.slice(i + 1) };
  }
  return undefined;
}

function egal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Resolves the client of a request from its key; undefined when absent or wrong. */
export function authentifier(cles: Map<string, string>, req: Request): string | undefined {
  const fournie = cleFournie(req);
  if (!fournie) return undefined;
  for (const [client, cle] of cles) {
    if ((fournie.client === undefined || fournie.client === client) && egal(fournie.cle, cle)) return client;
  }
  return undefined;
}

/**
 * Sets `req.clientAuthentifie`; with keys configured, a request without a valid one is marked
 * `req.authentificationRefusee` and the door refuses it (REST: 401 problem+json; SOAP: fault).
 */
export function middlewareAuthentification(cles: Map<string, string>) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (cles.size === 0) return next();
    const client = authentifier(cles, req);
    if (client) (req as Request & { clientAuthentifie?: string }).clientAuthentifie = client;
    else (req as Request & { authentificationRefusee?: boolean }).authentificationRefusee = true;
    next();
  };
}

export function estRefusee(req: Request): boolean {
  return (req as Request & { authentificationRefusee?: boolean }).authentificationRefusee === true;
}
