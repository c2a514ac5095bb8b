/**
 * What the file mappers of Études en France and Pégase share (pure, no I/O): reading a row's cells,
 * collecting its problems by COLUMN in one pass, and the checks of the fields they fill that the
 * schema would otherwise report only later (lengths, formats, nomenclature codes) — the import job
 * runs the schema and the rules only on a row whose mapping found nothing, so a mapper that left
 * these to the schema would report a row's problems over several attempts.
 *
 * A value is never cut nor silently dropped: too long, it stays in the OPI and a problem names its
 * column.
 */
import { fullFormats } from 'ajv-formats/dist/formats';
import { sha256 } from '../../domain/empreinte';
import { probleme, type CodeErreur, type Probleme } from '../../domain/errors';
import { parseDateIso } from '../../domain/dates';
import { normaliserIne } from '../../domain/identifiers/ine';
import { type Catalogue, parCatalogue } from '../../domain/nomenclatures';
import { verifierIneChamp } from '../../domain/opi/regles';
import { dateFr, formationDe, paysApogee, sexeDe } from '../../domain/plateformes/communs';
import { cleComparaison, normaliserNom } from '../../domain/text';

/** Maximum lengths of the canonical OPI (schemas/opi.schema.json) for the fields the file mappers fill. */
export const LONGUEURS = {
  nom: 30,
  prenom: 20,
  villeNaissance: 30,
  courriel: 200,
  telephone: 15,
  ligneAdresse: 32,
  libAde: 32,
  libCmtDac: 200,
  codPrgOpi: 1,
} as const;

/** The canonical schema's `email` format (ajv-formats, full mode), so that the mapper and the schema agree. */
const COURRIEL = fullFormats.email as RegExp;
const TELEPHONE = /^[0-9/+()\-. ]+$/;
const CODE_POSTAL_FR = /^[0-9]{5}$/;
const COMMUNE_INSEE = /^[0-9][0-9AB][0-9]{3}$/;

/** Length as the schema counts it (code points, not UTF-16 units). */
function longueur(s: string): number {
  let n = s.length;
  // A surrogate pair is one code point: count its high half only.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** A cell's text: trimmed; `''` for an absent, null or empty cell. */
export function texteCellule(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** Drops undefined values and empty objects, recursively (arrays are kept). */
export function compacter<T extends Record<string, unknown>>(o: T): Partial<T> {
  const sortie: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const c = compacter(v as Record<string, unknown>);
      if (Object.keys(c).length > 0) sortie[k] = c;
    } else sortie[k] = v;
  }
  return sortie as Partial<T>;
}

/** `dd/MM/yyyy` (the platforms' form) or ISO `yyyy-MM-dd` (a date cell of a spreadsheet) → ISO; undefined if not a real date. */
export function dateImport(texte: string): string | undefined {
  return dateFr(texte) ?? parseDateIso(texte.trim()) ?? undefined;
}

/** In-service countries by the comparison key of their name and of their nationality; the first in table order wins. */
const paysParNom = parCatalogue((cat) => {
  const index = new Map<string, string>();
  for (const p of cat.lister('pays')) {
    if (!p.enService) continue;
    for (const nom of [p.libelle, p.libNat]) {
      const cle = cleComparaison(String(nom ?? ''));
      if (!index.has(cle)) index.set(cle, String(p.code));
    }
  }
  return index;
});

/**
 * A country as a file gives it → the Apogée code: INSEE `99xxx` or Apogée `xxx`, or its name or
 * nationality in full (`Cameroun`, `camerounaise`; case, accents and hyphens ignored), as in the
 * `pays` nomenclature. `{ inconnu }` when it is none of these or not in service.
 */
export function paysDe(cat: Catalogue, texte: string): { code: string } | { inconnu: string } | undefined {
  const t = texte.trim();
  if (!t) return undefined;
  const code = paysApogee(t)!;
  if (/^\d+$/.test(code)) return cat.estValide('pays', code) ? { code } : { inconnu: t };
  const trouve = paysParNom(cat).get(cleComparaison(t));
  return trouve !== undefined ? { code: trouve } : { inconnu: t };
}

