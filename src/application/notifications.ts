/**
 * Delivery of the outbox (`notification_sortante`): what the gateway owes other systems, written in
 * the transaction of the change it reports (src/application/inscriptions.ts for Parcoursup), sent here
 * in the background.
 *
 * - At least once, never lost: a notification stays A_ENVOYER until its receiver acknowledged it; a
 *   crash between the call and the record of its outcome sends it again (harmless: each notification
 *   carries an absolute state, not a difference).
 * - In order per `cle` (the candidate): a notification is sent only once every earlier one of the same
 *   type and `cle` is ENVOYEE; an earlier one waiting for a retry or in ECHEC holds the later ones back.
 * - Retries with exponential backoff and jitter, capped; after N attempts (or a refusal that retrying
 *   will not change) → ECHEC, visible (`GET /api/v1/notifications?etat=ECHEC`) and retryable by hand
 *   (`POST /api/v1/notifications/{id}/relance`).
 * - One node delivers at a time: a pass takes the lease `verrou_tache` (`notifications-sortantes`)
 *   first, and renews it as it goes.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../observability/logger';
import { ErreurMetier } from '../domain/errors';
import { lireId, lireLimite } from './pagination';
import type { Depots, Notificateur, NotificationLigne, UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';

/** The lease a delivery pass holds (table `verrou_tache`). */
export const VERROU_NOTIFICATIONS = 'notifications-sortantes';

export const ETATS_NOTIFICATION = ['A_ENVOYER', 'ENVOYEE', 'ECHEC'] as const;

export interface OptionsNotifications {
  /** Attempts before ECHEC. */
  tentatives: number;
  /** Delay before the second attempt; doubled at each failure… */
  delaiInitialMs: number;
  /** …up to this. */
  delaiMaxMs: number;
  /** Delay between two passes when nothing wakes the task up. */
  intervalleMs: number;
  /** How long the lease holds without renewal (default a minute). */
  dureeBailMs?: number;
  /** Notifications read per batch (default 20). */
  taillePage?: number;
  /** The clock of the backoff (tests move it); the lease always uses the real time. */
  maintenant?: () => Date;
  /** Jitter source in [0, 1) (tests fix it). */
  alea?: () => number;
}

/**
 * The delay before the next attempt after `echecs` failed ones (1, 2, …): `delaiInitialMs × 2^(echecs−1)`,
 * capped at `delaiMaxMs`, then jittered in [half, whole] so that failed deliveries do not all come back
 * at the same instant (and never beyond the cap).
 */
export function delaiAvantTentative(echecs: number, o: Pick<OptionsNotifications, 'delaiInitialMs' | 'delaiMaxMs'>, alea: () => number = Math.random): number {
  const plafond = Math.min(o.delaiMaxMs, o.delaiInitialMs * 2 ** Math.min(Math.max(echecs, 1) - 1, 40));
  return Math.round(plafond / 2 + (plafond / 2) * Math.min(Math.max(alea(), 0), 1));
}

/** A notification as the REST door shows it. */
export interface NotificationLue {
  id: number;
  type: string;
  cle: string;
  ordre: number;
  etat: string;
  tentatives: number;
  prochaineTentative: string;
  derniereErreur: string | null;
  creeLe: string;
  envoyeeLe: string | null;
  /** What is sent (the account and the establishment aside). */
  corps: unknown;
}

export function versLecture(n: NotificationLigne): NotificationLue {
  let corps: unknown = n.corps;
  try {
    corps = JSON.parse(n.corps);
  } catch {
    /* kept as text */
  }
  return {
    id: n.id,
    type: n.type,
    cle: n.cle,
    ordre: n.ordre,
    etat: n.etat,
    tentatives: n.tentatives,
    prochaineTentative: new Date(n.prochaineTentative).toISOString(),
    derniereErreur: n.derniereErreur,
    creeLe: new Date(n.creeLe).toISOString(),
    envoyeeLe: n.envoyeeLe ? new Date(n.envoyeeLe).toISOString() : null,
    corps,
  };
}

export interface BilanPassage {
  envoyees: number;
  /** Failed attempts (to be retried or now in ECHEC). */
  echecs: number;
}

