/**
 * The same laissez-passer sent through each door (REST, SOAP V2, a CSV file), raw on the wire, with a
 * request id of our choosing so that each request's journal rows can be found.
 */
import type { PasserelleDeTest } from './passerelle';

export const NS_LP = 'gouv.education.apogee.commun.servicesmetiers.LaissezPasserMetier';
export const CHAMPS_V2 = [
  'typLpa',
  'codAnu',
  'numOPI',
  'codEtu',
  'codEtp',
  'codVrsVet',
  'codDip',
  'codVrsVdi',
  'codRgi',
  'codStu',
  'libCmtLpa',
  'codCatOuiSi',
  'mtfCat',
  'codCatExoExt',
];

export type PorteLp = 'REST' | 'SOAP' | 'FICHIER';
export const PORTES_LP: PorteLp[] = ['REST', 'SOAP', 'FICHIER'];

export interface Refus {
  status: number;
  problemes: { code: string; path: string }[];
}

function echapper(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function enveloppe(operation: string, ns: string, corps: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`
    + `<ns0:${operation} xmlns:ns0="${ns}">${corps}</ns0:${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

export function enveloppeLpV2(lp: Record<string, string>): string {
  return enveloppe('mettreAJourLaissezPasserWS_V2', NS_LP, CHAMPS_V2.map((c) => `<${c}>${echapper(lp[c] ?? '')}</${c}>`).join(''));
}

export async function soap(
  gw: PasserelleDeTest,
  service: string,
  xml: string,
  entetes: Record<string, string> = {},
): Promise<{ status: number; texte: string; type: string | null }> {
  const r = await fetch(`${gw.url}/ws/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', ...entetes },
    body: xml,
  });
  return { status: r.status, texte: await r.text(), type: r.headers.get('content-type') };
}

/** `CODE [path] message` items of a SOAP fault → {code, path}. */
export function problemesFault(xml: string): { code: string; path: string }[] {
  return [...xml.matchAll(/<item>([A-Z_]+)(?: \[([^\]]*)\])? /g)].map((m) => ({ code: m[1], path: m[2] ?? '' }));
}

/**
 * Sends one LP (values as text, V2 names) through a door and gives the refusal (status + problems), or
 * undefined when accepted. A file is sent alone (one data row, mode partial) and its report read back.
 */
export async function envoyerLp(gw: PasserelleDeTest, porte: PorteLp, lp: Record<string, string>, requestId: string): Promise<Refus | undefined> {
  const entetes = { 'x-request-id': requestId };
  if (porte === 'REST') {
    const r = await gw.json('POST', '/api/v1/laissez-passer', lp, entetes);
    return r.status >= 400
      ? { status: r.status, problemes: r.body.errors.map((e: { code: string; path: string }) => ({ code: e.code, path: e.path })) }
      : undefined;
  }
  if (porte === 'SOAP') {
    const r = await soap(gw, 'LaissezPasserMetier', enveloppeLpV2(lp), entetes);
    return r.status === 500 ? { status: r.status, problemes: problemesFault(r.texte) } : undefined;
  }
  const colonnes = [...CHAMPS_V2, ...Object.keys(lp).filter((c) => !CHAMPS_V2.includes(c))];
  const csv = `${colonnes.join(';')}\n${colonnes.map((c) => lp[c] ?? '').join(';')}\n`;
  const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?attendre=1`, { method: 'POST', headers: { 'content-type': 'text/csv', ...entetes }, body: csv });
  const corps = (await r.json()) as { lignesRejetees: number; rejets: { erreurs: { code: string; path: string }[] }[] };
  return corps.lignesRejetees ? { status: 422, problemes: corps.rejets[0].erreurs.map((e) => ({ code: e.code, path: e.path })) } : undefined;
}

export async function journalDe(gw: PasserelleDeTest, requestId: string): Promise<any[]> {
  return (await gw.json('GET', `/api/v1/journal?requestId=${encodeURIComponent(requestId)}&limite=1000`)).body.entrees;
}
