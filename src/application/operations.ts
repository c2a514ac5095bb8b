/**
 * Every operation of the registry plugged into the pipeline with its use case, in one place: the
 * composition root (and the in-memory test gateway) call this; the doors only name operations.
 */
import type { Pipeline } from './pipeline';
import type { ServiceOpi } from './opi';
import type { ServiceLp } from './laissez-passer';
import { operationAcces, type ServiceAcces } from './acces';
import type { ServiceInscriptions } from './inscriptions';
import { operationsNomenclatures, type ServiceNomenclatures } from './nomenclatures';
import { operationJournal } from './journal';
import type { MoteurJobs } from './jobs/moteur';
import { operationsJobs } from './jobs/operations';
import { TYPE_CHARGEMENT_LP } from './jobs/chargement-lp';
import type { UniteDeTravailPort } from './ports';
import type { ServicePieces } from './pieces';
import type { ConsultationPieces } from './pieces-consultation';
import type { ServiceRelances } from './relances-pj';
import type { ServiceNotifications } from './notifications';
import { OPERATIONS, type NomOperation } from './registre';
import { operationRejeu, operationRejeuEnMasse, type ServiceRejeu } from './rejeu';
import { operationConservation, type ServiceConservation } from './conservation';
import { operationsRgpd, type ServiceRgpd } from './rgpd';
import type { DefinitionOperation } from './pipeline';
import { operationStatistiques } from './statistiques';
import { ServiceDoublons } from './doublons';
import type { DepotStatistiquesPort } from './ports';

export interface Services {
  unite: UniteDeTravailPort;
  opi: ServiceOpi;
  lp: ServiceLp;
  acces: ServiceAcces;
  inscriptions: ServiceInscriptions;
  nomenclatures: ServiceNomenclatures;
  moteur: MoteurJobs;
  pieces: ServicePieces;
  /** The import formats the job engine knows (`parcoursup-csv`…). */
  formatsImport: readonly string[];
  consultationPieces: ConsultationPieces;
  relances: ServiceRelances;
  /** The outbox and its delivery (Parcoursup back-channel). */
  notifications: ServiceNotifications;
  rejeu: ServiceRejeu;
  /** Retention and personal data: SQL maintenance work, absent from a composition without a database (the in-memory test gateway). */
  conservation?: ServiceConservation;
  rgpd?: ServiceRgpd;
  /** The dashboard's grouped counts (SQL), absent from the in-memory test gateway. */
  statistiques?: DepotStatistiquesPort;
}

/** An operation its composition does not provide: a clear internal error, never a silent success. */
const absente = (nom: string): DefinitionOperation<unknown, never, never> => ({
  lire: () => Promise.reject(new Error(`${nom} : non disponible dans cette composition`)),
});

export function declarerOperations(pipeline: Pipeline, s: Services): void {
  const o = s.opi.operations();
  const l = s.lp.operations();
  const ia = s.inscriptions.operations();
  const j = operationsJobs(s.moteur);
  const n = operationsNomenclatures(s.nomenclatures);
  const pj = s.pieces.operations();
  const pjc = s.consultationPieces.operations();
  const notif = s.notifications.operations();
  const rgpd = s.rgpd ? operationsRgpd(s.rgpd) : undefined;
  const doublons = new ServiceDoublons(s.unite).operations();
  const declarations: Record<NomOperation, Parameters<Pipeline['declarer']>[1]> = {
    'opi.enregistrer': o.enregistrer,
    'opi.lire': o.lire,
    'opi.rechercher': o.rechercher,
    'doublons.lister': doublons.lister,
    'doublons.decider': doublons.decider,
    'lp.enregistrer': l.enregistrer,
    'lp.enregistrerEnMasse': l.enMasse,
    'lp.charger': j.charger(TYPE_CHARGEMENT_LP),
    'opi.importer': j.importer(s.formatsImport),
    'lp.supprimer': l.supprimer,
    'lp.lire': l.lire,
    'lp.rechercher': l.rechercher,
    'acces.consulter': operationAcces(s.acces),
    'ia.creer': ia.creer,
    'ia.payer': ia.payer,
    'ia.valider': ia.valider,
    'ia.annuler': ia.annuler,
    'ia.lire': ia.lire,
    'ia.evenements': ia.evenements,
    'ia.rechercher': ia.rechercher,
    'jobs.lire': j.lire,
    'jobs.lister': j.lister,
    'jobs.rejets': j.rejets,
    'jobs.annuler': j.annuler,
    'nomenclatures.lister': n.lister,
    'nomenclatures.lire': n.lire,
    'nomenclatures.charger': n.charger,
    'pj.deposer': pj.deposer,
    'pj.statuer': pj.statuer,
    'pj.lister': pj.lister,
    'pj.contenu': pj.contenu,
    'pj.info': pjc.info,
    'pj.fichier': pjc.fichier,
    'pj.enAttente': pjc.enAttente,
    'pj.relancer': s.relances.operation(),
    'journal.lire': operationJournal(s.unite, pipeline.refusAgreges),
    'journal.rejouer': operationRejeu(s.rejeu),
    'journal.rejouerEnMasse': operationRejeuEnMasse(s.unite, s.moteur),
    'retention.purger': s.conservation ? operationConservation(s.conservation) : absente('retention.purger'),
    'rgpd.purger': rgpd?.purger ?? absente('rgpd.purger'),
    'rgpd.exporter': rgpd?.exporter ?? absente('rgpd.exporter'),
    'statistiques.lire': s.statistiques ? operationStatistiques(s.statistiques, s.consultationPieces) : absente('statistiques.lire'),
    'notifications.lister': notif.lister,
    'notifications.relancer': notif.relancer,
  };
  // The Record type makes a registry entry without its use case a compile error.
  for (const nom of Object.keys(OPERATIONS) as NomOperation[]) pipeline.declarer(nom, declarations[nom]);
}
