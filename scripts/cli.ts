/** What every command-line tool of the gateway shares: reading the configuration, exit codes, the last word. */
import { type Command, CommanderError } from 'commander';
import { ErreurConfiguration, lireConfig, type Config } from '../src/config';
import { ErreurMetier } from '../src/domain/errors';

/** The configuration, or exit code 2 with the message naming the variable. */
export function configOuCode(): Config | 2 {
  try {
    return lireConfig();
  } catch (err) {
    if (err instanceof ErreurConfiguration) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

/** A refusal of the gateway: its problems on stderr, exit code 1; anything else goes on up. */
export function codeRefus(err: unknown, titre?: string): 1 {
  if (!(err instanceof ErreurMetier)) throw err;
  if (titre) console.error(titre);
  for (const p of err.problemes) console.error(titre ? `  ${p.code} [${p.path}] ${p.message}` : `Erreur : ${p.code} ${p.message}`);
  return 1;
}

/** Runs `main` and sets the process's exit code from it (1 on an unexpected error). */
export function executerCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error('Erreur inattendue :', err);
      process.exitCode = 1;
    },
  );
}

/**
 * Parses `argv` with a commander program whose actions hand back the work to do (`poser`): the work,
 * or an exit code — 0 after --help, 2 for a bad usage or no command, with the way to the help.
 */
export function actionDemandee<A>(programme: (poser: (a: A) => void) => Command, argv: string[], aide: string): A | 0 | 2 {
  let action: A | undefined;
  try {
    programme((a) => {
      action = a;
    }).parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      console.error(`Erreur : usage invalide (${err.message}). Aide : ${aide}`);
      return 2;
    }
    throw err;
  }
  if (action === undefined) {
    console.error(`Erreur : une commande est attendue. Aide : ${aide}`);
    return 2;
  }
  return action;
}
