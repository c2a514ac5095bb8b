/*
 * Mappers Études en France et Pégase : chaque ligne des fixtures (fixtures/eef, fixtures/pegase), lue
 * par les vrais lecteurs de fichiers (encodages, séparateurs), donne l'OPI canonique attendue — qui
 * passe le vrai schéma et les vraies règles avec les nomenclatures livrées — ou les problèmes
 * attendus, chacun sur sa colonne, tous en une passe.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lireEntete, lireLignes } from '../../src/adapters/batch/lecteurs';
import {
  CHAMPS_EEF,
  CODE_BAC_TITRE_ETRANGER,
  CORRESPONDANCE_EEF_DEFAUT,
  FORMAT_EEF_CSV,
  formatEefAvecCorrespondance,
  lireCorrespondanceEef,
  numeroOpiEef,
} from '../../src/adapters/platforms/etudes-en-france';
import {
  CLE_CANDIDATURES,
  COLONNES_CANDIDAT,
  COLONNES_CANDIDATURE,
  COLONNES_INSCRIPTION,
  FORMAT_PEGASE,
  FORMAT_PEGASE_INSCRIPTION,
  joindrePegase,
  numeroOpiInscription,
} from '../../src/adapters/platforms/pegase';
import { dateImport, departementDeCommune, LONGUEURS, numeroOpiHache, paysDe } from '../../src/adapters/platforms/releve';
import type { CandidatMappe, ContexteMappage, FormatImport } from '../../src/adapters/platforms/types';
import type { ValeurLue } from '../../src/application/ports';
import { problemesSchema, schema } from '../../src/application/validation';
import { ErreurMetier, type Probleme } from '../../src/domain/errors';
import { canoniserOpi } from '../../src/domain/opi/canonique';
import { verifierOpi } from '../../src/domain/opi/regles';
import type { DonneesOpi } from '../../src/generated/opi';
import { catalogueFixtures } from '../helpers/catalogue';
import { CatalogueEnMemoire, type EntreeNomenclature } from '../../src/domain/nomenclatures';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures');
const catalogue = catalogueFixtures();
const CTX: ContexteMappage = { catalogue, codAnu: '2026' };
const AUJOURDHUI = '2026-12-01';

async function lignes(fichier: string, colonnes: readonly string[]): Promise<Record<string, ValeurLue>[]> {
  const sortie: Record<string, ValeurLue>[] = [];
  for await (const l of lireLignes(path.join(FIXTURES, fichier), { format: 'csv', colonnes })) sortie.push(l.valeurs);
  return sortie;
}

/** Same rule as the import job: a canonical path → the column of its longest mapped prefix. */
function parColonne(p: Probleme, colonnes: Record<string, string>): string {
  let meilleur: string | undefined;
  for (const c of Object.keys(colonnes)) {
    if ((p.path === c || p.path.startsWith(`${c}.`) || p.path.startsWith(`${c}[`)) && (!meilleur || c.length > meilleur.length)) meilleur = c;
  }
  return meilleur ? colonnes[meilleur] : p.path;
}

/** Schema then rules on the canonical form, problems named by column. */
function apres(c: CandidatMappe): string[] {
  const canon = canoniserOpi(c.opi);
  const schemaKo = problemesSchema('opi', canon);
  const tous = schemaKo.length ? schemaKo : verifierOpi(canon as DonneesOpi, { catalogue, aujourdHui: AUJOURDHUI });
  return tous.map((p) => `${p.code}@${parColonne(p, c.colonnes)}`);
}

function opiDe(c: CandidatMappe): DonneesOpi {
  return c.opi as unknown as DonneesOpi;
}

function codes(c: CandidatMappe): string[] {
  return c.problemes.map((p) => `${p.code}@${p.path}`);
}

/** A good row: no mapping problem, the expected OPI, and it passes the real schema and rules. */
function bonne(c: CandidatMappe, attendu: Record<string, unknown>): void {
  expect(codes(c)).to.deep.equal([]);
  expect(c.opi).to.deep.equal(attendu);
  expect(apres(c)).to.deep.equal([]);
}

const voeu = (numCls: number, codCge: string, codEtp: string, codVrsVet: number, codDip: string, codVrsVdi: number, autres: Record<string, unknown> = {}) => ({
  numCls,
  codCge,
  codEtp,
  codVrsVet,
  codDip,
  codVrsVdi,
  codDecVeu: 'F',
  codDemDos: 'C',
  ...autres,
});

