/** The supporting documents' part of the OpenAPI document: paths and the components they answer with. */
import { type Json, json, limite, nullable, op, p, probleme, q, ref } from './openapi-outils';

const OPI = p('codOpiIntEpo', "Numéro d'OPI");
const TPJ = p('codTpj', 'Type de pièce (nomenclature types-pj)');
const STATUTS = ['ATTENDUE', 'DEPOSEE', 'VALIDEE', 'REFUSEE'];
const FORMATS_FICHIER = ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'];

export function composantsPieces(): Json {
  return {
    PieceLue: {
      type: 'object',
      properties: {
        codTpj: { type: 'string' },
        libelle: { type: 'string' },
        attendue: { type: 'boolean', description: 'Demandée à cet individu (sinon reçue sans être demandée)' },
        raisons: { type: 'array', items: { type: 'string' }, description: 'Pourquoi elle est demandée (régime, statut, nationalité, profil, formation)' },
        statut: { type: 'string', enum: STATUTS },
        nomFichier: nullable('string'),
        typeMedia: nullable('string', { description: 'Type réel, lu dans le contenu' }),
        taille: nullable('integer'),
        motifRefus: nullable('string'),
        libelleMotifRefus: nullable('string'),
        commentaire: nullable('string'),
        version: nullable('integer'),
        deposeLe: nullable('string', { format: 'date-time' }),
        statutLe: nullable('string', { format: 'date-time' }),
      },
    },
    PiecesDeOpi: {
      type: 'object',
      properties: {
        codOpiIntEpo: { type: 'string' },
        codAnu: { type: 'string' },
        adresse: nullable('string'),
        pieces: { type: 'array', items: ref('PieceLue') },
      },
    },
    ResultatDepot: { type: 'object', properties: { resultat: { type: 'string', enum: ['CREE', 'REMPLACE', 'INCHANGE'] }, piece: ref('PieceLue') } },
    ResultatDecisionPj: { type: 'object', properties: { resultat: { type: 'string', enum: ['VALIDEE', 'REFUSEE', 'INCHANGE'] }, piece: ref('PieceLue') } },
    InfoPjAmue: {
      type: 'object',
      description: 'Une pièce au format du service PJ Amue (dates jj-MM-aaaa HH:mm, heure de Paris ; stuPj commençant par V = validée)',
      properties: Object.fromEntries(
        [
          ['codAnu', 'string'],
          ['codTpj', 'string'],
          ['libTpj', 'string'],
          ['nomFic', ['string', 'null']],
          ['temDemPJ', 'boolean'],
          ['stuPj', 'string'],
          ['mtfRefus', ['string', 'null']],
          ['cmtMtfRefus', ['string', 'null']],
          ['datDemPj', ['string', 'null']],
          ['datRecPj', ['string', 'null']],
          ['datRefus', ['string', 'null']],
          ['datVal', ['string', 'null']],
          ['datExp', ['string', 'null']],
          ['daaPreTra', ['string', 'null']],
        ].map(([k, t]) => [k, { type: t }]),
      ),
    },
    ErreurAmue: {
      type: 'object',
      description: 'Erreur au format du service PJ Amue',
      properties: {
        erreurMsg: { type: 'string' },
        erreurType: { type: 'string', description: 'nullretrieve.etudiantinexistant, nullretrieve.piecejustif, ou <nature>.<champ>' },
        erreurDescription: { type: 'string' },
      },
    },
    IndividuEnAttente: {
      type: 'object',
      properties: {
        codOpiIntEpo: { type: 'string' },
        individu: { type: 'string' },
        libNomPatIndOpi: { type: 'string' },
        libPr1IndOpi: { type: 'string' },
        adresse: nullable('string'),
        manquantes: { type: 'array', items: ref('PieceLue') },
      },
    },
  };
}

