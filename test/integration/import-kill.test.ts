/**
 * A gateway process killed (SIGKILL) in the middle of an OPI import, then started again: the job
 * finishes with exactly the file's rows, none twice. The dead process's lease is made to expire (the
 * time a real restart would wait) rather than waited for.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import Database from 'better-sqlite3';
import { BASES, nouvelleBase, type BaseDeTest } from '../helpers/bases';
import { RACINE } from '../helpers/passerelle';

const LIGNES = 6000;

function fichier(): string {
  const modele = readFileSync(path.join(RACINE, 'fixtures', 'parcoursup', 'gestion-export.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const exemple = modele[1].split(';');
  const lignes = Array.from({ length: LIGNES }, (_, i) => {
    const v = [...exemple];
    v[0] = String(5000000 + i);
    v[5] = '';
    v[4] = `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2007`;
    v[2] = `Nom${i}`;
    return v.join(';');
  });
  return [modele[0], ...lignes].join('\n');
}

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

function demarrer(base: BaseDeTest, dossier: string, port: number): Promise<ChildProcess> {
  const url = base.nom === 'sqlite' ? `sqlite:${base.config.url}` : base.config.url;
  const p = spawn(process.execPath, [path.join(RACINE, 'dist', 'src', 'server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      BULK_DIR: path.join(dossier, 'lots'),
      PJ_DIR: path.join(dossier, 'pj'),
    },
    stdio: 'ignore',
  });
  return new Promise((ok, ko) => {
    const t0 = Date.now();
    const essayer = () => {
      fetch(`http://127.0.0.1:${port}/ready`).then(
        (r) => (r.ok ? ok(p) : setTimeout(essayer, 100)),
        () => (Date.now() - t0 > 30_000 ? ko(new Error('la passerelle ne démarre pas')) : setTimeout(essayer, 100)),
      );
    };
    essayer();
  });
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] import d'OPI : processus tué au milieu, puis relancé`, function () {
    this.timeout(180_000);

    it('finit le job avec exactement les lignes du fichier, aucune deux fois', async () => {
      const base = await nouvelleBase(nomBase);
      const dossier = mkdtempSync(path.join(tmpdir(), 'import-kill-'));
      const port = 18000 + Math.floor(Math.random() * 1000);
      let p = await demarrer(base, dossier, port);
      try {
        const form = new FormData();
        form.append('format', 'parcoursup-csv');
        form.append('codeFormationPsup', '12345');
        form.append('fichier', new Blob([fichier()]), 'gros.csv');
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
        p = await demarrer(base, dossier, port);
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
