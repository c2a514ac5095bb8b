/** The audit journal: written after each operation (its own transaction), read by `GET /api/v1/journal`. */
import { Between, LessThan, MoreThanOrEqual, LessThanOrEqual, type DataSource, type FindOptionsWhere } from 'typeorm';
import { EntreeJournal } from './entities';
import type { UniteDeTravail } from './unite-de-travail';

export type LigneJournal = Omit<EntreeJournal, 'id'>;

export interface FiltreJournal {
  depuis?: Date;
  jusqua?: Date;
  porte?: string;
  operation?: string;
  client?: string;
  cle?: string;
  resultat?: string;
  requestId?: string;
  /** Cursor: entries with an id lower than this (newest first). */
  avant?: number;
  limite: number;
}

export class DepotJournal {
  constructor(private readonly source: DataSource, private readonly unite: UniteDeTravail) {}

  /** Its own transaction through the unit of work (never joins another request's open SQLite transaction). */
  async ecrire(ligne: LigneJournal): Promise<void> {
    await this.unite.executer((em) => em.insert(EntreeJournal, ligne));
  }

  async lire(f: FiltreJournal): Promise<EntreeJournal[]> {
    const where: FindOptionsWhere<EntreeJournal> = {};
    if (f.depuis && f.jusqua) where.recuLe = Between(f.depuis, f.jusqua);
    else if (f.depuis) where.recuLe = MoreThanOrEqual(f.depuis);
    else if (f.jusqua) where.recuLe = LessThanOrEqual(f.jusqua);
    for (const k of ['porte', 'operation', 'client', 'cle', 'resultat', 'requestId'] as const) if (f[k]) where[k] = f[k];
    if (f.avant) where.id = LessThan(f.avant);
    return this.source.getRepository(EntreeJournal).find({ where, order: { id: 'DESC' }, take: f.limite });
  }
}
