/** Building blocks of the OpenAPI document, shared by its parts (one per resource family). */
import { OPERATIONS, type NomOperation } from '../../application/registre';

export type Json = Record<string, unknown>;

export const probleme = { $ref: '#/components/responses/Probleme' };
export const ref = (nom: string) => ({ $ref: `#/components/schemas/${nom}` });

/**
 * The operation object of a path + method that serves the registry operation `nom`: operationId, tag
 * and summary from the registry (`description` for what the summary does not say), the correlation
 * headers, and the error responses every use case may give.
 */
export function op(nom: NomOperation, extra: Json = {}, reponses: Json = {}): Json {
  const meta = OPERATIONS[nom];
  const { parameters, ...reste } = extra as Json & { parameters?: unknown[] };
  return {
    operationId: meta.operationId,
    tags: [meta.tag],
    summary: meta.resume,
    'x-operation': nom,
    // The scope the caller needs (401 without credentials, 403 without this scope).
    'x-portee': meta.portee,
    description: `${(reste.description as string | undefined) ? `${reste.description as string}\n\n` : ''}Portée requise : \`${meta.portee}\`.`,
    ...Object.fromEntries(Object.entries(reste).filter(([k]) => k !== 'description')),
    parameters: [{ $ref: '#/components/parameters/RequestId' }, ...(parameters ?? [])],
    responses: { ...reponses, 400: probleme, 401: probleme, 403: probleme, 422: probleme, 500: probleme, 503: probleme },
  };
}

interface OptionsParametre {
  requis?: boolean;
  schema?: Json;
  exemple?: unknown;
}
export const q = (name: string, description: string, o: OptionsParametre = {}) => ({
  name,
  in: 'query',
  required: o.requis ?? false,
  description,
  schema: o.schema ?? { type: 'string' },
  ...(o.exemple === undefined ? {} : { example: o.exemple }),
});
export const p = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
export const limite = (max: number, defaut: number) =>
  q('limite', `1 à ${max}, défaut ${defaut}`, { schema: { type: 'integer', minimum: 1, maximum: max, default: defaut } });
export const oui = (name: string, description: string) => q(name, description, { schema: { type: 'boolean', default: false } });
export const json = (nom: string, description: string) => ({ description, content: { 'application/json': { schema: ref(nom) } } });
export const corps = (schema: Json, description: string, extra: Json = {}) => ({ description, ...extra, content: { 'application/json': { schema } } });
export const location = (description: string) => ({ headers: { Location: { description, schema: { type: 'string' } } } });
export const nullable = (type: string, extra: Json = {}) => ({ type: [type, 'null'], ...extra });
