/**
 * `npm run rgpd -- <commande>`: the candidates' personal data, on the database of DATABASE_URL,
 * through the same pipeline as the REST door (every purge and export is journaled, porte CLI).
 *
 *   purger --campagnes N [--simulation]            candidates with no IA for N campaigns: OPI, LP, PJ, kept payloads
 *   exporter --individu OPI:…|ETU:…|INE:… [--sortie dossier]   everything held about one person: a JSON file and a zip of the files
 *
 * Exit code: 0 done, 1 refused, 2 bad usage or configuration.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { demarrer, type Passerelle } from '../src/server';
import type { ContexteAppel } from '../src/application/pipeline';
import type { ExportPersonne, RapportPurgeRgpd } from '../src/application/rgpd';
import { ecrireArchive } from '../src/adapters/rgpd/archive-export';
import { actionDemandee, codeRefus, configOuCode, executerCli } from './cli';

type Action = (p: Passerelle, ctx: ContexteAppel) => Promise<void>;

function programme(poser: (a: Action) => void): Command {
  const p = new Command('rgpd')
    .description('Données personnelles des candidats : effacement de ceux sans inscription, export de tout ce qui est détenu sur une personne.')
    .helpOption('-h, --help', 'affiche cette aide')
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  p.command('purger')
    .description('efface les OPI, laissez-passer, pièces et messages gardés des candidats sans inscription depuis N campagnes')
    .requiredOption('--campagnes <n>', 'nombre de campagnes sans inscription (1 à 50)')
    .option('--simulation', 'compter sans rien effacer')
    .helpOption('-h, --help', 'affiche cette aide')
    .exitOverride()
    .action((o: { campagnes: string; simulation?: boolean }) =>
      poser(async (gw, ctx) => {
        const r = (await gw.services.pipeline.executer<RapportPurgeRgpd>(ctx, 'rgpd.purger', { campagnes: o.campagnes, simulation: o.simulation === true }))
          .valeur!;
        console.log(JSON.stringify(r, null, 2));
      }),
    );
  p.command('exporter')
    .description("écrit tout ce qui est détenu sur une personne : export-<individu>.json et, s'il y a des pièces, export-<individu>.zip")
    .requiredOption('--individu <cle>', 'OPI:<numéro d’OPI>, ETU:<numéro étudiant> ou INE:<INE>')
    .option('--sortie <dossier>', 'dossier où écrire', '.')
    .helpOption('-h, --help', 'affiche cette aide')
    .exitOverride()
    .action((o: { individu: string; sortie: string }) =>
      poser(async (gw, ctx) => {
        const exp = (await gw.services.pipeline.executer<ExportPersonne>(ctx, 'rgpd.exporter', { individu: o.individu })).valeur!;
        await mkdir(o.sortie, { recursive: true });
        const base = path.join(o.sortie, `export-${exp.individu.replace(/\W+/g, '-')}`);
        await writeFile(`${base}.json`, JSON.stringify(exp, null, 2));
        console.log(`${base}.json`);
        if (exp.fichiers.length) {
          const r = await ecrireArchive(exp, (e) => gw.services.rgpd.fichier(e), createWriteStream(`${base}.zip`), { avecJson: false });
          console.log(`${base}.zip (${r.fichiers} fichier(s)${r.manquants.length ? ` ; absents du stockage : ${r.manquants.join(', ')}` : ''})`);
        }
      }),
    );
  return p;
}

async function main(argv: string[]): Promise<number> {
  const action = actionDemandee<Action>(programme, argv, 'npm run rgpd -- --help');
  if (action === 0 || action === 2) return action;
  const config = configOuCode();
  if (config === 2) return 2;
  const gw = await demarrer(config, { arrierePlan: false });
  try {
    await action(gw, { porte: 'CLI', client: `cli:${userInfo().username}`, requestId: randomUUID() });
    return 0;
  } catch (err) {
    return codeRefus(err);
  } finally {
    await gw.arreter();
  }
}

executerCli(main);
