/**
 * Business rules of an OPI, applied after the schema: identifiers (INE, UAI), dates,
 * nomenclature codes, vœux pointing at real étapes. Pure: the nomenclatures come in as a
 * `Catalogue` snapshot and "today" as a parameter.
 */
import type { DonneesOpi, MAJOpiVoeuDTO3 } from '../../generated/opi';
import { probleme, type Probleme } from '../errors';
import { verifierIne } from '../identifiers/ine';
import { verifierUai } from '../identifiers/uai';
import { ageEnAnnees } from '../dates';
import type { Catalogue, NomNomenclature } from '../nomenclatures';
import { codeFrance, descripteur } from '../nomenclatures';
import { joindre } from '../chemins';

/** Checks a code against a nomenclature; reports the nomenclature's own error code at `path`. */
export function verifierCode(cat: Catalogue, nom: NomNomenclature, code: string | undefined, path: string, out: Probleme[]): void {
  if (code === undefined) return;
  if (!cat.estValide(nom, code)) out.push(probleme(descripteur(nom)!.erreur, path, { code }));
}

export function verifierUaiChamp(uai: string | undefined, path: string, out: Probleme[]): void {
  if (uai === undefined) return;
  const v = verifierUai(uai);
  if (!v.valide) out.push(probleme('UAI_INVALIDE', path, { raison: v.raison === 'FORMAT' ? 'format' : 'clé de contrôle fausse' }));
}

export function verifierIneChamp(ine: string | undefined, path: string, out: Probleme[]): void {
  if (ine === undefined) return;
  const v = verifierIne(ine);
  if (!v.valide) out.push(probleme(v.raison === 'CLE' ? 'INE_CLE_INVALIDE' : 'INE_FORMAT_INVALIDE', path));
}

/** `D` ⇒ a French département; `P` ⇒ a foreign country (not France). */
function verifierLieu(cat: Catalogue, type: string | undefined, code: string | undefined, path: string, out: Probleme[]): void {
  if (code === undefined) return;
  if (type === 'D') verifierCode(cat, 'departements', code, path, out);
  else if (type === 'P') {
    if (code === codeFrance(cat)) out.push(probleme('LIEU_NAISSANCE_INCOHERENT', path, { detail: 'type P (étranger) avec le code de la France' }));
    else verifierCode(cat, 'pays', code, path, out);
  }
}

export interface ContexteRegles {
  catalogue: Catalogue;
  /** ISO date of "today" (Europe/Paris). */
  aujourdHui: string;
}

export function verifierOpi(opi: DonneesOpi, ctx: ContexteRegles): Probleme[] {
  const out: Probleme[] = [];
  const cat = ctx.catalogue;
  const ind = opi.individu;
  const ec = ind.etatCivil;
  verifierIneChamp(ec.codNneIndOpi, 'individu.etatCivil.codNneIndOpi', out);
  verifierCode(cat, 'sexes', ec.codSexEtuOpi, 'individu.etatCivil.codSexEtuOpi', out);

  const nai = ind.donneesNaissance;
  const age = ageEnAnnees(nai.dateNaiIndOpi, ctx.aujourdHui);
  if (age < 10 || age > 100) out.push(probleme('DATE_NAISSANCE_INVRAISEMBLABLE', 'individu.donneesNaissance.dateNaiIndOpi'));
  verifierCode(cat, 'pays', nai.codPayNat, 'individu.donneesNaissance.codPayNat', out);
  if (nai.codDepPayNai !== undefined && nai.codTypDepPayNai === undefined) {
    out.push(probleme('CHAMP_OBLIGATOIRE', 'individu.donneesNaissance.codTypDepPayNai'));
  }
  verifierLieu(cat, nai.codTypDepPayNai, nai.codDepPayNai, 'individu.donneesNaissance.codDepPayNai', out);

  const perso = ind.donneesPersonnelles;
  verifierCode(cat, 'regimes', perso?.codRgi, 'individu.donneesPersonnelles.codRgi', out);
  verifierCode(cat, 'statuts', perso?.codStu, 'individu.donneesPersonnelles.codStu', out);

  verifierUaiChamp(ind.premiereInscription?.codEtb, 'individu.premiereInscription.codEtb', out);
  verifierUaiChamp(ind.dernierEtbFrequente?.codEtbAntIaa, 'individu.dernierEtbFrequente.codEtbAntIaa', out);
  verifierCode(cat, 'types-etablissement', ind.dernierEtbFrequente?.codTpeAntIaa, 'individu.dernierEtbFrequente.codTpeAntIaa', out);
  verifierUaiChamp(ind.situationAnnPre?.codEtbAnnPreOpi, 'individu.situationAnnPre.codEtbAnnPreOpi', out);
  verifierUaiChamp(ind.dernierDiplObt?.codEtbDerDip, 'individu.dernierDiplObt.codEtbDerDip', out);
  verifierUaiChamp(ind.inscriptionParallele?.codEtbAnnCrt, 'individu.inscriptionParallele.codEtbAnnCrt', out);

  if (opi.bac) {
    const b = opi.bac;
    verifierCode(cat, 'bacs', b.codBac, 'bac.codBac', out);
    verifierCode(cat, 'mentions-bac', b.codMention, 'bac.codMention', out);
    verifierCode(cat, 'departements', b.codDep, 'bac.codDep', out);
    verifierCode(cat, 'types-etablissement', b.codTpe, 'bac.codTpe', out);
    verifierUaiChamp(b.codEtb, 'bac.codEtb', out);
    if (b.daaObtBacOba !== undefined && Number(b.daaObtBacOba) > Number(ctx.aujourdHui.slice(0, 4))) {
      out.push(probleme('ANNEE_BAC_FUTURE', 'bac.daaObtBacOba', { annee: b.daaObtBacOba }));
    }
  }
  for (const [cle, adr] of [
    ['adresseFixe', opi.adresseFixe],
    ['adresseAnnuelle', opi.adresseAnnuelle],
  ] as const) {
    verifierCode(cat, 'pays', adr?.codPay, `${cle}.codPay`, out);
  }

  for (const [i, v] of (opi.voeux ?? []).entries()) verifierVoeu(v, `voeux[${i}]`, cat, out);
  signalerVoeuxEnDouble(opi.voeux ?? [], out);
  return out;
}

