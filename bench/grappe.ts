/**
 * `npm run bench:cluster`: three gateway nodes (three processes, WORKERS=1 each, as three machines would
 * run them) on ONE MariaDB database, the harness of test/fiabilite/plusieurs-noeuds.test.ts. The same
 * closed-loop load of new OPIs (BENCH_GRAPPE_CONNEXIONS=16 connections, BENCH_GRAPPE_N=2000 records)
 * sent through 1, then 2, then 3 of them (request i to node i mod k), in 3 interleaved rounds, against
 * the raw driver at the same concurrency; then 6 LP files posted in turn to the three nodes, and which
 * node ran each job (the job engine's lease holder). On this 2-core machine three nodes share two
 * cores with MariaDB: the figures show what a node adds here, not on three machines.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { optionsConnexion } from './lp-bulk';
import { ecrireBrut } from './enregistrements-opi';
import { envoyerRest } from './opi-unitaire';
import { arrondi, avecBase, cpuProcessus, enParallele, lancerPasserelle, mediane, RACINE, type PasserelleLancee } from './outils';
import { aujourdhuiParis } from '../src/application/horloge';

const N = Number(process.env.BENCH_GRAPPE_N ?? 2000);
const K = Number(process.env.BENCH_GRAPPE_CONNEXIONS ?? 16);
const TOURS = 3;
const FICHIERS = 6;
const LIGNES_PAR_FICHIER = 5000;

async function principal(): Promise<void> {
  const base = 19600 + Math.floor(Math.random() * 300);
  const debits: Record<string, number[]> = { brut: [], '1 nœud': [], '2 nœuds': [], '3 nœuds': [] };
  const cpu: Record<string, number[]> = { '1 nœud': [], '2 nœuds': [], '3 nœuds': [] };
  const jobs = await avecBase('grappe', async (nom, url) => {
    const noeuds: PasserelleLancee[] = [await lancerPasserelle(url, base, '1', { DATABASE_POOL: String(K) })];
    noeuds.push(...(await Promise.all([1, 2].map((k) => lancerPasserelle(url, base + k, '1', { DATABASE_POOL: String(K) })))));
    const pids = noeuds.flatMap((n) => n.pids);
    const pool = mysql.createPool({ ...optionsConnexion(), database: nom, connectionLimit: K });
    try {
      let serie = 0;
      for (let t = 0; t < TOURS; t++) {
        process.stderr.write(`tour ${t + 1}/${TOURS} : brut… `);
        const sb = await enParallele(N, K, (i) => ecrireBrut(pool, `B${t}`, i));
        debits.brut.push(Math.round(N / sb));
        for (const k of [1, 2, 3]) {
          process.stderr.write(`${k} nœud(s)… `);
          const prefixe = `G${String.fromCharCode(65 + serie++)}`;
          const c0 = cpuProcessus(pids);
          const s = await enParallele(N, K, (i) => envoyerRest(base + (i % k), prefixe, i, 201));
          cpu[`${k} nœud${k > 1 ? 's' : ''}`].push(arrondi(((cpuProcessus(pids) - c0) * 1000) / N));
          debits[`${k} nœud${k > 1 ? 's' : ''}`].push(Math.round(N / s));
        }
        process.stderr.write('fait\n');
      }
      // Bulk jobs: posted in turn to the three nodes, each runs where the engine's lease puts it.
      const annee = aujourdhuiParis().slice(0, 4);
      process.stderr.write(`${FICHIERS} fichiers de ${LIGNES_PAR_FICHIER} LP postés aux trois nœuds… `);
      const t0 = Date.now();
      const ids = await Promise.all(
        Array.from({ length: FICHIERS }, async (_, f) => {
          const csv = [
            'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi',
            ...Array.from({ length: LIGNES_PAR_FICHIER }, (_, i) => `REINS;${annee};;${30000000 + f * LIGNES_PAR_FICHIER + i};LDRT2;2;1`),
          ].join('\n');
          const r = await fetch(`http://127.0.0.1:${base + (f % 3)}/api/v1/laissez-passer/bulk`, {
            method: 'POST',
            headers: { 'content-type': 'text/csv' },
            body: csv,
          });
          const corps = (await r.json()) as { jobId?: string; id?: string };
          if (r.status !== 202) throw new Error(`fichier ${f} : ${r.status} ${JSON.stringify(corps)}`);
          return { fichier: f, noeudRecu: f % 3, id: corps.jobId ?? corps.id };
        }),
      );
      const cx = await mysql.createConnection({ ...optionsConnexion(), database: nom });
      try {
        for (let i = 0; i < 1200; i++) {
          const [r] = await cx.query("SELECT COUNT(*) AS n FROM job WHERE etat IN ('EN_ATTENTE', 'EN_COURS')");
          if (Number((r as { n: number }[])[0].n) === 0) break;
          await new Promise((ok) => setTimeout(ok, 100));
        }
        const [lignes] = await cx.query('SELECT id, etat, proprietaire, creees, lignesLues FROM job ORDER BY creeLe');
        const [lp] = await cx.query('SELECT COUNT(*) AS n FROM laissez_passer');
        process.stderr.write(`fait en ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        return {
          envoyes: ids,
          jobs: lignes as Record<string, unknown>[],
          laissezPasser: Number((lp as { n: number }[])[0].n),
          secondes: (Date.now() - t0) / 1000,
        };
      } finally {
        await cx.end();
      }
    } finally {
      await pool.end();
      for (const n of noeuds) await n.arreter();
    }
  });
  const resume = Object.fromEntries(
    Object.entries(debits).map(([k, l]) => [
      k,
      { min: Math.min(...l), mediane: mediane(l), max: Math.max(...l), ...(cpu[k] ? { cpuMsParEnregistrement: mediane(cpu[k]) } : {}) },
    ]),
  );
  console.log(`\nTrois nœuds sur une base (${availableParallelism()} cœurs ici), ${N} OPI nouvelles par mesure, ${K} connexions, ${TOURS} tours entrelacés :`);
  for (const [k, v] of Object.entries(resume))
    console.log(
      `  ${k.padEnd(8)} ${v.min} / ${v.mediane} / ${v.max} par s${'cpuMsParEnregistrement' in v ? `  (CPU Node ${v.cpuMsParEnregistrement} ms par OPI)` : ''}`,
    );
  const proprietaires = new Set(jobs.jobs.map((j) => j.proprietaire));
  console.log(
    `\n${FICHIERS} fichiers de ${LIGNES_PAR_FICHIER} LP : ${jobs.jobs.length} jobs, ${jobs.laissezPasser} LP en base, ${proprietaires.size} nœuds les ont exécutés, ${jobs.secondes.toFixed(1)} s`,
  );
  for (const j of jobs.jobs) console.log(`  job ${j.id} ${j.etat} par ${j.proprietaire} : ${j.creees}/${j.lignesLues}`);
  const dossier = path.join(RACINE, 'bench', 'results');
  mkdirSync(dossier, { recursive: true });
  writeFileSync(
    path.join(dossier, 'grappe-latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), enregistrements: N, connexions: K, debits, resume, jobs }, null, 2)}\n`,
  );
  console.log('\nRésultats : bench/results/grappe-latest.json');
}

principal().catch((err) => {
  console.error(`bench:cluster : ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
