/**
 * Parcoursup's `majInscriptionAdministrative`: tells Parcoursup the state of a candidate's
 * administrative enrolment (`POST {PARCOURSUP_URL}/majInscriptionAdministrative`, JSON
 * `{identifiant: {login, pwd}, codeCandidat, ine, nom, prenom, dateNaissance (dd/MM/yyyy),
 * codeFormationPsup, codeFormation1, codeSISE, etatInscription, codeEtablissementAffectation}`).
 * The outbox stores the body without the account and the establishment: they are added here, at
 * each call. A 2xx answer is an acknowledgement; a 4xx (but 408, 425, 429) a refusal that retrying
 * will not change; anything else (5xx, no answer within the delay, network) is to be retried.
 * Never throws, never puts the password in an error.
 */
import type { Notificateur, ResultatEnvoi } from '../../application/ports';
import { TYPE_MAJ_IA_PARCOURSUP } from '../../domain/inscription/parcoursup';

export interface ConfigNotificateurParcoursup {
  /** The base of Parcoursup's REST API (`https://ws.parcoursup.fr/ApiRest`). */
  url: string;
  login: string;
  motDePasse: string;
  /** The establishment (`codeEtablissementAffectation`). */
  uai: string;
  /** Time allowed to one call, answer included. */
  delaiMs: number;
}

/** The fields of the body, in Parcoursup's order (the credentials first, the establishment last). */
const CHAMPS = ['codeCandidat', 'ine', 'nom', 'prenom', 'dateNaissance', 'codeFormationPsup', 'codeFormation1', 'codeSISE', 'etatInscription'] as const;

const A_RETENTER = new Set([408, 425, 429]);

export class NotificateurParcoursup implements Notificateur {
  readonly type = TYPE_MAJ_IA_PARCOURSUP;
  private readonly adresse: string;

  constructor(private readonly config: ConfigNotificateurParcoursup) {
    this.adresse = `${config.url.replace(/\/+$/, '')}/majInscriptionAdministrative`;
  }

  /** The JSON body sent for a stored notification body. */
  corpsRequete(corps: Record<string, unknown>): Record<string, unknown> {
    return {
      identifiant: { login: this.config.login, pwd: this.config.motDePasse },
      ...Object.fromEntries(CHAMPS.map((c) => [c, corps[c] ?? null])),
      codeEtablissementAffectation: this.config.uai,
    };
  }

  async envoyer(corps: Record<string, unknown>): Promise<ResultatEnvoi> {
    if (corps.codeCandidat === null || corps.codeCandidat === undefined || corps.codeCandidat === '') {
      return { ok: false, erreur: 'Numéro de candidat Parcoursup manquant : rien envoyé.', definitif: true };
    }
    try {
      const r = await fetch(this.adresse, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(this.corpsRequete(corps)),
        signal: AbortSignal.timeout(this.config.delaiMs),
      });
      // The answer is read whole (within the same delay): a connection cut mid-answer is a failure.
      const texte = await r.text();
      if (r.ok) return { ok: true };
      const definitif = r.status >= 400 && r.status < 500 && !A_RETENTER.has(r.status);
      return { ok: false, erreur: this.sansSecret(`HTTP ${r.status}${texte.trim() ? ` : ${texte.trim().slice(0, 500)}` : ''}`), definitif };
    } catch (err) {
      const nom = err instanceof Error ? err.name : '';
      if (nom === 'TimeoutError' || nom === 'AbortError')
        return { ok: false, erreur: `Pas de réponse de Parcoursup en ${this.config.delaiMs} ms.`, definitif: false };
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
      return { ok: false, erreur: this.sansSecret(`Parcoursup injoignable : ${err instanceof Error ? err.message : String(err)}${cause}`), definitif: false };
    }
  }

  private sansSecret(texte: string): string {
    return this.config.motDePasse ? texte.split(this.config.motDePasse).join('***') : texte;
  }
}
