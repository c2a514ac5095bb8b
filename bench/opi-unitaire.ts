/**
 * Single-record writes, the first figures of the performance issue: `PUT /api/v1/opi/{code}` of new
 * OPIs (1 individu + 2 vœux) through a real gateway process on MariaDB, at a fixed concurrency, then
 * the same records sent again unchanged; against the baseline of the same records written straight
 * with mysql2 (one transaction each: the individu, its vœux, a journal row), at the same concurrency.
 * Rounds interleaved (brut, passerelle, renvoi, then again), min / median / max of each, Node CPU per
 * record of the gateway process, each database created and dropped per round.
 *
 *   node dist/bench/opi-unitaire.js            # BENCH_OPI_N=2000 records, BENCH_OPI_CONNEXIONS=8, BENCH_OPI_TOURS=3
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { optionsConnexion, URL_ADMIN } from './lp-bulk';

const RACINE = path.resolve(__dirname, '..', '..');
const N = Number(process.env.BENCH_OPI_N ?? 2000);
const CONNEXIONS = Number(process.env.BENCH_OPI_CONNEXIONS ?? 8);
const TOURS = Number(process.env.BENCH_OPI_TOURS ?? 3);

/** Record i: a distinct individual (number, name, birth date), two vœux of the default nomenclatures. */
function opi(i: number) {
  const code = `BO${String(i).padStart(8, '0')}`;
  return {
    code,
    corps: {
      individu: {
        codOpiIntEpo: code,
        etatCivil: { libNomPatIndOpi: `Banc${i}`, libPr1IndOpi: 'Camille', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: `200${i % 8}-0${(i % 9) + 1}-1${i % 10}`,
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '035',
          libVilNaiEtuOpi: 'Rennes',
        },
        donneesPersonnelles: { adrMailOpi: `banc${i}@example.org`, codRgi: '1', codStu: '01' },
      },
      voeux: [
        { numCls: 1, codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N' },
        { numCls: 2, codCge: 'ECO', codEtp: 'LECG1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N' },
      ],
    },
  };
}

async function avecBase<T>(f: (nom: string, url: string) => Promise<T>): Promise<T> {
  const nom = `gw_bench_opi_${randomBytes(4).toString('hex')}`;
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

/** Runs `travail(i)` for i in [0, n) on `k` concurrent workers; returns the seconds it took. */
async function enParallele(n: number, k: number, travail: (i: number) => Promise<void>): Promise<number> {
  let suivant = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: k }, async () => {
      for (let i = suivant++; i < n; i = suivant++) await travail(i);
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** User + system CPU seconds of a process so far (Linux /proc). */
function cpuProcessus(pid: number): number {
  const champs = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(champs[11]) + Number(champs[12])) / 100;
}

async function demarrerPasserelle(url: string, port: number): Promise<ChildProcess> {
  const p = spawn(process.execPath, [path.join(RACINE, 'dist', 'src', 'server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      RATE_LIMIT_ADRESSE: '0',
      RATE_LIMIT_CLIENT: '0',
      DATABASE_POOL: String(CONNEXIONS + 2),
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok) return p;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  p.kill('SIGKILL');
  throw new Error('la passerelle ne démarre pas');
}

interface Mesure {
  variante: 'brut' | 'passerelle' | 'renvoi';
  parSeconde: number;
  cpuMsParEnregistrement?: number;
}

async function tourPasserelle(port: number): Promise<Mesure[]> {
  return avecBase(async (_nom, url) => {
    const p = await demarrerPasserelle(url, port);
    try {
      const envoyer = async (i: number, attendu: number) => {
        const { code, corps } = opi(i);
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/opi/${code}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(corps),
        });
        await r.arrayBuffer();
        if (r.status !== attendu) throw new Error(`PUT ${code} : ${r.status} au lieu de ${attendu}`);
      };
      const mesures: Mesure[] = [];
      for (const [variante, attendu] of [
        ['passerelle', 201],
        ['renvoi', 200],
      ] as const) {
        const cpu0 = cpuProcessus(p.pid!);
        const s = await enParallele(N, CONNEXIONS, (i) => envoyer(i, attendu));
        mesures.push({ variante, parSeconde: Math.round(N / s), cpuMsParEnregistrement: Math.round(((cpuProcessus(p.pid!) - cpu0) * 1000 * 100) / N) / 100 });
      }
      return mesures;
    } finally {
      p.kill('SIGTERM');
      await new Promise((ok) => p.once('exit', ok));
    }
  });
}

async function tourBrut(port: number): Promise<Mesure> {
  return avecBase(async (nom, url) => {
    // The gateway's own migrations make the schema (a start and a stop), then only the driver writes.
    (await demarrerPasserelle(url, port)).kill('SIGTERM');
    await new Promise((ok) => setTimeout(ok, 500));
    const pool = mysql.createPool({ ...optionsConnexion(), database: nom, connectionLimit: CONNEXIONS });
    const maintenant = new Date();
    try {
      const s = await enParallele(N, CONNEXIONS, async (i) => {
        const { code, corps } = opi(i);
        const cx = await pool.getConnection();
        try {
          await cx.beginTransaction();
          const ec = corps.individu.etatCivil;
          const [r] = await cx.execute(
            'INSERT INTO individu_opi (codOpiIntEpo, libNomPatIndOpi, libPr1IndOpi, cleNomPat, clePr1, dateNaiIndOpi, codSexEtuOpi, codPayNat, codRgi, codStu, codAnu, donnees, empreinte, source, version, creeLe, modifieLe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
            [
              code,
              ec.libNomPatIndOpi.toUpperCase(),
              ec.libPr1IndOpi.toUpperCase(),
              ec.libNomPatIndOpi.toUpperCase(),
              ec.libPr1IndOpi.toUpperCase(),
              corps.individu.donneesNaissance.dateNaiIndOpi,
              'F',
              '100',
              '1',
              '01',
              '2026',
              JSON.stringify(corps),
              'e'.repeat(64),
              'bench',
              maintenant,
              maintenant,
            ],
          );
          const id = (r as { insertId: number }).insertId;
          await cx.execute(
            'INSERT INTO voeu_opi (individuOpiId, rang, numCls, codCge, codEtp, codVrsVet, codDecVeu, codDemDos, codRge, donnees) VALUES (?, 0, 1, ?, ?, ?, ?, ?, ?, ?), (?, 1, 2, ?, ?, ?, ?, ?, ?, ?)',
            [id, 'DRT', 'LDRT1', 2, 'F', 'C', '1', JSON.stringify(corps.voeux[0]), id, 'ECO', 'LECG1', 2, 'F', 'C', '1', JSON.stringify(corps.voeux[1])],
          );
          await cx.execute(
            "INSERT INTO journal (recuLe, porte, operation, client, requestId, cle, individu, empreinte, resultat, statut, codes, dureeMs, details, nombre) VALUES (?, 'REST', 'opi.enregistrer', 'bench', ?, ?, ?, NULL, 'CREE', 201, NULL, 0, NULL, 1)",
            [maintenant, randomBytes(8).toString('hex'), code, `OPI:${code}`],
          );
          await cx.commit();
        } finally {
          cx.release();
        }
      });
      return { variante: 'brut' as const, parSeconde: Math.round(N / s) };
    } finally {
      await pool.end();
    }
  });
}

const mediane = (l: number[]) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];

async function main(): Promise<void> {
  const port = 19900 + Math.floor(Math.random() * 90);
  const parVariante: Record<string, Mesure[]> = { brut: [], passerelle: [], renvoi: [] };
  for (let t = 1; t <= TOURS; t++) {
    process.stderr.write(`tour ${t}/${TOURS}… `);
    parVariante.brut.push(await tourBrut(port));
    for (const m of await tourPasserelle(port)) parVariante[m.variante].push(m);
    process.stderr.write('fait\n');
  }
  const resume = Object.fromEntries(
    Object.entries(parVariante).map(([v, l]) => {
      const s = l.map((m) => m.parSeconde);
      const cpu = l.map((m) => m.cpuMsParEnregistrement).filter((x): x is number => x !== undefined);
      return [v, { min: Math.min(...s), mediane: mediane(s), max: Math.max(...s), ...(cpu.length ? { cpuMsParEnregistrement: mediane(cpu) } : {}) }];
    }),
  );
  const ratios = {
    passerelleSurBrut: Math.round((resume.passerelle.mediane / resume.brut.mediane) * 100) / 100,
    renvoiSurCreation: Math.round((resume.renvoi.mediane / resume.passerelle.mediane) * 100) / 100,
  };
  const resultat = {
    date: new Date().toISOString(),
    enregistrements: N,
    connexions: CONNEXIONS,
    tours: TOURS,
    cpus: cpus().length,
    chargeAvant: loadavg()[0],
    resume,
    ratios,
    tours_detail: parVariante,
  };
  console.log(`\nOPI unitaires (REST PUT, ${N} enregistrements, ${CONNEXIONS} connexions, ${TOURS} tours entrelacés ; enregistrements/s min / médiane / max)`);
  for (const [v, r] of Object.entries(resume))
    console.log(
      `  ${v.padEnd(11)} ${r.min} / ${r.mediane} / ${r.max}${'cpuMsParEnregistrement' in r ? `  (CPU Node ${r.cpuMsParEnregistrement} ms par enregistrement)` : ''}`,
    );
  console.log(`  passerelle / brut : ${ratios.passerelleSurBrut}× ; renvoi inchangé / création : ${ratios.renvoiSurCreation}×`);
  const dossier = path.join(RACINE, 'bench', 'resultats');
  mkdirSync(dossier, { recursive: true });
  writeFileSync(path.join(dossier, `opi-unitaire-${resultat.date.slice(0, 19).replace(/:/g, '-')}.json`), `${JSON.stringify(resultat, null, 2)}\n`);
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
