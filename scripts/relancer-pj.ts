/**
 * `npm run relancer-pj [-- --simulation]`: the reminder of missing supporting documents, now, on the
 * database of DATABASE_URL and through the SMTP server of SMTP_URL (the gateway's own configuration).
 * The CLI is a door of the pipeline (porte CLI): the run and each sending are journaled. One run at a
 * time across every node: a run of a gateway in progress makes this one stop with RELANCE_EN_COURS.
 * `--simulation` lists who would be written to and sends nothing.
 * Exit code: 0 done, 1 refused or failed (no SMTP server, a run in progress, database), 2 bad usage
 * or configuration.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Command, CommanderError } from 'commander';
import { codeRefus, configOuCode, executerCli } from './cli';
import { demarrer, type Passerelle } from '../src/server';
import type { RapportRelances } from '../src/application/relances-pj';

const TITRES: Record<string, string> = { 'Usage:': 'Usage :', 'Options:': 'Options :' };

function programme(): Command {
  return new Command('relancer-pj')
    .description('Relance par courriel les étudiants qui doivent encore une pièce justificative (au plus un courriel par période).')
    .option('--simulation', 'liste qui serait relancé, sans rien envoyer ni réserver')
    .helpOption('-h, --help', 'affiche cette aide')
    .configureHelp({ styleTitle: (t) => TITRES[t] ?? t })
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
}

function afficher(r: RapportRelances): void {
  console.log(`${r.simulation ? 'Simulation (rien envoyé)' : 'Relances'} — période du ${r.periode}`);
  for (const e of r.ecrits) console.log(`  ${r.simulation ? 'à relancer' : 'envoyé    '} ${e.codOpiIntEpo}  ${e.nom} <${e.adresse}>  ${e.pieces.join(', ')}`);
  for (const e of r.echecs) console.log(`  ${e.adresseRefusee ? 'ADRESSE REFUSÉE' : 'échec'} ${e.codOpiIntEpo} <${e.adresse}> : ${e.erreur}`);
  const i = r.ignores;
  console.log(
    `${r.ecrits.length} ${r.simulation ? 'à relancer' : 'envoyé(s)'}, ${r.echecs.length} échec(s) ; ignorés : ${i.dejaRelance} déjà relancé(s) cette période, `
      + `${i.adresseRefusee} adresse(s) refusée(s), ${i.sansAdresse} sans adresse.`,
  );
}

async function main(argv: string[]): Promise<number> {
  let simulation: boolean;
  try {
    simulation = programme().parse(argv, { from: 'user' }).opts<{ simulation?: boolean }>().simulation === true;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      console.error(`Erreur : usage invalide (${err.message}). Usage : npm run relancer-pj [-- --simulation]`);
      return 2;
    }
    throw err;
  }
  const config = configOuCode();
  if (config === 2) return 2;
  // The whole composition, without listening nor any background work (job resume, schedules).
  // Logs at `warn` unless LOG_LEVEL says otherwise: the report printed below is the output.
  const p: Passerelle = await demarrer({ ...config, niveauLog: process.env.LOG_LEVEL ? config.niveauLog : 'warn' }, { arrierePlan: false });
  try {
    const ctx = { porte: 'CLI' as const, client: `cli:${userInfo().username}`.slice(0, 100), requestId: randomUUID() };
    const x = await p.services.pipeline.executer<RapportRelances>(ctx, 'pj.relancer', { simulation });
    afficher(x.valeur!);
    return 0;
  } catch (err) {
    return codeRefus(err);
  } finally {
    await p.arreter();
  }
}

executerCli(main);
