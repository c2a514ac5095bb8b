import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc, ts } from './colonnes';

/** The staff's decision on a possible duplicate pair (same person or not), who took it and when. */
export class DecisionsDoublons1765400000000 implements MigrationInterface {
  name = 'DecisionsDoublons1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('doublon_opi', [new TableColumn(vc('decision', 30)), new TableColumn(vc('decidePar', 100)), new TableColumn(ts('decideLe', true))]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['decideLe', 'decidePar', 'decision']) await q.dropColumn('doublon_opi', c);
  }
}
