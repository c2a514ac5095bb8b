/**
 * Composition root: builds the data source, the services, the REST and SOAP doors, and serves them.
 * `demarrer()` is used by `npm start` and by the integration tests (on a fresh database each).
 */
import 'reflect-metadata';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { jsonTropProfond } from './domain/text';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import type { DataSource } from 'typeorm';
import { lireConfig, type Config } from './config';
import { creerLogger, type Logger } from './observability/logger';
import { Metriques, texteMetriques } from './observability/metriques';
import { diriger, instantanesDeLaGrappe, servirInstantanes } from './grappe';
import { prechauffer } from './application/prechauffage';
import cluster from 'node:cluster';
import { ouvrirBase } from './persistence/source';
import { DIAGNOSTIC_BASE, UniteDeTravail } from './persistence/unite-de-travail';
import { ServiceNomenclatures } from './application/nomenclatures';
import { ServiceOpi } from './application/opi';
import { Pipeline } from './application/pipeline';
import { ServiceLp } from './application/laissez-passer';
import { ServiceAcces } from './application/acces';
import { ServiceInscriptions } from './application/inscriptions';
import { MoteurJobs } from './application/jobs/moteur';
import { declarerOperations } from './application/operations';
import { ServicePieces } from './application/pieces';
import { ConsultationPieces } from './application/pieces-consultation';
import { ServiceRelances, type RapportRelances } from './application/relances-pj';
import { MessagerieSmtp } from './adapters/smtp/messagerie-smtp';
import { routesRelances } from './adapters/rest/routes-relances';
import { ServiceNotifications } from './application/notifications';
import { NotificateurParcoursup } from './adapters/platforms/notificateur-parcoursup';
import { routesNotifications } from './adapters/rest/routes-notifications';
import { AnalyseurFichiersBibliotheques } from './adapters/fichiers/analyseur';
import { StockageFichiersLocaux } from './storage/fichiers-locaux';
import { routesPieces } from './adapters/rest/routes-pieces';
import { typeChargementLp } from './application/jobs/chargement-lp';
import { sourceJointe, typeImport } from './application/jobs/import-opi';
import { FORMATS_IMPORT, JOINTURES_IMPORT, PAIRES_IMPORT } from './adapters/platforms/formats';
import { ClientParcoursup } from './adapters/platforms/client-parcoursup';
import { routesImports } from './adapters/rest/routes-imports';
import { routesParcoursup } from './adapters/rest/routes-parcoursup';
import { idRequete } from './adapters/rest/contexte';
import { gestionnaireErreurs, exigerAuthentification, exigerPortee } from './adapters/rest/probleme';
import { adresseDEcoute, ecouterMetriques } from './adapters/rest/ecoute';
import { limiteurDebit } from './adapters/rest/limites-debit';
import { creerServeurHttp } from './adapters/rest/serveur-http';
import { ServiceIdentites } from './application/identites';
import { ServiceRejeu } from './application/rejeu';
import { typeRejeu } from './application/jobs/rejeu-journal';
import { ServiceConservation } from './application/conservation';
import { ServiceRgpd } from './application/rgpd';
import { CoffreAes } from './adapters/chiffrement/coffre-aes';
import { DepotConservation } from './persistence/depot-conservation';
import { DepotStatistiques } from './persistence/depot-statistiques';
import { routesJournal } from './adapters/rest/routes-journal';
import cors from 'cors';
import { ServiceSessions } from './application/sessions';
import { ClientCas } from './adapters/cas/client-cas';
import { routesSession } from './adapters/rest/routes-session';
import { routesExplorateur } from './adapters/rest/explorateur';
import { routesConsole } from './adapters/rest/console';
import { middlewareAuthentification } from './adapters/rest/authentification';
import { routesOpi } from './adapters/rest/routes-opi';
import { routesReference } from './adapters/rest/routes-reference';
import { routesLp } from './adapters/rest/routes-lp';
import { routesInscriptions } from './adapters/rest/routes-inscriptions';
import { documentOpenApi } from './adapters/rest/openapi';
import { pageDocumentation } from './adapters/rest/page-documentation';
import { monterServiceSoap } from './adapters/soap/serveur-soap';
import { serviceOpiMetier } from './adapters/soap/opi-metier';
import { serviceLaissezPasserMetier } from './adapters/soap/laissez-passer-metier';
import { serviceInscriptionMetier } from './adapters/soap/inscription-metier';
import { servicePjOpiMetier } from './adapters/soap/pj-opi-metier';
import { ClientInes } from './adapters/ines/client-ines';
import { lecteurFichiers } from './adapters/batch/lecteurs';
import { ErreurMetier, probleme } from './domain/errors';

