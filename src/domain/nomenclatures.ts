/**
 * Nomenclatures are reference tables of each installation (régimes, statuts, pays, étapes…).
 * Defaults ship in `fixtures/nomenclatures/`; an establishment loads its own with
 * `npm run nomenclatures -- load <dir>`. Logic never hard-codes a code: it asks a `Catalogue`.
 */
import type { CodeErreur } from './errors';

export interface DescripteurNomenclature {
  /** Name in the API and file name (`<nom>.json`). */
  readonly nom: string;
  /** Fields that make the key of an entry; `code` for most, composite for étapes and diplômes. */
  readonly cle: readonly string[];
  /** The error reported when an incoming code is not in this table (or not in service). */
  readonly erreur: CodeErreur;
}

export const NOMENCLATURES = [
  { nom: 'regimes', cle: ['code'], erreur: 'REGIME_INCONNU' },
  { nom: 'statuts', cle: ['code'], erreur: 'STATUT_INCONNU' },
  { nom: 'situations-droits', cle: ['code'], erreur: 'SITUATION_DROITS_INCONNUE' },
  { nom: 'categories-oui-si', cle: ['code'], erreur: 'CATEGORIE_OUI_SI_INCONNUE' },
  { nom: 'pays', cle: ['code'], erreur: 'PAYS_INCONNU' },
  { nom: 'departements', cle: ['code'], erreur: 'DEPARTEMENT_INCONNU' },
  { nom: 'bacs', cle: ['code'], erreur: 'BAC_INCONNU' },
  { nom: 'mentions-bac', cle: ['code'], erreur: 'MENTION_BAC_INCONNUE' },
  { nom: 'types-etablissement', cle: ['code'], erreur: 'TYPE_ETABLISSEMENT_INCONNU' },
  { nom: 'sexes', cle: ['code'], erreur: 'SEXE_INCONNU' },
  { nom: 'centres-gestion', cle: ['code'], erreur: 'CGE_INCONNU' },
  { nom: 'composantes', cle: ['code'], erreur: 'COMPOSANTE_INCONNUE' },
  { nom: 'diplomes', cle: ['codDip', 'codVrsVdi'], erreur: 'DIPLOME_INCONNU' },
  { nom: 'etapes', cle: ['codEtp', 'codVrsVet'], erreur: 'ETAPE_INCONNUE' },
  { nom: 'profils-exonerants', cle: ['code'], erreur: 'PROFIL_EXONERANT_INCONNU' },
  { nom: 'droits-inscription', cle: ['codAnu', 'niveau'], erreur: 'DROITS_NON_PARAMETRES' },
  { nom: 'cvec', cle: ['codAnu'], erreur: 'DROITS_NON_PARAMETRES' },
  { nom: 'types-pj', cle: ['code'], erreur: 'PJ_TYPE_INCONNU' },
  { nom: 'motifs-refus-pj', cle: ['code'], erreur: 'MOTIF_REFUS_PJ_INCONNU' },
  { nom: 'correspondances-formations', cle: ['plateforme', 'codeExterne'], erreur: 'FORMATION_NON_CORRESPONDANTE' },
] as const satisfies readonly DescripteurNomenclature[];

export type NomNomenclature = (typeof NOMENCLATURES)[number]['nom'];

export function descripteur(nom: string): DescripteurNomenclature | undefined {
  return NOMENCLATURES.find((n) => n.nom === nom);
}

/** One entry of a nomenclature, as in the fixture files. */
export interface EntreeNomenclature {
  code: string;
  libelle: string;
  enService: boolean;
  [attribut: string]: unknown;
}

/** Key of an entry from its key fields (`L1DRT/1` for an étape). */
export function cleEntree(desc: DescripteurNomenclature, entree: Record<string, unknown>): string {
  return desc.cle
    .map((champ) =>
      String(entree[champ] ?? '')
        .trim()
        .toUpperCase(),
    )
    .join('/');
}

/** Read-only access to the loaded nomenclatures (pure: an in-memory snapshot). */
export interface Catalogue {
  /** The entry, in service or not; undefined if unknown. */
  trouver(nom: NomNomenclature, ...cle: (string | number)[]): EntreeNomenclature | undefined;
  /** True when the code exists and is in service. */
  estValide(nom: NomNomenclature, ...cle: (string | number)[]): boolean;
  lister(nom: NomNomenclature): EntreeNomenclature[];
}

/**
 * A code a spreadsheet stripped of its leading zeros (`1` typed or read for `01`) given its zeros back,
 * when exactly one code of the table reads so; any other value is returned as it is.
 */
export function avecZerosDeTete(cat: Catalogue, nom: NomNomenclature, code: string | undefined): string | undefined {
  if (!code || !/^\d+$/.test(code) || cat.trouver(nom, code)) return code;
  const sansZeros = code.replace(/^0+(?=\d)/, '');
  const candidats = cat
    .lister(nom)
    .map((e) => String((e as { code?: unknown }).code ?? ''))
    .filter((c) => /^0\d+$/.test(c) && c.replace(/^0+(?=\d)/, '') === sansZeros);
  return candidats.length === 1 ? candidats[0] : code;
}

/**
 * `f` computed once per catalogue: a catalogue is a snapshot that never changes (a reload makes a new
 * one), so what is derived from a whole table (an index by name, France's code) is derived once.
 */
export function parCatalogue<T>(f: (cat: Catalogue) => T): (cat: Catalogue) => T {
  const deja = new WeakMap<Catalogue, T>();
  return (cat) => {
    if (deja.has(cat)) return deja.get(cat) as T;
    const v = f(cat);
    deja.set(cat, v);
    return v;
  };
}

/** France's code in the loaded country table (`100` in Apogée), found by its attribute, not hard-coded. */
export const codeFrance = parCatalogue((cat): string => cat.lister('pays').find((p) => p.france === true)?.code ?? '100');

/**
 * A part of a lookup key as the tables hold it (trimmed, upper case). A code as usually sent — printable
 * ASCII, no lower case — is already so and is returned as it is: several lookups a row, no new string.
 */
function partieCle(c: string | number): string {
  const s = typeof c === 'string' ? c : String(c);
  for (let i = 0; i < s.length; i++) {
    const x = s.charCodeAt(i);
    if (x <= 0x20 || x > 0x7e || (x >= 0x61 && x <= 0x7a)) return s.trim().toUpperCase();
  }
  return s;
}

export class CatalogueEnMemoire implements Catalogue {
  private readonly tables = new Map<string, Map<string, EntreeNomenclature>>();

  constructor(donnees: Record<string, EntreeNomenclature[]>) {
    for (const [nom, entrees] of Object.entries(donnees)) {
      const desc = descripteur(nom);
      if (!desc) continue;
      this.tables.set(nom, new Map(entrees.map((e) => [cleEntree(desc, e), e])));
    }
  }

  trouver(nom: NomNomenclature, ...cle: (string | number)[]): EntreeNomenclature | undefined {
    const t = this.tables.get(nom);
    if (!t) return undefined;
    if (cle.length === 1) return t.get(partieCle(cle[0]));
    return t.get(cle.length === 2 ? `${partieCle(cle[0])}/${partieCle(cle[1])}` : cle.map(partieCle).join('/'));
  }

  estValide(nom: NomNomenclature, ...cle: (string | number)[]): boolean {
    return this.trouver(nom, ...cle)?.enService === true;
  }

  lister(nom: NomNomenclature): EntreeNomenclature[] {
    return [...(this.tables.get(nom)?.values() ?? [])];
  }
}