/** The département of an INSEE commune code: `35238` → `035`, `2A004` → `02A`, `97411` → `974`; undefined if not a commune code. */
export function departementDeCommune(commune: string): string | undefined {
  const c = commune.trim().toUpperCase();
  if (!COMMUNE_INSEE.test(c)) return undefined;
  return c.startsWith('97') || c.startsWith('98') ? c.slice(0, 3) : `0${c.slice(0, 2)}`;
}

/**
 * An OPI number from a hash, for a file that has no usable candidate number: the prefix, then 9
 * characters from the SHA-256 of `graine` — a letter, then 8 base-36 characters (26 × 36⁸ ≈ 7·10¹³
 * values). The letter after the prefix keeps these numbers apart from `numeroOpi`'s (prefix + digits).
 */
export function numeroOpiHache(prefixe: string, graine: string): string {
  const h = BigInt(`0x${sha256(graine)}`);
  const lettre = String.fromCharCode(65 + Number(h % 26n));
  const suite = ((h / 26n) % 36n ** 8n).toString(36).toUpperCase().padStart(8, '0');
  return `${prefixe.toUpperCase()}${lettre}${suite}`;
}

/** The vœu of an étape: its centre de gestion and diplôme from the nomenclature, favourable, dossier `C`. */
export function voeuFavorable(cat: Catalogue, f: { codEtp: string; codVrsVet: number }, numCls: number): Record<string, unknown> {
  const e = cat.trouver('etapes', f.codEtp, f.codVrsVet);
  return compacter({
    numCls,
    codCge: e?.codCge === undefined ? undefined : String(e.codCge),
    codEtp: f.codEtp,
    codVrsVet: f.codVrsVet,
    codDip: e?.codDip === undefined ? undefined : String(e.codDip),
    codVrsVdi: e?.codVrsVdi === undefined ? undefined : Number(e.codVrsVdi),
    codDecVeu: 'F',
    codDemDos: 'C',
  });
}

/**
 * One row being mapped: reads cells by column, records which canonical path each column fills
 * (`colonnes`), collects the problems, each on its column.
 */
export class Releve {
  readonly problemes: Probleme[] = [];
  readonly colonnes: Record<string, string> = {};

  constructor(
    private readonly valeurs: Record<string, unknown>,
    private readonly cat: Catalogue,
  ) {}

  /** The cell of `colonne` (trimmed), `''` when the column is absent or not mapped. */
  lire(colonne: string | undefined): string {
    return colonne === undefined ? '' : texteCellule(this.valeurs[colonne]);
  }

  signaler(code: CodeErreur, colonne: string, params: Record<string, unknown> = {}): void {
    this.problemes.push(probleme(code, colonne, params));
  }

  /** `chemin` (canonical path) comes from `colonne`. */
  lier(chemin: string, colonne: string | undefined): void {
    if (colonne !== undefined) this.colonnes[chemin] = colonne;
  }

