/** Answers already given for an `Idempotency-Key`, per client. */
import type { DataSource } from 'typeorm';
import { Idempotence } from './entities';

export class DepotIdempotence {
  constructor(private readonly source: DataSource) {}

  async lire(client: string, cle: string): Promise<Idempotence | null> {
    return this.source.getRepository(Idempotence).findOne({ where: { client, cle } });
  }

  async enregistrer(ligne: Idempotence): Promise<void> {
    await this.source.getRepository(Idempotence).insert(ligne);
  }
}
