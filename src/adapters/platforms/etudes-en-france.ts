/**
 * Études en France (Campus France): CSV files of the international candidates an establishment
 * admitted, one candidate (one favourable vœu) per row → the canonical OPI. Pure: no I/O.
 *
 * The platform's export layout is not public and establishments get it in different shapes, so the
 * mapper reads LOGICAL fields (`nom`, `dateNaissance`, `formation`…, see `CHAMPS_EEF`) through a
 * column map: `FORMAT_EEF_CSV` uses the documented default columns (`Numéro dossier`, `Nom`,
 * `Prénom`…); `formatEefAvecCorrespondance(fichier)` builds the same format from an establishment's
 * own map file `{ "colonnes": { "<their column>": "<logical field>" | null } }`, checked when loaded.
 * See docs/plateformes/etudes-en-france.md.
 *
 * International specifics: no INE; birth abroad (`codTypDepPayNai: 'P'`, `codDepPayNai` = the birth
 * country); the nationality (`codPayNat`); a foreign diploma instead of a French bac — `codBac`
 * `0031` « Titre étranger admis en équivalence » of the `bacs` nomenclature, the diploma's name in the
 * titre d'accès (`dac.libCmtDac`); a foreign address (`adresseFixe.codPay`, the postal code and town
 * in `libAde`); the situation droits (`codCatExoExt`, differentiated fees or their exemption) on the vœu.
 *
 * OPI number: `numeroOpi('E', codAnu, numero)` — `E`, the campaign's two digits, the dossier number on
 * 7 digits (`E260012345`). A dossier number that is not 1 to 7 digits (`CM26-0012345`) gets a number
 * from a hash instead (`numeroOpiHache('E', …)`: `E` + a letter + 8 characters), stable for the same
 * dossier and campaign.
 */
import type { ValeurLue } from '../../application/ports';
import { ErreurMetier, probleme, type Probleme } from '../../domain/errors';
import { numeroOpi } from '../../domain/plateformes/communs';
import { compacter, LONGUEURS, numeroOpiHache, Releve } from './releve';
import { codeFrance } from '../../domain/nomenclatures';
import type { CandidatMappe, ContexteMappage, FormatImport } from './types';

/** `codBac` of a foreign diploma admitted as equivalent to the bac (nomenclature `bacs`). */
export const CODE_BAC_TITRE_ETRANGER = '0031';

interface DescriptionChamp {
  /** The column of the default layout. */
  readonly colonne: string;
  /** A map file must give this field a column. */
  readonly obligatoire?: boolean;
  /** What the field is and where it goes (documentation, error messages). */
  readonly role: string;
}

