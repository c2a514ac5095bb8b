/** Starts a real gateway (HTTP on a free port) on a fresh database, for integration tests. */
import path from 'node:path';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { demarrer, type Passerelle } from '../../src/server';
import { lireConfig } from '../../src/config';
import { nouvelleBase, type BaseDeTest, type NomBase } from './bases';

export interface PasserelleDeTest {
  url: string;
  p: Passerelle;
  base: BaseDeTest;
  /** The gateway's document store folder. */
  dossierPj: string;
  /** Stops the gateway and drops its database (unless `garderBase`, to restart on it). */
  fermer(options?: { garderBase?: boolean }): Promise<void>;
  /** fetch on the gateway with JSON in and out. */
  json(methode: string, chemin: string, corps?: unknown, entetes?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  /**
   * Runs `f` with a client `nom` created in the database for it (its key in `X-Api-Key` headers given
   * to `f`), then revokes it: while it exists every door requires credentials, after it the gateway
   * is open again (an install without any credential).
   */
  commeClient<T>(nom: string, f: (entetes: Record<string, string>) => Promise<T>, options?: { portees?: string; prefixes?: string }): Promise<T>;
}

export const RACINE = path.resolve(__dirname, '..', '..', '..');

export async function lancer(
  nom: NomBase,
  env: Record<string, string> = {},
  baseExistante?: BaseDeTest,
  options: { cleParDefaut?: string } = {},
): Promise<PasserelleDeTest> {
  const base = baseExistante ?? (await nouvelleBase(nom));
  const dossierLots = `${base.nom === 'sqlite' ? path.dirname(base.config.url) : tmpdir()}/lots-${base.config.url.replace(/\W+/g, '_').slice(-40)}`;
  // The document store beside it: one per database, so that a restart on the same base finds its files.
  const dossierPj = `${dossierLots.replace(/lots-/, 'pj-')}`;
  const config = { ...lireConfig({ LOG_LEVEL: 'error', BULK_DIR: dossierLots, PJ_DIR: dossierPj, ...env }), base: base.config };
  const p = await demarrer(config);
  const port = await p.ecouter(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  // `json` authenticates with this key unless the call says otherwise.
  const parDefaut: Record<string, string> = options.cleParDefaut ? { 'x-api-key': options.cleParDefaut } : {};
  return {
    url,
    p,
    base,
    dossierPj: config.dossierPj,
    async fermer(options = {}) {
      await p.arreter();
      if (!options.garderBase) {
        await base.supprimer();
        rmSync(config.dossierPj, { recursive: true, force: true });
      }
    },
    async commeClient(nom, f, options = {}) {
      const { cle } = await p.services.identites.creerClient(nom, options);
      try {
        return await f({ 'x-api-key': cle });
      } finally {
        await p.services.identites.revoquer(nom);
      }
    },
    async json(methode, chemin, corps, entetes = {}) {
      const r = await fetch(url + chemin, {
        method: methode,
        headers: {
          ...(corps !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(entetes['x-api-key'] || entetes.authorization ? {} : parDefaut),
          ...entetes,
        },
        body: corps === undefined ? undefined : typeof corps === 'string' ? corps : JSON.stringify(corps),
      });
      const texte = await r.text();
      let body: unknown = texte;
      try {
        body = JSON.parse(texte);
      } catch {
        /* not JSON */
      }
      return { status: r.status, body, headers: r.headers };
    },
  };
}

/** In a describe: a gateway started before its tests and closed after them; the accessor gives it. */
export function passerelleDuBloc(nom: NomBase, env: Record<string, string> = {}): () => PasserelleDeTest {
  let gw: PasserelleDeTest | undefined;
  before(async () => {
    gw = await lancer(nom, env);
  });
  after(async () => {
    await gw?.fermer();
  });
  return () => gw!;
}
