/** The OPI imports' part of the OpenAPI document. */
import { type Json, op, probleme, q, ref } from './openapi-outils';

export function cheminsImports(formats: readonly string[]): Json {
  const champs = {
    format: { type: 'string', enum: [...formats], description: 'Format du fichier' },
    mode: { type: 'string', enum: ['partial', 'all-or-nothing'], default: 'partial' },
    simulation: { type: 'boolean', default: false, description: 'Tout vérifier, ne rien écrire (même rapport)' },
    codeFormationPsup: { type: 'string', description: 'Formation de tout le fichier (export de gestion Parcoursup, sans code de formation par ligne)' },
    codEtp: { type: 'string', description: "Étape de tout le fichier, à la place d'un code Parcoursup" },
    codVrsVet: { type: 'integer' },
  };
  return {
    '/api/v1/imports': {
      post: op(
        'opi.importer',
        {
          description:
            "Un fichier de candidats d'une plateforme, importé en OPI par le moteur de chargements : chaque ligne est transformée en l'OPI canonique puis vérifiée par le même schéma et les mêmes règles que toute porte ; "
            + "les problèmes d'une ligne sont tous rapportés, nommés par leur colonne ; une ligne qui répète (LIGNE_EN_DOUBLE) ou contredit (LIGNE_CONTRADICTOIRE) une ligne précédente du même candidat est rapportée. "
            + "La paire Pégase (candidat-AAAAMMJJ.csv + candidature-AAAAMMJJ.csv) en deux parties « fichiers » ou en un ZIP (nombre d'entrées, taille et taux de compression bornés).",
          parameters: Object.entries(champs).map(([name, schema]) => q(name, String((schema as Json).description ?? name), { schema: schema as Json })),
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: {
                    fichier: { type: 'string', format: 'binary' },
                    fichiers: { type: 'array', items: { type: 'string', format: 'binary' } },
                    ...champs,
                  },
                },
              },
              'text/csv': { schema: { type: 'string' } },
              'application/zip': { schema: { type: 'string', format: 'binary' } },
            },
          },
        },
        {
          202: { description: 'Import accepté : Location /api/v1/jobs/{id}', content: { 'application/json': { schema: ref('EtatJob') } } },
          409: probleme,
          413: probleme,
        },
      ),
    },
  };
}
