/**
 * Parcoursup → the canonical OPI (pure, no I/O). One candidate, two shapes:
 * - the JSON of Parcoursup's web services (the push `admissionCandidat`, the pull `getCandidatsAdmis`):
 *   field names compared case-insensitively, the known misspellings accepted (`codepostale`), and the
 *   2019 variant whose candidate fields sit at the top level beside `identifiant` (no `donneesCandidat`);
 * - the CSV export of the gestion site (`parcoursup-csv`): French headers, countries and civility as
 *   labels, and no formation code (the upload names the formation of the whole file).
 * Both are read into the same logical fields, then built by the same code with the shared row helpers
 * (`Releve`): every problem the mapping can see (lengths, formats, codes) is reported at once, on the
 * field or column it came from, and `colonnes` names the source of each canonical path for the schema
 * and the rules. See docs/plateformes/parcoursup.md.
 *
 * OPI number: `numeroOpi('P', codAnu, codeCandidat)` — `P`, the campaign's two digits, the candidate
 * number on 7 digits (`P260012345`), as Parcoursup candidates arrive into Apogée.
 */
import type { ValeurLue } from '../../application/ports';
import { probleme, type Probleme } from '../../domain/errors';
import { type Catalogue, codeFrance, parCatalogue } from '../../domain/nomenclatures';
import { verifierUaiChamp } from '../../domain/opi/regles';
import { formationDe, numeroOpi, type Formation } from '../../domain/plateformes/communs';
import { cleComparaison } from '../../domain/text';
import { compacter, departementDeCommune, LONGUEURS, Releve, voeuFavorable } from './releve';
import type { CandidatMappe, ContexteMappage, FormatImport } from './types';

/** The logical fields of a Parcoursup candidate, whatever the shape they came in. */
type Champ =
  | 'codeCandidat'
  | 'nom'
  | 'prenom'
  | 'sexe'
  | 'dateNaissance'
  | 'ine'
  | 'mail'
  | 'telFixe'
  | 'telMobile'
  | 'adresse1'
  | 'adresse2'
  | 'adresse3'
  | 'codePostal'
  | 'codeCommune'
  | 'commune'
  | 'paysAdresse'
  | 'communeNaissance'
  | 'villeNaissance'
  | 'paysNaissance'
  | 'nationalite'
  | 'etablissementSco'
  | 'anneeBac'
  | 'serieBac'
  | 'mentionBac'
  | 'codeFormationPsup'
  | 'codeSituation';

/** Field → its names in one shape, compared case-insensitively; the first one names the field when it is absent. */
type Noms = Partial<Record<Champ, readonly string[]>>;

/** The web services' JSON. */
export const CHAMPS_JSON_PARCOURSUP: Noms = {
  codeCandidat: ['codeCandidat'],
  nom: ['nom'],
  prenom: ['prenom'],
  sexe: ['sexe'],
  dateNaissance: ['dateNaissance'],
  ine: ['ine'],
  mail: ['mail'],
  telFixe: ['telfixe'],
  telMobile: ['telmobile'],
  adresse1: ['adresse1'],
  adresse2: ['adresse2'],
  adresse3: ['adresse3'],
  codePostal: ['codepostal', 'codepostale'],
  codeCommune: ['codecommune'],
  commune: ['commune', 'libellecommune'],
  paysAdresse: ['codepaysadresse'],
  communeNaissance: ['codeCommuneNaissance'],
  villeNaissance: ['libelleCommuneNaissance'],
  paysNaissance: ['codePaysNaissance'],
  nationalite: ['codePaysNationalite'],
  etablissementSco: ['codeEtablissementSco'],
  anneeBac: ['anneeBac'],
  serieBac: ['serieBac'],
  mentionBac: ['mentionBac'],
  codeFormationPsup: ['codeFormationPsup'],
  codeSituation: ['codeSituation'],
};

