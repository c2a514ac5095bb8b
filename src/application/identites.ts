/**
 * Who is calling: machine clients (API keys, from the database or `API_KEYS`) and staff accounts
 * (identifier + scrypt password), both resolved to one `Identite` with its scopes and, for a platform,
 * its OPI-number prefixes. Lookups are cached a short while (`ttlMs`): a revoked key stops working on
 * every node within that delay, and a flood of wrong keys does not become one query each.
 */
import { ErreurMetier, probleme } from '../domain/errors';
import { PORTEES_DES_ROLES, ROLES, lirePortees, lirePrefixes, type Portee, type Role } from '../domain/securite';
import type { ClientApiLigne, CleApiLigne, ComptePersonnelLigne } from './enregistrements';
import { randomUUID } from 'node:crypto';
import { ligneAdministration } from './journal';
import type { Depots, UniteDeTravailPort } from './ports';
import { egalConstant, empreinteCle, hacherMotDePasse, indiceCle, motDePasseAcceptable, nouvelleCle, verifierMotDePasse } from './secrets';

export interface Identite {
  nom: string;
  nature: 'client' | 'compte';
  portees: ReadonlySet<string>;
  /** OPI numbers this client may touch; undefined = any. */
  prefixesOpi?: readonly string[];
  role?: Role;
}

/** What a request presents: a bare key (Bearer, X-Api-Key) or a name and a secret (HTTP Basic, WS-Security). */
export type Presente = { cle: string } | { nom: string; secret: string };

/** A client of `API_KEYS` (kept in memory, never in the database). */
export interface ClientEnvironnement {
  cle: string;
  portees: readonly Portee[];
}

export interface ClientListe {
  nom: string;
  portees: string[];
  prefixesOpi: string[];
  description: string | null;
  creeLe: string;
  revoqueLe: string | null;
  cles: { indice: string; creeLe: string; expireLe: string | null; revoqueLe: string | null; active: boolean }[];
}

const NOM = /^[\w.@-]{1,100}$/;
/** Wrong passwords allowed per account and minute before it is refused unchecked. */
const ECHECS_MAX = 5;

function erreur(detail: string): ErreurMetier {
  return new ErreurMetier([probleme('PARAMETRE_INVALIDE', '', { detail })], 400);
}

function porteesValides(texte: string | undefined): string[] {
  const p = lirePortees(texte);
  if ('inconnues' in p) throw erreur(`portée(s) inconnue(s) : ${p.inconnues.join(', ')}`);
  return p.portees;
}

function prefixesValides(texte: string | undefined): string[] {
  const p = lirePrefixes(texte);
  if ('invalides' in p) throw erreur(`préfixe(s) d'OPI invalide(s) : ${p.invalides.join(', ')} (1 à 10 lettres ou chiffres)`);
  return p.prefixes;
}

/** Only the key's hash and first characters are stored. */
function nouvelleLigneCle(clientId: number, cle: string, maintenant: Date): Omit<CleApiLigne, 'id'> {
  return { clientId, empreinte: empreinteCle(cle), indice: indiceCle(cle), creeLe: maintenant, expireLe: null, revoqueLe: null };
}

function cleActive(k: CleApiLigne, maintenant: number): boolean {
  return k.revoqueLe === null && (k.expireLe === null || new Date(k.expireLe).getTime() > maintenant);
}

