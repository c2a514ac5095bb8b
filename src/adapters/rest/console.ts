/**
 * The staff console (built by `npm run build` into dist/console): its files under /console/assets,
 * and index.html for every other path under /console (the pages are the console's own routes).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { ErreurMetier, probleme } from '../../domain/errors';

/** dist/console, beside dist/src where this file runs from. */
export const DOSSIER_CONSOLE = path.resolve(__dirname, '..', '..', '..', 'console');

export function routesConsole(dossier = DOSSIER_CONSOLE): Router {
  const r = Router();
  const index = path.join(dossier, 'index.html');
  r.get(/^\/console$/, (_req, res) => res.redirect(302, '/console/'));
  // Hashed file names: cached for long; a missing one is a 404, never the page.
  r.use('/console/assets', express.static(path.join(dossier, 'assets'), { index: false, immutable: true, maxAge: '365d' }), (req) => {
    throw new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `GET /console/assets${req.path}` })], 404);
  });
  r.get(/^\/console\/.*/, (req, res) => {
    if (!existsSync(index))
      throw new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `${req.path} (la console n'est pas construite : npm run build)` })], 404);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