const fichier = {
  description: 'Le fichier, avec son type réel et un Content-Disposition sûr',
  content: Object.fromEntries(FORMATS_FICHIER.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
};
const erreurAmue = { description: 'Erreur (format Amue)', content: { 'application/json': { schema: ref('ErreurAmue') } } };
const criteresAmue = [
  q('codAnu', 'Année universitaire (AAAA)', { requis: true }),
  q('codEtu', "Numéro étudiant (trouvé par l'OPI, un laissez-passer ou une inscription)"),
  q('codOpiIntEpo', "Numéro d'OPI, à la place de codEtu"),
];

export function cheminsPieces(): Json {
  return {
    '/api/v1/opi/{codOpiIntEpo}/pj': {
      get: op('pj.lister', { parameters: [OPI] }, { 200: json('PiecesDeOpi', 'Pièces attendues (avec leurs raisons) et reçues'), 404: probleme }),
    },
    '/api/v1/opi/{codOpiIntEpo}/pj/{codTpj}': {
      put: op(
        'pj.deposer',
        {
          description:
            "Dépôt d'une pièce : multipart/form-data avec le fichier dans la partie « fichier », ou le corps brut avec Content-Type et Content-Disposition (filename). "
            + 'Le type réel est lu dans les octets (jamais dans le nom) ; PDF, JPEG, PNG selon le type de pièce ; un PDF chiffré ou illisible est refusé ; les erreurs de fichier ont le chemin « pj ». '
            + 'Les mêmes octets renvoyés ne changent rien (INCHANGE) ; un autre fichier remplace le précédent (REMPLACE, historique gardé).',
          parameters: [OPI, TPJ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: { type: 'object', required: ['fichier'], properties: { fichier: { type: 'string', format: 'binary' } } } },
              ...Object.fromEntries(FORMATS_FICHIER.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
            },
          },
        },
        { 201: json('ResultatDepot', 'Pièce déposée'), 200: json('ResultatDepot', 'Pièce remplacée ou inchangée'), 404: probleme, 413: probleme },
      ),
    },
    '/api/v1/opi/{codOpiIntEpo}/pj/{codTpj}/contenu': { get: op('pj.contenu', { parameters: [OPI, TPJ] }, { 200: fichier, 404: probleme }) },
    '/api/v1/opi/{codOpiIntEpo}/pj/{codTpj}/statut': {
      post: op(
        'pj.statuer',
        {
          description: "Décision de la scolarité : VALIDEE, ou REFUSEE avec un motif de la nomenclature motifs-refus-pj (et un commentaire pour l'étudiant)",
          parameters: [OPI, TPJ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('DecisionPj') } } },
        },
        { 200: json('ResultatDecisionPj', 'Décision enregistrée, ou INCHANGE'), 404: probleme, 409: probleme },
      ),
    },
    '/api/v1/pj/en-attente': {
      get: op(
        'pj.enAttente',
        {
          description: "Les individus qui doivent encore une pièce (attendue et non reçue, ou refusée), par pages d'OPI",
          parameters: [
            q('codEtp', 'Formation (étape) demandée'),
            q('codTpj', 'Type de pièce'),
            q('depuis', 'OPI reçues depuis (date ISO)'),
            q('apres', 'curseur : valeur de suivant'),
            limite(500, 100),
          ],
        },
        {
          200: {
            description: '{ individus: [...], suivant }',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { individus: { type: 'array', items: ref('IndividuEnAttente') }, suivant: nullable('integer') } },
              },
            },
          },
        },
      ),
    },
    '/api/v1/pj/relances': {
      post: op(
        'pj.relancer',
        {
          description:
            "Écrit à chaque étudiant qui doit encore une pièce (attendue ou refusée) : un courriel par étudiant et par période (RELANCE_PJ_PERIODE_JOURS), jamais à une adresse refusée par le serveur SMTP ; un passage à la fois, tous nœuds confondus. simulation=true : liste qui serait relancé, n'envoie rien.",
          parameters: [q('simulation', 'true : ne rien envoyer, lister', { schema: { type: 'boolean', default: false } })],
        },
        {
          200: {
            description:
              'Rapport : { simulation, periode, ecrits: [{ codOpiIntEpo, nom, adresse, pieces }], ignores: { sansAdresse, adresseRefusee, dejaRelance }, echecs: [...] }',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          409: probleme,
        },
      ),
    },
    '/api/v1/pj/info': {
      get: op(
        'pj.info',
        { description: 'Compatible avec le service PJ Amue (GET {pj.urlService}/info)', parameters: [...criteresAmue, q('codTpj', 'Type de pièce')] },
        { 200: { description: 'Les pièces', content: { 'application/json': { schema: { type: 'array', items: ref('InfoPjAmue') } } } }, 404: erreurAmue },
      ),
    },
    '/api/v1/pj/fichier': {
      get: op(
        'pj.fichier',
        {
          description: 'Compatible avec le service PJ Amue (GET {pj.urlService}/fichier)',
          parameters: [...criteresAmue, q('codTpj', 'Type de pièce', { requis: true })],
        },
        { 200: fichier, 404: erreurAmue },
      ),
    },
  };
}
