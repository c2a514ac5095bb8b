/** Clients, API keys and staff accounts (tables `client_api`, `cle_api`, `compte_personnel`). */
import { IsNull, type EntityManager } from 'typeorm';
import { ClientApi, CleApi, ComptePersonnel } from './entities';
import type { DepotIdentitesPort } from '../application/ports';
import type { ClientApiLigne, CleApiLigne, ComptePersonnelLigne } from '../application/enregistrements';

export class DepotIdentites implements DepotIdentitesPort {
  constructor(private readonly em: EntityManager) {}

  async cleParEmpreinte(empreinte: string): Promise<{ cle: CleApiLigne; client: ClientApiLigne } | null> {
    const cle = await this.em.findOne(CleApi, { where: { empreinte } });
    if (!cle) return null;
    const client = await this.em.findOne(ClientApi, { where: { id: cle.clientId } });
    return client ? { cle, client } : null;
  }

  clientParNom(nom: string): Promise<ClientApiLigne | null> {
    return this.em.findOne(ClientApi, { where: { nom } });
  }

  clients(): Promise<ClientApiLigne[]> {
    return this.em.find(ClientApi, { order: { nom: 'ASC' } });
  }

  clesDe(clientId: number): Promise<CleApiLigne[]> {
    return this.em.find(CleApi, { where: { clientId }, order: { id: 'ASC' } });
  }

  creerClient(l: Omit<ClientApiLigne, 'id'>): Promise<ClientApiLigne> {
    return this.em.save(ClientApi, this.em.create(ClientApi, l));
  }

  async modifierClient(id: number, l: Partial<Omit<ClientApiLigne, 'id'>>): Promise<void> {
    await this.em.update(ClientApi, { id }, l);
  }

  ajouterCle(l: Omit<CleApiLigne, 'id'>): Promise<CleApiLigne> {
    return this.em.save(CleApi, this.em.create(CleApi, l));
  }

  async modifierCle(id: number, l: Partial<Pick<CleApiLigne, 'expireLe' | 'revoqueLe'>>): Promise<void> {
    await this.em.update(CleApi, { id }, l);
  }

  compte(identifiant: string): Promise<ComptePersonnelLigne | null> {
    return this.em.findOne(ComptePersonnel, { where: { identifiant } });
  }

  comptes(): Promise<ComptePersonnelLigne[]> {
    return this.em.find(ComptePersonnel, { order: { identifiant: 'ASC' } });
  }

  creerCompte(l: Omit<ComptePersonnelLigne, 'id'>): Promise<ComptePersonnelLigne> {
    return this.em.save(ComptePersonnel, this.em.create(ComptePersonnel, l));
  }

  async modifierCompte(id: number, l: Partial<Omit<ComptePersonnelLigne, 'id' | 'identifiant'>>): Promise<void> {
    await this.em.update(ComptePersonnel, { id }, l);
  }

  async existeActif(maintenant: Date): Promise<boolean> {
    if (await this.em.exists(ComptePersonnel, { where: { desactiveLe: IsNull() } })) return true;
    const n = await this.em
      .createQueryBuilder(CleApi, 'k')
      .innerJoin(ClientApi, 'c', 'c.id = k.clientId')
      .where('k.revoqueLe IS NULL AND c.revoqueLe IS NULL')
      .andWhere('(k.expireLe IS NULL OR k.expireLe > :maintenant)', { maintenant })
      .getCount();
    return n > 0;
  }
}
