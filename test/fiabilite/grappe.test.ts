/**
 * One gateway started with WORKERS=2 on MariaDB: two processes on one port. What they must share is
 * shared (the counters of /metrics, the rate limits), a worker that dies is replaced while the other
 * serves, and a SIGTERM stops them all with exit code 0. (No duplicate and no lost job across
 * processes is the three-process test's, test/fiabilite/plusieurs-noeuds.test.ts.)
 */
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { BASES, nouvelleBase, type BaseDeTest } from '../helpers/bases';
import { processusPasserelle } from '../helpers/processus';
import { opiExemple } from '../helpers/exemples';

const describeMariaDb = BASES.includes('mariadb') ? describe : describe.skip;

/** The pids /metrics names (one `passerelle_processus_rss_octets` line per process), and the count it gives. */
async function processusVus(url: string): Promise<{ n: number; pids: number[]; texte: string }> {
  const texte = await (await fetch(`${url}/metrics`, { headers: ailleurs() })).text();
  const n = Number(/^passerelle_processus (\d+)$/m.exec(texte)?.[1] ?? 0);
  const pids = [...texte.matchAll(/^passerelle_processus_rss_octets\{pid="(\d+)"\}/gm)].map((m) => Number(m[1])).sort();
  return { n, pids, texte };
}

const attendre = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
/** A new source address each time (TRUST_PROXY=loopback): only the rate-limit test counts one address's requests. */
const ailleurs = () => ({ 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, connection: 'close' });

describeMariaDb('[mariadb] WORKERS=2 : deux processus sur un port', function () {
  this.timeout(120_000);
  let base: BaseDeTest;
  let gw: ChildProcess;
  let url: string;
  const dossier = mkdtempSync(path.join(tmpdir(), 'grappe-'));
  before(async () => {
    base = await nouvelleBase('mariadb');
    const port = 19000 + Math.floor(Math.random() * 800);
    // AUTH=desactivee: anonymous callers are rate-limited by address, the limit the test counts.
    gw = await processusPasserelle(base, dossier, port, {
      WORKERS: '2',
      AUTH: 'desactivee',
      RATE_LIMIT_ADRESSE: '30',
      TRUST_PROXY: 'loopback',
    });
    url = `http://127.0.0.1:${port}`;
    // /ready answers as soon as the first process listens; the second starts after it.
    for (let i = 0; i < 100 && (await processusVus(url)).n < 2; i++) await attendre(100);
  });
  after(async () => {
    if (gw && gw.exitCode === null && gw.signalCode === null) {
      gw.kill('SIGKILL');
      await new Promise((ok) => gw.once('exit', ok));
    }
    rmSync(dossier, { recursive: true, force: true });
    await base?.supprimer();
  });

  it("/metrics, demandé à l'un ou l'autre, somme les compteurs des deux processus", async () => {
    const vus = await processusVus(url);
    expect(vus.n).to.equal(2);
    expect(vus.pids).to.have.length(2);
    expect(vus.pids).to.not.include(gw.pid);
    // New connections each time: the primary hands them to both workers in turn.
    const statuts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const code = `GR${String(i).padStart(8, '0')}`;
      const r = await fetch(`${url}/api/v1/opi/${code}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...ailleurs() },
        body: JSON.stringify(opiExemple(code, { ine: null, nom: `Grappe${i}` })),
      });
      statuts.push(r.status);
      await r.arrayBuffer();
    }
    expect(statuts).to.deep.equal(Array(12).fill(201));
    // Asked several times (whichever process answers), the sum is always the 12 writes.
    for (let i = 0; i < 4; i++) {
      const { texte } = await processusVus(url);
      expect(texte).to.match(/^passerelle_operations_total\{porte="REST",operation="opi.enregistrer",resultat="CREE"\} 12$/m);
    }
  });

  it('la limite de débit par adresse vaut pour la machine, pas pour chaque processus', async () => {
    const statuts: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${url}/api/v1/opi/GR00000000`, { headers: { 'x-forwarded-for': '10.0.0.7', connection: 'close' } });
      statuts.push(r.status);
      await r.arrayBuffer();
    }
    const servies = statuts.filter((s) => s === 200).length;
    const refusees = statuts.filter((s) => s === 429).length;
    console.log(`      limite 30/min par adresse, 2 processus, 40 lectures d'une adresse : ${servies} servies, ${refusees} refusées (429)`);
    // Counters in each process's memory would have let 40 through (20 per process).
    expect(servies).to.equal(30);
    expect(refusees).to.equal(10);
  });

  it("un processus tué (kill -9) est remplacé ; l'autre sert pendant ce temps", async () => {
    const avant = (await processusVus(url)).pids;
    process.kill(avant[0], 'SIGKILL');
    // A connection the primary hands to a worker at the instant it dies is lost with it (node's cluster
    // module cannot take it back): the client's timeout and retry cover that instant, the test waits it out.
    await attendre(300);
    const cx = await mysql.createConnection(base.config.url);
    try {
      // Served throughout (the limit above is for anonymous reads; these writes are few).
      const statuts: number[] = [];
      for (let i = 0; i < 6; i++) {
        const code = `GK${String(i).padStart(8, '0')}`;
        const r = await fetch(`${url}/api/v1/opi/${code}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...ailleurs() },
          body: JSON.stringify(opiExemple(code, { ine: null, nom: `Relance${i}` })),
          signal: AbortSignal.timeout(10_000),
        });
        statuts.push(r.status);
        await r.arrayBuffer();
      }
      expect(statuts.filter((s) => s === 201)).to.have.length(6);
      const [r] = await cx.query("SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo LIKE 'GK%'");
      expect(Number((r as { n: number }[])[0].n)).to.equal(6);
    } finally {
      await cx.end();
    }
    let apres = avant;
    for (let i = 0; i < 100 && (apres.length < 2 || apres.includes(avant[0])); i++) {
      await attendre(100);
      apres = (await processusVus(url).catch(() => ({ pids: [] as number[] }))).pids;
    }
    expect(apres).to.have.length(2);
    expect(apres).to.not.include(avant[0]);
    expect(apres).to.include(avant[1]);
  });

  it('SIGTERM au processus principal : tous s’arrêtent, code de sortie 0', async () => {
    const pids = (await processusVus(url)).pids;
    const sortie = new Promise<number | null>((ok) => gw.once('exit', (code) => ok(code)));
    gw.kill('SIGTERM');
    expect(await sortie).to.equal(0);
    for (const pid of pids) expect(() => process.kill(pid, 0), `processus ${pid}`).to.throw();
  });
});
