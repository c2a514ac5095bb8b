/**
 * Parcoursup → canonical OPI (pure): the web services' JSON (push body, 2019 top-level variant, pull
 * item; any case, known misspellings) and the gestion site's CSV export, on the samples of
 * fixtures/parcoursup/. Every good sample gives an OPI the schema and the rules accept; every bad one
 * a stable code on the Parcoursup field or column.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { candidatParcoursup, codeBacParcoursup, donneesCandidat, FORMAT_PARCOURSUP_CSV } from '../../src/adapters/platforms/parcoursup';
import { messageAdmission, messageRefus } from '../../src/adapters/platforms/admission-parcoursup';
import { lireEntete, lireLignes } from '../../src/adapters/batch/lecteurs';
import { problemesSchema } from '../../src/application/validation';
import { cheminEnColonne } from '../../src/application/jobs/import-opi';
import { ErreurConfiguration, lireConfig } from '../../src/config';
import { ErreurMetier, probleme } from '../../src/domain/errors';
import { canoniserOpi } from '../../src/domain/opi/canonique';
import { verifierOpi } from '../../src/domain/opi/regles';
import type { DonneesOpi } from '../../src/generated/opi';
import { catalogueFixtures } from '../helpers/catalogue';
import { RACINE } from '../helpers/passerelle';

const DOSSIER = path.join(RACINE, 'fixtures', 'parcoursup');
const echantillon = (nom: string): Record<string, any> => JSON.parse(readFileSync(path.join(DOSSIER, nom), 'utf8'));
const cat = catalogueFixtures();
const ctx = { catalogue: cat, codAnu: '2026' };
const AUJOURDHUI = '2026-12-01';

/** `CODE@path` of each problem. */
const codes = (ps: { code: string; path: string }[]) => ps.map((p) => `${p.code}@${p.path}`);

/** What the schema and the rules say of a mapped OPI (after the canonical form every door applies). */
function verifier(opi: Record<string, unknown> | undefined): string[] {
  const canonique = canoniserOpi(opi);
  const schema = problemesSchema('opi', canonique);
  if (schema.length) return codes(schema);
  return codes(verifierOpi(canonique as DonneesOpi, { catalogue: cat, aujourdHui: AUJOURDHUI }));
}

const BONS = [
  'admission-ok.json',
  'admission-accents.json',
  'admission-ne-a-l-etranger.json',
  'admission-sans-ine.json',
  'admission-champs-mal-orthographies.json',
  'admission-variante-2019.json',
];

