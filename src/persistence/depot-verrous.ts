/**
 * Leases of the tasks one instance at a time runs (table `verrou_tache`). Taking one is a conditional
 * UPDATE (ours, or expired), else an INSERT that does nothing when the row exists, then a read of the
 * row: whichever instance's row is there holds the lease, two instances cannot both win.
 */
import type { EntityManager } from 'typeorm';
import { VerrouTache } from './entities';
import type { DepotVerrousPort } from '../application/ports';

export class DepotVerrous implements DepotVerrousPort {
  constructor(private readonly em: EntityManager) {}

  async prendre(nom: string, moi: string, jusqua: Date, maintenant: Date): Promise<boolean> {
    const r = await this.em
      .createQueryBuilder()
      .update(VerrouTache)
      .set({ proprietaire: moi, jusqua })
      .where('nom = :nom', { nom })
      .andWhere('(proprietaire = :moi OR jusqua < :maintenant)', { moi, maintenant })
      .execute();
    if ((r.affected ?? 0) === 1) return true;
    // No row yet (or held by another): insert ours; a concurrent insert of another instance wins instead.
    await this.em.createQueryBuilder().insert().into(VerrouTache).values({ nom, proprietaire: moi, jusqua }).orIgnore().execute();
    const ligne = await this.em.findOne(VerrouTache, { where: { nom } });
    return ligne?.proprietaire === moi;
  }

  async liberer(nom: string, moi: string): Promise<void> {
    await this.em.delete(VerrouTache, { nom, proprietaire: moi });
  }
}