/** A vœu must name an existing, in-service étape/version, coherent with its diplôme and CGE. */
export function verifierVoeu(v: MAJOpiVoeuDTO3, path: string, cat: Catalogue, out: Probleme[]): void {
  verifierCode(cat, 'centres-gestion', v.codCge, `${path}.codCge`, out);
  verifierCode(cat, 'composantes', v.codCmp, `${path}.codCmp`, out);
  verifierCode(cat, 'regimes', v.codRge, `${path}.codRge`, out);
  verifierCode(cat, 'categories-oui-si', v.codCatOuiSi, `${path}.codCatOuiSi`, out);
  verifierCode(cat, 'situations-droits', v.codCatExoExt, `${path}.codCatExoExt`, out);
  verifierFormation(cat, { codEtp: v.codEtp, codVrsVet: v.codVrsVet, codDip: v.codDip, codVrsVdi: v.codVrsVdi, codCge: v.codCge }, path, out);
}

export interface FormationDemandee {
  codEtp: string;
  codVrsVet: number | string;
  codDip?: string;
  codVrsVdi?: number | string;
  codCge?: string;
}

/** Étape/version exists and is in service; diplôme/version pair coherent with it; CGE coherent. Shared by OPI vœux and LP. */
export function verifierFormation(cat: Catalogue, f: FormationDemandee, path: string, out: Probleme[]): void {
  const etape = cat.trouver('etapes', f.codEtp, f.codVrsVet);
  if (!etape?.enService) {
    out.push(probleme('ETAPE_INCONNUE', joindre(path, 'codEtp'), { codEtp: f.codEtp, codVrsVet: f.codVrsVet }));
  }
  if ((f.codDip === undefined) !== (f.codVrsVdi === undefined)) {
    out.push(probleme('DIPLOME_VERSION_INCOMPLETE', joindre(path, f.codDip === undefined ? 'codDip' : 'codVrsVdi')));
  } else if (f.codDip !== undefined && f.codVrsVdi !== undefined) {
    if (!cat.estValide('diplomes', f.codDip, f.codVrsVdi)) {
      out.push(probleme('DIPLOME_INCONNU', joindre(path, 'codDip'), { codDip: f.codDip, codVrsVdi: f.codVrsVdi }));
    } else if (etape?.enService && (String(etape.codDip) !== f.codDip || String(etape.codVrsVdi) !== String(f.codVrsVdi))) {
      out.push(
        probleme('ETAPE_DIPLOME_INCOHERENTS', joindre(path, 'codDip'), {
          codEtp: f.codEtp,
          codVrsVet: f.codVrsVet,
          codDip: f.codDip,
          codVrsVdi: f.codVrsVdi,
          attendu: `${String(etape.codDip)} v${String(etape.codVrsVdi)}`,
        }),
      );
    }
  }
  if (etape && f.codCge !== undefined && etape.codCge !== undefined && String(etape.codCge) !== f.codCge && cat.estValide('centres-gestion', f.codCge)) {
    out.push(
      probleme('ETAPE_CGE_INCOHERENTS', joindre(path, 'codCge'), {
        codEtp: f.codEtp,
        codVrsVet: f.codVrsVet,
        codCge: f.codCge,
        attendu: String(etape.codCge),
      }),
    );
  }
}

/** The same (CGE, étape, version) twice in one push is ambiguous: which one wins? Refuse it. */
function signalerVoeuxEnDouble(voeux: MAJOpiVoeuDTO3[], out: Probleme[]): void {
  const vus = new Map<string, number>();
  voeux.forEach((v, i) => {
    const cle = cleVoeu(v);
    const autre = vus.get(cle);
    if (autre !== undefined) out.push(probleme('VOEU_EN_DOUBLE', `voeux[${i}]`, { autre: `voeux[${autre}]` }));
    else vus.set(cle, i);
  });
}

/** Identity of a vœu, as Apogée's VOEUX_INS key: (CGE, étape, version). */
export function cleVoeu(v: { codCge: string; codEtp: string; codVrsVet: number }): string {
  return `${v.codCge}/${v.codEtp}/${v.codVrsVet}`;
}