describe('Parcoursup — candidat JSON → OPI canonique', () => {
  for (const nom of BONS) {
    it(`${nom} : aucun problème de correspondance, et l'OPI passe le schéma et les règles`, () => {
      const m = candidatParcoursup(echantillon(nom), ctx);
      expect(codes(m.problemes)).to.deep.equal([]);
      expect(m.plateforme).to.equal('parcoursup');
      expect(verifier(m.opi)).to.deep.equal([]);
    });
  }

  it("admission-ok : l'OPI complète (numéro P + année + 7 chiffres, 99xxx → xxx, jj/mm/aaaa → ISO, un vœu favorable)", () => {
    const m = candidatParcoursup(echantillon('admission-ok.json'), ctx);
    expect(m.idPlateforme).to.equal('1234567');
    expect(m.opi).to.deep.equal({
      individu: {
        codOpiIntEpo: 'P261234567',
        etatCivil: { libNomPatIndOpi: 'Martin', libPr1IndOpi: 'Camille', codNneIndOpi: '1234567890V', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2008-05-14',
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codComNaiEtuOpi: '35238',
          codTypDepPayNai: 'D',
          codDepPayNai: '035',
        },
        donneesPersonnelles: { adrMailOpi: 'camille.martin@example.org', numTelPorOpi: '06 12 34 56 78' },
      },
      adresseFixe: { lib1: '12 rue de la Monnaie', codPay: '100', codBdi: '35000', codCom: '35238', numTel: '02 99 12 34 56' },
      bac: { codBac: 'BACG', daaObtBacOba: '2026', codMention: 'B', codEtb: '0350042F' },
      voeux: [{ numCls: 1, codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDip: 'LDRT', codVrsVdi: 2, codDecVeu: 'F', codDemDos: 'C' }],
    });
    // Schema and rule problems are named by the Parcoursup field they come from.
    expect(m.colonnes).to.include({
      'individu.codOpiIntEpo': 'codeCandidat',
      'individu.etatCivil.libNomPatIndOpi': 'nom',
      'individu.donneesNaissance.dateNaiIndOpi': 'dateNaissance',
      'individu.donneesNaissance.codDepPayNai': 'codeCommuneNaissance',
      'adresseFixe.codBdi': 'codepostal',
      'bac.codBac': 'serieBac',
      voeux: 'codeFormationPsup',
    });
    expect(cheminEnColonne(probleme('ETAPE_INCONNUE', 'voeux[0].codEtp'), m.colonnes).path).to.equal('codeFormationPsup');
    expect(cheminEnColonne(probleme('DEPARTEMENT_INCONNU', 'individu.donneesNaissance.codDepPayNai'), m.colonnes).path).to.equal('codeCommuneNaissance');
  });

  it('accents et Corse : noms gardés tels quels, 2A004 → département 02A, mention « avec félicitations » → TB, situation 2 → vœu', () => {
    const opi = candidatParcoursup(echantillon('admission-accents.json'), ctx).opi as any;
    expect(opi.individu.etatCivil).to.include({ libNomPatIndOpi: "N'Diaye-Lefèvre", libPr1IndOpi: 'Noémie' });
    expect(opi.individu.donneesNaissance).to.include({ codComNaiEtuOpi: '2A004', codTypDepPayNai: 'D', codDepPayNai: '02A' });
    expect(opi.adresseFixe).to.include({ codCom: '2B033', codBdi: '20200', lib2: 'Résidence « Les Îles »' });
    expect(opi.bac).to.include({ codBac: 'STMG', codMention: 'TB' });
    expect(opi.voeux[0]).to.include({ codEtp: 'LECG1', codCge: 'ECO', codDecVeu: 'F' });
  });

  it("né(e) à l'étranger : type P et le pays (99350 → 350), ville de naissance ; adresse étrangère dans libAde", () => {
    const m = candidatParcoursup(echantillon('admission-ne-a-l-etranger.json'), ctx);
    const opi = m.opi as any;
    expect(opi.individu.donneesNaissance).to.deep.equal({
      dateNaiIndOpi: '2008-01-30',
      temDateNaiRelOpi: 'N',
      codPayNat: '350',
      codTypDepPayNai: 'P',
      codDepPayNai: '350',
      libVilNaiEtuOpi: 'Casablanca',
    });
    expect(opi.adresseFixe).to.deep.equal({ lib1: '10 avenue Hassan II', codPay: '350', libAde: '10000 Rabat' });
    expect(m.colonnes['individu.donneesNaissance.codDepPayNai']).to.equal('codePaysNaissance');
    // A phone longer than 15 characters loses its spaces (the shared rule of the platform mappers).
    expect(opi.individu.donneesPersonnelles.numTelPorOpi).to.equal('+212661234567');
  });

  it('sans INE : pas de codNneIndOpi ; né(e) en Guadeloupe (97120) → département 971', () => {
    const opi = candidatParcoursup(echantillon('admission-sans-ine.json'), ctx).opi as any;
    expect(opi.individu.etatCivil).to.not.have.property('codNneIndOpi');
    expect(opi.individu.donneesNaissance).to.include({ codTypDepPayNai: 'D', codDepPayNai: '971' });
    expect(opi.bac).to.include({ codBac: 'STI2', codMention: 'P' });
  });

  it("clés en toute casse, « codepostale », « libellecommune » : la même OPI qu'avec l'orthographe de référence ; problèmes nommés comme reçus", () => {
    const brut = echantillon('admission-champs-mal-orthographies.json');
    const m = candidatParcoursup(brut, ctx);
    const opi = m.opi as any;
    expect(opi.individu.codOpiIntEpo).to.equal('P261234571');
    expect(opi.adresseFixe).to.include({ codBdi: '35000', codCom: '35238' });
    expect(opi.bac).to.include({ daaObtBacOba: '2026', codMention: 'TB' });
    expect(m.colonnes).to.include({ 'adresseFixe.codBdi': 'codepostale', 'individu.etatCivil.libNomPatIndOpi': 'NOM', voeux: 'CodeFormationPsup' });
    // The credentials are not candidate data (nor what the journal hashes).
    expect(donneesCandidat(brut)).to.not.have.property('Identifiant');
    const mauvais = candidatParcoursup({ ...brut, DonneesCandidat: { ...brut.DonneesCandidat, DateNaissance: '2008-03-17x' } }, ctx);
    expect(codes(mauvais.problemes)).to.deep.equal(['DATE_INVALIDE@DateNaissance']);
  });

  it('variante 2019 (champs à la racine, à côté de identifiant) : la même OPI que dans donneesCandidat', () => {
    const { identifiant, ...champs } = echantillon('admission-variante-2019.json');
    const racine = candidatParcoursup({ identifiant, ...champs }, ctx);
    const enveloppe = candidatParcoursup({ identifiant, donneesCandidat: champs }, ctx);
    expect(racine.opi).to.deep.equal(enveloppe.opi);
    expect((racine.opi as any).individu.codOpiIntEpo).to.equal('P261234572');
    // A pulled item (getCandidatsAdmis) is the same shape without identifiant.
    expect(candidatParcoursup(champs, ctx).opi).to.deep.equal(enveloppe.opi);
  });

  const mauvais: [string, string[]][] = [
    ['admission-formation-inconnue.json', ['FORMATION_NON_CORRESPONDANTE@codeFormationPsup']],
    ['admission-date-invalide.json', ['DATE_INVALIDE@dateNaissance']],
    ['admission-serie-inconnue.json', ['BAC_INCONNU@serieBac']],
  ];
  for (const [nom, attendus] of mauvais) {
    it(`${nom} → ${attendus.join(', ')}`, () => {
      const m = candidatParcoursup(echantillon(nom), ctx);
      expect(codes(m.problemes)).to.deep.equal(attendus);
      expect(m.problemes[0].message).to.match(/^[A-ZÀ-ÖÉ]/);
    });
  }

  const base = () => structuredClone(echantillon('admission-ok.json').donneesCandidat);
  const cas: [string, (c: Record<string, unknown>) => void, string[]][] = [
    [
      'tous les problèmes de la correspondance en une passe',
      (c) => {
        c.dateNaissance = '31/02/2008';
        c.serieBac = 'Série Z';
        c.mentionBac = 'Excellent';
        c.sexe = 'X';
        c.codePaysNationalite = '99999';
        c.nom = 'N'.repeat(31);
      },
      [
        'LONGUEUR_MAX_DEPASSEE@nom',
        'SEXE_INCONNU@sexe',
        'DATE_INVALIDE@dateNaissance',
        'PAYS_INCONNU@codePaysNationalite',
        'BAC_INCONNU@serieBac',
        'MENTION_BAC_INCONNUE@mentionBac',
      ],
    ],
    ['codeCandidat absent', (c) => delete c.codeCandidat, ['CHAMP_OBLIGATOIRE@codeCandidat']],
    ['codeCandidat de plus de 7 chiffres', (c) => (c.codeCandidat = 12345678), ['NUMERO_CANDIDAT_INVALIDE@codeCandidat']],
    ['codeFormationPsup absent', (c) => delete c.codeFormationPsup, ['CHAMP_OBLIGATOIRE@codeFormationPsup']],
    ['formation fermée (correspondance hors service)', (c) => (c.codeFormationPsup = 12399), ['FORMATION_NON_CORRESPONDANTE@codeFormationPsup']],
    ['codepostal et codepostale différents', (c) => (c.codepostale = '35700'), ['SYNONYMES_CONTRADICTOIRES@codepostal']],
    ['codeSituation hors 0–3', (c) => (c.codeSituation = 7), ['VALEUR_NON_AUTORISEE@codeSituation']],
    [
      'commune de naissance française avec un pays de naissance étranger',
      (c) => (c.codePaysNaissance = '99350'),
      ['LIEU_NAISSANCE_INCOHERENT@codeCommuneNaissance'],
    ],
    ['commune de naissance mal formée', (c) => (c.codeCommuneNaissance = '3523'), ['FORMAT_INVALIDE@codeCommuneNaissance']],
    ['INE à clé fausse', (c) => (c.ine = '1234567890A'), ['INE_CLE_INVALIDE@ine']],
    ['UAI du lycée à clé fausse', (c) => (c.codeEtablissementSco = '0350042A'), ['UAI_INVALIDE@codeEtablissementSco']],
    ['un objet là où un texte est attendu', (c) => (c.nom = { valeur: 'Martin' }), ['TYPE_INVALIDE@nom', 'CHAMP_OBLIGATOIRE@nom']],
  ];
  for (const [titre, modifier, attendus] of cas) {
    it(`${titre} → ${attendus.join(', ')}`, () => {
      const c = base();
      modifier(c);
      expect(codes(candidatParcoursup({ donneesCandidat: c }, ctx).problemes)).to.deep.equal(attendus);
    });
  }

  it('proposition en attente (0) ou refusée / démission (3) : OPI sans vœu (voeux: [], ceux enregistrés sont retirés), formation non exigée', () => {
    for (const situation of [0, 3, '3']) {
      const c = base();
      c.codeSituation = situation;
      delete c.codeFormationPsup;
      const m = candidatParcoursup({ donneesCandidat: c }, ctx);
      expect(m.problemes).to.deep.equal([]);
      expect((m.opi as any).voeux).to.deep.equal([]);
    }
  });

  it("commune de naissance INSEE 99xxx sans pays : c'est le pays de naissance (type P)", () => {
    const c = base();
    delete c.codePaysNaissance;
    c.codeCommuneNaissance = '99131';
    const m = candidatParcoursup({ donneesCandidat: c }, ctx);
    expect(m.problemes).to.deep.equal([]);
    expect((m.opi as any).individu.donneesNaissance).to.include({ codTypDepPayNai: 'P', codDepPayNai: '131' });
    expect((m.opi as any).individu.donneesNaissance).to.not.have.property('codComNaiEtuOpi');
  });

  it("séries du bac : table nationale, code de la nomenclature tel quel, et `seriesParcoursup` d'un établissement (prioritaire)", () => {
    expect(codeBacParcoursup(cat, 'Générale')).to.equal('BACG');
    expect(codeBacParcoursup(cat, 'sti2d')).to.equal('STI2');
    expect(codeBacParcoursup(cat, 'STD2A')).to.equal('ST2A');
    expect(codeBacParcoursup(cat, '0021')).to.equal('0021');
    expect(codeBacParcoursup(cat, 'Professionnelle')).to.equal(undefined);
    const propre = catalogueFixtures((d) => {
      const pro = d.bacs.find((b) => b.code === '0022')!;
      pro.seriesParcoursup = ['Professionnelle', 'Bac pro'];
    });
    expect(codeBacParcoursup(propre, 'professionnelle')).to.equal('0022');
    const c = base();
    c.serieBac = 'Bac Pro';
    expect((candidatParcoursup({ donneesCandidat: c }, { ...ctx, catalogue: propre }).opi as any).bac.codBac).to.equal('0022');
  });

  it('ni objet ni candidat : TYPE_INVALIDE sur donneesCandidat', () => {
    for (const brut of [null, 'texte', [1, 2]]) {
      const m = candidatParcoursup(brut, ctx);
      expect(codes(m.problemes)).to.deep.equal(['TYPE_INVALIDE@donneesCandidat']);
      expect(m.opi).to.equal(undefined);
    }
  });

  it('les messages rendus à Parcoursup : OPI et issue, ou chaque raison avec son code et le champ Parcoursup', () => {
    expect(messageAdmission({ resultat: 'CREE', codOpiIntEpo: 'P261234567', version: 1, avertissements: [], voeux: [] })).to.equal('OPI P261234567 créée');
    expect(
      messageAdmission({
        resultat: 'MIS_A_JOUR',
        codOpiIntEpo: 'P261234567',
        version: 2,
        avertissements: [probleme('DOUBLON_INE', 'individu', { autre: 'EC24000001' })],
        voeux: [],
      }),
    ).to.equal("OPI P261234567 mise à jour ; avertissement(s) : DOUBLON_INE Doublon possible : le même INE est porté par l'OPI EC24000001.");
    const m = candidatParcoursup(echantillon('admission-ok.json'), ctx);
    const e = new ErreurMetier([
      probleme('DATE_NAISSANCE_INVRAISEMBLABLE', 'individu.donneesNaissance.dateNaiIndOpi'),
      probleme('BAC_INCONNU', 'serieBac', { code: 'Z' }),
    ]);
    expect(messageRefus(e, m.colonnes, 'P261234567')).to.equal(
      "OPI P261234567 refusée : DATE_NAISSANCE_INVRAISEMBLABLE [dateNaissance] Date de naissance invraisemblable : l'âge doit être compris entre 10 et 100 ans. ; BAC_INCONNU [serieBac] Bac ou équivalence inconnu ou hors service : Z.",
    );
  });
});

