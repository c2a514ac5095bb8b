/**
 * Generates from `schemas/*.schema.json` (the single source of truth) into `src/generated/`:
 * - the TypeScript types of the canonical records, one file per record schema. A schema without a
 *   `title` holds shared `$defs` only (`commun`): it gets no file, its definitions are inlined where
 *   they are referenced (`$ref: "urn:candidature-gateway:schema:commun#/$defs/…"`, resolved here from
 *   `schemas/commun.schema.json`);
 * - `champs.ts`: the field lists pure domain code needs (it may not read files), derived by
 *   `src/application/champs.ts`.
 * `npm run gen:types` rewrites them; the unit test `types-generes.test.ts` fails when they are stale.
 */
import { compile } from 'json-schema-to-typescript';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { deriverChamps } from '../src/application/champs';
import { PREFIXE_ID_SCHEMA } from '../src/application/validation';

const racine = path.resolve(__dirname, '..', '..');
export const DOSSIER_SCHEMAS = path.join(racine, 'schemas');
export const DOSSIER_TYPES = path.join(racine, 'src', 'generated');

function lireSchema(nom: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(DOSSIER_SCHEMAS, `${nom}.schema.json`), 'utf8'));
}

/** `urn:candidature-gateway:schema:<nom>` → `schemas/<nom>.schema.json`, for json-schema-ref-parser. */
const resolveurUrn = {
  order: 1,
  canRead: (f: { url: string }) => f.url.startsWith(PREFIXE_ID_SCHEMA),
  read: (f: { url: string }) => JSON.stringify(lireSchema(f.url.slice(PREFIXE_ID_SCHEMA.length).split('#')[0])),
};

/** `src/generated/champs.ts`: constants only, each checked against the generated record type. */
function champsTs(): string {
  const d = deriverChamps(lireSchema);
  const liste = (v: readonly string[]) => `[${v.map((c) => JSON.stringify(c)).join(', ')}]`;
  return `/* Généré depuis schemas/*.schema.json par \`npm run gen:types\` (dérivation : src/application/champs.ts) : ne pas modifier à la main. */
/* Copie pure des listes de champs, pour le code du domaine qui ne lit pas de fichier ; ailleurs, importer src/application/champs.ts. */
import type { LaissezPasser } from './laissez-passer';

/** Champs entiers du laissez-passer (type integer). */
export const ENTIERS_LP = ${liste(d.ENTIERS_LP)} as const satisfies readonly (keyof LaissezPasser)[];
/** Champs date du laissez-passer (format date). */
export const DATES_LP = ${liste(d.DATES_LP)} as const satisfies readonly (keyof LaissezPasser)[];
`;
}

/** Returns { 'opi.ts': '<content>', …, 'champs.ts': '<content>' }. */
export async function genererTypes(): Promise<Record<string, string>> {
  const sortie: Record<string, string> = {};
  const fichiers = (await fs.readdir(DOSSIER_SCHEMAS)).filter((f) => f.endsWith('.schema.json')).sort();
  for (const fichier of fichiers) {
    const schema = JSON.parse(await fs.readFile(path.join(DOSSIER_SCHEMAS, fichier), 'utf8'));
    if (typeof schema.title !== 'string') continue; // shared $defs only
    const ts = await compile(schema, schema.title, {
      bannerComment: `/* Généré depuis schemas/${fichier} par \`npm run gen:types\` : ne pas modifier à la main. */`,
      unreachableDefinitions: true,
      additionalProperties: false,
      format: false,
      cwd: DOSSIER_SCHEMAS,
      $refOptions: { resolve: { urn: resolveurUrn } },
    });
    sortie[fichier.replace('.schema.json', '.ts')] = ts;
  }
  sortie['champs.ts'] = champsTs();
  return sortie;
}

if (require.main === module) {
  genererTypes()
    .then(async (fichiers) => {
      await fs.mkdir(DOSSIER_TYPES, { recursive: true });
      for (const [nom, contenu] of Object.entries(fichiers)) {
        await fs.writeFile(path.join(DOSSIER_TYPES, nom), contenu);
        console.log(`src/generated/${nom}`);
      }
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
