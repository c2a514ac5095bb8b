/** Storage of laissez-passer: set-based reads and multi-row writes, for single calls and bulk chunks alike. */
import { In, LessThan, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { IndividuOpi, LaissezPasserEntite, VoeuOpi } from './entities';

export type LigneLp = Omit<LaissezPasserEntite, 'id'>;

/** Rows per multi-row statement: 26 columns × 400 stays far below SQLite's and MySQL's placeholder limits. */
const PAQUET = 400;

export class DepotLp {
  constructor(private readonly source: DataSource) {}

  /** Existing LPs by identity key, for a chunk. */
  async parCles(em: EntityManager, cles: string[]): Promise<Map<string, Pick<LaissezPasserEntite, 'id' | 'cle' | 'empreinte' | 'version' | 'creeLe'>>> {
    const sortie = new Map<string, Pick<LaissezPasserEntite, 'id' | 'cle' | 'empreinte' | 'version' | 'creeLe'>>();
    for (let i = 0; i < cles.length; i += PAQUET) {
      const lignes = await em.find(LaissezPasserEntite, {
        select: { id: true, cle: true, empreinte: true, version: true, creeLe: true },
        where: { cle: In(cles.slice(i, i + PAQUET)) },
      });
      for (const l of lignes) sortie.set(l.cle, l);
    }
    return sortie;
  }

  /**
   * Multi-row INSERT with positional placeholders, built here rather than by TypeORM's query builder:
   * the benchmark showed the builder spending 40 % of a bulk load on naming 10,000 parameters per
   * statement. Values go through the driver's own escaping (no string concatenation of data).
   * Returns the ids in input order.
   */
  async inserer(em: EntityManager, lignes: LigneLp[], avecIds = true): Promise<number[]> {
    const ids: number[] = [];
    const colonnes = em.connection.getMetadata(LaissezPasserEntite).columns.filter((c) => !c.isGenerated);
    const citer = (nom: string) => em.connection.driver.escape(nom);
    const table = citer('laissez_passer');
    const liste = colonnes.map((c) => citer(c.databaseName)).join(', ');
    const unRang = `(${colonnes.map(() => '?').join(', ')})`;
    for (let i = 0; i < lignes.length; i += PAQUET) {
      const paquet = lignes.slice(i, i + PAQUET);
      const valeurs = paquet.flatMap((l) => colonnes.map((c) => valeurSql((l as Record<string, unknown>)[c.propertyName])));
      await em.query(`INSERT INTO ${table} (${liste}) VALUES ${paquet.map(() => unRang).join(', ')}`, valeurs);
      if (!avecIds) continue;
      // Ids read back by identity key: portable (no reliance on consecutive auto-increment ids).
      const relus = await em.find(LaissezPasserEntite, { select: { id: true, cle: true }, where: { cle: In(paquet.map((l) => l.cle)) } });
      const parCle = new Map(relus.map((r) => [r.cle, r.id]));
      for (const l of paquet) ids.push(parCle.get(l.cle)!);
    }
    return ids;
  }

  async mettreAJour(em: EntityManager, id: number, ligne: Partial<LigneLp>): Promise<void> {
    await em.update(LaissezPasserEntite, { id }, ligne);
  }

  /** OPIs named by a chunk, for the consistency check (number → student number, INE). */
  async opis(em: EntityManager, codes: string[]): Promise<Map<string, Pick<IndividuOpi, 'codOpiIntEpo' | 'codEtuOpi' | 'codNneIndOpi' | 'codCleNneIndOpi'>>> {
    const sortie = new Map<string, Pick<IndividuOpi, 'codOpiIntEpo' | 'codEtuOpi' | 'codNneIndOpi' | 'codCleNneIndOpi'>>();
    for (let i = 0; i < codes.length; i += PAQUET) {
      const lignes = await em.find(IndividuOpi, {
        select: { codOpiIntEpo: true, codEtuOpi: true, codNneIndOpi: true, codCleNneIndOpi: true },
        where: { codOpiIntEpo: In(codes.slice(i, i + PAQUET)) },
      });
      for (const l of lignes) sortie.set(l.codOpiIntEpo, l);
    }
    return sortie;
  }

  async lire(id: number): Promise<LaissezPasserEntite | null> {
    return this.source.manager.findOne(LaissezPasserEntite, { where: { id } });
  }

  async supprimer(em: EntityManager, id: number): Promise<boolean> {
    const r = await em.delete(LaissezPasserEntite, { id });
    return (r.affected ?? 0) > 0;
  }

  async rechercher(f: { codAnu?: string; codOpiIntEpo?: string; codEtu?: string; ine?: string; codEtp?: string; codVrsVet?: number; jobId?: string; avant?: number },
    limite: number): Promise<LaissezPasserEntite[]> {
    const where: FindOptionsWhere<LaissezPasserEntite> = {};
    for (const k of ['codAnu', 'codOpiIntEpo', 'codEtu', 'ine', 'codEtp', 'codVrsVet', 'jobId'] as const) {
      if (f[k] !== undefined) (where as Record<string, unknown>)[k] = f[k];
    }
    if (f.avant !== undefined) where.id = LessThan(f.avant);
    return this.source.manager.find(LaissezPasserEntite, { where, order: { id: 'DESC' }, take: limite });
  }

  /** Every LP of an individual known by any of its identifiers, for a year. */
  async pourIndividu(ids: { codOpiIntEpo: string[]; codEtu: string[]; ine: string[] }, codAnu: string): Promise<LaissezPasserEntite[]> {
    const ou: FindOptionsWhere<LaissezPasserEntite>[] = [];
    if (ids.codOpiIntEpo.length) ou.push({ codAnu, codOpiIntEpo: In(ids.codOpiIntEpo) });
    if (ids.codEtu.length) ou.push({ codAnu, codEtu: In(ids.codEtu) });
    if (ids.ine.length) ou.push({ codAnu, ine: In(ids.ine) });
    if (!ou.length) return [];
    return this.source.manager.find(LaissezPasserEntite, { where: ou, order: { id: 'ASC' } });
  }

  /** OPIs of an individual known by any identifier, and their vœux. */
  async opisDeIndividu(ids: { codOpiIntEpo?: string; codEtu?: number; ine?: { nne: string; cle: string } }): Promise<IndividuOpi[]> {
    const ou: FindOptionsWhere<IndividuOpi>[] = [];
    if (ids.codOpiIntEpo) ou.push({ codOpiIntEpo: ids.codOpiIntEpo });
    if (ids.codEtu !== undefined) ou.push({ codEtuOpi: ids.codEtu });
    if (ids.ine) ou.push({ codNneIndOpi: ids.ine.nne, codCleNneIndOpi: ids.ine.cle });
    if (!ou.length) return [];
    return this.source.manager.find(IndividuOpi, { where: ou });
  }

  async voeuxDe(individuIds: number[]): Promise<VoeuOpi[]> {
    if (!individuIds.length) return [];
    return this.source.manager.find(VoeuOpi, { where: { individuOpiId: In(individuIds) }, order: { individuOpiId: 'ASC', rang: 'ASC' } });
  }
}

/** A JS value as the drivers bind it: dates as UTC `YYYY-MM-DD HH:MM:SS.mmm` text (both drivers), null for undefined. */
function valeurSql(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  return v;
}
