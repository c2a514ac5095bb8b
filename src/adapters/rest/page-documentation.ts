/** The human-readable documentation page, rendered from the OpenAPI document: operations by tag, each record's fields, the error catalogue. */
import { CATALOGUE } from '../../domain/errors';

type Json = Record<string, unknown>;

function echapper(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const METHODES = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** The component a local `$ref` names, when there is one. */
function composantDe(d: Json | undefined, schemas: Record<string, Json>): { nom: string; s: Json } | undefined {
  if (!d || typeof d.$ref !== 'string' || !d.$ref.startsWith('#/components/schemas/')) return undefined;
  const nom = d.$ref.slice('#/components/schemas/'.length);
  return schemas[nom] ? { nom, s: schemas[nom] } : undefined;
}

function typeSimple(d: Json): string {
  if (Array.isArray(d.type)) return echapper(d.type.join(' | '));
  return echapper(d.type ?? d.const ?? '');
}

function contraintesDe(d: Json): string {
  return [
    d.minLength !== undefined ? `≥ ${d.minLength} car.` : '',
    d.maxLength !== undefined ? `≤ ${d.maxLength} car.` : '',
    d.pattern ? `motif <code>${echapper(d.pattern)}</code>` : '',
    d.format ? `format ${echapper(d.format)}` : '',
    d.enum ? `valeurs ${echapper((d.enum as unknown[]).join(', '))}` : '',
    d.minimum !== undefined ? `≥ ${d.minimum}` : '',
    d.maximum !== undefined ? `≤ ${d.maximum}` : '',
    d.maxItems !== undefined ? `≤ ${d.maxItems} éléments` : '',
  ]
    .filter(Boolean)
    .join(' ; ');
}

/**
 * A field as the page shows it. A `$ref` to a record (a component with properties) is a link to its
 * table; a `$ref` to a shared scalar definition (NumeroEtudiant, AnneeUniversitaire…) has no table, so
 * its type, constraints and description are shown in place (the field's own words first).
 */
function champ(d: Json, schemas: Record<string, Json>): { type: string; contraintes: string; description: unknown } {
  const c = composantDe(d, schemas);
  if (c?.s.properties)
    return { type: `<a href="#${echapper(c.nom)}">${echapper(c.nom)}</a>`, contraintes: contraintesDe(d), description: d.description ?? c.s.description };
  if (c) {
    const { $ref: _ref, ...propres } = d;
    const fusion = { ...c.s, ...propres };
    return { type: `${typeSimple(fusion)} <small>(${echapper(c.nom)})</small>`, contraintes: contraintesDe(fusion), description: fusion.description };
  }
  const types = Array.isArray(d.type) ? d.type : [d.type];
  if (types.includes('array')) {
    const items = (d.items ?? {}) as Json;
    const ci = composantDe(items, schemas);
    const element = ci ? champ(items, schemas) : { type: typeSimple(items), contraintes: contraintesDe(items), description: undefined };
    const de = element.type ? ` de ${element.type}` : '';
    return {
      type: `liste${de}${types.includes('null') ? ' | null' : ''}`,
      contraintes: [contraintesDe(d), element.contraintes].filter(Boolean).join(' ; '),
      description: d.description ?? element.description,
    };
  }
  return { type: typeSimple(d), contraintes: contraintesDe(d), description: d.description };
}

/** A plain HTML page: operations by tag, then each record's fields (type, length, mandatory, meaning), then the error catalogue. */
export function pageDocumentation(doc: Json): string {
  const paths = doc.paths as Record<string, Record<string, unknown>>;
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  const tags = (doc.tags as { name: string; description?: string }[] | undefined) ?? [];
  const parTag = new Map<string, string[]>(tags.map((t) => [t.name, []]));
  for (const [chemin, item] of Object.entries(paths)) {
    for (const m of METHODES) {
      const o = item[m] as Json | undefined;
      if (!o) continue;
      const tag = ((o.tags as string[] | undefined) ?? [])[0] ?? '';
      const precisions = [o.description, item.description]
        .filter(Boolean)
        .map((t) => `<br><small>${echapper(t)}</small>`)
        .join('');
      if (!parTag.has(tag)) parTag.set(tag, []);
      parTag
        .get(tag)!
        .push(
          `<tr><td><code>${m.toUpperCase()}</code></td><td><code>${echapper(chemin)}</code></td><td><code>${echapper(o.operationId)}</code></td>`
            + `<td>${echapper(tag)}</td><td>${echapper(o.summary)}${precisions}</td></tr>`,
        );
    }
  }
  const ops = [...parTag]
    .filter(([, lignes]) => lignes.length)
    .map(([tag, lignes]) => {
      const description = tags.find((t) => t.name === tag)?.description;
      return `<tr><th colspan="5" id="tag-${echapper(tag)}">${echapper(tag || 'Sans tag')}${description ? ` — <span style="font-weight:normal">${echapper(description)}</span>` : ''}</th></tr>\n${lignes.join('\n')}`;
    })
    .join('\n');
  const tables = Object.entries(schemas)
    .filter(([, s]) => s.properties)
    .map(([nom, s]) => {
      const req = new Set((s.required as string[] | undefined) ?? []);
      const lignes = Object.entries(s.properties as Record<string, Json>)
        .map(([nomChamp, d]) => {
          const c = champ(d, schemas);
          return `<tr><td><code>${nomChamp}</code></td><td>${c.type}</td><td>${req.has(nomChamp) ? 'oui' : ''}</td><td>${c.contraintes}</td><td>${echapper(c.description)}</td></tr>`;
        })
        .join('\n');
      return `<h3 id="${echapper(nom)}">${nom}${s.title && s.title !== nom ? ` (${echapper(s.title)})` : ''}</h3>${s.description ? `<p>${echapper(s.description)}</p>` : ''}
<table><tr><th>champ</th><th>type</th><th>obligatoire</th><th>contraintes</th><th>description</th></tr>${lignes}</table>`;
    })
    .join('\n');
  const erreurs = Object.entries(CATALOGUE)
    .map(([code, e]) => `<tr><td><code>${code}</code></td><td>${e.status}</td><td>${e.gravite}</td><td>${echapper(e.message)}</td></tr>`)
    .join('\n');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${echapper((doc.info as Json).title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;font-size:14px}th{background:#f3f3f3}code{font-size:13px}small{color:#555}</style></head><body>
<h1>${echapper((doc.info as Json).title)}</h1><p>${echapper((doc.info as Json).description)}</p>
<p>Description machine : <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). SOAP : <a href="/ws/OpiMetier?wsdl">/ws/OpiMetier?wsdl</a>, <a href="/ws/PjOpiMetier?wsdl">/ws/PjOpiMetier?wsdl</a>,
<a href="/ws/LaissezPasserMetier?wsdl">/ws/LaissezPasserMetier?wsdl</a>, <a href="/ws/InscriptionMetier?wsdl">/ws/InscriptionMetier?wsdl</a>.
Modèles de fichier de laissez-passer : <a href="/api/v1/laissez-passer/modele.csv">CSV</a>, <a href="/api/v1/laissez-passer/modele.xlsx">XLSX</a>.</p>
<h2>Opérations</h2><table><tr><th>méthode</th><th>chemin</th><th>operationId</th><th>tag</th><th>rôle</th></tr>${ops}</table>
<h2>Enregistrements</h2>${tables}
<h2>Catalogue d'erreurs</h2><p>Chaque rejet donne le code, le chemin du champ et le message ; en SOAP, la même chose dans un WebBaseException (faultstring = <code>technical.domaine.nature.element</code>, messages/item = « CODE [chemin] message »).</p>
<table><tr><th>code</th><th>HTTP</th><th>gravité</th><th>message</th></tr>${erreurs}</table></body></html>`;
}
