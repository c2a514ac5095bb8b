/** Small helper shared by the REST routers: flat query strings (ids are read by the use cases: `lireId`). */
import type { Request } from 'express';

/** The query string as single string values (a repeated parameter counts as absent). */
export function requeteSimple(req: Request): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}
