/** The console talks to the gateway's public REST API only, with the session cookie; every change carries the CSRF token. */

export interface Session {
  compte: string;
  role: 'lecture' | 'gestionnaire' | 'admin';
  portees: string[];
  csrf: string;
  inactiviteS: number;
  cas: boolean;
}

export interface ProblemeApi {
  code: string;
  path: string;
  message: string;
}

export class ErreurApi extends Error {
  constructor(
    readonly status: number,
    readonly problemes: ProblemeApi[],
  ) {
    super(problemes.map((p) => p.message).join(' ') || `Erreur ${status}`);
  }
}

let csrf = '';
export function retenirCsrf(jeton: string): void {
  csrf = jeton;
}

/** Called when the session ended under the page (idle timeout, sign-out elsewhere): back to sign-in. */
let sessionPerdue: () => void = () => undefined;
export function surSessionPerdue(f: () => void): void {
  sessionPerdue = f;
}

export async function appeler<T>(methode: string, chemin: string, corps?: BodyInit | object, entetes: Record<string, string> = {}): Promise<T> {
  const json = corps !== undefined && !(corps instanceof FormData) && !(corps instanceof Blob) && typeof corps === 'object';
  const r = await fetch(`/api/v1${chemin}`, {
    method: methode,
    credentials: 'same-origin',
    headers: {
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(methode === 'GET' ? {} : { 'x-csrf-token': csrf }),
      ...entetes,
    },
    body: corps === undefined ? undefined : json ? JSON.stringify(corps) : (corps as BodyInit),
  });
  if (r.status === 204) return undefined as T;
  const texte = await r.text();
  const donnees = texte ? JSON.parse(texte) : undefined;
  if (r.status === 401 && csrf && chemin !== '/session') {
    csrf = '';
    sessionPerdue();
  }
  if (!r.ok) throw new ErreurApi(r.status, (donnees?.errors as ProblemeApi[]) ?? []);
  return donnees as T;
}

/** What to tell staff of a failed call: the gateway's message, or that it did not answer. */
export function messageErreur(e: unknown): string {
  return e instanceof ErreurApi ? e.message : 'La passerelle ne répond pas.';
}

export const peut = (s: Session | undefined, portee: string) => !!s && (s.portees.includes(portee) || s.portees.includes('admin'));
