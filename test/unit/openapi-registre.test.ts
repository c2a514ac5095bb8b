/**
 * The OpenAPI document against the operation registry and the REST routers: every registry operation a
 * router serves is documented once, at the router's path and method, with the registry's operationId,
 * tag and summary. The routers are read as they are: each route handler is called once with a stub
 * pipeline that records the operation it names and stops there.
 */
import { routesJournal } from '../../src/adapters/rest/routes-journal';
import type { ServiceRgpd } from '../../src/application/rgpd';
import { routesSession } from '../../src/adapters/rest/routes-session';
import type { ServiceSessions } from '../../src/application/sessions';
import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TECHNIQUES, documentOpenApi } from '../../src/adapters/rest/openapi';
import { routesInscriptions } from '../../src/adapters/rest/routes-inscriptions';
import { routesLp } from '../../src/adapters/rest/routes-lp';
import { routesOpi } from '../../src/adapters/rest/routes-opi';
import { routesReference } from '../../src/adapters/rest/routes-reference';
import { routesPieces } from '../../src/adapters/rest/routes-pieces';
import { routesRelances } from '../../src/adapters/rest/routes-relances';
import { routesNotifications } from '../../src/adapters/rest/routes-notifications';
import { routesImports } from '../../src/adapters/rest/routes-imports';
import { OPERATIONS, estOperation, type NomOperation } from '../../src/application/registre';
import type { Pipeline } from '../../src/application/pipeline';
import { versEtat, type MoteurJobs } from '../../src/application/jobs/moteur';
import type { JobLigne } from '../../src/application/enregistrements';

type Json = Record<string, unknown>;
interface OperationDoc extends Json {
  operationId?: string;
  tags?: string[];
  summary?: string;
  'x-operation'?: string;
  responses: Json;
}
interface Document {
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
}

const METHODES = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** Every operation of the document: path, method, operation object. */
function operationsDu(doc: Document): { chemin: string; methode: string; o: OperationDoc }[] {
  return Object.entries(doc.paths).flatMap(([chemin, item]) =>
    METHODES.filter((m) => item[m]).map((methode) => ({ chemin, methode, o: item[methode] as OperationDoc })),
  );
}

interface RouteRest {
  /** Lower-case HTTP method, or `*` for a route that answers every method (`router.all`). */
  methode: string;
  /** OpenAPI form: `/api/v1/jobs/{id}`. */
  chemin: string;
  /** The registry operation the handler hands to the pipeline, if any. */
  operation?: string;
}

interface Couche {
  method?: string;
  handle: (req: unknown, res: unknown, next: () => void) => unknown;
}
interface RouteExpress {
  path: string;
  stack: Couche[];
}

const ARRET = new Error('arrêt du test : opération notée');

/** The routes of the REST routers (mounted under /api/v1 by the server), each with the operation it serves. */
async function routesRest(): Promise<RouteRest[]> {
  let notee: string | undefined;
  const noter = async (_ctx: unknown, nom: string): Promise<never> => {
    notee ??= nom;
    throw ARRET;
  };
  // A door that streams an upload checks the caller's access first (verifierAcces names the operation too).
  const verifierAcces = (_ctx: unknown, nom: string): never => {
    notee ??= nom;
    throw ARRET;
  };
  const pipeline = { executer: noter, refuser: noter, verifierAcces, traduire: (e: unknown) => e } as unknown as Pipeline;
  const moteur = {
    dossier: '/nonexistent',
    attendre: () => Promise.reject(ARRET),
    rejets: () => Promise.reject(ARRET),
    etat: () => Promise.reject(ARRET),
  } as unknown as MoteurJobs;
  const routeurs = [
    routesOpi(pipeline),
    routesLp({ pipeline, moteur, tailleMaxLot: 1 }),
    routesInscriptions(pipeline),
    routesReference(pipeline),
    routesPieces({ pipeline, dossierReception: '/nonexistent', tailleMax: 1 }),
    routesRelances(pipeline),
    routesNotifications(pipeline),
    routesImports({ pipeline, dossier: '/nonexistent', tailleMax: 1, paires: {} }),
    routesJournal(pipeline, {} as ServiceRgpd),
    routesSession({ sessions: { options: { inactiviteMs: 1 } } as unknown as ServiceSessions, cookieSecure: 'auto' }),
  ];
  const res: unknown = new Proxy({}, { get: (_t, _k, recepteur) => () => recepteur });
  const routes: RouteRest[] = [];
  for (const routeur of routeurs) {
    for (const couche of (routeur as unknown as { stack: { route?: RouteExpress }[] }).stack) {
      if (!couche.route) continue;
      for (const gestionnaire of couche.route.stack) {
        const req = {
          method: (gestionnaire.method ?? 'get').toUpperCase(),
          path: couche.route.path,
          query: {},
          body: {},
          headers: {},
          params: new Proxy({}, { get: () => 'x' }),
          get: () => undefined,
          is: () => false,
        };
        notee = undefined;
        try {
          await gestionnaire.handle(req, res, () => undefined);
        } catch {
          // The stub stops every handler at its pipeline call; the others stop on the stub request.
        }
        routes.push({ methode: gestionnaire.method ?? '*', chemin: `/api/v1${couche.route.path.replace(/:(\w+)/g, '{$1}')}`, operation: notee });
      }
    }
  }
  return routes;
}

