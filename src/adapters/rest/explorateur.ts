/**
 * The integrator's API explorer at `/api/v1/docs`: Swagger UI (swagger-ui-dist, served from the
 * package, nothing fetched from a CDN) on the gateway's own OpenAPI document, "Try it out" against
 * this gateway with an API key; the reference page (operations, records, error catalogue) stays at
 * `/api/v1/docs/reference`. No inline script: the page passes the default Content-Security-Policy.
 */
import path from 'node:path';
import express, { Router } from 'express';
import { ErreurMetier, probleme } from '../../domain/errors';

/** The package's folder of built files (its own `getAbsoluteFSPath` is this). */
const DOSSIER_SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Explorateur de l'API — passerelle de candidature</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png">
<style>body{margin:0;font-family:system-ui,sans-serif}.bandeau{padding:.6rem 1rem;background:#1f3a5f;color:#fff}.bandeau a{color:#fff}</style>
</head>
<body>
<header class="bandeau"><strong>Passerelle de candidature</strong> — explorateur de l'API REST.
Renseignez votre clé d'API avec « Authorize » pour essayer les appels.
<a href="docs/reference">Référence complète (enregistrements, catalogue d'erreurs)</a> · <a href="openapi.json">OpenAPI (JSON)</a></header>
<main id="explorateur"></main>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="docs/explorateur.js"></script>
</body>
</html>`;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#explorateur',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'BaseLayout',
    tryItOutEnabled: false,
    displayOperationId: true,
    persistAuthorization: false,
  });
});
`;

export function routesExplorateur(pageReference: string): Router {
  const r = Router();
  r.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  r.get('/docs/explorateur.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  r.get('/docs/reference', (_req, res) => {
    res.type('html').send(pageReference);
  });
  r.use('/docs/assets', express.static(DOSSIER_SWAGGER_UI, { index: false, maxAge: '1d' }), (req) => {
    throw new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `GET /api/v1/docs/assets${req.path}` })], 404);
  });
  return r;
}
