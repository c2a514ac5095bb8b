/**
 * Schema validation of canonical records, run at the start of each use case (never in a door,
 * so no door can skip it). Collects every issue with its field path, not the first only.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { probleme, ErreurMetier, type CodeErreur, type Probleme } from '../domain/errors';
import { pointeurVersChemin, joindre } from '../domain/chemins';
import { caractereInterdit } from '../domain/text';

const DOSSIER_SCHEMAS = path.resolve(__dirname, '..', '..', '..', 'schemas');

/** The `$id` prefix of our schemas: `urn:candidature-gateway:schema:<nom>` is `schemas/<nom>.schema.json`. */
export const PREFIXE_ID_SCHEMA = 'urn:candidature-gateway:schema:';
/** Schemas of shared `$defs` only, referenced by the others: registered before any compilation. */
export const SCHEMAS_PARTAGES = ['commun'] as const;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
addFormats(ajv, ['date', 'email']);
ajv.addKeyword({ keyword: 'x-code', schemaType: 'string' });
/** Annotation of the LP fields: place on the SOAP V2 wire and in bulk files (see the $comment of laissez-passer.schema.json). */
ajv.addKeyword({
  keyword: 'x-v2',
  metaSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['rang', 'origine'],
    properties: { rang: { type: 'integer', minimum: 1 }, nom: { type: 'string' }, origine: { enum: ['apogee-v1', 'apogee-v2', 'passerelle'] } },
  },
});

const compiles = new Map<string, ValidateFunction>();

export function schema(nom: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(DOSSIER_SCHEMAS, `${nom}.schema.json`), 'utf8'));
}

let partagesCharges = false;

function validateur(nom: string): ValidateFunction {
  if (!partagesCharges) {
    for (const p of SCHEMAS_PARTAGES) ajv.addSchema(schema(p));
    partagesCharges = true;
  }
  let v = compiles.get(nom);
  if (!v) {
    v = ajv.compile(schema(nom));
    compiles.set(nom, v);
  }
  return v;
}

/** Compiles every schema now (about 100 ms for the OPI's) rather than on the first request that needs it. */
export function compilerSchemas(): void {
  for (const f of readdirSync(DOSSIER_SCHEMAS)) {
    const nom = f.replace(/\.schema\.json$/, '');
    if (nom !== f && !(SCHEMAS_PARTAGES as readonly string[]).includes(nom)) validateur(nom);
  }
}

/**
 * Validates `donnees` against `schemas/<nom>.schema.json`; throws ErreurMetier with every problem.
 * `prefixe` is prepended to paths (a batch row reports `lignes[12].codEtp`, say).
 */
export function validerSchema<T>(nom: string, donnees: unknown, prefixe = ''): T {
  const problemes = problemesSchema(nom, donnees, prefixe);
  if (problemes.length > 0) throw new ErreurMetier(problemes, 422);
  return donnees as T;
}

export function problemesSchema(nom: string, donnees: unknown, prefixe = ''): Probleme[] {
  const v = validateur(nom);
  const textes = caracteresInterdits(donnees, prefixe);
  if (v(donnees)) return textes;
  const vus = new Set<string>(textes.map((p) => `${p.code}|${p.path}`));
  const out: Probleme[] = [...textes];
  for (const err of v.errors ?? []) {
    const p = traduire(err, prefixe);
    const cle = `${p.code}|${p.path}`;
    if (!vus.has(cle)) {
      vus.add(cle);
      out.push(p);
    }
  }
  return out;
}

/** Every text value holding a character no record may store (see caractereInterdit), with its path. */
export function caracteresInterdits(valeur: unknown, chemin: string, sortie: Probleme[] = [], profondeur = 0): Probleme[] {
  if (typeof valeur === 'string') {
    const c = caractereInterdit(valeur);
    if (c) sortie.push(probleme('CARACTERE_INTERDIT', chemin, { caractere: c }));
  } else if (valeur && typeof valeur === 'object' && profondeur < 32) {
    // This runs on every field of every row of a file: no entries(), and a path is only built for a value to look into.
    if (Array.isArray(valeur)) {
      for (let i = 0; i < valeur.length; i++) if (aRegarder(valeur[i])) caracteresInterdits(valeur[i], `${chemin}[${i}]`, sortie, profondeur + 1);
    } else {
      const o = valeur as Record<string, unknown>;
      for (const k of Object.keys(o)) if (aRegarder(o[k])) caracteresInterdits(o[k], joindre(chemin, k), sortie, profondeur + 1);
    }
  }
  return sortie;
}

/** A text holding a forbidden character, or an object or list to walk. */
const aRegarder = (x: unknown): boolean => (typeof x === 'string' ? caractereInterdit(x) !== undefined : x !== null && typeof x === 'object');

const TYPES: Record<string, string> = {
  string: 'texte',
  integer: 'entier',
  number: 'nombre',
  object: 'objet',
  array: 'liste',
  boolean: 'booléen',
};

function traduire(err: ErrorObject, prefixe: string): Probleme {
  const base = joindre(prefixe, pointeurVersChemin(err.instancePath));
  const xcode = (err.parentSchema as Record<string, unknown> | undefined)?.['x-code'] as CodeErreur | undefined;
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return probleme('CHAMP_OBLIGATOIRE', joindre(base, String(p.missingProperty)));
    case 'additionalProperties':
      return probleme('CHAMP_INCONNU', joindre(base, String(p.additionalProperty)), { champ: p.additionalProperty });
    case 'type':
      return probleme('TYPE_INVALIDE', base, {
        attendu: String(p.type)
          .split(',')
          .map((t) => TYPES[t] ?? t)
          .join(' ou '),
      });
    case 'maxLength':
      return probleme('LONGUEUR_MAX_DEPASSEE', base, { max: p.limit });
    case 'minLength':
      return probleme(xcode ?? 'LONGUEUR_MIN_NON_ATTEINTE', base, { min: p.limit });
    case 'pattern':
      return probleme(xcode ?? 'FORMAT_INVALIDE', base, { attendu: attenduDe(err) });
    case 'format':
      return probleme(xcode ?? (p.format === 'date' ? 'DATE_INVALIDE' : 'FORMAT_INVALIDE'), base, { format: FORMAT_DATE, attendu: attenduDe(err) });
    case 'enum':
      return probleme('VALEUR_NON_AUTORISEE', base, { valeurs: (p.allowedValues as unknown[]).join(', ') });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return probleme('VALEUR_HORS_BORNES', base, { borne: `${String(p.comparison)} ${String(p.limit)}` });
    case 'maxItems':
      return probleme('LISTE_TROP_LONGUE', base, { max: p.limit });
    default:
      return probleme(xcode ?? 'FORMAT_INVALIDE', base, { attendu: attenduDe(err) });
  }
}

/** How a date is written, whatever the door (said to staff as much as to integrators). */
export const FORMAT_DATE = 'une date réelle : AAAA-MM-JJ, jjmmaaaa dans les services web Apogée, ou une cellule date dans un classeur';

/** What the field expects, in words: its schema's description (« Numéro étudiant (8 chiffres au plus) »). */
function attenduDe(err: ErrorObject): string {
  const d = (err.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof d === 'string' && d ? d.charAt(0).toLowerCase() + d.slice(1) : 'la forme décrite dans la documentation du champ';
}
