/**
 * One typed configuration object, read from the environment once, at start-up, and validated:
 * a bad value stops the gateway with a message that names the variable (no silent default).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { lireCleJournal } from './adapters/chiffrement/coffre-aes';
import { DUREES_PAR_DEFAUT, type DureesConservation } from './application/conservation';
import { verifierUai } from './domain/identifiers/uai';
import { PORTEES, lirePortees } from './domain/securite';
import type { ClientEnvironnement } from './application/identites';

export type TypeBase = 'sqlite' | 'mysql';

export interface ConfigBase {
  type: TypeBase;
  /** SQLite: file path (or `:memory:`); MySQL/MariaDB: the URL. */
  url: string;
  /** Connection pool size (MySQL/MariaDB). */
  pool: number;
  /** MySQL/MariaDB: a query with no answer after this is abandoned, its connection closed (`DATABASE_QUERY_TIMEOUT_MS`, default 30 s). */
  delaiRequeteMs?: number;
  /** MySQL/MariaDB: waiting longer than this for a pooled connection fails (`DATABASE_ACQUIRE_TIMEOUT_MS`, default 10 s). */
  delaiAcquisitionMs?: number;
}

export interface Config {
  /**
   * Gateway processes on this machine (`WORKERS`: a number, or `auto` = one per core; the default on
   * MariaDB/MySQL). Always 1 on SQLite, which has one writer.
   */
  processus: number;
  port: number;
  host: string;
  base: ConfigBase;
  niveauLog: 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
  /** Folder of the nomenclature files loaded into an empty database at first start. */
  dossierNomenclatures: string;
  /** Largest JSON body accepted by the REST door, in bytes. */
  tailleMaxCorps: number;
  /** Largest SOAP message accepted, in bytes. */
  tailleMaxSoap: number;
  /**
   * V8's heap growing factor, as 1 + N/100 of the live heap after a full collection (`HEAP_GROWING_PERCENT`,
   * default 50; 0 = V8's own, up to ×4 when collections are cheap). A streamed import keeps a small live
   * heap but makes garbage steadily: V8's own factor let the heap reach 4× the live data (peak RSS 345 MiB
   * on 200,000 rows) where ×1.5 keeps it near the live data. A tuning of when to collect, not a cap.
   */
  croissanceTasPourcent: number;
  /**
   * Clients given in the environment (`API_KEYS=client:clé[:portée+portée…],…`; no scope = every scope).
   * They add to the clients of the database (`npm run clients`). With any credential, every door but the
   * public ones (health, docs, WSDL) requires one: REST `Authorization: Bearer <clé>`, `X-Api-Key` or
   * HTTP Basic; SOAP the same or WS-Security UsernameToken.
   */
  clesApi: Map<string, ClientEnvironnement>;
  /** `METRICS_PORT`: /metrics only there, on 127.0.0.1, without authentication; undefined = on the main port, scope `metriques:lire`. */
  portMetriques?: number;
  /** Requests per minute: per authenticated client (`RATE_LIMIT_CLIENT`), per source address without valid credentials (`RATE_LIMIT_ADRESSE`); 0 = no limit. */
  limitesDebit: { parClient: number; parAdresse: number };
  /** `REDIS_URL`: the rate-limit counters shared by every node; undefined = in each node's memory. */
  redisUrl?: string;
  /** `TRUST_PROXY`: whose `X-Forwarded-For` to believe (Express's `trust proxy`: `loopback`, addresses/CIDRs, or a hop count). */
  confianceProxy: string | number | boolean;
  /** HTTP timeouts (ms): headers (`HEADERS_TIMEOUT_MS`), a request body with no byte (`BODY_IDLE_TIMEOUT_MS`), shutdown deadline (`SHUTDOWN_TIMEOUT_MS`). */
  delais: { entetesMs: number; inactiviteMs: number; arretMs: number };
  /** `AUTH=desactivee`: no authentication at all, on any address (logged at start). */
  authDesactivee: boolean;
  /** `HOST` as given; undefined = decided at start (loopback when no credential exists). */
  hoteDemande?: string;
  /** Campaign year given to incoming OPIs (`codAnu`); undefined = deduced from the date (see anneeCampagne). */
  anneeCampagne?: string;
  /** Folder where uploaded bulk files are kept until their job is done (resume after a crash). */
  dossierLots: string;
  /** Largest bulk file accepted, in bytes. */
  tailleMaxLot: number;
  /** Lease of a running job, renewed every third of it (`JOB_LEASE_SECONDS`): a dead node's job is taken over within about 1⅓ of it. */
  bailJobsSecondes: number;
  /** Hours an uploaded bulk file is kept after its job ended (or after it was abandoned), `BULK_RETENTION_HOURS`. */
  retentionFichiersLotsHeures: number;
  /** `JOURNAL_CLE`: seals the payloads kept for replay; absent, nothing is kept and replay is unavailable. */
  cleJournal?: Buffer;
  /** `JOURNAL_CLES_ANCIENNES`: former keys (comma-separated), to open what they sealed. */
  clesJournalAnciennes: Buffer[];
  /** Console sessions: idle timeout, maximum length, the cookie's Secure flag (auto: when the request came over HTTPS). */
  sessions: { inactiviteMinutes: number; dureeHeures: number; cookieSecure: 'auto' | 'oui' | 'non' };
  /** `CAS_URL`: the CAS server of the establishment (ESUP-Portail), for the console's sign-in; none = passwords only. */
  casUrl?: string;
  /** `PUBLIC_URL`: how users reach the gateway (the CAS `service`); default: from the request. */
  urlPublique?: string;
  /** `CORS_ORIGINS`: the browser origins allowed to call the API; none = CORS off. */
  corsOrigines: string[];
  /** How long each kind of data is kept (`RETENTION_*_JOURS`), and how often the purge runs (0: never). */
  conservation: DureesConservation & { intervalleHeures: number };
  /** Folder of the document store (supporting documents, content-addressed). */
  dossierPj: string;
  /** Largest supporting document a door accepts, in bytes (each type of document has its own, smaller, limit). */
  tailleMaxPj: number;
  /** Optional INES-check service for RNIE-form INEs (9 digits + 2 letters); undefined = format check only. */
  ines?: { url: string; delaiMs: number; jeton?: string };
  /** Outgoing e-mail (`SMTP_URL`, `SMTP_FROM`); `url` undefined = no SMTP server: reminders unavailable. */
  smtp: { url?: string; de: string };
  /** Reminders of missing supporting documents: at most one e-mail per student per period of `periodeJours` days; `intervalleMinutes` undefined = no schedule. */
  relancesPj: { periodeJours: number; intervalleMinutes?: number };
  /**
   * Parcoursup's web services (`PARCOURSUP_URL`, the base of its REST API, e.g.
   * `https://ws.parcoursup.fr/ApiRest`; `PARCOURSUP_LOGIN`, `PARCOURSUP_MOT_DE_PASSE`; `PARCOURSUP_UAI`,
   * the establishment). Undefined = not configured: nothing is sent to Parcoursup.
   */
  parcoursup?: { url: string; login: string; motDePasse: string; uai: string };
  /**
   * Delivery of the notifications owed to Parcoursup (an IA of a Parcoursup OPI validated or cancelled):
   * attempts before ECHEC, first and largest delay between two attempts (exponential, with jitter),
   * time allowed to one call, delay between two looks at the outbox.
   */
  notificationsParcoursup: { tentatives: number; delaiInitialMs: number; delaiMaxMs: number; delaiAppelMs: number; intervalleMs: number };
  /**
   * Who may push admitted candidates to `POST /api/v1/parcoursup/admissionCandidat`, login → password
   * (`PARCOURSUP_CLIENTS=login:mot-de-passe,…`): Parcoursup authenticates in the body (`identifiant`),
   * not with an API key. Empty = that door refuses every push.
   */
  clientsParcoursup: Map<string, string>;
  /** Minutes between two pulls of Parcoursup's `getCandidatsAdmis` (`PARCOURSUP_INTERVALLE`); undefined = no pull. Needs `parcoursup`. */
  intervalleParcoursup?: number;
}

