/**
 * Single-record writes at a fixed concurrency (closed loop): `PUT /api/v1/opi/{code}` of new OPIs
 * (1 individu + 2 vœux) through a real gateway on MariaDB, the same records sent again unchanged, then
 * changed (an update and new vœux), the same writes over SOAP (`mettreajourDonneesOpi_v10`), at 8 and
 * at 32 connections, one at a time (a record's own wait), and at 8 with MariaDB behind a relay that
 * delays every packet 1 ms each way (bench/reseau-lent.ts: the round trips of a database across a
 * network); against the same records written straight with mysql2 (bench/enregistrements-opi.ts) at
 * the same concurrency. The gateway runs as deployed (WORKERS=auto: one process per core), and once
 * with one process for what the second core adds. Rounds interleaved, each measurement on its own new
 * database; min / median / max; each ratio is the median of the rounds' own ratios. Beside them, a
 * bare Express service doing the same statements (bench/http-nu.ts): what HTTP alone costs here, the
 * floor under any HTTP door. Per record: Node CPU of every gateway process, of the sender (this
 * process: the HTTP client, or for the baseline the driver itself) and of MariaDB (when it runs
 * here), its statements and commits. The sender is node:http with keep-alive (undici's fetch cost
 * 1.6 ms of CPU per request, taken from the gateway's two cores).
 *
 *   node dist/bench/opi-unitaire.js     # BENCH_OPI_N=2000 records per measurement, BENCH_OPI_TOURS=3
 */
import http from 'node:http';
import mysql from 'mysql2/promise';
import { cpuMysqld, optionsConnexion } from './lp-bulk';
import { codeOpi, ecrireBrut, opiJson, opiSoap } from './enregistrements-opi';
import { lancerHttpNu } from './http-nu';
import { lancerReseauLent } from './reseau-lent';
import { arrondi, avecBase, attendre, compteursBase, cpuProcessus, enParallele, envoyerHttp, lancerPasserelle, mediane, type PasserelleLancee } from './outils';

const N = Number(process.env.BENCH_OPI_N ?? 2000);
const TOURS = Number(process.env.BENCH_OPI_TOURS ?? 3);
/** Records per measurement through the slow relay (BENCH_DISTANT_N), and its delay each way. */
const N_DISTANT = Number(process.env.BENCH_DISTANT_N ?? 1000);
const DELAI_RESEAU_MS = 1;
/** Records sent before measuring, on each new process (the JIT compiles the hot path; not counted). */
const ECHAUFFEMENT = 300;

export interface MesureUnitaire {
  parSeconde: number;
  cpuMsParEnregistrement?: number;
  cpuEnvoiMsParEnregistrement: number;
  cpuMariadbMsParEnregistrement?: number;
  instructionsParEnregistrement: number;
  commitsParEnregistrement: number;
}

export interface ResultatUnitaires {
  enregistrements: number;
  tours: number;
  variantes: Record<
    string,
    {
      min: number;
      mediane: number;
      max: number;
      cpuMsParEnregistrement?: number;
      cpuEnvoiMsParEnregistrement: number;
      cpuMariadbMsParEnregistrement?: number;
      instructionsParEnregistrement: number;
      commitsParEnregistrement: number;
    }
  >;
  /** Each ratio: the median of the rounds' own ratios (both sides measured in the same round). */
  ratios: Record<string, number>;
  ratiosParTour: Record<string, number[]>;
  detail: Record<string, MesureUnitaire[]>;
}

/** One measured stretch: n records by `k` concurrent senders, with what it cost the gateway, the sender and MariaDB. */
async function mesurer(k: number, pids: number[], envoi: (i: number) => Promise<void>, n = N): Promise<MesureUnitaire> {
  const b0 = await compteursBase();
  const c0 = cpuProcessus(pids);
  const e0 = process.cpuUsage();
  const m0 = cpuMysqld();
  const s = await enParallele(n, k, envoi);
  const m1 = cpuMysqld();
  const e1 = process.cpuUsage(e0);
  const c1 = cpuProcessus(pids);
  const b1 = await compteursBase();
  return {
    parSeconde: Math.round(n / s),
    ...(pids.length ? { cpuMsParEnregistrement: arrondi(((c1 - c0) * 1000) / n) } : {}),
    cpuEnvoiMsParEnregistrement: arrondi((e1.user + e1.system) / 1000 / n),
    ...(m0 !== undefined && m1 !== undefined ? { cpuMariadbMsParEnregistrement: arrondi(((m1 - m0) * 1000) / n) } : {}),
    instructionsParEnregistrement: arrondi((b1.questions - b0.questions) / n),
    commitsParEnregistrement: arrondi((b1.commits - b0.commits) / n),
  };
}

/** Keep-alive connections, as many as the senders in flight. */
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

