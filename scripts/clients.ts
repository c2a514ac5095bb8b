/**
 * `npm run clients -- <commande>`: the machine clients (API keys) and the staff accounts, on the
 * database of DATABASE_URL. A new key is printed once and never stored in clear (only its SHA-256).
 *
 *   creer <nom> [--portees a,b] [--prefixes P,EC] [--description …]   a client and its first key
 *   lister                                                            clients, scopes, prefixes, keys
 *   rotation <nom> [--delai-heures 168]                               a new key; the old ones work until then
 *   revoquer <nom> [--cle <indice>]                                   one key, or the client and all its keys
 *   modifier <nom> [--portees …] [--prefixes …]
 *   comptes creer <identifiant> --role lecture|gestionnaire|admin [--nom …]   password read from standard input
 *   comptes lister
 *   comptes modifier <identifiant> [--role …] [--mot-de-passe] [--desactiver|--activer]
 *
 * Every change is journaled (porte CLI, client `cli:<utilisateur>`). Changes reach running gateways
 * within 30 s (their cache). Exit code: 0 done, 1 refused, 2 bad usage or configuration.
 */
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { Command } from 'commander';
import { ouvrirBase } from '../src/persistence/source';
import { UniteDeTravail } from '../src/persistence/unite-de-travail';
import { ServiceIdentites } from '../src/application/identites';
import { ErreurMetier } from '../src/domain/errors';
import { actionDemandee, codeRefus, configOuCode, executerCli } from './cli';
import { PORTEES, PORTEES_DES_ROLES, ROLES } from '../src/domain/securite';

const TITRES: Record<string, string> = { 'Usage:': 'Usage :', 'Options:': 'Options :', 'Commands:': 'Commandes :', 'Arguments:': 'Arguments :' };

