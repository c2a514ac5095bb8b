/**
 * The one wrapper every operation runs in, whatever its door: it names and times the operation,
 * maps unexpected failures to catalogue errors (never a raw 500 for bad input, never a success
 * before the commit), writes the audit journal and logs one line.
 */
import type { Logger } from '../observability/logger';
import type { Metriques } from '../observability/metriques';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { jsonStable, sha256 } from '../domain/empreinte';
import type { DepotJournal } from '../persistence/depot-journal';
import { estBaseIndisponible, estRejouable } from '../persistence/unite-de-travail';

export type Porte = 'REST' | 'SOAP' | 'BATCH';

export interface ContexteAppel {
  porte: Porte;
  /** Who called: the authenticated client, else the declared `X-Client-Id`, else `anonyme`. */
  client: string;
  requestId: string;
}

export interface IssueOperation {
  /** CREE, MIS_A_JOUR, INCHANGE, LU… (default OK). */
  resultat?: string;
  avertissements?: Probleme[];
  /** The business key concerned, when only known after the operation. */
  cle?: string;
}

export class Operations {
  constructor(private readonly journal: DepotJournal, private readonly logger: Logger, private readonly metriques?: Metriques) {}

  async executer<T extends IssueOperation | object>(
    ctx: ContexteAppel,
    operation: string,
    entree: { cle?: string; charge?: unknown; statutSucces?: (r: T) => number },
    travail: () => Promise<T>,
  ): Promise<T> {
    const debut = process.hrtime.bigint();
    const recuLe = new Date();
    const empreinte = entree.charge === undefined ? null : sha256(typeof entree.charge === 'string' ? entree.charge : jsonStable(entree.charge));
    const duree = () => Number((process.hrtime.bigint() - debut) / 1_000_000n);
    try {
      const r = await travail();
      const issue = r as IssueOperation;
      const avert = issue.avertissements ?? [];
      await this.journaliser({
        recuLe, porte: ctx.porte, operation, client: ctx.client, requestId: ctx.requestId,
        cle: tronquer(issue.cle ?? entree.cle ?? null, 100), empreinte, resultat: issue.resultat ?? 'OK',
        statut: entree.statutSucces?.(r) ?? 200, codes: codes(avert), dureeMs: duree(),
        details: avert.length ? detailsJson(avert) : null,
      });
      return r;
    } catch (err) {
      const erreur = this.traduire(err, ctx, operation);
      await this.journaliser({
        recuLe, porte: ctx.porte, operation, client: ctx.client, requestId: ctx.requestId,
        cle: tronquer(entree.cle ?? null, 100), empreinte, resultat: erreur.status >= 500 ? 'ERREUR' : 'REJETE',
        statut: erreur.status, codes: codes(erreur.problemes), dureeMs: duree(),
        details: detailsJson(erreur.problemes),
      });
      throw erreur;
    }
  }

  /** A read, journaled like any operation (outcome LU); returns the use case's result unchanged. */
  async lire<T>(ctx: ContexteAppel, operation: string, entree: { cle?: string; charge?: unknown }, travail: () => Promise<T>): Promise<T> {
    const r = await this.executer(ctx, operation, entree, async () => ({ resultat: 'LU', valeur: await travail() }));
    return r.valeur;
  }

  /** Journals a request refused before any use case ran (malformed body, missing key…). */
  async rejeter(ctx: ContexteAppel, operation: string, erreur: ErreurMetier, charge?: unknown): Promise<void> {
    await this.journaliser({
      recuLe: new Date(), porte: ctx.porte, operation, client: ctx.client, requestId: ctx.requestId, cle: null,
      empreinte: charge === undefined ? null : sha256(typeof charge === 'string' ? charge : jsonStable(charge)),
      resultat: 'REJETE', statut: erreur.status, codes: codes(erreur.problemes), dureeMs: 0,
      details: detailsJson(erreur.problemes),
    });
  }

  /** Business errors pass as they are; anything else becomes a catalogue error and is logged with its stack. */
  traduire(err: unknown, ctx: ContexteAppel, operation: string): ErreurMetier {
    if (err instanceof ErreurMetier) return err;
    if (estBaseIndisponible(err)) {
      this.logger.error('base indisponible', { requestId: ctx.requestId, operation, err: String(err) });
      return new ErreurMetier([probleme('BASE_INDISPONIBLE', '')], 503);
    }
    if (estRejouable(err)) {
      this.logger.warn('conflit concurrent après rejeux', { requestId: ctx.requestId, operation, err: String(err) });
      return new ErreurMetier([probleme('CONFLIT_CONCURRENT', '')], 409);
    }
    this.logger.error('erreur interne', { requestId: ctx.requestId, operation, err: err instanceof Error ? err.stack : String(err) });
    return new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: ctx.requestId })], 500);
  }

  private async journaliser(ligne: Parameters<DepotJournal['ecrire']>[0]): Promise<void> {
    this.metriques?.operation(ligne.porte, ligne.operation, ligne.resultat, ligne.dureeMs);
    const niveau = ligne.statut >= 500 ? 'error' : ligne.statut >= 400 ? 'warn' : 'info';
    this.logger.log(niveau, 'operation', {
      requestId: ligne.requestId, porte: ligne.porte, operation: ligne.operation, client: ligne.client,
      cle: ligne.cle, resultat: ligne.resultat, statut: ligne.statut, codes: ligne.codes, dureeMs: ligne.dureeMs,
    });
    try {
      await this.journal.ecrire(ligne);
    } catch (err) {
      // The operation's own outcome stands (it is committed or refused); the missing audit row is loud.
      this.logger.error('journal non écrit', { requestId: ligne.requestId, operation: ligne.operation, err: String(err) });
    }
  }
}

function codes(p: Probleme[]): string | null {
  return p.length ? tronquer([...new Set(p.map((x) => x.code))].join(','), 1000) : null;
}

/**
 * The problems as JSON for the journal, always valid JSON and at most ~16,000 characters (a MySQL TEXT
 * holds 64 KiB): past that, the list is cut and ends with one item saying how many were left out.
 */
export function detailsJson(problemes: Probleme[], max = 16_000): string {
  const complet = JSON.stringify(problemes);
  if (complet.length <= max) return complet;
  const gardes: Probleme[] = [];
  let taille = 2;
  for (const p of problemes) {
    const t = JSON.stringify(p).length + 1;
    if (taille + t > max - 200) break;
    gardes.push(p);
    taille += t;
  }
  const reste = problemes.length - gardes.length;
  return JSON.stringify([...gardes, { code: 'TRONQUE', path: '', message: `${reste} autre(s) problème(s) non journalisé(s) ; voir la réponse ou le rapport du chargement.` }]);
}

function tronquer(s: string | null, n: number): string | null {
  return s === null ? null : s.length > n ? s.slice(0, n) : s;
}

