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
import type { Depots, DiagnosticBase, OptionsTransaction, UniteDeTravailPort } from '../application/ports';
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
import { DepotIdentites } from './depot-identites';
import { DepotSessions } from './depot-sessions';
import { type ConnexionMysql, EcrituresAuCommit, grouperSur, grouperSurSqlite } from './ecritures-au-commit';

/** The stores on `em`; in a transaction, `auCommit` holds the writes sent with its commit. */
export function depotsSur(em: EntityManager, auCommit?: EcrituresAuCommit): Depots {
  return {
    opi: new DepotOpi(em, auCommit),
    lp: new DepotLp(em),
    inscriptions: new DepotInscriptions(em),
    journal: new DepotJournal(em, auCommit),
    idempotence: new DepotIdempotence(em, auCommit),
    jobs: new DepotJobs(em, auCommit),
    nomenclatures: new DepotNomenclatures(em),
    pieces: new DepotPieces(em),
    relances: new DepotRelances(em),
    verrous: new DepotVerrous(em),
    notifications: new DepotNotifications(em),
    identites: new DepotIdentites(em),
    sessions: new DepotSessions(em),
  };
}

export class UniteDeTravail implements UniteDeTravailPort {
  private fileSqlite: Promise<unknown> = Promise.resolve();
  rejeux = 0;
  readonly lecture: Depots;

  constructor(
    readonly source: DataSource,
    private readonly tentativesParDefaut = 8,
    /** Deadline of a bounded transaction (MySQL/MariaDB): a frozen server answers nothing, not even to ROLLBACK. */
    private readonly delaiMs?: number,
  ) {
    this.lecture = depotsSur(source.manager);
  }

  get estSqlite(): boolean {
    return this.source.options.type === 'better-sqlite3';
  }

  executer<T>(travail: (d: Depots) => Promise<T>, options: OptionsTransaction = {}): Promise<T> {
    return this.avecRejeux(() => {
      const t = this.uneFois((em, auCommit) => travail(depotsSur(em, auCommit)));
      return options.borne && this.delaiMs && !this.estSqlite ? borner(t, this.delaiMs) : t;
    }, options.tentatives ?? this.tentativesParDefaut);
  }

  ecrireSeul<T>(travail: (d: Depots) => Promise<T>): Promise<T> {
    return this.avecRejeux(() => {
      if (!this.estSqlite) return travail(this.lecture);
      const resultat = this.fileSqlite.then(() => travail(this.lecture));
      this.fileSqlite = resultat.catch(() => undefined);
      return resultat;
    }, this.tentativesParDefaut);
  }

  lireBorne<T>(travail: (d: Depots) => Promise<T>): Promise<T> {
    const t = travail(this.lecture);
    return this.delaiMs && !this.estSqlite ? borner(t, this.delaiMs) : t;
  }

  /** The whole work again on a deadlock, a lock wait timeout or a unique-key race, bounded, with jitter. */
  private async avecRejeux<T>(une: () => Promise<T>, max: number): Promise<T> {
    for (let tentative = 1; ; tentative++) {
      try {
        return await une();
      } catch (err) {
        if (tentative >= max || !estRejouable(err)) throw err;
        this.rejeux++;
        await attendre(Math.min(1000, 5 * 2 ** tentative) * (0.5 + Math.random()));
      }
    }
  }

  /** One transaction on the entity manager itself, queued like the others (maintenance stores of this layer). */
  executerSql<T>(travail: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.uneFois((em) => travail(em));
  }

  private uneFois<T>(travail: (em: EntityManager, auCommit: EcrituresAuCommit) => Promise<T>): Promise<T> {
    if (!this.estSqlite) return this.transactionMysql(travail);
    const resultat = this.fileSqlite.then(() =>
      this.source.transaction(async (em) => {
        const auCommit = new EcrituresAuCommit();
        const groupe = grouperSurSqlite(em.queryRunner as unknown as Parameters<typeof grouperSurSqlite>[0], auCommit);
        try {
          const r = await travail(em, auCommit);
          await groupe.vider();
          return r;
        } finally {
          groupe.degrouper();
        }
      }),
    );
    this.fileSqlite = resultat.catch(() => undefined);
    return resultat;
  }

  /** Pooled connections whose session is already READ COMMITTED (a connection the pool replaces is new here). */
  private readonly sessionsReglees = new WeakSet<object>();

  /**
   * TypeORM's `transaction(level, …)` sends SET TRANSACTION before every START TRANSACTION: one statement
   * and one round trip per write. The isolation is a property of the session, so it is set once per connection.
   */
  private async transactionMysql<T>(travail: (em: EntityManager, auCommit: EcrituresAuCommit) => Promise<T>): Promise<T> {
    const qr = this.source.createQueryRunner();
    let degrouper: (() => void) | undefined;
    try {
      const cx = (await qr.connect()) as ConnexionMysql;
      if (!this.sessionsReglees.has(cx)) {
        await qr.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        this.sessionsReglees.add(cx);
      }
      // START TRANSACTION, and the writes sent with the commit, ride with the statements that follow them.
      const auCommit = new EcrituresAuCommit((sql, valeurs) => this.source.logger.logQuery(sql, valeurs as unknown[], qr));
      degrouper = grouperSur(cx, auCommit);
      await qr.startTransaction();
      try {
        const r = await travail(qr.manager, auCommit);
        await qr.commitTransaction();
        return r;
      } catch (err) {
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      degrouper?.();
      await qr.release();
    }
  }
}

export const DIAGNOSTIC_BASE: DiagnosticBase = { estBaseIndisponible, estRejouable, estViolationUnicite };

/** The transaction's outcome, or past `ms` an error the pipeline answers 503 (the transaction goes on, and ends when the server answers). */
function borner<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  const delai = new Promise<never>((_r, rejeter) => {
    t = setTimeout(() => rejeter(Object.assign(new Error(`la base ne répond pas en ${ms} ms`), { code: 'DELAI_TRANSACTION_DEPASSE' })), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, delai]).finally(() => clearTimeout(t));
}

function attendre(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { estBaseIndisponible, estRejouable, estViolationUnicite };
