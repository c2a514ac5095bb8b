/** Answers already given for an `Idempotency-Key`, per client; written in the transaction of the write. */
import type { EntityManager } from 'typeorm';
import { Idempotence } from './entities';
import type { DepotIdempotencePort } from '../application/ports';
import type { IdempotenceLigne } from '../application/enregistrements';

export class DepotIdempotence implements DepotIdempotencePort {
  constructor(private readonly em: EntityManager) {}

  lire(client: string, cle: string): Promise<IdempotenceLigne | null> {
    return this.em.findOne(Idempotence, { where: { client, cle } });
  }

  async enregistrer(ligne: IdempotenceLigne): Promise<void> {
    await this.em.insert(Idempotence, ligne);
  }
}
