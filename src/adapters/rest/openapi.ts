/**
 * OpenAPI 3.1 description of the REST door, built from the same JSON Schemas the use cases validate
 * with (their `$defs` hoisted into `components.schemas`), and a human-readable page rendered from it.
 * Each operation names the registry operation it serves (`op('lp.charger', …)`): its operationId, tag
 * and summary come from src/application/registre.ts; the few routes that are no use case (docs,
 * probes, file templates) are declared in `TECHNIQUES` below.
 */
import type { OPERATIONS, NomOperation } from '../../application/registre';
import { PREFIXE_ID_SCHEMA, schema } from '../../application/validation';
import { CATALOGUE } from '../../domain/errors';
import { cheminsPieces, composantsPieces } from './openapi-pieces';
import { cheminsNotifications, composantsNotifications } from './openapi-notifications';
import { cheminsJournal, composantsJournal } from './openapi-journal';
import { ajouterExemples } from './openapi-exemples';
import { cheminsImports } from './openapi-imports';
import { type Json, corps, json, limite, location, nullable, op, oui, p, probleme, q, ref } from './openapi-outils';

/** A `$ref` to a definition, local (`#/$defs/X`) or in another of our schemas (`urn:candidature-gateway:schema:commun#/$defs/X`). */
const REF_DEF = new RegExp(`"(?:${PREFIXE_ID_SCHEMA.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')}([\\w-]+))?#/\\$defs/(\\w+)"`, 'g');

/**
 * Puts a schema into `components.schemas`: its `$defs` under their own names, itself under its `title`
 * (a schema without title, `commun`, only holds shared `$defs`); every `$ref` to a definition becomes
 * `#/components/schemas/<name>`, and the schemas referred to are hoisted too. One name, one definition:
 * two different definitions under one name are refused.
 */
function hisser(nom: string, composants: Json, hisses = new Set<string>()): void {
  if (hisses.has(nom)) return;
  hisses.add(nom);
  const references = new Set<string>();
  const s = JSON.parse(
    JSON.stringify(schema(nom)).replace(REF_DEF, (_m, doc: string | undefined, def: string) => {
      if (doc) references.add(doc);
      return `"#/components/schemas/${def}"`;
    }),
  ) as Json;
  const defs = (s.$defs ?? {}) as Json;
  delete s.$defs;
  delete s.$schema;
  delete s.$id;
  for (const [cle, valeur] of Object.entries(typeof s.title === 'string' ? { ...defs, [s.title]: s } : defs)) {
    if (cle in composants && JSON.stringify(composants[cle]) !== JSON.stringify(valeur)) {
      throw new Error(`OpenAPI : components.schemas.${cle} a deux définitions différentes (schéma ${nom}).`);
    }
    composants[cle] = valeur;
  }
  for (const r of references) hisser(r, composants, hisses);
}

/** A tag of the registry (OPI, Laissez-passer, Chargements…). */
type TagRegistre = (typeof OPERATIONS)[NomOperation]['tag'];

/**
 * The routes of the document that are no use case of the registry (no pipeline, no journal row):
 * the docs, the probes, the file templates. Their operationIds live here, not in the registry.
 */
export const TECHNIQUES = {
  'documentation.page': { operationId: 'lirePageDocumentation', tag: 'Documentation', resume: "Explorateur interactif de l'API (Swagger UI)" },
  'documentation.reference': {
    operationId: 'lireReference',
    tag: 'Documentation',
    resume: "Référence (HTML) : opérations, enregistrements, catalogue d'erreurs",
  },
  'documentation.openapi': { operationId: 'lireDocumentOpenApi', tag: 'Documentation', resume: "Description OpenAPI 3.1 de l'API REST (JSON)" },
  'documentation.modeleCsv': { operationId: 'modeleCsvLaissezPasser', tag: 'Documentation', resume: 'Modèle CSV de fichier de laissez-passer' },
  'documentation.modeleXlsx': { operationId: 'modeleXlsxLaissezPasser', tag: 'Documentation', resume: 'Modèle XLSX de fichier de laissez-passer' },
  'technique.vivacite': { operationId: 'vivacite', tag: 'Technique', resume: 'Vivacité du processus' },
  'technique.pret': { operationId: 'pret', tag: 'Technique', resume: 'Prêt : la base répond' },
  'technique.metriques': { operationId: 'metriques', tag: 'Technique', resume: 'Métriques (format texte Prometheus)' },
  'console.connexion': { operationId: 'ouvrirSession', tag: 'Console', resume: 'Se connecter avec un compte du personnel (cookie de session)' },
  'console.session': { operationId: 'lireSession', tag: 'Console', resume: 'La session ouverte : compte, rôle, portées, jeton anti-CSRF' },
  'console.deconnexion': { operationId: 'fermerSession', tag: 'Console', resume: 'Se déconnecter' },
  'console.options': { operationId: 'optionsConnexion', tag: 'Console', resume: 'Ce que propose la page de connexion (CAS ou non)' },
  'console.cas': { operationId: 'connexionCas', tag: 'Console', resume: "Se connecter par le CAS de l'établissement (si CAS_URL)" },
  'console.casRetour': { operationId: 'retourCas', tag: 'Console', resume: 'Retour du CAS avec son ticket' },
} as const satisfies Record<string, { operationId: string; tag: 'Documentation' | 'Technique' | 'Console'; resume: string }>;

