/**
 * Writes of a transaction whose results nobody needs before the commit (a new individu's vœux, a
 * changed individu and its vœux, the duplicate pairs found, the journal row, the idempotency record),
 * and the round trips they would cost.
 * - MariaDB/MySQL: each statement was one round trip, a network latency with the database on another
 *   machine, and the record's row locks held across them. While a transaction runs, its connection
 *   sends START TRANSACTION with the transaction's first statement, and the deferred writes with the
 *   next statement sent, at the latest with COMMIT: one multi-statement packet each time. A new OPI is
 *   then three round trips (the lock-free read, START+INSERT individu, INSERT vœux+INSERT
 *   journal+COMMIT) instead of six, with the same statements in the same order. A deferred write that
 *   fails fails its packet, and every later statement and COMMIT are refused: the transaction is rolled
 *   back and retried or refused as any other.
 * - SQLite (in-process, no round trip): the deferred writes run one by one before the next statement,
 *   at the latest before COMMIT: what follows them sees them on both databases.
 * Nothing is acknowledged before the commit: a deferred write's promise resolves once COMMIT answered.
 */
interface Differee {
  sql: string;
  valeurs: readonly unknown[];
  resoudre(r: unknown): void;
  rejeter(e: unknown): void;
}

export class EcrituresAuCommit {
  private attente: Differee[] = [];
  /** A deferred write that failed: nothing else of the transaction may be sent, COMMIT above all. */
  private echec: unknown;

  /** `journaliser`: told of each statement deferred, when it is (TypeORM's query log stays complete and in order). */
  constructor(private readonly journaliser?: (sql: string, valeurs: readonly unknown[]) => void) {}

  /** The statement is sent with the next one, at the latest with COMMIT; its promise gives its result then. */
  differer(sql: string, valeurs: readonly unknown[]): Promise<unknown> {
    this.journaliser?.(sql, valeurs);
    const p = new Promise<unknown>((resoudre, rejeter) => {
      this.attente.push({ sql, valeurs, resoudre, rejeter });
    });
    // A failed commit is reported by the transaction itself; whoever awaits this promise still sees it fail.
    p.catch(() => undefined);
    return p;
  }

  get enAttente(): number {
    return this.attente.length;
  }

  /** The failure of a deferred write, if one failed (even if its caller swallowed the error). */
  get erreur(): unknown {
    return this.echec;
  }

  /** The deferred statements, taken out (they are about to be sent). */
  prendre(): Differee[] {
    const l = this.attente;
    this.attente = [];
    return l;
  }

  /** A packet holding deferred writes failed: they, and those still waiting, fail; so will the commit. */
  echouer(err: unknown, envoyees: readonly Differee[]): void {
    this.echec ??= err;
    for (const d of envoyees) d.rejeter(err);
    this.annuler(err);
  }

  /** The transaction is rolled back: what was deferred will never be written. */
  annuler(raison?: unknown): void {
    if (this.attente.length === 0) return; // the common case: no Error (and its stack) made for nothing
    const err = raison ?? new Error('transaction annulée');
    for (const d of this.prendre()) d.rejeter(err);
  }

  /** SQLite: the deferred statements, in order, through `envoyer` (the query runner's own `query`). */
  async executer(envoyer: (sql: string, valeurs: unknown[]) => Promise<unknown>): Promise<void> {
    if (this.echec) throw this.echec;
    for (const d of this.prendre()) {
      try {
        d.resoudre(await envoyer(d.sql, [...d.valeurs]));
      } catch (err) {
        this.echouer(err, [d]);
        throw err;
      }
    }
  }
}

interface RequeteurSqlite {
  query(sql: string, valeurs?: unknown[], structure?: boolean): Promise<unknown>;
}

/**
 * SQLite: the deferred statements run before the next statement of the transaction (as on MariaDB,
 * what follows sees them), at the latest before COMMIT (`executer`, by the unit of work). Returns
 * what puts the query runner back as it was.
 */
export function grouperSurSqlite(qr: RequeteurSqlite, lot: EcrituresAuCommit): { vider(): Promise<void>; degrouper(): void } {
  const envoyer = qr.query;
  const direct = (sql: string, valeurs: unknown[]) => envoyer.call(qr, sql, valeurs);
  qr.query = async (sql, valeurs, structure) => {
    if (sql === 'ROLLBACK') lot.annuler();
    else if (lot.enAttente || lot.erreur) await lot.executer(direct);
    return envoyer.call(qr, sql, valeurs, structure);
  };
  return {
    vider: () => lot.executer(direct),
    degrouper: () => {
      lot.annuler();
      delete (qr as { query?: unknown }).query;
      if (qr.query !== envoyer) qr.query = envoyer;
    },
  };
}

type Rappel = (err: unknown, resultat?: unknown, champs?: unknown) => void;
type Requete = string | { sql: string; [option: string]: unknown };

/** The part of a mysql2 connection (callback API) this module uses: every statement TypeORM sends goes through `query`. */
export interface ConnexionMysql {
  query(sql: Requete, valeurs?: unknown, rappel?: unknown): unknown;
  format(sql: string, valeurs: readonly unknown[]): string;
}

