/**
 * The SOAP door: every node-soap service is mounted here, the same way, under one Express sub-app
 * `/ws` that owns its failures — whatever goes wrong under `/ws/`, a SOAP client gets a SOAP 1.1 Fault
 * envelope back (HTTP 500, `text/xml; charset=utf-8`, Apogée's WebBaseException detail), never
 * problem+json, never a JavaScript message, and the refusal leaves exactly one row in the audit journal
 * (porte SOAP), written before the answer.
 *
 * For each service (`/ws/<nom>`):
 * - `GET /ws/<nom>?wsdl` serves our hand-written WSDL with its soap:address rewritten to this server;
 *   `GET` without `?wsdl` answers a 405 help text;
 * - `POST`: authentication first (HTTP headers before any body is read; else a WS-Security
 *   UsernameToken read from the first 64 KiB, before the Body), then the body is read once, size-limited
 *   (`MAX_SOAP_BYTES` → CORPS_TROP_VOLUMINEUX), then ONE sax pass checks it before node-soap sees it:
 *   well-formed and namespace-well-formed XML, no DOCTYPE, at most 64 levels deep, root = SOAP 1.1
 *   Envelope, exactly one Body, holding exactly one element, no mustUnderstand header block but
 *   WS-Security's (→ REQUETE_MALFORMEE; faultcode MustUnderstand for the latter), and that element is an
 *   operation of this service in its target namespace (→ OPERATION_SOAP_INCONNUE), which the caller's
 *   scope allows (→ PORTEE_INSUFFISANTE). Only then node-soap (serverless
 *   `processRequest`, so that the HTTP answer stays ours) parses the message and calls the operation;
 * - any other method → REQUETE_MALFORMEE fault.
 * Unknown paths under `/ws/` → RESSOURCE_INTROUVABLE fault.
 *
 * node-soap options decided once here: `xsi:nil` arrives as null (`handleNilAsNull`), ints and
 * decimals and booleans arrive as raw strings (`customDeserializer`) so that the mapper validates them
 * instead of node-soap's parseInt silently turning `12abc` into 12 (or `oui` into false).
 * Operations are dispatched by the Body element (every soapAction of our WSDLs is ""), whatever
 * SOAPAction header the client sends.
 *
 * Journal: an operation journals its own outcome (its method runs the use case through the pipeline);
 * every refusal before or around it is journaled here with `refuser` (once: the pipeline knows which
 * errors already have their row; refusals before authentication are aggregated there), operation = the
 * SOAP operation when known, else the service name (`OpiMetier`), else `ServiceSoapInconnu`.
 */
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as soap from 'soap';
import sax from 'sax';
import iconv from 'iconv-lite';
import { ErreurMetier, codeApogee, probleme } from '../../domain/errors';
import type { Probleme } from '../../domain/errors';
import { authentifierAutrement, estAnonymeRefuse, estRefusee } from '../rest/authentification';
import { lireJetonWss } from './ws-securite';
import type { ServiceIdentites } from '../../application/identites';
import { contexteDepuis } from '../rest/contexte';
import type { ContexteAppel, Pipeline } from '../../application/pipeline';
import type { NomOperation } from '../../application/registre';

const DOSSIER_WSDL = path.resolve(__dirname, '..', '..', '..', '..', 'wsdl');

/** What the door needs of the pipeline: journal a refusal made before (or around) an operation. */
export type JournalRefus = Pick<Pipeline, 'refuser' | 'verifierAcces'>;

export type MethodeSoap = (args: Record<string, unknown>, ctx: ContexteAppel) => Promise<unknown>;

export interface DefinitionServiceSoap {
  /** `OpiMetier`: the file `wsdl/<nom>.wsdl` and the path `/ws/<nom>`. */
  nom: string;
  /** WSDL target namespace (the operation elements and the fault detail element live in it). */
  namespace: string;
  service: string;
  port: string;
  /**
   * The WSDL's operations. Each runs its use case inside `ops.executer` / `ops.lire`, which journal it:
   * an ErreurMetier thrown by a method is taken as journaled; anything else is journaled here as ERREUR_INTERNE.
   */
  operations: Record<string, MethodeSoap>;
  /** The registry operation of each SOAP operation: its scope is checked before the message is parsed by node-soap. */
  registre: Record<string, NomOperation>;
}

