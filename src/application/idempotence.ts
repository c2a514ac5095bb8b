/**
 * `Idempotency-Key` on POST: a retried request (same client, same key, same body) gets the stored
 * answer and does nothing again; the same key with another body is refused (409). Natural keys
 * (OPI number, LP identity) already make retries harmless; the key makes them answer identically.
 */
import { ErreurMetier } from '../domain/errors';
import type { DepotIdempotence } from '../persistence/depot-idempotence';
import { estViolationUnicite } from '../persistence/unite-de-travail';

export interface ReponseMemorisee { statut: number; corps: unknown; rejouee: boolean }

export class ServiceIdempotence {
  constructor(private readonly depot: DepotIdempotence) {}

  async executer(client: string, cle: string | undefined, operation: string, empreinteRequete: string,
    travail: () => Promise<{ statut: number; corps: unknown }>): Promise<ReponseMemorisee> {
    if (!cle) return { ...(await travail()), rejouee: false };
    if (cle.length > 200) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'Idempotency-Key', { detail: 'Idempotency-Key : 200 caractères au plus' });
    const rejouer = async () => {
      const deja = await this.depot.lire(client, cle);
      if (!deja) return undefined;
      if (deja.empreinteRequete !== empreinteRequete || deja.operation !== operation) {
        throw ErreurMetier.une('IDEMPOTENCE_CONFLIT', 'Idempotency-Key', { cle });
      }
      return { statut: deja.statut, corps: JSON.parse(deja.reponse) as unknown, rejouee: true };
    };
    const avant = await rejouer();
    if (avant) return avant;
    const r = await travail();
    if (r.statut >= 500) return { ...r, rejouee: false };
    try {
      await this.depot.enregistrer({ client, cle, operation, empreinteRequete, statut: r.statut, reponse: JSON.stringify(r.corps), creeLe: new Date() });
    } catch (err) {
      // Two concurrent first uses of one key: the other one stored its answer first; ours is equivalent.
      if (!estViolationUnicite(err)) throw err;
    }
    return { ...r, rejouee: false };
  }
}
