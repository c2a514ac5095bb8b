/** Staff sessions (table `session_personnel`): any node reads the one a cookie names. */
import { LessThan, type EntityManager } from 'typeorm';
import { SessionPersonnel } from './entities';
import type { DepotSessionsPort } from '../application/ports';
import type { SessionLigne } from '../application/enregistrements';

export class DepotSessions implements DepotSessionsPort {
  constructor(private readonly em: EntityManager) {}

  async creer(l: SessionLigne): Promise<void> {
    await this.em.insert(SessionPersonnel, l);
  }

  lire(id: string): Promise<SessionLigne | null> {
    return this.em.findOne(SessionPersonnel, { where: { id } });
  }

  async toucher(id: string, vueLe: Date): Promise<void> {
    await this.em.update(SessionPersonnel, { id }, { vueLe });
  }

  async supprimer(id: string): Promise<void> {
    await this.em.delete(SessionPersonnel, { id });
  }

  async supprimerDuCompte(compte: string): Promise<number> {
    return (await this.em.delete(SessionPersonnel, { compte })).affected ?? 0;
  }

  async purgerExpirees(avant: Date): Promise<number> {
    return (await this.em.delete(SessionPersonnel, { expireLe: LessThan(avant) })).affected ?? 0;
  }
}
