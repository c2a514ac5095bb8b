/** A real gateway process (`dist/src/server.js`) on a test database, and the big Parcoursup file the kill tests import. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BaseDeTest } from './bases';
import { RACINE } from './passerelle';

/**
 * Starts the gateway on `port` (folders under `dossier`, `env` added) and resolves once `/ready` answers;
 * rejects at once, with the end of its stderr, if it stops first (a port taken), or after 60 s.
 * One process unless `env.WORKERS` says otherwise (the tests that kill "a node" kill that process).
 */
export function processusPasserelle(base: BaseDeTest, dossier: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const p = spawn(process.execPath, [path.join(RACINE, 'dist', 'src', 'server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: base.nom === 'sqlite' ? `sqlite:${base.config.url}` : base.config.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      BULK_DIR: path.join(dossier, 'lots'),
      PJ_DIR: path.join(dossier, 'pj'),
      WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The end of what it writes on stderr (read all along, so that it never blocks): said if it fails to start.
  let fin = '';
  p.stderr?.setEncoding('utf8').on('data', (m: string) => {
    fin = (fin + m).slice(-2000);
  });
  // The pipe keeps nothing alive that the child itself did not already.
  (p.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  return new Promise((ok, ko) => {
    const t0 = Date.now();
    let pret = false;
    // A process that stops before it is ready (a port taken, a configuration refused) is said at once, with why.
    p.once('exit', (code, signal) => {
      if (!pret) ko(new Error(`la passerelle s'est arrêtée au démarrage (${signal ?? `code ${code}`}, port ${port}) : ${fin.trim()}`));
    });
    const essayer = () => {
      if (p.exitCode !== null || p.signalCode !== null) return;
      // Each probe bounded: a port held by something that never answers must not hang the probe.
      fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => {
          if (!r.ok) return void setTimeout(essayer, 100);
          pret = true;
          ok(p);
        },
        () =>
          Date.now() - t0 > 60_000
            ? ko(new Error(`la passerelle ne démarre pas en 60 s (port ${port})${fin.trim() ? ` : ${fin.trim()}` : ''}`))
            : setTimeout(essayer, 100),
      );
    };
    essayer();
  });
}

/** A Parcoursup management export of `lignes` distinct candidates numbered from `premier`. */
export function exportParcoursup(lignes: number, premier: number): string {
  const modele = readFileSync(path.join(RACINE, 'fixtures', 'parcoursup', 'gestion-export.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const exemple = modele[1].split(';');
  const rangs = Array.from({ length: lignes }, (_, i) => {
    const v = [...exemple];
    v[0] = String(premier + i);
    v[5] = '';
    v[4] = `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2007`;
    v[2] = `Nom${i}`;
    return v.join(';');
  });
  return [modele[0], ...rangs].join('\n');
}
