/**
 * The composition of src/server.ts (services, job engine, every operation declared in the pipeline)
 * on the in-memory fakes, without HTTP nor SOAP: use-case tests call `pipeline.executer` as a door would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import type { Logger } from '../../src/observability/logger';
import { Metriques } from '../../src/observability/metriques';
import { ServiceNomenclatures } from '../../src/application/nomenclatures';
import { ServiceOpi } from '../../src/application/opi';
import { Pipeline, type ContexteAppel } from '../../src/application/pipeline';
import { ServiceLp } from '../../src/application/laissez-passer';
import { ServiceAcces } from '../../src/application/acces';
import { ServiceInscriptions } from '../../src/application/inscriptions';
import { MoteurJobs } from '../../src/application/jobs/moteur';
import { declarerOperations } from '../../src/application/operations';
import { ServicePieces } from '../../src/application/pieces';
import { ConsultationPieces } from '../../src/application/pieces-consultation';
import { ServiceRelances } from '../../src/application/relances-pj';
import { ServiceNotifications, type OptionsNotifications } from '../../src/application/notifications';
import { AnalyseurFichiersBibliotheques } from '../../src/adapters/fichiers/analyseur';
import { StockageFichiersLocaux } from '../../src/storage/fichiers-locaux';
import { typeChargementLp } from '../../src/application/jobs/chargement-lp';
import { typeImport } from '../../src/application/jobs/import-opi';
import type { TypeJob } from '../../src/application/jobs/type-job';
import type { CoffreCharges, FormatImport, Messagerie, Notificateur, VerificateurInes } from '../../src/application/ports';
import { ServiceRejeu } from '../../src/application/rejeu';
import { typeRejeu } from '../../src/application/jobs/rejeu-journal';
import { ErreurMetier } from '../../src/domain/errors';
import { UniteMemoire } from './depots-memoire';
import { LecteurMemoire } from './lecteur-memoire';

/** Depuis dist/test/fakes : la racine du dépôt est trois niveaux plus haut. */
export const DOSSIER_NOMENCLATURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'nomenclatures');

export interface EntreeLog {
  level: string;
  message: string;
  [k: string]: unknown;
}

/** A silent winston logger: the entries are kept (for assertions), never printed. */
function loggerSilencieux(): { logger: Logger; entrees: EntreeLog[] } {
  const entrees: EntreeLog[] = [];
  const flux = new Writable({
    objectMode: true,
    write(info: EntreeLog, _enc, suite) {
      entrees.push(info);
      suite();
    },
  });
  return { logger: winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: flux })] }), entrees };
}

export interface PasserelleMemoire {
  unite: UniteMemoire;
  lecteur: LecteurMemoire;
  pipeline: Pipeline;
  nomenclatures: ServiceNomenclatures;
  opi: ServiceOpi;
  lp: ServiceLp;
  acces: ServiceAcces;
  inscriptions: ServiceInscriptions;
  moteur: MoteurJobs;
  metriques: Metriques;
  logger: Logger;
  pieces: ServicePieces;
  stockage: StockageFichiersLocaux;
  relances: ServiceRelances;
  /** The outbox's delivery (no timer: tests call `passer()`). */
  notifications: ServiceNotifications;
  /** What the logger received. */
  logs: EntreeLog[];
  /** The job engine's folder (a temporary one), where uploads are dropped. */
  dossierLots: string;
  /** Stops the job engine and the refusal aggregation, removes the temporary folder. */
  fermer(): Promise<void>;
}

