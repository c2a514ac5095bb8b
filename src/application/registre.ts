/**
 * The operation registry: every operation of the gateway declared once, whatever its doors.
 * The doors (REST, SOAP, file jobs) name an operation and call the pipeline with it; the OpenAPI
 * document takes its operationIds and tags from here; the security work reads `portee` (scope).
 */

export type NatureOperation = 'ecriture' | 'lecture';

export interface MetaOperation {
  nature: NatureOperation;
  /** JSON Schema (schemas/<nom>.schema.json) the use case validates its input with, if any. */
  schema?: string;
  /** Scope a caller needs (`<ressource>:<droit>`). */
  portee: string;
  operationId: string;
  tag: string;
  /** One line, in French, for the docs. */
  resume: string;
  /** Consultation reads that leave no journal row (reference data, the journal itself, job states). */
  sansJournal?: boolean;
  /** A write whose input (plain JSON) is kept, sealed, with its journal row, so that it can be replayed. */
  rejouable?: boolean;
}

export const OPERATIONS = {
  'opi.enregistrer': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'opi',
    portee: 'opi:ecrire',
    operationId: 'enregistrerOpi',
    tag: 'OPI',
    resume: 'Créer ou mettre à jour une OPI',
  },
  'opi.lire': { nature: 'lecture', portee: 'opi:lire', operationId: 'lireOpi', tag: 'OPI', resume: 'Lire une OPI' },
  'opi.rechercher': { nature: 'lecture', portee: 'opi:lire', operationId: 'rechercherOpi', tag: 'OPI', resume: 'Rechercher des OPI' },
  'doublons.lister': {
    nature: 'lecture',
    portee: 'opi:lire',
    operationId: 'listerDoublons',
    tag: 'OPI',
    resume: 'Paires de doublons possibles, les deux OPI côte à côte',
    sansJournal: true,
  },
  'doublons.decider': {
    nature: 'ecriture',
    portee: 'doublons:decider',
    operationId: 'deciderDoublon',
    tag: 'OPI',
    resume: 'Décider : même personne, ou personnes différentes',
  },
  'lp.enregistrer': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'laissez-passer',
    portee: 'lp:ecrire',
    operationId: 'enregistrerLaissezPasser',
    tag: 'Laissez-passer',
    resume: 'Créer ou mettre à jour un laissez-passer',
  },
  'lp.enregistrerEnMasse': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'laissez-passer',
    portee: 'lp:ecrire',
    operationId: 'enregistrerLotLaissezPasser',
    tag: 'Laissez-passer',
    resume: 'Une liste de laissez-passer en un appel',
  },
  'lp.charger': {
    nature: 'ecriture',
    schema: 'laissez-passer',
    portee: 'lp:ecrire',
    operationId: 'chargerFichierLaissezPasser',
    tag: 'Chargements',
    resume: 'Charger un fichier de laissez-passer',
  },
  'opi.importer': {
    nature: 'ecriture',
    schema: 'opi',
    portee: 'opi:importer',
    operationId: 'importerFichierOpi',
    tag: 'Chargements',
    resume: "Importer un fichier de candidats d'une plateforme (Parcoursup, Études en France, Pégase)",
  },
  'lp.supprimer': {
    nature: 'ecriture',
    rejouable: true,
    portee: 'lp:ecrire',
    operationId: 'supprimerLaissezPasser',
    tag: 'Laissez-passer',
    resume: 'Supprimer un laissez-passer',
  },
  'lp.lire': { nature: 'lecture', portee: 'lp:lire', operationId: 'lireLaissezPasser', tag: 'Laissez-passer', resume: 'Lire un laissez-passer' },
  'lp.rechercher': {
    nature: 'lecture',
    portee: 'lp:lire',
    operationId: 'rechercherLaissezPasser',
    tag: 'Laissez-passer',
    resume: 'Rechercher des laissez-passer',
  },
  'acces.consulter': { nature: 'lecture', portee: 'lp:lire', operationId: 'consulterAcces', tag: 'Accès', resume: 'Formations accessibles à un individu' },
  'ia.creer': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'inscription',
    portee: 'ia:ecrire',
    operationId: 'creerInscription',
    tag: 'Inscriptions',
    resume: 'Créer une inscription administrative',
  },
  'ia.payer': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'paiement',
    portee: 'ia:ecrire',
    operationId: 'payerInscription',
    tag: 'Inscriptions',
    resume: "Enregistrer le paiement d'une inscription",
  },
  'ia.valider': {
    nature: 'ecriture',
    rejouable: true,
    portee: 'ia:valider',
    operationId: 'validerInscription',
    tag: 'Inscriptions',
    resume: 'Valider une inscription',
  },
  'ia.annuler': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'annulation',
    portee: 'ia:ecrire',
    operationId: 'annulerInscription',
    tag: 'Inscriptions',
    resume: 'Annuler une inscription',
  },
  'ia.lire': { nature: 'lecture', portee: 'ia:lire', operationId: 'lireInscription', tag: 'Inscriptions', resume: 'Lire une inscription' },
  'ia.evenements': {
    nature: 'lecture',
    portee: 'ia:lire',
    operationId: 'evenementsInscription',
    tag: 'Inscriptions',
    resume: "Changements d'état d'une inscription",
    sansJournal: true,
  },
  'ia.rechercher': { nature: 'lecture', portee: 'ia:lire', operationId: 'rechercherInscriptions', tag: 'Inscriptions', resume: 'Rechercher des inscriptions' },
  'jobs.lire': { nature: 'lecture', portee: 'jobs:lire', operationId: 'lireJob', tag: 'Chargements', resume: "État d'un chargement", sansJournal: true },
  'jobs.lister': { nature: 'lecture', portee: 'jobs:lire', operationId: 'listerJobs', tag: 'Chargements', resume: 'Lister les chargements', sansJournal: true },
  'jobs.rejets': {
    nature: 'lecture',
    portee: 'jobs:lire',
    operationId: 'rejetsJob',
    tag: 'Chargements',
    resume: "Lignes rejetées d'un chargement",
    sansJournal: true,
  },
  'jobs.annuler': { nature: 'ecriture', portee: 'jobs:annuler', operationId: 'annulerJob', tag: 'Chargements', resume: 'Annuler un chargement' },
  'nomenclatures.lister': {
    nature: 'lecture',
    portee: 'nomenclatures:lire',
    operationId: 'listerNomenclatures',
    tag: 'Nomenclatures',
    resume: 'Lister les nomenclatures',
    sansJournal: true,
  },
  'nomenclatures.lire': {
    nature: 'lecture',
    portee: 'nomenclatures:lire',
    operationId: 'lireNomenclature',
    tag: 'Nomenclatures',
    resume: "Codes d'une nomenclature",
    sansJournal: true,
  },
  'nomenclatures.charger': {
    nature: 'ecriture',
    portee: 'nomenclatures:ecrire',
    operationId: 'chargerNomenclatures',
    tag: 'Nomenclatures',
    resume: "Remplacer les nomenclatures par les fichiers d'un dossier",
  },
  'pj.deposer': {
    nature: 'ecriture',
    portee: 'pj:deposer',
    operationId: 'deposerPieceJustificative',
    tag: 'Pièces justificatives',
    resume: "Déposer une pièce justificative d'une OPI",
  },
  'pj.statuer': {
    nature: 'ecriture',
    rejouable: true,
    schema: 'decision-pj',
    portee: 'pj:valider',
    operationId: 'statuerPieceJustificative',
    tag: 'Pièces justificatives',
    resume: 'Valider ou refuser une pièce reçue',
  },
  'pj.lister': {
    nature: 'lecture',
    portee: 'pj:lire',
    operationId: 'listerPiecesOpi',
    tag: 'Pièces justificatives',
    resume: "Pièces attendues et reçues d'une OPI",
  },
  'pj.contenu': {
    nature: 'lecture',
    portee: 'pj:lire',
    operationId: 'contenuPieceJustificative',
    tag: 'Pièces justificatives',
    resume: "Le fichier d'une pièce reçue",
  },
  'pj.info': {
    nature: 'lecture',
    portee: 'pj:lire',
    operationId: 'infoPiecesAmue',
    tag: 'Pièces justificatives',
    resume: "Pièces d'un étudiant (service PJ Amue)",
  },
  'pj.fichier': {
    nature: 'lecture',
    portee: 'pj:lire',
    operationId: 'fichierPieceAmue',
    tag: 'Pièces justificatives',
    resume: "Fichier d'une pièce (service PJ Amue)",
  },
  'pj.enAttente': {
    nature: 'lecture',
    portee: 'pj:lire',
    operationId: 'piecesEnAttente',
    tag: 'Pièces justificatives',
    resume: 'Qui doit encore quelle pièce',
  },
  'pj.relancer': {
    nature: 'ecriture',
    portee: 'pj:relancer',
    operationId: 'relancerPiecesManquantes',
    tag: 'Pièces justificatives',
    resume: 'Relancer par courriel les étudiants qui doivent une pièce',
  },
  'journal.lire': {
    nature: 'lecture',
    portee: 'journal:lire',
    operationId: 'lireJournal',
    tag: 'Journal',
    resume: "Lire le journal d'audit",
    sansJournal: true,
  },
  'journal.rejouer': {
    nature: 'ecriture',
    portee: 'journal:rejouer',
    operationId: 'rejouerMessage',
    tag: 'Journal',
    resume: 'Rejouer un message du journal dans le traitement du jour',
  },
  'journal.rejouerEnMasse': {
    nature: 'ecriture',
    portee: 'journal:rejouer',
    operationId: 'rejouerMessages',
    tag: 'Journal',
    resume: 'Rejouer les messages choisis par un filtre (chargement, simulation possible)',
  },
  'retention.purger': {
    nature: 'ecriture',
    portee: 'admin',
    operationId: 'purgerRetention',
    tag: 'Données personnelles',
    resume: 'Appliquer maintenant les durées de conservation (simulation possible)',
  },
  'rgpd.purger': {
    nature: 'ecriture',
    portee: 'admin',
    operationId: 'purgerCandidatsSansInscription',
    tag: 'Données personnelles',
    resume: 'Effacer les candidats sans inscription depuis N campagnes (simulation possible)',
  },
  'rgpd.exporter': {
    nature: 'lecture',
    portee: 'admin',
    operationId: 'exporterIndividu',
    tag: 'Données personnelles',
    resume: 'Tout ce que la passerelle détient sur une personne (JSON et fichiers)',
  },
  'statistiques.lire': {
    nature: 'lecture',
    portee: 'statistiques:lire',
    operationId: 'lireStatistiques',
    tag: 'Statistiques',
    resume: 'Chiffres de la campagne (tableau de bord de la console)',
    sansJournal: true,
  },
  'notifications.lister': {
    nature: 'lecture',
    portee: 'notifications:lire',
    operationId: 'listerNotifications',
    tag: 'Notifications',
    resume: 'Lister les notifications sortantes (Parcoursup)',
    sansJournal: true,
  },
  'notifications.relancer': {
    nature: 'ecriture',
    portee: 'notifications:relancer',
    operationId: 'relancerNotification',
    tag: 'Notifications',
    resume: 'Renvoyer une notification en échec ou en attente',
  },
} as const satisfies Record<string, MetaOperation>;

export type NomOperation = keyof typeof OPERATIONS;

export function estOperation(nom: string): nom is NomOperation {
  return Object.hasOwn(OPERATIONS, nom);
}
