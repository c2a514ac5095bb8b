/**
 * Refusals made before any use case runs — unauthenticated (401), over the rate limit (429) — are
 * journaled as ONE row per source address, door, code and minute, with the count: a flood must not turn
 * the audit journal into a free write amplifier. The first refusal of a minute inserts the row; the next ones are counted in memory
 * and added to it by a periodic flush (and at shutdown).
 */
import type { Logger } from '../observability/logger';
import type { UniteDeTravailPort } from './ports';
import type { ContexteAppel } from './pipeline';

interface Compte {
  /** Journal row id once inserted. */
  id?: number;
  insertion?: Promise<void>;
  enAttente: number;
}

export class RefusAgreges {
  private readonly comptes = new Map<string, Compte>();
  private minute = minuteDe(new Date());
  private minuterie?: NodeJS.Timeout;
  private vidage: Promise<void> = Promise.resolve();

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly logger: Logger,
    private readonly intervalleMs = 5_000,
  ) {}

  compter(ctx: ContexteAppel, operation: string, code: 'AUTHENTIFICATION_REQUISE' | 'TROP_DE_REQUETES' = 'AUTHENTIFICATION_REQUISE', statut = 401): void {
    const maintenant = new Date();
    const minute = minuteDe(maintenant);
    if (minute !== this.minute) {
      void this.vider();
      this.minute = minute;
    }
    const cle = `${minute}|${ctx.porte}|${ctx.adresse ?? 'inconnue'}|${code}|${ctx.client}`;
    const compte = this.comptes.get(cle);
    if (compte) {
      compte.enAttente++;
      return;
    }
    const nouveau: Compte = { enAttente: 0 };
    this.comptes.set(cle, nouveau);
    nouveau.insertion = this.unite
      .executer((d) =>
        d.journal.ecrire({
          recuLe: maintenant,
          porte: ctx.porte,
          operation: operation.slice(0, 80),
          client: ctx.client,
          requestId: ctx.requestId,
          cle: `adresse:${ctx.adresse ?? 'inconnue'}`.slice(0, 100),
          individu: null,
          empreinte: null,
          resultat: 'REJETE',
          statut,
          codes: code,
          dureeMs: 0,
          nombre: 1,
          details: JSON.stringify([{ code, path: '', message: `Refus regroupés : adresse ${ctx.adresse ?? 'inconnue'}, minute ${minute}.` }]),
        }),
      )
      .then(
        (id) => {
          nouveau.id = id;
        },
        (err) => {
          this.logger.error('journal des refus non écrit', { err: String(err) });
        },
      );
    this.armer();
  }

  /** Adds the pending counts to their rows; forgets the minutes that are over. */
  vider(): Promise<void> {
    this.vidage = this.vidage.then(async () => {
      const courante = minuteDe(new Date());
      for (const [cle, c] of [...this.comptes]) {
        await c.insertion;
        if (c.enAttente > 0 && c.id !== undefined) {
          const n = c.enAttente;
          c.enAttente = 0;
          try {
            await this.unite.executer((d) => d.journal.ajouterAuNombre(c.id!, n));
          } catch (err) {
            c.enAttente += n;
            this.logger.error('journal des refus non mis à jour', { err: String(err) });
          }
        }
        if (!cle.startsWith(courante) && c.enAttente === 0) this.comptes.delete(cle);
      }
    });
    return this.vidage;
  }

  /** At shutdown: everything counted is written. */
  async arreter(): Promise<void> {
    if (this.minuterie) clearInterval(this.minuterie);
    this.minuterie = undefined;
    await this.vider();
  }

  private armer(): void {
    if (this.minuterie) return;
    this.minuterie = setInterval(() => {
      void this.vider();
    }, this.intervalleMs);
    this.minuterie.unref();
  }
}

function minuteDe(d: Date): string {
  return d.toISOString().slice(0, 16);
}