/** The logical fields of an Études en France row, their default column and their destination. */
export const CHAMPS_EEF = {
  numeroDossier: { colonne: 'Numéro dossier', obligatoire: true, role: "numéro du dossier Études en France → numéro d'OPI (codOpiIntEpo)" },
  nom: { colonne: 'Nom', obligatoire: true, role: 'nom de naissance (libNomPatIndOpi, 30 caractères)' },
  nomUsage: { colonne: "Nom d'usage", role: "nom d'usage (libNomUsuIndOpi, 30)" },
  prenom: { colonne: 'Prénom', obligatoire: true, role: 'premier prénom (libPr1IndOpi, 20)' },
  prenom2: { colonne: 'Deuxième prénom', role: 'deuxième prénom (libPr2IndOpi, 20)' },
  prenom3: { colonne: 'Troisième prénom', role: 'troisième prénom (libPr3IndOpi, 20)' },
  sexe: { colonne: 'Sexe', role: 'sexe ou civilité : M, F, Mme, Monsieur… (codSexEtuOpi)' },
  dateNaissance: { colonne: 'Date de naissance', obligatoire: true, role: 'date de naissance jj/mm/aaaa (dateNaiIndOpi)' },
  paysNaissance: { colonne: 'Pays de naissance', role: 'pays de naissance : code INSEE 99xxx, code Apogée xxx ou nom (codDepPayNai, type P)' },
  departementNaissance: { colonne: 'Département de naissance', role: 'département de naissance, pour un candidat né en France (codDepPayNai, type D)' },
  villeNaissance: { colonne: 'Ville de naissance', role: 'ville de naissance (libVilNaiEtuOpi, 30)' },
  nationalite: { colonne: 'Nationalité', role: 'nationalité : code pays ou nom du pays ou nationalité (codPayNat)' },
  courriel: { colonne: 'Courriel', role: 'adresse électronique (adrMailOpi)' },
  telephone: { colonne: 'Téléphone', role: 'téléphone (numTelPorOpi, 15)' },
  adresse: { colonne: 'Adresse', role: 'adresse, ligne 1 (adresseFixe.lib1, 32)' },
  complementAdresse: { colonne: "Complément d'adresse", role: 'adresse, ligne 2 (adresseFixe.lib2, 32)' },
  codePostal: { colonne: 'Code postal', role: 'code postal (adresseFixe.libAde avec la ville ; codBdi en France)' },
  ville: { colonne: 'Ville', role: 'ville de résidence (adresseFixe.libAde, 32 avec le code postal)' },
  paysResidence: { colonne: 'Pays de résidence', role: 'pays de résidence (adresseFixe.codPay)' },
  diplome: { colonne: 'Diplôme étranger', role: 'libellé du diplôme étranger (dac.libCmtDac, 200 ; bac.codBac = 0031)' },
  anneeDiplome: { colonne: 'Année du diplôme', role: "année d'obtention du diplôme (bac.daaObtBacOba)" },
  paysDiplome: { colonne: 'Pays du diplôme', role: 'pays du diplôme (dac.codDepPay, type P)' },
  formation: { colonne: 'Formation', obligatoire: true, role: 'code de la formation (correspondances-formations, plateforme eef, ou code étape) → le vœu' },
  situationDroits: { colonne: 'Situation droits', role: 'situation droits, nomenclature situations-droits (voeux[0].codCatExoExt)' },
  programmeEchange: { colonne: "Programme d'échange", role: "code du programme d'échange (prgEchange.codPrgOpi, 1 caractère)" },
} as const satisfies Record<string, DescriptionChamp>;

export type ChampEef = keyof typeof CHAMPS_EEF;

const NOMS_CHAMPS = Object.keys(CHAMPS_EEF) as ChampEef[];
const CHAMPS_OBLIGATOIRES = NOMS_CHAMPS.filter((c) => (CHAMPS_EEF[c] as DescriptionChamp).obligatoire === true);

/** The default map: column → logical field (what a map file of the default layout would say). */
export const CORRESPONDANCE_EEF_DEFAUT: Readonly<Record<string, ChampEef>> = Object.fromEntries(NOMS_CHAMPS.map((c) => [CHAMPS_EEF[c].colonne, c]));

/** A loaded map: logical field → column, and the columns accepted but ignored. */
export interface CorrespondanceEef {
  champs: ReadonlyMap<ChampEef, string>;
  ignorees: readonly string[];
}

const FORMAT_CORRESPONDANCE = 'correspondance de colonnes eef-csv';

function erreurCorrespondance(chemin: string, detail: string): Probleme {
  return probleme('FICHIER_NON_CONFORME', chemin, { format: FORMAT_CORRESPONDANCE, detail });
}

/**
 * Reads and checks an establishment's map file (its JSON text or the parsed object); every problem
 * at once: an unknown logical field, one given to two columns, a column given twice, a mandatory
 * field without a column. Throws `ErreurMetier` (`FICHIER_NON_CONFORME`, one problem each).
 */
