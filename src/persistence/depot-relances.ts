/** Reminders sent for missing documents (one per individual and period) and the addresses refused by the SMTP server. */
import type { EntityManager } from 'typeorm';
import { AdresseRefusee, RelancePj } from './entities';
import type { DepotRelancesPort } from '../application/ports';
import type { AdresseRefuseeLigne, RelanceLigne } from '../application/enregistrements';
import { estViolationUnicite } from './erreurs-base';

export class DepotRelances implements DepotRelancesPort {
  constructor(private readonly em: EntityManager) {}

  /** The unique key (individual, period) makes this safe across nodes: only one reservation wins. */
  async reserver(ligne: Omit<RelanceLigne, 'id'>): Promise<boolean> {
    const deja = await this.em.findOne(RelancePj, { where: { codOpiIntEpo: ligne.codOpiIntEpo, periode: ligne.periode } });
    if (deja) return false;
    try {
      await this.em.insert(RelancePj, ligne);
      return true;
    } catch (err) {
      if (estViolationUnicite(err)) return false;
      throw err;
    }
  }

  async terminer(codOpiIntEpo: string, periode: string, etat: string, erreur: string | null): Promise<void> {
    await this.em.update(RelancePj, { codOpiIntEpo, periode }, { etat, erreur: erreur?.slice(0, 500) ?? null });
  }

  dePeriode(periode: string): Promise<RelanceLigne[]> {
    return this.em.find(RelancePj, { where: { periode }, order: { id: 'ASC' } });
  }

  adresseRefusee(adresse: string): Promise<AdresseRefuseeLigne | null> {
    return this.em.findOne(AdresseRefusee, { where: { adresse: adresse.toLowerCase() } });
  }

  async refuserAdresse(ligne: AdresseRefuseeLigne): Promise<void> {
    await this.em.save(AdresseRefusee, { ...ligne, adresse: ligne.adresse.toLowerCase(), erreur: ligne.erreur.slice(0, 500) });
  }
}
