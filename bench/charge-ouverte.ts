/**
 * Open-loop load: requests sent at a fixed rate whatever the answers (as a campaign's traffic does, not
 * as a client that waits), latency counted from each request's SCHEDULED send time — a gateway that
 * falls behind shows it, however late the generator got round to sending.
 *
 * Two roles in one file:
 * - the GENERATOR, in its own process: `node dist/bench/charge-ouverte.js '<json>'` with
 *   `{cible: 'rest' | 'brut', port?, base?, debit, dureeS, prefixe}` → one JSON line of results. `rest`:
 *   `PUT /api/v1/opi/{code}` of new OPIs; `brut`: the same records written straight with mysql2;
 * - the ORCHESTRATOR `benchOuverte()` (bench/run.ts): a gateway as deployed (WORKERS=auto) on a new
 *   database; first `froidS` seconds of the load on the fresh processes (the cold start, reported
 *   apart), then `reposS` seconds without a request (idle pool connections, a heap that shrank), then
 *   the measured load, with the memory of every gateway process sampled; then the raw driver at the
 *   same rate.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { optionsConnexion } from './lp-bulk';
import { ecrireBrut, opiJson } from './enregistrements-opi';
import { arrondi, attendre, avecBase, envoyerHttp, lancerPasserelle, suivreMemoire } from './outils';

interface ConsigneGenerateur {
  cible: 'rest' | 'brut';
  port?: number;
  base?: string;
  debit: number;
  dureeS: number;
  prefixe: string;
}

export interface Latences {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface ResultatGenerateur {
  cible: string;
  debit: number;
  dureeS: number;
  envoyees: number;
  reussies: number;
  erreurs: number;
  premiereErreur?: string;
  latencesMs: Latences;
  /** The first 5 seconds alone: where a backlog after an idle period shows. */
  cinqPremieresSecondesMs: Latences;
  auDelaDe250Ms: number;
  /** Latency by second of the run (p99 of the requests scheduled in that second). */
  p99ParSeconde: number[];
}

function latences(l: number[]): Latences {
  const t = [...l].sort((a, b) => a - b);
  const q = (p: number) => (t.length ? arrondi(t[Math.min(t.length - 1, Math.ceil(p * t.length) - 1)], 1) : 0);
  return { n: t.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: t.length ? arrondi(t[t.length - 1], 1) : 0 };
}

async function generer(c: ConsigneGenerateur): Promise<ResultatGenerateur> {
  const total = Math.round(c.debit * c.dureeS);
  const periode = 1000 / c.debit;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const pool = c.cible === 'brut' ? mysql.createPool({ ...optionsConnexion(), database: c.base, connectionLimit: 64 }) : undefined;
  const envoyer = (i: number): Promise<void> => {
    if (pool) return ecrireBrut(pool, c.prefixe, i);
    const { code, corps } = opiJson(c.prefixe, i);
    return envoyerHttp(agent, c.port!, 'PUT', `/api/v1/opi/${code}`, { 'content-type': 'application/json' }, JSON.stringify(corps)).then((r) => {
      if (r.statut !== 201) throw new Error(`PUT ${code} : ${r.statut}`);
    });
  };
  const lat: { prevu: number; ms: number }[] = [];
  let erreurs = 0;
  let premiereErreur: string | undefined;
  const enCours: Promise<void>[] = [];
  const t0 = performance.now() + 50;
  await new Promise<void>((fini) => {
    let i = 0;
    const tic = () => {
      const maintenant = performance.now();
      for (; i < total && t0 + i * periode <= maintenant; i++) {
        const prevu = t0 + i * periode;
        enCours.push(
          envoyer(i).then(
            () => {
              lat.push({ prevu: prevu - t0, ms: performance.now() - prevu });
            },
            (err: Error) => {
              erreurs++;
              premiereErreur ??= err.message;
            },
          ),
        );
      }
      if (i < total) setTimeout(tic, Math.max(0, t0 + i * periode - performance.now()));
      else fini();
    };
    tic();
  });
  await Promise.all(enCours);
  agent.destroy();
  await pool?.end();
  const parSeconde: number[] = [];
  for (let s = 0; s < c.dureeS; s++) parSeconde.push(latences(lat.filter((x) => x.prevu >= s * 1000 && x.prevu < (s + 1) * 1000).map((x) => x.ms)).p99);
  return {
    cible: c.cible,
    debit: c.debit,
    dureeS: c.dureeS,
    envoyees: total,
    reussies: lat.length,
    erreurs,
    ...(premiereErreur ? { premiereErreur } : {}),
    latencesMs: latences(lat.map((x) => x.ms)),
    cinqPremieresSecondesMs: latences(lat.filter((x) => x.prevu < 5000).map((x) => x.ms)),
    auDelaDe250Ms: lat.filter((x) => x.ms > 250).length,
    p99ParSeconde: parSeconde,
  };
}

