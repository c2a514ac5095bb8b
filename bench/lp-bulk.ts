/**
 * ONE variant of the laissez-passer bulk-load benchmark, in its own process (so that its peak memory
 * is its own). Usage: `node dist/bench/lp-bulk.js <variant> <fichier.csv> [lignes=100000]`; prints one
 * JSON line on stdout: {variant, rows, seconds, rowsPerSecond, peakRssMiB, vmHwmMiB, …}.
 *
 * Each variant runs on a FRESH MariaDB database `gw_bench_<variant>_<random>` (or `$BENCH_DB`), migrated
 * by the gateway's own migrations, dropped at the end. Only the load itself is timed (database creation,
 * migrations, gateway start-up and the copy of the file are not).
 *
 * - passerelle: the real path, ServiceChargements.accepter(copy, {format:'csv', mode:'partiel'}) then wait
 *   for the job; asserts TERMINE with every row created and the rows counted in `laissez_passer`.
 *   Wraps (at run time, src/ untouched) preparer / ecrire / the depot's queries / the transaction to
 *   report where the time goes.
 * - naif: same streaming reader (lireLignes), TypeORM `repository.save()` of arrays of 500 rows, each in its own
 *   transaction, no validation (what a user of the ORM honestly writes).
 * - brut: same streaming reader, mysql2/promise multi-row INSERT of 1,000 rows per statement, one
 *   connection, no validation (the ceiling).
 * - lecture: only reads the CSV with lireLignes (the floor: the cost of parsing the file).
 *
 * Env: BENCH_MARIADB_URL (default mysql://root@127.0.0.1:3306/), BENCH_DB (database name to use).
 */
import 'reflect-metadata';
import { promises as fs, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { lireBase, lireConfig } from '../src/config';
import { demarrer } from '../src/server';
import { ouvrirBase } from '../src/persistence/source';
import { LaissezPasserEntite } from '../src/persistence/entities';
import { DepotLp } from '../src/persistence/depot-lp';
import { DepotOpi } from '../src/persistence/depot-opi';
import { DepotJobs } from '../src/persistence/depot-jobs';
import { lireLignes, type LigneLue } from '../src/adapters/batch/lecteurs';
import { COLONNES_FICHIER_LP as COLONNES_LP } from '../src/application/champs';

export const VARIANTES = ['passerelle', 'naif', 'brut', 'lecture'] as const;
export type Variante = (typeof VARIANTES)[number];

export interface Resultat {
  variant: Variante;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  vmHwmMiB: number;
  /** RSS just before the timed load started (after start-up / migrations). */
  rssAvantMiB: number;
  peakHeapUsedMiB: number;
  /** The event loop's delay during the load (p99, max): how long a request arriving meanwhile would wait. */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** CPU time of this Node process during the load (user + system). */
  cpuSeconds: number;
  /** CPU time of the MariaDB server during the load (whole server: includes other clients' work, if any). */
  cpuMysqldSeconds?: number;
  csvOctets: number;
  profil?: Record<string, number | string>;
}

export const URL_ADMIN = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/';
const MIB = 1024 * 1024;
const arrondi = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export function optionsConnexion(url = URL_ADMIN) {
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) };
}

function urlBase(nom: string): string {
  const u = new URL(URL_ADMIN.replace(/^mariadb:/, 'mysql:'));
  u.pathname = `/${nom}`;
  return u.toString();
}

// ------------------------------------------------------------------------------------------------
// Memory: RSS sampled every 50 ms (plus at each explicit `echantillon()`), VmHWM read at the end.

let picRss = 0;
let picHeap = 0;
function echantillon(): void {
  const m = process.memoryUsage();
  if (m.rss > picRss) picRss = m.rss;
  if (m.heapUsed > picHeap) picHeap = m.heapUsed;
}
function vmHwmMiB(): number {
  const l = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((x) => x.startsWith('VmHWM:'));
  const ko = l ? Number(l.replace(/\D+/g, '')) : NaN;
  return arrondi(ko / 1024);
}

