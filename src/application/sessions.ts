/**
 * Console sessions of the staff: opened with an account's password (or by CAS, for an account that
 * exists), kept in the database so that any node serves them, closed by sign-out, by idleness or at
 * their maximum length. The cookie carries a random token of which only the SHA-256 is stored; a
 * second random token (CSRF) must come back in a header with every change. The rights are the
 * account's of the moment: a role changed or an account disabled applies at the next request.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ErreurMetier } from '../domain/errors';
import type { Identite, ServiceIdentites } from './identites';
import type { Depots, UniteDeTravailPort } from './ports';
import type { SessionLigne } from './enregistrements';
import { egalConstant } from './secrets';
import { ligneAdministration } from './journal';

export interface OptionsSessions {
  /** A session unused this long is closed. */
  inactiviteMs: number;
  /** And none lasts longer than this. */
  dureeMaxMs: number;
}

export interface SessionOuverte {
  /** The cookie's value (never stored). */
  jeton: string;
  csrf: string;
  compte: string;
  role: string;
  expireLe: Date;
}

export interface SessionLue {
  identite: Identite;
  csrf: string;
  session: SessionLigne;
}

const empreinte = (jeton: string) => createHash('sha256').update(jeton).digest('hex');
/** `vueLe` is written at most this often (a request of the console is not a write each). */
const TOUCHER_MS = 60_000;

export class ServiceSessions {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly identites: ServiceIdentites,
    readonly options: OptionsSessions,
  ) {}

  /** Signs in with an account's identifier and password; a client's key opens no session. */
  async ouvrir(identifiant: string, motDePasse: string, requestId: string): Promise<SessionOuverte> {
    const identite = identifiant && motDePasse ? await this.identites.authentifier({ nom: identifiant, secret: motDePasse }) : undefined;
    if (identite?.nature !== 'compte') throw ErreurMetier.une('CONNEXION_REFUSEE', '');
    return this.creer(identite, 'mot-de-passe', requestId);
  }

  /** Signs in an account CAS vouched for; it must exist here, active (its role is the gateway's). */
  async ouvrirPourCompte(identifiant: string, origine: 'cas', requestId: string): Promise<SessionOuverte> {
    const identite = await this.identites.identiteDuCompte(identifiant);
    if (!identite) throw ErreurMetier.une('COMPTE_INCONNU', '', { identifiant });
    return this.creer(identite, origine, requestId);
  }

  private async creer(identite: Identite, origine: string, requestId: string): Promise<SessionOuverte> {
    const jeton = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const maintenant = new Date();
    const expireLe = new Date(maintenant.getTime() + this.options.dureeMaxMs);
    const ligne: SessionLigne = {
      id: empreinte(jeton),
      compte: identite.nom,
      role: identite.role ?? 'lecture',
      csrf,
      origine,
      creeLe: maintenant,
      vueLe: maintenant,
      expireLe,
    };
    await this.unite.executer(async (d) => {
      await d.sessions.creer(ligne);
      await journaliser(d, identite.nom, 'session.ouvrir', requestId, { origine });
    });
    return { jeton, csrf, compte: identite.nom, role: ligne.role, expireLe };
  }

  /** The session a cookie names, if it is still open (idle and maximum length checked), with the account's rights of now. */
  async lire(jeton: string): Promise<SessionLue | undefined> {
    if (!jeton || jeton.length > 100) return undefined;
    const id = empreinte(jeton);
    const session = await this.unite.lecture.sessions.lire(id);
    if (!session) return undefined;
    const maintenant = Date.now();
    const ouverte = new Date(session.expireLe).getTime() > maintenant && new Date(session.vueLe).getTime() + this.options.inactiviteMs > maintenant;
    const identite = ouverte ? await this.identites.identiteDuCompte(session.compte) : undefined;
    if (!identite) {
      await this.unite.executer((d) => d.sessions.supprimer(id));
      return undefined;
    }
    if (maintenant - new Date(session.vueLe).getTime() > TOUCHER_MS) await this.unite.executer((d) => d.sessions.toucher(id, new Date(maintenant)));
    return { identite, csrf: session.csrf, session };
  }

  /** Whether `recu` (the X-CSRF-Token header) is the session's token. */
  csrfValide(s: SessionLue, recu: string | undefined): boolean {
    return recu !== undefined && egalConstant(recu, s.csrf);
  }

  async fermer(jeton: string, requestId: string): Promise<void> {
    const s = await this.unite.lecture.sessions.lire(empreinte(jeton));
    if (!s) return;
    await this.unite.executer(async (d) => {
      await d.sessions.supprimer(s.id);
      await journaliser(d, s.compte, 'session.fermer', requestId);
    });
  }

  /** Removes the sessions past their maximum length (idle ones are removed when next presented). */
  purger(maintenant = new Date()): Promise<number> {
    return this.unite.executer((d) => d.sessions.purgerExpirees(new Date(maintenant.getTime() - this.options.inactiviteMs)));
  }
}

async function journaliser(d: Depots, compte: string, operation: string, requestId: string, details?: object): Promise<void> {
  await d.journal.ecrire(ligneAdministration('REST', operation, compte, compte, requestId || randomUUID(), details));
}
