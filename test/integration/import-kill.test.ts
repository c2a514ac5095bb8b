/**
 * A gateway process killed (SIGKILL) in the middle of an OPI import, then started again: the job
 * finishes with exactly the file's rows, none twice. The dead process's lease is made to expire (the
 * time a real restart would wait) rather than waited for.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import Database from 'better-sqlite3';
import { BASES, nouvelleBase, type BaseDeTest } from '../helpers/bases';
import { exportParcoursup, processusPasserelle } from '../helpers/processus';

const LIGNES = 6000;

async function requete(base: BaseDeTest, sql: string): Promise<Record<string, unknown>[]> {
  if (base.nom === 'sqlite') {
    const db = new Database(base.config.url);
    try {
      if (sql.trim().toUpperCase().startsWith('SELECT')) return db.prepare(sql).all() as Record<string, unknown>[];
      db.prepare(sql).run();
      return [];
    } finally {
      db.close();
    }
  }
  const cx = await mysql.createConnection(base.config.url);
  try {
    const [r] = await cx.query(sql);
    return Array.isArray(r) ? (r as Record<string, unknown>[]) : [];
  } finally {
    await cx.end();
  }
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] import d'OPI : processus tué au milieu, puis relancé`, function () {
    this.timeout(180_000);

    it('finit le job avec exactement les lignes du fichier, aucune deux fois', async () => {
      const base = await nouvelleBase(nomBase);
      const dossier = mkdtempSync(path.join(tmpdir(), 'import-kill-'));
      const port = 18000 + Math.floor(Math.random() * 1000);
      let p = await processusPasserelle(base, dossier, port);
      try {
        const form = new FormData();
        form.append('format', 'parcoursup-csv');
        form.append('codeFormationPsup', '12345');
        form.append('fichier', new Blob([exportParcoursup(LIGNES, 5000000)]), 'gros.csv');
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/imports`, { method: 'POST', body: form });
        expect(r.status).to.equal(202);
        const { id } = (await r.json()) as { id: string };
        // Killed once some chunks are committed, before the end.
        for (;;) {
          const e = (await (await fetch(`http://127.0.0.1:${port}/api/v1/jobs/${id}`)).json()) as { lignesLues: number };
          if (e.lignesLues >= 1000) break;
          await new Promise((ok) => setTimeout(ok, 20));
        }
        p.kill('SIGKILL');
        await new Promise((ok) => p.once('exit', ok));
        const [avant] = await requete(base, `SELECT lignesLues, etat FROM job WHERE id = '${id}'`);
        expect(Number(avant.lignesLues)).to.be.below(LIGNES);
        expect(avant.etat).to.equal('EN_COURS');
        // The dead process's lease would expire in two minutes: make it expired now.
        await requete(base, `UPDATE job SET bailJusqua = '2000-01-01 00:00:00.000' WHERE id = '${id}'`);
        p = await processusPasserelle(base, dossier, port);
        for (;;) {
          const e = (await (await fetch(`http://127.0.0.1:${port}/api/v1/jobs/${id}`)).json()) as {
            etat: string;
            lignesLues: number;
            creees: number;
            inchangees: number;
            lignesRejetees: number;
          };
          if (e.etat !== 'EN_COURS' && e.etat !== 'EN_ATTENTE') {
            expect(e).to.include({ etat: 'TERMINE', lignesLues: LIGNES, lignesRejetees: 0 });
            expect(e.creees + e.inchangees).to.equal(LIGNES);
            break;
          }
          await new Promise((ok) => setTimeout(ok, 100));
        }
        const [{ n }] = await requete(base, "SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo LIKE 'P__5%'");
        expect(Number(n)).to.equal(LIGNES);
        const [{ v }] = await requete(base, 'SELECT COUNT(*) AS v FROM voeu_opi');
        expect(Number(v)).to.equal(LIGNES);
      } finally {
        p.kill('SIGTERM');
        await new Promise((ok) => (p.exitCode !== null ? ok(undefined) : p.once('exit', ok)));
        rmSync(dossier, { recursive: true, force: true });
        await base.supprimer();
      }
    });
  });
}
