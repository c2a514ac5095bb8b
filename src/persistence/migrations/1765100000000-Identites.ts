import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, vc, ts } from './colonnes';

/** `integer`, as the entities' `int` is on SQLite. */
const int = (name: string, isNullable = true) => ({ name, type: 'integer', isNullable });

/** Clients with scopes and OPI prefixes, their API keys (SHA-256 only), staff accounts (scrypt). */
export class Identites1765100000000 implements MigrationInterface {
  name = 'Identites1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'client_api',
        columns: [id(), vc('nom', 100, false), vc('portees', 1000, false), vc('prefixesOpi', 500), vc('description', 500), ts('creeLe'), ts('revoqueLe', true)],
        indices: [new TableIndex({ name: 'uq_client_api_nom', columnNames: ['nom'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cle_api',
        columns: [id(), int('clientId', false), vc('empreinte', 64, false), vc('indice', 12, false), ts('creeLe'), ts('expireLe', true), ts('revoqueLe', true)],
        indices: [
          new TableIndex({ name: 'ix_cle_api_client', columnNames: ['clientId'] }),
          new TableIndex({ name: 'uq_cle_api_empreinte', columnNames: ['empreinte'], isUnique: true }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'compte_personnel',
        columns: [
          id(),
          vc('identifiant', 100, false),
          vc('nomAffiche', 200),
          vc('role', 20, false),
          vc('empreinteMotDePasse', 300, false),
          ts('creeLe'),
          ts('desactiveLe', true),
        ],
        indices: [new TableIndex({ name: 'uq_compte_identifiant', columnNames: ['identifiant'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('compte_personnel');
    await q.dropTable('cle_api');
    await q.dropTable('client_api');
  }
}