/** Deepest JSON accepted (an OPI is 4 levels deep). */
const PROFONDEUR_MAX_JSON = 32;

export interface Passerelle {
  app: Express;
  source: DataSource;
  services: {
    opi: ServiceOpi;
    nomenclatures: ServiceNomenclatures;
    unite: UniteDeTravail;
    lp: ServiceLp;
    chargements: MoteurJobs;
    acces: ServiceAcces;
    inscriptions: ServiceInscriptions;
    pipeline: Pipeline;
    pieces: ServicePieces;
    relances: ServiceRelances;
    notifications: ServiceNotifications;
    identites: ServiceIdentites;
    rejeu: ServiceRejeu;
    conservation: ServiceConservation;
    rgpd: ServiceRgpd;
    sessions: ServiceSessions;
  };
  logger: Logger;
  /** Listens; resolves with the bound port. */
  ecouter(port?: number, host?: string): Promise<number>;
  /** Stops accepting, lets requests in flight finish, closes the database. */
  arreter(): Promise<void>;
}

export interface OptionsDemarrage {
  /**
   * false: the services only (a CLI): no resume of bulk jobs, no job sweep, no scheduled reminders.
   * Default true.
   */
  arrierePlan?: boolean;
  /** The reminders' clock (tests move it to another period). */
  maintenant?: () => Date;
  /** Delay before the first scheduled reminder run (default: a minute, or one interval if shorter); tests shorten it. */
  delaiPremiereRelanceMs?: number;
}

