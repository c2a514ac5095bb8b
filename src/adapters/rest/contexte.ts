/** Request id, caller identity and the idempotency demand, the same for every door. */
import { randomUUID } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';
import type { ContexteAppel, DemandeIdempotence, Porte } from '../../application/pipeline';
import { identiteDe } from './authentification';

/** Keeps a sane incoming `X-Request-Id` (a proxy's), else makes one; echoes it in the response. */
export function idRequete(req: Request, res: Response, next: NextFunction): void {
  const recu = req.get('x-request-id');
  const id = recu && /^[\w.:-]{1,64}$/.test(recu) ? recu : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/** The caller is who authenticated, never a name the request declares (`X-Client-Id` is ignored). */
export function contexteDepuis(req: Request, porte: Porte): ContexteAppel {
  const identite = identiteDe(req);
  return {
    porte,
    client: identite?.nom ?? 'anonyme',
    portees: identite?.portees,
    prefixesOpi: identite?.prefixesOpi,
    requestId: String(req.headers?.['x-request-id'] ?? randomUUID()),
    adresse: req.ip ?? req.socket?.remoteAddress,
  };
}

/** The `Idempotency-Key` of a request, with the hash of what makes the request. */
export function idempotenceDe(req: Request, empreinte: string): DemandeIdempotence | undefined {
  const cle = req.get('idempotency-key');
  return cle === undefined ? undefined : { cle, empreinte };
}