const ESPACE_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const ESPACE_SOAP_12 = 'http://www.w3.org/2003/05/soap-envelope';
const ESPACE_WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** Namespace of the fault detail when no service is concerned (unknown path under /ws/). */
const ESPACE_PORTE = 'urn:candidature-gateway:ws';
/** Journal operation of a request to an unknown path under /ws/ (a fixed name: the path is in the details). */
const OPERATION_SERVICE_INCONNU = 'ServiceSoapInconnu';
const TYPE_XML = 'text/xml; charset=utf-8';
/** Deepest element nesting accepted in a SOAP message. */
const PROFONDEUR_MAX_XML = 64;

type Journaliseur = { error: (m: string, o: object) => void };

/** What the ws sub-app keeps per gateway: the router the services are added to. */
interface PorteSoap {
  services: Router;
}
const portes = new WeakMap<Express, PorteSoap>();

/** What the door knows of a request in progress, for its error handler (`res.locals.soap`). */
interface EtatRequete {
  def?: DefinitionServiceSoap;
  operation?: string;
  journalise?: boolean;
}

/** A refusal decided by the door: the error, the journal operation, the fault's namespace and faultcode. */
interface Refus {
  erreur: ErreurMetier;
  operation: string;
  namespace: string;
  faultcode?: string;
  /** The raw message, for the journal's SHA-256 (when it was read). */
  charge?: string;
}

function etat(res: Response): EtatRequete {
  return (res.locals.soap ??= {}) as EtatRequete;
}

function journaliseur(parent: Express): Journaliseur | undefined {
  return parent.locals.logger as Journaliseur | undefined;
}

/**
 * The `/ws` sub-app of this gateway, created when its first service is mounted: it sits in the parent's
 * stack before the REST 404 handler; each service is added to its router, whose place before the door's
 * 404 and error handler is fixed now. Those two journal with the first service's `ops`.
 */
function porteSoap(parent: Express, ops: JournalRefus): PorteSoap {
  const existante = portes.get(parent);
  if (existante) return existante;
  const ws = express();
  ws.disable('x-powered-by');
  ws.set('trust proxy', parent.get('trust proxy'));
  const services = express.Router();
  ws.use(services);
  ws.use((req: Request, _res: Response, next: NextFunction) => {
    next(new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `${req.method} ${req.originalUrl.split('?')[0]}` })], 404));
  });
  ws.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = etat(res);
    const erreur = erreurDe(err);
    if (!erreur) {
      journaliseur(parent)?.error('erreur SOAP non gérée', {
        requestId: req.headers['x-request-id'],
        operation: e.operation ?? e.def?.nom,
        err: err instanceof Error ? err.stack : String(err),
      });
    }
    const refus = erreur ?? new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: String(req.headers['x-request-id'] ?? '') })], 500);
    return refuser(ops, req, res, {
      erreur: refus,
      operation: e.operation ?? e.def?.nom ?? OPERATION_SERVICE_INCONNU,
      namespace: e.def?.namespace ?? ESPACE_PORTE,
    });
  });
  parent.use('/ws', ws);
  const porte = { services };
  portes.set(parent, porte);
  return porte;
}

/** Errors raised by Express (body reading) or by the door → catalogue errors; undefined for anything else. */
function erreurDe(err: unknown): ErreurMetier | undefined {
  if (err instanceof ErreurMetier) return err;
  const e = err as { type?: string; status?: number; message?: string; limit?: number } | undefined;
  if (e?.type === 'entity.too.large') return new ErreurMetier([probleme('CORPS_TROP_VOLUMINEUX', '', { max: `${e.limit} octets` })], 413);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: e.message ?? 'encodage' })], 415);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: e.message ?? 'requête refusée' })], 400);
  }
  return undefined;
}

