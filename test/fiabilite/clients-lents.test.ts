/**
 * Slow clients and shutdown, on a real gateway process: stalled headers and stalled bodies are cut
 * within their timeouts, a steady slow body is not; SIGTERM with keep-alive clients and a stalled
 * uploader connected ends the process by its deadline, in-flight requests answered, later ones refused.
 * (Bounds here are hang detectors, generous on purpose; speed belongs in the benchmarks.)
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { RACINE } from '../helpers/passerelle';

const CLE = 'cle-des-tests-lents-0001';

interface Processus {
  enfant: ChildProcess;
  port: number;
  sortie: Promise<{ code: number | null; ms: number }>;
  sigterm(): number;
}

async function demarrerProcessus(dossier: string, env: Record<string, string>): Promise<Processus> {
  const enfant = spawn(process.execPath, [path.join(RACINE, 'dist', 'src', 'server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${path.join(dossier, 'gw.sqlite')}`,
      BULK_DIR: path.join(dossier, 'lots'),
      PJ_DIR: path.join(dossier, 'pj'),
      PORT: '0',
      HOST: '127.0.0.1',
      API_KEYS: `tests:${CLE}`,
      LOG_LEVEL: 'info',
      // The test run silences its own logs; this process must print its start line (its port).
      LOG_SILENT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let sigtermA = 0;
  const sortie = new Promise<{ code: number | null; ms: number }>((resolve) => enfant.on('exit', (code) => resolve({ code, ms: Date.now() - sigtermA })));
  const port = await new Promise<number>((resolve, reject) => {
    let tampon = '';
    const t = setTimeout(() => reject(new Error(`la passerelle ne démarre pas : ${tampon.slice(-500)}`)), 60_000);
    enfant.stdout!.on('data', (c: Buffer) => {
      tampon += c.toString();
      const m = /"message":"passerelle démarrée".*?"port":(\d+)|"port":(\d+).*?"message":"passerelle démarrée"/.exec(tampon);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1] ?? m[2]));
      }
    });
    enfant.stderr!.on('data', (c: Buffer) => {
      tampon += c.toString();
    });
    enfant.on('exit', () => reject(new Error(`la passerelle s'est arrêtée au démarrage : ${tampon.slice(-500)}`)));
  });
  return {
    enfant,
    port,
    sortie,
    sigterm() {
      sigtermA = Date.now();
      enfant.kill('SIGTERM');
      return sigtermA;
    },
  };
}

/** Resolves with how long the server took to close a socket that sent `envoi` and then nothing more. */
function tempsAvantCoupure(port: number, envoi: string, borneMs: number): Promise<number | 'jamais'> {
  return new Promise((resolve) => {
    const debut = Date.now();
    const s = net.connect(port, '127.0.0.1', () => s.write(envoi));
    s.on('data', () => undefined);
    const t = setTimeout(() => {
      s.destroy();
      resolve('jamais');
    }, borneMs);
    s.on('close', () => {
      clearTimeout(t);
      resolve(Date.now() - debut);
    });
    s.on('error', () => undefined);
  });
}

describe('clients lents et arrêt (processus réel, SQLite)', function () {
  let dossier: string;
  let p: Processus | undefined;
  beforeEach(() => {
    dossier = mkdtempSync(path.join(tmpdir(), 'gw-lents-'));
  });
  afterEach(async () => {
    if (p && p.enfant.exitCode === null) {
      p.enfant.kill('SIGKILL');
      await p.sortie;
    }
    p = undefined;
    rmSync(dossier, { recursive: true, force: true });
  });

  it('en-têtes incomplets coupés après HEADERS_TIMEOUT_MS ; corps arrêté coupé après BODY_IDLE_TIMEOUT_MS ; corps lent mais régulier servi', async () => {
    p = await demarrerProcessus(dossier, { HEADERS_TIMEOUT_MS: '600', BODY_IDLE_TIMEOUT_MS: '800' });
    const entetes = await tempsAvantCoupure(p.port, 'POST /api/v1/laissez-passer HTTP/1.1\r\nHost: x\r\n', 10_000);
    expect(entetes).to.not.equal('jamais');
    const corps = await tempsAvantCoupure(
      p.port,
      `POST /api/v1/laissez-passer HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${CLE}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"typLpa":`,
      10_000,
    );
    expect(corps).to.not.equal('jamais');
    console.log(`      en-têtes incomplets coupés en ${entetes} ms, corps arrêté coupé en ${corps} ms`);
    // 24 bytes, one every 150 ms (3.6 s in all, never 800 ms without a byte): served.
    const texte = `{"typLpa":"REINS"}      `;
    const statut = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          port: p!.port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/v1/laissez-passer',
          headers: { 'x-api-key': CLE, 'content-type': 'application/json', 'content-length': texte.length },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      let i = 0;
      const envoyer = () => {
        if (i >= texte.length) return req.end();
        req.write(texte[i++]);
        setTimeout(envoyer, 150);
      };
      envoyer();
    });
    expect(statut).to.equal(422);
    // Still alive.
    expect((await fetch(`http://127.0.0.1:${p.port}/health`)).status).to.equal(200);
  });

  it('SIGTERM avec 15 clients keep-alive et un envoi arrêté branché : le processus sort avant SHUTDOWN_TIMEOUT_MS + marge, code 0 ; après le signal, plus de réponse 200', async () => {
    p = await demarrerProcessus(dossier, { SHUTDOWN_TIMEOUT_MS: '3000', BODY_IDLE_TIMEOUT_MS: '600000' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 15 });
    let sigterm = 0;
    const apres = { ok: 0, refus503: 0, erreurs: 0 };
    let avant = 0;
    let arret = false;
    const client = async () => {
      while (!arret) {
        const r = await new Promise<number>((resolve) => {
          const req = http.get({ port: p!.port, host: '127.0.0.1', path: '/api/v1/nomenclatures', agent, headers: { 'x-api-key': CLE } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', () => resolve(-1));
        });
        if (!sigterm) avant++;
        else if (r === 200) apres.ok++;
        else if (r === 503) apres.refus503++;
        else apres.erreurs++;
        if (sigterm && r === -1) return;
      }
    };
    const lent = net.connect(p.port, '127.0.0.1', () =>
      lent.write(`POST /api/v1/laissez-passer HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${CLE}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`),
    );
    lent.on('error', () => undefined);
    const clients = Array.from({ length: 15 }, client);
    await new Promise((r) => setTimeout(r, 1500));
    p.sigterm();
    sigterm = Date.now();
    const fin = await p.sortie;
    arret = true;
    await Promise.all(clients);
    agent.destroy();
    lent.destroy();
    console.log(
      `      avant le signal ${avant} requêtes ; après : ${apres.ok} × 200 (en cours au signal), ${apres.refus503} × 503, ${apres.erreurs} refusées à la connexion ; sortie en ${fin.ms} ms, code ${fin.code}`,
    );
    expect(avant).to.be.greaterThan(15);
    expect(fin.code).to.equal(0);
    expect(fin.ms).to.be.below(3000 + 10_000);
    // Served after the signal: those in flight, and those that came before the process handled it (a
    // few milliseconds) — not the thousands a shutdown that keeps serving keep-alive clients would.
    expect(apres.ok).to.be.below(avant);
    expect(apres.refus503 + apres.erreurs).to.be.at.least(15);
  });
});