describe('Parcoursup — export CSV du site de gestion (parcoursup-csv)', () => {
  const FICHIER = path.join(DOSSIER, 'gestion-export.csv');
  const lignes = async (formationFichier?: Record<string, unknown>) => {
    const sortie: { num: number; m: ReturnType<typeof FORMAT_PARCOURSUP_CSV.mapper> }[] = [];
    for await (const l of lireLignes(FICHIER, { format: 'csv', colonnes: FORMAT_PARCOURSUP_CSV.colonnes })) {
      sortie.push({ num: l.numLigne, m: FORMAT_PARCOURSUP_CSV.mapper(l.valeurs, { ...ctx, formationFichier }) });
    }
    return sortie;
  };

  it("l'en-tête (UTF-8 avec BOM, « ; ») est entièrement reconnu, colonnes obligatoires comprises", async () => {
    const entete = await lireEntete(FICHIER, { format: 'csv', colonnes: FORMAT_PARCOURSUP_CSV.colonnes });
    expect(entete.inconnues).to.deep.equal([]);
    expect(entete.colonnes[0]).to.equal('Numéro candidat');
    for (const c of FORMAT_PARCOURSUP_CSV.colonnesObligatoires) expect(entete.colonnes).to.include(c);
    expect(FORMAT_PARCOURSUP_CSV).to.include({ nom: 'parcoursup-csv', plateforme: 'parcoursup' });
  });

  it('bonnes lignes → OPI valides (libellés de pays et de nationalité, civilité M./Mme) ; mauvaises → problèmes nommés par colonne', async () => {
    const l = await lignes({ codeFormationPsup: '12345' });
    expect(l.map((x) => [x.num, codes(x.m.problemes)])).to.deep.equal([
      [2, []],
      [3, []],
      [4, ['DATE_INVALIDE@Date de naissance']],
      [5, ['BAC_INCONNU@Série diplôme']],
      [6, ['SEXE_INCONNU@Civilité', 'PAYS_INCONNU@Nationalité']],
    ]);
    const [lea, karim] = l.map((x) => x.m.opi as any);
    expect(lea.individu).to.deep.include({ codOpiIntEpo: 'P262000001' });
    expect(lea.individu.etatCivil).to.include({ codSexEtuOpi: 'F', libPr1IndOpi: 'Léa', codNneIndOpi: '0000000003D' });
    // Born in France with no commune code in the export: neither type nor département (rather than D without its département).
    expect(lea.individu.donneesNaissance).to.deep.equal({ dateNaiIndOpi: '2008-02-03', temDateNaiRelOpi: 'N', codPayNat: '100', libVilNaiEtuOpi: 'Rennes' });
    expect(lea.adresseFixe).to.deep.equal({ lib1: '5 place de la Mairie', codPay: '100', codBdi: '35000', libAde: 'Rennes' });
    expect(lea.voeux).to.have.length(1);
    expect(karim.individu.donneesNaissance).to.include({ codPayNat: '350', codTypDepPayNai: 'P', codDepPayNai: '350', libVilNaiEtuOpi: 'Rabat' });
    expect(karim.individu.etatCivil.codSexEtuOpi).to.equal('M');
    expect(karim.adresseFixe).to.deep.equal({ lib1: '10 avenue Hassan II', codPay: '350', libAde: '10000 Rabat' });
    for (const x of l.slice(0, 2)) expect(verifier(x.m.opi)).to.deep.equal([]);
    expect(l[0].m.colonnes).to.include({ 'individu.etatCivil.codSexEtuOpi': 'Civilité', 'bac.codBac': 'Série diplôme', voeux: 'codeFormationPsup' });
  });

  it('la formation du fichier : code Parcoursup, ou étape (et version) ; sans formation, chaque ligne le dit', async () => {
    const parEtape = await lignes({ codEtp: 'LECG1' });
    expect((parEtape[0].m.opi as any).voeux[0]).to.include({ codEtp: 'LECG1', codVrsVet: 2, codCge: 'ECO' });
    expect(parEtape[0].m.colonnes.voeux).to.equal('codEtp');
    const parVersion = await lignes({ codEtp: 'LMAT1', codVrsVet: 2 });
    expect((parVersion[0].m.opi as any).voeux[0]).to.include({ codEtp: 'LMAT1', codCge: 'SCI' });
    expect(codes((await lignes({ codEtp: 'LMAT1', codVrsVet: 9 }))[0].m.problemes)).to.deep.equal(['ETAPE_INCONNUE@codEtp']);
    expect(codes((await lignes())[0].m.problemes)).to.deep.equal(['CHAMP_OBLIGATOIRE@codeFormationPsup']);
    expect(codes((await lignes({ codeFormationPsup: '424242' }))[0].m.problemes)).to.deep.equal(['FORMATION_NON_CORRESPONDANTE@codeFormationPsup']);
  });
});