export async function demarrer(config: Config = lireConfig(), options: OptionsDemarrage = {}): Promise<Passerelle> {
  const arrierePlan = options.arrierePlan !== false;
  if (config.croissanceTasPourcent > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.croissanceTasPourcent}`);
  const logger = creerLogger(config.niveauLog);
  const source = await ouvrirBase(config.base);
  // A request's transaction ends within two query timeouts and one acquisition (see ConfigBase).
  const unite = new UniteDeTravail(source, undefined, 2 * (config.base.delaiRequeteMs ?? 30_000) + (config.base.delaiAcquisitionMs ?? 10_000));
  const nomenclatures = new ServiceNomenclatures(unite);
  const charges = await nomenclatures.chargerManquantes(config.dossierNomenclatures);
  if (charges.length) logger.info('nomenclatures par défaut chargées', { dossier: config.dossierNomenclatures, nomenclatures: charges });
  const metriques = new Metriques();
  const identites = new ServiceIdentites(unite, config.clesApi);
  // Without JOURNAL_CLE nothing is kept for replay: said once, at start.
  const coffre = config.cleJournal ? new CoffreAes(config.cleJournal, config.clesJournalAnciennes) : undefined;
  if (!coffre && arrierePlan)
    logger.warn('JOURNAL_CLE absente : les messages reçus ne sont pas gardés, le rejeu est indisponible (voir docs/journal-et-donnees.md)');
  const pipeline = new Pipeline(unite, DIAGNOSTIC_BASE, logger, metriques, coffre);
  const rejeu = new ServiceRejeu(unite, pipeline, identites);
  const sessions = new ServiceSessions(unite, identites, {
    inactiviteMs: config.sessions.inactiviteMinutes * 60_000,
    dureeMaxMs: config.sessions.dureeHeures * 3600_000,
  });
  const opi = new ServiceOpi(
    unite,
    nomenclatures,
    config.anneeCampagne,
    config.ines ? new ClientInes(config.ines.url, config.ines.delaiMs, config.ines.jeton) : undefined,
  );
  const lp = new ServiceLp(unite, nomenclatures);
  const chargements = new MoteurJobs(unite, lecteurFichiers, logger, config.dossierLots, metriques, DIAGNOSTIC_BASE);
  chargements.retentionFichiersMs = config.retentionFichiersLotsHeures * 3600_000;
  chargements.dureeBailMs = config.bailJobsSecondes * 1000;
  chargements.declarerType(typeChargementLp(lp));
  chargements.declarerType(typeRejeu(unite, rejeu));
  for (const f of FORMATS_IMPORT) {
    const j = JOINTURES_IMPORT[f.nom];
    chargements.declarerType(
      typeImport(f, opi, nomenclatures, { anneeCampagne: config.anneeCampagne, source: j ? sourceJointe(j.colonnes, j.cle, j.champ) : undefined }),
    );
  }
  const acces = new ServiceAcces(unite, nomenclatures);
  const inscriptions = new ServiceInscriptions(unite, acces, nomenclatures);

  const stockage = new StockageFichiersLocaux(config.dossierPj);
  const pieces = new ServicePieces(unite, nomenclatures, acces, new AnalyseurFichiersBibliotheques(), stockage);
  const consultationPieces = new ConsultationPieces(unite, pieces);
  const depotConservation = new DepotConservation(unite);
  const conservation = new ServiceConservation(unite, depotConservation, stockage, config.conservation, logger, (m) => chargements.nettoyerFichiers(m));
  const rgpd = new ServiceRgpd(unite, depotConservation, stockage, conservation, coffre);
  // Reminders of missing documents: without SMTP_URL a run answers MESSAGERIE_NON_CONFIGUREE (a simulation still works).
  const messagerie = config.smtp.url ? new MessagerieSmtp({ url: config.smtp.url, de: config.smtp.de }) : undefined;
  const relances = new ServiceRelances(
    unite,
    consultationPieces,
    messagerie,
    { periodeJours: config.relancesPj.periodeJours, de: config.smtp.de, maintenant: options.maintenant },
    logger,
  );

  // Parcoursup pull (getCandidatsAdmis), on a schedule when PARCOURSUP_URL and PARCOURSUP_INTERVALLE are set.
  const tirageParcoursup =
    config.parcoursup && config.intervalleParcoursup
      ? new ClientParcoursup(
          { ...config.parcoursup, delaiMs: config.notificationsParcoursup.delaiAppelMs, intervalleMinutes: config.intervalleParcoursup },
          { pipeline, nomenclatures, anneeCampagne: config.anneeCampagne, logger },
        )
      : undefined;

  // Parcoursup back-channel: an IA of a Parcoursup OPI validated or cancelled writes its notification in
  // the outbox whatever the configuration; it is delivered in the background only when PARCOURSUP_URL is set.
  const envoi = config.notificationsParcoursup;
  const notifications = new ServiceNotifications(
    unite,
    config.parcoursup ? [new NotificateurParcoursup({ ...config.parcoursup, delaiMs: envoi.delaiAppelMs })] : [],
    {
      tentatives: envoi.tentatives,
      delaiInitialMs: envoi.delaiInitialMs,
      delaiMaxMs: envoi.delaiMaxMs,
      intervalleMs: envoi.intervalleMs,
      dureeBailMs: Math.max(60_000, 3 * envoi.delaiAppelMs),
    },
    logger,
  );
  inscriptions.surChangementEtat = () => notifications.reveiller();

  declarerOperations(pipeline, {
    unite,
    opi,
    lp,
    acces,
    inscriptions,
    nomenclatures,
    moteur: chargements,
    pieces,
    consultationPieces,
    formatsImport: FORMATS_IMPORT.map((f) => f.nom),
    relances,
    notifications,
    rejeu,
    conservation,
    rgpd,
    statistiques: new DepotStatistiques(source),
  });

  const app = express();
  app.locals.logger = logger;
  app.disable('x-powered-by');
  app.set('trust proxy', config.confianceProxy);
  app.locals.pipeline = pipeline;
  // First: requests in progress are tracked, so that a shutdown lets them finish.
  const http = creerServeurHttp(app, { delaiEntetesMs: config.delais.entetesMs, delaiInactiviteMs: config.delais.inactiviteMs });
  app.use(http.suivi);
  app.use(idRequete);
  // An URL whose %XX sequences are no valid UTF-8 would reach the routes as U+FFFD, silently: refused.
  app.use((req, _res, next) => {
    try {
      decodeURIComponent(req.url);
      next();
    } catch {
      next(new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail: "l'adresse contient une séquence %XX qui n'est pas de l'UTF-8 valide" })], 400));
    }
  });
  // Security headers on every answer (CSP, nosniff, frame refusal, HSTS…); the docs page has inline styles only.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"] } } }));
  // One access-log line per HTTP request (level `http`), with its request id, status and duration.
  app.use((req, res, next) => {
    const debut = process.hrtime.bigint();
    res.on('finish', () => {
      metriques.requete(res.statusCode);
      // Checked first: below LOG_LEVEL=http, winston would still build and format the line, then drop it.
      if (!logger.isLevelEnabled('http')) return;
      logger.http('requete', {
        requestId: req.headers['x-request-id'],
        methode: req.method,
        chemin: req.originalUrl.split('?')[0],
        statut: res.statusCode,
        dureeMs: Number((process.hrtime.bigint() - debut) / 1_000_000n),
      });
    });
    next();
  });
  // CORS only for the origins configured (CORS_ORIGINS), answered before authentication (a preflight carries no credentials).
  if (config.corsOrigines.length)
    app.use(
      '/api/v1',
      cors({
        origin: config.corsOrigines,
        allowedHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'Idempotency-Key', 'X-Request-Id', 'Content-Disposition'],
        exposedHeaders: ['Location', 'X-Request-Id', 'Retry-After'],
        maxAge: 600,
      }),
    );
  app.use(middlewareAuthentification(identites, config.authDesactivee, sessions));
  const debit = await limiteurDebit(
    { ...config.limitesDebit, limiterAnonymes: () => config.authDesactivee, redisUrl: config.redisUrl },
    pipeline,
    logger,
  ).catch(async (err) => {
    await source.destroy();
    throw err;
  });
  app.use(debit.middleware);

  app.get('/health', (_req, res) => {
    res.json({ statut: 'ok', base: config.base.type, rejeuxTransactions: unite.rejeux, uptimeS: Math.round(process.uptime()) });
  });
  // With several processes (WORKERS), any of them answers for all: the counters of each, summed.
  const instantane = () => metriques.instantane({ rejeuxTransactions: unite.rejeux });
  servirInstantanes(instantane);
  const texteDesMetriques = async () => texteMetriques(await instantanesDeLaGrappe(instantane));
  // On the main port, behind `metriques:lire`; with METRICS_PORT, only on a loopback listener of its own.
  if (config.portMetriques === undefined)
    app.get('/metrics', exigerAuthentification, exigerPortee('metriques:lire'), async (_req, res) => {
      res.type('text/plain; version=0.0.4; charset=utf-8').send(await texteDesMetriques());
    });
  app.get('/ready', async (_req, res) => {
    try {
      // Within a second, whatever the database does (a frozen server must not make the probe hang).
      await Promise.race([
        source.query('SELECT 1'),
        new Promise((_r, rejeter) => setTimeout(() => rejeter(new Error('la base ne répond pas en 1 s')), 1000).unref()),
      ]);
      res.json({ statut: 'pret', base: config.base.type });
    } catch (err) {
      logger.warn('ready: base injoignable', { err: String(err) });
      res.status(503).json({ statut: 'indisponible', base: config.base.type });
    }
  });

  // SOAP doors first: they read their own (XML) bodies.
  monterServiceSoap(app, serviceOpiMetier(pipeline), config.tailleMaxSoap, pipeline, identites, debit.middleware);
  monterServiceSoap(app, serviceLaissezPasserMetier(pipeline), config.tailleMaxSoap, pipeline, identites, debit.middleware);
  monterServiceSoap(app, serviceInscriptionMetier(pipeline), config.tailleMaxSoap, pipeline, identites, debit.middleware);
  monterServiceSoap(
    app,
    servicePjOpiMetier(pipeline, { dossierReception: path.join(config.dossierPj, 'reception') }),
    config.tailleMaxSoap,
    pipeline,
    identites,
    debit.middleware,
  );

  const api = express.Router();
  const openapi = documentOpenApi(FORMATS_IMPORT.map((f) => f.nom));
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use(routesExplorateur(pageDocumentation(openapi)));
  api.use(
    routesSession({
      sessions,
      cookieSecure: config.sessions.cookieSecure,
      cas: config.casUrl ? new ClientCas(config.casUrl) : undefined,
      urlPublique: config.urlPublique,
    }),
  );
  api.use(routesParcoursup({ pipeline, nomenclatures, anneeCampagne: config.anneeCampagne, clients: config.clientsParcoursup }));
  // Authentication before any body is read: an unauthenticated caller cannot make us parse a large body.
  api.use(exigerAuthentification);
  const json = express.json({
    limit: config.tailleMaxCorps,
    type: ['application/json', 'application/*+json'],
    // Nesting is bounded before parsing: no record is deeper than a few levels, and deep ones would reach recursive code.
    verify: (_req, _res, octets) => {
      if (jsonTropProfond(octets, PROFONDEUR_MAX_JSON)) throw ErreurMetier.une('PROFONDEUR_EXCESSIVE', '', { max: PROFONDEUR_MAX_JSON });
    },
  });
  // Bulk files (JSON arrays included) are streamed to disk by their route, never parsed in memory here.
  // Supporting documents too: their bytes are streamed to disk by their route.
  const enFlux = (req: express.Request) =>
    req.path === '/laissez-passer/bulk' || req.path === '/imports' || (req.method === 'PUT' && /^\/opi\/[^/]+\/pj\/[^/]+$/.test(req.path));
  api.use((req, res, next) => (enFlux(req) ? next() : json(req, res, next)));
  api.use(routesOpi(pipeline));
  api.use(routesLp({ pipeline, moteur: chargements, tailleMaxLot: config.tailleMaxLot }));
  api.use(routesInscriptions(pipeline));
  api.use(routesPieces({ pipeline, dossierReception: path.join(config.dossierPj, 'reception'), tailleMax: config.tailleMaxPj }));
  api.use(routesRelances(pipeline));
  api.use(routesNotifications(pipeline));
  api.use(routesImports({ pipeline, dossier: config.dossierLots, tailleMax: config.tailleMaxLot, paires: PAIRES_IMPORT }));
  api.use(routesJournal(pipeline, rgpd));
  api.use(routesReference(pipeline));
  app.get('/', (_req, res) => {
    res.redirect('/api/v1/docs');
  });
  app.use(routesConsole());
  app.use('/api/v1', api);
  app.use((req, _res, next) => next(new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `${req.method} ${req.path}` })], 404)));
  app.use(gestionnaireErreurs);

  if (arrierePlan) {
    await chargements.reprendre();
    chargements.demarrerBalayage();
  }
  if (arrierePlan) notifications.demarrer();
  // The retention purge, journaled like any operation, on one node at a time.
  if (arrierePlan && config.conservation.intervalleHeures > 0)
    conservation.demarrer(
      () => pipeline.executer({ porte: 'BATCH', client: 'planificateur', requestId: randomUUID() }, 'retention.purger', { simulation: false }),
      config.conservation.intervalleHeures * 3600_000,
    );
  // Stored files no document refers to any more (a deposit whose transaction failed, a crash mid-copy): removed daily.
  const nettoyage = setInterval(() => {
    Promise.all([pieces.nettoyerStockage(), stockage.nettoyerTemporaires(), sessions.purger()]).catch((err) =>
      logger.error('nettoyage des pièces et des sessions', { err: String(err) }),
    );
  }, 24 * 3600_000);
  nettoyage.unref();

  // Scheduled reminders (RELANCE_PJ_INTERVALLE), started once listening: the first run a minute after
  // (or one interval, if shorter), then one interval after each run ends. Another node's run in
  // progress (RELANCE_EN_COURS) is the normal case with several nodes: this one waits for the next turn.
  let minuterieRelances: NodeJS.Timeout | undefined;
  let relancesArretees = false;
  let relancePlanifiee: Promise<unknown> | undefined;
  const planifierRelances = (delaiMs: number) => {
    if (relancesArretees) return;
    minuterieRelances = setTimeout(() => {
      const ctx = { porte: 'BATCH' as const, client: 'planificateur', requestId: randomUUID() };
      relancePlanifiee = pipeline
        .executer<RapportRelances>(ctx, 'pj.relancer', { simulation: false })
        .catch((err) => {
          const code = err instanceof ErreurMetier ? err.problemes[0]?.code : undefined;
          if (code === 'RELANCE_EN_COURS') logger.info('relances planifiées : une autre exécution est en cours', { requestId: ctx.requestId });
          else logger.error('relances planifiées', { requestId: ctx.requestId, err: String(err) });
        })
        .finally(() => planifierRelances(config.relancesPj.intervalleMinutes! * 60_000));
    }, delaiMs);
    minuterieRelances.unref();
  };

  let ecoute = false;
  let serveurMetriques: Server | undefined;
  return {
    app,
    source,
    logger,
    services: {
      opi,
      nomenclatures,
      unite,
      lp,
      chargements,
      acces,
      inscriptions,
      pipeline,
      pieces,
      relances,
      notifications,
      identites,
      rejeu,
      conservation,
      rgpd,
      sessions,
    },
    async ecouter(port = config.port, hote?: string) {
      const host = hote ?? (await adresseDEcoute(config, identites, logger));
      if (config.portMetriques !== undefined) serveurMetriques = await ecouterMetriques(config.portMetriques, texteDesMetriques, logger);
      return new Promise((resolve, reject) => {
        http.serveur.once('error', reject);
        http.serveur.listen(port, host, () => {
          http.serveur.off('error', reject);
          ecoute = true;
          const adresse = http.serveur.address();
          const intervalle = config.relancesPj.intervalleMinutes;
          if (arrierePlan && intervalle) planifierRelances(options.delaiPremiereRelanceMs ?? Math.min(60_000, intervalle * 60_000));
          if (arrierePlan) tirageParcoursup?.demarrer();
          resolve(typeof adresse === 'object' && adresse ? adresse.port : port);
        });
      });
    },
    async arreter() {
      // HTTP first: no new request, those in progress finish (up to the deadline) while the database is still open.
      if (ecoute) {
        const coupees = await http.fermer(config.delais.arretMs);
        if (coupees) logger.warn("arrêt : requêtes coupées à l'échéance", { coupees, delaiMs: config.delais.arretMs });
      }
      relancesArretees = true;
      clearTimeout(minuterieRelances);
      await relances.arreter();
      conservation.arreter();
      await notifications.arreter();
      await relancePlanifiee;
      messagerie?.fermer();
      clearInterval(nettoyage);
      await tirageParcoursup?.arreter();
      await chargements.arreter();
      await pipeline.refusAgreges.arreter();
      serveurMetriques?.close();
      await debit.fermer();
      if (source.isInitialized) await source.destroy();
    },
  };
}

if (require.main === module) {
  let config: Config;
  try {
    config = lireConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (config.processus > 1 && cluster.isPrimary) {
    const logger = creerLogger(config.niveauLog);
    logger.info('passerelle : un processus par cœur', { processus: config.processus, port: config.port });
    diriger({ processus: config.processus, logger, arretMs: config.delais.arretMs, compteursDebitIci: !config.redisUrl }).then(
      (code) => process.exit(code),
      (err) => {
        console.error(`Démarrage impossible : ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  } else {
    demarrer(config)
      .then(async (p) => {
        await prechauffer(p.services.pipeline);
        const port = await p.ecouter();
        p.logger.info('passerelle démarrée', { port, base: config.base.type, url: `http://localhost:${port}/api/v1/docs` });
        let arretDemande = false;
        const arret = (signal: string) => {
          // A worker hears both the terminal's SIGINT and its primary's SIGTERM: one stop.
          if (arretDemande) return;
          arretDemande = true;
          p.logger.info('arrêt demandé', { signal });
          p.arreter().then(
            () => process.exit(0),
            (err) => {
              p.logger.error('arrêt', { err: String(err) });
              process.exit(1);
            },
          );
        };
        process.once('SIGTERM', () => arret('SIGTERM'));
        process.once('SIGINT', () => arret('SIGINT'));
        // A worker whose primary is gone (killed) stops instead of serving on alone.
        if (cluster.isWorker) process.once('disconnect', () => arret('disconnect'));
      })
      .catch((err) => {
        console.error(`Démarrage impossible : ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      });
  }
}
