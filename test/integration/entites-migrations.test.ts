/**
 * The entities and the migrations describe the same schema: on a fresh database migrated with the
 * project's migrations (every one of src/persistence/migrations/index.ts, whatever they are), the
 * schema diff TypeORM computes from the entities is empty. A column, type, nullability, default,
 * index, unique key or foreign key declared on one side only fails here, with the SQL TypeORM would
 * run to reconcile them.
 */
import { expect } from 'chai';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { BASES, nouvelleBase, type BaseDeTest } from '../helpers/bases';
import { creerSource, ouvrirBase } from '../../src/persistence/source';
import { MIGRATIONS } from '../../src/persistence/migrations';
import { AlignementSchema1764500000000 } from '../../src/persistence/migrations/1764500000000-AlignementSchema';

/**
 * The source whose view of the schema is compared. On a MariaDB server the gateway's `mysql` source
 * is read again as TypeORM's `mariadb` type (same options, same driver): only that type understands
 * how MariaDB reports column defaults (`'NULL'` for none), the `mysql` type would see a change in every
 * nullable column.
 */
async function sourceDeComparaison(source: DataSource): Promise<DataSource> {
  if (source.options.type !== 'mysql') return source;
  const [{ v }] = await source.query('SELECT VERSION() AS v');
  if (!/mariadb/i.test(String(v))) return source;
  const mariadb = new DataSource({ ...source.options, type: 'mariadb' } as DataSourceOptions);
  return mariadb.initialize();
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] entités et migrations décrivent le même schéma`, function () {
    let base: BaseDeTest;
    let source: DataSource;
    let comparee: DataSource;
    before(async () => {
      base = await nouvelleBase(nomBase);
      source = await ouvrirBase(base.config);
      comparee = await sourceDeComparaison(source);
    });
    after(async () => {
      if (comparee && comparee !== source) await comparee.destroy();
      await source?.destroy();
      await base?.supprimer();
    });

    it("toutes les migrations du code sont appliquées, dans l'ordre", async () => {
      const appliquees = (await source.query('SELECT name FROM migrations ORDER BY id')).map((l: { name: string }) => l.name);
      expect(appliquees).to.deep.equal(MIGRATIONS.map((M) => new M().name));
    });

    it('le diff de schéma TypeORM (entités → base migrée) est vide', async () => {
      const { upQueries } = await comparee.driver.createSchemaBuilder().log();
      const requetes = upQueries.map((q) => q.query);
      expect(
        requetes.length,
        `Entités et migrations divergent : TypeORM exécuterait ${requetes.length} requête(s) pour aligner la base sur les entités :\n${requetes.join(';\n')}\n`,
      ).to.equal(0);
    });
  });
}

/** The rows written before AlignementSchema (SQLite rebuilds tables, MariaDB recreates foreign keys) survive it. */
const AVANT_ALIGNEMENT = MIGRATIONS.slice(0, MIGRATIONS.indexOf(AlignementSchema1764500000000));
const T = `'2026-01-15 10:00:00.000'`;
const DONNEES_AVANT = [
  `INSERT INTO individu_opi (id, codOpiIntEpo, codEtuOpi, libNomPatIndOpi, libPr1IndOpi, cleNomPat, clePr1, dateNaiIndOpi, donnees, empreinte, source, version, creeLe, modifieLe)
   VALUES (1, 'AL00000001', 12345, 'DURAND', 'JEAN', 'DURAND', 'JEAN', '2005-01-01', '{}', 'e1', 'test', 1, ${T}, ${T}),
          (2, 'AL00000002', 12345, 'DURAND', 'JEAN', 'DURAND', 'JEAN', '2005-01-01', '{}', 'e2', 'test', 1, ${T}, ${T})`,
  `INSERT INTO voeu_opi (individuOpiId, rang, numCls, codCge, codEtp, codVrsVet, codDecVeu, codDemDos, donnees)
   VALUES (1, 0, 1, 'DRT', 'LDRT1', 2, 'F', 'C', '{}'), (2, 0, 1, 'DRT', 'LDRT1', 2, 'F', 'C', '{}')`,
  `INSERT INTO doublon_opi (individuOpiId, codOpiIntEpo, individuOpiIdExistant, codOpiIntEpoExistant, motif, detecteLe)
   VALUES (2, 'AL00000002', 1, 'AL00000001', 'DOUBLON_COD_ETU', ${T})`,
  `INSERT INTO laissez_passer (id, cle, typLpa, codAnu, codEtp, codVrsVet, source, empreinte, version, creeLe, modifieLe)
   VALUES (1, 'OPI:AL00000001|2026|LDRT1|2', 'OPI', '2026', 'LDRT1', 2, 'test', 'l1', 1, ${T}, ${T}),
          (2, 'OPI:AL00000002|2026|LDRT1|2', 'OPI', '2026', 'LDRT1', 2, 'test', 'l2', 1, ${T}, ${T})`,
  // The LP with the highest id is deleted: its id must not be given again after the migration.
  'DELETE FROM laissez_passer WHERE id = 2',
  `INSERT INTO inscription (id, codAnu, codEtp, codVrsVet, etat, boursier, montantBaseCentimes, montantDuCentimes, calcul, source, version, creeLe, modifieLe)
   VALUES (1, '2026', 'LDRT1', 2, 'EXONEREE', 1, 0, 0, '{}', 'test', 1, ${T}, ${T})`,
  `INSERT INTO inscription_evenement (inscriptionId, vers, client, requestId, le) VALUES (1, 'EXONEREE', 'test', 'r1', ${T})`,
];
const COMPTES = ['individu_opi', 'voeu_opi', 'doublon_opi', 'laissez_passer', 'inscription', 'inscription_evenement'];

for (const nomBase of BASES) {
  describe(`[${nomBase}] migration AlignementSchema sur une base déjà remplie`, function () {
    let base: BaseDeTest;
    let source: DataSource | undefined;
    before(async () => {
      base = await nouvelleBase(nomBase);
    });
    after(async () => {
      await source?.destroy();
      await base?.supprimer();
    });

    it('garde les lignes, les clés étrangères (cascade comprise) et le compteur des identifiants', async () => {
      const ancienne = new DataSource({ ...creerSource(base.config).options, migrations: AVANT_ALIGNEMENT } as DataSourceOptions);
      await ancienne.initialize();
      await ancienne.runMigrations({ transaction: 'each' });
      for (const sql of DONNEES_AVANT) await ancienne.query(sql);
      const compter = async (s: DataSource) =>
        Object.fromEntries(await Promise.all(COMPTES.map(async (t) => [t, Number((await s.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)])));
      const avant = await compter(ancienne);
      await ancienne.destroy();

      source = await ouvrirBase(base.config);
      expect(await compter(source)).to.deep.equal(avant);
      expect(avant).to.deep.equal({ individu_opi: 2, voeu_opi: 2, doublon_opi: 1, laissez_passer: 1, inscription: 1, inscription_evenement: 1 });
      // A new row does not reuse the id of the deleted one.
      await source.query(`INSERT INTO laissez_passer (cle, typLpa, codAnu, codEtp, codVrsVet, source, empreinte, version, creeLe, modifieLe)
        VALUES ('OPI:AL00000003|2026|LDRT1|2', 'OPI', '2026', 'LDRT1', 2, 'test', 'l3', 1, ${T}, ${T})`);
      const [{ id }] = await source.query(`SELECT MAX(id) AS id FROM laissez_passer`);
      expect(Number(id)).to.equal(3);
      // The foreign keys still hold and still cascade.
      let refus: unknown;
      try {
        await source.query(
          `INSERT INTO voeu_opi (individuOpiId, rang, numCls, codCge, codEtp, codVrsVet, codDecVeu, codDemDos, donnees) VALUES (99, 0, 1, 'DRT', 'LDRT1', 2, 'F', 'C', '{}')`,
        );
      } catch (err) {
        refus = err;
      }
      expect(refus, 'un vœu sans individu doit être refusé').to.be.instanceOf(Error);
      await source.query('DELETE FROM individu_opi WHERE id = 2');
      expect(await compter(source)).to.include({ individu_opi: 1, voeu_opi: 1, doublon_opi: 0 });
      await source.query('DELETE FROM inscription WHERE id = 1');
      expect(await compter(source)).to.include({ inscription: 0, inscription_evenement: 0 });
    });
  });
}
