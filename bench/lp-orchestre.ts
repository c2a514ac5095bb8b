/**
 * The laissez-passer bulk-load benchmark's orchestrator (bench/run.ts part `lp`): generates one valid CSV
 * (BENCH_ROWS rows, default 100,000) in a temp dir, then runs each variant of bench/lp-bulk.ts in its OWN
 * child process (peak memory per variant), one after the other: lecture (CSV parsing only), brut (raw
 * driver multi-row INSERT, the ceiling), passerelle (the real job), naif (TypeORM `save()` of arrays in
 * per-chunk transactions, what a user of the ORM writes). brut and passerelle run in BENCH_LP_TOURS (3)
 * interleaved rounds, their order swapped each round; the target's ratio is the median of the rounds' own
 * ratios. Prints a table of every round and the ratios measured in this run.
 *
 * Env: BENCH_ROWS, BENCH_NAIF_ROWS (default BENCH_ROWS), BENCH_MARIADB_URL (default mysql://root@127.0.0.1:3306/),
 * BENCH_VARIANTS (comma-separated subset, default lecture,brut,passerelle,naif).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { genererCsv } from './generer-csv';
import { VARIANTES, optionsConnexion, type Resultat, type Variante } from './lp-bulk';
import { TAILLE_PAQUET } from '../src/application/jobs/moteur';
import { enToursAlternes, mediane, ratiosParTour as ratiosDesTours, tourMedian } from './outils';

const SCRIPT = path.join(__dirname, 'lp-bulk.js');

export function entierEnv(nom: string, defaut: number): number {
  const v = process.env[nom];
  if (v === undefined || v === '') return defaut;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${nom}=${v} : un entier ≥ 1 est attendu`);
  return Number(v);
}

export async function verifierMariaDb(): Promise<string> {
  const o = optionsConnexion();
  try {
    const cx = await mysql.createConnection({ ...o, connectTimeout: 5000 });
    const [r] = await cx.query('SELECT VERSION() AS v');
    await cx.end();
    return String((r as { v: string }[])[0].v);
  } catch (err) {
    throw new Error(
      `MariaDB injoignable sur ${o.host}:${o.port} (${(err as Error).message}). `
        + 'Démarrez-la (voir .ci/run) ou indiquez BENCH_MARIADB_URL=mysql://user:mdp@hote:3306/.',
    );
  }
}

async function supprimerBase(nom: string): Promise<void> {
  const cx = await mysql.createConnection(optionsConnexion());
  try {
    await cx.query(`DROP DATABASE IF EXISTS \`${nom}\``);
  } finally {
    await cx.end();
  }
}

async function lancer(variante: Variante, csv: string, lignes: number): Promise<Resultat> {
  const base = `gw_bench_${variante}_${randomBytes(4).toString('hex')}`;
  process.stderr.write(`  ${variante} (${lignes} lignes)… `);
  try {
    const sortie = execFileSync(process.execPath, [SCRIPT, variante, csv, String(lignes)], {
      env: { ...process.env, BENCH_DB: base },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      timeout: 10 * 60_000,
    });
    const r = JSON.parse(sortie.trim().split('\n').pop()!) as Resultat;
    process.stderr.write(`${r.seconds} s\n`);
    return r;
  } finally {
    if (variante !== 'lecture') await supprimerBase(base).catch(() => undefined); // if the child died before its own cleanup
  }
}

const mib = (o: number) => o / 1024 / 1024;
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

export interface ResultatLp {
  date: string;
  chargeAvant: number[];
  chargeApres: number[];
  csv: { lignes: number; octets: number; lignesNaif: number };
  /** Per variant, its median round (by rows/s). */
  resultats: Resultat[];
  /** Every round of the variants run more than once (brut and passerelle), in the order they ran. */
  tours: Partial<Record<Variante, Resultat[]>>;
  /** passerelle ÷ brut of each round (each pair ran back to back): the ratio's own spread. */
  ratiosParTour: number[];
  ratios: Record<string, number>;
}

