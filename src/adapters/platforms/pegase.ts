/**
 * eCandidat's exports for Pégase → the canonical OPI. Pure: no I/O. Two layouts, both `;`-separated,
 * dates `dd/MM/yyyy`, Pégase country codes (France `100`, INSEE without the `99`; `99xxx` is read too):
 *
 * (a) The PAIR `candidat-YYYYMMDD.csv` (one row per candidate, `COLONNES_CANDIDAT`) +
 *     `candidature-YYYYMMDD.csv` (one row per candidature, `COLONNES_CANDIDATURE`), joined on
 *     `numero_candidat`: `joindrePegase(candidat, candidatures, ctx)` gives one OPI with one vœu per
 *     candidature row (`numCls` 1..n, in the order given).
 *
 *     CONVENTION for the import job (`FORMAT_PEGASE`): the job reads the candidat file as the rows of
 *     the job, joins the candidature file on `numero_candidat`, and calls `FORMAT_PEGASE.mapper` with
 *     the candidat row's values plus one extra key, `__candidatures`: the array of that candidate's
 *     candidature rows (values keyed by `COLONNES_CANDIDATURE`), in the file's order. Problems of a
 *     candidature row are on `candidature[i].<column>` (i = its index in `__candidatures`, 0-based,
 *     the same as `voeux[i]`). A candidate without candidature gets `CHAMP_OBLIGATOIRE` on
 *     `candidature.code_voeu`.
 *
 * (b) The single `inscription-YYYYMMDD.csv` (Pégase V28, `COLONNES_INSCRIPTION`): the candidate and
 *     at most 5 vœux in the same row (`origine_admission<i>;annee_concours<i>;code_voeu<i>;code_periode<i>`,
 *     i = 1..5; a slot is a vœu when its `code_voeu<i>` is filled). `FORMAT_PEGASE_INSCRIPTION`.
 *     This file has no candidate number: the OPI number is `numeroOpiHache('G', …)` of the campaign,
 *     the birth name, the first name (both compared as the duplicate search does: case, accents,
 *     hyphens ignored) and the birth date — the same person in the same campaign always gets the same
 *     number (`G` + a letter + 8 characters), whatever the file it comes in.
 *
 * The OPI number of the pair is eCandidat's own `numero_candidat` (its `numDossierOpi`, the number
 * eCandidat gives Apogée over SOAP): the same candidate, pushed by eCandidat or imported from its
 * Pégase files, is the same OPI. Formations: `formationDe(cat, 'pegase', code_voeu…)`. Names up
 * to 100 characters in Pégase, 30 (20 for first names) in the OPI: a longer one is a problem on its
 * column, never cut; address lines 38 in Pégase, 32 in the OPI: the same. See docs/plateformes/pegase.md.
 */
import type { ValeurLue } from '../../application/ports';
import { cleComparaison } from '../../domain/text';
import { compacter, dateImport, departementDeCommune, LONGUEURS, numeroOpiHache, Releve, texteCellule } from './releve';
import { codeFrance } from '../../domain/nomenclatures';
import type { CandidatMappe, ContexteMappage, FormatImport } from './types';

export const COLONNES_CANDIDAT = [
  'numero_candidat',
  'sexe',
  'nom_famille',
  'nom_usuel',
  'prenom',
  'prenom2',
  'prenom3',
  'date_naissance',
  'code_pays_naissance',
  'code_commune_naissance',
  'libelle_commune_naissance',
  'code_nationalite',
  'ine',
  'adresse_code_pays',
  'adresse_ligne1_etage',
  'adresse_ligne2_batiment',
  'adresse_ligne3_voie',
  'adresse_ligne4_complement',
  'adresse_code_postal',
  'adresse_code_commune',
  'adresse_cp_ville_etranger',
  'numero_telephone1',
  'numero_telephone2',
  'courriel',
] as const;

export const COLONNES_CANDIDATURE = [
  'numero_candidat',
  'origine_admission',
  'voie_admission',
  'annee_concours',
  'code_voeu',
  'code_periode',
  'code_formation_psup',
  'code_sise',
  'code_etablissement_affectation',
] as const;

export const COLONNES_OBLIGATOIRES_CANDIDAT = ['numero_candidat', 'nom_famille', 'prenom', 'date_naissance'] as const;
export const COLONNES_OBLIGATOIRES_CANDIDATURE = ['numero_candidat', 'code_voeu'] as const;