describe('Parcoursup — configuration (PARCOURSUP_CLIENTS, PARCOURSUP_INTERVALLE)', () => {
  const erreur = (env: NodeJS.ProcessEnv): string => {
    try {
      lireConfig(env);
    } catch (e) {
      expect(e).to.be.instanceOf(ErreurConfiguration);
      return (e as Error).message;
    }
    throw new Error('aucune erreur');
  };

  it('PARCOURSUP_CLIENTS=login:mot de passe,… lu comme API_KEYS ; absent = aucun client (la porte refuse tout)', () => {
    expect(lireConfig({}).clientsParcoursup.size).to.equal(0);
    const c = lireConfig({ PARCOURSUP_CLIENTS: 'psup-prod:mot-de-passe-tres-long, psup-test:autre-mot-de-passe-long' });
    expect([...c.clientsParcoursup]).to.deep.equal([
      ['psup-prod', 'mot-de-passe-tres-long'],
      ['psup-test', 'autre-mot-de-passe-long'],
    ]);
    const court = erreur({ PARCOURSUP_CLIENTS: 'psup:court' });
    expect(court).to.equal(
      "Configuration invalide : PARCOURSUP_CLIENTS : l'entrée n° 1 (login psup) doit être login:mot de passe, login en [A-Za-z0-9_.@-], mot de passe d'au moins 16 caractères.",
    );
    expect(erreur({ PARCOURSUP_CLIENTS: 'psup=S3cretS3cretS3cret' })).to.not.include('S3cret');
    expect(erreur({ PARCOURSUP_CLIENTS: 'a:0123456789abcdef,a:fedcba9876543210' })).to.equal(
      'Configuration invalide : PARCOURSUP_CLIENTS : login a en double.',
    );
    // API_KEYS keeps its own wording.
    expect(erreur({ API_KEYS: 'a:court' })).to.match(/API_KEYS : l'entrée n° 1 \(client a\) doit être client:clé/);
  });

  it('PARCOURSUP_INTERVALLE : vide ou 0 = pas de tirage ; sinon des minutes, et le compte Parcoursup (PARCOURSUP_URL…) est exigé', () => {
    expect(lireConfig({}).intervalleParcoursup).to.equal(undefined);
    expect(lireConfig({ PARCOURSUP_INTERVALLE: '0' }).intervalleParcoursup).to.equal(undefined);
    expect(erreur({ PARCOURSUP_INTERVALLE: '30' })).to.include('PARCOURSUP_INTERVALLE=30 demande le compte des services web Parcoursup');
    expect(erreur({ PARCOURSUP_INTERVALLE: 'souvent' })).to.include('PARCOURSUP_INTERVALLE');
    const c = lireConfig({
      PARCOURSUP_INTERVALLE: '30',
      PARCOURSUP_URL: 'https://ws.parcoursup.example/ApiRest',
      PARCOURSUP_LOGIN: 'univ-demo',
      PARCOURSUP_MOT_DE_PASSE: 'secret',
      PARCOURSUP_UAI: '0352235P',
    });
    expect(c.intervalleParcoursup).to.equal(30);
  });
});
