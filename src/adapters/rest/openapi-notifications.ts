/** The outbox's part of the OpenAPI document (notifications owed to Parcoursup): paths and the components they answer with. */
import { type Json, limite, nullable, op, p, probleme, q, ref } from './openapi-outils';

const ETATS = ['A_ENVOYER', 'ENVOYEE', 'ECHEC'];

export function composantsNotifications(): Json {
  return {
    NotificationLue: {
      type: 'object',
      required: ['id', 'type', 'cle', 'ordre', 'etat', 'tentatives', 'prochaineTentative', 'derniereErreur', 'creeLe', 'envoyeeLe', 'corps'],
      properties: {
        id: { type: 'integer' },
        type: { type: 'string', description: 'PARCOURSUP_MAJ_IA : majInscriptionAdministrative de Parcoursup' },
        cle: { type: 'string', description: "Le candidat Parcoursup (son numéro ; OPI:<numéro d'OPI> quand il est inconnu)" },
        ordre: { type: 'integer', minimum: 1, description: 'Rang parmi les notifications du candidat : chacune part après que la précédente a été reçue' },
        etat: {
          type: 'string',
          enum: ETATS,
          description: 'A_ENVOYER (en attente de son tour ou de sa prochaine tentative), ENVOYEE (reçue), ECHEC (à relancer)',
        },
        tentatives: { type: 'integer', minimum: 0 },
        prochaineTentative: { type: 'string', format: 'date-time' },
        derniereErreur: nullable('string'),
        creeLe: { type: 'string', format: 'date-time', description: "Écrite avec le changement d'état de l'inscription, dans la même transaction" },
        envoyeeLe: nullable('string', { format: 'date-time' }),
        corps: {
          type: 'object',
          description:
            "Ce qui est envoyé, sans le compte ni l'établissement (ajoutés à l'envoi) : codeCandidat, ine, nom, prenom, dateNaissance (jj/MM/aaaa), codeFormationPsup, codeFormation1, codeSISE, etatInscription (1 principale, 2 double cursus, 3 annulée, 4 parallèle, 5 parallèle secondaire). État absolu : le recevoir deux fois ne change rien.",
        },
      },
    },
  };
}

export function cheminsNotifications(): Json {
  return {
    '/api/v1/notifications': {
      get: op(
        'notifications.lister',
        {
          description:
            "Les notifications dues à Parcoursup (inscription validée ou annulée d'une OPI Parcoursup), les plus récentes d'abord. etat=ECHEC : celles qui attendent une relance.",
          parameters: [
            q('etat', 'A_ENVOYER, ENVOYEE ou ECHEC', { schema: { type: 'string', enum: ETATS } }),
            q('cle', 'Le candidat (numéro Parcoursup)'),
            limite(1000, 100),
            q('avant', 'curseur : valeur de suivant', { schema: { type: 'integer' } }),
          ],
        },
        {
          200: {
            description: '{ notifications: [...], suivant }',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { notifications: { type: 'array', items: ref('NotificationLue') }, suivant: nullable('integer') } },
              },
            },
          },
        },
      ),
    },
    '/api/v1/notifications/{id}/relance': {
      post: op(
        'notifications.relancer',
        {
          description:
            "Rend due tout de suite une notification en ECHEC (ou qui attend sa prochaine tentative), ses tentatives remises à zéro. Une notification déjà reçue (ENVOYEE) n'est pas renvoyée : 409 NOTIFICATION_DEJA_ENVOYEE.",
          parameters: [p('id', 'Identifiant de la notification')],
        },
        {
          200: {
            description: '{ resultat: RELANCEE, notification }',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { resultat: { type: 'string', enum: ['RELANCEE'] }, notification: ref('NotificationLue') } },
              },
            },
          },
          404: probleme,
          409: probleme,
        },
      ),
    },
  };
}
