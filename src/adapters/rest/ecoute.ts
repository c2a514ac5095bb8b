/**
 * Where the gateway listens, secure by default: with no credential at all (no client, no account, no
 * `API_KEYS`) it listens on loopback only and says so; listening elsewhere then needs credentials, or
 * an explicit `AUTH=desactivee`. The metrics can have a loopback listener of their own (`METRICS_PORT`).
 */
import http, { type Server } from 'node:http';
import type { Config } from '../../config';
import type { ServiceIdentites } from '../../application/identites';
import type { Logger } from '../../observability/logger';

export function estBouclage(hote: string): boolean {
  return hote === 'localhost' || hote === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hote);
}

export class EcouteRefusee extends Error {}

export async function adresseDEcoute(config: Pick<Config, 'hoteDemande' | 'authDesactivee'>, identites: ServiceIdentites, logger: Logger): Promise<string> {
  if (config.authDesactivee) {
    logger.warn('AUTH=desactivee : aucune authentification, toutes les portes sont ouvertes à qui atteint cette adresse', {
      hote: config.hoteDemande ?? '127.0.0.1',
    });
    return config.hoteDemande ?? '127.0.0.1';
  }
  if (await identites.configuree()) return config.hoteDemande ?? '0.0.0.0';
  if (config.hoteDemande && !estBouclage(config.hoteDemande)) {
    throw new EcouteRefusee(
      `HOST=${config.hoteDemande} sans aucun identifiant : la passerelle serait ouverte à tous. Créez un client `
        + '(npm run clients -- creer <nom> --portees …) ou donnez API_KEYS=client:clé, ou, sur un poste de développement seulement, AUTH=desactivee.',
    );
  }
  logger.warn("aucun identifiant configuré : écoute sur l'adresse de bouclage seulement, sans authentification (npm run clients -- creer … pour ouvrir)", {
    hote: config.hoteDemande ?? '127.0.0.1',
  });
  return config.hoteDemande ?? '127.0.0.1';
}

export function ecouterMetriques(port: number, texte: () => Promise<string>, logger: Logger): Promise<Server> {
  const serveur = http.createServer(async (req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(await texte());
    } else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('GET /metrics\n');
  });
  return new Promise((resolve, reject) => {
    serveur.once('error', reject);
    serveur.listen(port, '127.0.0.1', () => {
      logger.info('métriques sur un port de bouclage', { url: `http://127.0.0.1:${port}/metrics` });
      resolve(serveur);
    });
  });
}
