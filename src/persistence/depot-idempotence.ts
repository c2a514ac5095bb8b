/** Answers already given for an `Idempotency-Key`, per client. */
import type { DataSource } from 'typeorm';
import { Idempotence } from './entities';
import type { UniteDeTravail } from './unite-de-travail';

export class DepotIdempotence {
  constructor(private readonly source: DataSource, private readonly unite: UniteDeTravail) {}

  async lire(client: string, cle: string): Promise<Idempotence | null> {
    return this.source.getRepository(Idempotence).findOne({ where: { client, cle } });
  }

  /** Not retried on a unique-key race: the caller treats it as "the other request answered first". */
  async enregistrer(ligne: Idempotence): Promise<void> {
    await this.unite.executer((em) => em.insert(Idempotence, ligne), { tentatives: 1 });
  }
}