export class ErreurConfiguration extends Error {
  constructor(message: string) {
    super(`Configuration invalide : ${message}`);
    this.name = 'ErreurConfiguration';
  }
}

const RACINE = path.resolve(__dirname, '..', '..');
const NIVEAUX = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

function entier(env: NodeJS.ProcessEnv, nom: string, defaut: number, min: number, max: number): number {
  const brut = env[nom];
  if (brut === undefined || brut === '') return defaut;
  if (!/^\d+$/.test(brut.trim())) throw new ErreurConfiguration(`${nom}=${brut} n'est pas un entier.`);
  const n = Number(brut);
  if (n < min || n > max) throw new ErreurConfiguration(`${nom}=${brut} hors bornes [${min}, ${max}].`);
  return n;
}

export function lireBase(url: string | undefined, pool = 10): ConfigBase {
  if (url === undefined || url === '') {
    return { type: 'sqlite', url: path.join(RACINE, 'data', 'passerelle.sqlite'), pool };
  }
  if (url.startsWith('sqlite:')) {
    const fichier = url.replace(/^sqlite:(\/\/)?/, '');
    if (!fichier) throw new ErreurConfiguration(`DATABASE_URL=${url} : chemin SQLite manquant (ex. sqlite:./data/passerelle.sqlite).`);
    return { type: 'sqlite', url: fichier === ':memory:' ? fichier : path.resolve(fichier), pool };
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    let u: URL;
    try {
      u = new URL(url.replace(/^mariadb:/, 'mysql:'));
    } catch {
      throw new ErreurConfiguration(`DATABASE_URL=${url} n'est pas une URL valide.`);
    }
    if (!u.hostname || u.pathname.length <= 1) {
      throw new ErreurConfiguration(`DATABASE_URL=${url} : hôte et base attendus (mysql://user:mdp@hote:3306/base).`);
    }
    return { type: 'mysql', url: u.toString(), pool };
  }
  throw new ErreurConfiguration(`DATABASE_URL=${url} : schéma non supporté (sqlite:, mysql:// ou mariadb://).`);
}