describe('plateformes — outils partagés des mappers de fichiers', () => {
  it('les longueurs vérifiées par les mappers sont celles du schéma OPI', () => {
    const defs = (schema('opi') as { $defs: Record<string, { properties: Record<string, { maxLength?: number }> }> }).$defs;
    expect(LONGUEURS.nom).to.equal(defs.EtatCivil.properties.libNomPatIndOpi.maxLength);
    expect(LONGUEURS.nom).to.equal(defs.EtatCivil.properties.libNomUsuIndOpi.maxLength);
    expect(LONGUEURS.prenom).to.equal(defs.EtatCivil.properties.libPr1IndOpi.maxLength);
    expect(LONGUEURS.villeNaissance).to.equal(defs.DonneesNaissance.properties.libVilNaiEtuOpi.maxLength);
    expect(LONGUEURS.courriel).to.equal(defs.DonneesPersonnelles.properties.adrMailOpi.maxLength);
    expect(LONGUEURS.telephone).to.equal(defs.DonneesPersonnelles.properties.numTelPorOpi.maxLength);
    expect(LONGUEURS.ligneAdresse).to.equal(defs.Adresse.properties.lib1.maxLength);
    expect(LONGUEURS.libAde).to.equal(defs.Adresse.properties.libAde.maxLength);
    expect(LONGUEURS.libCmtDac).to.equal(defs.Dac.properties.libCmtDac.maxLength);
    expect(LONGUEURS.codPrgOpi).to.equal(defs.PrgEchange.properties.codPrgOpi.maxLength);
  });

  it('paysDe : code INSEE 99xxx, code Apogée, nom du pays ou nationalité ; inconnu ou hors service sinon', () => {
    expect(paysDe(catalogue, '99216')).to.deep.equal({ code: '216' });
    expect(paysDe(catalogue, '216')).to.deep.equal({ code: '216' });
    expect(paysDe(catalogue, 'Chine')).to.deep.equal({ code: '216' });
    expect(paysDe(catalogue, 'CHINOISE')).to.deep.equal({ code: '216' });
    expect(paysDe(catalogue, "cote d'ivoire")).to.deep.equal({ code: '326' });
    expect(paysDe(catalogue, 'Atlantide')).to.deep.equal({ inconnu: 'Atlantide' });
    expect(paysDe(catalogue, '115')).to.deep.equal({ inconnu: '115' }); // Tchécoslovaquie, hors service
    expect(paysDe(catalogue, '  ')).to.equal(undefined);
  });

  it('paysDe par nom : le premier pays en service de la table ; un autre catalogue (rechargé) a son propre index', () => {
    const pays = (codes: object[]) => new CatalogueEnMemoire({ pays: codes as EntreeNomenclature[] });
    const a = pays([
      { code: '115', libelle: 'Tchécoslovaquie', enService: false },
      { code: '991', libelle: 'Ruritanie', libNat: 'ruritanienne', enService: true },
      { code: '992', libelle: 'Ruritanie', enService: true },
    ]);
    expect(paysDe(a, 'tchecoslovaquie')).to.deep.equal({ inconnu: 'tchecoslovaquie' });
    expect(paysDe(a, 'RURITANIE')).to.deep.equal({ code: '991' });
    expect(paysDe(a, 'Ruritanienne')).to.deep.equal({ code: '991' });
    const b = pays([{ code: '993', libelle: 'Ruritanie', enService: true }]);
    expect(paysDe(b, 'Ruritanie')).to.deep.equal({ code: '993' });
    expect(paysDe(a, 'Ruritanie')).to.deep.equal({ code: '991' });
  });

  it('departementDeCommune : métropole, Corse, outre-mer', () => {
    expect(departementDeCommune('35238')).to.equal('035');
    expect(departementDeCommune('2A004')).to.equal('02A');
    expect(departementDeCommune('2b033')).to.equal('02B');
    expect(departementDeCommune('97411')).to.equal('974');
    expect(departementDeCommune('98818')).to.equal('988');
    expect(departementDeCommune('3523')).to.equal(undefined);
  });

  it('numeroOpiHache : 10 caractères, le préfixe, une lettre, stable', () => {
    const n = numeroOpiHache('G', 'graine');
    expect(n).to.match(/^G[A-Z][A-Z0-9]{8}$/);
    expect(numeroOpiHache('G', 'graine')).to.equal(n);
    expect(numeroOpiHache('G', 'autre graine')).to.not.equal(n);
  });

  it('dateImport : jj/mm/aaaa ou ISO ; les dates inexistantes sont refusées', () => {
    expect(dateImport('14/05/2006')).to.equal('2006-05-14');
    expect(dateImport('2006-05-14')).to.equal('2006-05-14');
    expect(dateImport('31/02/2006')).to.equal(undefined);
    expect(dateImport('1/2/2006')).to.equal(undefined);
  });
});

