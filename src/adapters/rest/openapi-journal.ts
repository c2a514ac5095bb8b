/** Replay, retention and personal data in the OpenAPI document: paths and the components they answer with. */
import { type Json, corps, location, oui, op, p, probleme, q, ref, nullable } from './openapi-outils';

const issue = {
  type: 'object',
  properties: {
    journalId: nullable('integer', { description: 'La ligne du journal du rejeu (aucune pour une simulation)' }),
    resultat: { type: 'string', description: 'CREE, MIS_A_JOUR, INCHANGE… ou REJETE' },
    statut: { type: 'integer' },
    codes: { type: 'array', items: { type: 'string' } },
    problemes: { type: 'array', items: { type: 'object' } },
    simulation: { type: 'boolean' },
  },
};

export function composantsJournal(): Json {
  return {
    ReponseRejeu: {
      type: 'object',
      required: ['original', 'rejeu', 'difference'],
      properties: {
        original: {
          type: 'object',
          description: 'Le message tel qu’il avait été traité',
          properties: {
            id: { type: 'integer' },
            recuLe: { type: 'string', format: 'date-time' },
            porte: { type: 'string' },
            operation: { type: 'string' },
            client: { type: 'string' },
            resultat: { type: 'string' },
            statut: { type: 'integer' },
            codes: { type: 'array', items: { type: 'string' } },
          },
        },
        rejeu: issue,
        difference: {
          type: ['array', 'null'],
          description: 'Champs de l’enregistrement changés par le rejeu (null : simulation, ou opération sans enregistrement relisible)',
          items: { type: 'object', properties: { chemin: { type: 'string' }, avant: {}, apres: {} } },
        },
      },
    },
    FiltreRejeu: {
      type: 'object',
      description: 'Au moins un critère. Seuls les messages gardés (JOURNAL_CLE) et pas encore rejoués (sauf forcer) sont pris.',
      properties: {
        code: { type: 'string', description: "Un code d'erreur du message (ETAPE_INCONNUE…)" },
        porte: { type: 'string', enum: ['REST', 'SOAP', 'BATCH'] },
        operation: { type: 'string', description: 'opi.enregistrer, lp.enregistrer…' },
        client: { type: 'string' },
        individu: { type: 'string', description: 'OPI:…, ETU:… ou INE:…' },
        depuis: { type: 'string', format: 'date-time' },
        jusqua: { type: 'string', format: 'date-time' },
        simulation: { type: 'boolean', description: 'Rejouer sans rien écrire : le rapport dit ce qui changerait' },
        forcer: { type: 'boolean', description: 'Reprendre aussi les messages déjà rejoués' },
      },
    },
    RapportConservation: {
      type: 'object',
      properties: {
        le: { type: 'string', format: 'date-time' },
        simulation: { type: 'boolean' },
        limites: { type: 'object', description: 'Par nature : l’instant avant lequel elle part (pjSansInscription : la dernière campagne purgée)' },
        supprimes: {
          type: 'object',
          description: 'Par nature : combien de lignes ou de fichiers partis (en simulation : combien partiraient)',
          properties: Object.fromEntries(
            ['charges', 'journal', 'rejets', 'idempotence', 'fichiersJobs', 'piecesSansInscription', 'fichiersPieces'].map((k) => [
              k,
              { type: ['integer', 'null'] },
            ]),
          ),
        },
        dureeMs: { type: 'integer' },
      },
    },
    RapportPurgeRgpd: {
      type: 'object',
      properties: Object.fromEntries([
        ['le', { type: 'string', format: 'date-time' }],
        ['simulation', { type: 'boolean' }],
        ['campagnes', { type: 'integer' }],
        ['campagneLimite', { type: 'string', description: 'Les candidats de cette campagne et des précédentes sont examinés' }],
        ...['opi', 'laissezPasser', 'pieces', 'fichiersPieces'].map((k) => [k, { type: 'integer' }]),
        ...['lignesJournalAnonymisees', 'chargesSupprimees'].map((k) => [
          k,
          { type: ['integer', 'null'], description: 'null en simulation (connu une fois effacé)' },
        ]),
      ]),
    },
    ExportPersonne: {
      type: 'object',
      description: 'Tout ce que la passerelle détient sur une personne',
      properties: {
        individu: { type: 'string' },
        exporteLe: { type: 'string', format: 'date-time' },
        identifiants: { type: 'object' },
        donnees: {
          type: 'object',
          description:
            'opi, voeux, doublons, laissezPasser, inscriptions, evenementsInscription, pieces, historiquePieces, relances, journal (avec les messages gardés, déchiffrés)',
        },
        fichiers: {
          type: 'array',
          items: { type: 'object', properties: { nom: { type: 'string' }, empreinte: { type: 'string' }, taille: { type: ['integer', 'null'] } } },
        },
      },
    },
  };
}

