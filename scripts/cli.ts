/** What every command-line tool of the gateway shares: reading the configuration, exit codes, the last word. */
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