describe('plateformes — Études en France (eef-csv), colonnes par défaut', () => {
  let rangs: Record<string, ValeurLue>[];
  const m = (i: number) => FORMAT_EEF_CSV.mapper(rangs[i], CTX);
  before(async () => {
    rangs = await lignes('eef/candidats-20261201.csv', FORMAT_EEF_CSV.colonnes);
  });

  it("l'en-tête du fichier (UTF-8 avec BOM) est reconnu en entier", async () => {
    const e = await lireEntete(path.join(FIXTURES, 'eef/candidats-20261201.csv'), { format: 'csv', colonnes: FORMAT_EEF_CSV.colonnes });
    expect(e.inconnues).to.deep.equal([]);
    expect(e.encodage).to.equal('utf-8');
    expect(e.colonnes).to.include.members([...FORMAT_EEF_CSV.colonnesObligatoires]);
    expect(rangs).to.have.length(6);
  });

  it('le format : nom, plateforme, colonnes par défaut, colonnes obligatoires', () => {
    expect(FORMAT_EEF_CSV.nom).to.equal('eef-csv');
    expect(FORMAT_EEF_CSV.plateforme).to.equal('eef');
    expect(FORMAT_EEF_CSV.colonnes).to.include.members([
      'Numéro dossier',
      'Nom',
      'Prénom',
      'Sexe',
      'Date de naissance',
      'Pays de naissance',
      'Formation',
      'Situation droits',
    ]);
    expect(FORMAT_EEF_CSV.colonnesObligatoires).to.deep.equal(['Numéro dossier', 'Nom', 'Prénom', 'Date de naissance', 'Formation']);
    expect(Object.keys(CORRESPONDANCE_EEF_DEFAUT)).to.have.length(Object.keys(CHAMPS_EEF).length);
    expect(CODE_BAC_TITRE_ETRANGER).to.equal('0031');
    expect(catalogue.trouver('bacs', CODE_BAC_TITRE_ETRANGER)?.libelle).to.equal('Titre étranger admis en équivalence');
  });

  it('ligne 2 : née au Cameroun, sans INE, adresse étrangère, diplôme étranger, exonération des droits différenciés (correspondance eef)', () => {
    const c = m(0);
    expect(c.plateforme).to.equal('eef');
    expect(c.idPlateforme).to.equal('12345');
    bonne(c, {
      individu: {
        codOpiIntEpo: 'E260012345',
        etatCivil: { libNomPatIndOpi: 'Mbappé Nkoulou', libPr1IndOpi: 'Aïssatou', libPr2IndOpi: 'Ngo', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2001-03-14',
          temDateNaiRelOpi: 'N',
          codPayNat: '322',
          codTypDepPayNai: 'P',
          codDepPayNai: '322',
          libVilNaiEtuOpi: 'Douala',
        },
        donneesPersonnelles: { adrMailOpi: 'aissatou.mbappe@example.cm', numTelPorOpi: '+237699123456' },
      },
      bac: { codBac: '0031', daaObtBacOba: '2025' },
      dac: { libCmtDac: 'Licence en informatique', codTypDepPay: 'P', codDepPay: '322' },
      adresseFixe: { codPay: '322', lib1: 'BP 1234 Bonanjo', lib2: 'Rue Joss', libAde: 'Douala' },
      voeux: [voeu(1, 'SCI', 'MINF1', 2, 'MINF', 2, { codCatExoExt: 'EXDD' })],
    });
    expect(c.colonnes).to.include({
      'individu.codOpiIntEpo': 'Numéro dossier',
      'individu.etatCivil.libNomPatIndOpi': 'Nom',
      'individu.donneesNaissance.codDepPayNai': 'Pays de naissance',
      'individu.donneesNaissance.codPayNat': 'Nationalité',
      'adresseFixe.codPay': 'Pays de résidence',
      'bac.daaObtBacOba': 'Année du diplôme',
      'voeux[0]': 'Formation',
      'voeux[0].codCatExoExt': 'Situation droits',
    });
  });

  it('ligne 3 : accents vietnamiens, nationalité et pays en toutes lettres, dossier non numérique, adresse en France, programme d’échange (code étape direct)', () => {
    const c = m(1);
    expect(c.idPlateforme).to.equal('VN26-004567');
    const numero = numeroOpiEef('VN26-004567', '2026')!;
    expect(numero).to.match(/^E[A-Z][A-Z0-9]{8}$/);
    expect(numeroOpiEef('vn26 004567', '2026')).to.equal(numero);
    bonne(c, {
      individu: {
        codOpiIntEpo: numero,
        etatCivil: { libNomPatIndOpi: 'Nguyễn', libNomUsuIndOpi: 'Trần', libPr1IndOpi: 'Văn Minh', libPr2IndOpi: 'Anh', codSexEtuOpi: 'M' },
        donneesNaissance: {
          dateNaiIndOpi: '2007-09-30',
          temDateNaiRelOpi: 'N',
          codPayNat: '243',
          codTypDepPayNai: 'P',
          codDepPayNai: '243',
          libVilNaiEtuOpi: 'Hanoï',
        },
        donneesPersonnelles: { adrMailOpi: 'minh.nguyen@example.vn', numTelPorOpi: '06 51 23 45 67' },
        prgEchange: { codPrgOpi: 'E' },
      },
      bac: { codBac: '0031', daaObtBacOba: '2025' },
      dac: { libCmtDac: 'Bằng tốt nghiệp THPT', codTypDepPay: 'P', codDepPay: '243' },
      adresseFixe: { codPay: '100', lib1: '5 rue de Brest', lib2: 'Résidence Les Korrigans', codBdi: '35000', libAde: '35000 Rennes' },
      voeux: [voeu(1, 'ECO', 'LECG1', 2, 'LECG', 2, { codCatExoExt: 'DD' })],
    });
    expect((canoniserOpi(c.opi) as DonneesOpi).individu.etatCivil.libNomPatIndOpi).to.equal('NGUYỄN');
  });

  it('ligne 4 : né en France (département donné, type D), de nationalité marocaine, résidant au Maroc', () => {
    bonne(m(2), {
      individu: {
        codOpiIntEpo: 'E260000007',
        etatCivil: { libNomPatIndOpi: 'El Amrani', libPr1IndOpi: 'Youssef', codSexEtuOpi: 'M' },
        donneesNaissance: {
          dateNaiIndOpi: '2004-11-02',
          temDateNaiRelOpi: 'N',
          codPayNat: '350',
          codTypDepPayNai: 'D',
          codDepPayNai: '075',
          libVilNaiEtuOpi: 'Paris',
        },
        donneesPersonnelles: { adrMailOpi: 'y.elamrani@example.ma', numTelPorOpi: '+212612345678' },
      },
      bac: { codBac: '0031', daaObtBacOba: '2022' },
      dac: { libCmtDac: 'Baccalauréat marocain', codTypDepPay: 'P', codDepPay: '350' },
      adresseFixe: { codPay: '350', lib1: '12 boulevard Zerktouni', libAde: '20250 Casablanca' },
      voeux: [voeu(1, 'DRT', 'LDRT1', 2, 'LDRT', 2)],
    });
  });

  it('ligne 5 : toutes les erreurs de la ligne en une passe, chacune sur sa colonne', () => {
    expect(codes(m(3))).to.have.deep.members([
      'LONGUEUR_MAX_DEPASSEE@Nom',
      'SEXE_INCONNU@Sexe',
      'DATE_INVALIDE@Date de naissance',
      'PAYS_INCONNU@Pays de naissance',
      'PAYS_INCONNU@Nationalité',
      'EMAIL_INVALIDE@Courriel',
      'FORMAT_INVALIDE@Année du diplôme',
      'FORMATION_NON_CORRESPONDANTE@Formation',
      'SITUATION_DROITS_INCONNUE@Situation droits',
    ]);
    const p = m(3).problemes;
    expect(p.find((x) => x.path === 'Nom')!.message).to.contain('30');
    expect(p.find((x) => x.path === 'Formation')!.message).to.contain('XYZ-999');
    // Jamais coupé : la valeur trop longue reste entière dans l'OPI.
    expect(opiDe(m(3)).individu.etatCivil.libNomPatIndOpi).to.equal('De La Fuente Villanueva Y Castellanos');
  });

  it('ligne 6 : champs obligatoires vides', () => {
    expect(codes(m(4))).to.have.deep.members([
      'CHAMP_OBLIGATOIRE@Numéro dossier',
      'CHAMP_OBLIGATOIRE@Prénom',
      'CHAMP_OBLIGATOIRE@Date de naissance',
      'CHAMP_OBLIGATOIRE@Formation',
    ]);
    expect(m(4).idPlateforme).to.equal('');
  });

  it('ligne 7 : numéro de dossier inutilisable, né en France sans département, téléphone invalide, adresse sans pays', () => {
    expect(codes(m(5))).to.have.deep.members([
      'NUMERO_CANDIDAT_INVALIDE@Numéro dossier',
      'LIEU_NAISSANCE_INCOHERENT@Pays de naissance',
      'TELEPHONE_INVALIDE@Téléphone',
      'CHAMP_OBLIGATOIRE@Pays de résidence',
    ]);
  });

  it('les problèmes du schéma et des règles, après le mappage, sont nommés par la colonne', () => {
    const c = FORMAT_EEF_CSV.mapper({ ...rangs[0], 'Année du diplôme': '2030' }, CTX);
    expect(codes(c)).to.deep.equal([]);
    expect(apres(c)).to.deep.equal(['ANNEE_BAC_FUTURE@Année du diplôme']);
    const d = FORMAT_EEF_CSV.mapper({ ...rangs[0], Formation: 'LDRT1', 'Situation droits': 'TR19' }, CTX);
    expect(codes(d)).to.deep.equal(['SITUATION_DROITS_INCONNUE@Situation droits']); // hors service
  });

  it('dates ISO (cellule date d’un tableur) acceptées ; adresse étrangère trop longue signalée sur la ville', () => {
    const c = FORMAT_EEF_CSV.mapper(
      { ...rangs[0], 'Date de naissance': '2001-03-14', 'Code postal': 'BP 12345', Ville: 'Yaoundé, quartier Bastos Nord-Ouest' },
      CTX,
    );
    expect(opiDe(c).individu.donneesNaissance.dateNaiIndOpi).to.equal('2001-03-14');
    expect(codes(c)).to.deep.equal(['LONGUEUR_MAX_DEPASSEE@Ville']);
    expect(c.problemes[0].message).to.contain('23'); // 32 − « BP 12345 » − l'espace
  });
});