/** The gestion site's CSV export (synonyms in order of preference). */
export const COLONNES_CSV_PARCOURSUP: Noms = {
  codeCandidat: ['Numéro candidat', 'Numéro'],
  nom: ['Nom'],
  prenom: ['Prénom'],
  sexe: ['Civilité', 'Etat civil', 'État civil'],
  dateNaissance: ['Date de naissance'],
  ine: ['Numéro INE'],
  mail: ['e-mail du candidat', 'Adresse mail'],
  telFixe: ['Téléphone fixe'],
  telMobile: ['Téléphone mobile'],
  adresse1: ['Adresse 1'],
  adresse2: ['Adresse 2'],
  adresse3: ['Adresse 3'],
  codePostal: ['Code postal'],
  commune: ['Commune'],
  paysAdresse: ['Pays'],
  villeNaissance: ['Ville de naissance'],
  paysNaissance: ['Pays de naissance'],
  nationalite: ['Nationalité'],
  serieBac: ['Série diplôme'],
  mentionBac: ['Mention diplôme'],
};

/** Columns of the export that are accepted and not used: no OPI field holds them. */
export const COLONNES_CSV_IGNOREES = ['Année de césure', 'Internat', 'Internat obtenu', 'Date réponse'] as const;

/**
 * Parcoursup's bac series → Apogée's usual `codBac` (nomenclature `bacs`), for the national series
 * whose code is not ambiguous. An establishment's own `bacs` entry may claim other labels with the
 * attribute `seriesParcoursup` (e.g. `["Professionnelle"]` on its bac pro code): that wins. A series
 * that is itself a code of the nomenclature is taken as it is.
 */
export const SERIES_BAC_PARCOURSUP: Readonly<Record<string, string>> = {
  GENERALE: 'BACG',
  GENERAL: 'BACG',
  'BAC GENERAL': 'BACG',
  'BACCALAUREAT GENERAL': 'BACG',
  S: 'S',
  ES: 'ES',
  L: 'L',
  STMG: 'STMG',
  ST2S: 'ST2S',
  STL: 'STL',
  STI2D: 'STI2',
  STI: 'STI',
  STAV: 'STAV',
  STD2A: 'ST2A',
  STHR: 'HOT',
  'DAEU A': 'DAEA',
  'DAEU B': 'DAEB',
  INTERNATIONAL: '0001',
  'BAC INTERNATIONAL': '0001',
  EUROPEEN: '0002',
  'BAC EUROPEEN': '0002',
};

/** Parcoursup's mention labels → Apogée's `codMention` (nomenclature `mentions-bac`); the codes themselves are accepted too. */
const MENTIONS_BAC: Readonly<Record<string, string>> = {
  'TRES BIEN': 'TB',
  'TRES BIEN AVEC FELICITATIONS DU JURY': 'TB',
  'TRES BIEN AVEC FELICITATIONS': 'TB',
  BIEN: 'B',
  'ASSEZ BIEN': 'AB',
  PASSABLE: 'P',
  'SANS MENTION': 'P',
};

/** `codeSituation` of the proposal: 1 accepted, 2 accepted keeping other wishes pending → the vœu; 0 pending, 3 declined or resigned → none. */
const SITUATIONS_ADMIS = ['1', '2'];
const SITUATIONS_SANS_VOEU = ['0', '3'];

/** An INSEE "commune" `99xxx` is a country: INSEE's code of the place of birth of a person born abroad. */
const COMMUNE_ETRANGERE = /^99\d{3}$/;

