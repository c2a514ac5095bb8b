/**
 * The door Parcoursup pushes admitted candidates to: `POST /api/v1/parcoursup/admissionCandidat` with
 * `{"identifiant": {"login", "pwd"}, "donneesCandidat": {…}}` (or the candidate's fields beside
 * `identifiant`, Parcoursup's 2019 variant). Parcoursup sends no API key: it authenticates in the
 * body, against the clients of PARCOURSUP_CLIENTS, so this router is mounted before the API-key check
 * and before the JSON parser, and reads its body itself:
 * - streamed, at most 64 KiB in all; the `identifiant` is checked as soon as it has been read, so a
 *   wrong one is refused without reading what follows it (the connection is then closed);
 * - the answer is Parcoursup's: `{"retour": "OK", "message": "OPI P26… créée"}` with HTTP 200, or
 *   `{"retour": "NOK", "message": "<codes, champs, raisons>"}` with HTTP 500, whatever the refusal.
 * Journal: a refusal before authentication counts in the aggregated 401 rows (one per address and
 * minute); after it, the candidate goes through `enregistrerAdmission` (operation `opi.enregistrer`,
 * client = the Parcoursup login), and a body refused after authentication has its own row.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import Assembler from 'stream-json/Assembler';
import { parser } from 'stream-json';
import type { ContexteAppel } from '../../application/pipeline';
import { sha256 } from '../../domain/empreinte';
import { ErreurMetier, probleme } from '../../domain/errors';
import { enregistrerAdmission, messageAdmission, messageRefus, type DependancesAdmission } from '../platforms/admission-parcoursup';
import { estObjet } from '../platforms/parcoursup';
import { contexteDepuis } from './contexte';

/** The journal's name of what this door refuses before a candidate is read. */
export const OPERATION_ADMISSION = 'parcoursup.admissionCandidat';

/** At most this many bytes are read, the `identifiant` included: a candidate is a few KiB. */
export const TAILLE_MAX_ADMISSION = 64 * 1024;

export interface OptionsRoutesParcoursup extends DependancesAdmission {
  /** Login → password of the Parcoursup clients (PARCOURSUP_CLIENTS); empty = every push is refused. */
  clients: Map<string, string>;
  /** Largest body read, in bytes (default TAILLE_MAX_ADMISSION). */
  tailleMax?: number;
}

type Lecture =
  /** Refused before authentication (wrong or absent identifiant, or a body unreadable before it). */
  | { login?: undefined; erreur: ErreurMetier }
  /** Authenticated, then the body was refused. */
  | { login: string; erreur: ErreurMetier }
  | { login: string; json: unknown };

const empreinte = (s: string): Buffer => Buffer.from(sha256(s), 'hex');