export async function composerEnMemoire(
  options: {
    anneeCampagne?: string;
    ines?: VerificateurInes;
    /** The reminders' e-mail (none: a reminder run answers MESSAGERIE_NON_CONFIGUREE), period length and clock. */
    messagerie?: Messagerie;
    relances?: { periodeJours?: number; maintenant?: () => Date };
    /** The receivers of the outbox (none: notifications are written, never delivered) and the delivery's options. */
    notificateurs?: Notificateur[];
    notifications?: Partial<OptionsNotifications>;
    /** Import formats to declare (job types `IMPORT_…`), with an optional joined source each. */
    formats?: { format: FormatImport; source?: NonNullable<TypeJob['source']> }[];
    /** Seals kept payloads (none: nothing kept, replay unavailable). */
    coffre?: CoffreCharges;
  } = {},
): Promise<PasserelleMemoire> {
  const { logger, entrees: logs } = loggerSilencieux();
  const unite = new UniteMemoire();
  const lecteur = new LecteurMemoire();
  const dossierLots = mkdtempSync(path.join(os.tmpdir(), 'lots-memoire-'));
  const nomenclatures = new ServiceNomenclatures(unite);
  await nomenclatures.chargerManquantes(DOSSIER_NOMENCLATURES);
  const metriques = new Metriques();
  const pipeline = new Pipeline(unite, unite.diagnostic, logger, metriques, options.coffre);
  const rejeu = new ServiceRejeu(unite, pipeline);
  const opi = new ServiceOpi(unite, nomenclatures, options.anneeCampagne, options.ines);
  const lp = new ServiceLp(unite, nomenclatures);
  const moteur = new MoteurJobs(unite, lecteur, logger, dossierLots, metriques, unite.diagnostic);
  moteur.declarerType(typeChargementLp(lp));
  moteur.declarerType(typeRejeu(unite, rejeu));
  for (const f of options.formats ?? [])
    moteur.declarerType(typeImport(f.format, opi, nomenclatures, { anneeCampagne: options.anneeCampagne, source: f.source }));
  const acces = new ServiceAcces(unite, nomenclatures);
  const inscriptions = new ServiceInscriptions(unite, acces, nomenclatures);

  // Documents: the real file analyser and a content-addressed store in the temporary folder (no database involved).
  const stockage = new StockageFichiersLocaux(path.join(dossierLots, 'pj'));
  const pieces = new ServicePieces(unite, nomenclatures, acces, new AnalyseurFichiersBibliotheques(), stockage);
  const consultationPieces = new ConsultationPieces(unite, pieces);
  const relances = new ServiceRelances(
    unite,
    consultationPieces,
    options.messagerie,
    { periodeJours: options.relances?.periodeJours ?? 7, de: 'scolarite@localhost', maintenant: options.relances?.maintenant },
    logger,
  );

  const notifications = new ServiceNotifications(
    unite,
    options.notificateurs ?? [],
    { tentatives: 5, delaiInitialMs: 1000, delaiMaxMs: 60_000, intervalleMs: 1000, ...options.notifications },
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
    moteur,
    pieces,
    consultationPieces,
    formatsImport: (options.formats ?? []).map((f) => f.format.nom),
    relances,
    notifications,
    rejeu,
  });

  return {
    unite,
    lecteur,
    pipeline,
    nomenclatures,
    opi,
    lp,
    acces,
    inscriptions,
    moteur,
    pieces,
    stockage,
    relances,
    notifications,
    metriques,
    logger,
    logs,
    dossierLots,
    async fermer() {
      await moteur.arreter();
      await notifications.arreter();
      await pipeline.refusAgreges.arreter();
      rmSync(dossierLots, { recursive: true, force: true });
    },
  };
}

let compteur = 0;

/** A call context as a door builds it (REST by default). */
export function contexte(surcharges: Partial<ContexteAppel> = {}): ContexteAppel {
  compteur++;
  return { porte: 'REST', client: 'scolarite', requestId: `req-${compteur}`, adresse: '192.0.2.1', ...surcharges };
}

/** The business error a promise rejects with (fails the test if it resolves or rejects otherwise). */
export async function erreurDe(p: Promise<unknown>): Promise<ErreurMetier> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ErreurMetier) return e;
    throw e;
  }
  throw new Error('ErreurMetier attendue, la promesse a été tenue');
}