/** A JSON object: not null, not a list. */
export function estObjet(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const cleDe = (nom: string): string => nom.trim().toLowerCase();

/**
 * The candidate of a Parcoursup JSON: `donneesCandidat` (any case) when it is an object, else the
 * top-level fields without `identifiant` (the 2019 variant, and the items of `getCandidatsAdmis`).
 * Never the credentials: this is also what the journal hashes.
 */
export function donneesCandidat(json: unknown): Record<string, unknown> | undefined {
  if (!estObjet(json)) return undefined;
  const cle = Object.keys(json).find((k) => cleDe(k) === 'donneescandidat');
  if (cle !== undefined && estObjet(json[cle])) return json[cle];
  return Object.fromEntries(Object.entries(json).filter(([k]) => cleDe(k) !== 'identifiant' && cleDe(k) !== 'donneescandidat'));
}

/**
 * Each field's key in `valeurs` (its spelling there, any case), or its first name when it is absent.
 * Two spellings of one field with different values (`codepostal` and `codepostale`) are a problem;
 * a value that is an object or a list is one too.
 */
function resoudre(valeurs: Record<string, unknown>, noms: Noms, problemes: Probleme[]): Partial<Record<Champ, string>> {
  const cles: Partial<Record<Champ, string>> = {};
  for (const [champ, synonymes, presentes] of colonnesDesChamps(valeurs, noms)) {
    for (const k of presentes)
      if (valeurs[k] !== null && typeof valeurs[k] === 'object') problemes.push(probleme('TYPE_INVALIDE', k, { attendu: 'texte ou nombre' }));
    // One column (or none) for the field, the usual case: nothing can contradict it.
    if (presentes.length < 2) {
      cles[champ] = presentes[0] ?? synonymes[0];
      continue;
    }
    const remplies = presentes.filter((k) => ['string', 'number', 'boolean'].includes(typeof valeurs[k]) && String(valeurs[k]).trim() !== '');
    const distinctes = new Set(remplies.map((k) => String(valeurs[k]).trim()));
    if (distinctes.size > 1) {
      problemes.push(probleme('SYNONYMES_CONTRADICTOIRES', remplies[0], { valeurs: remplies.map((k) => `${k}=${String(valeurs[k]).trim()}`).join(', ') }));
    }
    cles[champ] = remplies[0] ?? presentes[0] ?? synonymes[0];
  }
  return cles;
}

type ColonnesDesChamps = [Champ, readonly string[], string[]][];
/** The last header seen per mapping: a file's rows all have the same keys, matched to the fields once. */
const DERNIER_ENTETE = new WeakMap<Noms, { cles: string[]; colonnes: ColonnesDesChamps }>();

/** The same column names in the same order (a file's rows share their header's very strings). */
function memesCles(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** For each field, its synonyms and the row's keys that spell one of them. */
function colonnesDesChamps(valeurs: Record<string, unknown>, noms: Noms): ColonnesDesChamps {
  const keys = Object.keys(valeurs);
  const connu = DERNIER_ENTETE.get(noms);
  if (connu && memesCles(connu.cles, keys)) return connu.colonnes;
  const parCle = new Map<string, string[]>();
  for (const k of keys) parCle.set(cleDe(k), [...(parCle.get(cleDe(k)) ?? []), k]);
  const colonnes = (Object.entries(noms) as [Champ, readonly string[]][]).map(([champ, synonymes]): [Champ, readonly string[], string[]] => [
    champ,
    synonymes,
    synonymes.flatMap((n) => parCle.get(cleDe(n)) ?? []),
  ]);
  DERNIER_ENTETE.set(noms, { cles: keys, colonnes });
  return colonnes;
}

/** A Parcoursup bac series → `codBac`: the establishment's `seriesParcoursup`, the national table, or a code of `bacs` as it is. */
export function codeBacParcoursup(cat: Catalogue, serie: string): string | undefined {
  const cle = cleComparaison(serie);
  const revendique = seriesRevendiquees(cat).get(cle);
  if (revendique !== undefined) return revendique;
  return SERIES_BAC_PARCOURSUP[cle] ?? (cat.trouver('bacs', cle) ? cle : undefined);
}

/** The series the establishment's in-service bacs claim (`seriesParcoursup`), by comparison key: the first bac claiming one wins. */
const seriesRevendiquees = parCatalogue((cat): Map<string, string> => {
  const m = new Map<string, string>();
  for (const b of cat.lister('bacs')) {
    if (!b.enService || !Array.isArray(b.seriesParcoursup)) continue;
    for (const s of b.seriesParcoursup) {
      const cle = cleComparaison(String(s));
      if (!m.has(cle)) m.set(cle, String(b.code));
    }
  }
  return m;
});

function mentionBac(cat: Catalogue, texte: string): string | undefined {
  const cle = cleComparaison(texte);
  return MENTIONS_BAC[cle] ?? (cat.trouver('mentions-bac', cle) ? cle : undefined);
}

/** The formation of a file that carries none (the gestion export): its étape (and version), or its Parcoursup code. */
function formationFichier(cat: Catalogue, fichier: ContexteMappage['formationFichier']): { f: Formation | Probleme; source: string } {
  if (fichier?.codEtp) {
    const codEtp = fichier.codEtp.trim().toUpperCase();
    if (fichier.codVrsVet === undefined) return { f: formationDe(cat, 'parcoursup', codEtp, 'codEtp'), source: 'codEtp' };
    const f = { codEtp, codVrsVet: Number(fichier.codVrsVet) };
    return { f: cat.estValide('etapes', f.codEtp, f.codVrsVet) ? f : probleme('ETAPE_INCONNUE', 'codEtp', f), source: 'codEtp' };
  }
  return { f: formationDe(cat, 'parcoursup', fichier?.codeFormationPsup, 'codeFormationPsup'), source: 'codeFormationPsup' };
}

/** The one builder of both shapes: the row's cells (by their key in `valeurs`) → the canonical OPI, its problems, its sources. */
function mapper(valeurs: Record<string, unknown>, noms: Noms, ctx: ContexteMappage): CandidatMappe {
  const cat = ctx.catalogue;
  const r = new Releve(valeurs, cat);
  const cles = resoudre(valeurs, noms, r.problemes);
  const col = (c: Champ): string | undefined => cles[c];
  const france = codeFrance(cat);

  const colNumero = col('codeCandidat')!;
  const numero = r.lire(colNumero);
  r.lier('individu.codOpiIntEpo', colNumero);
  const codOpiIntEpo = numero ? numeroOpi('P', ctx.codAnu, numero) : undefined;
  if (!numero) r.signaler('CHAMP_OBLIGATOIRE', colNumero);
  else if (!codOpiIntEpo) r.signaler('NUMERO_CANDIDAT_INVALIDE', colNumero, { numero, attendu: '1 à 7 chiffres' });

  const etatCivil = {
    libNomPatIndOpi: r.texte(col('nom'), 'individu.etatCivil.libNomPatIndOpi', LONGUEURS.nom, { obligatoire: true, nom: true }),
    libPr1IndOpi: r.texte(col('prenom'), 'individu.etatCivil.libPr1IndOpi', LONGUEURS.prenom, { obligatoire: true, nom: true }),
    codNneIndOpi: r.ine(col('ine'), 'individu.etatCivil.codNneIndOpi'),
    codSexEtuOpi: r.sexe(col('sexe'), 'individu.etatCivil.codSexEtuOpi'),
  };

  // Birth place. Abroad: type P, the country (codePaysNaissance, or an INSEE 99xxx birth commune).
  // In France: type D, the département of the INSEE birth commune. Born in France with no commune
  // code (the gestion export has none): neither, rather than a type without its département.
  const colPaysNai = col('paysNaissance');
  const colCommuneNai = col('communeNaissance');
  const commune = r.lire(colCommuneNai).toUpperCase();
  const paysNai = r.lire(colPaysNai)
    ? r.pays(colPaysNai, 'individu.donneesNaissance.codDepPayNai')
    : COMMUNE_ETRANGERE.test(commune)
      ? r.pays(colCommuneNai, 'individu.donneesNaissance.codDepPayNai')
      : undefined;
  let lieu: Record<string, string | undefined> = {};
  if (paysNai && paysNai !== france) {
    r.lier('individu.donneesNaissance.codTypDepPayNai', r.lire(colPaysNai) ? colPaysNai : colCommuneNai);
    lieu = { codTypDepPayNai: 'P', codDepPayNai: paysNai };
    if (commune && !COMMUNE_ETRANGERE.test(commune)) {
      r.signaler('LIEU_NAISSANCE_INCOHERENT', colCommuneNai!, { detail: `commune française ${commune} et pays de naissance étranger (${paysNai})` });
    }
  } else if (commune && !COMMUNE_ETRANGERE.test(commune)) {
    const codComNaiEtuOpi = r.commune(colCommuneNai, 'individu.donneesNaissance.codComNaiEtuOpi');
    r.lier('individu.donneesNaissance.codTypDepPayNai', colCommuneNai);
    r.lier('individu.donneesNaissance.codDepPayNai', colCommuneNai);
    const dep = departementDeCommune(commune);
    if (dep && !cat.estValide('departements', dep)) r.signaler('DEPARTEMENT_INCONNU', colCommuneNai!, { code: dep });
    lieu = { codComNaiEtuOpi, ...(dep ? { codTypDepPayNai: 'D', codDepPayNai: dep } : {}) };
  }

  const donneesNaissance = {
    dateNaiIndOpi: r.date(col('dateNaissance'), 'individu.donneesNaissance.dateNaiIndOpi', { obligatoire: true }),
    temDateNaiRelOpi: 'N',
    codPayNat: r.pays(col('nationalite'), 'individu.donneesNaissance.codPayNat'),
    ...lieu,
    libVilNaiEtuOpi: r.texte(col('villeNaissance'), 'individu.donneesNaissance.libVilNaiEtuOpi', LONGUEURS.villeNaissance),
  };

  const donneesPersonnelles = {
    adrMailOpi: r.courriel(col('mail'), 'individu.donneesPersonnelles.adrMailOpi'),
    numTelPorOpi: r.telephone(col('telMobile'), 'individu.donneesPersonnelles.numTelPorOpi'),
  };

  // Address: French (postal code, INSEE commune or else the town's name) or foreign (postal code and town in libAde).
  const codPay = r.pays(col('paysAdresse'), 'adresseFixe.codPay');
  const etrangere = codPay !== undefined && codPay !== france;
  let localite: Record<string, string | undefined>;
  if (etrangere) {
    const colVille = r.lire(col('commune')) ? col('commune') : col('codePostal');
    r.lier('adresseFixe.libAde', colVille);
    const libAde = [r.lire(col('codePostal')), r.lire(col('commune'))].filter(Boolean).join(' ') || undefined;
    if (libAde && [...libAde].length > LONGUEURS.libAde) r.signaler('LONGUEUR_MAX_DEPASSEE', colVille!, { max: LONGUEURS.libAde });
    localite = { libAde };
  } else {
    const codCom = r.commune(col('codeCommune'), 'adresseFixe.codCom');
    localite = {
      codBdi: r.codePostal(col('codePostal'), 'adresseFixe.codBdi'),
      codCom,
      libAde: codCom ? undefined : r.texte(col('commune'), 'adresseFixe.libAde', LONGUEURS.libAde),
    };
  }
  const adresseFixe = {
    lib1: r.texte(col('adresse1'), 'adresseFixe.lib1', LONGUEURS.ligneAdresse),
    lib2: r.texte(col('adresse2'), 'adresseFixe.lib2', LONGUEURS.ligneAdresse),
    lib3: r.texte(col('adresse3'), 'adresseFixe.lib3', LONGUEURS.ligneAdresse),
    codPay,
    ...localite,
    numTel: r.telephone(col('telFixe'), 'adresseFixe.numTel'),
  };

  // Bac: the series and the mention through their tables, the year, the lycée (UAI).
  const colSerie = col('serieBac');
  r.lier('bac.codBac', colSerie);
  const serie = r.lire(colSerie);
  const codBac = serie ? codeBacParcoursup(cat, serie) : undefined;
  if (serie && (!codBac || !cat.estValide('bacs', codBac))) r.signaler('BAC_INCONNU', colSerie!, { code: serie });
  const colMention = col('mentionBac');
  r.lier('bac.codMention', colMention);
  const mention = r.lire(colMention);
  const codMention = mention ? mentionBac(cat, mention) : undefined;
  if (mention && (!codMention || !cat.estValide('mentions-bac', codMention))) r.signaler('MENTION_BAC_INCONNUE', colMention!, { code: mention });
  const colLycee = col('etablissementSco');
  r.lier('bac.codEtb', colLycee);
  const codEtb = r.lire(colLycee).toUpperCase() || undefined;
  if (codEtb) verifierUaiChamp(codEtb, colLycee!, r.problemes);
  const bac = { codBac, daaObtBacOba: r.annee(col('anneeBac'), 'bac.daaObtBacOba'), codMention, codEtb };

  // The vœu: the formation admitted to, favourable. None while the proposal is pending or once it is
  // declined: the OPI is kept and its vœux set emptied (an OPI's vœux are replaced by what is sent).
  let voeux: Record<string, unknown>[] | undefined;
  const colSituation = col('codeSituation');
  const situation = r.lire(colSituation);
  if (situation && !SITUATIONS_ADMIS.includes(situation) && !SITUATIONS_SANS_VOEU.includes(situation)) {
    r.signaler('VALEUR_NON_AUTORISEE', colSituation!, { valeurs: [...SITUATIONS_SANS_VOEU, ...SITUATIONS_ADMIS].sort().join(', ') });
  } else if (SITUATIONS_SANS_VOEU.includes(situation)) {
    voeux = [];
  } else {
    // The candidate's formation code, else the file's formation (none at all: CHAMP_OBLIGATOIRE on codeFormationPsup).
    const colFormation = col('codeFormationPsup');
    const { f, source } = r.lire(colFormation)
      ? { f: formationDe(cat, 'parcoursup', r.lire(colFormation), colFormation!), source: colFormation! }
      : formationFichier(cat, ctx.formationFichier);
    r.lier('voeux', source);
    if ('code' in f) r.problemes.push(f);
    else voeux = [voeuFavorable(cat, f, 1)];
  }

  const opi = compacter({ individu: { codOpiIntEpo, etatCivil, donneesNaissance, donneesPersonnelles }, adresseFixe, bac, voeux });
  return { plateforme: 'parcoursup', idPlateforme: numero, opi, problemes: r.problemes, colonnes: r.colonnes };
}

/** A candidate of Parcoursup's web services: a push body (either variant) or an item of `getCandidatsAdmis`. */
export function candidatParcoursup(json: unknown, ctx: ContexteMappage): CandidatMappe {
  const donnees = donneesCandidat(json);
  if (!donnees) {
    return { plateforme: 'parcoursup', idPlateforme: '', problemes: [probleme('TYPE_INVALIDE', 'donneesCandidat', { attendu: 'objet' })], colonnes: {} };
  }
  return mapper(donnees, CHAMPS_JSON_PARCOURSUP, ctx);
}

/** The CSV export of Parcoursup's gestion site: one admitted candidate per row, the formation given for the whole file. */
export const FORMAT_PARCOURSUP_CSV: FormatImport = {
  nom: 'parcoursup-csv',
  plateforme: 'parcoursup',
  colonnes: [...Object.values(COLONNES_CSV_PARCOURSUP).flat(), ...COLONNES_CSV_IGNOREES],
  colonnesObligatoires: ['Nom', 'Prénom', 'Date de naissance'],
  mapper: (valeurs: Record<string, ValeurLue>, ctx: ContexteMappage): CandidatMappe => mapper(valeurs, COLONNES_CSV_PARCOURSUP, ctx),
};