/**
 * One REST write of record i of a series; the status expected (201 new, 200 unchanged or changed).
 * `modifiee`: the record as its platform sends it again with news (another e-mail address, another
 * decision on its first vœu): an update of the individu and a new set of vœux.
 */
export async function envoyerRest(port: number, prefixe: string, i: number, attendu: number, modifiee = false): Promise<void> {
  const { code, corps } = opiJson(prefixe, i);
  if (modifiee) {
    corps.individu.donneesPersonnelles.adrMailOpi = `modifiee.${i}@example.org`;
    corps.voeux[0].codDecVeu = 'O';
  }
  const r = await envoyerHttp(agent, port, 'PUT', `/api/v1/opi/${code}`, { 'content-type': 'application/json' }, JSON.stringify(corps));
  if (r.statut !== attendu) throw new Error(`PUT ${code} : ${r.statut} au lieu de ${attendu}`);
}

async function envoyerSoap(port: number, prefixe: string, i: number): Promise<void> {
  const r = await envoyerHttp(agent, port, 'POST', '/ws/OpiMetier', { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }, opiSoap(prefixe, i));
  if (r.statut !== 200 || !r.texte.includes('mettreajourDonneesOpi_v10Response'))
    throw new Error(`SOAP ${codeOpi(prefixe, i)} : ${r.statut} ${r.texte.slice(0, 300)}`);
}

/** `url` reaching MariaDB through the relay listening on `port`. */
function parLeRelais(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
}

/** The gateway on a new database (through the relay on `relais`, if given): the measurements `faire` takes on it. */
async function surPasserelle(port: number, workers: string, faire: (gw: PasserelleLancee) => Promise<void>, relais?: number): Promise<void> {
  await avecBase('opi', async (_nom, url) => {
    const gw = await lancerPasserelle(relais ? parLeRelais(url, relais) : url, port, workers, { DATABASE_POOL: '32' });
    try {
      await enParallele(ECHAUFFEMENT, 8, (i) => envoyerRest(port, 'BW', i, 201));
      await enParallele(ECHAUFFEMENT, 8, (i) => envoyerSoap(port, 'BX', i));
      await faire(gw);
    } finally {
      await gw.arreter();
    }
  });
}

/** The driver alone at each of `ks` connections, one after the other on one new database (series of their own). */
async function brut(port: number, ks: number[], relais?: number, n = N): Promise<MesureUnitaire[]> {
  return avecBase('brut', async (nom, url) => {
    // The gateway's own migrations make the schema (a start and a stop), then only the driver writes.
    await (await lancerPasserelle(url, port, '1')).arreter();
    const mesures: MesureUnitaire[] = [];
    for (const [j, k] of ks.entries()) {
      const pool = mysql.createPool({ ...optionsConnexion(), ...(relais ? { port: relais } : {}), database: nom, connectionLimit: k });
      try {
        await enParallele(ECHAUFFEMENT, k, (i) => ecrireBrut(pool, `V${j}`, i));
        mesures.push(await mesurer(k, [], (i) => ecrireBrut(pool, `B${j}`, i), n));
      } finally {
        await pool.end();
      }
    }
    return mesures;
  });
}

/**
 * The bare HTTP service (bench/http-nu.ts) on a new database, 8 connections: new records, then the same
 * again unchanged — what Express, its body parser and the same statements cost without the gateway.
 */
async function httpNu(port: number): Promise<{ cree: MesureUnitaire; renvoi: MesureUnitaire }> {
  return avecBase('nu', async (_nom, url) => {
    await (await lancerPasserelle(url, port, '1')).arreter();
    const nu = await lancerHttpNu(url, port, 8);
    try {
      await enParallele(ECHAUFFEMENT, 8, (i) => envoyerRest(port, 'BW', i, 201));
      const cree = await mesurer(8, nu.pids, (i) => envoyerRest(port, 'BR', i, 201));
      return { cree, renvoi: await mesurer(8, nu.pids, (i) => envoyerRest(port, 'BR', i, 200)) };
    } finally {
      await nu.arreter();
    }
  });
}

