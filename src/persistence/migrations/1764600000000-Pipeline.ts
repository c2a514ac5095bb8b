import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc } from './colonnes';

/** `integer`, as the entities' `int` is on SQLite (the earlier `int` declarations were aligned by AlignementSchema). */
const entier = (name: string, defaut: number) => ({ name, type: 'integer', isNullable: false, default: defaut });

/**
 * The journal's individual key (one format for every door, searchable) and its aggregated count;
 * dry-run and cancellation of jobs.
 */
export class Pipeline1764600000000 implements MigrationInterface {
  name = 'Pipeline1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('journal', new TableColumn(vc('individu', 40)));
    await q.addColumn('journal', new TableColumn(entier('nombre', 1)));
    await q.createIndex('journal', new TableIndex({ name: 'ix_journal_individu', columnNames: ['individu'] }));
    await q.addColumn('job', new TableColumn(entier('simulation', 0)));
    await q.addColumn('job', new TableColumn(entier('annulationDemandee', 0)));
    await q.createIndex('job', new TableIndex({ name: 'ix_job_client', columnNames: ['client', 'creeLe'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('job', 'ix_job_client');
    await q.dropColumn('job', 'annulationDemandee');
    await q.dropColumn('job', 'simulation');
    await q.dropIndex('journal', 'ix_journal_individu');
    await q.dropColumn('journal', 'nombre');
    await q.dropColumn('journal', 'individu');
  }
}