/** At most 5 vœux in a Pégase inscription row. */
export const VOEUX_INSCRIPTION = 5;

export const COLONNES_INSCRIPTION = [
  'nom_naissance',
  'nom_usage',
  'prenom',
  'prenom2',
  'prenom3',
  'sexe',
  'date_naissance',
  'code_pays_naissance',
  'code_commune_naissance',
  'libelle_commune_naissance_etranger',
  'code_nationalite',
  'ine',
  'adresse_code_pays',
  'adresse_ligne1_etage',
  'adresse_ligne2_batiment',
  'adresse_ligne3_voie',
  'adresse_ligne4_complement',
  'adresse_ligne5_etranger',
  'adresse_code_postal',
  'adresse_code_commune',
  'numero_telephone1',
  'numero_telephone2',
  'mail',
  ...Array.from({ length: VOEUX_INSCRIPTION }, (_, k) => [
    `origine_admission${k + 1}`,
    `annee_concours${k + 1}`,
    `code_voeu${k + 1}`,
    `code_periode${k + 1}`,
  ]).flat(),
] as const;

export const COLONNES_OBLIGATOIRES_INSCRIPTION = ['nom_naissance', 'prenom', 'date_naissance', 'code_voeu1'] as const;

/** The extra key of a joined candidat row: that candidate's candidature rows. */
export const CLE_CANDIDATURES = '__candidatures';

export type LignePegase = Record<string, ValeurLue | readonly Record<string, ValeurLue>[]>;

/** `FORMAT_PEGASE`: a `FormatImport` whose rows are candidat rows carrying their `__candidatures` (see the top of the module). */
export interface FormatImportPegase extends Omit<FormatImport, 'mapper'> {
  /** Columns of the candidature file, and those it must have. */
  colonnesCandidature: readonly string[];
  colonnesObligatoiresCandidature: readonly string[];
  mapper(valeurs: LignePegase, ctx: ContexteMappage): CandidatMappe;
}

/** The column names of one layout's identity, birth and address (the pair's and the inscription file's differ a little). */
interface Disposition {
  nomNaissance: string;
  nomUsage: string;
  villeNaissance: string;
  /** Town (and postal code) of a foreign address. */
  villeEtranger: string;
  courriel: string;
}

const DISPOSITION_CANDIDAT: Disposition = {
  nomNaissance: 'nom_famille',
  nomUsage: 'nom_usuel',
  villeNaissance: 'libelle_commune_naissance',
  villeEtranger: 'adresse_cp_ville_etranger',
  courriel: 'courriel',
};

const DISPOSITION_INSCRIPTION: Disposition = {
  nomNaissance: 'nom_naissance',
  nomUsage: 'nom_usage',
  villeNaissance: 'libelle_commune_naissance_etranger',
  villeEtranger: 'adresse_ligne5_etranger',
  courriel: 'mail',
};