/** The top-level tags, in the order of the docs page: each tag of the registry once (the type refuses a missing or an unknown one). */
const TAGS: Record<TagRegistre | 'Documentation' | 'Technique' | 'Console', string> = {
  OPI: 'Opérations de préinscription (OPI) : individu et ensemble exact de ses vœux, recherche, doublons possibles.',
  'Laissez-passer': "Laissez-passer (autorisations d'inscription) un par un ou en liste en un appel ; recherche, lecture, suppression.",
  Chargements:
    'Chargements de fichiers de laissez-passer (CSV, XLSX, JSON) exécutés en tâche de fond : état, liste, rejets, annulation ; simulation sans écriture.',
  'Accès': "Formations auxquelles un individu peut s'inscrire, avec les valeurs effectives et leur provenance.",
  Inscriptions: "Inscriptions administratives : création, paiement, validation, annulation, lecture et changements d'état.",
  Nomenclatures: 'Nomenclatures chargées (régimes, statuts, étapes, diplômes…), en lecture.',
  'Pièces justificatives':
    'Pièces justificatives des OPI : dépôt (fichier vérifié sur son contenu), pièces attendues et reçues, téléchargement, décision de la scolarité, service PJ compatible Amue, qui doit encore quoi.',
  Journal:
    "Journal d'audit : une entrée par opération reçue, quelle que soit la porte (REST, SOAP, fichier) ; rejeu d'un message gardé (chiffré) dans le traitement du jour, un par un ou par filtre.",
  Statistiques:
    'Chiffres de la campagne pour le tableau de bord : messages reçus par jour, porte et plateforme, inscriptions par état, pièces par état et pièces dues, rejets par classe (boursiers, profil, INE/INES, CVEC, doublons…).',
  'Données personnelles':
    'Conservation (durées par nature de donnée, purge planifiée) et droits des personnes : effacement des candidats sans inscription, export de tout ce qui est détenu sur une personne.',
  Notifications:
    "Notifications dues à Parcoursup (majInscriptionAdministrative, quand une inscription d'une OPI Parcoursup est validée ou annulée) : écrites avec le changement d'état, envoyées en tâche de fond dans l'ordre de chaque candidat, avec reprises ; les échecs se consultent et se relancent.",
  Console:
    "Connexion du personnel à la console : un cookie de session (HttpOnly, SameSite=Strict, Secure en HTTPS) ; chaque modification sous ce cookie porte le jeton anti-CSRF de la session dans l'en-tête X-CSRF-Token.",
  Documentation: 'Cette documentation, la description OpenAPI et les modèles de fichier.',
  Technique: "Sondes et métriques pour l'exploitation ; ni authentification ni journal.",
};

/** The operation object of a route outside the registry. */
const PUBLIQUES = new Set<keyof typeof TECHNIQUES>([
  'technique.vivacite',
  'technique.pret',
  'documentation.page',
  'documentation.reference',
  'documentation.openapi',
]);

function technique(nom: keyof typeof TECHNIQUES, reponses: Json, extra: Json = {}): Json {
  const t = TECHNIQUES[nom];
  // Public: health, readiness and the docs themselves (the templates and /metrics need credentials).
  const securite = PUBLIQUES.has(nom) ? { security: [] } : {};
  // Every request goes through the rate limits (429); one that needs credentials can also get 401.
  const refus = { 429: probleme, ...(PUBLIQUES.has(nom) || 'security' in extra ? {} : { 401: probleme }) };
  return { operationId: t.operationId, tags: [t.tag], summary: t.resume, ...securite, ...extra, responses: { ...reponses, ...refus } };
}

const ETATS_JOB = ['EN_ATTENTE', 'EN_COURS', 'TERMINE', 'REJETE', 'ECHOUE', 'ANNULE'];