export class ServiceNotifications {
  /** This instance, as the lease names its holder. */
  private readonly moi = `${hostname().slice(0, 30)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly parType: Map<string, Notificateur>;
  private enMarche = false;
  private arretDemande = false;
  private minuterie: NodeJS.Timeout | undefined;
  private passage: Promise<unknown> | undefined;
  private reveilDemande = false;
  private bailRenouveleLe = 0;
  private bailTenu = false;

  constructor(
    private readonly unite: UniteDeTravailPort,
    notificateurs: readonly Notificateur[],
    private readonly options: OptionsNotifications,
    private readonly logger: Logger,
  ) {
    this.parType = new Map(notificateurs.map((n) => [n.type, n]));
  }

  private get dureeBailMs(): number {
    return this.options.dureeBailMs ?? 60_000;
  }

  private maintenant(): Date {
    return (this.options.maintenant ?? (() => new Date()))();
  }

  /** Starts the background deliveries (nothing to do without a receiver configured). */
  demarrer(): void {
    if (this.enMarche || this.parType.size === 0) return;
    this.enMarche = true;
    this.arretDemande = false;
    this.planifier(0);
  }

  /** Something was written or retried: a pass now rather than at the next interval. */
  reveiller(): void {
    if (!this.enMarche) return;
    if (this.passage) this.reveilDemande = true;
    else this.planifier(0);
  }

  /** At shutdown: the pass in progress ends after the call in flight; the lease is given back. */
  async arreter(): Promise<void> {
    this.enMarche = false;
    this.arretDemande = true;
    clearTimeout(this.minuterie);
    await this.passage;
    if (this.bailTenu) {
      this.bailTenu = false;
      await this.unite
        .executer((d) => d.verrous.liberer(VERROU_NOTIFICATIONS, this.moi))
        .catch((err) => this.logger.warn('notifications : bail non libéré (il expirera)', { err: String(err) }));
    }
  }

  private planifier(ms: number): void {
    clearTimeout(this.minuterie);
    this.minuterie = setTimeout(() => {
      this.passage = this.passer()
        .catch((err) => this.logger.error('notifications : passage interrompu', { err: String(err) }))
        .finally(() => {
          this.passage = undefined;
          const encore = this.reveilDemande;
          this.reveilDemande = false;
          if (this.enMarche) this.planifier(encore ? 0 : this.options.intervalleMs);
        });
    }, ms);
    this.minuterie.unref();
  }

  /**
   * One pass: with the lease, every notification due is sent, the first of each candidate first; the
   * next one of a candidate is read again once the one before it is ENVOYEE. Without the lease (another
   * node delivers), nothing.
   */
  async passer(): Promise<BilanPassage> {
    const bilan: BilanPassage = { envoyees: 0, echecs: 0 };
    const types = [...this.parType.keys()];
    if (!types.length || !(await this.prendreBail())) return bilan;
    const vues = new Set<string>();
    for (let lot = 0; lot < 1000; lot++) {
      const dues = (await this.unite.lecture.notifications.aEnvoyer(types, this.maintenant(), this.options.taillePage ?? 20)).filter(
        // An attempt made in this pass is not made again in it (a backoff shorter than the pass).
        (n) => !vues.has(`${n.id}:${n.tentatives}`),
      );
      if (!dues.length) break;
      for (const n of dues) {
        if (this.arretDemande) return bilan;
        if (!(await this.renouvelerBail())) return bilan;
        vues.add(`${n.id}:${n.tentatives + 1}`);
        if (await this.livrer(n)) bilan.envoyees++;
        else bilan.echecs++;
      }
    }
    return bilan;
  }

  /** One attempt and its outcome. True when the receiver acknowledged it. */
  private async livrer(n: NotificationLigne): Promise<boolean> {
    const notificateur = this.parType.get(n.type)!;
    let corps: Record<string, unknown>;
    try {
      corps = JSON.parse(n.corps) as Record<string, unknown>;
    } catch {
      corps = {};
    }
    const r = await notificateur.envoyer(corps).catch((err: unknown) => ({ ok: false as const, erreur: String(err), definitif: false }));
    const tentatives = n.tentatives + 1;
    const maintenant = this.maintenant();
    let maj: Partial<NotificationLigne>;
    if (r.ok) maj = { etat: 'ENVOYEE', tentatives, envoyeeLe: maintenant };
    else {
      const fin = r.definitif || tentatives >= this.options.tentatives;
      maj = {
        etat: fin ? 'ECHEC' : 'A_ENVOYER',
        tentatives,
        derniereErreur: r.erreur.slice(0, 1000),
        prochaineTentative: fin ? maintenant : new Date(maintenant.getTime() + delaiAvantTentative(tentatives, this.options, this.options.alea)),
      };
    }
    // Conditional: a manual retry recorded meanwhile wins (the notification is simply due again).
    await this.unite.executer((d) => d.notifications.modifierSi(n.id, { etat: n.etat, tentatives: n.tentatives }, maj));
    if (!r.ok) {
      this.logger.warn('notification non délivrée', {
        notification: n.id,
        type: n.type,
        cle: n.cle,
        ordre: n.ordre,
        tentatives,
        etat: maj.etat,
        prochaineTentative: maj.etat === 'A_ENVOYER' ? maj.prochaineTentative?.toISOString() : undefined,
        erreur: r.erreur,
      });
    }
    return r.ok;
  }

  private async prendreBail(): Promise<boolean> {
    const maintenant = new Date();
    const pris = await this.unite.executer((d) =>
      d.verrous.prendre(VERROU_NOTIFICATIONS, this.moi, new Date(maintenant.getTime() + this.dureeBailMs), maintenant),
    );
    this.bailTenu = pris;
    if (pris) this.bailRenouveleLe = maintenant.getTime();
    return pris;
  }

  /** Renews the lease when a third of it has gone; false when it was lost (expired and taken by another node). */
  private async renouvelerBail(): Promise<boolean> {
    if (Date.now() - this.bailRenouveleLe < this.dureeBailMs / 3) return true;
    return this.prendreBail();
  }

  // --- use cases of the REST door ------------------------------------------------------------------

  async lister(q: Record<string, string | undefined>): Promise<{ notifications: NotificationLue[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 100, 1000);
    let etat: string | undefined;
    if (q.etat !== undefined && q.etat !== '') {
      etat = q.etat.toUpperCase();
      if (!(ETATS_NOTIFICATION as readonly string[]).includes(etat))
        throw ErreurMetier.une('PARAMETRE_INVALIDE', 'etat', { detail: `etat : ${ETATS_NOTIFICATION.join(', ')}` });
    }
    const avant = q.avant === undefined ? undefined : lireId(q.avant, 'avant');
    const cle = q.cle?.trim() || undefined;
    const lignes = await this.unite.lecture.notifications.lister({ etat, cle, avant, limite, type: q.type?.trim() || undefined });
    return { notifications: lignes.map(versLecture), suivant: lignes.length === limite ? lignes[lignes.length - 1].id : null };
  }

  /**
   * A manual retry: the notification is due now with a fresh count of attempts (an ECHEC one, or one
   * waiting for its backoff). One already acknowledged is not sent again: a later state of the same
   * candidate may have been sent since, and would be undone.
   */
  async relancer(id: number, d: Depots): Promise<{ resultat: 'RELANCEE'; notification: NotificationLue }> {
    const n = await d.notifications.lire(id);
    if (!n) throw ErreurMetier.une('NOTIFICATION_INTROUVABLE', 'id', { id });
    if (n.etat === 'ENVOYEE') throw ErreurMetier.une('NOTIFICATION_DEJA_ENVOYEE', 'id', { id });
    const maj = { etat: 'A_ENVOYER', tentatives: 0, prochaineTentative: this.maintenant() };
    // A delivery recorded its outcome between the read and the update (MariaDB): refused, the request may be sent again as is.
    if (!(await d.notifications.modifierSi(id, { etat: n.etat, tentatives: n.tentatives }, maj))) throw ErreurMetier.une('CONFLIT_CONCURRENT');
    return { resultat: 'RELANCEE', notification: versLecture({ ...n, ...maj }) };
  }

  /** The pipeline's view. */
  operations() {
    const lister: DefinitionOperation<Record<string, string | undefined>, never, { notifications: NotificationLue[]; suivant: number | null }> = {
      cle: (q) => q.cle?.trim() || undefined,
      lire: (q) => this.lister(q),
      issue: () => ({ resultat: 'LU' }),
    };
    const relancer: DefinitionOperation<string | number, number, { resultat: 'RELANCEE'; notification: NotificationLue }> = {
      cle: (id, r) => (r ? `${r.notification.type}:${r.notification.cle}:${r.notification.ordre}` : String(id).trim() || undefined),
      preparer: async (id) => lireId(id),
      ecrire: (id, d) => this.relancer(id, d),
      apresCommit: async () => this.reveiller(),
      issue: (r) => ({ resultat: r.resultat }),
    };
    return { lister, relancer };
  }
}
