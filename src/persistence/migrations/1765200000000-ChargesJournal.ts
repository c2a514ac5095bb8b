import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, vc, ts, txt } from './colonnes';

/** `integer`, as the entities' `int` is on SQLite. */
const int = (name: string, isNullable = true) => ({ name, type: 'integer', isNullable });

/** Payloads kept for replay (encrypted, in segments a TEXT holds), and the link of a replayed message to its original. */
export class ChargesJournal1765200000000 implements MigrationInterface {
  name = 'ChargesJournal1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'charge_journal',
        columns: [id(), int('journalId', false), int('morceau', false), vc('cle', 16, false), txt('donnees', false), ts('recuLe')],
        indices: [
          new TableIndex({ name: 'ix_charge_journal', columnNames: ['journalId'] }),
          new TableIndex({ name: 'ix_charge_recu', columnNames: ['recuLe'] }),
        ],
      }),
    );
    await q.addColumn('journal', new TableColumn(int('rejeuDe')));
    await q.createIndex('journal', new TableIndex({ name: 'ix_journal_rejeu', columnNames: ['rejeuDe'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('journal', 'ix_journal_rejeu');
    await q.dropColumn('journal', 'rejeuDe');
    await q.dropTable('charge_journal');
  }
}
