/**
 * The scheduled pull of Parcoursup's admitted candidates: `POST {PARCOURSUP_URL}/getCandidatsAdmis`
 * with `{"identifiant": {"login", "pwd"}, "codeEtablissement": "<UAI>"}` → a JSON list of candidates,
 * each pushed through the same mapping and pipeline as the push door (`enregistrerAdmission`: porte
 * BATCH, client `parcoursup`, one request id per run, one journal row per candidate). A run is
 * idempotent: a candidate already stored as sent is INCHANGE.
 *
 * A bad answer (HTTP error, no answer within the delay, not JSON, not a list, Parcoursup's own NOK)
 * writes nothing and never throws: the run's report says why, one log line sums every run up. Runs
 * follow each other (the next one an interval after the previous one ends), never overlap; at shutdown
 * the run in progress stops after its current candidate (the rest come with the next run).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../observability/logger';
import type { ContexteAppel } from '../../application/pipeline';
import { enregistrerAdmission, type DependancesAdmission } from './admission-parcoursup';

export interface ConfigClientParcoursup {
  /** The base of Parcoursup's REST API (`https://ws.parcoursup.fr/ApiRest`). */
  url: string;
  login: string;
  motDePasse: string;
  /** The establishment (`codeEtablissement`). */
  uai: string;
  /** Time allowed to one call, answer included. */
  delaiMs: number;
  /** Minutes between the end of a run and the start of the next. */
  intervalleMinutes: number;
}

export interface RapportPullParcoursup {
  /** The request id of the run's journal rows. */
  requestId: string;
  recus: number;
  crees: number;
  misAJour: number;
  inchanges: number;
  /** Candidates refused (mapping, schema, rules), each journaled with its reasons. */
  refuses: number;
  /** Why the call itself failed (nothing was written); absent when the list was read. */
  erreur?: string;
  /** The run was stopped by the shutdown before its last candidate. */
  interrompu?: boolean;
  dureeMs: number;
}

/** The largest answer read (a whole campaign of a large university is a few tens of MB). */
const TAILLE_MAX_REPONSE = 100 * 1024 * 1024;

class EchecAppel extends Error {}

function extrait(texte: string): string {
  const t = texte.replace(/\s+/g, ' ').trim();
  return t ? ` : ${t.length > 200 ? `${t.slice(0, 200)}…` : t}` : '';
}

/** The answer's text, bounded: a runaway answer is cut and refused rather than held in memory. */
async function lireBorne(r: Response, max: number): Promise<string> {
  if (!r.body) return '';
  const lecteur = r.body.getReader();
  const morceaux: Uint8Array[] = [];
  let taille = 0;
  for (;;) {
    const { done, value } = await lecteur.read();
    if (done) break;
    taille += value.length;
    if (taille > max) {
      await lecteur.cancel();
      throw new EchecAppel(`réponse de plus de ${max} octets`);
    }
    morceaux.push(value);
  }
  return Buffer.concat(morceaux).toString('utf8');
}

export class ClientParcoursup {
  private minuterie?: NodeJS.Timeout;
  private arrete = false;
  private enCours?: Promise<unknown>;

  constructor(
    private readonly config: ConfigClientParcoursup,
    private readonly deps: DependancesAdmission & { logger: Logger },
  ) {}

  /** One run: the list, then each candidate in turn. Never throws. */
  async executer(): Promise<RapportPullParcoursup> {
    const debut = Date.now();
    const rapport: RapportPullParcoursup = { requestId: randomUUID(), recus: 0, crees: 0, misAJour: 0, inchanges: 0, refuses: 0, dureeMs: 0 };
    const ctx: ContexteAppel = { porte: 'BATCH', client: 'parcoursup', requestId: rapport.requestId };
    try {
      const candidats = await this.candidatsAdmis();
      rapport.recus = candidats.length;
      for (const c of candidats) {
        if (this.arrete) {
          rapport.interrompu = true;
          break;
        }
        const issue = await enregistrerAdmission(this.deps, ctx, c);
        if (!issue.ok) rapport.refuses++;
        else if (issue.resultat.resultat === 'CREE') rapport.crees++;
        else if (issue.resultat.resultat === 'MIS_A_JOUR') rapport.misAJour++;
        else rapport.inchanges++;
      }
    } catch (err) {
      rapport.erreur = err instanceof EchecAppel ? err.message : `erreur inattendue (${String(err)})`;
    }
    rapport.dureeMs = Date.now() - debut;
    if (rapport.erreur) this.deps.logger.error('parcoursup : getCandidatsAdmis en échec, rien importé', { ...rapport });
    else this.deps.logger.info('parcoursup : candidats admis importés', { ...rapport });
    return rapport;
  }

  /** The list of admitted candidates, or an EchecAppel saying what was wrong with the answer (never the password). */
  private async candidatsAdmis(): Promise<unknown[]> {
    const adresse = `${this.config.url.replace(/\/+$/, '')}/getCandidatsAdmis`;
    const delai = this.config.delaiMs;
    let texte: string;
    let r: Response;
    try {
      r = await fetch(adresse, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ identifiant: { login: this.config.login, pwd: this.config.motDePasse }, codeEtablissement: this.config.uai }),
        signal: AbortSignal.timeout(delai),
      });
      texte = await lireBorne(r, TAILLE_MAX_REPONSE);
    } catch (err) {
      if (err instanceof EchecAppel) throw err;
      const nom = (err as { name?: string }).name;
      if (nom === 'TimeoutError' || nom === 'AbortError') throw new EchecAppel(`pas de réponse complète en ${delai} ms`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new EchecAppel(`appel impossible (${cause?.code ?? cause?.message ?? String(err)})`);
    }
    if (!r.ok) throw new EchecAppel(`HTTP ${r.status}${extrait(texte)}`);
    let corps: unknown;
    try {
      corps = JSON.parse(texte);
    } catch {
      throw new EchecAppel(`réponse non JSON (${r.headers.get('content-type') ?? 'sans type'})${extrait(texte)}`);
    }
    if (Array.isArray(corps)) return corps;
    const nok = corps as { retour?: unknown; message?: unknown } | null;
    if (nok && typeof nok === 'object' && String(nok.retour).toUpperCase() === 'NOK') {
      throw new EchecAppel(`Parcoursup a répondu NOK${extrait(String(nok.message ?? ''))}`);
    }
    throw new EchecAppel('réponse inattendue : une liste de candidats est attendue');
  }

  /** Schedules the runs: the first after `delaiPremierMs` (a minute, or one interval if shorter), then one interval after each run. */
  demarrer(delaiPremierMs = Math.min(60_000, this.config.intervalleMinutes * 60_000)): void {
    this.arrete = false;
    this.planifier(delaiPremierMs);
  }

  private planifier(delaiMs: number): void {
    if (this.arrete) return;
    this.minuterie = setTimeout(() => {
      this.enCours = this.executer().finally(() => this.planifier(this.config.intervalleMinutes * 60_000));
    }, delaiMs);
    this.minuterie.unref();
  }

  /** No run after this; the run in progress ends after its current candidate. */
  async arreter(): Promise<void> {
    this.arrete = true;
    clearTimeout(this.minuterie);
    await this.enCours;
  }
}