// ------------------------------------------------------------------------------------------------
// Profiling helpers: cumulated wall time of wrapped async methods (await-to-await).

const chrono: Record<string, { ms: number; n: number }> = {};
function envelopper<T extends object>(cible: T, methode: keyof T & string, nom: string): void {
  const origine = (cible as Record<string, unknown>)[methode] as (...a: unknown[]) => Promise<unknown>;
  (cible as Record<string, unknown>)[methode] = async function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return await origine.apply(this, args);
    } finally {
      const c = (chrono[nom] ??= { ms: 0, n: 0 });
      c.ms += performance.now() - t0;
      c.n++;
    }
  };
}
const ms = (nom: string) => chrono[nom]?.ms ?? 0;

/** CPU seconds (user + system) used so far by the MariaDB server, if it runs on this machine. */
export function cpuMysqld(): number | undefined {
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let comm = '';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const champs = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      return (Number(champs[11]) + Number(champs[12])) / 100; // utime + stime, in clock ticks (100 Hz)
    }
  } catch {
    /* not Linux, or not visible */
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Rows of the file as table rows (naif, brut): no validation, only the mapping.

const EMPREINTE_FACTICE = 'b'.repeat(64);

function texte(v: unknown): string | null {
  return v === undefined || v === null || v === '' ? null : String(v);
}

export function versEntite(l: LigneLue, maintenant: Date): Omit<LaissezPasserEntite, 'id'> {
  const v = l.valeurs;
  const codOpi = texte(v.numOPI ?? v.codOpiIntEpo);
  const codEtu = texte(v.codEtu);
  const individu = codOpi ? `OPI:${codOpi}` : `ETU:${codEtu}`;
  const codVrsVet = Number(v.codVrsVet);
  return {
    cle: `${individu}|${v.codAnu}|${v.codEtp}|${codVrsVet}`,
    typLpa: texte(v.typLpa) ?? (codOpi ? 'IAPRIMO' : 'REINS'),
    codAnu: String(v.codAnu),
    codOpiIntEpo: codOpi,
    codEtu,
    ine: null,
    codEtp: String(v.codEtp),
    codVrsVet,
    codDip: texte(v.codDip),
    codVrsVdi: v.codVrsVdi ? Number(v.codVrsVdi) : null,
    codCge: null,
    codRgi: texte(v.codRgi),
    codStu: texte(v.codStu),
    codCatOuiSi: texte(v.codCatOuiSi),
    mtfCat: texte(v.mtfCat),
    codCatExoExt: texte(v.codCatExoExt),
    libCmtLpa: texte(v.libCmtLpa),
    dateDebutValidite: null,
    dateFinValidite: null,
    source: 'bench',
    jobId: null,
    empreinte: EMPREINTE_FACTICE,
    version: 1,
    creeLe: maintenant,
    modifieLe: maintenant,
  };
}

const COLONNES_TABLE = [
  'cle',
  'typLpa',
  'codAnu',
  'codOpiIntEpo',
  'codEtu',
  'ine',
  'codEtp',
  'codVrsVet',
  'codDip',
  'codVrsVdi',
  'codCge',
  'codRgi',
  'codStu',
  'codCatOuiSi',
  'mtfCat',
  'codCatExoExt',
  'libCmtLpa',
  'dateDebutValidite',
  'dateFinValidite',
  'source',
  'jobId',
  'empreinte',
  'version',
  'creeLe',
  'modifieLe',
] as const;

function lignesCsv(fichier: string): AsyncGenerator<LigneLue> {
  return lireLignes(fichier, { format: 'csv', colonnes: COLONNES_LP });
}

// ------------------------------------------------------------------------------------------------
// Variants. Each returns the number of rows loaded, the timed seconds and the CPU seconds.

interface Mesure {
  rows: number;
  seconds: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  cpuSeconds: number;
  cpuMysqldSeconds?: number;
  rssAvant: number;
  profil?: Record<string, number | string>;
}

function debut(): { t0: number; cpu0: NodeJS.CpuUsage; rssAvant: number; mysqld0?: number; boucle: IntervalHistogram } {
  echantillon();
  // How long this thread's event loop stays blocked during the load: what a request arriving meanwhile would wait.
  const boucle = monitorEventLoopDelay({ resolution: 5 });
  boucle.enable();
  return { t0: performance.now(), cpu0: process.cpuUsage(), rssAvant: process.memoryUsage().rss, mysqld0: cpuMysqld(), boucle };
}
function fin(d: ReturnType<typeof debut>): { seconds: number; cpuSeconds: number; cpuMysqldSeconds?: number; eventLoopP99Ms: number; eventLoopMaxMs: number } {
  const cpu = process.cpuUsage(d.cpu0);
  const mysqld = cpuMysqld();
  d.boucle.disable();
  return {
    seconds: (performance.now() - d.t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    eventLoopP99Ms: arrondi(d.boucle.percentile(99) / 1e6, 1),
    eventLoopMaxMs: arrondi(d.boucle.max / 1e6, 1),
    ...(d.mysqld0 !== undefined && mysqld !== undefined ? { cpuMysqldSeconds: mysqld - d.mysqld0 } : {}),
  };
}

async function compter(cx: mysql.Connection): Promise<number> {
  const [r] = await cx.query('SELECT COUNT(*) AS n FROM laissez_passer');
  return Number((r as { n: number }[])[0].n);
}

async function variantePasserelle(fichier: string, nomBase: string, attendues: number): Promise<Mesure> {
  const dossier = await fs.mkdtemp(path.join(tmpdir(), 'gw-bench-lots-'));
  try {
    // Profiling wrappers (prototype level: the instances the gateway builds use them).
    envelopper(DepotLp.prototype, 'parCles', 'sql.parCles');
    envelopper(DepotLp.prototype, 'inserer', 'sql.inserer');
    envelopper(DepotOpi.prototype, 'parCodes', 'sql.opis');
    envelopper(DepotJobs.prototype, 'ajouterRejets', 'sql.ajouterRejets');
    envelopper(DepotJobs.prototype, 'ajouterCompteurs', 'sql.ajouterCompteurs');

    const p = await demarrer({ ...lireConfig({ LOG_LEVEL: 'error', BULK_DIR: path.join(dossier, 'lots') }), base: lireBase(urlBase(nomBase)) });
    try {
      envelopper(p.services.lp, 'preparer', 'preparer');
      envelopper(p.services.lp, 'ecrire', 'ecrire');
      envelopper(p.services.unite, 'executer', 'transaction');
      // The job consumes (renames) its file: give it a copy, in the same file system as BULK_DIR.
      const copie = path.join(dossier, 'entree.csv');
      await fs.copyFile(fichier, copie);
      const d = debut();
      const ctx = { porte: 'CLI' as const, client: 'bench', requestId: 'bench' };
      const accepte = (await p.services.pipeline.executer<{ id: string }>(ctx, 'lp.charger', { fichier: copie, options: { format: 'csv', mode: 'partiel' } }))
        .valeur!;
      const etat = await p.services.chargements.attendre(accepte.id, 30 * 60_000);
      await p.services.chargements.inactif();
      const t = fin(d);
      if (etat.etat !== 'TERMINE' || etat.creees !== attendues || etat.lignesRejetees !== 0 || etat.lignesLues !== attendues) {
        const rejets = await p.services.chargements.rejets(accepte.id, 0, 3);
        throw new Error(
          `chargement incorrect : ${JSON.stringify({ etat: etat.etat, lues: etat.lignesLues, creees: etat.creees, rejetees: etat.lignesRejetees, erreur: etat.erreur })}`
            + (rejets.length ? ` ; premiers rejets : ${JSON.stringify(rejets.map((r) => ({ ligne: r.numLigne, codes: r.codes })))}` : ''),
        );
      }
      const [n] = await p.source.query('SELECT COUNT(*) AS n FROM laissez_passer');
      if (Number(n.n) !== attendues) throw new Error(`laissez_passer compte ${n.n} lignes, ${attendues} attendues`);
      const total = t.seconds * 1000;
      const sqlEcrire = ms('sql.parCles') + ms('sql.inserer');
      const profil: Record<string, number | string> = {
        paquets: chrono.transaction?.n ?? 0,
        'preparer (validation + requête OPI) s': arrondi(ms('preparer') / 1000, 2),
        '  dont requête OPI (sql.opis) s': arrondi(ms('sql.opis') / 1000, 2),
        'transactions (BEGIN…COMMIT) s': arrondi(ms('transaction') / 1000, 2),
        '  dont ecrire s': arrondi(ms('ecrire') / 1000, 2),
        '    dont SELECT existants (parCles) s': arrondi(ms('sql.parCles') / 1000, 2),
        // File loads do not read the ids back (`inserer(…, false)`): one driver-level multi-row INSERT per chunk.
        '    dont INSERT multi-lignes (inserer) s': arrondi(ms('sql.inserer') / 1000, 2),
        '    dont calcul empreintes/lignes (CPU) s': arrondi((ms('ecrire') - sqlEcrire) / 1000, 2),
        '  dont rejets + compteurs du job s': arrondi((ms('sql.ajouterRejets') + ms('sql.ajouterCompteurs')) / 1000, 2),
        '  dont BEGIN/COMMIT et reste s': arrondi((ms('transaction') - ms('ecrire') - ms('sql.ajouterRejets') - ms('sql.ajouterCompteurs')) / 1000, 2),
        // The next chunk is prepared while one is written: the two sums overlap by this much of the wall time.
        'recouvrement préparation / écriture s': arrondi((ms('preparer') + ms('transaction') - total) / 1000, 2),
        "boucle d'événements bloquée p99 / max ms": `${t.eventLoopP99Ms} / ${t.eventLoopMaxMs}`,
      };
      return { rows: Number(n.n), ...t, rssAvant: d.rssAvant, profil };
    } finally {
      await p.arreter();
    }
  } finally {
    await fs.rm(dossier, { recursive: true, force: true });
  }
}

async function varianteNaif(fichier: string, nomBase: string, limite: number): Promise<Mesure> {
  const source = await ouvrirBase(lireBase(urlBase(nomBase)));
  try {
    // What a user of TypeORM honestly writes for a file: the rows in chunks, each chunk saved as an
    // array in its own transaction (no validation, no job, no report).
    const ecrire = (paquet: ReturnType<typeof versEntite>[]) => source.transaction((em) => em.getRepository(LaissezPasserEntite).save(paquet));
    const d = debut();
    let rows = 0;
    let paquet: ReturnType<typeof versEntite>[] = [];
    for await (const l of lignesCsv(fichier)) {
      if (rows >= limite) break;
      paquet.push(versEntite(l, new Date()));
      rows++;
      if (paquet.length === 500) {
        await ecrire(paquet);
        paquet = [];
      }
    }
    if (paquet.length) await ecrire(paquet);
    const t = fin(d);
    const [n] = await source.query('SELECT COUNT(*) AS n FROM laissez_passer');
    if (Number(n.n) !== rows) throw new Error(`laissez_passer compte ${n.n} lignes, ${rows} attendues`);
    return { rows, ...t, rssAvant: d.rssAvant };
  } finally {
    await source.destroy();
  }
}

async function varianteBrut(fichier: string, nomBase: string, limite: number): Promise<Mesure> {
  // Schema by the gateway's migrations, then the raw driver alone.
  await (await ouvrirBase(lireBase(urlBase(nomBase)))).destroy();
  const cx = await mysql.createConnection({ ...optionsConnexion(), database: nomBase, charset: 'utf8mb4_unicode_ci', timezone: 'Z' });
  try {
    const sql = `INSERT INTO laissez_passer (${COLONNES_TABLE.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
    const d = debut();
    let rows = 0;
    let paquet: unknown[][] = [];
    for await (const l of lignesCsv(fichier)) {
      if (rows >= limite) break;
      const e = versEntite(l, new Date());
      paquet.push(COLONNES_TABLE.map((c) => e[c]));
      rows++;
      if (paquet.length === 1000) {
        await cx.query(sql, [paquet]);
        paquet = [];
      }
    }
    if (paquet.length) await cx.query(sql, [paquet]);
    const t = fin(d);
    const n = await compter(cx);
    if (n !== rows) throw new Error(`laissez_passer compte ${n} lignes, ${rows} attendues`);
    return { rows, ...t, rssAvant: d.rssAvant };
  } finally {
    await cx.end();
  }
}

async function varianteLecture(fichier: string, limite: number): Promise<Mesure> {
  const d = debut();
  let rows = 0;
  for await (const _ of lignesCsv(fichier)) {
    if (rows >= limite) break;
    rows++;
  }
  return { rows, ...fin(d), rssAvant: d.rssAvant };
}

// ------------------------------------------------------------------------------------------------

export async function executer(variante: Variante, fichier: string, lignes: number): Promise<Resultat> {
  const echantillonneur = setInterval(echantillon, 50);
  const nomBase = process.env.BENCH_DB ?? `gw_bench_${variante}_${randomBytes(4).toString('hex')}`;
  if (!/^gw_bench_\w+$/.test(nomBase)) throw new Error(`BENCH_DB=${nomBase} : un nom gw_bench_* est attendu`);
  const admin = variante === 'lecture' ? undefined : await mysql.createConnection(optionsConnexion());
  try {
    if (admin) await admin.query(`CREATE DATABASE \`${nomBase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    let m: Mesure;
    switch (variante) {
      case 'passerelle':
        m = await variantePasserelle(fichier, nomBase, lignes);
        break;
      case 'naif':
        m = await varianteNaif(fichier, nomBase, lignes);
        break;
      case 'brut':
        m = await varianteBrut(fichier, nomBase, lignes);
        break;
      case 'lecture':
        m = await varianteLecture(fichier, lignes);
        break;
    }
    echantillon();
    return {
      variant: variante,
      rows: m.rows,
      seconds: arrondi(m.seconds, 2),
      rowsPerSecond: Math.round(m.rows / m.seconds),
      peakRssMiB: arrondi(picRss / MIB),
      vmHwmMiB: vmHwmMiB(),
      rssAvantMiB: arrondi(m.rssAvant / MIB),
      peakHeapUsedMiB: arrondi(picHeap / MIB),
      cpuSeconds: arrondi(m.cpuSeconds, 2),
      eventLoopP99Ms: m.eventLoopP99Ms,
      eventLoopMaxMs: m.eventLoopMaxMs,
      ...(m.cpuMysqldSeconds !== undefined ? { cpuMysqldSeconds: arrondi(m.cpuMysqldSeconds, 2) } : {}),
      csvOctets: statSync(fichier).size,
      ...(m.profil ? { profil: m.profil } : {}),
    };
  } finally {
    clearInterval(echantillonneur);
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS \`${nomBase}\``).catch(() => undefined);
      await admin.end();
    }
  }
}

if (require.main === module) {
  const [variante, fichier, lignes = '100000'] = process.argv.slice(2);
  if (!(VARIANTES as readonly string[]).includes(variante) || !fichier || !/^\d+$/.test(lignes)) {
    console.error(`usage : node dist/bench/lp-bulk.js <${VARIANTES.join('|')}> <fichier.csv> [lignes=100000]`);
    process.exit(2);
  }
  executer(variante as Variante, path.resolve(fichier), Number(lignes)).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err) => {
      console.error(`lp-bulk ${variante} : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
