import { Table, TableIndex, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, vc, int, txt, ts } from './colonnes';

export class LaissezPasser1764100000000 implements MigrationInterface {
  name = 'LaissezPasser1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('individu_opi', new TableColumn(vc('codAnu', 4)));
    await q.createIndex('individu_opi', new TableIndex({ name: 'ix_individu_opi_anu', columnNames: ['codAnu'] }));
    await q.createTable(
      new Table({
        name: 'laissez_passer',
        columns: [
          id(),
          vc('cle', 60, false),
          vc('typLpa', 7, false),
          vc('codAnu', 4, false),
          vc('codOpiIntEpo', 10),
          vc('codEtu', 8),
          vc('ine', 11),
          vc('codEtp', 6, false),
          int('codVrsVet', false),
          vc('codDip', 7),
          int('codVrsVdi'),
          vc('codCge', 3),
          vc('codRgi', 1),
          vc('codStu', 2),
          vc('codCatOuiSi', 5),
          vc('mtfCat', 100),
          vc('codCatExoExt', 5),
          vc('libCmtLpa', 200),
          vc('dateDebutValidite', 10),
          vc('dateFinValidite', 10),
          vc('source', 100, false),
          vc('jobId', 36),
          vc('empreinte', 64, false),
          int('version', false),
          ts('creeLe'),
          ts('modifieLe'),
        ],
        indices: [
          new TableIndex({ name: 'uq_laissez_passer_cle', columnNames: ['cle'], isUnique: true }),
          new TableIndex({ name: 'ix_lp_opi', columnNames: ['codOpiIntEpo', 'codAnu'] }),
          new TableIndex({ name: 'ix_lp_etu', columnNames: ['codEtu', 'codAnu'] }),
          new TableIndex({ name: 'ix_lp_ine', columnNames: ['ine', 'codAnu'] }),
          new TableIndex({ name: 'ix_lp_formation', columnNames: ['codAnu', 'codEtp', 'codVrsVet'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'job',
        columns: [
          { ...vc('id', 36, false), isPrimary: true },
          vc('type', 30, false),
          vc('etat', 20, false),
          vc('mode', 20, false),
          vc('format', 10, false),
          vc('fichier', 500, false),
          vc('nomFichier', 255),
          vc('encodage', 20),
          vc('separateur', 1),
          vc('client', 100, false),
          vc('requestId', 64, false),
          vc('empreinte', 64),
          int('lignesLues', false),
          int('lignesRejetees', false),
          int('creees', false),
          int('misesAJour', false),
          int('inchangees', false),
          int('lignesTraitees', false),
          txt('erreur'),
          ts('creeLe'),
          ts('debutLe', true),
          ts('finLe', true),
        ],
        indices: [new TableIndex({ name: 'ix_job_etat', columnNames: ['etat'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'job_rejet',
        columns: [id(), vc('jobId', 36, false), int('numLigne', false), vc('codes', 500, false), txt('problemes', false), txt('valeurs')],
        indices: [new TableIndex({ name: 'uq_job_rejet', columnNames: ['jobId', 'numLigne'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'idempotence',
        columns: [
          { ...vc('client', 100, false), isPrimary: true },
          { ...vc('cle', 200, false), isPrimary: true },
          vc('operation', 80, false),
          vc('empreinteRequete', 64, false),
          int('statut', false),
          txt('reponse', false),
          ts('creeLe'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotence', 'job_rejet', 'job', 'laissez_passer']) await q.dropTable(t);
    await q.dropIndex('individu_opi', 'ix_individu_opi_anu');
    await q.dropColumn('individu_opi', 'codAnu');
  }
}
