/**
 * Rate limits (express-rate-limit), after authentication and before any body is read: an authenticated
 * caller has its own budget per minute (`RATE_LIMIT_CLIENT`), a request without valid credentials
 * counts against its source address (`RATE_LIMIT_ADRESSE`; the address as `TRUST_PROXY` says). An
 * install without any credential (loopback only) has no limit. Counters are in memory per node, or in
 * Redis (`REDIS_URL`) so that several nodes share one budget; a Redis that fails lets requests through
 * (logged): the limits protect the service, they must not stop it. Over the limit: 429 with
 * `Retry-After` and the code TROP_DE_REQUETES (a SOAP Fault body on /ws), journaled aggregated.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { ClusterMemoryStoreWorker } from '@express-rate-limit/cluster-memory-store';
import { estOuvrier } from '../../grappe';
import { createClient } from 'redis';
import { ErreurMetier, probleme } from '../../domain/errors';
import type { Pipeline } from '../../application/pipeline';
import type { Logger } from '../../observability/logger';
import { estAnonymeRefuse, estRefusee, identiteDe } from './authentification';
import { contexteDepuis } from './contexte';

export interface OptionsDebit {
  parClient: number;
  parAdresse: number;
  /** Whether unauthenticated requests are limited at all (false on an open loopback install). */
  limiterAnonymes: () => boolean;
  redisUrl?: string;
}

export interface LimiteurDebit {
  middleware: RequestHandler;
  fermer(): Promise<void>;
}

const FENETRE_MS = 60_000;
const CHEMIN_PARCOURSUP = '/api/v1/parcoursup/admissionCandidat';
/** Requests handed on once to the SOAP door's WS-Security reading. */
const enWss = new WeakSet<Request>();

export async function limiteurDebit(o: OptionsDebit, pipeline: Pick<Pipeline, 'refuserDebit'>, logger: Logger): Promise<LimiteurDebit> {
  // While Redis is away, commands fail at once (no offline queue) and the limiter lets requests through.
  const redis = o.redisUrl
    ? createClient({ url: o.redisUrl, disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: (n) => Math.min(n * 200, 5000) } })
    : undefined;
  if (redis) {
    redis.on('error', (err) => logger.warn('Redis des limites de débit injoignable', { err: String(err) }));
    // At start, a REDIS_URL that answers nothing is a configuration error, said at once (not a hang).
    const connexion = redis.connect();
    const delai = new Promise<never>((_r, rejeter) =>
      setTimeout(() => rejeter(new Error(`REDIS_URL=${o.redisUrl} ne répond pas (5 s) : démarrez Redis ou retirez REDIS_URL.`)), 5000).unref(),
    );
    try {
      await Promise.race([connexion, delai]);
    } catch (err) {
      connexion.catch(() => undefined);
      await redis.destroy();
      throw err;
    }
  }
  // Redis for several nodes; without it, the processes of one machine share the primary's counters; one process its own.
  const magasin = (prefixe: string): Store | undefined =>
    redis
      ? new RedisStore({ prefix: `passerelle:debit:${prefixe}:`, sendCommand: (...args: string[]) => redis.sendCommand(args) })
      : estOuvrier()
        ? new ClusterMemoryStoreWorker({ prefix: `passerelle:debit:${prefixe}:` })
        : undefined;

  const refus = (qui: string, max: number) => (req: Request, res: Response, next: NextFunction) => {
    const ctx = contexteDepuis(req, req.path.startsWith('/ws/') ? 'SOAP' : 'REST');
    const attente = res.getHeader('Retry-After') ?? String(FENETRE_MS / 1000);
    const erreur = new ErreurMetier([probleme('TROP_DE_REQUETES', '', { max, qui, attente })], 429);
    // A route template, never the raw path (no OPI number probed ends up in the journal or the metrics).
    pipeline.refuserDebit(ctx, req.path.startsWith('/ws/') ? req.path.slice(4).split('/')[0] || 'ws' : 'debit', erreur);
    next(erreur);
  };
  const commun = { windowMs: FENETRE_MS, standardHeaders: 'draft-7' as const, legacyHeaders: false, passOnStoreError: true };
  const parClient = rateLimit({
    ...commun,
    limit: o.parClient,
    store: magasin('client'),
    keyGenerator: (req) => `c:${identiteDe(req)?.nom ?? ''}`,
    handler: (req, res, next) => refus(`le client ${identiteDe(req)?.nom}`, o.parClient)(req, res, next),
  });
  const parAdresse = rateLimit({
    ...commun,
    limit: o.parAdresse,
    store: magasin('adresse'),
    keyGenerator: (req) => `a:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'inconnue')}`,
    handler: (req, res, next) => refus(`l'adresse ${req.ip}`, o.parAdresse)(req, res, next),
  });

  const middleware: RequestHandler = (req, res, next) => {
    if (req.path === '/health' || req.path === '/ready') return next();
    // Parcoursup authenticates in the body (at most 64 KiB read before that check): from here its pushes
    // look anonymous, and one address's budget would throttle a whole admission wave.
    if (req.path === CHEMIN_PARCOURSUP) return next();
    if (identiteDe(req)) return o.parClient > 0 ? parClient(req, res, next) : next();
    // A SOAP request without HTTP credentials may carry a WS-Security token: its door calls this again once it has read it.
    if (req.path.startsWith('/ws/') && estAnonymeRefuse(req) && !estRefusee(req) && !enWss.has(req)) {
      enWss.add(req);
      return next();
    }
    if ((estRefusee(req) || estAnonymeRefuse(req) || o.limiterAnonymes()) && o.parAdresse > 0) return parAdresse(req, res, next);
    next();
  };
  return {
    middleware,
    async fermer() {
      if (redis?.isOpen) await redis.quit().catch(() => undefined);
    },
  };
}
