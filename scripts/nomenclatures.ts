/**
 * `npm run nomenclatures -- load <dossier>`: replaces, in the configured database (DATABASE_URL),
 * every nomenclature whose `<nom>.json` is in the folder, all-or-nothing, after checking every file.
 * `npm run nomenclatures -- list`: what is loaded. A running gateway picks the change up within 30 s.
 */
import 'reflect-metadata';
import path from 'node:path';
import { lireConfig } from '../src/config';
import { ouvrirBase } from '../src/persistence/source';
import { UniteDeTravail } from '../src/persistence/unite-de-travail';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { ServiceNomenclatures, operationsNomenclatures } from '../src/application/nomenclatures';
import { Pipeline } from '../src/application/pipeline';
import { DIAGNOSTIC_BASE } from '../src/persistence/unite-de-travail';
import { creerLogger } from '../src/observability/logger';
import { ErreurMetier } from '../src/domain/errors';

async function main(argv: string[]): Promise<number> {
  const [commande, dossier] = argv;
  if (commande !== 'load' && commande !== 'list') {
    console.error('Usage : npm run nomenclatures -- load <dossier> | list');
    return 2;
  }
  const config = lireConfig();
  const source = await ouvrirBase(config.base);
  try {
    const unite = new UniteDeTravail(source);
    const service = new ServiceNomenclatures(unite);
    if (commande === 'load') {
      if (!dossier) {
        console.error('Usage : npm run nomenclatures -- load <dossier>');
        return 2;
      }
      // The CLI is a door like the others: the load is journaled (porte CLI) in its own transaction.
      const pipeline = new Pipeline(unite, DIAGNOSTIC_BASE, creerLogger('warn'));
      pipeline.declarer('nomenclatures.charger', operationsNomenclatures(service).charger);
      const ctx = { porte: 'CLI' as const, client: `cli:${userInfo().username}`.slice(0, 100), requestId: randomUUID() };
      const noms = (await pipeline.executer<{ nomenclatures: string[] }>(ctx, 'nomenclatures.charger', path.resolve(dossier))).valeur!.nomenclatures;
      if (!noms.length) {
        console.error(`Aucun fichier de nomenclature reconnu dans ${dossier} (regimes.json, statuts.json, etapes.json…).`);
        return 1;
      }
      console.log(`Nomenclatures remplacées : ${noms.join(', ')}`);
    }
    for (const n of await service.lister()) console.log(`${n.nom.padEnd(22)} ${String(n.nombre).padStart(5)} codes  chargée le ${n.chargeLe}  ${n.libelle}`);
    return 0;
  } catch (err) {
    if (err instanceof ErreurMetier) {
      console.error("Fichiers refusés, rien n'a été chargé :");
      for (const p of err.problemes) console.error(`  ${p.code} [${p.path}] ${p.message}`);
      return 1;
    }
    throw err;
  } finally {
    await source.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
