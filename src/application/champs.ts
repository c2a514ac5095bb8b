/**
 * Field lists derived from `schemas/*.schema.json` (the single source of truth), instead of hand-kept
 * copies that agree by care only:
 * - `CHAMPS_LP`: the LaissezPasser fields, in schema order;
 * - `COLONNES_FICHIER_LP`: the columns accepted in LP bulk files, in header order: the fields in their
 *   `x-v2.rang` order under their V2 name (`numOPI`), then the canonical name of each field whose V2 name
 *   differs (`codOpiIntEpo`, accepted as a synonym);
 * - `CHAMPS_LP_V1`: the V2 names of the fields of Apogée's V1 operation (sent there with a leading `_`);
 * - `CHAMPS_IA`: the DemandeInscription fields, in schema order;
 * - the integer / decimal / date fields of the OPI and of the LP, found by walking the schema (through
 *   `$ref`s, local or to `commun`): `type: integer`, `type: number`, `format: date`.
 * The derivation functions are pure (a schema loader is passed in); `scripts/gen-types.ts` uses them to
 * write `src/generated/champs.ts`, the copy pure domain code imports.
 */
import type { DemandeInscription } from '../generated/inscription';
import type { LaissezPasser } from '../generated/laissez-passer';
import { PREFIXE_ID_SCHEMA, schema } from './validation';

type Json = Record<string, unknown>;
/** Gives the root of `schemas/<nom>.schema.json`. */
export type ChargeurSchema = (nom: string) => Json;

/** What a field is for the conversions of the doors (digit strings → numbers, dates → ISO). */
export type Genre = 'entier' | 'decimal' | 'date' | 'autre';

export interface PlaceV2 {
  /** Canonical name (the schema property). */
  champ: string;
  /** Name on the V2 wire and in file headers (`numOPI` for codOpiIntEpo). */
  nom: string;
  rang: number;
  origine: 'apogee-v1' | 'apogee-v2' | 'passerelle';
}

/**
 * A property schema with its `$ref` followed (a local `#/$defs/X`, or `urn:candidature-gateway:schema:<nom>#/$defs/X`),
 * siblings of the `$ref` kept over the target's keywords; `racine` is the document the result lives in, `cible`
 * the absolute address of the definition reached (none without `$ref`).
 */
