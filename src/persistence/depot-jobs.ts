/** Jobs of the job engine: state, counters and rejected rows; counters move in the same transaction as the rows. */
import { In, MoreThan, MoreThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { Job, JobRejet } from './entities';
import type { CompteursPaquet, DepotJobsPort, FiltreJobs } from '../application/ports';
import type { JobLigne, RejetLigne } from '../application/enregistrements';
import { parPaquets } from './paquets';
import { ecrireSansRetour } from './sql-portable';
import type { EcrituresAuCommit } from './ecritures-au-commit';

const NON_FINIS = ['EN_ATTENTE', 'EN_COURS'];

export class DepotJobs implements DepotJobsPort {
  /** `auCommit`: a chunk's counters leave with its COMMIT. */
  constructor(
    private readonly em: EntityManager,
    private readonly auCommit?: EcrituresAuCommit,
  ) {}

  async creer(job: JobLigne): Promise<void> {
    await this.em.insert(Job, job);
  }

  lire(id: string): Promise<JobLigne | null> {
    return this.em.findOne(Job, { where: { id } });
  }

  async maj(id: string, champs: Partial<JobLigne>): Promise<void> {
    await this.em.update(Job, { id }, champs);
  }

  /** Adds a chunk's counters atomically (with the chunk's rows, in its transaction). */
  async ajouterCompteurs(id: string, c: CompteursPaquet): Promise<void> {
    const meta = this.em.connection.getMetadata(Job);
    const pilote = this.em.connection.driver;
    const col = (p: string) => pilote.escape(meta.findColumnWithPropertyName(p)!.databaseName);
    const ajouts: [string, number][] = [
      ['lignesLues', c.lues],
      ['lignesRejetees', c.rejetees],
      ['creees', c.creees],
      ['misesAJour', c.misesAJour],
      ['inchangees', c.inchangees],
      ['lignesTraitees', c.traitees],
    ];
    const sql = `UPDATE ${pilote.escape(meta.tableName)} SET ${ajouts.map(([p]) => `${col(p)} = ${col(p)} + ?`).join(', ')} WHERE ${col('id')} = ?`;
    await ecrireSansRetour(this.em, this.auCommit, sql, [...ajouts.map(([, n]) => Math.trunc(n)), id]);
  }

  async ajouterRejets(rejets: Omit<RejetLigne, 'id'>[]): Promise<void> {
    await parPaquets(
      rejets,
      async (p) => {
        await this.em.createQueryBuilder().insert().into(JobRejet).values(p).updateEntity(false).execute();
      },
      300,
    );
  }

  async supprimerRejets(jobId: string): Promise<void> {
    await this.em.delete(JobRejet, { jobId });
  }

  /** Rejected rows in row order, by pages (`apres` = last row number read). */
  rejets(jobId: string, apres: number, limite: number): Promise<RejetLigne[]> {
    return this.em.find(JobRejet, { where: { jobId, numLigne: MoreThan(apres) }, order: { numLigne: 'ASC' }, take: limite });
  }

  async aReprendre(maintenant: Date): Promise<JobLigne[]> {
    const jobs = await this.em.find(Job, { where: { etat: In(NON_FINIS) }, order: { creeLe: 'ASC' } });
    return jobs.filter((j) => !j.bailJusqua || new Date(j.bailJusqua) < maintenant);
  }

  async libererBaux(moi: string): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(Job)
      .set({ proprietaire: null, bailJusqua: null })
      .where('proprietaire = :moi AND etat IN (:...etats)', { moi, etats: NON_FINIS })
      .execute();
  }

  async prendreBail(id: string, moi: string, jusqua: Date, maintenant: Date): Promise<boolean> {
    const r = await this.em
      .createQueryBuilder()
      .update(Job)
      .set({ proprietaire: moi, bailJusqua: jusqua })
      .where('id = :id AND etat IN (:...etats)', { id, etats: NON_FINIS })
      .andWhere('(proprietaire IS NULL OR proprietaire = :moi OR bailJusqua IS NULL OR bailJusqua < :maintenant)', { moi, maintenant })
      .execute();
    return (r.affected ?? 0) === 1;
  }

  /** Newest first; the cursor `avant` is a job id: jobs created before it (ties broken by id). */
  async lister(f: FiltreJobs): Promise<JobLigne[]> {
    const where: FindOptionsWhere<Job> = {};
    if (f.type) where.type = f.type;
    if (f.etat) where.etat = f.etat;
    if (f.client) where.client = f.client;
    if (f.depuis) where.creeLe = MoreThanOrEqual(f.depuis);
    if (f.avant) {
      const repere = await this.lire(f.avant);
      if (!repere) return [];
      const qb = this.em.createQueryBuilder(Job, 'j').where('(j.creeLe < :c OR (j.creeLe = :c AND j.id < :id))', { c: repere.creeLe, id: repere.id });
      for (const [k, v] of Object.entries(where)) {
        if (k === 'creeLe') qb.andWhere('j.creeLe >= :depuis', { depuis: f.depuis });
        else qb.andWhere(`j.${k} = :${k}`, { [k]: v });
      }
      return qb.orderBy('j.creeLe', 'DESC').addOrderBy('j.id', 'DESC').take(f.limite).getMany();
    }
    return this.em.find(Job, { where, order: { creeLe: 'DESC', id: 'DESC' }, take: f.limite });
  }
}