export async function benchUnitaires(): Promise<ResultatUnitaires> {
  const port = 19900 + Math.floor(Math.random() * 90);
  const detail: Record<string, MesureUnitaire[]> = {};
  const noter = (v: string, m: MesureUnitaire) => (detail[v] ??= []).push(m);
  for (let t = 1; t <= TOURS; t++) {
    process.stderr.write(`  tour ${t}/${TOURS}… `);
    const [brut8, brut1] = await brut(port, [8, 1]);
    noter('brut-8', brut8);
    noter('brut-1', brut1);
    await surPasserelle(port, 'auto', async (gw) => {
      noter('rest-8', await mesurer(8, gw.pids, (i) => envoyerRest(port, 'BR', i, 201)));
      // Right after REST, on the same process at the same moment: the pair the SOAP ratio compares.
      noter('soap-8', await mesurer(8, gw.pids, (i) => envoyerSoap(port, 'BS', i)));
      // One request at a time: what a record waits for (its round trips to MariaDB, and the CPU on the way).
      noter('rest-1', await mesurer(1, gw.pids, (i) => envoyerRest(port, 'BO', i, 201)));
      noter('rest-8-renvoi', await mesurer(8, gw.pids, (i) => envoyerRest(port, 'BR', i, 200)));
      noter('rest-8-modifiee', await mesurer(8, gw.pids, (i) => envoyerRest(port, 'BR', i, 200, true)));
      noter('rest-32', await mesurer(32, gw.pids, (i) => envoyerRest(port, 'BT', i, 201)));
    });
    noter('brut-32', (await brut(port, [32]))[0]);
    const nu = await httpNu(port);
    noter('http-nu-8', nu.cree);
    noter('http-nu-8-renvoi', nu.renvoi);
    // MariaDB across a network (a relay adding DELAI_RESEAU_MS each way): what each round trip costs.
    const relais = await lancerReseauLent(port + 100, optionsConnexion(), DELAI_RESEAU_MS);
    try {
      noter('brut-8-distant', (await brut(port, [8], relais.port, N_DISTANT))[0]);
      await surPasserelle(
        port,
        'auto',
        async (gw) => {
          noter('rest-8-distant', await mesurer(8, gw.pids, (i) => envoyerRest(port, 'BD', i, 201), N_DISTANT));
        },
        relais.port,
      );
    } finally {
      await relais.arreter();
    }
    await surPasserelle(port, '1', async (gw) => {
      noter('rest-8-1processus', await mesurer(8, gw.pids, (i) => envoyerRest(port, 'BU', i, 201)));
    });
    process.stderr.write('fait\n');
    await attendre(200);
  }
  const variantes = Object.fromEntries(
    Object.entries(detail).map(([v, l]) => {
      const s = l.map((m) => m.parSeconde);
      const cpu = l.map((m) => m.cpuMsParEnregistrement).filter((x): x is number => x !== undefined);
      const mariadb = l.map((m) => m.cpuMariadbMsParEnregistrement).filter((x): x is number => x !== undefined);
      return [
        v,
        {
          min: Math.min(...s),
          mediane: mediane(s),
          max: Math.max(...s),
          ...(cpu.length ? { cpuMsParEnregistrement: mediane(cpu) } : {}),
          cpuEnvoiMsParEnregistrement: mediane(l.map((m) => m.cpuEnvoiMsParEnregistrement)),
          ...(mariadb.length === l.length ? { cpuMariadbMsParEnregistrement: mediane(mariadb) } : {}),
          instructionsParEnregistrement: mediane(l.map((m) => m.instructionsParEnregistrement)),
          commitsParEnregistrement: mediane(l.map((m) => m.commitsParEnregistrement)),
        },
      ];
    }),
  );
  // Round by round, as for the files: a machine that slows down between rounds moves both sides.
  const debit = (m: MesureUnitaire) => m.parSeconde;
  const cpu = (m: MesureUnitaire) => m.cpuMsParEnregistrement ?? Number.NaN;
  const paires: Record<string, [string, string, (m: MesureUnitaire) => number]> = {
    'rest-8 / brut-8': ['rest-8', 'brut-8', debit],
    'rest-32 / brut-32': ['rest-32', 'brut-32', debit],
    'renvoi / création (débit)': ['rest-8-renvoi', 'rest-8', debit],
    'SOAP / REST (CPU par enregistrement)': ['soap-8', 'rest-8', cpu],
    'rest-8-distant / brut-8-distant (base à travers le réseau)': ['rest-8-distant', 'brut-8-distant', debit],
    'modification / création (débit)': ['rest-8-modifiee', 'rest-8', debit],
    'rest-1 / brut-1 (une requête à la fois)': ['rest-1', 'brut-1', debit],
    'WORKERS=auto / 1 processus (débit)': ['rest-8', 'rest-8-1processus', debit],
    // The floor under any HTTP door here: Express, its body parser and the same statements, nothing else.
    'http-nu-8 / brut-8 (HTTP seul)': ['http-nu-8', 'brut-8', debit],
    'rest-8-1processus / http-nu-8 (un processus chacun)': ['rest-8-1processus', 'http-nu-8', debit],
    'renvoi / création, service HTTP nu': ['http-nu-8-renvoi', 'http-nu-8', debit],
  };
  const ratiosParTour = Object.fromEntries(Object.entries(paires).map(([k, [a, b, f]]) => [k, detail[a].map((m, t) => arrondi(f(m) / f(detail[b][t])))]));
  const ratios = Object.fromEntries(Object.entries(ratiosParTour).map(([k, l]) => [k, mediane(l)]));
  return { enregistrements: N, tours: TOURS, variantes, ratios, ratiosParTour, detail };
}

if (require.main === module)
  benchUnitaires().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
