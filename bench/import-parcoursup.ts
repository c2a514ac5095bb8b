/**
 * The OPI import benchmark: a Parcoursup gestion CSV export imported through the real path (the CLI's),
 * on MariaDB, against the raw driver writing the same rows, in the same run.
 *
 * Two roles in one file:
 * - the ORCHESTRATOR `benchImport()` (called by bench/run.ts): generates a BENCH_IMPORT_ROWS-row file
 *   (default 100,000), runs round 1 (`brut` then `passerelle` on it), the memory run(s) (`passerelle` on a
 *   BENCH_IMPORT_MEM_ROWS-row file, default 200,000, BENCH_IMPORT_MEM_ROUNDS times, default 1), then rounds 2…
 *   BENCH_IMPORT_ROUNDS (default 3; the order of the two variants alternates), EACH RUN IN ITS OWN CHILD PROCESS
 *   (so each peak RSS is its own). After round 1 a run is started only if its estimated duration fits in what is
 *   left of BENCH_IMPORT_BUDGET_S (default 300 s, 0 = no limit): what is left out is said. Prints min/median/max,
 *   the ratio and the memory verdict (peak RSS under BENCH_IMPORT_LIMITE_MIB, default 300), writes
 *   bench/results/import-parcoursup-<date>.json;
 * - ONE VARIANT in a child: `node dist/bench/import-parcoursup.js <passerelle|brut> <fichier.csv> <lignes>`
 *   → one JSON line on stdout. Each runs on a FRESH database `gw_bench_import_<random>` (or `$BENCH_DB`),
 *   created by the gateway's own migrations, dropped at the end. Only the import is timed.
 *
 * - passerelle: `demarrer` (src/server.ts), the file copied into the engine's reception folder, then exactly
 *   what scripts/importer.ts does: its SHA-256, `preparerImport` with `{format: 'parcoursup-csv',
 *   codeFormationPsup: '12345'}`, the pipeline operation `opi.importer`, `chargements.attendre` until the job
 *   ends; asserts TERMINE, every row read and created, none rejected, `individu_opi` and `voeu_opi` holding
 *   N rows each, no `doublon_opi` row. Wraps (at run time, src/ untouched) the job type's preparer/ecrire,
 *   ServiceOpi.preparer/ecrirePlusieurs, the OPI depot's chunk queries and the transactions to say where the time goes.
 * - brut: the same streaming reader (lireLignes), then per chunk of the job engine (TAILLE_PAQUET rows) one transaction with one multi-row
 *   `INSERT INTO individu_opi … VALUES ?` and one `INSERT INTO voeu_opi … VALUES ?` (ids from insertId),
 *   mysql2/promise, one connection: no mapping, no schema, no rules, no duplicate search, no job. The
 *   `donnees` documents have the gateway's shape and size: the canonical OPI of the model row is built
 *   ONCE by the real mapper before the timed part, then only the varying fields are replaced per row.
 *
 * Env: BENCH_MARIADB_URL (default mysql://root@127.0.0.1:3306/), BENCH_DB (database name, child only).
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, promises as fs, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { lireBase, lireConfig } from '../src/config';
import { demarrer, type Passerelle } from '../src/server';
import { preparerImport } from '../src/adapters/batch/fichiers-import';
import { PAIRES_IMPORT } from '../src/adapters/platforms/formats';
import { FORMAT_PARCOURSUP_CSV } from '../src/adapters/platforms/parcoursup';
import { lireLignes } from '../src/adapters/batch/lecteurs';
import { ServiceOpi } from '../src/application/opi';
import { aujourdhuiParis, anneeCampagne } from '../src/application/horloge';
import type { EtatJob } from '../src/application/jobs/moteur';
import type { TypeJob } from '../src/application/jobs/type-job';
import { DepotOpi } from '../src/persistence/depot-opi';
import { DepotJobs } from '../src/persistence/depot-jobs';
import type { DonneesOpi } from '../src/generated/opi';
import { cpuMysqld, optionsConnexion, URL_ADMIN } from './lp-bulk';
import { TAILLE_PAQUET } from '../src/application/jobs/moteur';

export const VARIANTES_IMPORT = ['passerelle', 'brut'] as const;
export type VarianteImport = (typeof VARIANTES_IMPORT)[number];

export interface ResultatImport {
  variant: VarianteImport;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Highest `process.memoryUsage().rss` sampled every 50 ms. */
  peakRssMiB: number;
  /** The kernel's high-water mark of this process (VmHWM), read at the end. */
  vmHwmMiB: number;
  rssAvantMiB: number;
  peakHeapUsedMiB: number;
  /** Highest V8 heap reserved (heapTotal) and highest memory outside it (external: Buffers…), sampled with the RSS. */
  peakHeapTotalMiB: number;
  peakExternalMiB: number;
  cpuSeconds: number;
  cpuMysqldSeconds?: number;
  csvOctets: number;
  verification: Record<string, number | string>;
  profil?: Record<string, number | string>;
}

const RACINE = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(RACINE, 'fixtures', 'parcoursup', 'gestion-export.csv');
const SCRIPT = __filename;
const MIB = 1024 * 1024;
/** The raw ceiling commits as often as the gateway does: one transaction per chunk of the job engine. */
const PAQUET_BRUT = TAILLE_PAQUET;
const PREMIER_NUMERO = 3_000_000;
const VALEURS_FORMULAIRE: Record<string, string> = { format: 'parcoursup-csv', codeFormationPsup: '12345' };
const arrondi = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function urlBase(nom: string): string {
  const u = new URL(URL_ADMIN.replace(/^mariadb:/, 'mysql:'));
  u.pathname = `/${nom}`;
  return u.toString();
}