/** Identity, birth, contact and address: the part both layouts share. */
function individuEtAdresse(r: Releve, ctx: ContexteMappage, d: Disposition, inscription: boolean) {
  const cat = ctx.catalogue;
  const france = codeFrance(cat);
  const etatCivil = {
    codNneIndOpi: r.ine('ine', 'individu.etatCivil.codNneIndOpi'),
    libNomPatIndOpi: r.texte(d.nomNaissance, 'individu.etatCivil.libNomPatIndOpi', LONGUEURS.nom, { obligatoire: true, nom: true }),
    libNomUsuIndOpi: r.texte(d.nomUsage, 'individu.etatCivil.libNomUsuIndOpi', LONGUEURS.nom, { nom: true }),
    libPr1IndOpi: r.texte('prenom', 'individu.etatCivil.libPr1IndOpi', LONGUEURS.prenom, { obligatoire: true, nom: true }),
    libPr2IndOpi: r.texte('prenom2', 'individu.etatCivil.libPr2IndOpi', LONGUEURS.prenom, { nom: true }),
    libPr3IndOpi: r.texte('prenom3', 'individu.etatCivil.libPr3IndOpi', LONGUEURS.prenom, { nom: true }),
    codSexEtuOpi: r.sexe('sexe', 'individu.etatCivil.codSexEtuOpi'),
  };

  // Birth: in France (country 100, or no country but a commune) the département comes from the
  // INSEE commune code; abroad, the country (type P) and the town's name.
  r.lier('individu.donneesNaissance.codTypDepPayNai', 'code_pays_naissance');
  const paysNai = r.pays('code_pays_naissance', 'individu.donneesNaissance.codDepPayNai');
  const communeNai = r.lire('code_commune_naissance');
  const paysNaiVide = !r.lire('code_pays_naissance');
  let lieu: Record<string, string | undefined> = {};
  if (paysNai === france || (paysNaiVide && communeNai)) {
    r.lier('individu.donneesNaissance.codDepPayNai', 'code_commune_naissance');
    const commune = r.commune('code_commune_naissance', 'individu.donneesNaissance.codComNaiEtuOpi');
    if (!commune) r.signaler('CHAMP_OBLIGATOIRE', 'code_commune_naissance');
    else {
      const dep = departementDeCommune(commune);
      if (dep && !cat.estValide('departements', dep)) r.signaler('DEPARTEMENT_INCONNU', 'code_commune_naissance', { code: dep });
      lieu = { codTypDepPayNai: 'D', codDepPayNai: dep, codComNaiEtuOpi: commune };
    }
  } else if (paysNai) lieu = { codTypDepPayNai: 'P', codDepPayNai: paysNai };
  // The pair's `libelle_commune_naissance` is the town in France or abroad; the inscription file names only a foreign one.
  const villeNai = r.texte(d.villeNaissance, 'individu.donneesNaissance.libVilNaiEtuOpi', LONGUEURS.villeNaissance);

  const donneesNaissance = {
    dateNaiIndOpi: r.date('date_naissance', 'individu.donneesNaissance.dateNaiIndOpi', { obligatoire: true }),
    temDateNaiRelOpi: 'N',
    codPayNat: r.pays('code_nationalite', 'individu.donneesNaissance.codPayNat'),
    ...lieu,
    libVilNaiEtuOpi: villeNai,
  };

  // Phones: eCandidat writes the landline in numero_telephone1, the mobile in numero_telephone2.
  const donneesPersonnelles = {
    adrMailOpi: r.courriel(d.courriel, 'individu.donneesPersonnelles.adrMailOpi'),
    numTelPorOpi: r.telephone('numero_telephone2', 'individu.donneesPersonnelles.numTelPorOpi'),
  };

  // Address: lib1 the street (ligne3_voie, as eCandidat writes Apogée's first line), lib2 the floor,
  // lib3 the building; the complement (ligne4) goes to the first of lib2/lib3 left empty, or after lib3.
  const codPay = r.pays('adresse_code_pays', 'adresseFixe.codPay');
  const lib1 = r.texte('adresse_ligne3_voie', 'adresseFixe.lib1', LONGUEURS.ligneAdresse);
  let lib2 = r.texte('adresse_ligne1_etage', 'adresseFixe.lib2', LONGUEURS.ligneAdresse);
  let lib3 = r.texte('adresse_ligne2_batiment', 'adresseFixe.lib3', LONGUEURS.ligneAdresse);
  const complement = r.lire('adresse_ligne4_complement');
  if (complement) {
    if (!lib2) lib2 = r.texte('adresse_ligne4_complement', 'adresseFixe.lib2', LONGUEURS.ligneAdresse);
    else if (!lib3) lib3 = r.texte('adresse_ligne4_complement', 'adresseFixe.lib3', LONGUEURS.ligneAdresse);
    else {
      const reste = LONGUEURS.ligneAdresse - [...lib3].length - 1;
      if ([...complement].length > reste) r.signaler('LONGUEUR_MAX_DEPASSEE', 'adresse_ligne4_complement', { max: Math.max(reste, 0) });
      lib3 = `${lib3} ${complement}`;
    }
  }
  const cp = r.lire('adresse_code_postal');
  const etranger = codPay !== undefined && codPay !== france;
  let adresse: Record<string, unknown>;
  if (etranger) {
    // Abroad: no INSEE commune; the postal code and town in libAde.
    const ville = r.lire(d.villeEtranger);
    r.lier('adresseFixe.libAde', ville ? d.villeEtranger : 'adresse_code_postal');
    const libAde = (cp && !ville.startsWith(cp) ? `${cp} ${ville}` : ville).trim() || undefined;
    if (libAde && [...libAde].length > LONGUEURS.libAde) {
      r.signaler('LONGUEUR_MAX_DEPASSEE', ville ? d.villeEtranger : 'adresse_code_postal', {
        max: ville && cp && !ville.startsWith(cp) ? LONGUEURS.libAde - [...cp].length - 1 : LONGUEURS.libAde,
      });
    }
    adresse = { codPay, lib1, lib2, lib3, libAde };
  } else {
    adresse = {
      codPay,
      lib1,
      lib2,
      lib3,
      codBdi: r.codePostal('adresse_code_postal', 'adresseFixe.codBdi'),
      codCom: r.commune('adresse_code_commune', 'adresseFixe.codCom'),
    };
    if (!inscription) {
      // The pair's adresse_cp_ville_etranger is meant for a foreign address only.
      const ville = r.texte('adresse_cp_ville_etranger', 'adresseFixe.libAde', LONGUEURS.libAde);
      if (ville) adresse.libAde = ville;
    } else {
      const ville = r.texte('adresse_ligne5_etranger', 'adresseFixe.libAde', LONGUEURS.libAde);
      if (ville) adresse.libAde = ville;
    }
  }
  // An address needs its country; a phone alone does not.
  const remplie = Object.entries(adresse).some(([k, v]) => k !== 'codPay' && v !== undefined);
  if (remplie && !r.lire('adresse_code_pays')) r.signaler('CHAMP_OBLIGATOIRE', 'adresse_code_pays');
  adresse.numTel = r.telephone('numero_telephone1', 'adresseFixe.numTel');

  return { etatCivil, donneesNaissance, donneesPersonnelles, adresseFixe: adresse };
}

