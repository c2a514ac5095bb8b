/**
 * The unit of work: every write of one record is one transaction, run here, with stores bound to it.
 * - MariaDB/MySQL: READ COMMITTED (REPEATABLE READ's gap locks on the vœux index deadlock almost
 *   every concurrent DELETE+INSERT of vœux), and the WHOLE transaction is retried on deadlock (1213),
 *   lock wait timeout (1205) and on a unique-key race (1062: two first writes of the same key; the
 *   retry sees the committed row and updates it). Bounded, with jitter.
 * - SQLite: one writer at a time. TypeORM's SQLite driver refuses READ COMMITTED and its single
 *   connection cannot hold two transactions, so writes are serialised here by a queue.
 * Nothing is acknowledged before the commit: the caller gets the result only once `executer` resolved.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Depots, DiagnosticBase, UniteDeTravailPort } from '../application/ports';
import { estBaseIndisponible, estRejouable, estViolationUnicite } from './erreurs-base';
import { DepotOpi } from './depot-opi';
import { DepotLp } from './depot-lp';
import { DepotInscriptions } from './depot-inscriptions';
import { DepotJournal } from './depot-journal';
import { DepotIdempotence } from './depot-idempotence';
import { DepotJobs } from './depot-jobs';
import { DepotNomenclatures } from './depot-nomenclatures';
import { DepotPieces } from './depot-pieces';
import { DepotRelances } from './depot-relances';
import { DepotVerrous } from './depot-verrous';
import { DepotNotifications } from './depot-notifications';

export function depotsSur(em: EntityManager): Depots {
  return {
    opi: new DepotOpi(em),
    lp: new DepotLp(em),
    inscriptions: new DepotInscriptions(em),
    journal: new DepotJournal(em),
    idempotence: new DepotIdempotence(em),
    jobs: new DepotJobs(em),
    nomenclatures: new DepotNomenclatures(em),
    pieces: new DepotPieces(em),
    relances: new DepotRelances(em),
    verrous: new DepotVerrous(em),
    notifications: new DepotNotifications(em),
  };
}

export class UniteDeTravail implements UniteDeTravailPort {
  private fileSqlite: Promise<unknown> = Promise.resolve();
  rejeux = 0;
  readonly lecture: Depots;

  constructor(
    readonly source: DataSource,
    private readonly tentativesParDefaut = 8,
  ) {
    this.lecture = depotsSur(source.manager);
  }

  get estSqlite(): boolean {
    return this.source.options.type === 'better-sqlite3';
  }

  async executer<T>(travail: (d: Depots) => Promise<T>, options: { tentatives?: number } = {}): Promise<T> {
    const max = options.tentatives ?? this.tentativesParDefaut;
    for (let tentative = 1; ; tentative++) {
      try {
        return await this.uneFois((em) => travail(depotsSur(em)));
      } catch (err) {
        if (tentative >= max || !estRejouable(err)) throw err;
        this.rejeux++;
        await attendre(Math.min(1000, 5 * 2 ** tentative) * (0.5 + Math.random()));
      }
    }
  }

  private uneFois<T>(travail: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.estSqlite) return this.source.transaction('READ COMMITTED', travail);
    const resultat = this.fileSqlite.then(() => this.source.transaction(travail));
    this.fileSqlite = resultat.catch(() => undefined);
    return resultat;
  }
}

export const DIAGNOSTIC_BASE: DiagnosticBase = { estBaseIndisponible, estRejouable, estViolationUnicite };

function attendre(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { estBaseIndisponible, estRejouable, estViolationUnicite };
