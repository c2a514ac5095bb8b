/**
 * Who may do what: scopes (`<ressource>:<droit>`), the staff roles as sets of scopes, and the OPI
 * numbers a platform may touch (its prefixes). Pure rules; the registry names the scope of each
 * operation, the doors and the pipeline ask here.
 */

/** Every scope an operation can require (the registry's `portee` values), plus `admin`, which includes them all. */
export const PORTEES = [
  'opi:lire',
  'opi:ecrire',
  'opi:importer',
  'doublons:decider',
  'lp:lire',
  'lp:ecrire',
  'ia:lire',
  'ia:ecrire',
  'ia:valider',
  'pj:lire',
  'pj:deposer',
  'pj:valider',
  'pj:relancer',
  'jobs:lire',
  'jobs:annuler',
  'nomenclatures:lire',
  'nomenclatures:ecrire',
  'notifications:lire',
  'notifications:relancer',
  'journal:lire',
  'statistiques:lire',
  'journal:rejouer',
  'metriques:lire',
  'admin',
] as const;

export type Portee = (typeof PORTEES)[number];

const CONNUES = new Set<string>(PORTEES);

export const ROLES = ['lecture', 'gestionnaire', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Staff roles: `lecture` reads everything but the journal; `gestionnaire` also loads, corrects and
 * validates (the scolarité's daily work) and reads the journal; `admin` may do everything, clients included.
 */
export const PORTEES_DES_ROLES: Record<Role, readonly Portee[]> = {
  lecture: PORTEES.filter((p) => p.endsWith(':lire') && p !== 'journal:lire' && p !== 'metriques:lire'),
  gestionnaire: PORTEES.filter((p) => p !== 'admin' && p !== 'metriques:lire' && p !== 'nomenclatures:ecrire'),
  admin: ['admin'],
};

export function estPortee(p: string): p is Portee {
  return CONNUES.has(p);
}

/** Whether a caller holding `portees` may run an operation requiring `requise` (`admin` includes every scope). */
export function autorise(portees: ReadonlySet<string>, requise: string): boolean {
  return portees.has('admin') || portees.has(requise);
}

/**
 * Scopes written `a+b+c` (`API_KEYS`) or `a,b` / `a b` (CLI): each checked; empty = every scope (`admin`).
 * Returns the unknown ones instead when there are any.
 */
export function lirePortees(texte: string | undefined): { portees: Portee[] } | { inconnues: string[] } {
  const brutes = (texte ?? '')
    .split(/[+,\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!brutes.length) return { portees: ['admin'] };
  const inconnues = brutes.filter((p) => !estPortee(p));
  return inconnues.length ? { inconnues } : { portees: [...new Set(brutes)] as Portee[] };
}

/** OPI-number prefixes: 1 to 10 letters or digits each, upper-cased (OPI numbers are compared upper-case). */
export function lirePrefixes(texte: string | undefined): { prefixes: string[] } | { invalides: string[] } {
  const brutes = (texte ?? '')
    .split(/[+,\s]+/)
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  const invalides = brutes.filter((p) => !/^[A-Z0-9]{1,10}$/.test(p));
  return invalides.length ? { invalides } : { prefixes: [...new Set(brutes)] };
}

/**
 * Whether a client bound to `prefixes` may touch the OPI `codOpiIntEpo`. No prefixes = not bound
 * (staff, a connector of the establishment, an install without clients); `admin` is never bound.
 */
export function opiAutorisee(codOpiIntEpo: string, prefixes: readonly string[] | undefined, portees?: ReadonlySet<string>): boolean {
  if (!prefixes?.length || portees?.has('admin')) return true;
  const code = codOpiIntEpo.toUpperCase();
  return prefixes.some((p) => code.startsWith(p));
}