/** The OPI number of the pair: eCandidat's `numero_candidat`, when it is one (1 to 10 letters or digits). */
function numeroCandidat(r: Releve): { numero: string; codOpiIntEpo?: string } {
  const numero = r.lire('numero_candidat');
  r.lier('individu.codOpiIntEpo', 'numero_candidat');
  if (!numero) {
    r.signaler('CHAMP_OBLIGATOIRE', 'numero_candidat');
    return { numero };
  }
  if (!/^[A-Za-z0-9]{1,10}$/.test(numero)) {
    r.signaler('NUMERO_CANDIDAT_INVALIDE', 'numero_candidat', { numero, attendu: "numéro de dossier eCandidat : 1 à 10 lettres ou chiffres, le numéro d'OPI" });
    return { numero };
  }
  return { numero, codOpiIntEpo: numero.toUpperCase() };
}

/**
 * One candidate of the pair and their candidature rows → one OPI, one favourable vœu per candidature
 * row (`numCls` 1..n). Candidature problems are on `candidature[i].<column>`.
 */
export function joindrePegase(candidat: Record<string, ValeurLue>, candidatures: readonly Record<string, ValeurLue>[], ctx: ContexteMappage): CandidatMappe {
  const r = new Releve(candidat, ctx.catalogue);
  const { numero, codOpiIntEpo } = numeroCandidat(r);
  const { etatCivil, donneesNaissance, donneesPersonnelles, adresseFixe } = individuEtAdresse(r, ctx, DISPOSITION_CANDIDAT, false);

  const voeux: Record<string, unknown>[] = [];
  if (candidatures.length === 0) r.signaler('CHAMP_OBLIGATOIRE', 'candidature.code_voeu');
  candidatures.forEach((c, i) => {
    const prefixe = `candidature[${i}]`;
    const autre = texteCellule(c.numero_candidat);
    if (numero && autre && autre.toUpperCase() !== numero.toUpperCase()) r.signaler('VALEUR_NON_AUTORISEE', `${prefixe}.numero_candidat`, { valeurs: numero });
    // The candidature row's cells, read by their own names, reported as `candidature[i].<column>`.
    const lc = new Releve(c, ctx.catalogue);
    const v = lc.voeu('pegase', 'code_voeu', `voeux[${voeux.length}]`, voeux.length + 1, `${prefixe}.code_voeu`);
    r.problemes.push(...lc.problemes);
    Object.assign(r.colonnes, lc.colonnes);
    if (v) voeux.push(v);
  });

  const opi = compacter({
    individu: { codOpiIntEpo, etatCivil, donneesNaissance, donneesPersonnelles },
    adresseFixe,
    voeux: voeux.length ? voeux : undefined,
  });
  return { plateforme: 'pegase', idPlateforme: numero, opi, problemes: r.problemes, colonnes: r.colonnes };
}

