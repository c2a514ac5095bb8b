/**
 * Laissez-passer lists over SOAP (`mettreAJourLaissezPasserEnMasse`, 1,000 LP per call), on MariaDB:
 * the gateway against what a user of node-soap honestly writes, in the same run, each variant in its
 * own child process on a database of its own (created by the gateway's migrations, dropped after).
 *
 * - passerelle: the gateway (`demarrer`, its SOAP door) on a free port;
 * - naif: node-soap's `soap.listen` with the same WSDL, whose handler takes the list node-soap parsed
 *   and saves it with TypeORM `save()` of arrays of 500 in a transaction each (no validation);
 * in both, the same client in the same process posts the same envelopes, one at a time, with
 * keep-alive (its cost weighs equally on both). The raw ceiling is `lp-bulk brut` on the same rows.
 *
 * Alone: `node dist/bench/lp-soap.js <passerelle|naif> <fichier.csv> <lignes>` → one JSON line; the part
 * `soap` of `npm run bench` runs both and the raw ceiling (`benchSoap`).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { tmpdir } from 'node:os';
import * as soap from 'soap';
import { lireBase, lireConfig } from '../src/config';
import { demarrer } from '../src/server';
import { ouvrirBase } from '../src/persistence/source';
import { LaissezPasserEntite } from '../src/persistence/entities';
import { lireLignes } from '../src/adapters/batch/lecteurs';
import { COLONNES_FICHIER_LP as COLONNES_LP } from '../src/application/champs';
import { versEntite } from './lp-bulk';
import { avecBase, enToursAlternes, envoyerHttp, mediane, ratiosParTour, tourMedian } from './outils';
import type { LigneLue } from '../src/application/ports';
import { genererCsv } from './generer-csv';
import { entierEnv } from './lp-orchestre';

export const VARIANTES_SOAP = ['passerelle', 'naif'] as const;
export type VarianteSoap = (typeof VARIANTES_SOAP)[number];

const RACINE = path.resolve(__dirname, '..', '..');
const NS = 'gouv.education.apogee.commun.servicesmetiers.LaissezPasserMetier';
const PAR_APPEL = 1000;

const echapper = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The file's rows as envelopes of PAR_APPEL LPs (built before the timed part). */
async function enveloppes(fichier: string, lignes: number): Promise<string[]> {
  const sortie: string[] = [];
  let corps: string[] = [];
  let n = 0;
  const fermer = () => {
    sortie.push(
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns2:mettreAJourLaissezPasserEnMasse xmlns:ns2="${NS}"><mode>partiel</mode>${corps.join('')}</ns2:mettreAJourLaissezPasserEnMasse></soapenv:Body></soapenv:Envelope>`,
    );
    corps = [];
  };
  for await (const l of lireLignes(fichier, { format: 'csv', colonnes: COLONNES_LP })) {
    if (n++ >= lignes) break;
    const v = l.valeurs as Record<string, unknown>;
    corps.push(
      `<laissezPasser>${COLONNES_LP.filter((c) => v[c] !== null && v[c] !== undefined && v[c] !== '')
        .map((c) => `<${c}>${echapper(String(v[c]))}</${c}>`)
        .join('')}</laissezPasser>`,
    );
    if (corps.length === PAR_APPEL) fermer();
  }
  if (corps.length) fermer();
  return sortie;
}

/** Posts every envelope in turn; the number of LPs the answers say were created. */
async function envoyer(port: number, chemin: string, liste: string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let creees = 0;
  for (const e of liste) {
    const r = await envoyerHttp(agent, port, 'POST', chemin, { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }, e);
    if (r.statut !== 200) throw new Error(`HTTP ${r.statut} : ${r.texte.slice(0, 300)}`);
    const texte = r.texte;
    creees += Number(/<nombreCrees>(\d+)</.exec(texte)?.[1] ?? 0);
  }
  agent.destroy();
  return creees;
}

export async function executerSoap(variante: VarianteSoap, fichier: string, lignes: number) {
  const liste = await enveloppes(fichier, lignes);
  return avecBase(`soap_${variante}`, async (nomBase, url) => {
    let port: number;
    let arreter: () => Promise<void>;
    let compter: () => Promise<number>;
    if (variante === 'passerelle') {
      const config = {
        ...lireConfig({ LOG_LEVEL: 'error', BULK_DIR: path.join(tmpdir(), `${nomBase}-lots`), PJ_DIR: path.join(tmpdir(), `${nomBase}-pj`) }),
        base: lireBase(url),
      };
      const p = await demarrer(config);
      port = await p.ecouter(0, '127.0.0.1');
      arreter = () => p.arreter();
      compter = async () => Number((await p.source.query('SELECT COUNT(*) AS n FROM laissez_passer'))[0].n);
    } else {
      const source = await ouvrirBase(lireBase(url));
      const depot = source.getRepository(LaissezPasserEntite);
      const service = {
        LaissezPasserMetierServiceInterfaceService: {
          LaissezPasserMetier: {
            async mettreAJourLaissezPasserEnMasse(args: { laissezPasser?: Record<string, unknown> | Record<string, unknown>[] }) {
              const lps = args.laissezPasser === undefined ? [] : Array.isArray(args.laissezPasser) ? args.laissezPasser : [args.laissezPasser];
              const maintenant = new Date();
              const entites = lps.map((v) => versEntite({ numLigne: 0, valeurs: v } as LigneLue, maintenant));
              for (let i = 0; i < entites.length; i += 500) {
                const paquet = entites.slice(i, i + 500);
                await source.transaction((em) => em.getRepository(LaissezPasserEntite).save(paquet));
              }
              return { nombreCrees: entites.length, nombreMisAJour: 0, nombreInchanges: 0, nombreRejetes: 0, toutOuRienAnnule: false };
            },
          },
        },
      };
      const serveur = http.createServer((_req, res) => {
        res.statusCode = 404;
        res.end();
      });
      serveur.listen(0, '127.0.0.1');
      await once(serveur, 'listening');
      soap.listen(serveur, '/ws/LaissezPasserMetier', service, readFileSync(path.join(RACINE, 'wsdl', 'LaissezPasserMetier.wsdl'), 'utf8'));
      port = (serveur.address() as { port: number }).port;
      arreter = async () => {
        serveur.close();
        await source.destroy();
      };
      compter = async () => depot.count();
    }
    try {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const creees = await envoyer(port, '/ws/LaissezPasserMetier', liste);
      const secondes = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const stockees = await compter();
      if (creees !== lignes || stockees !== lignes) throw new Error(`${variante} : ${creees} LP dites créées, ${stockees} en base, ${lignes} attendues`);
      return {
        variant: variante,
        rows: lignes,
        calls: liste.length,
        seconds: Math.round(secondes * 100) / 100,
        rowsPerSecond: Math.round(lignes / secondes),
        cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
      };
    } finally {
      await arreter();
    }
  });
}

interface MesureSoap {
  variant: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  cpuSeconds: number;
}

export interface ResultatSoap {
  lignes: number;
  parAppel: number;
  /** Per variant, its median round. */
  resultats: MesureSoap[];
  /** Every round of brut and passerelle-soap, in the order they ran. */
  tours?: Record<string, MesureSoap[]>;
  /** passerelle-soap ÷ brut of each round. */
  ratiosParTour?: number[];
  ratios: { passerelleSurBrut: number; passerelleSurNaif: number };
}

/**
 * The part `soap` of bench/run.ts: a CSV of BENCH_SOAP_ROWS (20,000) rows, then in their own child
 * processes `lp-bulk brut` on it (the raw ceiling) and the gateway's SOAP lists, in BENCH_SOAP_TOURS (3)
 * interleaved rounds, their order swapped each round; node-soap's once.
 */
export async function benchSoap(): Promise<ResultatSoap> {
  const lignes = Number(process.env.BENCH_SOAP_ROWS ?? 20_000);
  const nTours = entierEnv('BENCH_SOAP_TOURS', 3);
  const dossier = mkdtempSync(path.join(tmpdir(), 'gw-bench-soap-'));
  try {
    const csv = path.join(dossier, 'lp.csv');
    await genererCsv(csv, lignes);
    const enfant = (script: string, variante: string): MesureSoap => {
      process.stderr.write(`  ${variante} (${lignes} lignes)… `);
      const sortie = execFileSync(process.execPath, [path.join(__dirname, script), variante, csv, String(lignes)], {
        env: { ...process.env, BENCH_DB: `gw_bench_soap_${variante}_${randomBytes(4).toString('hex')}` },
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
        timeout: 10 * 60_000,
      });
      const r = JSON.parse(sortie.trim().split('\n').pop()!);
      process.stderr.write(`${r.seconds} s\n`);
      return {
        variant: script === 'lp-bulk.js' ? 'brut' : `${variante}-soap`,
        rows: r.rows,
        seconds: r.seconds,
        rowsPerSecond: r.rowsPerSecond,
        cpuSeconds: r.cpuSeconds,
      };
    };
    const tours: Record<string, MesureSoap[]> = { brut: [], 'passerelle-soap': [] };
    await enToursAlternes(nTours, ['brut', 'passerelle'], (v) =>
      tours[v === 'brut' ? 'brut' : 'passerelle-soap'].push(enfant(v === 'brut' ? 'lp-bulk.js' : 'lp-soap.js', v)),
    );
    const naif = enfant('lp-soap.js', 'naif');
    const resultats = [tourMedian(tours.brut), tourMedian(tours['passerelle-soap']), naif];
    const parTour = ratiosParTour(tours['passerelle-soap'], tours.brut);
    const ratios = {
      passerelleSurBrut: mediane(parTour),
      passerelleSurNaif: Math.round((resultats[1].rowsPerSecond / naif.rowsPerSecond) * 100) / 100,
    };
    console.log(`Listes de LP en SOAP (${PAR_APPEL} par appel, ${lignes} LP), MariaDB`);
    for (const [v, l] of Object.entries(tours))
      for (const r of l) console.log(`  ${v.padEnd(16)} ${String(r.rowsPerSecond).padStart(7)} LP/s  CPU ${r.cpuSeconds} s`);
    console.log(`  ${naif.variant.padEnd(16)} ${String(naif.rowsPerSecond).padStart(7)} LP/s  CPU ${naif.cpuSeconds} s`);
    console.log(
      `  passerelle ÷ brut ×${ratios.passerelleSurBrut} (tours : ${parTour.join(' / ')}) ; passerelle ÷ node-soap + TypeORM ×${ratios.passerelleSurNaif}`,
    );
    return { lignes, parAppel: PAR_APPEL, resultats, tours, ratiosParTour: parTour, ratios };
  } finally {
    rmSync(dossier, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [variante, fichier, lignes] = process.argv.slice(2);
  if (!VARIANTES_SOAP.includes(variante as VarianteSoap) || !fichier) {
    console.error('usage : node dist/bench/lp-soap.js <passerelle|naif> <fichier.csv> <lignes>');
    process.exit(2);
  }
  executerSoap(variante as VarianteSoap, fichier, Number(lignes || 20000))
    .then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    })
    .catch((e) => {
      console.error(`lp-soap ${variante} : ${e instanceof Error ? e.stack : e}`);
      process.exit(1);
    });
}