export function lireCorrespondanceEef(fichier: unknown): CorrespondanceEef {
  let donnees = fichier;
  if (typeof fichier === 'string' || Buffer.isBuffer(fichier)) {
    try {
      donnees = JSON.parse(String(fichier).replace(/^\ufeff/, ''));
    } catch (err) {
      throw new ErreurMetier([erreurCorrespondance('', `JSON illisible (${err instanceof Error ? err.message : String(err)})`)]);
    }
  }
  if (donnees === null || typeof donnees !== 'object' || Array.isArray(donnees)) {
    throw new ErreurMetier([erreurCorrespondance('', 'un objet { "colonnes": { "<colonne du fichier>": "<champ logique>" } } est attendu')]);
  }
  const problemes: Probleme[] = [];
  const racine = donnees as Record<string, unknown>;
  for (const cle of Object.keys(racine)) {
    if (cle !== 'colonnes' && !cle.startsWith('$') && cle !== 'description')
      problemes.push(erreurCorrespondance(cle, `clé inconnue « ${cle} » (seule « colonnes » est lue)`));
  }
  const colonnes = racine.colonnes;
  if (colonnes === null || typeof colonnes !== 'object' || Array.isArray(colonnes)) {
    problemes.push(erreurCorrespondance('colonnes', '« colonnes » doit être un objet { "<colonne du fichier>": "<champ logique>" }'));
    throw new ErreurMetier(problemes);
  }
  const champs = new Map<ChampEef, string>();
  const ignorees: string[] = [];
  const vues = new Map<string, string>();
  for (const [brute, champ] of Object.entries(colonnes as Record<string, unknown>)) {
    const colonne = brute.trim();
    const chemin = `colonnes.${brute}`;
    if (!colonne) {
      problemes.push(erreurCorrespondance(chemin, 'nom de colonne vide'));
      continue;
    }
    const deja = vues.get(colonne.toLowerCase());
    if (deja !== undefined) {
      problemes.push(
        erreurCorrespondance(chemin, `colonne « ${colonne} » donnée deux fois (les en-têtes sont lus sans tenir compte de la casse : « ${deja} »)`),
      );
      continue;
    }
    vues.set(colonne.toLowerCase(), colonne);
    if (champ === null) {
      ignorees.push(colonne);
      continue;
    }
    if (typeof champ !== 'string') {
      problemes.push(
        erreurCorrespondance(chemin, `colonne « ${colonne} » : le champ logique doit être un texte (ou null pour accepter et ignorer la colonne)`),
      );
      continue;
    }
    if (!(NOMS_CHAMPS as string[]).includes(champ)) {
      problemes.push(
        erreurCorrespondance(chemin, `colonne « ${colonne} » : champ logique inconnu « ${champ} » (champs possibles : ${NOMS_CHAMPS.join(', ')})`),
      );
      continue;
    }
    const autre = champs.get(champ as ChampEef);
    if (autre !== undefined) {
      problemes.push(erreurCorrespondance(chemin, `champ logique « ${champ} » donné à deux colonnes (« ${autre} » et « ${colonne} »)`));
      continue;
    }
    champs.set(champ as ChampEef, colonne);
  }
  const manquants = CHAMPS_OBLIGATOIRES.filter((c) => !champs.has(c));
  if (manquants.length) problemes.push(erreurCorrespondance('colonnes', `champ(s) logique(s) obligatoire(s) sans colonne : ${manquants.join(', ')}`));
  if (problemes.length) throw new ErreurMetier(problemes);
  return { champs, ignorees };
}

/** The OPI number of an Études en France dossier (see the top of the module); undefined if the number is not usable. */
export function numeroOpiEef(numero: string, codAnu: string): string | undefined {
  const n = numero.trim();
  if (/^\d{1,7}$/.test(n)) return numeroOpi('E', codAnu, n);
  if (/^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}$/.test(n)) return numeroOpiHache('E', `eef|${codAnu}|${n.toUpperCase().replace(/[\s._/-]/g, '')}`);
  return undefined;
}

