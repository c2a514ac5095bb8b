import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Jobs of other types than LP files: their parameters, the row count for progress, the identifiers of a rejected row. */
export class JobsImports1765000000000 implements MigrationInterface {
  name = 'JobsImports1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('job', new TableColumn({ name: 'lignesTotal', type: 'integer', isNullable: true }));
    await q.addColumn('job', new TableColumn({ name: 'parametres', type: 'text', isNullable: true }));
    await q.addColumn('job_rejet', new TableColumn({ name: 'identifiants', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('job_rejet', 'identifiants');
    await q.dropColumn('job', 'parametres');
    await q.dropColumn('job', 'lignesTotal');
  }
}