/** The generator in a child process of its own (it must not share a core's event loop with what it measures). */
function lancerGenerateur(c: ConsigneGenerateur): Promise<ResultatGenerateur> {
  return new Promise((ok, ko) => {
    const p = spawn(process.execPath, [path.join(__dirname, 'charge-ouverte.js'), JSON.stringify(c)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let sortie = '';
    p.stdout.on('data', (d) => {
      sortie += d;
    });
    p.on('exit', (code) => (code === 0 ? ok(JSON.parse(sortie.trim().split('\n').pop()!) as ResultatGenerateur) : ko(new Error(`générateur : code ${code}`))));
  });
}

export interface ResultatOuverte {
  reposS: number;
  /** The first seconds of traffic of fresh processes (JIT still compiling the HTTP layer). */
  demarrageAFroid?: ResultatGenerateur;
  passerelle: ResultatGenerateur & { picRssMio: Record<string, number>; rssParMinuteMio?: number[][] };
  brut: ResultatGenerateur;
}

export async function benchOuverte(o: { debit: number; dureeS: number; reposS: number; froidS?: number }): Promise<ResultatOuverte> {
  const port = 19990 + Math.floor(Math.random() * 9);
  let demarrageAFroid: ResultatGenerateur | undefined;
  const passerelle = await avecBase('ouverte', async (_nom, url) => {
    const gw = await lancerPasserelle(url, port, 'auto', { DATABASE_POOL: '32' });
    try {
      if (o.froidS) {
        process.stderr.write(`  passerelle prête (${gw.pids.length} processus), ${o.debit} requêtes/s pendant ${o.froidS} s (démarrage à froid)… `);
        demarrageAFroid = await lancerGenerateur({ cible: 'rest', port, debit: o.debit, dureeS: o.froidS, prefixe: 'BC' });
      }
      process.stderr.write(`${o.reposS} s sans requête… `);
      await attendre(o.reposS * 1000);
      process.stderr.write(`${o.debit} requêtes/s pendant ${o.dureeS} s… `);
      const memoire = suivreMemoire(gw.pids, 250);
      const r = await lancerGenerateur({ cible: 'rest', port, debit: o.debit, dureeS: o.dureeS, prefixe: 'BO' });
      const m = memoire.arreter();
      process.stderr.write('fait\n');
      // RSS per minute of the run (max of each process within each minute): flat or growing.
      const parMinute: number[][] = [];
      for (const e of m.echantillons) {
        const minute = Math.floor(e.t / 60_000);
        parMinute[minute] = (parMinute[minute] ?? e.mio.map(() => 0)).map((v, k) => Math.max(v, arrondi(e.mio[k], 0)));
      }
      return {
        ...r,
        picRssMio: Object.fromEntries(Object.entries(m.picMio).map(([pid, v]) => [pid, arrondi(v, 0)])),
        ...(o.dureeS >= 120 ? { rssParMinuteMio: parMinute } : {}),
      };
    } finally {
      await gw.arreter();
    }
  });
  const brut = await avecBase('ouverte_brut', async (nom, url) => {
    await (await lancerPasserelle(url, port, '1')).arreter();
    process.stderr.write(`  brut : ${o.debit} écritures/s pendant ${Math.min(o.dureeS, 30)} s… `);
    const r = await lancerGenerateur({ cible: 'brut', base: nom, debit: o.debit, dureeS: Math.min(o.dureeS, 30), prefixe: 'BO' });
    process.stderr.write('fait\n');
    return r;
  });
  return { reposS: o.reposS, ...(demarrageAFroid ? { demarrageAFroid } : {}), passerelle, brut };
}

if (require.main === module && process.argv[2])
  generer(JSON.parse(process.argv[2]) as ConsigneGenerateur).then(
    (r) => console.log(JSON.stringify(r)),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