/** Journals the refusal (once per request), then answers its SOAP 1.1 fault. */
async function refuser(ops: JournalRefus, req: Request, res: Response, r: Refus): Promise<void> {
  const e = etat(res);
  if (!e.journalise) {
    e.journalise = true;
    await ops.refuser(contexteDepuis(req, 'SOAP'), r.operation, r.erreur, { charge: r.charge }).catch(() => undefined);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const faultcode = r.faultcode ?? (r.erreur.status >= 500 ? 'soapenv:Server' : 'soapenv:Client');
  res
    .status(500)
    .type(TYPE_XML)
    .send(enveloppeFault(r.namespace, r.erreur.problemes, faultcode));
}

/** A call handed to node-soap: keyed by the headers object node-soap passes on to the operation. */
interface Appel {
  ctx: ContexteAppel;
  appelee: boolean;
}
const appels = new WeakMap<object, Appel>();

export function monterServiceSoap(
  parent: Express,
  def: DefinitionServiceSoap,
  tailleMax: number,
  ops: JournalRefus,
  identites: Pick<ServiceIdentites, 'authentifier'>,
  /** The rate limiter, applied again once a WS-Security token has told who calls. */
  debit?: express.RequestHandler,
): void {
  const { services } = porteSoap(parent, ops);
  const chemin = `/${def.nom}`;
  const cheminPublic = `/ws/${def.nom}`;
  const wsdl = readFileSync(path.join(DOSSIER_WSDL, `${def.nom}.wsdl`), 'utf8');
  const nomsOperations = Object.keys(def.operations);

  const implementation: Record<string, (args: Record<string, unknown>, cb: unknown, headers: unknown, req: { headers?: object }) => Promise<unknown>> = {};
  for (const [nomOperation, methode] of Object.entries(def.operations)) {
    implementation[nomOperation] = async (args, _cb, _headers, reqSoap) => {
      const appel = reqSoap?.headers ? appels.get(reqSoap.headers) : undefined;
      if (!appel) throw faultDe(def.namespace, [probleme('ERREUR_INTERNE', '', { requestId: 'inconnue' })]); // cannot happen: only the door calls node-soap
      appel.appelee = true;
      try {
        return await methode(args ?? {}, appel.ctx);
      } catch (err) {
        // A business error that came out of the pipeline already has its row; any other gets one here.
        if (err instanceof ErreurMetier) {
          await ops.refuser(appel.ctx, nomOperation, err).catch(() => undefined);
          throw faultDe(def.namespace, err.problemes);
        }
        journaliseur(parent)?.error('erreur SOAP non gérée', {
          requestId: appel.ctx.requestId,
          operation: nomOperation,
          err: err instanceof Error ? err.stack : String(err),
        });
        const e = new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: appel.ctx.requestId })], 500);
        await ops.refuser(appel.ctx, nomOperation, e).catch(() => undefined);
        throw faultDe(def.namespace, e.problemes);
      }
    };
  }

  // node-soap without an HTTP server: the door calls `processRequest` and answers itself.
  let serveur: soap.Server | undefined;
  const pret = new Promise<soap.Server>((resolve, reject) => {
    serveur = soap.listen(null, {
      path: cheminPublic,
      services: { [def.service]: { [def.port]: implementation } },
      xml: wsdl,
      envelopeKey: 'soapenv',
      handleNilAsNull: true,
      suppressStack: true,
      escapeXML: true,
      customDeserializer: { int: (t: string) => t, decimal: (t: string) => t, long: (t: string) => t, boolean: (t: string) => t },
      callback: (err: unknown) => (err ? reject(err) : resolve(serveur!)),
    } as unknown as soap.IServerOptions);
  });
  pret.catch((err: unknown) => journaliseur(parent)?.error('WSDL illisible', { service: def.nom, err: String(err) }));

  const marquer = (_req: Request, res: Response, next: NextFunction) => {
    etat(res).def = def;
    next();
  };

  services.get(chemin, marquer, (req, res) => {
    if (!('wsdl' in req.query) && !('WSDL' in req.query)) {
      res.status(405).type('text/plain; charset=utf-8').send(`Service SOAP ${def.nom} : POST une enveloppe SOAP 1.1, ou GET ${cheminPublic}?wsdl.`);
      return;
    }
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.type(TYPE_XML).send(wsdl.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${base}${cheminPublic}$2`));
  });

  services.post(
    chemin,
    marquer,
    async (req, _res, next) => {
      // Authentication before any body is read: an unauthenticated caller cannot make us parse a large body.
      if (estRefusee(req)) return next(new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401));
      if (!estAnonymeRefuse(req)) return next();
      // No HTTP credentials: a WS-Security UsernameToken, read from the first 64 KiB only.
      try {
        const jeton = await lireJetonWss(req);
        if ('absent' in jeton) return next(new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401));
        if ('erreur' in jeton) return next(new ErreurMetier([probleme('JETON_WSS_INVALIDE', '', { detail: jeton.erreur })], 401));
        const identite = await identites.authentifier({ nom: jeton.nom, secret: jeton.secret });
        authentifierAutrement(req, identite);
        // Now known (or refused): the client's rate limit, or the address's.
        const suite = (err?: unknown) => {
          if (err) return next(err);
          if (!identite) return next(new ErreurMetier([probleme('AUTHENTIFICATION_REQUISE', '')], 401));
          next();
          // The body reader is now listening: let the stream (paused while the header was read) flow again.
          req.resume();
        };
        if (debit) debit(req, _res, suite);
        else suite();
      } catch (err) {
        next(err);
      }
    },
    express.raw({ type: () => true, limit: tailleMax }),
    async (req, res) => {
      const decode = decoder(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.get('content-type'));
      if (decode.erreur) return refuser(ops, req, res, { erreur: decode.erreur, operation: def.nom, namespace: def.namespace });
      const xml = decode.xml;
      const analyse = analyserEnveloppe(xml);
      const connue =
        analyse.operation && analyse.operation.uri === def.namespace && Object.hasOwn(def.operations, analyse.operation.local)
          ? analyse.operation.local
          : undefined;
      if (analyse.erreur) {
        return refuser(ops, req, res, {
          erreur: new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: analyse.erreur })], 400),
          operation: connue ?? def.nom,
          namespace: def.namespace,
          charge: xml,
          faultcode: analyse.versionSoap12 ? 'soapenv:VersionMismatch' : analyse.nonCompris ? 'soapenv:MustUnderstand' : 'soapenv:Client',
        });
      }
      if (!connue) {
        const op = analyse.operation!;
        return refuser(ops, req, res, {
          erreur: new ErreurMetier(
            [
              probleme('OPERATION_SOAP_INCONNUE', '', {
                service: def.nom,
                operation: op.uri ? `{${op.uri}}${op.local}` : op.local,
                operations: `${nomsOperations.join(', ')} (espace de noms ${def.namespace})`,
              }),
            ],
            400,
          ),
          operation: def.nom,
          namespace: def.namespace,
          charge: xml,
        });
      }
      etat(res).operation = connue;
      const ctx = contexteDepuis(req, 'SOAP');
      try {
        ops.verifierAcces(ctx, def.registre[connue]);
      } catch (err) {
        if (err instanceof ErreurMetier) return refuser(ops, req, res, { erreur: err, operation: connue, namespace: def.namespace, charge: xml });
        throw err;
      }
      // node-soap echoes the request Content-Type and would dispatch on a non-empty SOAPAction: neither, here.
      const entetes: Record<string, unknown> = { ...req.headers, 'content-type': TYPE_XML };
      delete entetes.soapaction;
      const appel: Appel = { ctx, appelee: false };
      appels.set(entetes, appel);
      const r = await (await pret).processRequest(xml, { method: 'POST', url: req.originalUrl, headers: entetes as soap.IServerlessRequest['headers'] });
      if (!appel.appelee) {
        // node-soap refused what our checks let through: never its text to the client.
        journaliseur(parent)?.error("node-soap a refusé le message sans appeler l'opération", {
          requestId: ctx.requestId,
          operation: connue,
          statut: r.statusCode,
          reponse: r.body.slice(0, 500),
        });
        return refuser(ops, req, res, {
          erreur: new ErreurMetier([probleme('ERREUR_INTERNE', '', { requestId: ctx.requestId })], 500),
          operation: connue,
          namespace: def.namespace,
          charge: xml,
        });
      }
      res
        .status(r.statusCode || 200)
        .type(TYPE_XML)
        .send(r.body);
    },
  );

  services.all(chemin, marquer, (req, _res, next) => {
    next(
      new ErreurMetier(
        [
          probleme('REQUETE_MALFORMEE', '', {
            detail: `méthode HTTP ${req.method} non prise en charge sur ${cheminPublic} : POST une enveloppe SOAP 1.1, ou GET ${cheminPublic}?wsdl`,
          }),
        ],
        400,
      ),
    );
  });
}

/**
 * The message as text: in the charset of the Content-Type, else of the XML declaration, else UTF-8
 * (BOM dropped). Bytes that are not valid UTF-8 are refused rather than silently replaced (a name
 * would be stored with U+FFFD); an unknown charset → TYPE_CONTENU_NON_SUPPORTE.
 */
export function decoder(corps: Buffer, typeContenu: string | undefined): { xml: string; erreur?: undefined } | { xml?: undefined; erreur: ErreurMetier } {
  const declare =
    /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(typeContenu ?? '')?.[1]
    ?? /^(?:\xEF\xBB\xBF)?\s*<\?xml[^>]*?\sencoding\s*=\s*["']([\w.:-]+)["']/.exec(corps.subarray(0, 200).toString('latin1'))?.[1]
    ?? 'utf-8';
  const charset = declare.toLowerCase();
  if (charset === 'utf-8' || charset === 'utf8') {
    try {
      return { xml: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(corps) };
    } catch {
      return {
        erreur: new ErreurMetier(
          [
            probleme('REQUETE_MALFORMEE', '', {
              detail: "octets invalides en UTF-8 ; déclarez l'encodage du message (charset= du Content-Type ou <?xml encoding=…?>)",
            }),
          ],
          400,
        ),
      };
    }
  }
  if (!iconv.encodingExists(charset))
    return { erreur: new ErreurMetier([probleme('TYPE_CONTENU_NON_SUPPORTE', '', { type: `jeu de caractères ${declare}` })], 415) };
  return { xml: iconv.decode(corps, charset) };
}

/** What one sax pass over a SOAP message tells: the first problem found, and the Body's operation element. */
export interface AnalyseEnveloppe {
  /** French detail of REQUETE_MALFORMEE (no final period), undefined when the envelope is sound. */
  erreur?: string;
  /** The envelope is SOAP 1.2's (SOAP 1.1 answers VersionMismatch). */
  versionSoap12?: boolean;
  /** A header block marked mustUnderstand that this service does not understand (faultcode MustUnderstand). */
  nonCompris?: boolean;
  /** The first element of the (first) Body: its namespace URI and local name. */
  operation?: { uri: string; local: string };
}

/**
 * One streaming pass (sax, strict, namespaces): well-formed XML, no DOCTYPE (forbidden in SOAP),
 * root = SOAP 1.1 Envelope, exactly one Body child of it, exactly one element in that Body.
 */
export function analyserEnveloppe(xml: string): AnalyseEnveloppe {
  if (!xml.trim()) return { erreur: 'corps vide ; une enveloppe SOAP 1.1 est attendue' };
  const parser = sax.parser(true, { xmlns: true });
  let erreur: string | undefined;
  let profondeur = 0;
  let racine: { uri: string; local: string } | undefined;
  let nbBody = 0;
  let dansBody = false;
  let enfantsBody = 0;
  let dansHeader = false;
  let nonCompris: string | undefined;
  let operation: { uri: string; local: string } | undefined;
  const arreter = (message: string) => {
    erreur ??= message;
  };
  parser.onerror = (e) => {
    arreter(`XML mal formé (ligne ${parser.line + 1}, colonne ${parser.column}) : ${e.message.split('\n')[0]}`);
    parser.error = null as unknown as Error;
    parser.close();
  };
  parser.ondoctype = () => arreter('DOCTYPE interdit dans un message SOAP');
  // node-soap parses a CDATA section that holds an XML declaration as an embedded document: it must be one.
  parser.oncdata = (texte) => {
    if (!erreur && /<\?xml[\s\S]+\?>/.test(texte.trim())) {
      const e = erreurXml(texte.trim());
      if (e) arreter(`document XML d'une section CDATA mal formé : ${e}`);
    }
  };
  parser.onopentag = (t) => {
    if (erreur) return;
    const tag = t as sax.QualifiedTag;
    profondeur++;
    // Deep XML would reach node-soap's recursive code: an Apogée message is about 8 levels deep.
    if (profondeur > PROFONDEUR_MAX_XML) {
      arreter(`imbrication de plus de ${PROFONDEUR_MAX_XML} niveaux d'éléments`);
      return;
    }
    if (profondeur === 1) racine = { uri: tag.uri, local: tag.local };
    else if (profondeur === 2 && tag.uri === ESPACE_SOAP && tag.local === 'Header') dansHeader = true;
    else if (profondeur === 3 && dansHeader) {
      // The only header block we process is WS-Security's; any other one the client says we must understand, we refuse.
      const mu = Object.values(tag.attributes).find(
        (a) => (a as sax.QualifiedAttribute).uri === ESPACE_SOAP && (a as sax.QualifiedAttribute).local === 'mustUnderstand',
      ) as sax.QualifiedAttribute | undefined;
      if (mu && (mu.value === '1' || mu.value === 'true') && !(tag.uri === ESPACE_WSSE && tag.local === 'Security')) nonCompris ??= `{${tag.uri}}${tag.local}`;
    } else if (profondeur === 2 && tag.uri === ESPACE_SOAP && tag.local === 'Body') {
      nbBody++;
      dansBody = true;
    } else if (profondeur === 3 && dansBody) {
      enfantsBody++;
      if (nbBody === 1 && enfantsBody === 1) operation = { uri: tag.uri, local: tag.local };
    }
  };
  parser.onclosetag = () => {
    if (erreur) return;
    if (profondeur === 2) {
      dansBody = false;
      dansHeader = false;
    }
    profondeur--;
  };
  try {
    parser.write(xml).close();
  } catch (e) {
    arreter(`XML mal formé : ${(e as Error).message.split('\n')[0]}`);
  }
  if (erreur) return { erreur, operation };
  if (racine?.local !== 'Envelope' || racine.uri !== ESPACE_SOAP) {
    const recu = racine ? (racine.uri ? `{${racine.uri}}${racine.local}` : racine.local) : 'rien';
    if (racine?.local === 'Envelope' && racine.uri === ESPACE_SOAP_12) {
      return { erreur: `enveloppe SOAP 1.2 ; ce service parle SOAP 1.1 (espace de noms ${ESPACE_SOAP})`, versionSoap12: true };
    }
    return { erreur: `l'élément racine doit être l'enveloppe SOAP 1.1 {${ESPACE_SOAP}}Envelope, reçu ${recu}` };
  }
  if (nonCompris) return { erreur: `l'en-tête ${nonCompris} est marqué mustUnderstand et ce service ne le traite pas`, nonCompris: true, operation };
  if (nbBody === 0) return { erreur: "l'enveloppe n'a pas de Body" };
  if (nbBody > 1) return { erreur: `l'enveloppe a ${nbBody} Body ; un seul est attendu`, operation };
  if (enfantsBody === 0) return { erreur: "le Body est vide ; il doit contenir l'élément de l'opération" };
  if (enfantsBody > 1) return { erreur: `le Body contient ${enfantsBody} éléments ; un seul est attendu, celui de l'opération`, operation };
  return { operation };
}