describe('plateformes — Études en France, fichier de correspondance de l’établissement', () => {
  const maison = () => formatEefAvecCorrespondance(readFileSync(path.join(FIXTURES, 'eef/correspondance-maison.json'), 'utf8'));

  it('un fichier de correspondance valide donne le format sur les colonnes de l’établissement (colonne ignorée comprise)', () => {
    const f = maison();
    expect(f.nom).to.equal('eef-csv');
    expect(f.colonnes).to.include.members(['N° candidat', 'NOM', 'Prénom(s)', 'Formation demandée', 'Avis Campus France']);
    expect(f.colonnesObligatoires).to.deep.equal(['N° candidat', 'NOM', 'Prénom(s)', 'Né(e) le', 'Formation demandée']);
  });

  it('export de l’établissement en Windows-1252, séparé par des virgules : ligne 2 bonne, ligne 3 formation sans correspondance', async () => {
    const f = maison();
    const e = await lireEntete(path.join(FIXTURES, 'eef/export-maison-20261201.csv'), { format: 'csv', colonnes: f.colonnes });
    expect(e).to.include({ encodage: 'windows-1252', separateur: ',' });
    expect(e.inconnues).to.deep.equal([]);
    const r = await lignes('eef/export-maison-20261201.csv', f.colonnes);
    bonne(f.mapper(r[0], CTX), {
      individu: {
        codOpiIntEpo: 'E260000301',
        etatCivil: { libNomPatIndOpi: 'Ben Aïssa', libPr1IndOpi: 'Chérifa', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2003-06-21',
          temDateNaiRelOpi: 'N',
          codPayNat: '351',
          codTypDepPayNai: 'P',
          codDepPayNai: '351',
          libVilNaiEtuOpi: 'Sfax',
        },
        donneesPersonnelles: { adrMailOpi: 'cherifa.benaissa@example.tn' },
      },
      bac: { codBac: '0031' },
      adresseFixe: { codPay: '351', libAde: 'Sfax' },
      voeux: [voeu(1, 'SCI', 'MINF1', 2, 'MINF', 2, { codCatExoExt: 'EXDD' })],
    });
    const c = f.mapper(r[1], CTX);
    expect(codes(c)).to.deep.equal(['FORMATION_NON_CORRESPONDANTE@Formation demandée']);
    expect(opiDe(c).individu.donneesNaissance.libVilNaiEtuOpi).to.equal('São Paulo');
  });

  it('un fichier de correspondance faux : tout ce qui ne va pas, en une fois', () => {
    let err: unknown;
    try {
      lireCorrespondanceEef(readFileSync(path.join(FIXTURES, 'eef/correspondance-invalide.json'), 'utf8'));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ErreurMetier);
    const p = (err as ErreurMetier).problemes;
    expect(p.map((x) => x.code)).to.satisfy((c: string[]) => c.every((x) => x === 'FICHIER_NON_CONFORME'));
    expect(p.map((x) => x.path)).to.deep.equal(['version', 'colonnes.Nom de famille', 'colonnes.Naissance', 'colonnes.NOM', 'colonnes.Remarque', 'colonnes']);
    expect(p[1].message).to.contain('« nom » donné à deux colonnes');
    expect(p[2].message).to.contain('champ logique inconnu « dateDeNaissance »').and.contain('dateNaissance');
    expect(p[5].message).to.contain('dateNaissance, formation');
  });

  it('JSON illisible, pas un objet, pas de « colonnes »', () => {
    const erreur = (x: unknown) => {
      try {
        formatEefAvecCorrespondance(x);
      } catch (e) {
        return (e as ErreurMetier).problemes.map((p) => p.path);
      }
      throw new Error('ErreurMetier attendue');
    };
    expect(erreur('{ pas du json')).to.deep.equal(['']);
    expect(erreur([])).to.deep.equal(['']);
    expect(erreur({ colonne: {} })).to.deep.equal(['colonne', 'colonnes']);
    // L'objet déjà lu est accepté comme le texte JSON.
    expect(formatEefAvecCorrespondance({ colonnes: { ...CORRESPONDANCE_EEF_DEFAUT } }).colonnes).to.have.members([...FORMAT_EEF_CSV.colonnes]);
  });
});

