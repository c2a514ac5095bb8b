/** Answers already given for an `Idempotency-Key`, per client; written in the transaction of the write. */
import type { EntityManager } from 'typeorm';
import { Idempotence } from './entities';
import type { DepotIdempotencePort } from '../application/ports';
import type { IdempotenceLigne } from '../application/enregistrements';
import type { EcrituresAuCommit } from './ecritures-au-commit';
import { insererSansRetour } from './sql-portable';

export class DepotIdempotence implements DepotIdempotencePort {
  constructor(
    private readonly em: EntityManager,
    /** In a transaction: the record is sent with its COMMIT (a second first use of the key fails it on the primary key, and is retried). */
    private readonly auCommit?: EcrituresAuCommit,
  ) {}

  lire(client: string, cle: string): Promise<IdempotenceLigne | null> {
    return this.em.findOne(Idempotence, { where: { client, cle } });
  }

  async enregistrer(ligne: IdempotenceLigne): Promise<void> {
    await insererSansRetour(this.em, this.auCommit, Idempotence, [ligne]);
  }
}