async function lireEntreeStandard(): Promise<string> {
  const morceaux: Buffer[] = [];
  for await (const c of process.stdin) morceaux.push(c as Buffer);
  return Buffer.concat(morceaux)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

type Action = (s: ServiceIdentites, auteur: string) => Promise<void>;

function programme(poser: (a: Action) => void): Command {
  const p = new Command('clients')
    .description(`Clients (clés d'API) et comptes du personnel. Portées : ${PORTEES.join(', ')}.`)
    .helpOption('-h, --help', 'affiche cette aide')
    .configureHelp({ styleTitle: (t) => TITRES[t] ?? t })
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  const sous = (c: Command) =>
    c
      .helpOption('-h, --help', 'affiche cette aide')
      .configureHelp({ styleTitle: (t) => TITRES[t] ?? t })
      .exitOverride();

  sous(p.command('creer <nom>'))
    .description('crée un client et sa première clé (affichée une seule fois)')
    .option('--portees <liste>', 'portées séparées par des virgules (défaut : admin, toutes)')
    .option('--prefixes <liste>', "préfixes des numéros d'OPI de la plateforme (P, EC…) ; aucun = toute OPI")
    .option('--description <texte>', 'à quoi sert ce client')
    .action((nom: string, o: { portees?: string; prefixes?: string; description?: string }) =>
      poser(async (s, auteur) => {
        const r = await s.creerClient(nom, o, auteur);
        console.log(`Client ${nom} créé ; portées : ${r.client.portees.join(' ')} ; préfixes : ${r.client.prefixesOpi.join(' ') || '(tous)'}`);
        console.log(`Clé (affichée une seule fois, à transmettre par un canal sûr) :\n${r.cle}`);
      }),
    );
  sous(p.command('lister'))
    .description('liste les clients, leurs portées, préfixes et clés (indices seulement)')
    .action(() =>
      poser(async (s) => {
        for (const c of await s.listerClients()) {
          console.log(
            `${c.nom}${c.revoqueLe ? `  RÉVOQUÉ le ${c.revoqueLe}` : ''}\n  portées : ${c.portees.join(' ')}\n  préfixes : ${c.prefixesOpi.join(' ') || '(tous)'}`,
          );
          for (const k of c.cles)
            console.log(
              `  clé ${k.indice}…  créée ${k.creeLe}  ${k.active ? 'active' : 'inactive'}${k.expireLe ? `  expire ${k.expireLe}` : ''}${k.revoqueLe ? `  révoquée ${k.revoqueLe}` : ''}`,
            );
        }
      }),
    );
  sous(p.command('rotation <nom>'))
    .description('donne une nouvelle clé ; les anciennes restent valides pendant le délai')
    .option('--delai-heures <n>', 'durée de validité des anciennes clés', '168')
    .action((nom: string, o: { delaiHeures: string }) =>
      poser(async (s, auteur) => {
        const h = Number(o.delaiHeures);
        if (!Number.isInteger(h) || h < 0 || h > 24 * 90)
          throw new ErreurMetier([{ code: 'PARAMETRE_INVALIDE', path: '--delai-heures', message: 'un entier de 0 à 2160 attendu' }], 400);
        const r = await s.rotation(nom, h, auteur);
        console.log(`Nouvelle clé de ${nom} (affichée une seule fois) :\n${r.cle}\nLes anciennes clés expirent le ${r.anciennesExpirentLe}.`);
      }),
    );
  sous(p.command('revoquer <nom>'))
    .description('révoque une clé (--cle <indice>) ou, sans --cle, le client et toutes ses clés')
    .option('--cle <indice>', 'indice de la clé (voir lister)')
    .action((nom: string, o: { cle?: string }) =>
      poser(async (s, auteur) => {
        const r = await s.revoquer(nom, o.cle, auteur);
        console.log(`${r.revoquees} clé(s) révoquée(s)${o.cle ? '' : ` ; client ${nom} révoqué`}.`);
      }),
    );
  sous(p.command('modifier <nom>'))
    .description("change les portées ou les préfixes d'un client")
    .option('--portees <liste>', 'nouvelles portées')
    .option('--prefixes <liste>', 'nouveaux préfixes (chaîne vide = tous)')
    .action((nom: string, o: { portees?: string; prefixes?: string }) =>
      poser(async (s, auteur) => {
        await s.modifierClient(nom, o, auteur);
        console.log(`Client ${nom} modifié.`);
      }),
    );

  const comptes = sous(p.command('comptes')).description(
    `comptes du personnel ; rôles : ${ROLES.map((r) => `${r} (${PORTEES_DES_ROLES[r].length} portée(s))`).join(', ')}`,
  );
  sous(comptes.command('creer <identifiant>'))
    .description("crée un compte ; le mot de passe (12 caractères au moins) est lu sur l'entrée standard")
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--nom <nom>', 'nom affiché')
    .action((identifiant: string, o: { role: string; nom?: string }) =>
      poser(async (s, auteur) => {
        await s.creerCompte(identifiant, o.role, await lireEntreeStandard(), o.nom, auteur);
        console.log(`Compte ${identifiant} créé (rôle ${o.role}).`);
      }),
    );
  sous(comptes.command('lister'))
    .description('liste les comptes')
    .action(() =>
      poser(async (s) => {
        for (const c of await s.listerComptes())
          console.log(`${c.identifiant}  ${c.role}  ${c.actif ? 'actif' : 'désactivé'}  créé ${c.creeLe}${c.nomAffiche ? `  ${c.nomAffiche}` : ''}`);
      }),
    );
  sous(comptes.command('modifier <identifiant>'))
    .description("change le rôle, le mot de passe (lu sur l'entrée standard) ou l'état d'un compte")
    .option('--role <role>', ROLES.join(' | '))
    .option('--mot-de-passe', "nouveau mot de passe, lu sur l'entrée standard")
    .option('--desactiver', 'le compte ne peut plus se connecter')
    .option('--activer', 'le compte peut de nouveau se connecter')
    .action((identifiant: string, o: { role?: string; motDePasse?: boolean; desactiver?: boolean; activer?: boolean }) =>
      poser(async (s, auteur) => {
        const actif = o.activer ? true : o.desactiver ? false : undefined;
        await s.modifierCompte(identifiant, { role: o.role, motDePasse: o.motDePasse ? await lireEntreeStandard() : undefined, actif }, auteur);
        console.log(`Compte ${identifiant} modifié.`);
      }),
    );
  return p;
}

async function main(argv: string[]): Promise<number> {
  const action = actionDemandee<Action>(programme, argv, 'npm run clients -- --help');
  if (action === 0 || action === 2) return action;
  const config = configOuCode();
  if (config === 2) return 2;
  const source = await ouvrirBase(config.base);
  try {
    await action(new ServiceIdentites(new UniteDeTravail(source), config.clesApi), `cli:${userInfo().username}`);
    return 0;
  } catch (err) {
    return codeRefus(err);
  } finally {
    await source.destroy();
  }
}

executerCli(main);