  /** A text field: mandatory or not, at most `max` characters (names measured as the canonical form writes them). */
  texte(colonne: string | undefined, chemin: string, max: number, options: { obligatoire?: boolean; nom?: boolean } = {}): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne);
    if (!v) {
      if (options.obligatoire && colonne !== undefined) this.signaler('CHAMP_OBLIGATOIRE', colonne);
      return undefined;
    }
    if (longueur(options.nom ? normaliserNom(v) : v) > max) this.signaler('LONGUEUR_MAX_DEPASSEE', colonne!, { max });
    return v;
  }

  /** `M` / `F` from a civility or sex (`sexeDe`). */
  sexe(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne);
    if (!v) return undefined;
    const s = sexeDe(v);
    if (!s) this.signaler('SEXE_INCONNU', colonne!, { code: v });
    return s;
  }

  /** A date (`dd/MM/yyyy`, or ISO) → ISO. */
  date(colonne: string | undefined, chemin: string, options: { obligatoire?: boolean } = {}): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne);
    if (!v) {
      if (options.obligatoire && colonne !== undefined) this.signaler('CHAMP_OBLIGATOIRE', colonne);
      return undefined;
    }
    const iso = dateImport(v);
    if (!iso) this.signaler('DATE_INVALIDE', colonne!, { format: 'jj/mm/aaaa' });
    return iso;
  }

  /** A country (code or name, see `paysDe`) → its Apogée code; `PAYS_INCONNU` on the column otherwise. */
  pays(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const p = paysDe(this.cat, this.lire(colonne));
    if (!p) return undefined;
    if ('inconnu' in p) {
      this.signaler('PAYS_INCONNU', colonne!, { code: p.inconnu });
      return undefined;
    }
    return p.code;
  }

  /** A département code of the nomenclature (`35` or `035`). */
  departement(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne).toUpperCase();
    if (!v) return undefined;
    const d = v.length < 3 ? v.padStart(3, '0') : v;
    if (!this.cat.estValide('departements', d)) this.signaler('DEPARTEMENT_INCONNU', colonne!, { code: v });
    return d;
  }

  courriel(colonne: string | undefined, chemin: string): string | undefined {
    const v = this.texte(colonne, chemin, LONGUEURS.courriel);
    if (v && !COURRIEL.test(v)) this.signaler('EMAIL_INVALIDE', colonne!);
    return v;
  }

  /** A phone number; longer than 15 characters, its spaces, dots and dashes are taken out first (`+237 6 99 12 34 56` → `+237699123456`). */
  telephone(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    let v = this.lire(colonne);
    if (!v) return undefined;
    if (longueur(v) > LONGUEURS.telephone) v = v.replace(/[\s.-]/g, '');
    if (!TELEPHONE.test(v)) this.signaler('TELEPHONE_INVALIDE', colonne!);
    else if (longueur(v) > LONGUEURS.telephone) this.signaler('LONGUEUR_MAX_DEPASSEE', colonne!, { max: LONGUEURS.telephone });
    return v;
  }

  /** A French postal code (5 digits). */
  codePostal(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne);
    if (v && !CODE_POSTAL_FR.test(v)) this.signaler('FORMAT_INVALIDE', colonne!, { attendu: 'un code postal, 5 chiffres' });
    return v || undefined;
  }

  /** An INSEE commune code (`35238`, `2A004`). */
  commune(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne).toUpperCase();
    if (v && !COMMUNE_INSEE.test(v)) this.signaler('FORMAT_INVALIDE', colonne!, { attendu: 'un code commune INSEE, 5 caractères (35238, 2A004)' });
    return v || undefined;
  }

  /** An INE (with its key), checked as the rules will (format and key). */
  ine(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne);
    if (!v) return undefined;
    verifierIneChamp(normaliserIne(v), colonne!, this.problemes);
    return v;
  }

  /** A year on 4 digits. */
  annee(colonne: string | undefined, chemin: string): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne);
    if (v && !/^[0-9]{4}$/.test(v)) this.signaler('FORMAT_INVALIDE', colonne!, { attendu: 'une année sur 4 chiffres' });
    return v || undefined;
  }

  /** A code of a nomenclature, reported with the nomenclature's own error on the column. */
  code(
    colonne: string | undefined,
    chemin: string,
    nomenclature: 'situations-droits' | 'bacs' | 'regimes' | 'statuts',
    erreur: CodeErreur,
  ): string | undefined {
    this.lier(chemin, colonne);
    const v = this.lire(colonne).toUpperCase();
    if (!v) return undefined;
    if (!this.cat.estValide(nomenclature, v)) this.signaler(erreur, colonne!, { code: v });
    return v;
  }

  /**
   * A platform's formation code (cell `colonne`) → the favourable vœu of rank `numCls` at `chemin`, or a
   * problem; both named `nom` (the column by default; `candidature[2].code_voeu` for a joined file).
   */
  voeu(plateforme: string, colonne: string, chemin: string, numCls: number, nom = colonne): Record<string, unknown> | undefined {
    const f = formationDe(this.cat, plateforme, this.lire(colonne), nom);
    if ('code' in f) {
      this.problemes.push(f);
      return undefined;
    }
    this.lier(chemin, nom);
    return voeuFavorable(this.cat, f, numCls);
  }
}
