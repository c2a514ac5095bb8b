/**
 * OpenAPI 3.1 description of the REST door, built from the same JSON Schemas the use cases validate
 * with (their `$defs` hoisted into `components.schemas`), and a human-readable page rendered from it.
 */
import { PREFIXE_ID_SCHEMA, schema } from '../../application/validation';
import { CATALOGUE } from '../../domain/errors';

type Json = Record<string, unknown>;

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
  const s = JSON.parse(JSON.stringify(schema(nom)).replace(REF_DEF, (_m, doc: string | undefined, def: string) => {
    if (doc) references.add(doc);
    return `"#/components/schemas/${def}"`;
  })) as Json;
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

const probleme = { $ref: '#/components/responses/Probleme' };

function op(summary: string, extra: Json = {}, reponses: Json = {}): Json {
  return {
    summary,
    parameters: [{ $ref: '#/components/parameters/ClientId' }, { $ref: '#/components/parameters/RequestId' }, ...((extra.parameters as unknown[]) ?? [])],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'parameters')),
    responses: { ...reponses, 400: probleme, 422: probleme, 500: probleme, 503: probleme },
  };
}

const q = (name: string, description: string, required = false) => ({ name, in: 'query', required, description, schema: { type: 'string' } });
const p = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const json = (ref: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

export function documentOpenApi(): Json {
  const schemas: Json = {};
  for (const nom of ['opi', 'laissez-passer', 'inscription', 'paiement', 'annulation']) hisser(nom, schemas);
  Object.assign(schemas, {
    ErreurChamp: {
      type: 'object', required: ['code', 'path', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(CATALOGUE), description: 'Code stable du catalogue d\'erreurs' },
        path: { type: 'string', description: 'Chemin du champ, ex. individu.etatCivil.codNneIndOpi ou voeux[1].codEtp' },
        message: { type: 'string', description: 'Message en français' },
      },
    },
    Probleme: {
      type: 'object', description: 'application/problem+json (RFC 9457)',
      properties: {
        type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
        instance: { type: 'string' }, requestId: { type: 'string' },
        errors: { type: 'array', items: { $ref: '#/components/schemas/ErreurChamp' } },
      },
    },
    ResultatUpsertOpi: {
      type: 'object',
      properties: {
        resultat: { type: 'string', enum: ['CREE', 'MIS_A_JOUR', 'INCHANGE'] }, codOpiIntEpo: { type: 'string' }, version: { type: 'integer' },
        avertissements: { type: 'array', items: { $ref: '#/components/schemas/ErreurChamp' }, description: 'Doublons possibles (DOUBLON_INE, DOUBLON_COD_ETU, DOUBLON_ETAT_CIVIL)' },
        voeux: { type: 'array', items: { type: 'object', properties: { codCge: { type: 'string' }, codEtp: { type: 'string' }, codVrsVet: { type: 'integer' }, statut: { const: 'ENREGISTRE' } } } },
      },
    },
    OpiLue: {
      type: 'object',
      properties: {
        codOpiIntEpo: { type: 'string' }, version: { type: 'integer' }, source: { type: 'string' },
        creeLe: { type: 'string', format: 'date-time' }, modifieLe: { type: 'string', format: 'date-time' },
        doublons: { type: 'array', items: { type: 'object', properties: { motif: { type: 'string' }, codOpiIntEpo: { type: 'string' }, detecteLe: { type: 'string' } } } },
        donnees: { $ref: '#/components/schemas/DonneesOpi' },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passerelle candidatures — API REST',
      version: '1',
      description: 'OPI, laissez-passer (un par un et en masse), accès, inscriptions administratives, nomenclatures et journal d\'audit. '
        + 'Les mêmes cas d\'usage sont servis en SOAP : /ws/OpiMetier?wsdl et /ws/LaissezPasserMetier?wsdl (contrats Apogée 6.70), /ws/InscriptionMetier?wsdl (le nôtre). '
        + 'Erreurs : application/problem+json avec errors[] = {code, path, message}.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      '/api/v1/opi/{codOpiIntEpo}': {
        put: op('Créer ou mettre à jour une OPI (individu + ensemble exact des vœux)', {
          parameters: [p('codOpiIntEpo', 'Numéro d\'OPI (identique à individu.codOpiIntEpo)')],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DonneesOpi' } } } },
        }, { 201: json('ResultatUpsertOpi', 'OPI créée'), 200: json('ResultatUpsertOpi', 'OPI mise à jour ou inchangée') }),
        get: op('Lire une OPI', { parameters: [p('codOpiIntEpo', 'Numéro d\'OPI')] }, { 200: json('OpiLue', 'L\'OPI'), 404: probleme }),
      },
      '/api/v1/opi': {
        get: op('Rechercher des OPI par INE, numéro étudiant, ou nom de naissance + date de naissance', {
          parameters: [q('ine', 'INE + clé (11 caractères)'), q('codEtu', 'Numéro étudiant'), q('nom', 'Nom de naissance (comparé sans accents)'),
            q('prenom', 'Prénom (avec nom)'), q('dateNaissance', 'AAAA-MM-JJ (avec nom)'), q('limite', '1 à 200, défaut 50')],
        }, { 200: { description: 'Résultats', content: { 'application/json': { schema: { type: 'object', properties: { nombre: { type: 'integer' }, resultats: { type: 'array', items: { $ref: '#/components/schemas/OpiLue' } } } } } } } }),
      },
      '/api/v1/laissez-passer': {
        post: op('Créer ou mettre à jour un laissez-passer (identité : individu, codAnu, codEtp, codVrsVet) ; Idempotency-Key accepté', {
          parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/LaissezPasser' } } } },
        }, { 201: { description: 'Créé : { resultat: CREE, id, laissezPasser }' }, 200: { description: 'MIS_A_JOUR ou INCHANGE' }, 409: probleme }),
        get: op('Rechercher des laissez-passer', {
          parameters: [q('codAnu', 'Année'), q('codOpiIntEpo', 'Numéro d\'OPI (ou numOPI)'), q('codEtu', 'Numéro étudiant'), q('ine', 'INE'), q('codEtp', 'Étape'),
            q('codVrsVet', 'Version d\'étape'), q('jobId', 'Chargement qui les a écrits'), q('avant', 'curseur : id'), q('limite', '1 à 1000, défaut 100')],
        }, { 200: { description: '{ laissezPasser: [...], suivant }' } }),
      },
      '/api/v1/laissez-passer/{id}': {
        get: op('Lire un laissez-passer', { parameters: [p('id', 'Identifiant')] }, { 200: { description: 'Le laissez-passer' }, 404: probleme }),
        delete: op('Supprimer un laissez-passer (journalisé)', { parameters: [p('id', 'Identifiant')] }, { 204: { description: 'Supprimé' }, 404: probleme }),
      },
      '/api/v1/laissez-passer/lot': {
        post: op('Une liste de laissez-passer (10 000 au plus) en un appel : un résultat par élément, dans l\'ordre (CREE, MIS_A_JOUR, INCHANGE, REJETE avec erreurs, NON_ECRIT)', {
          parameters: [q('mode', 'partial (défaut) ou all-or-nothing'), { $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', maxItems: 10000, items: { $ref: '#/components/schemas/LaissezPasser' } } } } },
        }, { 200: { description: '{ mode, creees, misesAJour, inchangees, rejetees, toutOuRienAnnule, resultats: [{ rang, statut, id?, erreurs? }] }' }, 413: probleme }),
      },
      '/api/v1/laissez-passer/bulk': {
        post: op('Charger un fichier de laissez-passer (CSV UTF-8 ou Windows-1252, ; ou , ; XLSX ; tableau JSON), en flux, par paquets transactionnels', {
          parameters: [q('mode', 'partial (défaut : bonnes lignes gardées, mauvaises rapportées) ou all-or-nothing'), q('attendre', 'true : répondre à la fin du chargement'),
            q('format', 'csv, xlsx ou json (sinon déduit du Content-Type)'), q('nomFichier', 'nom du fichier (rapport)'), { $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/LaissezPasser' } } } } },
        }, { 202: { description: 'Chargement accepté : Location /api/v1/jobs/{id}' }, 200: { description: 'Chargement terminé (attendre=true), avec les 100 premiers rejets' }, 413: probleme, 415: probleme }),
      },
      '/api/v1/laissez-passer/modele.csv': { get: { summary: 'Modèle CSV (en-tête des champs V2 + une ligne d\'exemple)', responses: { 200: { description: 'CSV' } } } },
      '/api/v1/laissez-passer/modele.xlsx': { get: { summary: 'Modèle XLSX', responses: { 200: { description: 'XLSX' } } } },
      '/api/v1/jobs/{id}': { get: op('État d\'un chargement : lignes lues, écrites, rejetées, état', { parameters: [p('id', 'Identifiant du chargement')] }, { 200: { description: 'État' }, 404: probleme }) },
      '/api/v1/jobs/{id}/rejets': {
        get: op('Toutes les lignes rejetées (numéro de ligne, codes, chemins, messages, valeurs) ; format=csv pour le rapport téléchargeable', {
          parameters: [p('id', 'Identifiant du chargement'), q('format', 'json (défaut) ou csv'), q('apres', 'curseur : numéro de ligne')],
        }, { 200: { description: 'Rejets' }, 404: probleme }),
      },
      '/api/v1/acces': {
        get: op('Formations auxquelles un individu peut s\'inscrire pour une année, avec les valeurs effectives (régime, statut, catégorie « Oui Si », situation droits) et leur provenance (LP, OPI_VOEU, OPI_INDIVIDU, FORMATION)', {
          parameters: [q('codAnu', 'Année (obligatoire)', true), q('codOpiIntEpo', 'Numéro d\'OPI'), q('codEtu', 'Numéro étudiant'), q('ine', 'INE')],
        }, { 200: { description: 'Accès' }, 404: probleme }),
      },
      '/api/v1/inscriptions': {
        post: op('Créer une inscription administrative (exige un accès ; une seule par individu, année et étape : la seconde demande rend l\'existante)', {
          parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DemandeInscription' } } } },
        }, { 201: { description: '{ resultat: CREEE, inscription }' }, 200: { description: '{ resultat: EXISTANTE, inscription }' } }),
        get: op('Rechercher des inscriptions', {
          parameters: [q('codAnu', 'Année'), q('codOpiIntEpo', 'Numéro d\'OPI'), q('codEtu', 'Numéro étudiant'), q('ine', 'INE'), q('codEtp', 'Étape'), q('etat', 'État'), q('avant', 'curseur : id'), q('limite', '1 à 1000')],
        }, { 200: { description: '{ inscriptions: [...], suivant }' } }),
      },
      '/api/v1/inscriptions/{id}': { get: op('Lire une inscription (valeurs, provenance, droits, CVEC, explication)', { parameters: [p('id', 'Identifiant')] }, { 200: { description: 'Inscription' }, 404: probleme }) },
      '/api/v1/inscriptions/{id}/evenements': { get: op('Changements d\'état de l\'inscription', { parameters: [p('id', 'Identifiant')] }, { 200: { description: 'Événements' }, 404: probleme }) },
      '/api/v1/inscriptions/{id}/paiement': {
        post: op('Enregistrer le paiement du montant dû (idempotent sur la référence)', {
          parameters: [p('id', 'Identifiant')], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Paiement' } } } },
        }, { 200: { description: 'PAYEE ou INCHANGE' }, 404: probleme, 409: probleme }),
      },
      '/api/v1/inscriptions/{id}/validation': { post: op('Valider une inscription payée ou exonérée', { parameters: [p('id', 'Identifiant')] }, { 200: { description: 'VALIDEE' }, 409: probleme }) },
      '/api/v1/inscriptions/{id}/annulation': {
        post: op('Annuler une inscription (motif obligatoire)', {
          parameters: [p('id', 'Identifiant')], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Annulation' } } } },
        }, { 200: { description: 'ANNULEE ou INCHANGE' }, 409: probleme }),
      },
      '/api/v1/nomenclatures': { get: op('Lister les nomenclatures chargées', {}, { 200: { description: 'Liste' } }) },
      '/api/v1/nomenclatures/{nom}': {
        get: op('Codes d\'une nomenclature', { parameters: [p('nom', 'regimes, statuts, situations-droits, etapes…'), q('enService', 'true : seulement les codes en service')] },
          { 200: { description: 'Codes' }, 404: probleme }),
      },
      '/api/v1/journal': {
        get: op('Lire le journal d\'audit (du plus récent au plus ancien)', {
          parameters: [q('depuis', 'date-heure ISO'), q('jusqua', 'date-heure ISO'), q('porte', 'REST, SOAP ou BATCH'), q('operation', 'ex. opi.enregistrer'),
            q('client', 'client appelant'), q('cle', 'clé métier (numéro d\'OPI…)'), q('resultat', 'CREE, MIS_A_JOUR, INCHANGE, REJETE, ERREUR…'),
            q('requestId', 'identifiant de requête'), q('avant', 'curseur : id de la dernière entrée reçue'), q('limite', '1 à 1000, défaut 100')],
        }, { 200: { description: 'Entrées' } }),
      },
      '/health': { get: { summary: 'Vivacité du processus', responses: { 200: { description: 'OK' } } } },
      '/ready': { get: { summary: 'Prêt : la base répond', responses: { 200: { description: 'Prêt' }, 503: { description: 'Base indisponible' } } } },
    },
    components: {
      schemas,
      parameters: {
        ClientId: { name: 'X-Client-Id', in: 'header', required: false, description: 'Identifiant du client appelant (journalisé)', schema: { type: 'string' } },
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: 'Un renvoi avec la même clé et le même corps rejoue la première réponse ; un autre corps → 409', schema: { type: 'string', maxLength: 200 } },
        RequestId: { name: 'X-Request-Id', in: 'header', required: false, description: 'Identifiant de corrélation (généré sinon, renvoyé en réponse)', schema: { type: 'string' } },
      },
      responses: {
        Probleme: { description: 'Erreur (problem+json)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Probleme' } } } },
      },
    },
  };
}

function echapper(s: unknown): string {
  return String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A plain HTML page: operations, then each record's fields (type, length, mandatory, meaning), then the error catalogue. */
export function pageDocumentation(doc: Json): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  const ops = Object.entries(paths).flatMap(([chemin, methodes]) => Object.entries(methodes).map(([m, o]) =>
    `<tr><td><code>${m.toUpperCase()}</code></td><td><code>${echapper(chemin)}</code></td><td>${echapper(o.summary)}</td></tr>`)).join('\n');
  const tables = Object.entries(schemas).filter(([, s]) => s.properties).map(([nom, s]) => {
    const req = new Set((s.required as string[] | undefined) ?? []);
    const lignes = Object.entries(s.properties as Record<string, Json>).map(([champ, d]) => {
      const ref = typeof d.$ref === 'string' ? d.$ref.split('/').pop() : undefined;
      const type = ref ? `<a href="#${ref}">${ref}</a>` : d.type === 'array' ? 'liste' : echapper(d.type ?? d.const ?? '');
      const contraintes = [d.maxLength !== undefined ? `≤ ${d.maxLength} car.` : '', d.pattern ? `motif <code>${echapper(d.pattern)}</code>` : '',
        d.format ? `format ${echapper(d.format)}` : '', d.enum ? `valeurs ${echapper((d.enum as unknown[]).join(', '))}` : '',
        d.minimum !== undefined ? `≥ ${d.minimum}` : '', d.maximum !== undefined ? `≤ ${d.maximum}` : ''].filter(Boolean).join(' ; ');
      return `<tr><td><code>${champ}</code></td><td>${type}</td><td>${req.has(champ) ? 'oui' : ''}</td><td>${contraintes}</td><td>${echapper(d.description)}</td></tr>`;
    }).join('\n');
    return `<h3 id="${nom}">${nom}${s.title && s.title !== nom ? ` (${echapper(s.title)})` : ''}</h3>${s.description ? `<p>${echapper(s.description)}</p>` : ''}
<table><tr><th>champ</th><th>type</th><th>obligatoire</th><th>contraintes</th><th>description</th></tr>${lignes}</table>`;
  }).join('\n');
  const erreurs = Object.entries(CATALOGUE).map(([code, e]) =>
    `<tr><td><code>${code}</code></td><td>${e.status}</td><td>${e.gravite}</td><td>${echapper(e.message)}</td></tr>`).join('\n');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${echapper((doc.info as Json).title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;font-size:14px}th{background:#f3f3f3}code{font-size:13px}</style></head><body>
<h1>${echapper((doc.info as Json).title)}</h1><p>${echapper((doc.info as Json).description)}</p>
<p>Description machine : <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). SOAP : <a href="/ws/OpiMetier?wsdl">/ws/OpiMetier?wsdl</a>,
<a href="/ws/LaissezPasserMetier?wsdl">/ws/LaissezPasserMetier?wsdl</a>, <a href="/ws/InscriptionMetier?wsdl">/ws/InscriptionMetier?wsdl</a>.
Modèles de fichier de laissez-passer : <a href="/api/v1/laissez-passer/modele.csv">CSV</a>, <a href="/api/v1/laissez-passer/modele.xlsx">XLSX</a>.</p>
<h2>Opérations</h2><table><tr><th>méthode</th><th>chemin</th><th>rôle</th></tr>${ops}</table>
<h2>Enregistrements</h2>${tables}
<h2>Catalogue d'erreurs</h2><p>Chaque rejet donne le code, le chemin du champ et le message ; en SOAP, la même chose dans un WebBaseException (faultstring = <code>technical.domaine.nature.element</code>, messages/item = « CODE [chemin] message »).</p>
<table><tr><th>code</th><th>HTTP</th><th>gravité</th><th>message</th></tr>${erreurs}</table></body></html>`;
}