// ------------------------------------------------------------------------------------------------
// The file: the fixture's header and first row, one distinct candidate per row.

/** 20 × 20 names whose comparison keys (upper case, no accents) are all distinct; some accents, hyphens, apostrophes. */
const NOMS = [
  'Durand',
  'Martin',
  'Bernard',
  'Lefèvre',
  'Rousseau',
  'Benali',
  "N'Diaye",
  'Le Goff',
  'Dupont-Moreau',
  'Garnier',
  'Chevalier',
  'Nguyen',
  'Kerbrat',
  'Fournier',
  'Boucher',
  'Mercier',
  'Ferrand',
  'Gauthier',
  'Perrin',
  'Hébert',
];
const PRENOMS: readonly [string, 'Mme' | 'M.'][] = [
  ['Léa', 'Mme'],
  ['Karim', 'M.'],
  ['Chloé', 'Mme'],
  ['Hugo', 'M.'],
  ['Emma', 'Mme'],
  ['Noé', 'M.'],
  ['Inès', 'Mme'],
  ['Mathéo', 'M.'],
  ['Zoé', 'Mme'],
  ['Yanis', 'M.'],
  ['Anaïs', 'Mme'],
  ['Jean-Baptiste', 'M.'],
  ['Maëlle', 'Mme'],
  ['Gaël', 'M.'],
  ['Sarah', 'Mme'],
  ['Adam', 'M.'],
  ['Jade', 'Mme'],
  ['Louis', 'M.'],
  ['Manon', 'Mme'],
  ['Éloi', 'M.'],
];
/** Birth dates: day 1–28 × 12 months × 2005–2008. */
const DATES = 28 * 12 * 4;

function sansAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The model row: the fixture's header and its first row (INE emptied: every row would share it). */
export function modele(): { entete: string; cellules: string[] } {
  const lignes = readFileSync(FIXTURE, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const cellules = lignes[1].split(';');
  cellules[5] = '';
  return { entete: lignes[0], cellules };
}

/**
 * Row i: candidate number 3,000,000 + i, a (name, first name, birth date) triple distinct for every
 * i < 537,600 (no duplicate candidates in the file or in the database), the civility of the first name, an
 * e-mail of its own. Everything else is the fixture's row (a valid one).
 */
export function ligneImport(i: number, m: ReturnType<typeof modele>): string {
  // The names change on every row, the date every 400 rows: (i mod 400, ⌊i / 400⌋) is distinct for every i.
  const k = i % 400;
  const jour = Math.floor(i / 400);
  const a = k % 20;
  const b = (Math.floor(k / 20) + 7 * a) % 20; // k ↦ (a, b) is a bijection of 0…399 onto the name pairs
  const nom = NOMS[a];
  const [prenom, civilite] = PRENOMS[b];
  const v = [...m.cellules];
  const numero = String(PREMIER_NUMERO + i);
  v[0] = numero;
  v[1] = civilite;
  v[2] = nom;
  v[3] = prenom;
  v[4] = `${String((jour % 28) + 1).padStart(2, '0')}/${String((Math.floor(jour / 28) % 12) + 1).padStart(2, '0')}/${2005 + Math.floor(jour / 336)}`;
  v[6] = `${sansAccents(prenom)}.${sansAccents(nom)}.${numero}@example.org`;
  return v.join(';');
}

/** Writes the N-row file like the fixture (UTF-8 with BOM, `;`, CRLF), streamed (256 rows per write, back-pressure honoured). Same N ⇒ same file. */
export async function genererCsvParcoursup(fichier: string, n: number): Promise<{ lignes: number; octets: number }> {
  if (!Number.isInteger(n) || n < 1 || n > 20 * 20 * DATES) throw new Error(`nombre de lignes invalide : ${n} (1 à ${20 * 20 * DATES})`);
  const m = modele();
  const sortie = createWriteStream(fichier, { encoding: 'utf8' });
  const erreur = new Promise<never>((_, reject) => sortie.once('error', reject));
  erreur.catch(() => undefined);
  const ecrire = async (texte: string) => {
    if (!sortie.write(texte)) await Promise.race([once(sortie, 'drain'), erreur]);
  };
  await ecrire(`\uFEFF${m.entete}\r\n`);
  let tampon: string[] = [];
  for (let i = 0; i < n; i++) {
    tampon.push(ligneImport(i, m));
    if (tampon.length === 256) {
      await ecrire(`${tampon.join('\r\n')}\r\n`);
      tampon = [];
    }
  }
  if (tampon.length) await ecrire(`${tampon.join('\r\n')}\r\n`);
  sortie.end();
  await Promise.race([once(sortie, 'finish'), erreur]);
  return { lignes: n, octets: sortie.bytesWritten };
}

// ------------------------------------------------------------------------------------------------
// Measures (as lp-bulk.ts): RSS sampled every 50 ms, VmHWM at the end, CPU of Node and of mariadbd.

let picRss = 0;
let picHeap = 0;
let picHeapTotal = 0;
let picExterne = 0;
function echantillon(): void {
  const m = process.memoryUsage();
  if (m.rss > picRss) picRss = m.rss;
  if (m.heapUsed > picHeap) picHeap = m.heapUsed;
  if (m.heapTotal > picHeapTotal) picHeapTotal = m.heapTotal;
  if (m.external > picExterne) picExterne = m.external;
}
function vmHwmMiB(): number {
  const l = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((x) => x.startsWith('VmHWM:'));
  return arrondi((l ? Number(l.replace(/\D+/g, '')) : Number.NaN) / 1024);
}

interface Mesure {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  cpuMysqldSeconds?: number;
  rssAvant: number;
  verification: Record<string, number | string>;
  profil?: Record<string, number | string>;
}

function debut() {
  echantillon();
  return { t0: performance.now(), cpu0: process.cpuUsage(), rssAvant: process.memoryUsage().rss, mysqld0: cpuMysqld() };
}
function fin(d: ReturnType<typeof debut>): { seconds: number; cpuSeconds: number; cpuMysqldSeconds?: number } {
  const cpu = process.cpuUsage(d.cpu0);
  const mysqld = cpuMysqld();
  return {
    seconds: (performance.now() - d.t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(d.mysqld0 !== undefined && mysqld !== undefined ? { cpuMysqldSeconds: mysqld - d.mysqld0 } : {}),
  };
}

/** The OPI store's methods a chunk's write calls (timed apart). */
const SQL_OPI = ['etatsPourMiseAJour', 'partageantUnCritere', 'pairesConnues', 'creerPlusieurs', 'remplacerVoeuxDePlusieurs', 'ajouterDoublons'] as const;

// Cumulated wall time and call count of wrapped async methods (await to await).
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
const appels = (nom: string) => chrono[nom]?.n ?? 0;

async function compter(q: (sql: string) => Promise<unknown>, table: string): Promise<number> {
  const r = (await q(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
  return Number(r[0].n);
}

function configuration(nomBase: string, dossier: string) {
  return { ...lireConfig({ LOG_LEVEL: 'error', BULK_DIR: path.join(dossier, 'lots') }), base: lireBase(urlBase(nomBase)) };
}

async function sha256Fichier(fichier: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(fichier)) h.update(c as Buffer);
  return h.digest('hex');
}

// ------------------------------------------------------------------------------------------------
// passerelle: the CLI's path (scripts/importer.ts), in this process.

async function variantePasserelle(fichier: string, nomBase: string, attendues: number): Promise<Mesure> {
  const dossier = await fs.mkdtemp(path.join(tmpdir(), 'gw-bench-import-'));
  try {
    envelopper(ServiceOpi.prototype, 'preparer', 'opi.preparer');
    envelopper(ServiceOpi.prototype, 'ecrirePlusieurs', 'opi.ecrirePlusieurs');
    for (const m of SQL_OPI) envelopper(DepotOpi.prototype, m, `sql.${m}`);
    envelopper(DepotJobs.prototype, 'ajouterRejets', 'sql.ajouterRejets');
    envelopper(DepotJobs.prototype, 'ajouterCompteurs', 'sql.ajouterCompteurs');
    envelopper(DepotJobs.prototype, 'prendreBail', 'sql.prendreBail');

    const p = await demarrer(configuration(nomBase, dossier));
    try {
      // The job type of the format (the engine's own object: wrapping its methods wraps what the engine calls).
      const types = (p.services.chargements as unknown as { types: Map<string, TypeJob> }).types;
      const type = types.get('IMPORT_PARCOURSUP_CSV');
      if (!type) throw new Error("type de job IMPORT_PARCOURSUP_CSV introuvable (l'import Parcoursup n'est plus déclaré ?)");
      envelopper(type, 'preparer', 'type.preparer');
      envelopper(type, 'ecrire', 'type.ecrire');
      envelopper(p.services.unite, 'executer', 'transaction');

      // As the CLI: a copy in the engine's reception folder (the job consumes its file). Not timed.
      const reception = path.join(p.services.chargements.dossier, 'reception');
      mkdirSync(reception, { recursive: true });
      const copie = path.join(reception, `bench-${randomBytes(4).toString('hex')}`);
      await fs.copyFile(fichier, copie);
      const temporaires = [copie];

      const d = debut();
      const ctx = { porte: 'CLI' as const, client: 'bench', requestId: `bench-${randomBytes(4).toString('hex')}` };
      const entrants = [{ fichier: copie, nomFichier: path.basename(fichier), empreinte: await sha256Fichier(copie) }];
      const imp = await preparerImport(entrants, (nom) => VALEURS_FORMULAIRE[nom], {
        dossier: p.services.chargements.dossier,
        paires: PAIRES_IMPORT,
        temporaires,
      });
      const x = await p.services.pipeline.executer<EtatJob>(ctx, 'opi.importer', imp.entree, { charge: imp.empreintes, controle: imp.controle });
      imp.confier();
      const job = x.valeur!;
      let etat = await p.services.chargements.attendre(job.id, 30 * 60_000);
      while (!etat.finLe) etat = await p.services.chargements.attendre(job.id, 30 * 60_000);
      await p.services.chargements.inactif();
      const t = fin(d);

      if (etat.etat !== 'TERMINE' || etat.lignesLues !== attendues || etat.creees !== attendues || etat.lignesRejetees !== 0) {
        const rejets = await p.services.chargements.rejets(job.id, 0, 3);
        throw new Error(
          `import incorrect : ${JSON.stringify({ etat: etat.etat, lues: etat.lignesLues, creees: etat.creees, rejetees: etat.lignesRejetees, erreur: etat.erreur })}`
            + (rejets.length ? ` ; premiers rejets : ${JSON.stringify(rejets.map((r) => ({ ligne: r.numLigne, problemes: r.problemes })))}` : ''),
        );
      }
      const q = (sql: string) => p.source.query(sql);
      const individus = await compter(q, 'individu_opi');
      const voeux = await compter(q, 'voeu_opi');
      const doublons = await compter(q, 'doublon_opi');
      if (individus !== attendues || voeux !== attendues)
        throw new Error(`individu_opi compte ${individus} lignes, voeu_opi ${voeux} ; ${attendues} attendues dans chacune`);
      if (doublons !== 0) throw new Error(`doublon_opi compte ${doublons} lignes : le fichier devait n'avoir aucun doublon`);
      const journal = await compter(q, 'journal');

      const total = t.seconds * 1000;
      const sqlOpi = SQL_OPI.reduce((s, k) => s + ms(`sql.${k}`), 0);
      const s = (x: number) => arrondi(x / 1000, 2);
      const profil: Record<string, number | string> = {
        paquets: appels('type.ecrire'),
        'préparer (mappage + schéma + règles) s': s(ms('type.preparer')),
        '  dont schéma + règles (ServiceOpi.preparer) s': s(ms('opi.preparer')),
        '  dont mappage Parcoursup + doublons du fichier s': s(ms('type.preparer') - ms('opi.preparer')),
        'transactions (BEGIN…COMMIT) s': s(ms('transaction')),
        '  dont écrire (ServiceOpi.ecrirePlusieurs, par paquet) s': s(ms('type.ecrire')),
        '    dont SELECT … FOR UPDATE des états s': s(ms('sql.etatsPourMiseAJour')),
        '    dont recherche de doublons du paquet (SELECT) s': s(ms('sql.partageantUnCritere') + ms('sql.pairesConnues')),
        '    dont INSERT individus + relecture des ids s': s(ms('sql.creerPlusieurs')),
        '    dont INSERT vœux s': s(ms('sql.remplacerVoeuxDePlusieurs')),
        '    dont ajout des doublons s': s(ms('sql.ajouterDoublons')),
        '    dont empreintes, lignes, doublons en mémoire (CPU) s': s(ms('opi.ecrirePlusieurs') - sqlOpi),
        '  dont bail + rejets + compteurs du job s': s(ms('sql.prendreBail') + ms('sql.ajouterRejets') + ms('sql.ajouterCompteurs')),
        '  dont BEGIN/COMMIT et reste s': s(
          ms('transaction') - ms('type.ecrire') - ms('sql.prendreBail') - ms('sql.ajouterRejets') - ms('sql.ajouterCompteurs'),
        ),
        // The next chunk is prepared while one is written: the two sums overlap by this much of the wall time.
        'recouvrement préparation / écriture s': s(ms('type.preparer') + ms('transaction') - total),
        'appels au dépôt OPI par paquet': arrondi(SQL_OPI.reduce((n, k) => n + appels(`sql.${k}`), 0) / Math.max(1, appels('type.ecrire')), 1),
      };
      return {
        rows: individus,
        ...t,
        rssAvant: d.rssAvant,
        verification: {
          etat: etat.etat,
          lues: etat.lignesLues,
          creees: etat.creees,
          rejetees: etat.lignesRejetees,
          individu_opi: individus,
          voeu_opi: voeux,
          doublon_opi: doublons,
          journal,
        },
        profil,
      };
    } finally {
      await p.arreter();
    }
  } finally {
    await fs.rm(dossier, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
// brut: the raw driver, the same rows.

const COLONNES_INDIVIDU = [
  'codOpiIntEpo',
  'codEtuOpi',
  'libNomPatIndOpi',
  'libNomUsuIndOpi',
  'libPr1IndOpi',
  'cleNomPat',
  'clePr1',
  'dateNaiIndOpi',
  'codNneIndOpi',
  'codCleNneIndOpi',
  'codSexEtuOpi',
  'codPayNat',
  'codRgi',
  'codStu',
  'codAnu',
  'donnees',
  'empreinte',
  'source',
  'version',
  'creeLe',
  'modifieLe',
] as const;
const COLONNES_VOEU = [
  'individuOpiId',
  'rang',
  'numCls',
  'codCge',
  'codEtp',
  'codVrsVet',
  'codDip',
  'codVrsVdi',
  'codCmp',
  'codDecVeu',
  'codDemDos',
  'codRge',
  'codCatOuiSi',
  'mtfCat',
  'codCatExoExt',
  'comExoExt',
  'donnees',
] as const;
const EMPREINTE_FACTICE = 'c'.repeat(64);

/** The canonical OPI of the model row, by the real mapper and schema (done once, before the timed part). */
async function opiModele(p: Passerelle): Promise<DonneesOpi> {
  const m = modele();
  const colonnes = m.entete.split(';');
  const valeurs = Object.fromEntries(colonnes.map((c, i) => [c, ligneImport(0, m).split(';')[i]]));
  const ctx = {
    catalogue: await p.services.nomenclatures.catalogue(),
    codAnu: anneeCampagne(aujourdhuiParis()),
    formationFichier: { codeFormationPsup: VALEURS_FORMULAIRE.codeFormationPsup },
  };
  const c = FORMAT_PARCOURSUP_CSV.mapper(valeurs, ctx);
  if (!c.opi || c.problemes.length) throw new Error(`ligne modèle non valide : ${JSON.stringify(c.problemes)}`);
  return (await p.services.opi.preparer({ corps: c.opi })).opi;
}

function cle(s: string, max: number): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .slice(0, max);
}

async function varianteBrut(fichier: string, nomBase: string, attendues: number): Promise<Mesure> {
  const dossier = await fs.mkdtemp(path.join(tmpdir(), 'gw-bench-import-'));
  let opi: DonneesOpi;
  try {
    // Schema and nomenclatures by the gateway itself; the model OPI by its mapper. Then the gateway stops.
    const p = await demarrer(configuration(nomBase, dossier), { arrierePlan: false });
    try {
      opi = await opiModele(p);
    } finally {
      await p.arreter();
    }
  } finally {
    await fs.rm(dossier, { recursive: true, force: true });
  }
  const { voeux, ...sansVoeux } = opi;
  const voeu = voeux![0];
  const donneesVoeu = JSON.stringify(voeu);
  const codAnu = anneeCampagne(aujourdhuiParis());
  const prefixe = `P${codAnu.slice(2)}`;

  const cx = await mysql.createConnection({ ...optionsConnexion(), database: nomBase, charset: 'utf8mb4_unicode_ci', timezone: 'Z' });
  try {
    const [[{ pas }]] = (await cx.query('SELECT @@auto_increment_increment AS pas')) as unknown as [{ pas: number }[]];
    const sqlIndividu = `INSERT INTO individu_opi (${COLONNES_INDIVIDU.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
    const sqlVoeu = `INSERT INTO voeu_opi (${COLONNES_VOEU.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
    const ecrirePaquet = async (individus: unknown[][]) => {
      await cx.beginTransaction();
      try {
        const [r] = (await cx.query(sqlIndividu, [individus])) as unknown as [{ insertId: number }];
        // One connection, one simple multi-row INSERT: consecutive ids from insertId (checked by the JOIN below).
        const lignesVoeu = individus.map((_, k) => [
          r.insertId + k * Number(pas),
          0,
          voeu.numCls,
          voeu.codCge,
          voeu.codEtp,
          voeu.codVrsVet,
          voeu.codDip ?? null,
          voeu.codVrsVdi ?? null,
          voeu.codCmp ?? null,
          voeu.codDecVeu,
          voeu.codDemDos,
          voeu.codRge ?? null,
          voeu.codCatOuiSi ?? null,
          voeu.mtfCat ?? null,
          voeu.codCatExoExt ?? null,
          voeu.comExoExt ?? null,
          donneesVoeu,
        ]);
        await cx.query(sqlVoeu, [lignesVoeu]);
        await cx.commit();
      } catch (err) {
        await cx.rollback().catch(() => undefined);
        throw err;
      }
    };

    const d = debut();
    let rows = 0;
    let paquet: unknown[][] = [];
    for await (const l of lireLignes(fichier, { format: 'csv', colonnes: FORMAT_PARCOURSUP_CSV.colonnes })) {
      const v = l.valeurs as Record<string, string>;
      const code = `${prefixe}${v['Numéro candidat'].padStart(7, '0')}`;
      const [jj, mm, aaaa] = v['Date de naissance'].split('/');
      const dateNai = `${aaaa}-${mm}-${jj}`;
      const sexe = v.Civilité === 'Mme' ? 'F' : 'M';
      const ind = sansVoeux.individu;
      const donnees = JSON.stringify({
        ...sansVoeux,
        individu: {
          ...ind,
          codOpiIntEpo: code,
          etatCivil: { ...ind.etatCivil, libNomPatIndOpi: v.Nom, libPr1IndOpi: v.Prénom, codSexEtuOpi: sexe },
          donneesNaissance: { ...ind.donneesNaissance, dateNaiIndOpi: dateNai },
          donneesPersonnelles: { ...ind.donneesPersonnelles, adrMailOpi: v['e-mail du candidat'] },
        },
      });
      const maintenant = new Date();
      paquet.push([
        code,
        null,
        v.Nom,
        null,
        v.Prénom,
        cle(v.Nom, 30),
        cle(v.Prénom, 20),
        dateNai,
        null,
        null,
        sexe,
        ind.donneesNaissance.codPayNat ?? null,
        null,
        null,
        codAnu,
        donnees,
        EMPREINTE_FACTICE,
        'bench',
        1,
        maintenant,
        maintenant,
      ]);
      rows++;
      if (paquet.length === PAQUET_BRUT) {
        await ecrirePaquet(paquet);
        paquet = [];
      }
    }
    if (paquet.length) await ecrirePaquet(paquet);
    const t = fin(d);

    const q = async (sql: string) => (await cx.query(sql))[0];
    const individus = await compter(q, 'individu_opi');
    const nVoeux = await compter(q, 'voeu_opi');
    const joints = await compter(q, 'voeu_opi v JOIN individu_opi i ON i.id = v.individuOpiId');
    if (rows !== attendues || individus !== attendues || nVoeux !== attendues || joints !== attendues)
      throw new Error(`brut : ${rows} lignes lues, individu_opi ${individus}, voeu_opi ${nVoeux}, vœux rattachés ${joints} ; ${attendues} attendues`);
    return { rows, ...t, rssAvant: d.rssAvant, verification: { individu_opi: individus, voeu_opi: nVoeux, voeuxRattaches: joints } };
  } finally {
    await cx.end();
  }
}

// ------------------------------------------------------------------------------------------------
// One variant, in this (child) process.

export async function executerVariante(variante: VarianteImport, fichier: string, lignes: number): Promise<ResultatImport> {
  const echantillonneur = setInterval(echantillon, 50);
  const nomBase = process.env.BENCH_DB ?? `gw_bench_import_${randomBytes(4).toString('hex')}`;
  if (!/^gw_bench_\w+$/.test(nomBase)) throw new Error(`BENCH_DB=${nomBase} : un nom gw_bench_* est attendu`);
  const admin = await mysql.createConnection(optionsConnexion());
  try {
    await admin.query(`CREATE DATABASE \`${nomBase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const m = variante === 'passerelle' ? await variantePasserelle(fichier, nomBase, lignes) : await varianteBrut(fichier, nomBase, lignes);
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
      peakHeapTotalMiB: arrondi(picHeapTotal / MIB),
      peakExternalMiB: arrondi(picExterne / MIB),
      cpuSeconds: arrondi(m.cpuSeconds, 2),
      ...(m.cpuMysqldSeconds !== undefined ? { cpuMysqldSeconds: arrondi(m.cpuMysqldSeconds, 2) } : {}),
      csvOctets: statSync(fichier).size,
      verification: m.verification,
      ...(m.profil ? { profil: m.profil } : {}),
    };
  } finally {
    clearInterval(echantillonneur);
    await admin.query(`DROP DATABASE IF EXISTS \`${nomBase}\``).catch(() => undefined);
    await admin.end();
  }
}

// ------------------------------------------------------------------------------------------------
// The orchestrator (bench/run.ts).

function entierEnv(nom: string, defaut: number, min = 1): number {
  const v = process.env[nom];
  if (v === undefined || v === '') return defaut;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${nom}=${v} : un entier ≥ ${min} est attendu`);
  return Number(v);
}

async function supprimerBase(nom: string): Promise<void> {
  const cx = await mysql.createConnection(optionsConnexion());
  try {
    await cx.query(`DROP DATABASE IF EXISTS \`${nom}\``);
  } finally {
    await cx.end();
  }
}

async function lancer(variante: VarianteImport, csv: string, lignes: number, libelle: string): Promise<ResultatImport> {
  const base = `gw_bench_import_${variante}_${randomBytes(4).toString('hex')}`;
  process.stderr.write(`  ${libelle} ${variante} (${lignes} lignes)… `);
  try {
    const sortie = execFileSync(process.execPath, [SCRIPT, variante, csv, String(lignes)], {
      env: { ...process.env, BENCH_DB: base },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      timeout: 15 * 60_000,
    });
    const r = JSON.parse(sortie.trim().split('\n').pop()!) as ResultatImport;
    process.stderr.write(`${r.seconds} s, ${r.rowsPerSecond} lignes/s, VmHWM ${r.vmHwmMiB} MiB\n`);
    return r;
  } finally {
    await supprimerBase(base).catch(() => undefined); // if the child died before its own cleanup
  }
}

function stats(xs: number[]): { min: number; mediane: number; max: number } {
  const t = [...xs].sort((a, b) => a - b);
  const m = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  return { min: t[0], mediane: arrondi(m, 2), max: t[t.length - 1] };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** A run the budget left out: what it was, its estimated duration, the budget left. */
interface Saute {
  quoi: string;
  estimeSecondes: number;
  resteSecondes: number;
}

/**
 * The whole import benchmark; `version` is MariaDB's, checked by the caller. Order: round 1 (brut and
 * passerelle, 100,000 rows), then the memory run (200,000 rows), then rounds 2… — each after the first only if
 * its duration, estimated from the rates measured so far, fits in what is left of BENCH_IMPORT_BUDGET_S
 * (0: no budget). What is left out is said, with its estimate, in the output and the JSON.
 */
export async function benchImport(version: string): Promise<Record<string, unknown>> {
  const n = entierEnv('BENCH_IMPORT_ROWS', 100_000);
  const tours = entierEnv('BENCH_IMPORT_ROUNDS', 3);
  const nMemoire = entierEnv('BENCH_IMPORT_MEM_ROWS', 200_000, 0);
  const toursMemoire = entierEnv('BENCH_IMPORT_MEM_ROUNDS', 1, 0);
  const limiteMiB = entierEnv('BENCH_IMPORT_LIMITE_MIB', 300);
  const budget = entierEnv('BENCH_IMPORT_BUDGET_S', 300, 0);

  const dossier = mkdtempSync(path.join(tmpdir(), 'gw-bench-import-'));
  try {
    const fichiers = new Map<number, { csv: string; octets: number }>();
    const fichier = async (lignes: number) => {
      const deja = fichiers.get(lignes);
      if (deja) return deja;
      const csv = path.join(dossier, `parcoursup-${lignes}.csv`);
      process.stderr.write(`Génération de ${lignes} lignes Parcoursup… `);
      const t0 = performance.now();
      const { octets } = await genererCsvParcoursup(csv, lignes);
      process.stderr.write(`${f1(octets / MIB)} MiB en ${f1((performance.now() - t0) / 1000)} s\n`);
      fichiers.set(lignes, { csv, octets });
      return { csv, octets };
    };
    const principal = await fichier(n);
    const chargeAvant = loadavg();
    const debutRun = performance.now();
    const ecoule = () => (performance.now() - debutRun) / 1000;
    const sautes: Saute[] = [];
    /** Fits in the budget? Else noted as left out. */
    const tient = (quoi: string, estime: number) => {
      const reste = budget - ecoule();
      if (budget === 0 || estime <= reste) return true;
      sautes.push({ quoi, estimeSecondes: Math.round(estime), resteSecondes: Math.max(0, Math.round(reste)) });
      process.stderr.write(`  ${quoi} : sauté (estimé ${Math.round(estime)} s, reste ${Math.max(0, Math.round(reste))} s du budget de ${budget} s)\n`);
      return false;
    };

    const parTour: { tour: number; brut: ResultatImport; passerelle: ResultatImport; ratio: number; secondes: number }[] = [];
    const tour = async (t: number) => {
      // Interleaved: brut first on odd rounds, passerelle first on even ones (a drift of the machine weighs on both).
      const ordre: VarianteImport[] = t % 2 ? ['brut', 'passerelle'] : ['passerelle', 'brut'];
      const r: Partial<Record<VarianteImport, ResultatImport>> = {};
      const t0 = performance.now();
      for (const v of ordre) r[v] = await lancer(v, principal.csv, n, `tour ${t}/${tours}`);
      parTour.push({
        tour: t,
        brut: r.brut!,
        passerelle: r.passerelle!,
        ratio: arrondi(r.passerelle!.rowsPerSecond / r.brut!.rowsPerSecond, 3),
        secondes: arrondi((performance.now() - t0) / 1000),
      });
    };
    const memoire: ResultatImport[] = [];

    await tour(1);
    // A run costs its rows at the rate measured, plus the child's start-up (the round's wall time less the timed parts).
    const fixe = Math.max(0, parTour[0].secondes - parTour[0].brut.seconds - parTour[0].passerelle.seconds) / 2;
    if (nMemoire && toursMemoire) {
      for (let i = 1; i <= toursMemoire; i++) {
        if (!tient(`mémoire ${i}/${toursMemoire} (${nMemoire} lignes)`, nMemoire / parTour[0].passerelle.rowsPerSecond + fixe)) break;
        memoire.push(await lancer('passerelle', (await fichier(nMemoire)).csv, nMemoire, `mémoire ${i}/${toursMemoire}`));
      }
    }
    for (let t = 2; t <= tours; t++) {
      if (!tient(`tour ${t}/${tours}`, parTour[0].secondes)) break;
      await tour(t);
    }
    const chargeApres = loadavg();
    const dureeRun = ecoule();

    // ---- summary
    const resume = (liste: ResultatImport[]) => ({
      rowsPerSecond: stats(liste.map((r) => r.rowsPerSecond)),
      seconds: stats(liste.map((r) => r.seconds)),
      cpuSeconds: stats(liste.map((r) => r.cpuSeconds)),
      cpuMysqldSeconds: liste.every((r) => r.cpuMysqldSeconds !== undefined) ? stats(liste.map((r) => r.cpuMysqldSeconds!)) : undefined,
      vmHwmMiB: stats(liste.map((r) => r.vmHwmMiB)),
      peakRssMiB: stats(liste.map((r) => r.peakRssMiB)),
    });
    const brut = resume(parTour.map((t) => t.brut));
    const passerelle = resume(parTour.map((t) => t.passerelle));
    const ratio = stats(parTour.map((t) => t.ratio));
    const ratioMedianes = arrondi(passerelle.rowsPerSecond.mediane / brut.rowsPerSecond.mediane, 3);
    const pic = (l: ResultatImport[]) => Math.max(...l.map((r) => Math.max(r.vmHwmMiB, r.peakRssMiB)));
    const pic100 = pic(parTour.map((t) => t.passerelle));
    const pic200 = memoire.length ? pic(memoire) : undefined;
    // Under the limit: every passerelle run of this benchmark under it; unknown if the big file was not run and the small one was under.
    const verdict = Math.max(pic100, pic200 ?? 0) >= limiteMiB ? 'AU-DESSUS' : pic200 === undefined ? 'NON VÉRIFIÉ' : 'SOUS';

    console.log(
      `Import OPI d'un export de gestion Parcoursup (CSV ${n} lignes, ${f1(principal.octets / MIB)} MiB), MariaDB ${version}, ${cpus().length} cœurs, `
        + `${parTour.length} tour(s) alternés sur ${tours}, budget ${budget ? `${budget} s` : 'illimité'}, charge ${chargeAvant.map(f2).join('/')} → ${chargeApres.map(f2).join('/')}`,
    );
    const entete = [
      'tour',
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
      'heap réservé MiB',
    ];
    const ligne = (libelle: string, r: ResultatImport) => [
      libelle,
      r.variant,
      String(r.rows),
      f2(r.seconds),
      String(r.rowsPerSecond),
      f2(r.cpuSeconds),
      r.cpuMysqldSeconds === undefined ? '-' : f2(r.cpuMysqldSeconds),
      f1(r.rssAvantMiB),
      f1(r.peakRssMiB),
      f1(r.vmHwmMiB),
      f1(r.peakHeapUsedMiB),
      f1(r.peakHeapTotalMiB),
    ];
    const table = [
      entete,
      ...parTour.flatMap((t) =>
        t.tour % 2
          ? [ligne(String(t.tour), t.brut), ligne(String(t.tour), t.passerelle)]
          : [ligne(String(t.tour), t.passerelle), ligne(String(t.tour), t.brut)],
      ),
      ...memoire.map((r, i) => ligne(`mém ${i + 1}`, r)),
    ];
    const largeurs = entete.map((_, i) => Math.max(...table.map((l) => l[i].length)));
    for (const l of table) console.log(l.map((c, i) => (i <= 1 ? c.padEnd(largeurs[i]) : c.padStart(largeurs[i]))).join('  '));

    const mmm = (s: { min: number; mediane: number; max: number }, d = 0) => `${s.min.toFixed(d)} / ${s.mediane.toFixed(d)} / ${s.max.toFixed(d)}`;
    console.log(`\n(min / médiane / max sur ${parTour.length} tour(s))`);
    console.log(
      `brut       lignes/s : ${mmm(brut.rowsPerSecond)}   CPU node ${mmm(brut.cpuSeconds, 1)} s, CPU mariadbd ${brut.cpuMysqldSeconds ? mmm(brut.cpuMysqldSeconds, 1) : '?'} s`,
    );
    console.log(
      `passerelle lignes/s : ${mmm(passerelle.rowsPerSecond)}   CPU node ${mmm(passerelle.cpuSeconds, 1)} s, CPU mariadbd ${passerelle.cpuMysqldSeconds ? mmm(passerelle.cpuMysqldSeconds, 1) : '?'} s`,
    );
    console.log(
      `passerelle ÷ brut (lignes/s, par tour) : ×${mmm(ratio, 3)} ; rapport des médianes ×${ratioMedianes.toFixed(3)} (brut = plafond du pilote, rien de vérifié)`,
    );
    const mo = (mib: number) => f1((mib * MIB) / 1e6);
    console.log(`mémoire passerelle, ${n} lignes : pic ${f1(pic100)} MiB (${mo(pic100)} Mo), le plus haut des tours (VmHWM ou RSS échantillonné)`);
    if (pic200 !== undefined) console.log(`mémoire passerelle, ${nMemoire} lignes : pic ${f1(pic200)} MiB (${mo(pic200)} Mo)`);
    console.log(
      `exigence « pic RSS < ${limiteMiB} MiB » : ${verdict}${verdict === 'NON VÉRIFIÉ' ? ` (le fichier de ${nMemoire} lignes n'a pas été importé : BENCH_IMPORT_BUDGET_S=0 pour tout lancer)` : ''}`,
    );
    for (const s of sautes)
      console.log(`sauté : ${s.quoi} (estimé ${s.estimeSecondes} s, restait ${s.resteSecondes} s du budget ; BENCH_IMPORT_BUDGET_S=0 pour tout lancer)`);
    const p1 = parTour[0].passerelle.profil;
    if (p1) {
      console.log(`\nOù va le temps de la passerelle (tour 1 : ${f2(parTour[0].passerelle.seconds)} s, ${p1.paquets} paquets de ${TAILLE_PAQUET}) :`);
      for (const [k, v] of Object.entries(p1)) if (k !== 'paquets') console.log(`  ${k.padEnd(62)} ${v}`);
    }
    console.log(`(import : ${f1(dureeRun)} s en tout)`);

    // ---- what bench/run.ts keeps
    const date = new Date();
    return {
      date: date.toISOString(),
      mariadb: version,
      node: process.version,
      coeurs: cpus().length,
      chargeAvant,
      chargeApres,
      budgetSecondes: budget || null,
      dureeSecondes: arrondi(dureeRun),
      formulaire: VALEURS_FORMULAIRE,
      csv: [...fichiers].map(([lignes, f]) => ({ lignes, octets: f.octets })),
      tours: parTour,
      memoire,
      sautes,
      resume: {
        brut,
        passerelle,
        ratioPasserelleSurBrutParTour: ratio,
        ratioDesMedianes: ratioMedianes,
        picMemoirePasserelleMiB: { [n]: pic100, ...(pic200 !== undefined ? { [nMemoire]: pic200 } : {}) },
        limiteMiB,
        verdict,
      },
    };
  } finally {
    rmSync(dossier, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [variante, fichier, lignes] = process.argv.slice(2);
  if (variante === 'generer' && fichier) {
    genererCsvParcoursup(path.resolve(fichier), Number(lignes ?? 100_000)).then(
      (r) => console.log(JSON.stringify(r)),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  } else if (!(VARIANTES_IMPORT as readonly string[]).includes(variante) || !fichier || !/^\d+$/.test(lignes ?? '')) {
    console.error(`usage : node dist/bench/import-parcoursup.js <${VARIANTES_IMPORT.join('|')}> <fichier.csv> <lignes>   |   generer <fichier.csv> [N]`);
    process.exit(2);
  } else {
    executerVariante(variante as VarianteImport, path.resolve(fichier), Number(lignes)).then(
      (r) => {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        process.exit(0);
      },
      (err) => {
        console.error(`import-parcoursup ${variante} : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exit(1);
      },
    );
  }
}
