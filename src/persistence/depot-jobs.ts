/** Bulk-load jobs: state, counters and rejected rows; counters move in the same transaction as the rows. */
import { In, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { Job, JobRejet } from './entities';
import type { UniteDeTravail } from './unite-de-travail';

/**
 * Every write goes through the unit of work, even outside a chunk's transaction: on SQLite the one
 * connection is shared, and a write issued while another request's transaction is open would join
 * (and be rolled back with) that transaction.
 */
export class DepotJobs {
  constructor(private readonly source: DataSource, private readonly unite: UniteDeTravail) {}

  private ecrire<T>(em: EntityManager | undefined, f: (m: EntityManager) => Promise<T>): Promise<T> {
    return em ? f(em) : this.unite.executer(f);
  }

  async creer(job: Job): Promise<void> {
    await this.unite.executer((em) => em.insert(Job, job));
  }

  async lire(id: string): Promise<Job | null> {
    return this.source.getRepository(Job).findOne({ where: { id } });
  }

  async maj(em: EntityManager | undefined, id: string, champs: Partial<Job>): Promise<void> {
    await this.ecrire(em, (m) => m.update(Job, { id }, champs));
  }

  /** Adds a chunk's counters atomically (with the chunk's rows, in its transaction). */
  async ajouterCompteurs(em: EntityManager, id: string, c: { lues: number; rejetees: number; creees: number; misesAJour: number; inchangees: number; traitees: number }): Promise<void> {
    await em.createQueryBuilder().update(Job).set({
      lignesLues: () => `lignesLues + ${c.lues}`,
      lignesRejetees: () => `lignesRejetees + ${c.rejetees}`,
      creees: () => `creees + ${c.creees}`,
      misesAJour: () => `misesAJour + ${c.misesAJour}`,
      inchangees: () => `inchangees + ${c.inchangees}`,
      lignesTraitees: () => `lignesTraitees + ${c.traitees}`,
    }).where('id = :id', { id }).execute();
  }

  async ajouterRejets(em: EntityManager | undefined, rejets: Omit<JobRejet, 'id'>[]): Promise<void> {
    if (!rejets.length) return;
    await this.ecrire(em, async (m) => {
      for (let i = 0; i < rejets.length; i += 300) {
        await m.createQueryBuilder().insert().into(JobRejet).values(rejets.slice(i, i + 300)).updateEntity(false).execute();
      }
    });
  }

  async supprimerRejets(em: EntityManager | undefined, jobId: string): Promise<void> {
    await this.ecrire(em, (m) => m.delete(JobRejet, { jobId }));
  }

  /** Rejected rows in row order, by pages (`apres` = last row number read). */
  async rejets(jobId: string, apres: number, limite: number): Promise<JobRejet[]> {
    return this.source.getRepository(JobRejet).find({ where: { jobId, numLigne: MoreThan(apres) }, order: { numLigne: 'ASC' }, take: limite });
  }

  /** Unfinished jobs whose lease is free (never taken, or expired: its instance died). */
  async aReprendre(maintenant: Date): Promise<Job[]> {
    const jobs = await this.source.getRepository(Job).find({ where: { etat: In(['EN_ATTENTE', 'EN_COURS']) }, order: { creeLe: 'ASC' } });
    return jobs.filter((j) => !j.bailJusqua || new Date(j.bailJusqua) < maintenant);
  }

  async libererBaux(moi: string): Promise<void> {
    await this.unite.executer((m) => m.createQueryBuilder().update(Job).set({ proprietaire: null, bailJusqua: null })
      .where('proprietaire = :moi AND etat IN (:...etats)', { moi, etats: ['EN_ATTENTE', 'EN_COURS'] }).execute());
  }

  /**
   * Takes (or renews) the job's lease for `moi`: succeeds when the job is unfinished and its lease is
   * free, expired or already ours. One conditional UPDATE: two instances cannot both win.
   */
  async prendreBail(em: EntityManager | undefined, id: string, moi: string, jusqua: Date, maintenant: Date): Promise<boolean> {
    return this.ecrire(em, async (m) => {
      const r = await m.createQueryBuilder().update(Job)
        .set({ proprietaire: moi, bailJusqua: jusqua })
        .where('id = :id AND etat IN (:...etats)', { id, etats: ['EN_ATTENTE', 'EN_COURS'] })
        .andWhere('(proprietaire IS NULL OR proprietaire = :moi OR bailJusqua IS NULL OR bailJusqua < :maintenant)', { moi, maintenant })
        .execute();
      return (r.affected ?? 0) === 1;
    });
  }
}