function mapperEef(carte: CorrespondanceEef) {
  const col = (c: ChampEef): string | undefined => carte.champs.get(c);
  return (valeurs: Record<string, ValeurLue>, ctx: ContexteMappage): CandidatMappe => {
    const cat = ctx.catalogue;
    const r = new Releve(valeurs, cat);

    const colNumero = col('numeroDossier')!;
    const numero = r.lire(colNumero);
    r.lier('individu.codOpiIntEpo', colNumero);
    let codOpiIntEpo: string | undefined;
    if (!numero) r.signaler('CHAMP_OBLIGATOIRE', colNumero);
    else {
      codOpiIntEpo = numeroOpiEef(numero, ctx.codAnu);
      if (!codOpiIntEpo) r.signaler('NUMERO_CANDIDAT_INVALIDE', colNumero, { numero, attendu: '1 à 7 chiffres, ou lettres, chiffres et tirets' });
    }

    const etatCivil = {
      libNomPatIndOpi: r.texte(col('nom'), 'individu.etatCivil.libNomPatIndOpi', LONGUEURS.nom, { obligatoire: true, nom: true }),
      libNomUsuIndOpi: r.texte(col('nomUsage'), 'individu.etatCivil.libNomUsuIndOpi', LONGUEURS.nom, { nom: true }),
      libPr1IndOpi: r.texte(col('prenom'), 'individu.etatCivil.libPr1IndOpi', LONGUEURS.prenom, { obligatoire: true, nom: true }),
      libPr2IndOpi: r.texte(col('prenom2'), 'individu.etatCivil.libPr2IndOpi', LONGUEURS.prenom, { nom: true }),
      libPr3IndOpi: r.texte(col('prenom3'), 'individu.etatCivil.libPr3IndOpi', LONGUEURS.prenom, { nom: true }),
      codSexEtuOpi: r.sexe(col('sexe'), 'individu.etatCivil.codSexEtuOpi'),
    };

    // Birth: abroad (type P, the country); born in France, the département (type D) is needed.
    const france = codeFrance(cat);
    const colPaysNai = col('paysNaissance');
    const paysNai = r.pays(colPaysNai, 'individu.donneesNaissance.codDepPayNai');
    r.lier('individu.donneesNaissance.codTypDepPayNai', colPaysNai);
    let lieu: { codTypDepPayNai?: string; codDepPayNai?: string } = {};
    if (paysNai === france) {
      const dep = r.departement(col('departementNaissance'), 'individu.donneesNaissance.codDepPayNai');
      if (dep) lieu = { codTypDepPayNai: 'D', codDepPayNai: dep };
      else {
        r.signaler('LIEU_NAISSANCE_INCOHERENT', colPaysNai!, {
          detail: `né(e) en France : le département de naissance manque (champ departementNaissance, colonne « ${col('departementNaissance') ?? CHAMPS_EEF.departementNaissance.colonne} »)`,
        });
      }
    } else if (paysNai) lieu = { codTypDepPayNai: 'P', codDepPayNai: paysNai };

    const donneesNaissance = {
      dateNaiIndOpi: r.date(col('dateNaissance'), 'individu.donneesNaissance.dateNaiIndOpi', { obligatoire: true }),
      temDateNaiRelOpi: 'N',
      codPayNat: r.pays(col('nationalite'), 'individu.donneesNaissance.codPayNat'),
      ...lieu,
      libVilNaiEtuOpi: r.texte(col('villeNaissance'), 'individu.donneesNaissance.libVilNaiEtuOpi', LONGUEURS.villeNaissance),
    };

    const donneesPersonnelles = {
      adrMailOpi: r.courriel(col('courriel'), 'individu.donneesPersonnelles.adrMailOpi'),
      numTelPorOpi: r.telephone(col('telephone'), 'individu.donneesPersonnelles.numTelPorOpi'),
    };

    const programme = r.texte(col('programmeEchange'), 'individu.prgEchange.codPrgOpi', LONGUEURS.codPrgOpi);

    // Address: the country of residence; postal code and town together in libAde (a foreign address
    // has no INSEE commune), the postal code also in codBdi for a French address.
    const colPaysRes = col('paysResidence');
    const codPay = r.pays(colPaysRes, 'adresseFixe.codPay');
    const lib1 = r.texte(col('adresse'), 'adresseFixe.lib1', LONGUEURS.ligneAdresse);
    const lib2 = r.texte(col('complementAdresse'), 'adresseFixe.lib2', LONGUEURS.ligneAdresse);
    const cp = r.lire(col('codePostal'));
    const ville = r.lire(col('ville'));
    const codBdi = codPay === france ? r.codePostal(col('codePostal'), 'adresseFixe.codBdi') : undefined;
    r.lier('adresseFixe.libAde', col('ville') ?? col('codePostal'));
    const libAde = [cp, ville].filter(Boolean).join(' ') || undefined;
    if (libAde && [...libAde].length > LONGUEURS.libAde) {
      const colVille = ville ? col('ville')! : col('codePostal')!;
      r.signaler('LONGUEUR_MAX_DEPASSEE', colVille, { max: ville && cp ? LONGUEURS.libAde - [...cp].length - 1 : LONGUEURS.libAde });
    }
    if ((lib1 || lib2 || libAde) && colPaysRes !== undefined && !r.lire(colPaysRes)) r.signaler('CHAMP_OBLIGATOIRE', colPaysRes);

    // The foreign diploma: the bac equivalence code, its year, its name and country in the titre d'accès.
    const colDiplome = col('diplome');
    r.lier('bac.codBac', colDiplome);
    if (!cat.estValide('bacs', CODE_BAC_TITRE_ETRANGER)) r.signaler('BAC_INCONNU', colDiplome ?? 'bac.codBac', { code: CODE_BAC_TITRE_ETRANGER });
    const bac = { codBac: CODE_BAC_TITRE_ETRANGER, daaObtBacOba: r.annee(col('anneeDiplome'), 'bac.daaObtBacOba') };
    const libDiplome = r.texte(colDiplome, 'dac.libCmtDac', LONGUEURS.libCmtDac);
    const paysDiplome = r.pays(col('paysDiplome'), 'dac.codDepPay');
    r.lier('dac.codTypDepPay', col('paysDiplome'));
    const dac = {
      libCmtDac: libDiplome,
      ...(paysDiplome && paysDiplome !== france ? { codTypDepPay: 'P', codDepPay: paysDiplome } : {}),
    };

    // The one vœu: favourable, the situation droits of the candidate on it.
    const voeu = r.voeu('eef', col('formation')!, 'voeux[0]', 1);
    const codCatExoExt = r.code(col('situationDroits'), 'voeux[0].codCatExoExt', 'situations-droits', 'SITUATION_DROITS_INCONNUE');
    if (voeu && codCatExoExt) voeu.codCatExoExt = codCatExoExt;

    const opi = compacter({
      individu: {
        codOpiIntEpo,
        etatCivil,
        donneesNaissance,
        donneesPersonnelles,
        prgEchange: { codPrgOpi: programme?.toUpperCase() },
      },
      bac,
      dac,
      adresseFixe: { codPay, lib1, lib2, codBdi, libAde },
      voeux: voeu ? [voeu] : undefined,
    });
    return { plateforme: 'eef', idPlateforme: numero, opi, problemes: r.problemes, colonnes: r.colonnes };
  };
}

function formatEef(carte: CorrespondanceEef): FormatImport {
  const colonnes = [...carte.champs.values(), ...carte.ignorees];
  return {
    nom: 'eef-csv',
    plateforme: 'eef',
    colonnes,
    colonnesObligatoires: CHAMPS_OBLIGATOIRES.map((c) => carte.champs.get(c)!),
    mapper: mapperEef(carte),
  };
}

/** Études en France CSV with the default columns (`CHAMPS_EEF[*].colonne`). */
export const FORMAT_EEF_CSV: FormatImport = formatEef({
  champs: new Map(NOMS_CHAMPS.map((c) => [c, CHAMPS_EEF[c].colonne])),
  ignorees: [],
});

/** The same format on an establishment's own columns (its map file, JSON text or object); throws `ErreurMetier` when the map is wrong. */
export function formatEefAvecCorrespondance(fichier: unknown): FormatImport {
  return formatEef(lireCorrespondanceEef(fichier));
}