export function cheminsJournal(): Json {
  return {
    '/api/v1/journal/{id}/rejouer': {
      post: op(
        'journal.rejouer',
        {
          description:
            "Repasse le message gardé de cette ligne du journal dans le traitement du jour, au nom du client qui l'avait envoyé, et répond le nouveau résultat à côté de l'ancien, avec ce que l'enregistrement est devenu. La nouvelle ligne du journal renvoie à l'originale (rejeuDe). Un message ne se rejoue qu'une fois, sauf forcer=true (409 DEJA_REJOUE).",
          parameters: [
            p('id', 'Identifiant de la ligne du journal'),
            oui('simulation', 'Rejouer sans rien écrire'),
            oui('forcer', 'Rejouer même un message déjà rejoué'),
          ],
        },
        { 200: { description: 'Avant et après', content: { 'application/json': { schema: ref('ReponseRejeu') } } }, 404: probleme, 409: probleme },
      ),
    },
    '/api/v1/journal/rejouer': {
      post: op(
        'journal.rejouerEnMasse',
        {
          description:
            'Rejoue les messages choisis par un filtre, en tâche de fond sur le moteur de chargements : avancement et compteurs à /api/v1/jobs/{id}, rejeux encore refusés à /api/v1/jobs/{id}/rejets.',
          requestBody: corps(ref('FiltreRejeu'), 'Le filtre', { required: true }),
        },
        { 202: { description: 'Job accepté', ...location('/api/v1/jobs/{id}'), content: { 'application/json': { schema: ref('EtatJob') } } } },
      ),
    },
    '/api/v1/conservation/purge': {
      post: op(
        'retention.purger',
        {
          description: 'Applique tout de suite les durées de conservation (la purge planifiée fait de même toutes les RETENTION_INTERVALLE_HEURES).',
          parameters: [oui('simulation', 'Compter sans supprimer')],
        },
        { 200: { description: 'Ce qui est parti', content: { 'application/json': { schema: ref('RapportConservation') } } } },
      ),
    },
    '/api/v1/rgpd/purge': {
      post: op(
        'rgpd.purger',
        {
          description:
            'Efface les OPI, laissez-passer, pièces (lignes et fichiers) et messages gardés des candidats sans inscription depuis N campagnes ; leurs lignes du journal restent, sans ce qui les désigne.',
          requestBody: corps(
            {
              type: 'object',
              required: ['campagnes'],
              properties: { campagnes: { type: 'integer', minimum: 1, maximum: 50 }, simulation: { type: 'boolean' } },
            },
            'Nombre de campagnes, simulation',
            { required: true },
          ),
        },
        { 200: { description: 'Ce qui est parti (ou partirait)', content: { 'application/json': { schema: ref('RapportPurgeRgpd') } } } },
      ),
    },
    '/api/v1/rgpd/export': {
      get: op(
        'rgpd.exporter',
        {
          description:
            'Tout ce qui est détenu sur une personne : le document JSON, ou (format=zip) une archive avec ce document et les fichiers de ses pièces.',
          parameters: [
            q('individu', 'OPI:…, ETU:… ou INE:…', { requis: true, exemple: 'OPI:EC26000001' }),
            q('format', 'json (défaut) ou zip', { schema: { type: 'string', enum: ['json', 'zip'], default: 'json' } }),
          ],
        },
        {
          200: {
            description: 'Le document, ou l’archive',
            content: { 'application/json': { schema: ref('ExportPersonne') }, 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          404: probleme,
        },
      ),
    },
  };
}
