/** Request id, caller identity and the idempotency demand, the same for every door. */
import { randomUUID } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';
import type { ContexteAppel, DemandeIdempotence, Porte } from '../../application/pipeline';

/** Keeps a sane incoming `X-Request-Id` (a proxy's), else makes one; echoes it in the response. */
export function idRequete(req: Request, res: Response, next: NextFunction): void {
  const recu = req.get('x-request-id');
  const id = recu && /^[\w.:-]{1,64}$/.test(recu) ? recu : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('X-Request-Id', id);
  next();
}

export function contexteDepuis(req: Request, porte: Porte): ContexteAppel {
  const declare = req.get?.('x-client-id') ?? (req.headers?.['x-client-id'] as string | undefined);
  const client = (req as Request & { clientAuthentifie?: string }).clientAuthentifie ?? (declare && /^[\w.@:-]{1,100}$/.test(declare) ? declare : 'anonyme');
  return { porte, client, requestId: String(req.headers?.['x-request-id'] ?? randomUUID()), adresse: req.ip ?? req.socket?.remoteAddress };
}

/** The `Idempotency-Key` of a request, with the hash of what makes the request. */
export function idempotenceDe(req: Request, empreinte: string): DemandeIdempotence | undefined {
  const cle = req.get('idempotency-key');
  return cle === undefined ? undefined : { cle, empreinte };
}
