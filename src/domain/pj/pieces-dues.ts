/**
 * Which supporting documents (pièces justificatives, PJ) an individual owes: a pure rule over the
 * nomenclature `types-pj`. Each type says who must provide it (`exigee`); a type is owed when any of
 * its conditions holds for the individual (one of the formations it may enrol in, its régime or statut
 * there, its nationality, its profils once an IA exists).
 */
import type { Catalogue, EntreeNomenclature } from '../nomenclatures';

/** Who must provide a type of document (any condition suffices). */
export interface ExigencePj {
  /** Everyone. */
  tous?: boolean;
  /** Régimes (codRgi) of a formation the individual may enrol in. */
  regimes?: string[];
  /** Statuts (codStu). */
  statuts?: string[];
  /** A nationality outside the EU, the EEA and Switzerland. */
  horsUE?: boolean;
  /** Formations `codEtp/codVrsVet`. */
  formations?: string[];
  /** Profils of an IA (`profilExonerant` codes; `BOURSIER` for a boursier). */
  profils?: string[];
}

export interface TypePj extends EntreeNomenclature {
  typesMedia?: string[];
  tailleMaxOctets?: number;
  exigee?: ExigencePj;
}

/** What is known of the individual, resolved by the access rules (LP over OPI vœu over OPI). */
export interface ProfilPj {
  codPayNat?: string | null;
  formations: { codEtp: string; codVrsVet: number; codRgi?: string | null; codStu?: string | null }[];
  /** From its IAs: profilExonerant codes, and `BOURSIER`. */
  profils: string[];
}

export interface PieceDue {
  codTpj: string;
  libelle: string;
  /** Why it is owed, in French (shown to staff and in the reminder e-mail). */
  raisons: string[];
}

/** Media types accepted when a type does not list its own: PDF, JPEG, PNG. */
export const TYPES_MEDIA_PAR_DEFAUT = ['application/pdf', 'image/jpeg', 'image/png'];
/** Size limit when a type does not set its own: 10 MiB. */
export const TAILLE_MAX_PAR_DEFAUT = 10 * 1024 * 1024;

export function typesMediaAutorises(t: TypePj): string[] {
  return Array.isArray(t.typesMedia) && t.typesMedia.length ? t.typesMedia.map(String) : TYPES_MEDIA_PAR_DEFAUT;
}

export function tailleMax(t: TypePj): number {
  return typeof t.tailleMaxOctets === 'number' && t.tailleMaxOctets > 0 ? t.tailleMaxOctets : TAILLE_MAX_PAR_DEFAUT;
}

/** A nationality outside the EU, the EEA and Switzerland: the `pays` entry's `droitsNationaux: false`, as for the fees. */
export function estHorsUE(cat: Catalogue, codPayNat: string | null | undefined): boolean {
  return !!codPayNat && cat.trouver('pays', codPayNat)?.droitsNationaux === false;
}

export function piecesDues(profil: ProfilPj, cat: Catalogue): PieceDue[] {
  const dues: PieceDue[] = [];
  const horsUE = estHorsUE(cat, profil.codPayNat);
  for (const t of cat.lister('types-pj') as TypePj[]) {
    if (!t.enService) continue;
    const e = t.exigee ?? {};
    const raisons: string[] = [];
    if (e.tous) raisons.push('demandée à tous');
    for (const f of profil.formations) {
      const formation = `${f.codEtp}/${f.codVrsVet}`;
      if (e.formations?.includes(formation)) raisons.push(`formation ${f.codEtp} v${f.codVrsVet}`);
      if (f.codRgi && e.regimes?.includes(f.codRgi)) raisons.push(`régime ${libelle(cat, 'regimes', f.codRgi)} (${f.codEtp})`);
      if (f.codStu && e.statuts?.includes(f.codStu)) raisons.push(`statut ${libelle(cat, 'statuts', f.codStu)} (${f.codEtp})`);
    }
    if (e.horsUE && horsUE) raisons.push('nationalité hors Union européenne, EEE et Suisse');
    for (const p of profil.profils) if (e.profils?.includes(p)) raisons.push(p === 'BOURSIER' ? 'boursier' : `profil ${libelle(cat, 'profils-exonerants', p)}`);
    if (raisons.length) dues.push({ codTpj: t.code, libelle: t.libelle, raisons: [...new Set(raisons)] });
  }
  return dues;
}

function libelle(cat: Catalogue, nom: 'regimes' | 'statuts' | 'profils-exonerants', code: string): string {
  return cat.trouver(nom, code)?.libelle ?? code;
}