const OK = { affectedRows: 0, insertId: 0, warningStatus: 0 };

/** Characters of one multi-statement packet (MariaDB's max_allowed_packet is 16 MiB by default; the rows of a file's chunk fit in a few). */
const PAQUET_MAX = 1_000_000;

/**
 * For the time of one transaction, the statements sent on `cx` carry what waits before them: START
 * TRANSACTION (TypeORM's, held until there is something to send) and `lot`'s deferred writes. Returns
 * what puts the connection back as it was (before it goes back to the pool).
 */
export function grouperSur(cx: ConnexionMysql, lot: EcrituresAuCommit): () => void {
  const envoyer = cx.query;
  let debutEnAttente = false;
  /** One packet's statements (START TRANSACTION has no deferred write) and their results given back. */
  const envoyerPaquet = (morceaux: { texte: string; d?: Differee }[], sql: Requete | undefined, rappel: Rappel) => {
    const texte = morceaux.map((m) => m.texte).join(';\n');
    // The packet is already formatted: mysql2 would scan its whole text again for placeholders (2 ms for
    // a file chunk's rows) to find none. `format` with no value gives the text back; only this call skips it.
    const propre = Object.hasOwn(cx, 'format');
    const formater = cx.format;
    cx.format = (t, valeurs) => (valeurs?.length ? formater.call(cx, t, valeurs) : t);
    try {
      return envoyer.call(
        cx,
        sql === undefined || typeof sql === 'string' ? texte : { ...sql, sql: texte },
        undefined,
        (err: unknown, resultats?: unknown[], champs?: unknown[]) => {
          const differees = morceaux.flatMap((m) => (m.d ? [m.d] : []));
          if (err) {
            if (differees.length) lot.echouer(err, differees);
            return rappel(err);
          }
          const r = morceaux.length > 1 ? (resultats ?? []) : [resultats];
          for (const [i, m] of morceaux.entries()) m.d?.resoudre(r[i]);
          rappel(null, r[r.length - 1], morceaux.length > 1 ? champs?.[champs.length - 1] : champs);
        },
      );
    } finally {
      if (propre) cx.format = formater;
      else delete (cx as { format?: unknown }).format;
    }
  };
  const grouper = (sql: Requete, valeursOuRappel?: unknown, rappelDonne?: unknown): unknown => {
    const rappel = (typeof valeursOuRappel === 'function' ? valeursOuRappel : rappelDonne) as Rappel;
    const valeurs = typeof valeursOuRappel === 'function' ? undefined : (valeursOuRappel as unknown[] | undefined);
    const texte = typeof sql === 'string' ? sql : sql.sql;
    // Without a callback (a stream): sent as is, which is right only with nothing waiting before it.
    if (typeof rappel !== 'function') {
      if (debutEnAttente || lot.enAttente) throw new Error('requête en flux dans une transaction aux écritures différées');
      return envoyer.call(cx, sql, valeurs);
    }
    if (texte === 'START TRANSACTION') {
      debutEnAttente = true;
      return process.nextTick(rappel, null, OK);
    }
    if (texte === 'ROLLBACK' || (debutEnAttente && texte === 'COMMIT' && !lot.enAttente && !lot.erreur)) {
      lot.annuler();
      // Nothing was sent since START TRANSACTION: the server has no transaction to end.
      if (debutEnAttente) {
        debutEnAttente = false;
        return process.nextTick(rappel, null, OK);
      }
      return envoyer.call(cx, sql, valeurs, rappel);
    }
    // A deferred write failed (its error may have been swallowed): nothing more, and no COMMIT, is sent.
    if (lot.erreur) return process.nextTick(rappel, lot.erreur);
    const differees = lot.prendre();
    if (!debutEnAttente && !differees.length) return envoyer.call(cx, sql, valeurs, rappel);
    const morceaux: { texte: string; d?: Differee }[] = [
      ...(debutEnAttente ? [{ texte: 'START TRANSACTION' }] : []),
      ...differees.map((d) => ({ texte: cx.format(d.sql, d.valeurs), d })),
    ];
    debutEnAttente = false;
    morceaux.push({ texte: valeurs === undefined ? texte : cx.format(texte, valeurs) });
    // Many deferred rows (a file's chunk): packets of a bounded size, each sent once the previous one
    // succeeded (after a failure, the rest — COMMIT above all — is never sent).
    const paquets: (typeof morceaux)[] = [[]];
    let taille = 0;
    for (const m of morceaux) {
      if (taille + m.texte.length > PAQUET_MAX && paquets[paquets.length - 1].length) {
        paquets.push([]);
        taille = 0;
      }
      paquets[paquets.length - 1].push(m);
      taille += m.texte.length;
    }
    const suivant = (k: number): unknown => envoyerPaquet(paquets[k], sql, k === paquets.length - 1 ? rappel : (err) => (err ? rappel(err) : suivant(k + 1)));
    return suivant(0);
  };
  (cx as { query: unknown }).query = grouper;
  return () => {
    lot.annuler();
    delete (cx as { query?: unknown }).query;
    if (cx.query !== envoyer) (cx as { query: unknown }).query = envoyer;
  };
}
