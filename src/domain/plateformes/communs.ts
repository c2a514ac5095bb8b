/**
 * Rules every platform mapping shares (pure): country codes, dates, civility, OPI numbers, formation
 * codes and apprenticeship. A platform module (src/adapters/platforms/) turns its payload into the one
 * canonical OPI with these, so that the same value means the same thing whatever the platform.
 */
import { probleme, type Probleme } from '../errors';
import type { Catalogue } from '../nomenclatures';
import { parseDateFr } from '../dates';

/** INSEE country codes are `99xxx` (France `99100`); Apogée's are `xxx` (France `100`). */
export function paysApogee(code: string | undefined | null): string | undefined {
  const t = (code ?? '').trim();
  if (!t) return undefined;
  if (/^99\d{3}$/.test(t)) return t.slice(2);
  return t;
}

/** `dd/MM/yyyy` (optionally followed by a time) → ISO `YYYY-MM-DD`; undefined when not a real date. */
export function dateFr(texte: string | undefined | null): string | undefined {
  const t = (texte ?? '').trim().split(/\s+/)[0];
  return t ? (parseDateFr(t) ?? undefined) : undefined;
}

/** Civility or sex as platforms write it (`M.`, `Mme`, `Monsieur`, `F`, `Féminin`…) → Apogée's `M` / `F`. */
export function sexeDe(texte: string | undefined | null): 'M' | 'F' | undefined {
  const t = (texte ?? '')
    .trim()
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f.]/g, '');
  if (['M', 'H', 'MR', 'MONSIEUR', 'MASCULIN', 'HOMME', '1'].includes(t)) return 'M';
  if (['F', 'MME', 'MLLE', 'MADAME', 'MADEMOISELLE', 'FEMININ', 'FEMME', '2'].includes(t)) return 'F';
  return undefined;
}

/**
 * The OPI number of a platform's candidate: the platform's prefix, the campaign's two-digit year,
 * the candidate number on 7 digits (`P` + `26` + `0012345`), at most 10 characters in all.
 */
export function numeroOpi(prefixe: string, codAnu: string, numeroCandidat: string): string | undefined {
  const n = numeroCandidat.trim();
  if (!/^\d{1,7}$/.test(n)) return undefined;
  return `${prefixe}${codAnu.slice(-2)}${n.padStart(7, '0')}`.toUpperCase();
}

export interface Formation {
  codEtp: string;
  codVrsVet: number;
}

/**
 * A platform's formation code → étape and version: the row `{plateforme, codeExterne}` of the
 * nomenclature `correspondances-formations`; failing that, a code that is itself an étape in service
 * with exactly one version in service is taken as that étape. Otherwise a problem on `colonne`.
 */
export function formationDe(cat: Catalogue, plateforme: string, codeExterne: string | undefined | null, colonne: string): Formation | Probleme {
  const code = (codeExterne ?? '').trim();
  if (!code) return probleme('CHAMP_OBLIGATOIRE', colonne);
  const corr = cat.trouver('correspondances-formations', plateforme, code);
  if (corr?.enService) {
    const f = { codEtp: String(corr.codEtp).toUpperCase(), codVrsVet: Number(corr.codVrsVet) };
    if (cat.estValide('etapes', f.codEtp, f.codVrsVet)) return f;
    return probleme('ETAPE_INCONNUE', colonne, { codEtp: f.codEtp, codVrsVet: f.codVrsVet });
  }
  const versions = cat.lister('etapes').filter((e) => String(e.codEtp).toUpperCase() === code.toUpperCase() && e.enService);
  if (versions.length === 1) return { codEtp: String(versions[0].codEtp).toUpperCase(), codVrsVet: Number(versions[0].codVrsVet) };
  return probleme('FORMATION_NON_CORRESPONDANTE', colonne, { plateforme, code });
}

/** The régime of an apprentice (`contrat d'apprentissage`) when the platform says so, else undefined (the étape's default). */
export function regimeApprentissage(cat: Catalogue, apprenti: boolean): string | undefined {
  if (!apprenti) return undefined;
  const r = cat.lister('regimes').find((x) => x.enService && /apprentissage/i.test(x.libelle));
  return r?.code;
}

/** `oui`, `1`, `true`, `O` → true; `non`, `0`, `false`, `N`, empty → false. */
export function booleenTexte(texte: string | undefined | null): boolean {
  return ['OUI', 'O', '1', 'TRUE', 'VRAI', 'Y', 'YES'].includes((texte ?? '').trim().toUpperCase());
}