describe('OpenAPI et registre des opérations', () => {
  let doc: Document;
  let routes: RouteRest[];
  before(async () => {
    doc = documentOpenApi() as unknown as Document;
    routes = await routesRest();
  });

  it('les routeurs REST servent des opérations du registre (le relevé des routes fonctionne)', () => {
    const servies = routes.filter((r) => r.operation).map((r) => r.operation!);
    expect(servies.length).to.be.greaterThan(20);
    for (const nom of servies) expect(estOperation(nom), nom).to.equal(true);
    expect(servies).to.include.members(['lp.charger', 'jobs.lister', 'jobs.annuler', 'ia.payer', 'ia.valider', 'ia.annuler', 'journal.lire']);
  });

  it('chaque opération du registre servie en REST est décrite une fois, à son chemin et sa méthode, avec son operationId, son tag et son résumé', () => {
    const ops = operationsDu(doc);
    const servies = routes.filter((r): r is RouteRest & { operation: NomOperation } => r.operation !== undefined);
    for (const nom of new Set(servies.map((r) => r.operation))) {
      const meta = OPERATIONS[nom];
      const trouvees = ops.filter((x) => x.o.operationId === meta.operationId);
      expect(trouvees, `${nom} (${meta.operationId})`).to.have.length(1);
      const [{ chemin, methode, o }] = trouvees;
      expect(o.tags, nom).to.deep.equal([meta.tag]);
      expect(o.summary, nom).to.equal(meta.resume);
      expect(o['x-operation'], nom).to.equal(nom);
      expect(
        servies.filter((r) => r.operation === nom).map((r) => `${r.methode} ${r.chemin}`),
        nom,
      ).to.deep.equal([`${methode} ${chemin}`]);
    }
    // And the other way: an operation the document gives to the registry is the one its route serves.
    for (const { chemin, methode, o } of ops.filter((x) => x.o['x-operation'] !== undefined)) {
      expect(servies.find((r) => r.chemin === chemin && r.methode === methode)?.operation, `${methode} ${chemin}`).to.equal(o['x-operation']);
    }
  });

  it('les routes hors registre sont décrites avec leur operationId (Documentation, Technique) ; les chemins fixes à 405 le disent', () => {
    const ops = operationsDu(doc);
    for (const t of Object.values(TECHNIQUES)) {
      const trouvees = ops.filter((x) => x.o.operationId === t.operationId);
      expect(trouvees, t.operationId).to.have.length(1);
      expect(trouvees[0].o.tags).to.deep.equal([t.tag]);
      expect(trouvees[0].o['x-operation']).to.equal(undefined);
    }
    for (const r of routes.filter((x) => !x.operation)) {
      if (r.methode === '*') {
        // router.all on a fixed path: every method but the documented one is refused with 405 and Allow.
        const item = doc.paths[r.chemin] as Json & { post: OperationDoc };
        expect(item, r.chemin).to.be.an('object');
        expect(item.description).to.contain('405').and.contain('Allow');
        expect(item.post.responses[405]).to.deep.equal({ $ref: '#/components/responses/MethodeNonAutorisee' });
        continue;
      }
      const motif = new RegExp(`^${r.chemin.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
      const decrites = ops.filter((x) => motif.test(x.chemin) && x.methode === r.methode);
      expect(decrites, `${r.methode} ${r.chemin}`).to.have.length.greaterThan(0);
      for (const x of decrites) expect(['Documentation', 'Technique', 'Console']).to.include(x.o.tags?.[0]);
    }
  });

  it('les operationIds sont uniques et chaque opération a un tag déclaré', () => {
    const ops = operationsDu(doc);
    const ids = ops.map((x) => x.o.operationId);
    for (const x of ops)
      expect(x.o.operationId, `${x.methode} ${x.chemin}`)
        .to.be.a('string')
        .and.match(/^[a-z][A-Za-z0-9]+$/);
    expect(new Set(ids).size, ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')).to.equal(ids.length);
    const declares = doc.tags.map((t) => t.name);
    expect(new Set(declares).size).to.equal(declares.length);
    for (const t of doc.tags) expect(t.description, t.name).to.be.a('string').and.not.equal('');
    for (const x of ops) {
      expect(x.o.tags, `${x.methode} ${x.chemin}`).to.have.length(1);
      expect(declares).to.include(x.o.tags![0]);
    }
    expect(declares).to.have.members([...new Set(ops.map((x) => x.o.tags![0]))]);
    expect(declares).to.include.members([...new Set(Object.values(OPERATIONS).map((m) => m.tag)), 'Documentation', 'Technique', 'Console']);
  });

  it('décrit les nouveautés : liste et annulation des chargements, simulation, filtre individu, EtatJob et EntreeJournal', () => {
    const d = doc as unknown as Document & { components: { schemas: Record<string, Json & { properties: Record<string, Json>; required?: string[] }> } };
    const params = (o: unknown) => (o as { parameters: { name?: string }[] }).parameters.map((x) => x.name).filter(Boolean);
    const listerJobs = d.paths['/api/v1/jobs'].get as OperationDoc;
    expect(params(listerJobs)).to.include.members(['type', 'etat', 'client', 'depuis', 'limite', 'avant']);
    const annulation = d.paths['/api/v1/jobs/{id}/annulation'].post as OperationDoc;
    expect(Object.keys(annulation.responses)).to.include.members(['200', '202', '404', '409']);
    expect(params(d.paths['/api/v1/laissez-passer/bulk'].post)).to.include('simulation');
    expect(params(d.paths['/api/v1/journal'].get)).to.include('individu');
    const etat = d.components.schemas.EtatJob;
    expect(Object.keys(etat.properties)).to.deep.equal([
      'id',
      'type',
      'etat',
      'mode',
      'simulation',
      'format',
      'nomFichier',
      'client',
      'lignesLues',
      'lignesEcrites',
      'lignesRejetees',
      'creees',
      'misesAJour',
      'inchangees',
      'annulationDemandee',
      'lignesTotal',
      'debit',
      'resteSecondes',
      'creeLe',
      'debutLe',
      'finLe',
      'erreur',
    ]);
    // The fields the engine really answers with (versEtat), no more, no less.
    const job = {
      id: 'j',
      type: 'LP_CHARGEMENT',
      etat: 'EN_ATTENTE',
      mode: 'partiel',
      format: 'csv',
      nomFichier: null,
      client: 'c',
      lignesLues: 0,
      lignesRejetees: 0,
      creees: 0,
      misesAJour: 0,
      inchangees: 0,
      creeLe: new Date(),
      debutLe: null,
      finLe: null,
      erreur: null,
      simulation: 0,
      annulationDemandee: 0,
    } as unknown as JobLigne;
    expect(Object.keys(etat.properties)).to.have.members(Object.keys(versEtat(job)));
    expect(etat.required).to.have.members(Object.keys(versEtat(job)));
    expect(etat.properties.etat.enum).to.deep.equal(['EN_ATTENTE', 'EN_COURS', 'TERMINE', 'REJETE', 'ECHOUE', 'ANNULE']);
    expect(Object.keys(d.components.schemas.EntreeJournal.properties)).to.deep.equal([
      'id',
      'recuLe',
      'porte',
      'operation',
      'client',
      'requestId',
      'cle',
      'individu',
      'empreinte',
      'rejeuDe',
      'rejouable',
      'resultat',
      'statut',
      'codes',
      'dureeMs',
      'nombre',
      'details',
    ]);
  });

  it('le document reste un OpenAPI 3.1 valide (schéma officiel)', async () => {
    const v = new Validator();
    const r = await v.validate(documentOpenApi());
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    expect(r.valid).to.equal(true);
    expect(v.version).to.equal('3.1');
  });
});