describe('plateformes — Pégase, paire candidat + candidature (pegase)', () => {
  let candidats: Record<string, ValeurLue>[];
  let candidatures: Record<string, ValeurLue>[];
  /** What the job engine does: the candidat row with its candidature rows under `__candidatures`. */
  const m = (i: number) => {
    const n = candidats[i].numero_candidat;
    return FORMAT_PEGASE.mapper({ ...candidats[i], [CLE_CANDIDATURES]: candidatures.filter((c) => c.numero_candidat === n) }, CTX);
  };
  before(async () => {
    candidats = await lignes('pegase/candidat-20261201.csv', COLONNES_CANDIDAT);
    candidatures = await lignes('pegase/candidature-20261201.csv', COLONNES_CANDIDATURE);
  });

  it('en-têtes reconnus ; candidat en Windows-1252, candidature en UTF-8', async () => {
    const a = await lireEntete(path.join(FIXTURES, 'pegase/candidat-20261201.csv'), { format: 'csv', colonnes: COLONNES_CANDIDAT });
    const b = await lireEntete(path.join(FIXTURES, 'pegase/candidature-20261201.csv'), { format: 'csv', colonnes: COLONNES_CANDIDATURE });
    expect(a).to.include({ encodage: 'windows-1252', separateur: ';' });
    expect(b).to.include({ encodage: 'utf-8', separateur: ';' });
    expect(a.inconnues).to.deep.equal([]);
    expect(b.inconnues).to.deep.equal([]);
    expect(FORMAT_PEGASE.colonnesObligatoires.every((c) => a.colonnes.includes(c))).to.equal(true);
    expect(FORMAT_PEGASE.colonnesObligatoiresCandidature.every((c) => b.colonnes.includes(c))).to.equal(true);
    // FORMAT_PEGASE est utilisable là où un FormatImport l'est.
    const f: FormatImport = FORMAT_PEGASE;
    expect(f.nom).to.equal('pegase');
  });

  it('EC26000101 : née à Rennes (département tiré de la commune), INE, deux candidatures → deux vœux (correspondance pegase, puis code étape)', () => {
    const c = m(0);
    expect(c.idPlateforme).to.equal('EC26000101');
    bonne(c, {
      individu: {
        codOpiIntEpo: 'EC26000101',
        etatCivil: { codNneIndOpi: '0000000001B', libNomPatIndOpi: 'Lefèvre', libPr1IndOpi: 'Éloïse', libPr2IndOpi: 'Marie', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2006-05-14',
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '035',
          codComNaiEtuOpi: '35238',
          libVilNaiEtuOpi: 'Rennes',
        },
        donneesPersonnelles: { adrMailOpi: 'eloise.lefevre@example.org', numTelPorOpi: '06 12 34 56 78' },
      },
      adresseFixe: {
        codPay: '100',
        lib1: '12 rue de la Monnaie',
        lib2: 'Appartement 12',
        lib3: 'Bâtiment B',
        codBdi: '35000',
        codCom: '35238',
        numTel: '02 99 00 00 00',
      },
      voeux: [voeu(1, 'DRT', 'LDRT1', 2, 'LDRT', 2), voeu(2, 'ECO', 'LECG1', 2, 'LECG', 2)],
    });
    expect(c.colonnes).to.include({
      'individu.etatCivil.libNomPatIndOpi': 'nom_famille',
      'individu.donneesNaissance.codDepPayNai': 'code_commune_naissance',
      'adresseFixe.lib1': 'adresse_ligne3_voie',
      'voeux[0]': 'candidature[0].code_voeu',
      'voeux[1]': 'candidature[1].code_voeu',
    });
  });

  it('EC26000102 : né au Sénégal, sans INE, adresse étrangère (code postal et ville dans libAde)', () => {
    bonne(m(1), {
      individu: {
        codOpiIntEpo: 'EC26000102',
        etatCivil: { libNomPatIndOpi: 'Diop', libPr1IndOpi: 'Mamadou', codSexEtuOpi: 'M' },
        donneesNaissance: {
          dateNaiIndOpi: '2005-02-03',
          temDateNaiRelOpi: 'N',
          codPayNat: '341',
          codTypDepPayNai: 'P',
          codDepPayNai: '341',
          libVilNaiEtuOpi: 'Dakar',
        },
        donneesPersonnelles: { adrMailOpi: 'mamadou.diop@example.sn', numTelPorOpi: '+221771234567' },
      },
      adresseFixe: { codPay: '341', lib1: 'Rue 10 x 15 Médina', libAde: '11000 Dakar' },
      voeux: [voeu(1, 'SCI', 'LINF1', 2, 'LINF', 2)],
    });
  });

  it('EC26000103 : né en Corse-du-Sud (02A), trois vœux numérotés 1 à 3 dans l’ordre du fichier', () => {
    bonne(m(2), {
      individu: {
        codOpiIntEpo: 'EC26000103',
        etatCivil: { codNneIndOpi: '1234567890V', libNomPatIndOpi: 'Santoni', libPr1IndOpi: 'Ghjuvan', libPr2IndOpi: 'Battista', codSexEtuOpi: 'M' },
        donneesNaissance: {
          dateNaiIndOpi: '2006-08-20',
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '02A',
          codComNaiEtuOpi: '2A004',
          libVilNaiEtuOpi: 'Ajaccio',
        },
        donneesPersonnelles: { adrMailOpi: 'ghjuvan.santoni@example.org' },
      },
      adresseFixe: { codPay: '100', lib1: '3 cours Napoléon', codBdi: '20000', codCom: '2A004' },
      voeux: [voeu(1, 'SCI', 'LMAT1', 2, 'LMAT', 2), voeu(2, 'SCI', 'LINF1', 2, 'LINF', 2), voeu(3, 'IUT', 'BINF1', 1, 'BUTINF', 1)],
    });
  });

  it('EC26000104 : toutes les erreurs en une passe, celles de la candidature sur candidature[i].<colonne>', () => {
    expect(codes(m(3))).to.have.deep.members([
      'SEXE_INCONNU@sexe',
      'LONGUEUR_MAX_DEPASSEE@nom_famille',
      'DATE_INVALIDE@date_naissance',
      'PAYS_INCONNU@code_nationalite',
      'INE_CLE_INVALIDE@ine',
      'LONGUEUR_MAX_DEPASSEE@adresse_ligne3_voie',
      'FORMATION_NON_CORRESPONDANTE@candidature[0].code_voeu',
    ]);
    // Nom Pégase (100 caractères au plus) plus long que celui d'Apogée : signalé, jamais coupé.
    expect(opiDe(m(3)).individu.etatCivil.libNomPatIndOpi).to.equal('Castellanos de la Vega y Montenegro Altamirano');
  });

  it('EC26000105 : sans candidature, née en France sans commune', () => {
    expect(codes(m(4))).to.have.deep.members(['CHAMP_OBLIGATOIRE@code_commune_naissance', 'CHAMP_OBLIGATOIRE@candidature.code_voeu']);
    expect(opiDe(m(4)).voeux).to.equal(undefined); // jamais `voeux: []`, qui effacerait les vœux
  });

  it('EC-26/106 : numéro de candidat qui ne peut pas être un numéro d’OPI', () => {
    const c = m(5);
    expect(codes(c)).to.deep.equal(['NUMERO_CANDIDAT_INVALIDE@numero_candidat']);
    expect(c.idPlateforme).to.equal('EC-26/106');
  });

  it('joindrePegase : une candidature d’un autre candidat est signalée ; sans __candidatures, aucun vœu', () => {
    const autre = { ...candidatures[2], numero_candidat: 'EC26000999' };
    expect(codes(joindrePegase(candidats[1], [autre], CTX))).to.deep.equal(['VALEUR_NON_AUTORISEE@candidature[0].numero_candidat']);
    expect(codes(FORMAT_PEGASE.mapper(candidats[1], CTX))).to.deep.equal(['CHAMP_OBLIGATOIRE@candidature.code_voeu']);
  });

  it('adresse : le complément prend la première ligne libre, sinon suit le bâtiment (jamais coupé) ; un téléphone seul ne demande pas de pays', () => {
    const ec = candidatures.filter((c) => c.numero_candidat === 'EC26000101');
    const a = joindrePegase({ ...candidats[0], adresse_ligne1_etage: '', adresse_ligne4_complement: 'Résidence Les Pins' }, ec, CTX);
    expect(opiDe(a).adresseFixe).to.include({ lib2: 'Résidence Les Pins', lib3: 'Bâtiment B' });
    expect(a.colonnes['adresseFixe.lib2']).to.equal('adresse_ligne4_complement');
    const b = joindrePegase({ ...candidats[0], adresse_ligne4_complement: 'Résidence Les Pins' }, ec, CTX);
    expect(codes(b)).to.deep.equal([]);
    expect(opiDe(b).adresseFixe!.lib3).to.equal('Bâtiment B Résidence Les Pins');
    const c = joindrePegase({ ...candidats[0], adresse_ligne4_complement: 'Résidence universitaire Les Pins' }, ec, CTX);
    expect(codes(c)).to.deep.equal(['LONGUEUR_MAX_DEPASSEE@adresse_ligne4_complement']);
    expect(c.problemes[0].message).to.contain('21'); // 32 − « Bâtiment B » − l'espace
    const d = FORMAT_PEGASE.mapper(
      {
        ...candidats[4],
        code_commune_naissance: '35238',
        numero_telephone1: '02 99 11 22 33',
        [CLE_CANDIDATURES]: ec.map((x) => ({ ...x, numero_candidat: 'EC26000105' })),
      },
      CTX,
    );
    expect(codes(d)).to.deep.equal([]);
    expect(opiDe(d).adresseFixe).to.deep.equal({ numTel: '02 99 11 22 33' });
  });

  it('un problème de règle sur un vœu est nommé par la ligne de candidature', () => {
    const deux = candidatures.filter((c) => c.numero_candidat === 'EC26000102');
    const c = joindrePegase(candidats[1], [...deux, ...deux], CTX);
    expect(codes(c)).to.deep.equal([]);
    expect(apres(c)).to.deep.equal(['VOEU_EN_DOUBLE@candidature[1].code_voeu']);
  });
});