export function lireConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const niveau = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(NIVEAUX as readonly string[]).includes(niveau)) {
    throw new ErreurConfiguration(`LOG_LEVEL=${env.LOG_LEVEL} : valeurs possibles ${NIVEAUX.join(', ')}.`);
  }
  const base = lireBase(env.DATABASE_URL, entier(env, 'DATABASE_POOL', 10, 1, 200));
  return {
    processus: lireProcessus(env.WORKERS, base.type),
    port: entier(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    hoteDemande: env.HOST || undefined,
    authDesactivee: lireAuth(env.AUTH),
    delais: {
      entetesMs: entier(env, 'HEADERS_TIMEOUT_MS', 20_000, 100, 600_000),
      inactiviteMs: entier(env, 'BODY_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
      arretMs: entier(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
    },
    limitesDebit: { parClient: entier(env, 'RATE_LIMIT_CLIENT', 6000, 0, 10_000_000), parAdresse: entier(env, 'RATE_LIMIT_ADRESSE', 600, 0, 10_000_000) },
    redisUrl: lireRedis(env.REDIS_URL),
    confianceProxy: lireConfianceProxy(env.TRUST_PROXY),
    portMetriques: env.METRICS_PORT ? entier(env, 'METRICS_PORT', 0, 0, 65535) : undefined,
    base: {
      ...base,
      delaiRequeteMs: entier(env, 'DATABASE_QUERY_TIMEOUT_MS', 30_000, 100, 3_600_000),
      delaiAcquisitionMs: entier(env, 'DATABASE_ACQUIRE_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    niveauLog: niveau as Config['niveauLog'],
    dossierNomenclatures: path.resolve(env.NOMENCLATURES_DIR || path.join(RACINE, 'fixtures', 'nomenclatures')),
    tailleMaxCorps: entier(env, 'MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    tailleMaxSoap: entier(env, 'MAX_SOAP_BYTES', 20 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    croissanceTasPourcent: entier(env, 'HEAP_GROWING_PERCENT', 50, 0, 1000),
    clesApi: lireClesEnvironnement(env.API_KEYS),
    anneeCampagne: lireAnnee(env.CAMPAGNE_COD_ANU),
    dossierLots: path.resolve(env.BULK_DIR || path.join(RACINE, 'data', 'lots')),
    retentionFichiersLotsHeures: entier(env, 'BULK_RETENTION_HOURS', 168, 1, 24 * 365),
    cleJournal: env.JOURNAL_CLE ? cleOuErreur(env.JOURNAL_CLE, 'JOURNAL_CLE') : undefined,
    clesJournalAnciennes: (env.JOURNAL_CLES_ANCIENNES ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map((k) => cleOuErreur(k, 'JOURNAL_CLES_ANCIENNES')),
    sessions: {
      inactiviteMinutes: entier(env, 'SESSION_INACTIVITE_MINUTES', 30, 1, 24 * 60),
      dureeHeures: entier(env, 'SESSION_DUREE_HEURES', 10, 1, 7 * 24),
      cookieSecure: lireChoix(env, 'SESSION_COOKIE_SECURE', ['auto', 'oui', 'non'], 'auto'),
    },
    casUrl: lireUrlHttp(env, 'CAS_URL', 'https://cas.universite.fr/cas'),
    urlPublique: lireUrlHttp(env, 'PUBLIC_URL', 'https://passerelle.universite.fr'),
    corsOrigines: lireOrigines(env.CORS_ORIGINS),
    conservation: {
      chargesJours: entier(env, 'RETENTION_CHARGES_JOURS', DUREES_PAR_DEFAUT.chargesJours, 1, 36_500),
      journalJours: entier(env, 'RETENTION_JOURNAL_JOURS', DUREES_PAR_DEFAUT.journalJours, 1, 36_500),
      rejetsJours: entier(env, 'RETENTION_REJETS_JOURS', DUREES_PAR_DEFAUT.rejetsJours, 1, 36_500),
      idempotenceJours: entier(env, 'RETENTION_IDEMPOTENCE_JOURS', DUREES_PAR_DEFAUT.idempotenceJours, 1, 36_500),
      pjSansInscriptionJours: entier(env, 'RETENTION_PJ_SANS_IA_JOURS', DUREES_PAR_DEFAUT.pjSansInscriptionJours, 1, 36_500),
      intervalleHeures: entier(env, 'RETENTION_INTERVALLE_HEURES', 6, 0, 24 * 30),
    },
    bailJobsSecondes: entier(env, 'JOB_LEASE_SECONDS', 15, 2, 3600),
    tailleMaxLot: entier(env, 'MAX_BULK_BYTES', 200 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    dossierPj: path.resolve(env.PJ_DIR || path.join(RACINE, 'data', 'pj')),
    tailleMaxPj: entier(env, 'MAX_PJ_BYTES', 20 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    ines: lireInes(env),
    smtp: { url: lireSmtpUrl(env.SMTP_URL), de: lireSmtpFrom(env.SMTP_FROM) },
    relancesPj: lireRelancesPj(env),
    parcoursup: lireParcoursup(env),
    notificationsParcoursup: lireNotificationsParcoursup(env),
    clientsParcoursup: lireClesApi(env.PARCOURSUP_CLIENTS, 'PARCOURSUP_CLIENTS', 'login:mot de passe'),
    intervalleParcoursup: lireIntervalleParcoursup(env),
  };
}

function lireProcessus(brut: string | undefined, type: TypeBase): number {
  const v = (brut ?? '').trim().toLowerCase();
  if (type === 'sqlite') {
    if (v && v !== 'auto' && v !== '1')
      throw new ErreurConfiguration(
        `WORKERS=${brut} : SQLite n'a qu'un écrivain, un seul processus (WORKERS=1 ou auto) ; plusieurs processus demandent MariaDB/MySQL.`,
      );
    return 1;
  }
  if (!v || v === 'auto') return availableParallelism();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64)
    throw new ErreurConfiguration(`WORKERS=${brut} : auto (un processus par cœur) ou un entier de 1 à 64 attendu.`);
  return Number(v);
}

function lireRedis(brut: string | undefined): string | undefined {
  if (!brut?.trim()) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(brut.trim()))
    throw new ErreurConfiguration('REDIS_URL : redis://[utilisateur:mot de passe@]hôte[:port][/base] ou rediss://… attendu.');
  return brut.trim();
}

function lireConfianceProxy(brut: string | undefined): string | number | boolean {
  const v = (brut ?? '').trim();
  if (!v) return 'loopback';
  if (v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  if (!/^[\w.:/, -]+$/.test(v)) {
    throw new ErreurConfiguration(
      `TRUST_PROXY=${v} : loopback, linklocal, uniquelocal, des adresses ou réseaux (10.0.0.0/8) séparés par des virgules, un nombre de relais, true ou false.`,
    );
  }
  return v;
}

function lireAuth(brut: string | undefined): boolean {
  if (!brut) return false;
  if (brut.trim().toLowerCase() === 'desactivee') return true;
  throw new ErreurConfiguration(`AUTH=${brut} : seule valeur possible « desactivee » (aucune authentification, à réserver à un poste de développement).`);
}

/** `client:clé[:portée+portée…],…`: the keys as lireClesApi checks them (no `:` in a key), then the scopes. */
function lireClesEnvironnement(brut: string | undefined): Map<string, ClientEnvironnement> {
  const sortie = new Map<string, ClientEnvironnement>();
  for (const [client, reste] of lireClesApi(brut)) {
    const i = reste.indexOf(':');
    const cle = i < 0 ? reste : reste.slice(0, i);
    const portees = lirePortees(i < 0 ? '' : reste.slice(i + 1));
    if ('inconnues' in portees)
      throw new ErreurConfiguration(
        `API_KEYS : client ${client}, portée(s) inconnue(s) ${portees.inconnues.join(', ')} ; portées possibles : ${PORTEES.join(', ')}.`,
      );
    if (cle.length < 16) throw new ErreurConfiguration(`API_KEYS : client ${client}, la clé doit compter au moins 16 caractères (et aucun « : »).`);
    sortie.set(client, { cle, portees: portees.portees });
  }
  return sortie;
}

/** `nom:secret,…` (API_KEYS, PARCOURSUP_CLIENTS): names in [A-Za-z0-9_.@-], secrets of 16 characters or more, never quoted. */
function lireClesApi(brut: string | undefined, variable = 'API_KEYS', forme = 'client:clé'): Map<string, string> {
  const [nom, secret] = forme.split(':');
  const cles = new Map<string, string>();
  if (!brut?.trim()) return cles;
  brut
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .forEach((paire, rang) => {
      const i = paire.indexOf(':');
      const client = i > 0 ? paire.slice(0, i) : '';
      const cle = i > 0 ? paire.slice(i + 1) : '';
      // The message names the entry by its position and client name, never by its key.
      if (!/^[\w.@-]{1,100}$/.test(client) || cle.length < 16) {
        throw new ErreurConfiguration(
          `${variable} : l'entrée n° ${rang + 1}${client ? ` (${nom} ${client})` : ''} doit être ${forme}, ${nom} en [A-Za-z0-9_.@-], ${secret} d'au moins 16 caractères.`,
        );
      }
      if (cles.has(client)) throw new ErreurConfiguration(`${variable} : ${nom} ${client} en double.`);
      cles.set(client, cle);
    });
  return cles;
}

function lireAnnee(brut: string | undefined): string | undefined {
  if (!brut) return undefined;
  if (!/^(19|20)\d{2}$/.test(brut.trim())) throw new ErreurConfiguration(`CAMPAGNE_COD_ANU=${brut} : une année sur 4 chiffres attendue (ex. 2026).`);
  return brut.trim();
}

function cleOuErreur(texte: string, variable: string): Buffer {
  try {
    return lireCleJournal(texte, variable);
  } catch (err) {
    throw new ErreurConfiguration((err as Error).message);
  }
}

function lireChoix<T extends string>(env: NodeJS.ProcessEnv, nom: string, choix: readonly T[], defaut: T): T {
  const v = env[nom]?.trim();
  if (!v) return defaut;
  if (!(choix as readonly string[]).includes(v)) throw new ErreurConfiguration(`${nom}=${v} : ${choix.join(', ')} attendu.`);
  return v as T;
}

/** An http(s) URL without a trailing slash, or undefined when the variable is empty. */
function lireUrlHttp(env: NodeJS.ProcessEnv, nom: string, exemple: string): string | undefined {
  const brut = env[nom]?.trim();
  if (!brut) return undefined;
  let u: URL;
  try {
    u = new URL(brut);
  } catch {
    throw new ErreurConfiguration(`${nom}=${brut} n'est pas une URL http(s) (ex. ${exemple}).`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !u.hostname)
    throw new ErreurConfiguration(`${nom}=${brut} : une URL http(s) attendue (ex. ${exemple}).`);
  return u.toString().replace(/\/+$/, '');
}

/** `CORS_ORIGINS`: origins (scheme://host[:port]) separated by commas; none = CORS off. */
function lireOrigines(brut: string | undefined): string[] {
  const origines = (brut ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origines) {
    let u: URL | undefined;
    try {
      u = new URL(o);
    } catch {
      u = undefined;
    }
    if (!u || u.origin !== o) throw new ErreurConfiguration(`CORS_ORIGINS : ${o} n'est pas une origine (schéma://hôte[:port], sans chemin ni barre finale).`);
  }
  return origines;
}

function lireInes(env: NodeJS.ProcessEnv): Config['ines'] {
  if (!env.INES_URL) return undefined;
  try {
    const u = new URL(env.INES_URL);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocole');
  } catch {
    throw new ErreurConfiguration(`INES_URL=${env.INES_URL} n'est pas une URL http(s).`);
  }
  return { url: env.INES_URL, delaiMs: entier(env, 'INES_TIMEOUT_MS', 3000, 100, 60_000), jeton: env.INES_TOKEN || undefined };
}

/** `smtp://[user:password@]host[:port]` or `smtps://…`; the message never quotes the password. */
function lireSmtpUrl(brut: string | undefined): string | undefined {
  if (!brut?.trim()) return undefined;
  let u: URL;
  try {
    u = new URL(brut.trim());
  } catch {
    throw new ErreurConfiguration("SMTP_URL n'est pas une URL valide (smtp://utilisateur:mdp@hote:587 ou smtps://hote:465).");
  }
  const affichee = `${u.protocol}//${u.username ? `${u.username}${u.password ? ':***' : ''}@` : ''}${u.host}`;
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ErreurConfiguration(`SMTP_URL=${affichee} : schéma smtp:// ou smtps:// attendu.`);
  if (!u.hostname) throw new ErreurConfiguration(`SMTP_URL=${affichee} : hôte manquant.`);
  return u.toString();
}

/** `adresse@domaine` or `Nom affiché <adresse@domaine>`. */
function lireSmtpFrom(brut: string | undefined): string {
  const v = brut?.trim();
  if (!v) return 'scolarite@localhost';
  const adresse = /^[^<>]*<([^<>\s]+)>$/.exec(v)?.[1] ?? v;
  if (!/^[^\s@<>",;]+@[^\s@<>",;]+$/.test(adresse)) throw new ErreurConfiguration(`SMTP_FROM=${v} : adresse@domaine ou « Nom <adresse@domaine> » attendu.`);
  return v;
}

function lireRelancesPj(env: NodeJS.ProcessEnv): Config['relancesPj'] {
  const periodeJours = entier(env, 'RELANCE_PJ_PERIODE_JOURS', 7, 1, 365);
  // Minutes between two scheduled runs (at most a year); empty or 0 = no schedule.
  const intervalleMinutes = entier(env, 'RELANCE_PJ_INTERVALLE', 0, 0, 525_600) || undefined;
  if (intervalleMinutes && !env.SMTP_URL?.trim()) {
    throw new ErreurConfiguration(
      `RELANCE_PJ_INTERVALLE=${env.RELANCE_PJ_INTERVALLE} demande un serveur de messagerie : définissez SMTP_URL (ou videz RELANCE_PJ_INTERVALLE).`,
    );
  }
  return { periodeJours, intervalleMinutes };
}

/** Parcoursup's web services: the URL (http(s)), the account and the establishment's UAI together, or none; the message never quotes the password. */
function lireParcoursup(env: NodeJS.ProcessEnv): Config['parcoursup'] {
  const brut = env.PARCOURSUP_URL?.trim();
  if (!brut) return undefined;
  let u: URL;
  try {
    u = new URL(brut);
  } catch {
    throw new ErreurConfiguration(`PARCOURSUP_URL=${brut} n'est pas une URL http(s) (ex. https://ws.parcoursup.fr/ApiRest).`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !u.hostname) {
    throw new ErreurConfiguration(`PARCOURSUP_URL=${u.protocol}//${u.host} : une URL http(s) attendue (ex. https://ws.parcoursup.fr/ApiRest).`);
  }
  const login = env.PARCOURSUP_LOGIN?.trim();
  const motDePasse = env.PARCOURSUP_MOT_DE_PASSE ?? '';
  if (!login || !motDePasse)
    throw new ErreurConfiguration('PARCOURSUP_URL demande PARCOURSUP_LOGIN et PARCOURSUP_MOT_DE_PASSE (le compte des services web Parcoursup).');
  const uai = verifierUai(env.PARCOURSUP_UAI ?? '');
  if (!uai.valide) {
    throw new ErreurConfiguration(
      `PARCOURSUP_UAI=${env.PARCOURSUP_UAI ?? ''} : l'UAI de l'établissement (7 chiffres et une lettre de contrôle${uai.raison === 'CLE' ? ' : la lettre ne correspond pas' : ''}) est requis avec PARCOURSUP_URL.`,
    );
  }
  return { url: brut.replace(/\/+$/, ''), login, motDePasse, uai: uai.uai };
}

function lireNotificationsParcoursup(env: NodeJS.ProcessEnv): Config['notificationsParcoursup'] {
  const delaiInitialMs = entier(env, 'PARCOURSUP_NOTIF_DELAI_MS', 30_000, 1, 86_400_000);
  const delaiMaxMs = entier(env, 'PARCOURSUP_NOTIF_DELAI_MAX_MS', 3_600_000, 1, 7 * 86_400_000);
  if (delaiMaxMs < delaiInitialMs) {
    throw new ErreurConfiguration(`PARCOURSUP_NOTIF_DELAI_MAX_MS=${delaiMaxMs} est inférieur à PARCOURSUP_NOTIF_DELAI_MS=${delaiInitialMs}.`);
  }
  return {
    tentatives: entier(env, 'PARCOURSUP_NOTIF_TENTATIVES', 10, 1, 1000),
    delaiInitialMs,
    delaiMaxMs,
    delaiAppelMs: entier(env, 'PARCOURSUP_TIMEOUT_MS', 10_000, 100, 300_000),
    intervalleMs: entier(env, 'PARCOURSUP_NOTIF_INTERVALLE_MS', 10_000, 10, 3_600_000),
  };
}

/** PARCOURSUP_INTERVALLE: minutes (at most a year); empty or 0 = no pull; the pull needs Parcoursup's account (PARCOURSUP_URL…). */
function lireIntervalleParcoursup(env: NodeJS.ProcessEnv): number | undefined {
  const minutes = entier(env, 'PARCOURSUP_INTERVALLE', 0, 0, 525_600) || undefined;
  if (minutes && !env.PARCOURSUP_URL?.trim()) {
    throw new ErreurConfiguration(
      `PARCOURSUP_INTERVALLE=${env.PARCOURSUP_INTERVALLE} demande le compte des services web Parcoursup : définissez PARCOURSUP_URL, PARCOURSUP_LOGIN, PARCOURSUP_MOT_DE_PASSE et PARCOURSUP_UAI (ou videz PARCOURSUP_INTERVALLE).`,
    );
  }
  return minutes;
}
