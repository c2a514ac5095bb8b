/**
 * The outbox (table `notification_sortante`): notifications appended in the transaction of the change
 * they report, numbered per type and `cle`, read by the delivery task in that order.
 */
import { LessThan, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { NotificationSortante } from './entities';
import type { DepotNotificationsPort, FiltreNotifications, NotificationLigne } from '../application/ports';

export class DepotNotifications implements DepotNotificationsPort {
  constructor(private readonly em: EntityManager) {}

  async ajouter(n: Omit<NotificationLigne, 'id' | 'ordre'>): Promise<NotificationLigne> {
    const brut = await this.em
      .createQueryBuilder(NotificationSortante, 'n')
      .select('MAX(n.ordre)', 'max')
      .where('n.type = :type AND n.cle = :cle', { type: n.type, cle: n.cle })
      .getRawOne<{ max: number | string | null }>();
    const ordre = Number(brut?.max ?? 0) + 1;
    // A concurrent append for the same cle took this number: the unique key refuses ours, the unit of work replays.
    const r = await this.em.insert(NotificationSortante, { ...n, ordre });
    return { ...n, ordre, id: r.identifiers[0].id as number };
  }

  lire(id: number): Promise<NotificationLigne | null> {
    return this.em.findOne(NotificationSortante, { where: { id } });
  }

  lister(f: FiltreNotifications): Promise<NotificationLigne[]> {
    const where: FindOptionsWhere<NotificationSortante> = {};
    if (f.type) where.type = f.type;
    if (f.etat) where.etat = f.etat;
    if (f.cle) where.cle = f.cle;
    if (f.avant !== undefined) where.id = LessThan(f.avant);
    return this.em.find(NotificationSortante, { where, order: { id: 'DESC' }, take: f.limite });
  }

  aEnvoyer(types: readonly string[], maintenant: Date, limite: number): Promise<NotificationLigne[]> {
    if (!types.length) return Promise.resolve([]);
    return this.em
      .createQueryBuilder(NotificationSortante, 'n')
      .where('n.type IN (:...types)', { types })
      .andWhere("n.etat = 'A_ENVOYER'")
      .andWhere('n.prochaineTentative <= :maintenant', { maintenant })
      .andWhere(`NOT EXISTS (SELECT 1 FROM notification_sortante p WHERE p.type = n.type AND p.cle = n.cle AND p.ordre < n.ordre AND p.etat <> 'ENVOYEE')`)
      .orderBy('n.prochaineTentative', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(limite)
      .getMany();
  }

  async modifierSi(id: number, si: Pick<NotificationLigne, 'etat' | 'tentatives'>, maj: Partial<Omit<NotificationLigne, 'id'>>): Promise<boolean> {
    const r = await this.em
      .createQueryBuilder()
      .update(NotificationSortante)
      .set(maj)
      .where('id = :id AND etat = :etat AND tentatives = :tentatives', { id, etat: si.etat, tentatives: si.tentatives })
      .execute();
    return (r.affected ?? 0) === 1;
  }
}