export function resoudre(s: Json, racine: Json, charger: ChargeurSchema): { schema: Json; racine: Json; cible?: string } {
  let courant = s;
  let doc = racine;
  let absolue: string | undefined;
  for (let sauts = 0; typeof courant.$ref === 'string'; sauts++) {
    if (sauts > 20) throw new Error(`$ref en boucle : ${String(courant.$ref)}`);
    const ref = courant.$ref as string;
    const [uri, fragment = ''] = ref.split('#');
    if (uri) {
      if (!uri.startsWith(PREFIXE_ID_SCHEMA)) throw new Error(`$ref hors de nos schémas : ${ref}`);
      doc = charger(uri.slice(PREFIXE_ID_SCHEMA.length));
    }
    absolue = `${String(doc.$id)}#${fragment}`;
    let trouve: unknown = doc;
    for (const segment of fragment.split('/').filter(Boolean)) {
      trouve = (trouve as Json | undefined)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (trouve === null || typeof trouve !== 'object') throw new Error(`$ref introuvable : ${ref}`);
    const { $ref: _ignore, ...freres } = courant;
    courant = { ...(trouve as Json), ...freres };
  }
  return { schema: courant, racine: doc, cible: absolue };
}

/** The root properties of a schema, in schema order. */
export function proprietes(racine: Json): string[] {
  return Object.keys((racine.properties ?? {}) as Json);
}

function genreDe(s: Json): Genre {
  if (s.type === 'integer') return 'entier';
  if (s.type === 'number') return 'decimal';
  if (s.type === 'string' && s.format === 'date') return 'date';
  return 'autre';
}

/**
 * Every field name reachable from the root (through objects, arrays and `$ref`s) with its genre, in walk order.
 * The doors convert by field NAME, so a name with two genres in one record (an integer here, a string there)
 * would be converted wrongly somewhere: that is refused here, loudly.
 */
export function genresDesChamps(racine: Json, charger: ChargeurSchema): Map<string, Genre> {
  const genres = new Map<string, Genre>();
  const vus = new Set<Json | string>(); // a definition is walked once (and a recursive one does not loop)
  const parcourir = (noeud: Json, doc: Json, ou: string): void => {
    const r = resoudre(noeud, doc, charger);
    const cle = r.cible ?? noeud;
    if (vus.has(cle)) return;
    vus.add(cle);
    if (r.schema.items && typeof r.schema.items === 'object') parcourir(r.schema.items as Json, r.racine, `${ou}[]`);
    for (const [nom, p] of Object.entries((r.schema.properties ?? {}) as Record<string, Json>)) {
      const champ = resoudre(p, r.racine, charger);
      const genre = genreDe(champ.schema);
      const avant = genres.get(nom);
      if (avant !== undefined && avant !== genre) {
        throw new Error(`Le champ ${nom} est ${avant} ailleurs et ${genre} en ${ou}.${nom} : les conversions par nom de champ seraient fausses.`);
      }
      genres.set(nom, genre);
      parcourir(p, r.racine, `${ou}.${nom}`);
    }
  };
  parcourir(racine, racine, String(racine.title ?? '#'));
  return genres;
}

/** The names of the fields of one genre, in walk order. */
export function champsDuGenre(racine: Json, charger: ChargeurSchema, genre: Genre): string[] {
  return [...genresDesChamps(racine, charger)].filter(([, g]) => g === genre).map(([nom]) => nom);
}

/** The `x-v2` places of the LP fields, by rank; ranks must be 1…n, each once, and every field must have one. */
export function placesV2(racine: Json): PlaceV2[] {
  const places = Object.entries((racine.properties ?? {}) as Record<string, Json>)
    .map(([champ, p]) => {
      const x = p['x-v2'] as { rang: number; nom?: string; origine: PlaceV2['origine'] } | undefined;
      if (!x) throw new Error(`${String(racine.title)}.${champ} : annotation x-v2 manquante`);
      return { champ, nom: x.nom ?? champ, rang: x.rang, origine: x.origine };
    })
    .sort((a, b) => a.rang - b.rang);
  places.forEach((p, i) => {
    if (p.rang !== i + 1) throw new Error(`${String(racine.title)} : rangs x-v2 attendus 1 à ${places.length}, ${p.champ} a le rang ${p.rang}`);
  });
  return places;
}

/** Header columns of LP files: every field by rank under its V2 name, then the canonical names of renamed fields. */
export function colonnesFichier(places: readonly PlaceV2[]): string[] {
  return [...places.map((p) => p.nom), ...places.filter((p) => p.nom !== p.champ).map((p) => p.champ)];
}

/** Everything derived, from one loader (the application reads `schemas/`; gen-types passes its own). */
export function deriverChamps(chargerSchema: ChargeurSchema) {
  const lus = new Map<string, Json>();
  const charger: ChargeurSchema = (nom) => {
    let s = lus.get(nom);
    if (!s) lus.set(nom, (s = chargerSchema(nom)));
    return s;
  };
  const lp = charger('laissez-passer');
  const opi = charger('opi');
  const ia = charger('inscription');
  const places = placesV2(lp);
  return {
    CHAMPS_LP: proprietes(lp),
    COLONNES_FICHIER_LP: colonnesFichier(places),
    CHAMPS_LP_V1: places.filter((p) => p.origine === 'apogee-v1').map((p) => p.nom),
    CHAMPS_IA: proprietes(ia),
    ENTIERS_OPI: champsDuGenre(opi, charger, 'entier'),
    DECIMAUX_OPI: champsDuGenre(opi, charger, 'decimal'),
    DATES_OPI: champsDuGenre(opi, charger, 'date'),
    ENTIERS_LP: champsDuGenre(lp, charger, 'entier'),
    DATES_LP: champsDuGenre(lp, charger, 'date'),
  };
}

const derives = deriverChamps(schema);

/** The LaissezPasser properties, in schema order. */
export const CHAMPS_LP: readonly (keyof LaissezPasser)[] = Object.freeze(derives.CHAMPS_LP as (keyof LaissezPasser)[]);
/** Columns accepted in LP bulk files, in template header order (V2 names first, then `codOpiIntEpo`, synonym of `numOPI`). */
export const COLONNES_FICHIER_LP: readonly string[] = Object.freeze(derives.COLONNES_FICHIER_LP);
/** V2 names of the fields of `mettreAJourLaissezPasserWS` (V1), in wire order; on the wire each has a leading `_`. */
export const CHAMPS_LP_V1: readonly string[] = Object.freeze(derives.CHAMPS_LP_V1);
/** The DemandeInscription properties, in schema order (= the `creerInscription` sequence). */
export const CHAMPS_IA: readonly (keyof DemandeInscription)[] = Object.freeze(derives.CHAMPS_IA as (keyof DemandeInscription)[]);
/** OPI fields of type integer, number, and format date (at any depth). */
export const ENTIERS_OPI: ReadonlySet<string> = new Set(derives.ENTIERS_OPI);
export const DECIMAUX_OPI: ReadonlySet<string> = new Set(derives.DECIMAUX_OPI);
export const DATES_OPI: ReadonlySet<string> = new Set(derives.DATES_OPI);
/** LP fields of type integer, and format date. */
export const ENTIERS_LP: ReadonlySet<string> = new Set(derives.ENTIERS_LP);
export const DATES_LP: ReadonlySet<string> = new Set(derives.DATES_LP);
