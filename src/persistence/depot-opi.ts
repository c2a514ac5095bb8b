/** Storage of OPIs: individu, vœux, possible duplicates. All writes take the caller's transaction. */
import { In, type DataSource, type EntityManager } from 'typeorm';
import { IndividuOpi, VoeuOpi, DoublonOpi } from './entities';
import type { IdentiteOpi } from '../domain/opi/doublons';

export type LigneIndividu = Omit<IndividuOpi, 'id' | 'voeux'>;
export type LigneVoeu = Omit<VoeuOpi, 'id' | 'individu' | 'individuOpiId'>;

export class DepotOpi {
  constructor(private readonly source: DataSource) {}

  private verrou(em: EntityManager) {
    // Row lock on MariaDB/MySQL so that two concurrent pushes of one OPI serialise; SQLite is single-writer anyway.
    return em.connection.options.type === 'mysql' ? { mode: 'pessimistic_write' as const } : undefined;
  }

  async trouverPourMiseAJour(em: EntityManager, codOpiIntEpo: string): Promise<IndividuOpi | null> {
    return em.findOne(IndividuOpi, { where: { codOpiIntEpo }, lock: this.verrou(em) });
  }

  async voeuxDe(em: EntityManager | undefined, individuOpiId: number): Promise<VoeuOpi[]> {
    return (em ?? this.source.manager).find(VoeuOpi, { where: { individuOpiId }, order: { rang: 'ASC' } });
  }

  async creer(em: EntityManager, ligne: LigneIndividu): Promise<IndividuOpi> {
    const r = await em.insert(IndividuOpi, ligne);
    return { ...ligne, id: r.identifiers[0].id as number } as IndividuOpi;
  }

  async mettreAJour(em: EntityManager, id: number, ligne: Partial<LigneIndividu>): Promise<void> {
    await em.update(IndividuOpi, { id }, ligne);
  }

  /** Replaces the vœux set exactly: DELETE then multi-row INSERT (READ COMMITTED keeps this deadlock-free). */
  async remplacerVoeux(em: EntityManager, individuOpiId: number, voeux: LigneVoeu[]): Promise<void> {
    await em.delete(VoeuOpi, { individuOpiId });
    if (voeux.length) await em.insert(VoeuOpi, voeux.map((v) => ({ ...v, individuOpiId })));
  }

  /** Other individus sharing the student number, the INE or the civil identity. */
  async candidatsDoublons(em: EntityManager, id: IdentiteOpi): Promise<IdentiteOpi[]> {
    const qb = em.createQueryBuilder(IndividuOpi, 'i')
      .select(['i.id', 'i.codOpiIntEpo', 'i.codEtuOpi', 'i.codNneIndOpi', 'i.codCleNneIndOpi', 'i.cleNomPat', 'i.clePr1', 'i.dateNaiIndOpi'])
      .where('i.id <> :id', { id: id.id })
      .andWhere('((i.cleNomPat = :nom AND i.clePr1 = :pr1 AND i.dateNaiIndOpi = :dn)'
        + (id.codNneIndOpi ? ' OR i.codNneIndOpi = :ine' : '')
        + (id.codEtuOpi !== null ? ' OR i.codEtuOpi = :etu' : '') + ')',
      { nom: id.cleNomPat, pr1: id.clePr1, dn: id.dateNaiIndOpi, ine: id.codNneIndOpi, etu: id.codEtuOpi })
      .limit(50);
    return qb.getMany();
  }

  async doublonsConnus(em: EntityManager | undefined, individuOpiId: number): Promise<DoublonOpi[]> {
    return (em ?? this.source.manager).find(DoublonOpi, { where: { individuOpiId }, order: { id: 'ASC' } });
  }

  async ajouterDoublons(em: EntityManager, lignes: Omit<DoublonOpi, 'id'>[]): Promise<void> {
    if (lignes.length) await em.insert(DoublonOpi, lignes);
  }

  async lire(codOpiIntEpo: string): Promise<IndividuOpi | null> {
    return this.source.manager.findOne(IndividuOpi, { where: { codOpiIntEpo } });
  }

  async rechercher(critere: { ine?: { nne: string; cle: string }; cleNom?: string; clePrenom?: string; dateNai?: string; codEtu?: number },
    limite: number): Promise<IndividuOpi[]> {
    const where: Record<string, unknown> = {};
    if (critere.ine) Object.assign(where, { codNneIndOpi: critere.ine.nne, codCleNneIndOpi: critere.ine.cle });
    if (critere.cleNom) where.cleNomPat = critere.cleNom;
    if (critere.clePrenom) where.clePr1 = critere.clePrenom;
    if (critere.dateNai) where.dateNaiIndOpi = critere.dateNai;
    if (critere.codEtu !== undefined) where.codEtuOpi = critere.codEtu;
    return this.source.manager.find(IndividuOpi, { where, order: { codOpiIntEpo: 'ASC' }, take: limite });
  }

  async voeuxDePlusieurs(ids: number[]): Promise<VoeuOpi[]> {
    if (!ids.length) return [];
    return this.source.manager.find(VoeuOpi, { where: { individuOpiId: In(ids) }, order: { individuOpiId: 'ASC', rang: 'ASC' } });
  }
}
