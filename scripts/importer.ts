/**
 * `npm run import -- --format parcoursup-csv FICHIER…`: an OPI import from the command line, in this
 * process, on the configured database (DATABASE_URL), through the same pipeline and job engine as
 * `POST /api/v1/imports` (porte CLI: the same report for the same file). A progress bar while it runs,
 * a summary at the end, the rejected rows written beside the file (`<fichier>.rejets.csv`).
 * Exit code: 0 every row accepted, 1 some rows rejected (or the whole file refused, all-or-nothing),
 * 2 failed (bad usage, configuration, a file not of the format, a database error).
 */
import 'reflect-metadata';
import { randomUUID, createHash } from 'node:crypto';
import { copyFileSync, createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import cliProgress from 'cli-progress';
import { ErreurConfiguration, lireConfig, type Config } from '../src/config';
import { demarrer, type Passerelle } from '../src/server';
import { FORMATS_IMPORT, PAIRES_IMPORT } from '../src/adapters/platforms/formats';
import { preparerImport, type FichierEntrant } from '../src/adapters/batch/fichiers-import';
import { versCsv } from '../src/adapters/batch/lecteurs';
import type { EtatJob } from '../src/application/jobs/moteur';
import { ErreurMetier } from '../src/domain/errors';

interface Options {
  format: string;
  mode?: string;
  simulation?: boolean;
  codeFormationPsup?: string;
  codEtp?: string;
  codVrsVet?: string;
  progression?: boolean;
}

function programme(): Command {
  return new Command('import')
    .description('Importe un fichier de candidats (Parcoursup, Études en France, Pégase) en OPI, par le même moteur que POST /api/v1/imports.')
    .argument('<fichiers...>', 'le fichier (ou la paire Pégase candidat + candidature, ou un ZIP)')
    .requiredOption('--format <format>', `format du fichier : ${FORMATS_IMPORT.map((f) => f.nom).join(', ')}`)
    .option('--mode <mode>', 'partial (défaut : les bonnes lignes sont gardées) ou all-or-nothing')
    .option('--simulation', 'tout vérifier, ne rien écrire (même rapport)')
    .option('--code-formation-psup <code>', 'formation de tout le fichier (export de gestion Parcoursup)')
    .option('--cod-etp <codEtp>', 'étape de tout le fichier, à la place du code Parcoursup')
    .option('--cod-vrs-vet <version>', "version de l'étape")
    .option('--no-progression', 'sans barre de progression (journaux, CI)')
    .helpOption('-h, --help', 'affiche cette aide')
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
}

async function empreinte(fichier: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(fichier)) h.update(c as Buffer);
  return h.digest('hex');
}

async function attendreFin(p: Passerelle, id: string, barre: cliProgress.SingleBar | undefined): Promise<EtatJob> {
  for (;;) {
    const e = await p.services.chargements.attendre(id, 500);
    if (barre) {
      if (e.lignesTotal) barre.setTotal(e.lignesTotal);
      barre.update(e.lignesLues, { rejetees: e.lignesRejetees, debit: e.debit ?? 0 });
    }
    if (e.finLe) return e;
  }
}

async function main(argv: string[]): Promise<number> {
  let fichiers: string[];
  let o: Options;
  try {
    const cmd = programme().parse(argv, { from: 'user' });
    fichiers = cmd.args;
    o = cmd.opts<Options>();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      console.error(`Erreur : ${err.message}\nUsage : npm run import -- --format <format> FICHIER…   (--help pour l'aide)`);
      return 2;
    }
    throw err;
  }
  let config: Config;
  try {
    config = lireConfig();
  } catch (err) {
    if (err instanceof ErreurConfiguration) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const p = await demarrer({ ...config, niveauLog: 'warn' }, { arrierePlan: false });
  const temporaires: string[] = [];
  try {
    // The job engine moves the file it is given: it gets copies, the staff's own files are left alone.
    const reception = path.join(p.services.chargements.dossier, 'reception');
    mkdirSync(reception, { recursive: true });
    const entrants: FichierEntrant[] = [];
    for (const f of fichiers) {
      const copie = path.join(reception, `cli-${randomUUID()}`);
      copyFileSync(f, copie);
      temporaires.push(copie);
      entrants.push({ fichier: copie, nomFichier: path.basename(f), empreinte: await empreinte(f) });
    }
    const valeurs: Record<string, string | undefined> = {
      format: o.format,
      mode: o.mode,
      simulation: o.simulation ? 'true' : undefined,
      codeFormationPsup: o.codeFormationPsup,
      codEtp: o.codEtp,
      codVrsVet: o.codVrsVet,
    };
    const ctx = { porte: 'CLI' as const, client: `cli:${userInfo().username}`.slice(0, 100), requestId: randomUUID() };
    let job: EtatJob;
    try {
      const imp = await preparerImport(entrants, (nom) => valeurs[nom], { dossier: p.services.chargements.dossier, paires: PAIRES_IMPORT, temporaires });
      const x = await p.services.pipeline.executer<EtatJob>(ctx, 'opi.importer', imp.entree, { charge: imp.empreintes, controle: imp.controle });
      imp.confier();
      job = x.valeur!;
    } catch (err) {
      const e = p.services.pipeline.traduire(err, ctx, 'opi.importer');
      await p.services.pipeline.refuser(ctx, 'opi.importer', e);
      console.error(`Fichier refusé, rien n'a été importé :`);
      for (const pb of e.problemes) console.error(`  ${pb.code}${pb.path ? ` [${pb.path}]` : ''} ${pb.message}`);
      return 2;
    }
    const barre =
      o.progression !== false && process.stdout.isTTY
        ? new cliProgress.SingleBar(
            { format: 'import {bar} {value}/{total} lignes | {rejetees} rejetées | {debit} lignes/s | reste {eta}s', hideCursor: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
    barre?.start(job.lignesTotal ?? 0, 0, { rejetees: 0, debit: 0 });
    const fin = await attendreFin(p, job.id, barre);
    barre?.stop();
    console.table({
      etat: fin.etat,
      lues: fin.lignesLues,
      creees: fin.creees,
      misesAJour: fin.misesAJour,
      inchangees: fin.inchangees,
      rejetees: fin.lignesRejetees,
      simulation: fin.simulation,
      job: fin.id,
    });
    if (fin.lignesRejetees) {
      const rejets = await p.services.chargements.rejets(fin.id, 0, 1_000_000);
      const lignes = rejets.flatMap((r) => {
        const ids = r.identifiants ? (JSON.parse(r.identifiants) as Record<string, string>) : {};
        return (JSON.parse(r.problemes) as { code: string; path: string; message: string }[]).map((pb) => ({
          ligne: r.numLigne,
          candidat: ids.idPlateforme ?? '',
          codOpiIntEpo: ids.codOpiIntEpo ?? '',
          code: pb.code,
          colonne: pb.path,
          message: pb.message,
          valeurs: r.valeurs ?? '',
        }));
      });
      const cible = `${fichiers[0]}.rejets.csv`;
      writeFileSync(cible, versCsv(['ligne', 'candidat', 'codOpiIntEpo', 'code', 'colonne', 'message', 'valeurs'], lignes));
      console.log(`Lignes rejetées : ${cible}`);
    }
    if (fin.etat === 'ECHOUE') return 2;
    return fin.lignesRejetees || fin.etat === 'REJETE' ? 1 : 0;
  } catch (err) {
    console.error(err instanceof ErreurMetier ? err.message : err);
    return 2;
  } finally {
    await p.arreter();
    for (const f of temporaires) rmSync(f, { force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 2;
  },
);
