/**
 * `npm run bench`: every benchmark on MariaDB in one run, each against its baseline measured in the same
 * run, each measurement on a database of its own (created, dropped after):
 * 1. `unitaires`: single-record OPI writes, REST and SOAP, new and unchanged, at 8 and 32 connections,
 *    against the raw driver (bench/opi-unitaire.ts);
 * 2. `ouverte`: 200 requests/s in open loop: 10 s on fresh processes (the cold start, apart), 60 s idle,
 *    then 30 s measured, latency from the scheduled send time, memory of every gateway process, against
 *    the raw driver at the same rate (bench/charge-ouverte.ts);
 * 3. `lp`: a laissez-passer CSV file, against a raw multi-row INSERT and TypeORM `save()` of arrays (bench/lp-orchestre.ts);
 * 4. `import`: an OPI import of a Parcoursup export, against a raw multi-row INSERT (bench/import-parcoursup.ts).
 * `--complet` adds `million` (a 1,000,000-row LP file, peak memory) and `endurance` (10 minutes at 200/s).
 * Only some: `npm run bench -- unitaires,lp` (or BENCH=…). Prints the targets table; writes
 * bench/results/latest.json and bench/results/<date>.md (not committed by default: results worth
 * keeping are added by hand).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { benchUnitaires } from './opi-unitaire';
import { benchOuverte } from './charge-ouverte';
import { benchLp, entierEnv, verifierMariaDb } from './lp-orchestre';
import { benchSoap } from './lp-soap';
import { benchImport } from './import-parcoursup';
import { markdown, objectifs, type ResultatBench } from './rapport';
import { RACINE } from './outils';

const PARTIES = ['unitaires', 'ouverte', 'lp', 'soap', 'import'] as const;
const COMPLET = ['million', 'endurance'] as const;
type Partie = (typeof PARTIES)[number] | (typeof COMPLET)[number];

function partiesDemandees(): Partie[] {
  const args = process.argv.slice(2);
  const complet = args.includes('--complet');
  const liste = args.find((a) => !a.startsWith('--')) ?? process.env.BENCH;
  const choix = liste
    ? liste
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean)
        .map((x) => (x === 'opi' ? 'unitaires' : x))
    : [...PARTIES, ...(complet ? COMPLET : [])];
  const connues: readonly string[] = [...PARTIES, ...COMPLET];
  for (const b of choix) if (!connues.includes(b)) throw new Error(`benchmark inconnu : ${b} (attendus : ${connues.join(', ')} ; --complet pour tout)`);
  return choix as Partie[];
}

async function principal(): Promise<void> {
  const parties = partiesDemandees();
  const version = await verifierMariaDb();
  const t0 = Date.now();
  const r: ResultatBench = {
    date: new Date().toISOString(),
    machine: { coeurs: cpus().length, node: process.version, mariadb: version, chargeAvant: loadavg() },
  };
  const debit = entierEnv('BENCH_DEBIT', 200);
  for (const p of parties) {
    console.error(`\n== ${p}`);
    if (p === 'unitaires') r.unitaires = await benchUnitaires();
    if (p === 'ouverte')
      r.ouverte = await benchOuverte({
        debit,
        dureeS: entierEnv('BENCH_OUVERTE_S', 30),
        reposS: entierEnv('BENCH_REPOS_S', 60),
        froidS: entierEnv('BENCH_FROID_S', 10),
      });
    if (p === 'lp') r.lp = await benchLp(version);
    if (p === 'soap') r.soap = await benchSoap();
    if (p === 'import') {
      // Within the default run's ten minutes: the import's rounds stop at this budget (what is left out is said).
      process.env.BENCH_IMPORT_BUDGET_S ??= parties.length > 1 ? '150' : '300';
      r.import = await benchImport(version);
    }
    if (p === 'million') r.lpMillion = await benchLp(version, { lignes: 1_000_000, variantes: 'brut,passerelle', tours: 1 });
    if (p === 'endurance') r.endurance = await benchOuverte({ debit, dureeS: entierEnv('BENCH_ENDURANCE_S', 600), reposS: 0 });
  }
  r.dureeSecondes = (Date.now() - t0) / 1000;
  const obj = objectifs(r);
  console.log('\nObjectifs (mesurés dans ce run) :');
  const largeur = Math.max(...obj.map((o) => o.objectif.length));
  for (const o of obj) console.log(`  ${o.atteint ? 'atteint' : 'NON    '}  ${o.objectif.padEnd(largeur)}  ${o.mesure}  (cible ${o.cible})`);
  const dossier = path.join(RACINE, 'bench', 'results');
  mkdirSync(dossier, { recursive: true });
  writeFileSync(path.join(dossier, 'latest.json'), `${JSON.stringify({ ...r, objectifs: obj }, null, 2)}\n`);
  const md = path.join(dossier, `${r.date.slice(0, 16).replace(/:/g, '-')}.md`);
  writeFileSync(md, markdown(r, obj));
  console.log(`\nRésultats : bench/results/latest.json, ${path.relative(RACINE, md)} (${Math.round(r.dureeSecondes)} s)`);
}

principal().catch((err) => {
  console.error(`bench : ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
