/**
 * Two gateway processes on one MariaDB database; the one running an import is killed (SIGKILL): the
 * other takes the job over within about one lease and one sweep — nothing done by hand — and the job
 * ends with exactly the file's rows, none twice. The takeover delay is printed.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { BASES, nouvelleBase, type BaseDeTest } from '../helpers/bases';
import { exportParcoursup, processusPasserelle } from '../helpers/processus';

const LIGNES = 6000;
const BAIL_S = 4;

async function ligne(base: BaseDeTest, sql: string): Promise<Record<string, unknown>> {
  const cx = await mysql.createConnection(base.config.url);
  try {
    const [r] = await cx.query(sql);
    return (r as Record<string, unknown>[])[0];
  } finally {
    await cx.end();
  }
}

/** One node; both share one files folder, as a shared volume. */
const noeud = (base: BaseDeTest, dossier: string, port: number) => processusPasserelle(base, dossier, port, { JOB_LEASE_SECONDS: String(BAIL_S) });

const describeMariaDb = BASES.includes('mariadb') ? describe : describe.skip;

describeMariaDb('[mariadb] un nœud tué pendant un import : un autre le reprend seul', function () {
  this.timeout(180_000);

  it(`repris par l'autre nœud en moins de ${3 * BAIL_S} s (bail ${BAIL_S} s), puis fini avec exactement les lignes du fichier`, async () => {
    const base = await nouvelleBase('mariadb');
    const dossier = mkdtempSync(path.join(tmpdir(), 'reprise-noeud-'));
    const ports = [18000 + Math.floor(Math.random() * 500), 18600 + Math.floor(Math.random() * 500)];
    const processus = [await noeud(base, dossier, ports[0]), await noeud(base, dossier, ports[1])];
    try {
      const form = new FormData();
      form.append('format', 'parcoursup-csv');
      form.append('codeFormationPsup', '12345');
      form.append('fichier', new Blob([exportParcoursup(LIGNES, 6000000)]), 'gros.csv');
      const r = await fetch(`http://127.0.0.1:${ports[0]}/api/v1/imports`, { method: 'POST', body: form });
      expect(r.status).to.equal(202);
      const { id } = (await r.json()) as { id: string };
      // Some chunks committed; then the owner (whichever node took it) is killed.
      let avant: Record<string, unknown>;
      for (;;) {
        avant = await ligne(base, `SELECT lignesLues, proprietaire FROM job WHERE id = '${id}'`);
        if (Number(avant.lignesLues) >= 1000) break;
        await new Promise((ok) => setTimeout(ok, 20));
      }
      const pids = processus.map((p) => p.pid);
      const k = pids.findIndex((pid) => String(avant.proprietaire).includes(`:${pid}:`));
      expect(k, String(avant.proprietaire)).to.be.at.least(0);
      processus[k].kill('SIGKILL');
      const tue = Date.now();
      await new Promise((ok) => processus[k].once('exit', ok));
      const autre = processus[1 - k];
      let repris = 0;
      for (;;) {
        const e = await ligne(base, `SELECT etat, proprietaire, lignesLues, creees, inchangees, lignesRejetees FROM job WHERE id = '${id}'`);
        if (!repris && String(e.proprietaire).includes(`:${autre.pid}:`)) repris = Date.now() - tue;
        if (e.etat !== 'EN_COURS' && e.etat !== 'EN_ATTENTE') {
          expect(e).to.include({ etat: 'TERMINE' });
          expect(Number(e.lignesLues)).to.equal(LIGNES);
          expect(Number(e.creees) + Number(e.inchangees)).to.equal(LIGNES);
          break;
        }
        expect(Date.now() - tue, 'le job ne finit pas').to.be.below(120_000);
        await new Promise((ok) => setTimeout(ok, 50));
      }
      console.log(`      nœud tué à ${avant.lignesLues} lignes ; repris par l'autre en ${(repris / 1000).toFixed(1)} s (bail ${BAIL_S} s)`);
      expect(repris).to.be.above(0);
      expect(repris).to.be.below(3 * BAIL_S * 1000);
      expect(Number((await ligne(base, "SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo LIKE 'P__6%'")).n)).to.equal(LIGNES);
      expect(Number((await ligne(base, 'SELECT COUNT(*) AS v FROM voeu_opi')).v)).to.equal(LIGNES);
    } finally {
      for (const p of processus) if (p.exitCode === null) p.kill('SIGTERM');
      await Promise.all(processus.map((p) => new Promise((ok) => (p.exitCode !== null || p.signalCode !== null ? ok(undefined) : p.once('exit', ok)))));
      rmSync(dossier, { recursive: true, force: true });
      await base.supprimer();
    }
  });
});
