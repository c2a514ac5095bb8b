/** Storage of administrative enrolments (IA) and their state changes. */
import { LessThan, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { EvenementInscription, InscriptionEntite } from './entities';
import type { DepotInscriptionsPort } from '../application/ports';
import type { EvenementLigne, InscriptionLigne } from '../application/enregistrements';

export class DepotInscriptions implements DepotInscriptionsPort {
  constructor(private readonly em: EntityManager) {}

  parCleActive(cle: string): Promise<InscriptionLigne | null> {
    return this.em.findOne(InscriptionEntite, { where: { cleActive: cle } });
  }

  lire(id: number, verrou = false): Promise<InscriptionLigne | null> {
    const lock = verrou && this.em.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    return this.em.findOne(InscriptionEntite, { where: { id }, ...lock });
  }

  async inserer(ligne: Omit<InscriptionLigne, 'id'>): Promise<number> {
    const r = await this.em.insert(InscriptionEntite, ligne);
    return r.identifiers[0].id as number;
  }

  async mettreAJour(id: number, maj: Partial<InscriptionLigne>): Promise<void> {
    await this.em.update(InscriptionEntite, { id }, maj);
  }

  rechercher(
    egal: Partial<Record<'codAnu' | 'codOpiIntEpo' | 'codEtu' | 'ine' | 'codEtp' | 'etat', string>>,
    avant: number | undefined,
    limite: number,
  ): Promise<InscriptionLigne[]> {
    const where: FindOptionsWhere<InscriptionEntite> = { ...egal };
    if (avant !== undefined) where.id = LessThan(avant);
    return this.em.find(InscriptionEntite, { where, order: { id: 'DESC' }, take: limite });
  }

  evenements(inscriptionId: number): Promise<EvenementLigne[]> {
    return this.em.find(EvenementInscription, { where: { inscriptionId }, order: { id: 'ASC' } });
  }

  async ajouterEvenement(e: Omit<EvenementLigne, 'id'>): Promise<void> {
    await this.em.insert(EvenementInscription, e);
  }
}
