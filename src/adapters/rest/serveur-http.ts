/**
 * The HTTP server, with the timeouts a public service needs and a shutdown that loses nothing:
 * - headers must arrive within `delaiEntetesMs` (a client that sends half a request line and waits is
 *   cut); a body may take as long as it needs, but no byte for `delaiInactiviteMs` cuts it (a steady
 *   upload of 200 MiB on a slow link passes, a stalled one does not hold its socket);
 * - shutdown: stop accepting, close idle keep-alive connections, let requests in progress finish (their
 *   answers say `Connection: close`; a request arriving meanwhile on a kept-alive connection gets 503
 *   ARRET_EN_COURS), and cut what is left at the deadline. The database is closed only after, so a
 *   request that was answered has its journal row.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express, NextFunction, Request, Response } from 'express';
import { ErreurMetier, probleme } from '../../domain/errors';

export interface OptionsServeurHttp {
  delaiEntetesMs: number;
  delaiInactiviteMs: number;
}

export interface ServeurHttp {
  serveur: Server;
  /** First middleware of the app: tracks requests in progress, refuses new ones during shutdown. */
  suivi(req: Request, res: Response, next: NextFunction): void;
  /** Graceful close within `delaiMs`; resolves with the number of requests cut at the deadline. */
  fermer(delaiMs: number): Promise<number>;
}

export function creerServeurHttp(app: Express, o: OptionsServeurHttp): ServeurHttp {
  const serveur = http.createServer(
    {
      headersTimeout: o.delaiEntetesMs,
      // No bound on a whole request: a long steady upload is legitimate; stalls are cut by the idle timeout.
      requestTimeout: 0,
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(o.delaiEntetesMs / 2))),
    },
    app,
  );
  serveur.keepAliveTimeout = 65_000;
  const enCours = new Map<ServerResponse, IncomingMessage>();
  const parSocket = new WeakMap<Socket, IncomingMessage>();
  let fermeture = false;
  let vide: (() => void) | undefined;

  // A listener on the server: sockets are not destroyed on idleness by default, only those whose
  // request body stalled (a server busy answering, or an idle keep-alive socket, are left alone).
  serveur.setTimeout(o.delaiInactiviteMs, (socket: Socket) => {
    const req = parSocket.get(socket);
    if (req && !req.complete) socket.destroy();
  });

  const suivi = (req: Request, res: Response, next: NextFunction): void => {
    if (fermeture) {
      res.shouldKeepAlive = false;
      return next(new ErreurMetier([probleme('ARRET_EN_COURS', '')], 503));
    }
    enCours.set(res, req);
    parSocket.set(req.socket, req);
    res.on('close', () => {
      enCours.delete(res);
      if (fermeture && enCours.size === 0) vide?.();
    });
    next();
  };

  return {
    serveur,
    suivi,
    async fermer(delaiMs) {
      fermeture = true;
      const ferme = new Promise<void>((resolve) => serveur.close(() => resolve()));
      serveur.closeIdleConnections();
      for (const res of enCours.keys()) if (!res.headersSent) res.shouldKeepAlive = false;
      let coupees = 0;
      if (enCours.size > 0) {
        await new Promise<void>((resolve) => {
          vide = resolve;
          const t = setTimeout(() => {
            coupees = enCours.size;
            resolve();
          }, delaiMs);
          t.unref();
        });
      }
      // Whatever is left (requests past the deadline, keep-alive sockets between two requests).
      serveur.closeAllConnections();
      await ferme;
      return coupees;
    },
  };
}
