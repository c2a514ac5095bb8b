/**
 * What the benchmarks share: a fresh MariaDB database per measurement (created, dropped after), a real
 * gateway process on it (`dist/src/server.js`, the processes WORKERS gives), and what /proc and
 * MariaDB's own counters say of a measured stretch (CPU of every gateway process, peak memory,
 * statements and commits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { optionsConnexion, URL_ADMIN } from './lp-bulk';

export const RACINE = path.resolve(__dirname, '..', '..');

export const mediane = (l: number[]) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];
/** The round whose rate is the median of the rounds'. */
export const tourMedian = <T extends { rowsPerSecond: number }>(l: T[]): T =>
  [...l].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond)[Math.floor(l.length / 2)];
/** The rate ratio a ÷ b of each round (rounds of a and b run back to back), to two decimals. */
export const ratiosParTour = (a: { rowsPerSecond: number }[], b: { rowsPerSecond: number }[]): number[] =>
  a.map((x, i) => Math.round((x.rowsPerSecond / b[i].rowsPerSecond) * 100) / 100);
/** `tours` rounds of `variantes` run one after the other, their order swapped each round (against a drift of the machine). */
export async function enToursAlternes<V>(tours: number, variantes: readonly V[], courir: (v: V) => unknown): Promise<void> {
  for (let t = 0; t < tours; t++) for (const v of t % 2 ? [...variantes].reverse() : variantes) await courir(v);
}
export const arrondi = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
export const attendre = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Runs `f` on a new database `gw_bench_<quoi>_<random>`, dropped afterwards whatever happens. */
export async function avecBase<T>(quoi: string, f: (nom: string, url: string) => Promise<T>): Promise<T> {
  const nom = `gw_bench_${quoi}_${randomBytes(4).toString('hex')}`;
  const cx = await mysql.createConnection(optionsConnexion());
  await cx.query(`CREATE DATABASE \`${nom}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(URL_ADMIN);
  url.pathname = `/${nom}`;
  try {
    return await f(nom, url.toString());
  } finally {
    await cx.query(`DROP DATABASE IF EXISTS \`${nom}\``);
    await cx.end();
  }
}

export interface PasserelleLancee {
  processus: ChildProcess;
  port: number;
  /** The primary and its workers (one pid with WORKERS=1). */
  pids: number[];
  arreter(): Promise<void>;
}

/** Pids of the processes /metrics sums (the workers, or the only process). */
async function pidsServis(port: number): Promise<number[]> {
  const texte = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...texte.matchAll(/^passerelle_processus_rss_octets\{pid="(\d+)"\}/gm)].map((m) => Number(m[1]));
}

/** A gateway process on `url`, ready with every process it was asked for (`workers`: `auto` or a number). */
export async function lancerPasserelle(url: string, port: number, workers: string, env: Record<string, string> = {}): Promise<PasserelleLancee> {
  const p = spawn(process.execPath, [path.join(RACINE, 'dist', 'src', 'server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      RATE_LIMIT_ADRESSE: '0',
      RATE_LIMIT_CLIENT: '0',
      WORKERS: workers,
      ...env,
    },
    stdio: 'ignore',
  });
  const attendus = workers === 'auto' ? (await import('node:os')).availableParallelism() : Number(workers);
  let pids: number[] = [];
  for (let i = 0; i < 600; i++) {
    if (p.exitCode !== null) break;
    const pret = (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok;
    if (pret) {
      pids = await pidsServis(port).catch(() => []);
      if (pids.length >= attendus) break;
    }
    await attendre(100);
  }
  if (pids.length < attendus) {
    p.kill('SIGKILL');
    throw new Error(`la passerelle ne démarre pas (${pids.length}/${attendus} processus)`);
  }
  const tous = attendus > 1 ? [p.pid!, ...pids] : [p.pid!];
  return {
    processus: p,
    port,
    pids: tous,
    async arreter() {
      if (p.exitCode !== null) return;
      p.kill('SIGTERM');
      await new Promise((ok) => p.once('exit', ok));
    },
  };
}

/** User + system CPU seconds of processes so far (Linux /proc). */
export function cpuProcessus(pids: number[]): number {
  let s = 0;
  for (const pid of pids) {
    try {
      const champs = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      s += (Number(champs[11]) + Number(champs[12])) / 100;
    } catch {
      /* gone */
    }
  }
  return s;
}

/** Resident memory of one process now, in MiB (0 if it is gone). */
export function rssMio(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of each process every `ms` until stopped: the peak of each, and the samples. */
export function suivreMemoire(pids: number[], ms = 250): { arreter(): { picMio: Record<number, number>; echantillons: { t: number; mio: number[] }[] } } {
  const pic: Record<number, number> = {};
  const echantillons: { t: number; mio: number[] }[] = [];
  const t0 = Date.now();
  const mesurer = () => {
    const mio = pids.map((pid) => rssMio(pid));
    pids.forEach((pid, k) => {
      pic[pid] = Math.max(pic[pid] ?? 0, mio[k]);
    });
    echantillons.push({ t: Date.now() - t0, mio });
  };
  mesurer();
  const t = setInterval(mesurer, ms);
  return {
    arreter() {
      clearInterval(t);
      mesurer();
      return { picMio: pic, echantillons };
    },
  };
}

/**
 * MariaDB's server-wide counters of statements and commits: the benchmark is the server's only client
 * (its own probe and the gateway's background sweeps are a few statements over thousands of records).
 */
export async function compteursBase(): Promise<{ questions: number; commits: number }> {
  const cx = await mysql.createConnection(optionsConnexion());
  try {
    const [r] = await cx.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_commit')");
    const v = Object.fromEntries((r as { Variable_name: string; Value: string }[]).map((x) => [x.Variable_name, Number(x.Value)]));
    return { questions: v.Questions, commits: v.Com_commit };
  } finally {
    await cx.end();
  }
}

/** Runs `travail(i)` for i in [0, n) on `k` concurrent workers; returns the seconds it took. */
export async function enParallele(n: number, k: number, travail: (i: number) => Promise<void>): Promise<number> {
  let suivant = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: k }, async () => {
      for (let i = suivant++; i < n; i = suivant++) await travail(i);
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** One HTTP request on `agent` (keep-alive): its status and body. */
export function envoyerHttp(
  agent: http.Agent,
  port: number,
  methode: string,
  chemin: string,
  entetes: Record<string, string>,
  corps: string,
): Promise<{ statut: number; texte: string }> {
  return new Promise((ok, echec) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: methode, path: chemin, agent, headers: { ...entetes, 'content-length': Buffer.byteLength(corps) } },
      (res) => {
        let texte = '';
        res.setEncoding('utf8');
        res.on('data', (m: string) => {
          texte += m;
        });
        res.on('end', () => ok({ statut: res.statusCode ?? 0, texte }));
        res.on('error', echec);
      },
    );
    req.on('error', echec);
    req.end(corps);
  });
}
