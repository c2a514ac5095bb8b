import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc, ts, txt } from './colonnes';

/** `integer`, as the entities' `int` is on SQLite. */
const entier = (name: string, isNullable = false) => ({ name, type: 'integer', isNullable });
const id = () => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const });

/**
 * The outbox of the notifications the gateway owes other systems (first: Parcoursup's
 * `majInscriptionAdministrative` when an IA of a Parcoursup OPI is validated or cancelled), written in
 * the transaction of the change it reports and delivered in the background, in order per `cle`.
 * And the IA's `cursus` (principale, double cursus, parallèle, parallèle secondaire), which that
 * notification carries.
 */
export class NotificationSortante1764900000000 implements MigrationInterface {
  name = 'NotificationSortante1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notification_sortante',
        columns: [
          id(),
          vc('type', 30, false),
          vc('cle', 40, false),
          entier('ordre'),
          txt('corps', false),
          vc('etat', 12, false),
          entier('tentatives'),
          ts('prochaineTentative'),
          vc('derniereErreur', 1000),
          ts('creeLe'),
          ts('envoyeeLe', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_notification_ordre', columnNames: ['type', 'cle', 'ordre'], isUnique: true }),
          new TableIndex({ name: 'ix_notification_etat', columnNames: ['etat', 'prochaineTentative'] }),
        ],
      }),
    );
    // SQLite adds a nullable column in place (TypeORM's addColumn would rebuild the table, and with it
    // the AUTOINCREMENT counter and the foreign key of inscription_evenement).
    if (['better-sqlite3', 'sqlite'].includes(q.dataSource.driver.options.type)) {
      await q.query('ALTER TABLE "inscription" ADD COLUMN "cursus" varchar(30)');
    } else {
      await q.addColumn('inscription', new TableColumn(vc('cursus', 30)));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (['better-sqlite3', 'sqlite'].includes(q.dataSource.driver.options.type)) await q.query('ALTER TABLE "inscription" DROP COLUMN "cursus"');
    else await q.dropColumn('inscription', 'cursus');
    await q.dropTable('notification_sortante');
  }
}
