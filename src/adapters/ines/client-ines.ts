/**
 * Optional outbound check of RNIE-form INEs (9 digits + 2 letters), whose key has no public
 * algorithm: the establishment's INES-check service is asked, as eCandidat does
 * (`POST {INES_URL}/v1/check-ine` with `{"type":"INES","ine":"<9 digits>","cle":"<2 letters>"}` → `true`/`false`).
 * A service that does not answer in time never blocks a record: the caller gets INDISPONIBLE.
 */
import type { VerdictInes, VerificateurInes } from '../../application/ports';

export class ClientInes implements VerificateurInes {
  constructor(
    private readonly url: string,
    private readonly delaiMs = 3000,
    private readonly jeton?: string,
  ) {}

  async verifier(nne: string, cle: string): Promise<VerdictInes> {
    try {
      const r = await fetch(`${this.url.replace(/\/$/, '')}/v1/check-ine`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.jeton ? { authorization: `Bearer ${this.jeton}` } : {}) },
        body: JSON.stringify({ type: 'INES', ine: nne, cle }),
        signal: AbortSignal.timeout(this.delaiMs),
      });
      if (!r.ok) return 'INDISPONIBLE';
      const corps = (await r.json()) as unknown;
      if (corps === true) return 'VALIDE';
      if (corps === false) return 'INVALIDE';
      return 'INDISPONIBLE';
    } catch {
      return 'INDISPONIBLE';
    }
  }
}
