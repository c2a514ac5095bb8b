import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { vc, ts } from './colonnes';

/** `integer`, as the entities' `int` is on SQLite. */
const entier = (name: string, isNullable = false) => ({ name, type: 'integer', isNullable });
const id = () => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const });

/** Supporting documents of OPIs (metadata; the bytes are in the document store), their history, reminders. */
export class Pieces1764700000000 implements MigrationInterface {
  name = 'Pieces1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'piece_opi',
        columns: [
          id(),
          vc('codOpiIntEpo', 10, false),
          vc('codTpj', 5, false),
          vc('statut', 10, false),
          vc('nomFichier', 200, false),
          vc('typeMedia', 100, false),
          entier('taille'),
          vc('empreinte', 64, false),
          vc('motifRefus', 5),
          vc('commentaire', 500),
          vc('source', 100, false),
          entier('version'),
          ts('deposeLe'),
          ts('statutLe'),
        ],
        indices: [
          new TableIndex({ name: 'uq_piece_opi', columnNames: ['codOpiIntEpo', 'codTpj'], isUnique: true }),
          new TableIndex({ name: 'ix_piece_statut', columnNames: ['statut', 'statutLe'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'piece_historique',
        columns: [
          id(),
          entier('pieceId'),
          vc('codOpiIntEpo', 10, false),
          vc('codTpj', 5, false),
          vc('de', 10),
          vc('vers', 10, false),
          vc('empreinte', 64, false),
          vc('nomFichier', 200, false),
          vc('motif', 500),
          vc('client', 100, false),
          vc('requestId', 64, false),
          ts('le'),
        ],
        indices: [
          new TableIndex({ name: 'ix_piece_historique', columnNames: ['pieceId'] }),
          new TableIndex({ name: 'ix_piece_historique_empreinte', columnNames: ['empreinte'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'relance_pj',
        columns: [
          id(),
          vc('codOpiIntEpo', 10, false),
          vc('periode', 10, false),
          vc('adresse', 200, false),
          vc('etat', 20, false),
          vc('erreur', 500),
          vc('pieces', 200, false),
          vc('jobId', 36),
          ts('le'),
        ],
        indices: [new TableIndex({ name: 'uq_relance_pj', columnNames: ['codOpiIntEpo', 'periode'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'adresse_refusee',
        columns: [{ ...vc('adresse', 200, false), isPrimary: true }, vc('erreur', 500, false), ts('le')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['adresse_refusee', 'relance_pj', 'piece_historique', 'piece_opi']) await q.dropTable(t);
  }
}
