import { Table, TableIndex, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, vc, int, txt, ts } from './colonnes';

export class Inscription1764200000000 implements MigrationInterface {
  name = 'Inscription1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'inscription',
        columns: [
          id(),
          vc('cleActive', 80),
          vc('codAnu', 4, false),
          vc('codOpiIntEpo', 10),
          vc('codEtu', 8),
          vc('ine', 11),
          vc('codEtp', 6, false),
          int('codVrsVet', false),
          vc('codDip', 7),
          int('codVrsVdi'),
          vc('codCge', 3),
          vc('etat', 20, false),
          vc('codRgi', 1),
          vc('codStu', 2),
          vc('codCatOuiSi', 5),
          vc('codCatExoExt', 5),
          int('boursier', false),
          vc('numBoursier', 13),
          vc('profilExonerant', 5),
          vc('codPayNat', 3),
          vc('numeroCvec', 30),
          int('montantBaseCentimes', false),
          int('montantDuCentimes', false),
          int('paiementCentimes'),
          vc('paiementReference', 100),
          vc('paiementMode', 20),
          ts('paiementLe', true),
          txt('calcul', false),
          vc('source', 100, false),
          int('version', false),
          ts('creeLe'),
          ts('modifieLe'),
        ],
        indices: [
          new TableIndex({ name: 'uq_inscription_active', columnNames: ['cleActive'], isUnique: true }),
          new TableIndex({ name: 'ix_inscription_opi', columnNames: ['codOpiIntEpo', 'codAnu'] }),
          new TableIndex({ name: 'ix_inscription_etu', columnNames: ['codEtu', 'codAnu'] }),
          new TableIndex({ name: 'ix_inscription_ine', columnNames: ['ine', 'codAnu'] }),
          new TableIndex({ name: 'ix_inscription_etape', columnNames: ['codAnu', 'codEtp', 'etat'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'inscription_evenement',
        columns: [
          id(),
          int('inscriptionId', false),
          vc('de', 20),
          vc('vers', 20, false),
          vc('motif', 500),
          vc('client', 100, false),
          vc('requestId', 64, false),
          ts('le'),
        ],
        indices: [new TableIndex({ name: 'ix_inscription_evenement', columnNames: ['inscriptionId'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_evenement_inscription',
            columnNames: ['inscriptionId'],
            referencedTableName: 'inscription',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('inscription_evenement');
    await q.dropTable('inscription');
  }
}
