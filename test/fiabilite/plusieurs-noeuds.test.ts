/**
 * Three gateway processes on one MariaDB database, as three nodes behind a load balancer: one bulk file
 * sent with the same Idempotency-Key to all three at once gives one job; conflicting concurrent writes
 * of the same records leave each record once, in a state one of the writers sent. Counts printed.
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
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);
const describeMariaDb = BASES.includes('mariadb') ? describe : describe.skip;

describeMariaDb('[mariadb] trois processus passerelle sur une base', function () {
  this.timeout(180_000);
  let base: BaseDeTest;
  let cx: mysql.Connection;
  const dossier = mkdtempSync(path.join(tmpdir(), 'trois-noeuds-'));
  const processus: ChildProcess[] = [];
  const urls: string[] = [];
  before(async () => {
    base = await nouvelleBase('mariadb');
    const port = 19000 + Math.floor(Math.random() * 800);
    // The first one migrates the database; the two others start together on it.
    processus.push(await processusPasserelle(base, path.join(dossier, 'n0'), port));
    processus.push(...(await Promise.all([1, 2].map((k) => processusPasserelle(base, path.join(dossier, `n${k}`), port + k)))));
    urls.push(...[0, 1, 2].map((k) => `http://127.0.0.1:${port + k}`));
    cx = await mysql.createConnection(base.config.url);
  });
  after(async () => {
    for (const p of processus) {
      p.kill('SIGTERM');
      await new Promise((ok) => (p.exitCode !== null || p.signalCode !== null ? ok(undefined) : p.once('exit', ok)));
    }
    await cx?.end();
    rmSync(dossier, { recursive: true, force: true });
    await base?.supprimer();
  });
  const compter = async (table: string) => Number(((await cx.query(`SELECT COUNT(*) AS n FROM ${table}`))[0] as { n: number }[])[0].n);
  const attendreJobs = async () => {
    for (let i = 0; i < 600 && (await compter("job WHERE etat IN ('EN_ATTENTE', 'EN_COURS')")) > 0; i++) await new Promise((ok) => setTimeout(ok, 100));
  };

  it('la même Idempotency-Key envoyée aux trois en même temps : un seul job, les trois réponses le nomment (11 essais)', async () => {
    const csv = [
      'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi',
      ...Array.from({ length: 50 }, (_, i) => `REINS;${ANNEE};;${21500000 + i};LDRT2;2;1`),
    ].join('\n');
    let doublons = 0;
    for (let essai = 0; essai < 11; essai++) {
      const cle = `idem-noeuds-${essai}`;
      const reponses = await Promise.all(
        urls.map((url) =>
          fetch(`${url}/api/v1/laissez-passer/bulk`, { method: 'POST', headers: { 'content-type': 'text/csv', 'idempotency-key': cle }, body: csv }).then(
            async (r) => ({ status: r.status, corps: (await r.json()) as { id?: string } }),
          ),
        ),
      );
      for (const r of reponses) expect(r.status, JSON.stringify(r.corps)).to.equal(202);
      const ids = new Set(reponses.map((r) => r.corps.id));
      if (ids.size > 1) doublons++;
      expect([...ids], `essai ${essai}`).to.have.length(1);
    }
    await attendreJobs();
    expect(await compter('job')).to.equal(11);
    expect(await compter('laissez_passer')).to.equal(50);
    console.log(`      même Idempotency-Key sur 3 processus, 11 essais : ${await compter('job')} jobs, ${doublons} essai(s) à plusieurs jobs, 50 LP`);
  });

  it('écritures concurrentes contradictoires des mêmes 20 OPI par les trois nœuds : chaque OPI une fois, dans un état envoyé', async () => {
    const noms = ['ALPHA', 'BETA', 'GAMMA'];
    const statuts: number[] = [];
    await Promise.all(
      urls.flatMap((url, k) =>
        Array.from({ length: 20 }, async (_, i) => {
          const code = `EC2695${String(i).padStart(4, '0')}`;
          for (let tour = 0; tour < 3; tour++) {
            const r = await fetch(`${url}/api/v1/opi/${code}`, {
              method: 'PUT',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(opiExemple(code, { nom: noms[k], ine: null })),
            });
            await r.arrayBuffer();
            statuts.push(r.status);
          }
        }),
      ),
    );
    expect(statuts.filter((s) => s >= 500)).to.deep.equal([]);
    expect(statuts.every((s) => s === 200 || s === 201)).to.equal(true);
    const lignes = (await cx.query("SELECT codOpiIntEpo, libNomPatIndOpi FROM individu_opi WHERE codOpiIntEpo LIKE 'EC2695%'"))[0] as {
      codOpiIntEpo: string;
      libNomPatIndOpi: string;
    }[];
    expect(lignes).to.have.length(20);
    for (const l of lignes) expect(noms).to.include(l.libNomPatIndOpi);
    const voeux = await compter("voeu_opi v JOIN individu_opi i ON i.id = v.individuOpiId WHERE i.codOpiIntEpo LIKE 'EC2695%'");
    expect(voeux).to.equal(20 * opiExemple('EC26950000').voeux.length);
    console.log(
      `      3 processus × 20 OPI × 3 tours : ${statuts.length} écritures, ${statuts.filter((s) => s === 201).length} créations, 0 × 5xx, ${lignes.length} OPI en base`,
    );
  });
});
