/** The audit journal: rows written in the transaction of the operation they record; read by `GET /api/v1/journal`. */
import { Between, In, LessThan, MoreThanOrEqual, LessThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { EntreeJournal } from './entities';
import type { DepotJournalPort, FiltreJournal } from '../application/ports';
import type { JournalLigne } from '../application/enregistrements';
import { parPaquets } from './paquets';

export class DepotJournal implements DepotJournalPort {
  constructor(private readonly em: EntityManager) {}

  async ecrire(ligne: Omit<JournalLigne, 'id'>): Promise<number> {
    const r = await this.em.insert(EntreeJournal, ligne);
    return r.identifiers[0].id as number;
  }

  async ecrirePlusieurs(lignes: Omit<JournalLigne, 'id'>[]): Promise<void> {
    await parPaquets(
      lignes,
      async (p) => {
        await this.em.createQueryBuilder().insert().into(EntreeJournal).values(p).updateEntity(false).execute();
      },
      100,
    );
  }

  async ajouterAuNombre(id: number, n: number): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(EntreeJournal)
      .set({ nombre: () => `nombre + ${Math.trunc(n)}` })
      .where('id = :id', { id })
      .execute();
  }

  lire(f: FiltreJournal): Promise<JournalLigne[]> {
    const where: FindOptionsWhere<EntreeJournal> = {};
    if (f.depuis && f.jusqua) where.recuLe = Between(f.depuis, f.jusqua);
    else if (f.depuis) where.recuLe = MoreThanOrEqual(f.depuis);
    else if (f.jusqua) where.recuLe = LessThanOrEqual(f.jusqua);
    for (const k of ['porte', 'operation', 'client', 'individu', 'resultat', 'requestId'] as const) if (f[k]) where[k] = f[k];
    if (f.cle?.length) where.cle = In(f.cle);
    if (f.avant) where.id = LessThan(f.avant);
    return this.em.find(EntreeJournal, { where, order: { id: 'DESC' }, take: f.limite });
  }
}