/** The first well-formedness error of an XML text (sax strict, as node-soap parses), undefined if none. */
function erreurXml(xml: string): string | undefined {
  const parser = sax.parser(true, {});
  let erreur: string | undefined;
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

/** XML text escaping, as node-soap escapes the faults it writes (`'` included). */
function echapper(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A whole fault envelope, for the refusals of the door (before or around node-soap): the same
 * WebBaseException detail as an operation's fault; faultcode Client for a bad message, Server otherwise.
 */
function enveloppeFault(namespace: string, problemes: Probleme[], faultcode: string): string {
  const f = faultDe(namespace, problemes).Fault;
  const d = (f.detail as Record<string, Record<string, unknown>>)['ns1:fault'];
  const items = (d.messages as { item: string[] }).item.map((i) => `<item>${echapper(i)}</item>`).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="${ESPACE_SOAP}"><soapenv:Body><soapenv:Fault>`
    + `<faultcode>${faultcode}</faultcode><faultstring>${echapper(String(f.faultstring))}</faultstring><detail>`
    + `<ns1:fault xmlns:ns1="${echapper(namespace)}"><domaine>${d.domaine}</domaine><element>${echapper(String(d.element))}</element>`
    + `<messages>${items}</messages><nature>${d.nature}</nature><type>${d.type}</type><lastErrorMsg>${echapper(String(d.lastErrorMsg))}</lastErrorMsg>`
    + '</ns1:fault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
