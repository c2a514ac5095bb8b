/**
 * What an OPI write stores, built from the checked record: the individu row, its vœux rows, its
 * identity for the duplicate search, its hash, and the answer. Shared by the single write and the
 * write of a file's chunk, so that both store exactly the same thing.
 */
import type { DonneesOpi, MAJOpiVoeuDTO3 } from '../generated/opi';
import { probleme, type Probleme } from '../domain/errors';
import type { DoublonTrouve, IdentiteOpi } from '../domain/opi/doublons';
import { verifierIne } from '../domain/identifiers/ine';
import { cleComparaison } from '../domain/text';
import { jsonStable, sha256 } from '../domain/empreinte';
import type { LigneIndividu, LigneVoeu } from './ports';
import type { DoublonOpiLigne } from './enregistrements';
import type { ResultatEcriture, ResultatUpsertOpi } from './opi';

export function resultatUpsert(
  resultat: ResultatEcriture,
  codOpiIntEpo: string,
  version: number,
  avertissementsInes: Probleme[],
  doublons: DoublonTrouve[],
  voeux: MAJOpiVoeuDTO3[],
): ResultatUpsertOpi {
  return {
    resultat,
    codOpiIntEpo,
    version,
    avertissements: [...avertissementsInes, ...doublons.map((t) => probleme(t.motif, 'individu', { autre: t.existant.codOpiIntEpo }))],
    voeux: voeux.map((v) => ({ codCge: v.codCge, codEtp: v.codEtp, codVrsVet: v.codVrsVet, statut: 'ENREGISTRE' as const })),
  };
}

/** The possible-duplicate pair to record: this OPI, the other one, and why. */
export function ligneDoublon(moi: Pick<IdentiteOpi, 'id' | 'codOpiIntEpo'>, t: DoublonTrouve, detecteLe: Date): Omit<DoublonOpiLigne, 'id'> {
  return {
    individuOpiId: moi.id,
    codOpiIntEpo: moi.codOpiIntEpo,
    individuOpiIdExistant: t.existant.id,
    codOpiIntEpoExistant: t.existant.codOpiIntEpo,
    motif: t.motif,
    detecteLe,
  };
}

/** SHA-256 of the canonical record (its JSON without vœux) with its vœux: a re-send with the same hash changes nothing. */
export function empreinteOpi(donneesSansVoeux: string, voeux: MAJOpiVoeuDTO3[]): string {
  return empreinteDeJson(
    donneesSansVoeux,
    voeux.map((v) => jsonStable(v)),
  );
}

/** The same hash from each vœu's canonical JSON, computed once for the hash and the vœux rows. */
export function empreinteDeJson(donneesSansVoeux: string, voeuxJson: readonly string[]): string {
  return sha256(`${donneesSansVoeux}|[${voeuxJson.join(',')}]`);
}

export function identiteDe(opi: DonneesOpi): Omit<IdentiteOpi, 'id' | 'codOpiIntEpo'> {
  const ec = opi.individu.etatCivil;
  let nne: string | null = null;
  let cle: string | null = null;
  if (ec.codNneIndOpi) {
    const v = verifierIne(ec.codNneIndOpi);
    if (v.valide) {
      nne = v.nne;
      cle = v.cle;
    }
  }
  return {
    codEtuOpi: opi.individu.codEtuOpi ?? null,
    codNneIndOpi: nne,
    codCleNneIndOpi: cle,
    cleNomPat: cleComparaison(ec.libNomPatIndOpi).slice(0, 30),
    clePr1: cleComparaison(ec.libPr1IndOpi).slice(0, 20),
    dateNaiIndOpi: opi.individu.donneesNaissance.dateNaiIndOpi,
  };
}

/** The individu row (without its version and creation date, which depend on what is stored). */
export function ligneIndividu(
  opi: DonneesOpi,
  identite: Omit<IdentiteOpi, 'id' | 'codOpiIntEpo'>,
  e: { donnees: string; empreinte: string; source: string; modifieLe: Date; codAnu: string },
): Omit<LigneIndividu, 'version' | 'creeLe'> {
  const { etatCivil, donneesNaissance, donneesPersonnelles } = opi.individu;
  return {
    codEtuOpi: identite.codEtuOpi,
    codNneIndOpi: identite.codNneIndOpi,
    codCleNneIndOpi: identite.codCleNneIndOpi,
    cleNomPat: identite.cleNomPat,
    clePr1: identite.clePr1,
    dateNaiIndOpi: identite.dateNaiIndOpi,
    codOpiIntEpo: opi.individu.codOpiIntEpo,
    codSexEtuOpi: etatCivil.codSexEtuOpi ?? null,
    codPayNat: donneesNaissance.codPayNat ?? null,
    codRgi: donneesPersonnelles?.codRgi ?? null,
    codStu: donneesPersonnelles?.codStu ?? null,
    libNomPatIndOpi: etatCivil.libNomPatIndOpi,
    libNomUsuIndOpi: etatCivil.libNomUsuIndOpi ?? null,
    libPr1IndOpi: etatCivil.libPr1IndOpi,
    donnees: e.donnees,
    empreinte: e.empreinte,
    source: e.source,
    modifieLe: e.modifieLe,
    codAnu: e.codAnu,
  };
}

export function ligneVoeu(v: MAJOpiVoeuDTO3, rang: number, json = jsonStable(v)): LigneVoeu {
  return {
    rang,
    numCls: v.numCls,
    codCge: v.codCge,
    codEtp: v.codEtp,
    codVrsVet: v.codVrsVet,
    codDip: v.codDip ?? null,
    codVrsVdi: v.codVrsVdi ?? null,
    codCmp: v.codCmp ?? null,
    codDecVeu: v.codDecVeu,
    codDemDos: v.codDemDos,
    codRge: v.codRge ?? null,
    codCatOuiSi: v.codCatOuiSi ?? null,
    mtfCat: v.mtfCat ?? null,
    codCatExoExt: v.codCatExoExt ?? null,
    comExoExt: v.comExoExt ?? null,
    donnees: json,
  };
}