describe('plateformes — Pégase, fichier inscription (pegase-inscription)', () => {
  let rangs: Record<string, ValeurLue>[];
  const m = (i: number) => FORMAT_PEGASE_INSCRIPTION.mapper(rangs[i], CTX);
  before(async () => {
    rangs = await lignes('pegase/inscription-20261201.csv', COLONNES_INSCRIPTION);
  });

  it('en-tête reconnu (UTF-8 avec BOM), 23 colonnes puis 5 × 4 colonnes de vœu', async () => {
    expect(COLONNES_INSCRIPTION).to.have.length(43);
    expect(COLONNES_INSCRIPTION.slice(-4)).to.deep.equal(['origine_admission5', 'annee_concours5', 'code_voeu5', 'code_periode5']);
    const e = await lireEntete(path.join(FIXTURES, 'pegase/inscription-20261201.csv'), { format: 'csv', colonnes: COLONNES_INSCRIPTION });
    expect(e).to.include({ encodage: 'utf-8', separateur: ';' });
    expect(e.inconnues).to.deep.equal([]);
    expect(FORMAT_PEGASE_INSCRIPTION.nom).to.equal('pegase-inscription');
  });

  it('numéro d’OPI : haché du nom de naissance, du prénom et de la date, stable (casse et accents ignorés), propre à la campagne', () => {
    const n = numeroOpiInscription('2026', 'Le Goff', 'Maëlle', '12/04/2006')!;
    expect(n).to.equal('GNVYKIO6KO'); // garde-fou : changer l'algorithme changerait les numéros déjà donnés
    expect(numeroOpiInscription('2026', 'LE GOFF', 'MAELLE', '12/04/2006')).to.equal(n);
    expect(numeroOpiInscription('2026', 'le-goff', 'maëlle', '2006-04-12')).to.equal(n);
    expect(numeroOpiInscription('2027', 'Le Goff', 'Maëlle', '12/04/2006')).to.not.equal(n);
    expect(numeroOpiInscription('2026', 'Le Goff', 'Maëlle', '13/04/2006')).to.not.equal(n);
    expect(numeroOpiInscription('2026', 'Le Goff', '', '12/04/2006')).to.equal(undefined);
  });

  it('ligne 2 : née à Brest, INE, deux vœux', () => {
    const c = m(0);
    expect(c.idPlateforme).to.equal('GNVYKIO6KO');
    bonne(c, {
      individu: {
        codOpiIntEpo: 'GNVYKIO6KO',
        etatCivil: { codNneIndOpi: '1234567891W', libNomPatIndOpi: 'Le Goff', libPr1IndOpi: 'Maëlle', libPr2IndOpi: 'Anne', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2006-04-12',
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '029',
          codComNaiEtuOpi: '29019',
        },
        donneesPersonnelles: { adrMailOpi: 'maelle.legoff@example.org', numTelPorOpi: '06 11 22 33 44' },
      },
      adresseFixe: { codPay: '100', lib1: '8 rue de Siam', codBdi: '29200', codCom: '29019' },
      voeux: [voeu(1, 'DRT', 'LDRT1', 2, 'LDRT', 2), voeu(2, 'LET', 'LPSY1', 2, 'LPSY', 2)],
    });
  });

  it('ligne 3 : né au Maroc, adresse étrangère (ligne 5), vœux aux places 1 et 3 → rangs 1 et 2', () => {
    const c = m(1);
    bonne(c, {
      individu: {
        codOpiIntEpo: c.idPlateforme,
        etatCivil: { libNomPatIndOpi: 'Benali', libPr1IndOpi: 'Karim', codSexEtuOpi: 'M' },
        donneesNaissance: {
          dateNaiIndOpi: '2004-07-23',
          temDateNaiRelOpi: 'N',
          codPayNat: '350',
          codTypDepPayNai: 'P',
          codDepPayNai: '350',
          libVilNaiEtuOpi: 'Casablanca',
        },
        donneesPersonnelles: { adrMailOpi: 'karim.benali@example.ma', numTelPorOpi: '+212661234567' },
      },
      adresseFixe: { codPay: '350', lib1: '45 rue Moulay Youssef', libAde: 'Casablanca 20250' },
      voeux: [voeu(1, 'SCI', 'MINF1', 2, 'MINF', 2), voeu(2, 'LET', 'LLEA1', 2, 'LLEA', 2)],
    });
    expect(c.colonnes).to.include({ 'voeux[0]': 'code_voeu1', 'voeux[1]': 'code_voeu3', 'adresseFixe.libAde': 'adresse_ligne5_etranger' });
  });

  it('ligne 4 : cinq vœux, nom d’usage, sans adresse', () => {
    const c = m(2);
    bonne(c, {
      individu: {
        codOpiIntEpo: c.idPlateforme,
        etatCivil: { codNneIndOpi: '2345678901E', libNomPatIndOpi: 'Nguyen', libNomUsuIndOpi: 'Durand', libPr1IndOpi: 'Linh', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2006-01-01',
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '069',
          codComNaiEtuOpi: '69123',
        },
        donneesPersonnelles: { adrMailOpi: 'linh.nguyen@example.org' },
      },
      voeux: [
        voeu(1, 'DRT', 'LDRT1', 2, 'LDRT', 2),
        voeu(2, 'ECO', 'LECG1', 2, 'LECG', 2),
        voeu(3, 'SCI', 'LINF1', 2, 'LINF', 2),
        voeu(4, 'SCI', 'LMAT1', 2, 'LMAT', 2),
        voeu(5, 'LET', 'LLEA1', 2, 'LLEA', 2),
      ],
    });
  });

  it('ligne 5 : noms plus longs qu’Apogée, date, pays, ligne d’adresse de 37 caractères, vœux : tout en une passe', () => {
    const c = m(3);
    expect(codes(c)).to.have.deep.members([
      'LONGUEUR_MAX_DEPASSEE@nom_naissance',
      'LONGUEUR_MAX_DEPASSEE@prenom',
      'DATE_INVALIDE@date_naissance',
      'PAYS_INCONNU@code_pays_naissance',
      'LONGUEUR_MAX_DEPASSEE@adresse_ligne3_voie',
      'FORMATION_NON_CORRESPONDANTE@code_voeu1',
      'CHAMP_OBLIGATOIRE@code_voeu2',
    ]);
    expect(c.idPlateforme).to.equal(''); // pas de date valide : pas de numéro
  });

  it('ligne 6 : aucun vœu, commune de naissance d’un département inconnu, code postal invalide', () => {
    expect(codes(m(4))).to.have.deep.members([
      'DEPARTEMENT_INCONNU@code_commune_naissance',
      'FORMAT_INVALIDE@adresse_code_postal',
      'CHAMP_OBLIGATOIRE@code_voeu1',
    ]);
  });

  it('ligne 7 : la même personne que la ligne 2 (casse, accents) a le même numéro : le moteur la verra en double', () => {
    const c = m(5);
    expect(codes(c)).to.deep.equal([]);
    expect(c.idPlateforme).to.equal(m(0).idPlateforme);
    expect(opiDe(c).individu.codOpiIntEpo).to.equal('GNVYKIO6KO');
  });
});
