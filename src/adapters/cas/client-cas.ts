/**
 * CAS ticket validation (protocol 3, `/p3/serviceValidate`, as ESUP-Portail's CAS serves it): the
 * ticket the browser came back with is checked server to server; the answer's `cas:user` is the
 * account's identifier. Read with sax (namespaces, no DOCTYPE), bounded in time and size.
 */
import sax from 'sax';
import { ErreurMetier } from '../../domain/errors';

const TAILLE_MAX = 64 * 1024;

export class ClientCas {
  constructor(
    readonly url: string,
    private readonly delaiMs = 10_000,
  ) {}

  urlConnexion(service: string): string {
    return `${this.url}/login?service=${encodeURIComponent(service)}`;
  }

  urlDeconnexion(): string {
    return `${this.url}/logout`;
  }

  /** The identifier CAS vouches for, or CAS_TICKET_REFUSE with what it said. */
  async valider(service: string, ticket: string): Promise<string> {
    if (!/^[\w.-]{1,256}$/.test(ticket)) throw ErreurMetier.une('CAS_TICKET_REFUSE', 'ticket', { detail: 'ticket mal formé' });
    let texte: string;
    try {
      const r = await fetch(`${this.url}/p3/serviceValidate?service=${encodeURIComponent(service)}&ticket=${encodeURIComponent(ticket)}`, {
        signal: AbortSignal.timeout(this.delaiMs),
      });
      texte = (await r.text()).slice(0, TAILLE_MAX);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
    } catch (err) {
      throw ErreurMetier.une('CAS_TICKET_REFUSE', 'ticket', { detail: `serveur CAS injoignable (${(err as Error).message})` });
    }
    const r = lireReponse(texte);
    if ('user' in r) return r.user;
    throw ErreurMetier.une('CAS_TICKET_REFUSE', 'ticket', { detail: r.echec });
  }
}

/** `<cas:authenticationSuccess><cas:user>…` or `<cas:authenticationFailure code="…">…`. */
export function lireReponse(xml: string): { user: string } | { echec: string } {
  if (/<!DOCTYPE/i.test(xml)) return { echec: 'réponse refusée (DOCTYPE)' };
  const p = sax.parser(true, { xmlns: true, trim: true });
  const pile: string[] = [];
  let user: string | undefined;
  let echec: string | undefined;
  let code = '';
  p.onopentag = (t) => {
    const n = t as sax.QualifiedTag;
    pile.push(n.local);
    if (n.local === 'authenticationFailure') code = String(n.attributes.code?.value ?? '');
  };
  p.onclosetag = () => {
    pile.pop();
  };
  p.ontext = (texte) => {
    const ici = pile[pile.length - 1];
    if (ici === 'user' && pile.includes('authenticationSuccess')) user = texte.trim();
    if (ici === 'authenticationFailure') echec = `${code} ${texte.trim()}`.trim();
  };
  try {
    p.write(xml).close();
  } catch {
    return { echec: 'réponse illisible' };
  }
  if (user) return { user };
  return { echec: echec ?? (code || 'réponse sans utilisateur') };
}
