/**
 * Mounting of one node-soap service on the Express app, the same way for every WSDL:
 * - `GET <chemin>?wsdl` serves our hand-written WSDL with its soap:address rewritten to this server;
 * - the body is read once, size-limited, and checked to be well-formed XML before node-soap parses it,
 *   so a broken message gets a proper SOAP fault;
 * - node-soap options decided once here: `xsi:nil` arrives as null (`handleNilAsNull`), ints and
 *   decimals and booleans arrive as raw strings (`customDeserializer`) so that the mapper validates them
 *   instead of node-soap's parseInt silently turning `12abc` into 12 (or `oui` into false).
 * Every operation is wrapped so that any failure becomes a WebBaseException fault.
 */
import express, { type Express, type Request } from 'express';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as soap from 'soap';
import sax from 'sax';
import { ErreurMetier, codeApogee, probleme } from '../../domain/errors';
import type { Probleme } from '../../domain/errors';
import type { ContexteAppel, Operations } from '../../application/operation';
import { estRefusee } from '../rest/authentification';
import { contexteDepuis } from '../rest/contexte';

const DOSSIER_WSDL = path.resolve(__dirname, '..', '..', '..', '..', 'wsdl');

export type MethodeSoap = (args: Record<string, unknown>, ctx: ContexteAppel) => Promise<unknown>;

export interface DefinitionServiceSoap {
  /** `OpiMetier`: the file `wsdl/<nom>.wsdl` and the path `/ws/<nom>`. */
  nom: string;
  /** WSDL target namespace (the fault detail element lives in it). */
  namespace: string;
  service: string;
  port: string;
  operations: Record<string, MethodeSoap>;
}

const ESPACE_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';

export function monterServiceSoap(parent: Express, def: DefinitionServiceSoap, tailleMax: number, ops: Operations): void {
  const chemin = `/ws/${def.nom}`;
  // node-soap adds its route once the WSDL is parsed (asynchronously): give it a sub-application
  // whose place in the parent's stack is fixed now, before the 404 handler.
  const app = express();
  app.set('trust proxy', parent.get('trust proxy'));
  parent.use(app);
  const wsdl = readFileSync(path.join(DOSSIER_WSDL, `${def.nom}.wsdl`), 'utf8');

  app.get(chemin, (req, res) => {
    if (!('wsdl' in req.query) && !('WSDL' in req.query)) {
      res.status(405).type('text/plain; charset=utf-8').send(`Service SOAP ${def.nom} : POST une enveloppe SOAP 1.1, ou GET ${chemin}?wsdl.`);
      return;
    }
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.type('text/xml; charset=utf-8').send(wsdl.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${base}${chemin}$2`));
  });

  app.post(chemin, express.raw({ type: () => true, limit: tailleMax }), (req, res, next) => {
    const corps = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const erreurXml = verifierXml(corps);
    if (erreurXml) {
      const p = probleme('REQUETE_MALFORMEE', '', { detail: `XML mal formé : ${erreurXml}` });
      res.status(500).type('text/xml; charset=utf-8').send(enveloppeFault(def.namespace, [p], 'soapenv:Client'));
      return;
    }
    next();
  });

  const implementation: Record<string, (args: Record<string, unknown>, cb: unknown, headers: unknown, req: Request) => Promise<unknown>> = {};
  for (const [nomOperation, methode] of Object.entries(def.operations)) {
    implementation[nomOperation] = async (args, _cb, _headers, req) => {
      try {
        const ctx = contexteDepuis(req, 'SOAP');
        if (estRefusee(req)) {
          const refus = new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401);
          await ops.rejeter(ctx, nomOperation, refus);
          throw refus;
        }
        return await methode(args ?? {}, ctx);
      } catch (err) {
        if (!(err instanceof ErreurMetier)) {
          (parent.locals.logger as { error: (m: string, o: object) => void } | undefined)?.error('erreur SOAP non gérée', {
            requestId: req?.headers?.['x-request-id'], operation: nomOperation, err: err instanceof Error ? err.stack : String(err),
          });
        }
        const e = err instanceof ErreurMetier ? err : new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: String(req?.headers?.['x-request-id'] ?? '') })], 500);
        throw faultDe(def.namespace, e.problemes);
      }
    };
  }

  soap.listen(app as unknown as Parameters<typeof soap.listen>[0], {
    path: chemin,
    services: { [def.service]: { [def.port]: implementation } },
    xml: wsdl,
    envelopeKey: 'soapenv',
    handleNilAsNull: true,
    suppressStack: true,
    escapeXML: true,
    customDeserializer: { int: (t: string) => t, decimal: (t: string) => t, long: (t: string) => t, boolean: (t: string) => t },
  } as unknown as soap.IServerOptions);
}

function verifierXml(xml: string): string | null {
  if (!xml.trim()) return 'corps vide';
  const parser = sax.parser(true, {});
  let erreur: string | null = null;
  parser.onerror = (e) => {
    erreur ??= e.message.split('\n')[0];
    parser.error = null as unknown as Error;
    parser.close();
  };
  try {
    parser.write(xml).close();
  } catch (e) {
    erreur ??= (e as Error).message.split('\n')[0];
  }
  return erreur;
}

/** The SOAP fault in Apogée's WebBaseException shape, as node-soap serialises a thrown `{ Fault }`. */
export function faultDe(namespace: string, problemes: Probleme[]): { Fault: Record<string, unknown> } {
  const premier = problemes[0] ?? probleme('ERREUR_INTERNE', '', {});
  const a = codeApogee(premier);
  
  return {
    Fault: {
      faultcode: 'soapenv:Server', // as Apogée, whatever the cause; the detail tells
      faultstring: a.code,
      statusCode: 500,
      detail: {
        'ns1:fault': {
          attributes: { 'xmlns:ns1': namespace },
          domaine: a.domaine,
          element: a.element,
          messages: { item: problemes.map(texteProbleme) },
          nature: a.nature,
          type: a.type,
          lastErrorMsg: a.code,
        },
      },
    },
  };
}

/** `CODE [path] message`: what a client shows per item (our stable code, the field path, the French message). */
export function texteProbleme(p: Probleme): string {
  return `${p.code}${p.path ? ` [${p.path}]` : ''} ${p.message}`;
}

function echapper(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A whole fault envelope, for the errors raised before node-soap (malformed XML). */
function enveloppeFault(namespace: string, problemes: Probleme[], faultcode: string): string {
  const f = faultDe(namespace, problemes).Fault;
  const d = (f.detail as Record<string, Record<string, unknown>>)['ns1:fault'];
  const items = (d.messages as { item: string[] }).item.map((i) => `<item>${echapper(i)}</item>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="${ESPACE_SOAP}"><soapenv:Body><soapenv:Fault>`
    + `<faultcode>${faultcode}</faultcode><faultstring>${echapper(String(f.faultstring))}</faultstring><detail>`
    + `<ns1:fault xmlns:ns1="${echapper(namespace)}"><domaine>${d.domaine}</domaine><element>${echapper(String(d.element))}</element>`
    + `<messages>${items}</messages><nature>${d.nature}</nature><type>${d.type}</type><lastErrorMsg>${echapper(String(d.lastErrorMsg))}</lastErrorMsg>`
    + '</ns1:fault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>';
}
