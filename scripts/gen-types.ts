/**
 * Generates the TypeScript types of the canonical records from `schemas/*.schema.json`
 * (the single source of truth) into `src/generated/`. `npm run gen:types` rewrites them;
 * the unit test `generated-types.test.ts` fails when they are stale.
 */
import { compile } from 'json-schema-to-typescript';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const racine = path.resolve(__dirname, '..', '..');
export const DOSSIER_SCHEMAS = path.join(racine, 'schemas');
export const DOSSIER_TYPES = path.join(racine, 'src', 'generated');

/** Returns { 'opi.ts': '<content>', … } for every schema. */
export async function genererTypes(): Promise<Record<string, string>> {
  const sortie: Record<string, string> = {};
  const fichiers = (await fs.readdir(DOSSIER_SCHEMAS)).filter((f) => f.endsWith('.schema.json')).sort();
  for (const fichier of fichiers) {
    const schema = JSON.parse(await fs.readFile(path.join(DOSSIER_SCHEMAS, fichier), 'utf8'));
    const ts = await compile(schema, schema.title, {
      bannerComment: `/* Généré depuis schemas/${fichier} par \`npm run gen:types\` : ne pas modifier à la main. */`,
      unreachableDefinitions: true,
      additionalProperties: false,
      format: false,
      cwd: DOSSIER_SCHEMAS,
    });
    sortie[fichier.replace('.schema.json', '.ts')] = ts;
  }
  return sortie;
}

if (require.main === module) {
  genererTypes().then(async (fichiers) => {
    await fs.mkdir(DOSSIER_TYPES, { recursive: true });
    for (const [nom, contenu] of Object.entries(fichiers)) {
      await fs.writeFile(path.join(DOSSIER_TYPES, nom), contenu);
      console.log(`src/generated/${nom}`);
    }
  }).catch((err) => { console.error(err); process.exit(1); });
}