function champ(o: Record<string, unknown>, nom: string): string | undefined {
  const k = Object.keys(o).find((x) => x.toLowerCase() === nom);
  const v = k === undefined ? undefined : o[k];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * The login of a registered client whose password matches, else undefined. The SHA-256 of each side
 * is compared with `timingSafeEqual`, for every client: the time depends neither on where the strings
 * differ nor on their length nor on which client matched.
 */
function authentifier(clients: readonly { login: string; h: Buffer; p: Buffer }[], identifiant: unknown): string | undefined {
  if (!estObjet(identifiant)) return undefined;
  const login = champ(identifiant, 'login');
  const pwd = champ(identifiant, 'pwd');
  if (login === undefined || pwd === undefined) return undefined;
  const h = empreinte(login);
  const p = empreinte(pwd);
  let trouve: string | undefined;
  for (const c of clients) {
    const memeLogin = timingSafeEqual(h, c.h);
    const memeMotDePasse = timingSafeEqual(p, c.p);
    if (memeLogin && memeMotDePasse && trouve === undefined) trouve = c.login;
  }
  return trouve;
}

const refusIdentifiant = () => new ErreurMetier([probleme('IDENTIFIANT_PARCOURSUP_REFUSE', 'identifiant')], 401);
const malforme = (detail: string) => new ErreurMetier([probleme('REQUETE_MALFORMEE', '', { detail })], 400);

/** Streams the body into a JSON value, checking the identifiant as soon as the parser has it whole. */
function lireAdmission(req: Request, clients: readonly { login: string; h: Buffer; p: Buffer }[], max: number): Promise<Lecture> {
  return new Promise((resolve) => {
    const jeton = parser({ streamValues: false });
    const asm = new Assembler();
    let login: string | undefined;
    let verifie = false;
    let taille = 0;
    let fini = false;
    const finir = (l: Lecture) => {
      if (fini) return;
      fini = true;
      req.off('data', surDonnees);
      req.pause();
      jeton.removeAllListeners('data');
      resolve(l);
    };
    const refuser = (erreur: ErreurMetier) => finir(login === undefined ? { erreur } : { login, erreur });
    jeton.on('data', (t: { name: string; value?: string }) => {
      asm.consume(t);
      if (verifie || asm.stack.length !== 0 || !estObjet(asm.current)) return;
      const cle = Object.keys(asm.current).find((k) => k.toLowerCase() === 'identifiant');
      if (cle === undefined) return;
      verifie = true;
      login = authentifier(clients, asm.current[cle]);
      if (login === undefined) refuser(refusIdentifiant());
    });
    jeton.on('error', () => refuser(malforme('JSON invalide')));
    jeton.on('end', () => {
      if (!verifie || login === undefined) refuser(refusIdentifiant());
      else finir({ login, json: asm.current });
    });
    const surDonnees = (morceau: Buffer) => {
      taille += morceau.length;
      if (taille > max) return refuser(new ErreurMetier([probleme('CORPS_TROP_VOLUMINEUX', '', { max: `${max} octets` })], 413));
      jeton.write(morceau);
    };
    req.on('data', surDonnees);
    req.on('end', () => {
      if (!fini) jeton.end();
    });
    req.on('error', () => refuser(malforme('envoi interrompu')));
  });
}

function repondre(res: Response, ok: boolean, message: string, fermer = false): void {
  if (fermer) res.setHeader('Connection', 'close');
  res
    .status(ok ? 200 : 500)
    .type('application/json; charset=utf-8')
    .json({ retour: ok ? 'OK' : 'NOK', message });
}

export function routesParcoursup(o: OptionsRoutesParcoursup): Router {
  const clients = [...o.clients].map(([login, pwd]) => ({ login, h: empreinte(login), p: empreinte(pwd) }));
  const max = o.tailleMax ?? TAILLE_MAX_ADMISSION;
  const r = Router();

  r.post('/parcoursup/admissionCandidat', async (req, res) => {
    const ctx: ContexteAppel = { ...contexteDepuis(req, 'REST'), client: 'anonyme', portees: undefined, prefixesOpi: undefined };
    const lecture = await lireAdmission(req, clients, max);
    if ('erreur' in lecture) {
      // The body may not have been read to its end: the connection is not reused.
      if (lecture.login === undefined) o.pipeline.refuserAuthentification(ctx, OPERATION_ADMISSION);
      else await o.pipeline.refuser({ ...ctx, client: lecture.login }, OPERATION_ADMISSION, lecture.erreur);
      return repondre(res, false, messageRefus(lecture.erreur), true);
    }
    // A Parcoursup account pushes OPIs, nothing else.
    const issue = await enregistrerAdmission(o, { ...ctx, client: lecture.login, portees: new Set(['opi:ecrire']), prefixesOpi: undefined }, lecture.json);
    if (issue.ok) return repondre(res, true, messageAdmission(issue.resultat));
    repondre(res, false, messageRefus(issue.erreur, issue.colonnes, issue.codOpiIntEpo));
  });

  return r;
}
