/** `npm run migrate -- status | up` as a real child process (node dist/scripts/migrate.js), on fresh databases. */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BASES, nouvelleBase, URL_MARIADB, type BaseDeTest } from '../helpers/bases';
import { MIGRATIONS } from '../../src/persistence/migrations';

// better-sqlite3 ships no types (no @types/better-sqlite3 here): the two calls this test needs.
const Database: new (fichier: string) => { exec(sql: string): void; close(): void } = require('better-sqlite3');

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'migrate.js');
const NOMS = MIGRATIONS.map((M) => new M().name);

interface Sortie {
  code: number;
  stdout: string;
  stderr: string;
}

function migrate(args: string[], databaseUrl: string): Promise<Sortie> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** DATABASE_URL of a test database, as an operator would write it. */
function urlDe(base: BaseDeTest): string {
  return base.nom === 'sqlite' ? `sqlite:${base.config.url}` : base.config.url;
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] npm run migrate (scripts/migrate.ts)`, function () {
    let base: BaseDeTest;
    before(async () => {
      base = await nouvelleBase(nomBase);
    });
    after(async () => {
      await base?.supprimer();
    });

    it("status sur une base neuve : chaque migration du code est en attente, code 0, rien n'est créé", async () => {
      const r = await migrate(['status'], urlDe(base));
      expect(r.code, r.stderr).to.equal(0);
      for (const nom of NOMS) expect(r.stdout).to.match(new RegExp(`\\[en attente\\] ${nom}$`, 'm'));
      expect(r.stdout).to.include(`${NOMS.length} migrations : 0 appliquée(s), ${NOMS.length} en attente.`);
      if (nomBase === 'sqlite') expect(existsSync(base.config.url), 'status ne crée pas le fichier SQLite').to.equal(false);
    });

    it("up applique toutes les migrations, dans l'ordre, et dit lesquelles", async () => {
      const r = await migrate(['up'], urlDe(base));
      expect(r.code, r.stderr).to.equal(0);
      const appliquees = [...r.stdout.matchAll(/^ {2}appliquée : (\S+)$/gm)].map((m) => m[1]);
      expect(appliquees).to.deep.equal(NOMS);
      expect(r.stdout).to.include(`${NOMS.length} migration(s) appliquée(s).`);
    });

    it('status après up : tout est appliqué ; up à nouveau ne fait rien', async () => {
      const s = await migrate(['status'], urlDe(base));
      expect(s.code, s.stderr).to.equal(0);
      for (const nom of NOMS) expect(s.stdout).to.match(new RegExp(`\\[appliquée \\] ${nom}$`, 'm'));
      expect(s.stdout).to.include(`${NOMS.length} migrations : ${NOMS.length} appliquée(s), 0 en attente.`);
      const u = await migrate(['up'], urlDe(base));
      expect(u.code, u.stderr).to.equal(0);
      expect(u.stdout).to.include('Aucune migration en attente : la base est à jour.');
    });

    if (nomBase === 'mariadb')
      it("le mot de passe de DATABASE_URL n'est jamais affiché", async () => {
        const u = new URL(base.config.url);
        u.password = 'secret-a-ne-pas-afficher';
        const r = await migrate(['status'], u.toString());
        expect(r.stdout + r.stderr).not.to.include('secret-a-ne-pas-afficher');
      });
  });
}

describe('npm run migrate : erreurs (code de sortie non nul, message en français)', function () {
  it('commande absente ou inconnue → code 2', async () => {
    const sans = await migrate([], 'sqlite::memory:');
    expect(sans.code).to.equal(2);
    expect(sans.stderr).to.include('Erreur : commande attendue : status ou up');
    const inconnue = await migrate(['down'], 'sqlite::memory:');
    expect(inconnue.code).to.equal(2);
    expect(inconnue.stderr).to.include('Erreur : commande inconnue : down. Commandes : status, up.');
  });

  it('DATABASE_URL invalide → code 1, la variable est nommée', async () => {
    const r = await migrate(['status'], 'ftp://exemple');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('Erreur : Configuration invalide : DATABASE_URL=ftp://exemple');
    expect(r.stderr).not.to.match(/\bat .+\.js:\d+/); // no stack trace
  });

  it('serveur injoignable → code 1', async () => {
    const r = await migrate(['up'], 'mysql://root@127.0.0.1:1/absente');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include("Erreur : impossible d'ouvrir la base mysql://root@127.0.0.1:1/absente : serveur injoignable");
  });

  it('une migration qui échoue → code 1 ; le message la nomme et dit ce qui reste appliqué', async () => {
    const base = await nouvelleBase('sqlite');
    try {
      // A table in the way of the second migration.
      const db = new Database(base.config.url);
      db.exec('CREATE TABLE laissez_passer (x int)');
      db.close();
      const r = await migrate(['up'], urlDe(base));
      expect(r.code).to.equal(1);
      expect(r.stdout).to.include(`appliquée : ${NOMS[0]}`);
      expect(r.stderr).to.include(`Erreur : la migration ${NOMS[1]} a échoué : `);
      expect(r.stderr).to.include('(1 migration(s) appliquée(s) avant elle restent en place).');
      const s = await migrate(['status'], urlDe(base));
      expect(s.stdout).to.include(`${NOMS.length} migrations : 1 appliquée(s), ${NOMS.length - 1} en attente.`);
    } finally {
      await base.supprimer();
    }
  });

  it('base MariaDB inexistante → code 1, avec la commande pour la créer', async function () {
    if (!BASES.includes('mariadb')) this.skip();
    const u = new URL(URL_MARIADB);
    u.pathname = '/gw_t_base_qui_n_existe_pas';
    const r = await migrate(['status'], u.toString());
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include("la base n'existe pas sur ce serveur (créez-la : CREATE DATABASE");
  });
});
