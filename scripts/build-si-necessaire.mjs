/**
 * `npm start`'s prestart: builds (`tsc -p tsconfig.json`, then the console: its type check and
 * `vite build`) only when the build is not current, that is when dist/ is missing, when the last build
 * through this script failed, or when a file under src/, schemas/, scripts/, test/, bench/, console/
 * (or tsconfig.json, package.json) is newer than the newest file of dist/. Plain JavaScript: it must
 * run before anything is built. `npm test` still always builds (`npm run build`). Exit code: the first
 * failing step's when it builds, 0 otherwise.
 */
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RACINE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(RACINE, 'dist');
const SOURCES = ['src', 'schemas', 'scripts', 'test', 'bench', 'console', 'tsconfig.json', 'package.json'];
/** Written by the benchmark, read by nobody's build. */
const IGNORES = new Set([path.join(RACINE, 'bench', 'resultats')]);
/** Left in dist/ when tsc failed (it still emits): the next start compiles again instead of running that output. */
const ECHEC = path.join(DIST, '.build-en-echec');

/**
 * The newest entry under `chemin` (a file or a folder, walked recursively): its time and path. With
 * `dossiers`, folders count too (a file deleted or renamed changes its folder's time, not its own).
 */
function plusRecent(chemin, { ignores = IGNORES, dossiers = true } = {}) {
  let meilleur = { mtime: -Infinity, fichier: null };
  let st;
  try {
    st = statSync(chemin);
  } catch {
    return meilleur;
  }
  if (st.isFile()) return { mtime: st.mtimeMs, fichier: chemin };
  if (!st.isDirectory() || ignores.has(chemin)) return meilleur;
  if (dossiers) meilleur = { mtime: st.mtimeMs, fichier: chemin };
  for (const nom of readdirSync(chemin)) {
    const r = plusRecent(path.join(chemin, nom), { ignores, dossiers });
    if (r.mtime > meilleur.mtime) meilleur = r;
  }
  return meilleur;
}

function raisonDeCompiler() {
  if (!existsSync(DIST)) return 'dist/ absent';
  if (existsSync(ECHEC)) return 'la compilation précédente a échoué';
  const dist = plusRecent(DIST, { ignores: new Set(), dossiers: false });
  if (dist.fichier === null) return 'dist/ vide';
  for (const s of SOURCES) {
    const r = plusRecent(path.join(RACINE, s));
    if (r.mtime > dist.mtime) return `${path.relative(RACINE, r.fichier)} est plus récent que dist/`;
  }
  return null;
}

const raison = raisonDeCompiler();
if (raison === null) {
  console.log('Build à jour (dist/ plus récent que les sources) : pas de compilation.');
} else {
  console.log(`Compilation (${raison}) : tsc -p tsconfig.json, puis la console (vite build)`);
  const require = createRequire(import.meta.url);
  const binaire = (paquet, nom) => path.join(path.dirname(require.resolve(`${paquet}/package.json`)), require(`${paquet}/package.json`).bin[nom]);
  const tsc = binaire('typescript', 'tsc');
  const etapes = [
    [tsc, '-p', 'tsconfig.json'],
    [tsc, '-p', 'console/tsconfig.json'],
    [binaire('vite', 'vite'), 'build', '--config', 'console/vite.config.mjs'],
  ];
  let code = 0;
  for (const etape of etapes) {
    code = spawnSync(process.execPath, etape, { cwd: RACINE, stdio: 'inherit' }).status ?? 1;
    if (code !== 0) break;
  }
  if (code === 0) rmSync(ECHEC, { force: true });
  else if (existsSync(DIST)) writeFileSync(ECHEC, `la compilation a échoué (code ${code}) le ${new Date().toISOString()}\n`);
  process.exitCode = code;
}
