import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc, ts } from './colonnes';

/** A lease on each job, so that several gateway instances on one database never run the same job twice. */
export class BailJob1764300000000 implements MigrationInterface {
  name = 'BailJob1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('job', new TableColumn(vc('proprietaire', 64)));
    await q.addColumn('job', new TableColumn(ts('bailJusqua', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('job', 'bailJusqua');
    await q.dropColumn('job', 'proprietaire');
  }
}
