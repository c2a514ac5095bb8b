import { TableForeignKey, type MigrationInterface, type QueryRunner, type TableColumn } from 'typeorm';

/**
 * Makes the migrated schema exactly the one the entities describe (checked by
 * test/integration/entites-migrations.test.ts), with no change of behaviour:
 *
 * - SQLite: the earlier migrations declared integer columns as `int`, the entities' `int` is
 *   `integer` for TypeORM's SQLite driver. Same type affinity (INTEGER), so only the declaration
 *   changes: every table that has `int` columns is rebuilt once with `integer` (its rows, indexes,
 *   foreign keys and AUTOINCREMENT counter kept). Foreign keys are off while migrations run
 *   (TypeORM's `beforeMigration`); this migration checks it, so that rebuilding a parent table can
 *   never cascade-delete its children.
 * - MariaDB/MySQL: the foreign keys were created without `ON UPDATE`, which MariaDB records as
 *   RESTRICT where the entities (and SQLite) say NO ACTION; InnoDB treats both alike. They are
 *   recreated with an explicit `ON UPDATE NO ACTION`.
 */
export class AlignementSchema1764500000000 implements MigrationInterface {
  name = 'AlignementSchema1764500000000';
  /** Always in a transaction, even in transaction mode "none": on SQLite that is what turns foreign keys off. */
  transaction = true;

  async up(q: QueryRunner): Promise<void> {
    if (estSqlite(q)) await changerTypesEntiers(q, 'int', 'integer');
    else await recreerClesEtrangeres(q, 'NO ACTION');
  }

  async down(q: QueryRunner): Promise<void> {
    if (estSqlite(q)) await changerTypesEntiers(q, 'integer', 'int');
    else await recreerClesEtrangeres(q, undefined);
  }
}

/** The foreign keys of the earlier migrations (Fondation, Inscription), all ON DELETE CASCADE to an `id`. */
const CLES_ETRANGERES = [
  { table: 'voeu_opi', name: 'fk_voeu_opi_individu', columnNames: ['individuOpiId'], referencedTableName: 'individu_opi' },
  { table: 'doublon_opi', name: 'fk_doublon_opi_individu', columnNames: ['individuOpiId'], referencedTableName: 'individu_opi' },
  { table: 'doublon_opi', name: 'fk_doublon_opi_existant', columnNames: ['individuOpiIdExistant'], referencedTableName: 'individu_opi' },
  { table: 'inscription_evenement', name: 'fk_evenement_inscription', columnNames: ['inscriptionId'], referencedTableName: 'inscription' },
];

/** Tables that are TypeORM's or SQLite's own, not the gateway's. */
const TABLES_TECHNIQUES = new Set(['migrations', 'typeorm_metadata', 'sqlite_sequence']);

function estSqlite(q: QueryRunner): boolean {
  return ['better-sqlite3', 'sqlite'].includes(q.dataSource.driver.options.type);
}

async function recreerClesEtrangeres(q: QueryRunner, onUpdate: 'NO ACTION' | undefined): Promise<void> {
  for (const { table, ...cle } of CLES_ETRANGERES) {
    await q.dropForeignKey(table, cle.name);
    await q.createForeignKey(table, new TableForeignKey({ ...cle, referencedColumnNames: ['id'], onDelete: 'CASCADE', ...(onUpdate ? { onUpdate } : {}) }));
  }
}

async function changerTypesEntiers(q: QueryRunner, de: string, vers: string): Promise<void> {
  const [{ foreign_keys: clesActives }] = await q.query('PRAGMA foreign_keys');
  if (Number(clesActives) !== 0) {
    throw new Error(
      'Migration AlignementSchema : les clés étrangères SQLite doivent être désactivées pendant la reconstruction des tables (migrations TypeORM en transaction).',
    );
  }
  for (const table of await q.getTables()) {
    if (TABLES_TECHNIQUES.has(table.name) || table.name.startsWith('sqlite_')) continue;
    const changes = table.columns
      // The generated primary key is `integer` already (the rowid alias), whatever the direction.
      .filter((c: TableColumn) => c.type === de && !(c.isPrimary && c.isGenerated))
      .map((c: TableColumn) => {
        const nouvelle = c.clone();
        nouvelle.type = vers;
        return { oldColumn: c, newColumn: nouvelle };
      });
    if (!changes.length) continue;
    // Rebuilding the table drops its AUTOINCREMENT counter: keep it, so that ids of deleted rows are never reused.
    const [avant] = await q.query('SELECT seq FROM sqlite_sequence WHERE name = ?', [table.name]);
    await q.changeColumns(table, changes);
    if (avant) {
      const [apres] = await q.query('SELECT seq FROM sqlite_sequence WHERE name = ?', [table.name]);
      if (!apres) await q.query('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', [table.name, avant.seq]);
      else if (Number(apres.seq) < Number(avant.seq)) await q.query('UPDATE sqlite_sequence SET seq = ? WHERE name = ?', [avant.seq, table.name]);
    }
  }
  const violations = await q.query('PRAGMA foreign_key_check');
  if (violations.length) throw new Error(`Migration AlignementSchema : ${violations.length} violation(s) de clé étrangère après reconstruction des tables.`);
}