/** The candidature rows of a joined candidat row (`__candidatures`), or none. */
function candidaturesDe(valeurs: LignePegase): Record<string, ValeurLue>[] {
  const c = valeurs[CLE_CANDIDATURES];
  return Array.isArray(c) ? (c as Record<string, ValeurLue>[]) : [];
}

function sansCandidatures(valeurs: LignePegase): Record<string, ValeurLue> {
  const { [CLE_CANDIDATURES]: _, ...reste } = valeurs;
  return reste as Record<string, ValeurLue>;
}

/** The Pégase pair, fed candidat rows carrying their `__candidatures`. Also a valid `FormatImport`. */
export const FORMAT_PEGASE: FormatImportPegase = {
  nom: 'pegase',
  plateforme: 'pegase',
  colonnes: COLONNES_CANDIDAT,
  colonnesObligatoires: COLONNES_OBLIGATOIRES_CANDIDAT,
  colonnesCandidature: COLONNES_CANDIDATURE,
  colonnesObligatoiresCandidature: COLONNES_OBLIGATOIRES_CANDIDATURE,
  mapper: (valeurs, ctx) => joindrePegase(sansCandidatures(valeurs), candidaturesDe(valeurs), ctx),
};

/** The OPI number of an inscription row (see the top of the module); undefined without name, first name and a valid birth date. */
export function numeroOpiInscription(codAnu: string, nomNaissance: string, prenom: string, dateNaissance: string): string | undefined {
  const date = dateImport(dateNaissance);
  if (!nomNaissance.trim() || !prenom.trim() || !date) return undefined;
  return numeroOpiHache('G', `pegase-inscription|${codAnu}|${cleComparaison(nomNaissance)}|${cleComparaison(prenom)}|${date}`);
}

function mapperInscription(valeurs: Record<string, ValeurLue>, ctx: ContexteMappage): CandidatMappe {
  const r = new Releve(valeurs, ctx.catalogue);
  const codOpiIntEpo = numeroOpiInscription(ctx.codAnu, r.lire('nom_naissance'), r.lire('prenom'), r.lire('date_naissance'));
  const { etatCivil, donneesNaissance, donneesPersonnelles, adresseFixe } = individuEtAdresse(r, ctx, DISPOSITION_INSCRIPTION, true);

  // Each filled slot is a vœu, ranked in slot order (an empty slot between two is skipped).
  const voeux: Record<string, unknown>[] = [];
  let remplis = 0;
  for (let i = 1; i <= VOEUX_INSCRIPTION; i++) {
    const colonne = `code_voeu${i}`;
    if (!r.lire(colonne)) {
      if ([`origine_admission${i}`, `annee_concours${i}`, `code_periode${i}`].some((c) => r.lire(c))) r.signaler('CHAMP_OBLIGATOIRE', colonne);
      continue;
    }
    remplis++;
    const v = r.voeu('pegase', colonne, `voeux[${voeux.length}]`, voeux.length + 1);
    if (v) voeux.push(v);
  }
  if (remplis === 0 && !r.problemes.some((p) => p.path.startsWith('code_voeu'))) r.signaler('CHAMP_OBLIGATOIRE', 'code_voeu1');

  const opi = compacter({
    individu: { codOpiIntEpo, etatCivil, donneesNaissance, donneesPersonnelles },
    adresseFixe,
    voeux: voeux.length ? voeux : undefined,
  });
  return { plateforme: 'pegase', idPlateforme: codOpiIntEpo ?? '', opi, problemes: r.problemes, colonnes: r.colonnes };
}

/** Pégase V28 `inscription-YYYYMMDD.csv`: one row, one candidate, up to 5 vœux. */
export const FORMAT_PEGASE_INSCRIPTION: FormatImport = {
  nom: 'pegase-inscription',
  plateforme: 'pegase',
  colonnes: COLONNES_INSCRIPTION,
  colonnesObligatoires: COLONNES_OBLIGATOIRES_INSCRIPTION,
  mapper: mapperInscription,
};
