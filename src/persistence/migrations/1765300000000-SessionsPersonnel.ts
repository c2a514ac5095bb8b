import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc, ts } from './colonnes';

/** Staff sessions of the console, in the database so that any node serves them (only the token's SHA-256 is stored). */
export class SessionsPersonnel1765300000000 implements MigrationInterface {
  name = 'SessionsPersonnel1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'session_personnel',
        columns: [
          { ...vc('id', 64, false), isPrimary: true },
          vc('compte', 100, false),
          vc('role', 20, false),
          vc('csrf', 64, false),
          vc('origine', 20, false),
          ts('creeLe'),
          ts('vueLe'),
          ts('expireLe'),
        ],
        indices: [
          new TableIndex({ name: 'ix_session_expire', columnNames: ['expireLe'] }),
          new TableIndex({ name: 'ix_session_compte', columnNames: ['compte'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('session_personnel');
  }
}
