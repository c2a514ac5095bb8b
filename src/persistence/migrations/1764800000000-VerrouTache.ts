import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc, ts } from './colonnes';

/** Leases of the tasks one instance at a time runs (the reminder of missing supporting documents). */
export class VerrouTache1764800000000 implements MigrationInterface {
  name = 'VerrouTache1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'verrou_tache',
        columns: [{ ...vc('nom', 60, false), isPrimary: true }, vc('proprietaire', 64, false), ts('jusqua')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('verrou_tache');
  }
}