/** The variants whose ratio is a target: run in interleaved rounds, the order swapped each round against drift. */
const EN_TOURS: readonly Variante[] = ['brut', 'passerelle'];

export async function benchLp(version: string, o: { lignes?: number; variantes?: string; tours?: number } = {}): Promise<ResultatLp> {
  const nTours = o.tours ?? entierEnv('BENCH_LP_TOURS', 3);
  const n = o.lignes ?? entierEnv('BENCH_ROWS', 100_000);
  const nNaif = Math.min(n, entierEnv('BENCH_NAIF_ROWS', n));
  const variantes = (o.variantes ?? process.env.BENCH_VARIANTS ?? 'lecture,brut,passerelle,naif')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const v of variantes) if (!(VARIANTES as readonly string[]).includes(v)) throw new Error(`BENCH_VARIANTS : variante inconnue ${v}`);

  const dossier = mkdtempSync(path.join(tmpdir(), 'gw-bench-'));
  try {
    const csv = path.join(dossier, `lp-${n}.csv`);
    process.stderr.write(`Génération de ${n} lignes… `);
    const t0 = performance.now();
    const { octets } = await genererCsv(csv, n);
    process.stderr.write(`${f1(mib(octets))} MiB en ${f1((performance.now() - t0) / 1000)} s\n`);
    const chargeAvant = loadavg();

    const tours: Partial<Record<Variante, Resultat[]>> = {};
    const courir = async (v: Variante) => (tours[v] ??= []).push(await lancer(v, csv, v === 'naif' ? nNaif : n));
    const enTours = (variantes as Variante[]).filter((v) => EN_TOURS.includes(v));
    const uneFois = (variantes as Variante[]).filter((v) => !EN_TOURS.includes(v));
    // The floor first, then the rounds, then the slow naive baseline (its rate is no target's denominator).
    for (const v of uneFois.filter((x) => x !== 'naif')) await courir(v);
    await enToursAlternes(nTours, enTours, courir);
    if (uneFois.includes('naif')) await courir('naif');
    const chargeApres = loadavg();
    const resultats: Partial<Record<Variante, Resultat>> = {};
    for (const v of variantes as Variante[]) if (tours[v]) resultats[v] = tourMedian(tours[v]!);
    const ratiosParTour = tours.brut && tours.passerelle ? ratiosDesTours(tours.passerelle, tours.brut) : [];

    // ---- table: every round
    const lignes = Object.values(resultats) as Resultat[];
    const toutes = (variantes as Variante[]).flatMap((v) => (tours[v] ?? []).map((r, i) => ({ r, nom: (tours[v]?.length ?? 0) > 1 ? `${v} #${i + 1}` : v })));
    const entete = [
      'variante',
      'lignes',
      'secondes',
      'lignes/s',
      'CPU node s',
      'CPU mariadbd s',
      'RSS avant MiB',
      'pic RSS MiB',
      'VmHWM MiB',
      'pic heap MiB',
      'boucle p99/max ms',
    ];
    const table = [
      entete,
      ...toutes.map(({ r, nom }) => [
        nom,
        String(r.rows),
        f2(r.seconds),
        String(r.rowsPerSecond),
        f2(r.cpuSeconds),
        r.cpuMysqldSeconds === undefined ? '-' : f2(r.cpuMysqldSeconds),
        f1(r.rssAvantMiB),
        f1(r.peakRssMiB),
        f1(r.vmHwmMiB),
        f1(r.peakHeapUsedMiB),
        `${f1(r.eventLoopP99Ms)}/${f1(r.eventLoopMaxMs)}`,
      ]),
    ];
    const largeurs = entete.map((_, i) => Math.max(...table.map((l) => l[i].length)));
    console.log(
      `\nChargement de laissez-passer, CSV ${n} lignes (${f1(mib(octets))} MiB), MariaDB ${version}, ${cpus().length} cœurs, `
        + `charge ${chargeAvant.map(f2).join('/')} → ${chargeApres.map(f2).join('/')}`,
    );
    for (const l of table) console.log(l.map((c, i) => (i === 0 ? c.padEnd(largeurs[i]) : c.padStart(largeurs[i]))).join('  '));

    // ---- ratios (this run only)
    const p = resultats.passerelle;
    const ratios: Record<string, number> = {};
    console.log('');
    if (p && resultats.naif) {
      ratios.passerelleSurNaif = Math.round((p.rowsPerSecond / resultats.naif.rowsPerSecond) * 100) / 100;
      console.log(
        `passerelle ÷ naif (lignes/s)  : ×${f2(ratios.passerelleSurNaif)}${resultats.naif.rows !== p.rows ? `  (naif mesuré sur ${resultats.naif.rows} lignes, passerelle sur ${p.rows} : on compare des débits, pas des durées)` : ''}`,
      );
    }
    if (p && resultats.brut) {
      // The median of the rounds' own ratios: each pair ran back to back, on the same machine's mood.
      ratios.passerelleSurBrut = mediane(ratiosParTour);
      ratios.passerelleSurBrutMin = Math.min(...ratiosParTour);
      ratios.passerelleSurBrutMax = Math.max(...ratiosParTour);
      console.log(
        `passerelle ÷ brut (lignes/s)  : ×${f2(ratios.passerelleSurBrut)}, médiane de ${ratiosParTour.length} tour(s) : ${ratiosParTour.map(f2).join(' / ')}  (brut = plafond du pilote, sans validation)`,
      );
    }
    if (p && resultats.lecture) {
      ratios.passerelleSurLecture = Math.round((p.rowsPerSecond / resultats.lecture.rowsPerSecond) * 1000) / 1000;
      console.log(`passerelle ÷ lecture seule    : ×${ratios.passerelleSurLecture}  (lecture CSV seule : ${resultats.lecture.rowsPerSecond} lignes/s)`);
    }
    if (p) {
      ratios.picRssPasserelleSurCsv = Math.round((p.peakRssMiB / mib(octets)) * 100) / 100;
      ratios.croissanceRssPasserelleSurCsv = Math.round(((p.peakRssMiB - p.rssAvantMiB) / mib(octets)) * 100) / 100;
      console.log(
        `mémoire passerelle : pic RSS ${f1(p.peakRssMiB)} MiB (VmHWM ${f1(p.vmHwmMiB)}) pour un CSV de ${f1(mib(octets))} MiB ; `
          + `croissance pendant le chargement ${f1(p.peakRssMiB - p.rssAvantMiB)} MiB = ×${f2(ratios.croissanceRssPasserelleSurCsv)} la taille du fichier`,
      );
      if (p.profil) {
        console.log(
          `\nOù va le temps de la passerelle (${f2(p.seconds)} s ; CPU Node ${f2(p.cpuSeconds)} s, CPU mariadbd ${p.cpuMysqldSeconds ?? '?'} s ; ${p.profil.paquets} transactions, paquets de ${TAILLE_PAQUET} lignes) :`,
        );
        for (const [k, v] of Object.entries(p.profil)) if (k !== 'paquets') console.log(`  ${k.padEnd(50)} ${v}`);
      }
    }
    for (const r of lignes)
      if (r.variant !== 'passerelle') console.log(`mémoire ${r.variant.padEnd(8)} : pic RSS ${f1(r.peakRssMiB)} MiB, VmHWM ${f1(r.vmHwmMiB)} MiB`);

    return {
      date: new Date().toISOString(),
      chargeAvant,
      chargeApres,
      csv: { lignes: n, octets, lignesNaif: nNaif },
      resultats: lignes,
      tours,
      ratiosParTour,
      ratios,
    };
  } finally {
    rmSync(dossier, { recursive: true, force: true });
  }
}
