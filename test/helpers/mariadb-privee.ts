/**
 * A MariaDB server of the test's own (own data folder, own port), started from Debian's binaries: the
 * database-fault tests stop, kill and freeze it (SIGSTOP) — never the machine's shared server.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const executer = promisify(execFile);

export interface MariaDbPrivee {
  url: string;
  /** The server process (undefined while stopped). */
  processus?: ChildProcess;
  geler(): void;
  degeler(): void;
  /** kill -9, or a clean stop. */
  arreter(brutal?: boolean): Promise<void>;
  redemarrer(): Promise<void>;
  supprimer(): Promise<void>;
}

function portLibre(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export async function mariaDbPrivee(): Promise<MariaDbPrivee> {
  const dossier = mkdtempSync(path.join(tmpdir(), 'gw-mariadb-'));
  const donnees = path.join(dossier, 'data');
  await executer('mariadb-install-db', ['--no-defaults', `--datadir=${donnees}`, '--user=root', '--skip-test-db', '--auth-root-authentication-method=normal']);
  const port = await portLibre();
  const m: MariaDbPrivee = {
    url: `mysql://root@127.0.0.1:${port}/gw`,
    geler() {
      m.processus?.kill('SIGSTOP');
    },
    degeler() {
      m.processus?.kill('SIGCONT');
    },
    async arreter(brutal = false) {
      const p = m.processus;
      if (!p || p.exitCode !== null) return;
      const fin = new Promise((r) => p.once('exit', r));
      p.kill('SIGCONT');
      p.kill(brutal ? 'SIGKILL' : 'SIGTERM');
      await fin;
      m.processus = undefined;
    },
    async redemarrer() {
      m.processus = spawn(
        '/usr/sbin/mariadbd',
        [
          '--no-defaults',
          `--datadir=${donnees}`,
          `--port=${port}`,
          `--socket=${path.join(dossier, 'sock')}`,
          '--bind-address=127.0.0.1',
          '--user=root',
          '--skip-grant-tables',
          '--skip-log-bin',
          '--innodb-buffer-pool-size=32M',
          `--pid-file=${path.join(dossier, 'pid')}`,
        ],
        { stdio: 'ignore' },
      );
      for (let i = 0; i < 100; i++) {
        try {
          const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
          await c.query('CREATE DATABASE IF NOT EXISTS gw CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
          await c.end();
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      throw new Error(`MariaDB privée : ne démarre pas sur le port ${port}`);
    },
    async supprimer() {
      await m.arreter(true);
      rmSync(dossier, { recursive: true, force: true });
    },
  };
  await m.redemarrer();
  return m;
}