export class ServiceIdentites {
  private readonly cache = new Map<string, { identite?: Identite; jusqua: number }>();
  /** Failed password checks per account, for the current minute. */
  private readonly echecs = new Map<string, { n: number; jusqua: number }>();
  private configureeCache?: { valeur: boolean; jusqua: number };

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly environnement: ReadonlyMap<string, ClientEnvironnement> = new Map(),
    private readonly ttlMs = 30_000,
  ) {}

  /** Whether any credential exists (then every door but the public ones requires one). */
  async configuree(): Promise<boolean> {
    if (this.environnement.size) return true;
    const maintenant = Date.now();
    if (this.configureeCache && this.configureeCache.jusqua > maintenant) return this.configureeCache.valeur;
    const valeur = await this.unite.lecture.identites.existeActif(new Date(maintenant));
    this.configureeCache = { valeur, jusqua: maintenant + this.ttlMs };
    return valeur;
  }

  async authentifier(p: Presente): Promise<Identite | undefined> {
    const cleCache = 'cle' in p ? `k:${empreinteCle(p.cle)}` : `b:${empreinteCle(`${p.nom}\u0000${p.secret}`)}`;
    const maintenant = Date.now();
    const deja = this.cache.get(cleCache);
    if (deja && deja.jusqua > maintenant) return deja.identite;
    const identite = await this.resoudre(p, maintenant);
    // Bounded: a flood of distinct wrong keys empties it rather than growing it.
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(cleCache, { identite, jusqua: maintenant + this.ttlMs });
    return identite;
  }

  private async resoudre(p: Presente, maintenant: number): Promise<Identite | undefined> {
    const cle = 'cle' in p ? p.cle : p.secret;
    const attendu = 'cle' in p ? undefined : p.nom;
    for (const [nom, c] of this.environnement) {
      if ((attendu === undefined || attendu === nom) && egalConstant(cle, c.cle)) return { nom, nature: 'client', portees: new Set(c.portees) };
    }
    const trouvee = await this.unite.lecture.identites.cleParEmpreinte(empreinteCle(cle));
    if (trouvee && (attendu === undefined || attendu === trouvee.client.nom)) {
      if (!cleActive(trouvee.cle, maintenant) || trouvee.client.revoqueLe !== null) return undefined;
      return identiteClient(trouvee.client);
    }
    if (attendu === undefined) return undefined;
    const compte = await this.unite.lecture.identites.compte(attendu);
    if (!compte || compte.desactiveLe !== null) return undefined;
    // A password costs a scrypt (~0.1 s of CPU): after ECHECS_MAX failures in a minute, an account is
    // refused without checking until the minute ends — no brute force, and no CPU to burn for free.
    const echec = this.echecs.get(attendu);
    if (echec && echec.jusqua > maintenant && echec.n >= ECHECS_MAX) return undefined;
    if (!(await verifierMotDePasse(cle, compte.empreinteMotDePasse))) {
      const courant = echec && echec.jusqua > maintenant ? echec : { n: 0, jusqua: maintenant + 60_000 };
      courant.n++;
      if (this.echecs.size >= 10_000) this.echecs.clear();
      this.echecs.set(attendu, courant);
      return undefined;
    }
    this.echecs.delete(attendu);
    return identiteCompte(compte);
  }

  /**
   * The rights `nom` has today, for work done in its name later (a replay runs as the original client):
   * a revoked client or a disabled account has none; a name the gateway does not know (`anonyme`, an
   * install without credentials) gets undefined: no restriction.
   */
  async identiteDe(nom: string): Promise<Identite | undefined> {
    const env = this.environnement.get(nom);
    if (env) return { nom, nature: 'client', portees: new Set(env.portees) };
    const c = await this.unite.lecture.identites.clientParNom(nom);
    if (c) return c.revoqueLe === null ? identiteClient(c) : { nom, nature: 'client', portees: new Set() };
    const compte = await this.unite.lecture.identites.compte(nom);
    if (compte) return compte.desactiveLe === null ? identiteCompte(compte) : { nom, nature: 'compte', portees: new Set() };
    return undefined;
  }

  /** A staff account's rights of now (a console session), or undefined when it is unknown or disabled: one read. */
  async identiteDuCompte(identifiant: string): Promise<Identite | undefined> {
    const compte = await this.unite.lecture.identites.compte(identifiant);
    return compte && compte.desactiveLe === null ? identiteCompte(compte) : undefined;
  }

  /** Forget cached answers (after a change made by this process: the CLI, a test). */
  oublier(): void {
    this.cache.clear();
    this.configureeCache = undefined;
  }

  // --- administration (CLI, and later the console) ----------------------------------------------

  /** Every change of a client or an account leaves a journal row (who, what, on whom), in its transaction. */
  private async journaliser(d: Depots, auteur: string, operation: string, cle: string, details?: object): Promise<void> {
    await d.journal.ecrire(ligneAdministration('CLI', operation, auteur, cle, randomUUID(), details));
  }

  async creerClient(
    nom: string,
    o: { portees?: string; prefixes?: string; description?: string } = {},
    auteur = 'cli',
  ): Promise<{ client: ClientListe; cle: string }> {
    if (!NOM.test(nom)) throw erreur('nom de client : 1 à 100 caractères parmi A-Z a-z 0-9 _ . @ -');
    if (this.environnement.has(nom)) throw erreur(`le client ${nom} est déjà défini par API_KEYS`);
    const portees = porteesValides(o.portees);
    const prefixes = prefixesValides(o.prefixes);
    const cle = nouvelleCle();
    const maintenant = new Date();
    await this.unite.executer(async (d) => {
      // One namespace for clients and accounts: the journal and the idempotency records name the caller by it.
      if ((await d.identites.clientParNom(nom)) || (await d.identites.compte(nom)))
        throw new ErreurMetier([probleme('PARAMETRE_INVALIDE', '', { detail: `le nom ${nom} est déjà pris (client ou compte)` })], 409);
      const c = await d.identites.creerClient({
        nom,
        portees: portees.join(' '),
        prefixesOpi: prefixes.length ? prefixes.join(' ') : null,
        description: o.description?.slice(0, 500) ?? null,
        creeLe: maintenant,
        revoqueLe: null,
      });
      await d.identites.ajouterCle(nouvelleLigneCle(c.id, cle, maintenant));
      await this.journaliser(d, auteur, 'clients.creer', nom, { portees: c.portees, prefixesOpi: c.prefixesOpi });
    });
    this.oublier();
    return { client: (await this.listerClients()).find((c) => c.nom === nom)!, cle };
  }

  /** A new key; the client's other live keys keep working for `delaiHeures` (the change-over), then expire. */
  async rotation(nom: string, delaiHeures = 168, auteur = 'cli'): Promise<{ cle: string; anciennesExpirentLe: string }> {
    const cle = nouvelleCle();
    const maintenant = new Date();
    const fin = new Date(maintenant.getTime() + delaiHeures * 3600_000);
    await this.unite.executer(async (d) => {
      const c = await this.clientExistant(d.identites.clientParNom(nom), nom);
      for (const k of await d.identites.clesDe(c.id)) {
        if (cleActive(k, maintenant.getTime()) && (k.expireLe === null || new Date(k.expireLe) > fin)) await d.identites.modifierCle(k.id, { expireLe: fin });
      }
      await d.identites.ajouterCle(nouvelleLigneCle(c.id, cle, maintenant));
      await this.journaliser(d, auteur, 'clients.rotation', nom, { anciennesExpirentLe: fin.toISOString(), nouvelle: indiceCle(cle) });
    });
    this.oublier();
    return { cle, anciennesExpirentLe: fin.toISOString() };
  }

  /** Revokes one key (by its indice) or, without one, the client and all its keys. */
  async revoquer(nom: string, indice?: string, auteur = 'cli'): Promise<{ revoquees: number }> {
    const maintenant = new Date();
    const n = await this.unite.executer(async (d) => {
      const c = await this.clientExistant(d.identites.clientParNom(nom), nom);
      const cles = (await d.identites.clesDe(c.id)).filter((k) => k.revoqueLe === null && (indice === undefined || k.indice === indice));
      if (indice !== undefined && !cles.length) throw erreur(`aucune clé active d'indice ${indice} pour ${nom}`);
      for (const k of cles) await d.identites.modifierCle(k.id, { revoqueLe: maintenant });
      if (indice === undefined) await d.identites.modifierClient(c.id, { revoqueLe: maintenant });
      await this.journaliser(d, auteur, 'clients.revoquer', nom, { indice: indice ?? 'toutes', revoquees: cles.length });
      return cles.length;
    });
    this.oublier();
    return { revoquees: n };
  }

  async modifierClient(nom: string, o: { portees?: string; prefixes?: string }, auteur = 'cli'): Promise<void> {
    const maj: Partial<ClientApiLigne> = {};
    if (o.portees !== undefined) {
      maj.portees = porteesValides(o.portees).join(' ');
    }
    if (o.prefixes !== undefined) {
      const p = prefixesValides(o.prefixes);
      maj.prefixesOpi = p.length ? p.join(' ') : null;
    }
    await this.unite.executer(async (d) => {
      const c = await this.clientExistant(d.identites.clientParNom(nom), nom);
      await d.identites.modifierClient(c.id, maj);
      await this.journaliser(d, auteur, 'clients.modifier', nom, maj);
    });
    this.oublier();
  }

  async listerClients(): Promise<ClientListe[]> {
    const maintenant = Date.now();
    const d = this.unite.lecture.identites;
    const sortie: ClientListe[] = [];
    for (const c of await d.clients()) {
      sortie.push({
        nom: c.nom,
        portees: c.portees.split(' ').filter(Boolean),
        prefixesOpi: (c.prefixesOpi ?? '').split(' ').filter(Boolean),
        description: c.description,
        creeLe: new Date(c.creeLe).toISOString(),
        revoqueLe: c.revoqueLe ? new Date(c.revoqueLe).toISOString() : null,
        cles: (await d.clesDe(c.id)).map((k) => ({
          indice: k.indice,
          creeLe: new Date(k.creeLe).toISOString(),
          expireLe: k.expireLe ? new Date(k.expireLe).toISOString() : null,
          revoqueLe: k.revoqueLe ? new Date(k.revoqueLe).toISOString() : null,
          active: c.revoqueLe === null && cleActive(k, maintenant),
        })),
      });
    }
    return sortie;
  }

  async creerCompte(identifiant: string, role: string, motDePasse: string, nomAffiche?: string, auteur = 'cli'): Promise<void> {
    if (!NOM.test(identifiant)) throw erreur('identifiant : 1 à 100 caractères parmi A-Z a-z 0-9 _ . @ -');
    if (!(ROLES as readonly string[]).includes(role)) throw erreur(`rôle inconnu : ${role} (${ROLES.join(', ')})`);
    const faible = motDePasseAcceptable(motDePasse);
    if (faible) throw erreur(`mot de passe : ${faible}`);
    const empreinte = await hacherMotDePasse(motDePasse);
    await this.unite.executer(async (d) => {
      if ((await d.identites.compte(identifiant)) || (await d.identites.clientParNom(identifiant)) || this.environnement.has(identifiant))
        throw new ErreurMetier([probleme('PARAMETRE_INVALIDE', '', { detail: `le nom ${identifiant} est déjà pris (client ou compte)` })], 409);
      await d.identites.creerCompte({
        identifiant,
        nomAffiche: nomAffiche ?? null,
        role,
        empreinteMotDePasse: empreinte,
        creeLe: new Date(),
        desactiveLe: null,
      });
      await this.journaliser(d, auteur, 'comptes.creer', identifiant, { role });
    });
    this.oublier();
  }

  async modifierCompte(identifiant: string, o: { role?: string; motDePasse?: string; actif?: boolean }, auteur = 'cli'): Promise<void> {
    const maj: Partial<ComptePersonnelLigne> = {};
    if (o.role !== undefined) {
      if (!(ROLES as readonly string[]).includes(o.role)) throw erreur(`rôle inconnu : ${o.role} (${ROLES.join(', ')})`);
      maj.role = o.role;
    }
    if (o.motDePasse !== undefined) {
      const faible = motDePasseAcceptable(o.motDePasse);
      if (faible) throw erreur(`mot de passe : ${faible}`);
      maj.empreinteMotDePasse = await hacherMotDePasse(o.motDePasse);
    }
    if (o.actif !== undefined) maj.desactiveLe = o.actif ? null : new Date();
    await this.unite.executer(async (d) => {
      const c = await d.identites.compte(identifiant);
      if (!c) throw new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `compte ${identifiant}` })], 404);
      await d.identites.modifierCompte(c.id, maj);
      // Never the password hash in the journal.
      await this.journaliser(d, auteur, 'comptes.modifier', identifiant, {
        role: o.role,
        motDePasse: o.motDePasse === undefined ? undefined : 'changé',
        actif: o.actif,
      });
    });
    this.oublier();
  }

  async listerComptes(): Promise<{ identifiant: string; nomAffiche: string | null; role: string; creeLe: string; actif: boolean }[]> {
    return (await this.unite.lecture.identites.comptes()).map((c) => ({
      identifiant: c.identifiant,
      nomAffiche: c.nomAffiche,
      role: c.role,
      creeLe: new Date(c.creeLe).toISOString(),
      actif: c.desactiveLe === null,
    }));
  }

  private async clientExistant(p: Promise<ClientApiLigne | null>, nom: string): Promise<ClientApiLigne> {
    const c = await p;
    if (!c) throw new ErreurMetier([probleme('RESSOURCE_INTROUVABLE', '', { ressource: `client ${nom}` })], 404);
    return c;
  }
}

function identiteClient(c: ClientApiLigne): Identite {
  const prefixes = (c.prefixesOpi ?? '').split(' ').filter(Boolean);
  return { nom: c.nom, nature: 'client', portees: new Set(c.portees.split(' ').filter(Boolean)), prefixesOpi: prefixes.length ? prefixes : undefined };
}

function identiteCompte(c: ComptePersonnelLigne): Identite {
  const role = (ROLES as readonly string[]).includes(c.role) ? (c.role as Role) : 'lecture';
  return { nom: c.identifiant, nature: 'compte', portees: new Set(PORTEES_DES_ROLES[role]), role };
}
