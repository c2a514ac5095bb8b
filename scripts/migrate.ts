/**
 * `npm run migrate -- status`: every migration of the code (src/persistence/migrations/index.ts),
 * applied or pending, on the database of DATABASE_URL. `npm run migrate -- up`: applies the pending
 * ones (one transaction each, as at start-up) and says which. The gateway applies them by itself at
 * start; this tool is for looking before, or migrating ahead of, a deployment.
 * Exit code: 0 done, 1 error (configuration, database, failed migration), 2 bad usage.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { MigrationExecutor, type DataSource, type Logger } from 'typeorm';
import { lireConfig, ErreurConfiguration, type ConfigBase } from '../src/config';
import { ouvrirBase } from '../src/persistence/source';
import { estBaseIndisponible } from '../src/persistence/unite-de-travail';
import { MIGRATIONS } from '../src/persistence/migrations';

/** A message for the operator, printed as is (no stack trace), with its exit code. */
class ErreurMigration extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** The migrations of the code, in order, by name (the name recorded in the `migrations` table). */
const NOMS = MIGRATIONS.map((M) => new M().name);

/** The database, shown without its password. */
function decrire(base: ConfigBase): string {
  if (base.type === 'sqlite') return `sqlite:${base.url}`;
  const u = new URL(base.url);
  if (u.password) u.password = '***';
  return u.toString();
}

function lireBaseConfiguree(): ConfigBase {
  try {
    return lireConfig().base;
  } catch (err) {
    if (err instanceof ErreurConfiguration) throw new ErreurMigration(err.message);
    throw err;
  }
}

async function ouvrir(base: ConfigBase): Promise<DataSource> {
  try {
    return await ouvrirBase(base, { migrer: false });
  } catch (err) {
    const e = err as { code?: string; errno?: number; message?: string };
    const raison =
      e.code === 'ER_BAD_DB_ERROR'
        ? "la base n'existe pas sur ce serveur (créez-la : CREATE DATABASE … CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci)"
        : e.errno === 1045
          ? `accès refusé, utilisateur ou mot de passe (${e.message})`
          : estBaseIndisponible(err)
            ? `serveur injoignable (${e.code ?? e.message})`
            : (e.message ?? String(err));
    throw new ErreurMigration(`impossible d'ouvrir la base ${decrire(base)} : ${raison}.`);
  }
}

/** TypeORM's own console lines (in English, e.g. `Migration "X" failed`) would repeat ours: silenced. */
const SILENCIEUX: Logger = { logQuery() {}, logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };

async function avecBase<T>(base: ConfigBase, travail: (source: DataSource) => Promise<T>): Promise<T> {
  const source = await ouvrir(base);
  source.setOptions({ logger: SILENCIEUX });
  try {
    return await travail(source);
  } finally {
    await source.destroy();
  }
}

async function appliquees(source: DataSource): Promise<Set<string>> {
  return new Set((await new MigrationExecutor(source).getExecutedMigrations()).map((m) => m.name));
}

function afficherEtat(faites: Set<string>): void {
  for (const nom of NOMS) console.log(`  ${faites.has(nom) ? '[appliquée ]' : '[en attente]'} ${nom}`);
  // Recorded in the database but unknown to this code: a newer version of the gateway migrated it.
  for (const nom of faites) if (!NOMS.includes(nom)) console.log(`  [inconnue  ] ${nom} (appliquée en base, absente de cette version du code)`);
  const attente = NOMS.filter((n) => !faites.has(n)).length;
  console.log(`${NOMS.length} migrations : ${NOMS.length - attente} appliquée(s), ${attente} en attente.`);
}

async function status(): Promise<void> {
  const base = lireBaseConfiguree();
  console.log(`Base : ${decrire(base)}`);
  // Looking must not create anything: a missing SQLite file is reported, not created.
  if (base.type === 'sqlite' && base.url !== ':memory:' && !existsSync(base.url)) {
    console.log('(fichier absent : il sera créé par `up` ou au démarrage de la passerelle)');
    afficherEtat(new Set());
    return;
  }
  await avecBase(base, async (source) => afficherEtat(await appliquees(source)));
}

async function up(): Promise<void> {
  const base = lireBaseConfiguree();
  console.log(`Base : ${decrire(base)}`);
  await avecBase(base, async (source) => {
    const avant = await appliquees(source);
    const attente = NOMS.filter((n) => !avant.has(n));
    if (!attente.length) {
      console.log('Aucune migration en attente : la base est à jour.');
      return;
    }
    try {
      const faites = await source.runMigrations({ transaction: 'each' });
      for (const m of faites) console.log(`  appliquée : ${m.name}`);
      console.log(`${faites.length} migration(s) appliquée(s).`);
    } catch (err) {
      // One transaction per migration: those before the failing one stay applied.
      const apres = await appliquees(source).catch(() => avant);
      const nouvelles = attente.filter((n) => apres.has(n));
      for (const n of nouvelles) console.log(`  appliquée : ${n}`);
      const enEchec = attente.find((n) => !apres.has(n));
      throw new ErreurMigration(
        `la migration ${enEchec ?? '?'} a échoué : ${(err as Error).message}`
          + (nouvelles.length ? ` (${nouvelles.length} migration(s) appliquée(s) avant elle restent en place).` : ' (aucune migration appliquée).'),
      );
    }
  });
}

const TITRES: Record<string, string> = { 'Usage:': 'Usage :', 'Options:': 'Options :', 'Commands:': 'Commandes :', 'Arguments:': 'Arguments :' };

function programme(): Command {
  const p = new Command('migrate')
    .usage('[options] <commande>')
    .description('Migrations du schéma de la base de DATABASE_URL (SQLite ou MariaDB/MySQL).')
    .helpOption('-h, --help', 'affiche cette aide')
    .helpCommand('help [commande]', "affiche l'aide d'une commande")
    .configureHelp({ styleTitle: (t) => TITRES[t] ?? t })
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  p.command('status').description('liste chaque migration du code : appliquée ou en attente').action(status);
  p.command('up').description('applique les migrations en attente (une transaction chacune)').action(up);
  for (const c of p.commands)
    c.helpOption('-h, --help', 'affiche cette aide')
      .configureHelp({ styleTitle: (t) => TITRES[t] ?? t })
      .exitOverride();
  return p;
}

/** Commander's own errors (unknown command…), in French. */
function erreurUsage(err: CommanderError): ErreurMigration | null {
  // Help asked for (`-h`, `help`): exit code 0. Help shown because no command was given: 1 for Commander, 2 here.
  if (err.exitCode === 0) return null;
  const cite = /'([^']+)'/.exec(err.message)?.[1];
  switch (err.code) {
    case 'commander.help':
      return new ErreurMigration('commande attendue : status ou up (npm run migrate -- status).', 2);
    case 'commander.unknownCommand':
      return new ErreurMigration(`commande inconnue${cite ? ` : ${cite}` : ''}. Commandes : status, up.`, 2);
    case 'commander.unknownOption':
      return new ErreurMigration(`option inconnue${cite ? ` : ${cite}` : ''}.`, 2);
    case 'commander.excessArguments':
      return new ErreurMigration("trop d'arguments : status et up n'en prennent pas.", 2);
    default:
      return new ErreurMigration(`usage invalide (${err.message}).`, 2);
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    await programme().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    const e = err instanceof CommanderError ? erreurUsage(err) : err;
    if (e === null) return 0;
    if (e instanceof ErreurMigration) {
      console.error(`Erreur : ${e.message}`);
      return e.code;
    }
    console.error('Erreur inattendue :', e);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
