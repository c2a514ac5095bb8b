/**
 * `npm test`: unit tests, then the integration tests and the reliability suite (`test/fiabilite`:
 * hostile payloads, slow clients, floods, shutdown, database faults) on every database of
 * TEST_DATABASES (default: SQLite and MariaDB); `npm run test:reliability` runs the reliability suite
 * alone. Ends with one line `résultat: N passed, N failed, N skipped`.
 */
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { BASES, verifierMariaDb } from './helpers/bases';

function fichiers(dossier: string): string[] {
  const d = path.join(__dirname, dossier);
  return readdirSync(d)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(d, f));
}

async function main(): Promise<void> {
  process.env.LOG_SILENT ??= '1';
  await verifierMariaDb();
  console.log(`Bases de test : ${BASES.join(', ')}`);
  const grep = process.env.TEST_GREP;
  const mocha = new Mocha({ timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  // TEST_SUITES: which folders (default all: unit, integration, the reliability suite `fiabilite`, the console in Chromium `navigateur`).
  const suites = (process.env.TEST_SUITES ?? 'unit,integration,fiabilite,navigateur').split(',').map((s) => s.trim());
  for (const s of suites) for (const f of fichiers(s)) mocha.addFile(f);
  let passes = 0,
    echecs = 0,
    sautes = 0;
  const runner = mocha.run((failures) => {
    console.log(`\nrésultat: ${passes} passed, ${echecs} failed, ${sautes} skipped`);
    process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
  });
  runner.on('pass', () => {
    passes++;
  });
  runner.on('fail', () => {
    echecs++;
  });
  runner.on('pending', () => {
    sautes++;
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  console.log('\nrésultat: 0 passed, 1 failed');
  process.exitCode = 1;
});
