import { Table, TableIndex, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';

import { id, vc, int, txt, ts } from './colonnes';

export class Fondation1764000000000 implements MigrationInterface {
  name = 'Fondation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'individu_opi',
        columns: [
          id(),
          vc('codOpiIntEpo', 10, false),
          int('codEtuOpi'),
          vc('libNomPatIndOpi', 30, false),
          vc('libNomUsuIndOpi', 30),
          vc('libPr1IndOpi', 20, false),
          vc('cleNomPat', 30, false),
          vc('clePr1', 20, false),
          vc('dateNaiIndOpi', 10, false),
          vc('codNneIndOpi', 10),
          vc('codCleNneIndOpi', 2),
          vc('codSexEtuOpi', 1),
          vc('codPayNat', 3),
          vc('codRgi', 1),
          vc('codStu', 2),
          txt('donnees', false),
          vc('empreinte', 64, false),
          vc('source', 100, false),
          int('version', false),
          ts('creeLe'),
          ts('modifieLe'),
        ],
        indices: [
          new TableIndex({ name: 'uq_individu_opi_code', columnNames: ['codOpiIntEpo'], isUnique: true }),
          new TableIndex({ name: 'ix_individu_opi_ine', columnNames: ['codNneIndOpi'] }),
          new TableIndex({ name: 'ix_individu_opi_etu', columnNames: ['codEtuOpi'] }),
          new TableIndex({ name: 'ix_individu_opi_etat_civil', columnNames: ['cleNomPat', 'clePr1', 'dateNaiIndOpi'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'voeu_opi',
        columns: [
          id(),
          int('individuOpiId', false),
          int('rang', false),
          int('numCls', false),
          vc('codCge', 3, false),
          vc('codEtp', 6, false),
          int('codVrsVet', false),
          vc('codDip', 7),
          int('codVrsVdi'),
          vc('codCmp', 3),
          vc('codDecVeu', 1, false),
          vc('codDemDos', 1, false),
          vc('codRge', 1),
          vc('codCatOuiSi', 5),
          vc('mtfCat', 100),
          vc('codCatExoExt', 5),
          vc('comExoExt', 15),
          txt('donnees', false),
        ],
        indices: [
          new TableIndex({ name: 'uq_voeu_opi', columnNames: ['individuOpiId', 'codCge', 'codEtp', 'codVrsVet'], isUnique: true }),
          new TableIndex({ name: 'ix_voeu_opi_etape', columnNames: ['codEtp', 'codVrsVet'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_voeu_opi_individu',
            columnNames: ['individuOpiId'],
            referencedTableName: 'individu_opi',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'doublon_opi',
        columns: [
          id(),
          int('individuOpiId', false),
          vc('codOpiIntEpo', 10, false),
          int('individuOpiIdExistant', false),
          vc('codOpiIntEpoExistant', 10, false),
          vc('motif', 30, false),
          ts('detecteLe'),
        ],
        indices: [new TableIndex({ name: 'uq_doublon_opi', columnNames: ['individuOpiId', 'individuOpiIdExistant', 'motif'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_doublon_opi_individu',
            columnNames: ['individuOpiId'],
            referencedTableName: 'individu_opi',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_doublon_opi_existant',
            columnNames: ['individuOpiIdExistant'],
            referencedTableName: 'individu_opi',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'journal',
        columns: [
          id(),
          ts('recuLe'),
          vc('porte', 10, false),
          vc('operation', 80, false),
          vc('client', 100, false),
          vc('requestId', 64, false),
          vc('cle', 100),
          vc('empreinte', 64),
          vc('resultat', 20, false),
          int('statut', false),
          vc('codes', 1000),
          int('dureeMs', false),
          txt('details'),
        ],
        indices: [
          new TableIndex({ name: 'ix_journal_recu', columnNames: ['recuLe'] }),
          new TableIndex({ name: 'ix_journal_cle', columnNames: ['cle'] }),
          new TableIndex({ name: 'ix_journal_request', columnNames: ['requestId'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'nomenclature',
        columns: [{ ...vc('nom', 40, false), isPrimary: true }, vc('libelle', 200, false), vc('source', 500), int('nombre', false), ts('chargeLe')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'nomenclature_code',
        columns: [
          { ...vc('nom', 40, false), isPrimary: true },
          { ...vc('code', 40, false), isPrimary: true },
          vc('libelle', 200, false),
          int('enService', false),
          txt('entree', false),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['nomenclature_code', 'nomenclature', 'journal', 'doublon_opi', 'voeu_opi', 'individu_opi']) await q.dropTable(t);
  }
}