/** The components this file writes by hand (answers, job state, journal entry), next to the hoisted schemas. */
function composantsReponses(): Json {
  return {
    ErreurChamp: {
      type: 'object',
      required: ['code', 'path', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(CATALOGUE), description: "Code stable du catalogue d'erreurs" },
        path: { type: 'string', description: 'Chemin du champ, ex. individu.etatCivil.codNneIndOpi ou voeux[1].codEtp' },
        message: { type: 'string', description: 'Message en français' },
      },
    },
    Probleme: {
      type: 'object',
      description: 'application/problem+json (RFC 9457)',
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        instance: { type: 'string' },
        requestId: { type: 'string' },
        errors: { type: 'array', items: ref('ErreurChamp') },
      },
    },
    ResultatUpsertOpi: {
      type: 'object',
      properties: {
        resultat: { type: 'string', enum: ['CREE', 'MIS_A_JOUR', 'INCHANGE'] },
        codOpiIntEpo: { type: 'string' },
        version: { type: 'integer' },
        avertissements: { type: 'array', items: ref('ErreurChamp'), description: 'Doublons possibles (DOUBLON_INE, DOUBLON_COD_ETU, DOUBLON_ETAT_CIVIL)' },
        voeux: {
          type: 'array',
          items: {
            type: 'object',
            properties: { codCge: { type: 'string' }, codEtp: { type: 'string' }, codVrsVet: { type: 'integer' }, statut: { const: 'ENREGISTRE' } },
          },
        },
      },
    },
    OpiLue: {
      type: 'object',
      properties: {
        codOpiIntEpo: { type: 'string' },
        version: { type: 'integer' },
        source: { type: 'string' },
        creeLe: { type: 'string', format: 'date-time' },
        modifieLe: { type: 'string', format: 'date-time' },
        doublons: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              motif: { type: 'string' },
              codOpiIntEpo: { type: 'string' },
              source: { type: ['string', 'null'], description: "D'où vient l'autre OPI (client : plateforme, fichier…)" },
              detecteLe: { type: 'string' },
            },
          },
        },
        donnees: ref('DonneesOpi'),
      },
    },
    EtatJob: {
      type: 'object',
      description: "État d'un chargement de fichier (job), tel que le rendent le dépôt, la lecture, la liste et l'annulation",
      required: [
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
      ],
      properties: {
        id: { type: 'string', format: 'uuid', description: 'Identifiant du chargement' },
        type: { type: 'string', description: 'Type de chargement (LP_CHARGEMENT : fichier de laissez-passer)' },
        etat: {
          type: 'string',
          enum: ETATS_JOB,
          description:
            'EN_ATTENTE puis EN_COURS puis TERMINE ; REJETE : tout-ou-rien refusé (une ligne au moins rejetée, rien écrit) ; '
            + 'ECHOUE : arrêté en route (fichier illisible, lot vide, erreur technique… : voir erreur) ; ANNULE : annulé (ce qui était déjà écrit reste, et est compté)',
        },
        mode: {
          type: 'string',
          enum: ['partiel', 'tout-ou-rien'],
          description: 'partiel : bonnes lignes écrites, mauvaises rapportées ; tout-ou-rien : tout ou rien',
        },
        simulation: {
          type: 'boolean',
          description: "Simulation (simulation=true) : chaque ligne contrôlée et « écrite » puis annulée ; même rapport, rien n'est gardé",
        },
        format: { type: 'string', enum: ['csv', 'xlsx', 'json'], description: 'Format du fichier' },
        nomFichier: nullable('string', { maxLength: 255, description: "Nom du fichier donné par l'appelant (nomFichier ou X-File-Name)" }),
        client: { type: 'string', description: 'Client qui a déposé le fichier' },
        lignesLues: { type: 'integer', minimum: 0, description: "Lignes lues jusqu'ici" },
        lignesEcrites: { type: 'integer', minimum: 0, description: 'creees + misesAJour (en simulation : ce qui aurait été écrit)' },
        lignesRejetees: { type: 'integer', minimum: 0, description: 'Lignes rejetées (détail : /api/v1/jobs/{id}/rejets)' },
        creees: { type: 'integer', minimum: 0, description: 'Laissez-passer créés' },
        misesAJour: { type: 'integer', minimum: 0, description: 'Laissez-passer mis à jour' },
        inchangees: { type: 'integer', minimum: 0, description: "Lignes identiques à l'existant" },
        annulationDemandee: { type: 'boolean', description: "Annulation demandée : le chargement s'arrête à la fin de son paquet en cours" },
        lignesTotal: { type: ['integer', 'null'], description: 'Lignes de données du fichier, quand elles sont connues (CSV)' },
        debit: { type: ['integer', 'null'], description: 'Lignes traitées par seconde depuis le début' },
        resteSecondes: { type: ['integer', 'null'], description: 'Secondes restantes à ce débit (total connu, chargement en cours)' },
        creeLe: { type: 'string', format: 'date-time', description: 'Dépôt du fichier' },
        debutLe: nullable('string', { format: 'date-time', description: "Début du traitement (null tant qu'il attend)" }),
        finLe: nullable('string', { format: 'date-time', description: "Fin du traitement (null tant qu'il n'est pas fini)" }),
        erreur: nullable('array', { items: ref('ErreurChamp'), description: "Cause d'un chargement ECHOUE (problèmes code, chemin, message), sinon null" }),
      },
    },
    LiensJob: {
      type: 'object',
      description: "Liens d'un chargement",
      properties: {
        etat: { type: 'string', description: '/api/v1/jobs/{id}' },
        rejets: { type: 'string', description: '/api/v1/jobs/{id}/rejets' },
        rejetsCsv: { type: 'string', description: '/api/v1/jobs/{id}/rejets?format=csv' },
        laissezPasser: { type: 'string', description: '/api/v1/laissez-passer?jobId={id}' },
        annulation: { type: 'string', description: '/api/v1/jobs/{id}/annulation (POST)' },
      },
    },
    RejetJob: {
      type: 'object',
      description: "Une ligne rejetée d'un chargement",
      properties: {
        ligne: { type: 'integer', description: 'Numéro de ligne dans le fichier (rang dans un tableau JSON)' },
        erreurs: { type: 'array', items: ref('ErreurChamp'), description: 'Problèmes de la ligne' },
        valeurs: nullable('object', { description: 'Valeurs lues sur la ligne, à corriger et renvoyer' }),
      },
    },
    ResultatAnnulationJob: {
      type: 'object',
      required: ['resultat', 'job'],
      properties: {
        resultat: {
          type: 'string',
          enum: ['ANNULE', 'ANNULATION_DEMANDEE'],
          description: "ANNULE : il attendait, il est annulé ; ANNULATION_DEMANDEE : il tourne, il s'arrêtera à la fin de son paquet",
        },
        job: ref('EtatJob'),
      },
    },
    PaireDoublon: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        motif: { type: 'string', description: 'DOUBLON_INE, DOUBLON_COD_ETU ou DOUBLON_ETAT_CIVIL' },
        detecteLe: { type: 'string', format: 'date-time' },
        decision: nullable('string', { enum: ['MEME_PERSONNE', 'PERSONNES_DIFFERENTES', null] }),
        decidePar: nullable('string'),
        decideLe: nullable('string', { format: 'date-time' }),
        nouvelle: { type: ['object', 'null'], description: "L'OPI écrite en dernier : codOpiIntEpo, nom, prenom, dateNaissance, ine, codEtu" },
        existante: { type: ['object', 'null'], description: "L'OPI qui existait : mêmes champs" },
      },
    },
    Connexion: {
      type: 'object',
      required: ['identifiant', 'motDePasse'],
      properties: { identifiant: { type: 'string', maxLength: 100 }, motDePasse: { type: 'string', maxLength: 500 } },
    },
    Session: {
      type: 'object',
      required: ['compte', 'role', 'portees', 'csrf', 'inactiviteS', 'cas'],
      properties: {
        compte: { type: 'string' },
        role: { type: 'string', enum: ['lecture', 'gestionnaire', 'admin'] },
        portees: { type: 'array', items: { type: 'string' } },
        csrf: { type: 'string', description: 'À renvoyer dans X-CSRF-Token avec chaque modification' },
        inactiviteS: { type: 'integer', description: "Secondes d'inactivité avant la fermeture de la session" },
        cas: { type: 'boolean', description: 'La connexion par CAS est proposée' },
      },
    },
    EntreeJournal: {
      type: 'object',
      description: "Une entrée du journal d'audit",
      required: [
        'id',
        'recuLe',
        'porte',
        'operation',
        'client',
        'requestId',
        'cle',
        'individu',
        'empreinte',
        'resultat',
        'statut',
        'codes',
        'dureeMs',
        'nombre',
      ],
      properties: {
        id: { type: 'integer', description: 'Identifiant (croissant) ; sert de curseur avant=' },
        recuLe: { type: 'string', format: 'date-time', description: 'Réception de la demande' },
        porte: { type: 'string', enum: ['REST', 'SOAP', 'BATCH', 'CLI'], description: "Porte d'entrée" },
        operation: {
          type: 'string',
          description:
            'Opération du registre (x-operation de chaque opération de ce document), ex. opi.enregistrer ; '
            + "pour une demande refusée avant son cas d'usage : « MÉTHODE chemin » en REST, le nom de l'opération en SOAP",
        },
        client: { type: 'string', description: 'Client ou compte authentifié (anonyme sur une installation sans identifiants)' },
        requestId: { type: 'string', description: 'Identifiant de requête (X-Request-Id)' },
        cle: nullable('string', {
          maxLength: 100,
          description: "Clé métier (numéro d'OPI, id de laissez-passer, de chargement…) ; adresse:<ip> pour les refus avant authentification",
        }),
        individu: nullable('string', { maxLength: 40, description: 'Individu concerné : OPI:<n° OPI>, ETU:<n° étudiant> ou INE:<INE>' }),
        empreinte: nullable('string', { pattern: '^[0-9a-f]{64}$', description: 'SHA-256 de la charge reçue' }),
        rejeuDe: nullable('integer', { description: "Pour un rejeu : l'entrée du message rejoué (POST /api/v1/journal/{id}/rejouer)" }),
        rejouable: { type: 'boolean', description: 'Le message est gardé (JOURNAL_CLE) : il peut être rejoué' },
        resultat: {
          type: 'string',
          description:
            'CREE, MIS_A_JOUR, INCHANGE, SUPPRIME, LU, ACCEPTE, SIMULATION, ANNULE, ANNULATION_DEMANDEE, REJETE, ERREUR, REPONSE_REJOUEE, CONFLIT_IDEMPOTENCE…',
        },
        statut: { type: 'integer', description: 'Statut HTTP rendu (ou son équivalent pour SOAP et les fichiers)' },
        codes: { type: 'array', items: { type: 'string' }, description: "Codes d'erreur ou d'avertissement" },
        dureeMs: { type: 'integer', minimum: 0, description: 'Durée de traitement' },
        nombre: {
          type: 'integer',
          minimum: 1,
          description:
            'Demandes représentées : 1, sauf pour les refus avant authentification, regroupés en une entrée par adresse source, porte et minute avec leur nombre',
        },
        details: {
          type: 'array',
          description: 'Problèmes (code, chemin, message) ; le dernier, de code TRONQUE, signale une liste coupée ; absent sinon',
          items: { type: 'object', properties: { code: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  };
}

/** The job state with its links (answer of a file load), and the first 100 rejected rows (job read, `attendre=true`). */
const etatEtLiens = { allOf: [ref('EtatJob'), { type: 'object', properties: { liens: ref('LiensJob') } }] };
const etatLiensRejets = {
  allOf: [
    ref('EtatJob'),
    {
      type: 'object',
      properties: {
        liens: ref('LiensJob'),
        rejets: { type: 'array', maxItems: 100, items: ref('RejetJob'), description: 'Les 100 premières lignes rejetées' },
      },
    },
  ],
};
const methodeNonAutorisee = { $ref: '#/components/responses/MethodeNonAutorisee' };
const SEULEMENT_POST =
  "Seule la méthode POST est servie sur ce chemin : toute autre (GET, PUT, PATCH, DELETE…) répond 405 METHODE_NON_AUTORISEE avec l'en-tête Allow: POST.";

export function documentOpenApi(formatsImport: readonly string[] = []): Json {
  const schemas: Json = {};
  for (const nom of ['opi', 'laissez-passer', 'inscription', 'paiement', 'annulation', 'decision-pj']) hisser(nom, schemas);
  for (const [nom, s] of Object.entries({ ...composantsReponses(), ...composantsPieces(), ...composantsNotifications(), ...composantsJournal() })) {
    if (nom in schemas) throw new Error(`OpenAPI : components.schemas.${nom} est déjà défini par un schéma.`);
    schemas[nom] = s;
  }
  const idem = { $ref: '#/components/parameters/IdempotencyKey' };
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Passerelle candidatures — API REST',
      version: '1',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      description:
        "OPI et leurs pièces justificatives, laissez-passer (un par un, en liste et par fichier), accès, inscriptions administratives, nomenclatures et journal d'audit. "
        + "Les mêmes cas d'usage sont servis en SOAP : /ws/OpiMetier?wsdl, /ws/PjOpiMetier?wsdl et /ws/LaissezPasserMetier?wsdl (contrats Apogée 6.70), /ws/InscriptionMetier?wsdl (le nôtre). "
        + 'Erreurs : application/problem+json avec errors[] = {code, path, message}.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    // Relative: the explorer and generated clients call the gateway that served this document.
    servers: [{ url: '/', description: 'Cette passerelle' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: {
      ...cheminsPieces(),
      ...cheminsNotifications(),
      ...cheminsJournal(),
      ...cheminsImports(formatsImport),
      '/api/v1/opi/{codOpiIntEpo}': {
        put: op(
          'opi.enregistrer',
          {
            description: 'Créer ou mettre à jour une OPI (individu + ensemble exact des vœux)',
            parameters: [p('codOpiIntEpo', "Numéro d'OPI (identique à individu.codOpiIntEpo)")],
            requestBody: { required: true, content: { 'application/json': { schema: ref('DonneesOpi') } } },
          },
          { 201: json('ResultatUpsertOpi', 'OPI créée'), 200: json('ResultatUpsertOpi', 'OPI mise à jour ou inchangée'), 415: probleme },
        ),
        get: op('opi.lire', { parameters: [p('codOpiIntEpo', "Numéro d'OPI")] }, { 200: json('OpiLue', "L'OPI"), 404: probleme }),
      },
      '/api/v1/opi': {
        get: op(
          'opi.rechercher',
          {
            description: 'Rechercher des OPI par INE, numéro étudiant, ou nom de naissance + date de naissance',
            parameters: [
              q('ine', 'INE + clé (11 caractères)'),
              q('codEtu', 'Numéro étudiant'),
              q('nom', 'Nom de naissance (comparé sans accents)'),
              q('prenom', 'Prénom (avec nom)'),
              q('dateNaissance', 'AAAA-MM-JJ (avec nom)'),
              limite(200, 50),
            ],
          },
          { 200: corps({ type: 'object', properties: { nombre: { type: 'integer' }, resultats: { type: 'array', items: ref('OpiLue') } } }, 'Résultats') },
        ),
      },
      '/api/v1/laissez-passer': {
        post: op(
          'lp.enregistrer',
          {
            description: 'Créer ou mettre à jour un laissez-passer (identité : individu, codAnu, codEtp, codVrsVet) ; Idempotency-Key accepté',
            parameters: [idem],
            requestBody: { required: true, content: { 'application/json': { schema: ref('LaissezPasser') } } },
          },
          {
            201: { description: 'Créé : { resultat: CREE, id, laissezPasser }', ...location('/api/v1/laissez-passer/{id}') },
            200: { description: 'MIS_A_JOUR ou INCHANGE' },
            409: probleme,
            415: probleme,
          },
        ),
        get: op(
          'lp.rechercher',
          {
            parameters: [
              q('codAnu', 'Année'),
              q('codOpiIntEpo', "Numéro d'OPI (ou numOPI)"),
              q('codEtu', 'Numéro étudiant'),
              q('ine', 'INE'),
              q('codEtp', 'Étape'),
              q('codVrsVet', "Version d'étape"),
              q('jobId', 'Chargement qui les a écrits'),
              q('avant', 'curseur : id'),
              limite(1000, 100),
            ],
          },
          { 200: { description: '{ laissezPasser: [...], suivant }' } },
        ),
      },
      '/api/v1/laissez-passer/{id}': {
        get: op('lp.lire', { parameters: [p('id', 'Identifiant')] }, { 200: { description: 'Le laissez-passer' }, 404: probleme }),
        delete: op(
          'lp.supprimer',
          { description: 'Supprimer un laissez-passer (journalisé)', parameters: [p('id', 'Identifiant')] },
          { 204: { description: 'Supprimé' }, 404: probleme },
        ),
      },
      '/api/v1/laissez-passer/lot': {
        description: SEULEMENT_POST,
        post: op(
          'lp.enregistrerEnMasse',
          {
            description:
              "Une liste de laissez-passer (10 000 au plus) en un appel : un résultat par élément, dans l'ordre (CREE, MIS_A_JOUR, INCHANGE, REJETE avec erreurs, NON_ECRIT)",
            parameters: [
              q('mode', 'partial (défaut) ou all-or-nothing', {
                schema: { type: 'string', enum: ['partial', 'all-or-nothing', 'partiel', 'tout-ou-rien'], default: 'partial' },
              }),
              idem,
            ],
            requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', maxItems: 10000, items: ref('LaissezPasser') } } } },
          },
          {
            200: { description: '{ mode, creees, misesAJour, inchangees, rejetees, toutOuRienAnnule, resultats: [{ rang, statut, id?, erreurs? }] }' },
            405: methodeNonAutorisee,
            409: probleme,
            413: probleme,
            415: probleme,
          },
        ),
      },
      '/api/v1/laissez-passer/bulk': {
        description: SEULEMENT_POST,
        post: op(
          'lp.charger',
          {
            description:
              'Charger un fichier de laissez-passer (CSV UTF-8 ou Windows-1252, ; ou , ; XLSX ; tableau JSON), en flux, par paquets transactionnels. '
              + "Avec simulation=true : chaque ligne est contrôlée et le même rapport est rendu, mais rien n'est écrit.",
            parameters: [
              q('mode', 'partial (défaut : bonnes lignes gardées, mauvaises rapportées) ou all-or-nothing', {
                schema: { type: 'string', enum: ['partial', 'all-or-nothing', 'partiel', 'tout-ou-rien'], default: 'partial' },
              }),
              oui('simulation', "true (ou 1) : simulation — chaque ligne contrôlée (et écrite puis annulée), même rapport, rien n'est écrit"),
              oui('attendre', 'true (ou 1) : répondre à la fin du chargement (10 minutes au plus)'),
              q('apercu', 'avec attendre : les N premières lignes du fichier telles que lues (apercu[] : ligne, valeurs), 50 au plus', {
                schema: { type: 'integer', minimum: 0, maximum: 50 },
              }),
              q('format', 'csv, xlsx ou json (sinon déduit du Content-Type)', { schema: { type: 'string', enum: ['csv', 'xlsx', 'json'] } }),
              q('nomFichier', "nom du fichier (rapport ; sinon l'en-tête X-File-Name)"),
              idem,
            ],
            requestBody: {
              required: true,
              content: {
                'text/csv': { schema: { type: 'string' } },
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
                'application/json': { schema: { type: 'array', items: ref('LaissezPasser') } },
                'multipart/form-data': {
                  schema: {
                    type: 'object',
                    required: ['fichier'],
                    properties: {
                      fichier: {
                        type: 'string',
                        format: 'binary',
                        description: 'Le fichier (.csv, .xlsx ou .json : le format vient de son nom, ou de format=)',
                      },
                    },
                  },
                },
              },
            },
          },
          {
            202: corps(
              etatEtLiens,
              'Chargement accepté (EN_ATTENTE ; simulation: true pour une simulation), ou pas fini au bout de 10 minutes avec attendre=true (avec alors les 100 premiers rejets)',
              location('/api/v1/jobs/{id}'),
            ),
            200: corps(
              etatLiensRejets,
              'Chargement fini (attendre=true) : état final (TERMINE, REJETE, ECHOUE ou ANNULE), avec les 100 premiers rejets',
              location('/api/v1/jobs/{id}'),
            ),
            405: methodeNonAutorisee,
            409: probleme,
            413: probleme,
            415: probleme,
          },
        ),
      },
      '/api/v1/laissez-passer/modele.csv': {
        get: technique('documentation.modeleCsv', {
          200: { description: "CSV : en-tête des champs V2 + une ligne d'exemple", content: { 'text/csv': { schema: { type: 'string' } } } },
        }),
      },
      '/api/v1/laissez-passer/modele.xlsx': {
        get: technique('documentation.modeleXlsx', {
          200: {
            description: "XLSX : les mêmes colonnes et la même ligne d'exemple",
            content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
          },
        }),
      },
      '/api/v1/jobs': {
        get: op(
          'jobs.lister',
          {
            description: 'Chargements du plus récent au plus ancien, filtrés par type, état, client et date de dépôt ; page suivante : avant=<suivant>',
            parameters: [
              q('type', 'Type de chargement (LP_CHARGEMENT)'),
              q('etat', 'État', { schema: { type: 'string', enum: ETATS_JOB } }),
              q('client', 'Client qui a déposé le fichier'),
              q('depuis', 'Déposés depuis (date ou date-heure ISO)'),
              limite(500, 50),
              q('avant', 'curseur : id du dernier chargement reçu (suivant de la page précédente)'),
            ],
          },
          {
            200: corps(
              {
                type: 'object',
                required: ['jobs', 'suivant'],
                properties: {
                  jobs: { type: 'array', items: ref('EtatJob') },
                  suivant: nullable('string', { description: 'id à passer en avant= pour la page suivante ; null : dernière page' }),
                },
              },
              'Chargements',
            ),
          },
        ),
      },
      '/api/v1/jobs/{id}': {
        get: op(
          'jobs.lire',
          {
            description: "État d'un chargement : lignes lues, écrites, rejetées, état, avec ses liens et ses 100 premiers rejets",
            parameters: [p('id', 'Identifiant du chargement')],
          },
          { 200: corps(etatLiensRejets, 'État'), 404: probleme },
        ),
      },
      '/api/v1/jobs/{id}/annulation': {
        post: op(
          'jobs.annuler',
          {
            description:
              "Un chargement en attente est annulé tout de suite ; un chargement en cours s'arrête à la fin de son paquet (ce qui est déjà écrit reste) ; un chargement fini ne s'annule pas",
            parameters: [p('id', 'Identifiant du chargement')],
          },
          {
            200: json('ResultatAnnulationJob', 'ANNULE : il attendait, il est annulé (job.etat = ANNULE)'),
            202: json('ResultatAnnulationJob', "ANNULATION_DEMANDEE : il tourne ; il s'arrêtera à la fin de son paquet (job.annulationDemandee = true)"),
            404: probleme,
            409: {
              description: 'TRANSITION_INTERDITE : le chargement est déjà fini (TERMINE, REJETE, ECHOUE ou ANNULE)',
              content: { 'application/problem+json': { schema: ref('Probleme') } },
            },
          },
        ),
      },
      '/api/v1/jobs/{id}/rejets': {
        get: op(
          'jobs.rejets',
          {
            description: 'Toutes les lignes rejetées (numéro de ligne, codes, chemins, messages, valeurs) ; format=csv pour le rapport téléchargeable',
            parameters: [
              p('id', 'Identifiant du chargement'),
              q('format', 'json (défaut) ou csv (ou Accept: text/csv)', { schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } }),
              q('apres', 'curseur : numéro de ligne (JSON, 1000 lignes par page)', { schema: { type: 'integer', minimum: 0, default: 0 } }),
            ],
          },
          {
            200: {
              description:
                'Rejets : en JSON par pages de 1000 (suivant : numéro de ligne à passer en apres=, null à la fin) ; en CSV tous, une ligne par problème avec les valeurs de la ligne',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { rejets: { type: 'array', items: ref('RejetJob') }, suivant: nullable('integer') } },
                },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            404: probleme,
          },
        ),
      },
      '/api/v1/acces': {
        get: op(
          'acces.consulter',
          {
            description:
              "Formations auxquelles un individu peut s'inscrire pour une année, avec les valeurs effectives (régime, statut, catégorie « Oui Si », situation droits) et leur provenance (LP, OPI_VOEU, OPI_INDIVIDU, FORMATION)",
            parameters: [
              q('codAnu', 'Année (obligatoire)', { requis: true }),
              q('codOpiIntEpo', "Numéro d'OPI"),
              q('codEtu', 'Numéro étudiant'),
              q('ine', 'INE'),
            ],
          },
          { 200: { description: 'Accès' }, 404: probleme },
        ),
      },
      '/api/v1/inscriptions': {
        post: op(
          'ia.creer',
          {
            description: "Créer une inscription administrative (exige un accès ; une seule par individu, année et étape : la seconde demande rend l'existante)",
            parameters: [idem],
            requestBody: { required: true, content: { 'application/json': { schema: ref('DemandeInscription') } } },
          },
          {
            201: { description: '{ resultat: CREEE, inscription }', ...location('/api/v1/inscriptions/{id}') },
            200: { description: '{ resultat: EXISTANTE, inscription }' },
            409: probleme,
            415: probleme,
          },
        ),
        get: op(
          'ia.rechercher',
          {
            parameters: [
              q('codAnu', 'Année'),
              q('codOpiIntEpo', "Numéro d'OPI"),
              q('codEtu', 'Numéro étudiant'),
              q('ine', 'INE'),
              q('codEtp', 'Étape'),
              q('etat', 'État'),
              q('avant', 'curseur : id'),
              limite(1000, 100),
            ],
          },
          { 200: { description: '{ inscriptions: [...], suivant }' } },
        ),
      },
      '/api/v1/inscriptions/{id}': {
        get: op(
          'ia.lire',
          { description: 'Lire une inscription (valeurs, provenance, droits, CVEC, explication)', parameters: [p('id', 'Identifiant')] },
          { 200: { description: 'Inscription' }, 404: probleme },
        ),
      },
      '/api/v1/inscriptions/{id}/evenements': {
        get: op(
          'ia.evenements',
          { description: "Changements d'état de l'inscription", parameters: [p('id', 'Identifiant')] },
          { 200: { description: 'Événements' }, 404: probleme },
        ),
      },
      '/api/v1/inscriptions/{id}/paiement': {
        post: op(
          'ia.payer',
          {
            description: 'Enregistrer le paiement du montant dû (idempotent sur la référence)',
            parameters: [p('id', 'Identifiant')],
            requestBody: { required: true, content: { 'application/json': { schema: ref('Paiement') } } },
          },
          { 200: { description: 'PAYEE ou INCHANGE' }, 404: probleme, 409: probleme, 415: probleme },
        ),
      },
      '/api/v1/inscriptions/{id}/validation': {
        post: op(
          'ia.valider',
          { description: 'Valider une inscription payée ou exonérée', parameters: [p('id', 'Identifiant')] },
          { 200: { description: 'VALIDEE' }, 404: probleme, 409: probleme },
        ),
      },
      '/api/v1/inscriptions/{id}/annulation': {
        post: op(
          'ia.annuler',
          {
            description: 'Annuler une inscription (motif obligatoire)',
            parameters: [p('id', 'Identifiant')],
            requestBody: { required: true, content: { 'application/json': { schema: ref('Annulation') } } },
          },
          { 200: { description: 'ANNULEE ou INCHANGE' }, 404: probleme, 409: probleme, 415: probleme },
        ),
      },
      '/api/v1/nomenclatures': {
        get: op(
          'nomenclatures.lister',
          { description: 'Lister les nomenclatures chargées' },
          {
            200: corps(
              {
                type: 'object',
                properties: {
                  nomenclatures: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        nom: { type: 'string' },
                        libelle: { type: 'string' },
                        source: nullable('string'),
                        nombre: { type: 'integer' },
                        chargeLe: { type: 'string', format: 'date-time' },
                      },
                    },
                  },
                },
              },
              'Liste',
            ),
          },
        ),
      },
      '/api/v1/nomenclatures/{nom}': {
        get: op(
          'nomenclatures.lire',
          { parameters: [p('nom', 'regimes, statuts, situations-droits, etapes…'), oui('enService', 'true : seulement les codes en service')] },
          { 200: { description: 'Codes' }, 404: probleme },
        ),
      },
      '/api/v1/doublons': {
        get: op(
          'doublons.lister',
          {
            description:
              "Les paires d'OPI qui désignent peut-être la même personne (même INE, même numéro étudiant, même état civil), les plus récentes d'abord, avec la décision prise.",
            parameters: [
              q('decidees', 'false : seulement celles à décider ; true : seulement les décidées', { schema: { type: 'boolean' } }),
              q('avant', 'curseur : valeur de suivant', { schema: { type: 'integer' } }),
              limite(200, 50),
            ],
          },
          { 200: corps({ type: 'object', properties: { paires: { type: 'array', items: ref('PaireDoublon') }, suivant: nullable('integer') } }, 'Les paires') },
        ),
      },
      '/api/v1/doublons/{id}/decision': {
        post: op(
          'doublons.decider',
          {
            description: 'Enregistre la décision de la scolarité sur une paire (qui, quand) ; elle peut être changée par une nouvelle décision.',
            parameters: [p('id', 'Identifiant de la paire')],
            requestBody: corps(
              { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['MEME_PERSONNE', 'PERSONNES_DIFFERENTES'] } } },
              'La décision',
              { required: true },
            ),
          },
          { 200: corps(ref('PaireDoublon'), 'La paire décidée'), 404: probleme },
        ),
      },
      '/api/v1/statistiques': {
        get: op(
          'statistiques.lire',
          {
            description: 'Les chiffres du tableau de bord, sur les derniers jours (défaut 30) et une campagne (défaut : la courante).',
            parameters: [
              q('jours', '1 à 366, défaut 30', { schema: { type: 'integer', minimum: 1, maximum: 366, default: 30 } }),
              q('codAnu', 'campagne (AAAA), défaut la courante'),
            ],
          },
          {
            200: corps(
              {
                type: 'object',
                properties: {
                  codAnu: { type: 'string' },
                  depuis: { type: 'string', format: 'date-time' },
                  recusParJour: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { jour: { type: 'string' }, porte: { type: 'string' }, client: { type: 'string' }, n: { type: 'integer' } },
                    },
                  },
                  inscriptionsParEtat: { type: 'array', items: { type: 'object', properties: { etat: { type: 'string' }, n: { type: 'integer' } } } },
                  piecesParStatut: { type: 'array', items: { type: 'object', properties: { statut: { type: 'string' }, n: { type: 'integer' } } } },
                  piecesDues: { type: 'object', properties: { individus: { type: 'integer' }, pieces: { type: 'integer' } } },
                  rejetsParClasse: {
                    type: 'array',
                    items: { type: 'object', properties: { classe: { type: 'string' }, libelle: { type: 'string' }, n: { type: 'integer' } } },
                  },
                },
              },
              'Les chiffres',
            ),
          },
        ),
      },
      '/api/v1/journal': {
        get: op(
          'journal.lire',
          {
            description:
              "Lire le journal d'audit (du plus récent au plus ancien) ; les refus avant authentification y sont regroupés (une entrée par adresse source, porte et minute, avec leur nombre)",
            parameters: [
              q('depuis', 'date ou date-heure ISO'),
              q('jusqua', 'date ou date-heure ISO'),
              q('porte', 'REST, SOAP, BATCH ou CLI'),
              q('operation', 'opération du registre, ex. opi.enregistrer (x-operation)'),
              q('client', 'client appelant'),
              q('cle', "clé métier (numéro d'OPI…)"),
              q('individu', 'individu : OPI:<n° OPI>, ETU:<n° étudiant, zéros de tête ignorés> ou INE:<INE>', { exemple: 'ETU:12345' }),
              q('resultat', 'CREE, MIS_A_JOUR, INCHANGE, REJETE, ERREUR…'),
              q('requestId', 'identifiant de requête'),
              q('rejeuDe', "les rejeux de cette entrée (id d'une entrée rejouée)", { schema: { type: 'integer' } }),
              q('code', "un code d'erreur parmi ceux de l'entrée (ETAPE_INCONNUE…)"),
              q('avant', 'curseur : id de la dernière entrée reçue', { schema: { type: 'integer' } }),
              limite(1000, 100),
            ],
          },
          {
            200: corps(
              {
                type: 'object',
                required: ['entrees', 'suivant'],
                properties: {
                  entrees: { type: 'array', items: ref('EntreeJournal') },
                  suivant: nullable('integer', { description: 'id à passer en avant= pour la page suivante ; null : dernière page' }),
                },
              },
              'Entrées',
            ),
          },
        ),
      },
      '/api/v1/openapi.json': {
        get: technique('documentation.openapi', { 200: { description: 'Ce document', content: { 'application/json': { schema: { type: 'object' } } } } }),
      },
      '/api/v1/docs': {
        get: technique('documentation.page', {
          200: { description: "Page HTML : l'explorateur, qui lit /api/v1/openapi.json", content: { 'text/html': { schema: { type: 'string' } } } },
        }),
      },
      '/api/v1/docs/reference': {
        get: technique('documentation.reference', {
          200: { description: "Page HTML : opérations, enregistrements, catalogue d'erreurs", content: { 'text/html': { schema: { type: 'string' } } } },
        }),
      },
      '/api/v1/session': {
        post: technique(
          'console.connexion',
          { 201: { description: 'Session ouverte ; Set-Cookie: gw_session=…', content: { 'application/json': { schema: ref('Session') } } }, 401: probleme },
          {
            security: [],
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: ref('Connexion') },
                'application/x-www-form-urlencoded': { schema: ref('Connexion') },
              },
            },
          },
        ),
        get: technique(
          'console.session',
          { 200: { description: 'La session', content: { 'application/json': { schema: ref('Session') } } }, 401: probleme },
          { security: [{ session: [] }] },
        ),
        delete: technique(
          'console.deconnexion',
          { 204: { description: 'Session fermée, cookie effacé' }, 403: probleme },
          {
            security: [{ session: [] }],
            parameters: [
              {
                name: 'X-CSRF-Token',
                in: 'header',
                required: true,
                description: 'Le jeton anti-CSRF de la session (GET /api/v1/session)',
                schema: { type: 'string' },
              },
            ],
          },
        ),
      },
      '/api/v1/session/options': {
        get: technique(
          'console.options',
          { 200: corps({ type: 'object', properties: { cas: { type: 'boolean' } } }, 'cas : la connexion par CAS est configurée') },
          { security: [] },
        ),
      },
      '/api/v1/session/cas': {
        get: technique(
          'console.cas',
          { 302: { description: 'Vers la page de connexion du CAS' }, 404: probleme },
          { security: [], parameters: [q('retour', 'page de la passerelle où revenir (défaut /console/)')] },
        ),
      },
      '/api/v1/session/cas/retour': {
        get: technique(
          'console.casRetour',
          { 302: { description: 'Session ouverte, vers la page demandée' }, 401: probleme, 403: probleme },
          { security: [], parameters: [q('ticket', 'ticket du CAS', { requis: true }), q('retour', 'page où revenir')] },
        ),
      },
      '/health': {
        get: technique('technique.vivacite', {
          200: corps(
            {
              type: 'object',
              properties: { statut: { const: 'ok' }, base: { type: 'string' }, rejeuxTransactions: { type: 'integer' }, uptimeS: { type: 'integer' } },
            },
            'OK',
          ),
        }),
      },
      '/ready': {
        get: technique('technique.pret', {
          200: corps({ type: 'object', properties: { statut: { const: 'pret' }, base: { type: 'string' } } }, 'Prêt'),
          503: corps({ type: 'object', properties: { statut: { const: 'indisponible' }, base: { type: 'string' } } }, 'Base indisponible'),
        }),
      },
      '/metrics': {
        get: technique('technique.metriques', {
          200: {
            description: "Compteurs d'opérations, de requêtes HTTP, de lignes chargées et de rejeux de transactions",
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        }),
      },
    },
    security: [{ cleApi: [] }, { porteur: [] }, { basic: [] }, { session: [] }],
    components: {
      schemas,
      securitySchemes: {
        cleApi: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: "Clé d'API d'un client (npm run clients -- creer …, ou API_KEYS)" },
        porteur: { type: 'http', scheme: 'bearer', description: "La même clé d'API, en Authorization: Bearer <clé>" },
        basic: { type: 'http', scheme: 'basic', description: "nom du client + clé, ou identifiant + mot de passe d'un compte du personnel" },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'gw_session',
          description: 'Session de la console (POST /api/v1/session) ; les modifications portent X-CSRF-Token',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Un renvoi avec la même clé et le même corps rejoue la première réponse ; un autre corps → 409',
          schema: { type: 'string', maxLength: 200 },
        },
        RequestId: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description: 'Identifiant de corrélation (généré sinon, renvoyé en réponse)',
          schema: { type: 'string' },
        },
      },
      responses: {
        Probleme: { description: 'Erreur (problem+json)', content: { 'application/problem+json': { schema: ref('Probleme') } } },
        MethodeNonAutorisee: {
          description: "METHODE_NON_AUTORISEE : méthode autre que POST sur ce chemin ; l'en-tête Allow donne les méthodes possibles",
          headers: { Allow: { description: 'Méthodes possibles (POST)', schema: { type: 'string' } } },
          content: { 'application/problem+json': { schema: ref('Probleme') } },
        },
      },
    },
  };
  ajouterExemples(doc);
  return doc;
}
