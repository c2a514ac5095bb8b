import { expect } from 'chai';
import { ErreurMetier } from '../../src/domain/errors';
import { etatInitial, transitionPermise, verifierTransition } from '../../src/domain/inscription/etats';
import type { EtatInscription } from '../../src/domain/inscription/types';
import { canoniserLp, conflitsSynonymes } from '../../src/domain/lp/canonique';
import { cleIndividuLp, cleLp, verifierLp, type ContexteReglesLp } from '../../src/domain/lp/regles';
import type { LaissezPasser } from '../../src/generated/laissez-passer';
import { anneeCampagne, aujourdhuiParis } from '../../src/application/horloge';
import { catalogueFixtures } from '../helpers/catalogue';

const ETATS: EtatInscription[] = ['EN_ATTENTE_PAIEMENT', 'PAYEE', 'EXONEREE', 'VALIDEE', 'ANNULEE'];
const PERMISES: [EtatInscription, EtatInscription][] = [
  ['EN_ATTENTE_PAIEMENT', 'PAYEE'],
  ['EN_ATTENTE_PAIEMENT', 'ANNULEE'],
  ['PAYEE', 'VALIDEE'],
  ['PAYEE', 'ANNULEE'],
  ['EXONEREE', 'VALIDEE'],
  ['EXONEREE', 'ANNULEE'],
  ['VALIDEE', 'ANNULEE'],
];

function erreurDe(f: () => void): ErreurMetier {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(ErreurMetier);
    return e as ErreurMetier;
  }
  expect.fail('ErreurMetier attendue');
}

describe('inscription — états (etats.ts)', () => {
  it('etatInitial : 0 dû → EXONEREE, 178 → EN_ATTENTE_PAIEMENT, 0,01 → EN_ATTENTE_PAIEMENT', () => {
    expect(etatInitial(0)).to.equal('EXONEREE');
    expect(etatInitial(178)).to.equal('EN_ATTENTE_PAIEMENT');
    expect(etatInitial(0.01)).to.equal('EN_ATTENTE_PAIEMENT');
  });

  for (const [de, vers] of PERMISES) {
    it(`${de} → ${vers} permise`, () => {
      expect(transitionPermise(de, vers)).to.equal(true);
      expect(() => verifierTransition(de, vers)).not.to.throw();
    });
  }

  it('exactement ces 7 transitions sont permises (matrice complète)', () => {
    const permises = ETATS.flatMap((de) => ETATS.filter((vers) => transitionPermise(de, vers)).map((vers) => `${de}>${vers}`));
    expect(permises.sort()).to.deep.equal(PERMISES.map(([a, b]) => `${a}>${b}`).sort());
  });

  it('EXONEREE → PAYEE interdite : ErreurMetier 409 TRANSITION_INTERDITE à « etat »', () => {
    const e = erreurDe(() => verifierTransition('EXONEREE', 'PAYEE'));
    expect(e.status).to.equal(409);
    expect(e.problemes).to.deep.equal([
      {
        code: 'TRANSITION_INTERDITE',
        path: 'etat',
        message: "Impossible de passer de l'état EXONEREE à PAYEE.",
      },
    ]);
  });

  for (const vers of ETATS) {
    it(`ANNULEE → ${vers} interdite (409)`, () => {
      expect(transitionPermise('ANNULEE', vers)).to.equal(false);
      const e = erreurDe(() => verifierTransition('ANNULEE', vers));
      expect(e.status).to.equal(409);
      expect(e.problemes.map((p) => p.code)).to.deep.equal(['TRANSITION_INTERDITE']);
    });
  }

  for (const [de, vers] of [
    ['EN_ATTENTE_PAIEMENT', 'VALIDEE'],
    ['EN_ATTENTE_PAIEMENT', 'EXONEREE'],
    ['PAYEE', 'EXONEREE'],
    ['VALIDEE', 'PAYEE'],
    ['PAYEE', 'PAYEE'],
  ] as [EtatInscription, EtatInscription][]) {
    it(`${de} → ${vers} interdite (409)`, () => {
      const e = erreurDe(() => verifierTransition(de, vers));
      expect(e.status).to.equal(409);
      expect(e.problemes[0]!.code).to.equal('TRANSITION_INTERDITE');
    });
  }

  it('chemin personnalisé', () => {
    const e = erreurDe(() => verifierTransition('VALIDEE', 'EXONEREE', 'inscriptions[2].etat'));
    expect(e.problemes[0]!.path).to.equal('inscriptions[2].etat');
  });
});

describe('laissez-passer — canoniserLp', () => {
  it('numOPI → codOpiIntEpo (majuscules), typLpa IAPRIMO déduit', () => {
    expect(canoniserLp({ numOPI: 'ec0001', codAnu: '2026', codEtp: 'ldrt1', codVrsVet: 2 })).to.deep.equal({
      codOpiIntEpo: 'EC0001',
      codAnu: '2026',
      codEtp: 'LDRT1',
      codVrsVet: 2,
      typLpa: 'IAPRIMO',
    });
    expect(canoniserLp({ numOpi: ' p26 ' })).to.deep.equal({ codOpiIntEpo: 'P26', typLpa: 'IAPRIMO' });
  });

  it('numOPI "" à côté de codOpiIntEpo : ignoré', () => {
    expect(canoniserLp({ codOpiIntEpo: 'EC1', numOPI: '' })).to.deep.equal({ codOpiIntEpo: 'EC1', typLpa: 'IAPRIMO' });
  });

  it('versions en chaîne de chiffres → entiers ; codAnu nombre → chaîne', () => {
    expect(canoniserLp({ codEtu: '12345678', codAnu: 2026, codEtp: 'LDRT1', codVrsVet: '113', codVrsVdi: ' 113 ' })).to.deep.equal({
      codEtu: '12345678',
      codAnu: '2026',
      codEtp: 'LDRT1',
      codVrsVet: 113,
      codVrsVdi: 113,
      typLpa: 'REINS',
    });
  });

  it('version non convertible laissée telle quelle (le schéma la signalera)', () => {
    expect(canoniserLp({ codVrsVet: '1234567' })).to.deep.equal({ codVrsVet: '1234567' });
    expect(canoniserLp({ codVrsVet: 'v2' })).to.deep.equal({ codVrsVet: 'V2' });
  });

  it('dates JJ/MM/AAAA et JJMMAAAA → ISO ; ISO inchangée ; date invalide laissée', () => {
    const r = canoniserLp({ dateDebutValidite: '01/09/2026', dateFinValidite: '01092026' });
    expect(r).to.deep.equal({ dateDebutValidite: '2026-09-01', dateFinValidite: '2026-09-01' });
    expect(canoniserLp({ dateFinValidite: '2027-06-30' })).to.deep.equal({ dateFinValidite: '2027-06-30' });
    expect(canoniserLp({ dateFinValidite: '31/02/2027' })).to.deep.equal({ dateFinValidite: '31/02/2027' });
  });

  it("typLpa : IAPRIMO avec un numéro d'OPI, REINS avec codEtu seul, absent sans identifiant ou avec INE seul", () => {
    expect((canoniserLp({ codOpiIntEpo: 'EC1', codEtu: '42' }) as { typLpa: string }).typLpa).to.equal('IAPRIMO');
    expect((canoniserLp({ codEtu: '42' }) as { typLpa: string }).typLpa).to.equal('REINS');
    expect(canoniserLp({ codAnu: '2026' })).to.deep.equal({ codAnu: '2026' });
    expect(canoniserLp({ ine: '1234567890V' })).to.deep.equal({ ine: '1234567890V' });
  });

  it('typLpa fourni : gardé (majuscules), pas re-déduit', () => {
    expect(canoniserLp({ codEtu: '42', typLpa: 'iaprimo' })).to.deep.equal({ codEtu: '42', typLpa: 'IAPRIMO' });
  });

  it('chaînes vides et blancs supprimés ; null supprimé', () => {
    expect(canoniserLp({ codAnu: '2026', codRgi: '', codStu: '   ', libCmtLpa: '', mtfCat: null, codEtu: '42' })).to.deep.equal({
      codAnu: '2026',
      codEtu: '42',
      typLpa: 'REINS',
    });
  });

  it('INE : espaces retirés, majuscules', () => {
    expect((canoniserLp({ ine: ' 1234 567 890v ' }) as { ine: string }).ine).to.equal('1234567890V');
  });

  it('entrée non objet rendue telle quelle ; objet vide → {}', () => {
    expect(canoniserLp(null)).to.equal(null);
    expect(canoniserLp('x')).to.equal('x');
    expect(canoniserLp([1])).to.deep.equal([1]);
    expect(canoniserLp({})).to.deep.equal({});
  });

  // Regression: a blank value on one of the two names used to erase the OPI number given by the other.
  it("nil / \"\" / blanc sur l'un des deux noms n'efface pas le numéro d'OPI donné par l'autre", () => {
    const attendu = { codOpiIntEpo: 'EC1', typLpa: 'IAPRIMO' };
    expect(canoniserLp({ codOpiIntEpo: 'EC1', numOPI: null })).to.deep.equal(attendu);
    expect(canoniserLp({ codOpiIntEpo: 'EC1', numOPI: '  ' })).to.deep.equal(attendu);
    expect(canoniserLp({ numOPI: 'EC1', codOpiIntEpo: '' })).to.deep.equal(attendu);
  });
});

describe("laissez-passer — verifierLp (aujourd'hui 2026-11-24)", () => {
  const CTX: ContexteReglesLp = { catalogue: catalogueFixtures(), aujourdHui: '2026-11-24' };
  const valide = (s: Partial<LaissezPasser> = {}): LaissezPasser => ({
    codAnu: '2026',
    codOpiIntEpo: 'EC0001',
    codEtp: 'LDRT1',
    codVrsVet: 2,
    codDip: 'LDRT',
    codVrsVdi: 2,
    codCge: 'DRT',
    codRgi: '1',
    codStu: '01',
    codCatOuiSi: 'RAN',
    mtfCat: 'motif',
    codCatExoExt: 'DN',
    ...s,
  });
  const codes = (lp: LaissezPasser, prefixe?: string) => verifierLp(lp, CTX, prefixe).map((p) => `${p.code}@${p.path}`);

  it('LP de référence → aucun problème', () => {
    expect(verifierLp(valide(), CTX)).to.deep.equal([]);
  });

  it('sans aucun identifiant → IDENTIFIANT_INDIVIDU_MANQUANT à codOpiIntEpo', () => {
    expect(codes(valide({ codOpiIntEpo: undefined }))).to.deep.equal(['IDENTIFIANT_INDIVIDU_MANQUANT@codOpiIntEpo']);
  });

  it('codEtu seul ou INE seul suffit', () => {
    expect(codes(valide({ codOpiIntEpo: undefined, codEtu: '12345678' }))).to.deep.equal([]);
    expect(codes(valide({ codOpiIntEpo: undefined, ine: '1234567890V' })).filter((c) => c.startsWith('IDENTIFIANT'))).to.deep.equal([]);
  });

  for (const an of ['2023', '2028']) {
    it(`codAnu ${an} → ANNEE_UNIVERSITAIRE_INVALIDE (2024 à 2027)`, () => {
      const pbs = verifierLp(valide({ codAnu: an }), CTX);
      expect(pbs).to.deep.equal([
        {
          code: 'ANNEE_UNIVERSITAIRE_INVALIDE',
          path: 'codAnu',
          message: `Année universitaire ${an} hors des années acceptées (2024 à 2027).`,
        },
      ]);
    });
  }
  for (const an of ['2024', '2027']) {
    it(`codAnu ${an} (borne) → accepté`, () => expect(codes(valide({ codAnu: an }))).to.deep.equal([]));
  }

  it('régime 2 non autorisé sur LDRT1 v2 → REGIME_NON_AUTORISE_SUR_ETAPE à codRgi', () => {
    const pbs = verifierLp(valide({ codRgi: '2' }), CTX);
    expect(pbs).to.deep.equal([
      {
        code: 'REGIME_NON_AUTORISE_SUR_ETAPE',
        path: 'codRgi',
        message: "Le régime 2 n'est pas autorisé sur l'étape LDRT1 v2 (autorisés : 1, 3).",
      },
    ]);
  });

  it('régime 2 autorisé sur MINF1 v2 → aucun problème', () => {
    expect(codes(valide({ codEtp: 'MINF1', codDip: 'MINF', codCge: 'SCI', codRgi: '2' }))).to.deep.equal([]);
  });

  it('régime hors service (6) → REGIME_INCONNU seulement', () => {
    expect(codes(valide({ codRgi: '6' }))).to.deep.equal(['REGIME_INCONNU@codRgi']);
  });

  it('codes inconnus → erreur de la nomenclature au bon chemin', () => {
    expect(codes(valide({ codStu: '99', codCatOuiSi: 'ZZZ', codCatExoExt: 'ZZ', codCge: 'ZZZ' })).sort()).to.deep.equal([
      'CATEGORIE_OUI_SI_INCONNUE@codCatOuiSi',
      'CGE_INCONNU@codCge',
      'SITUATION_DROITS_INCONNUE@codCatExoExt',
      'STATUT_INCONNU@codStu',
    ]);
  });

  it('étape hors service (LDRT1 v1) → ETAPE_INCONNUE, pas de contrôle de régime', () => {
    expect(codes(valide({ codVrsVet: 1, codVrsVdi: undefined, codDip: undefined, codRgi: '2' }))).to.deep.equal(['ETAPE_INCONNUE@codEtp']);
  });

  it('fin de validité avant le début → PERIODE_VALIDITE_INCOHERENTE à dateFinValidite', () => {
    expect(codes(valide({ dateDebutValidite: '2026-10-01', dateFinValidite: '2026-09-30' }))).to.deep.equal(['PERIODE_VALIDITE_INCOHERENTE@dateFinValidite']);
    expect(codes(valide({ dateDebutValidite: '2026-10-01', dateFinValidite: '2026-10-01' }))).to.deep.equal([]);
  });

  it('chemins préfixés (laissezPasser[3].…)', () => {
    const lp = valide({ codOpiIntEpo: undefined, codAnu: '2030', codEtp: 'NOPE1', codRgi: '2' });
    expect(codes(lp, 'laissezPasser[3]').sort()).to.deep.equal([
      'ANNEE_UNIVERSITAIRE_INVALIDE@laissezPasser[3].codAnu',
      'ETAPE_INCONNUE@laissezPasser[3].codEtp',
      'IDENTIFIANT_INDIVIDU_MANQUANT@laissezPasser[3].codOpiIntEpo',
    ]);
    expect(codes(valide({ codRgi: '2' }), 'laissezPasser[3]')).to.deep.equal(['REGIME_NON_AUTORISE_SUR_ETAPE@laissezPasser[3].codRgi']);
  });
});

describe('laissez-passer — cleLp / cleIndividuLp', () => {
  const base = { codAnu: '2026', codEtp: 'LDRT1', codVrsVet: 2 };
  it('priorité OPI > numéro étudiant > INE', () => {
    expect(cleLp({ ...base, codOpiIntEpo: 'EC1', codEtu: '42', ine: '1234567890V' })).to.equal('OPI:EC1|2026|LDRT1|2');
    expect(cleLp({ ...base, codEtu: '42', ine: '1234567890V' })).to.equal('ETU:42|2026|LDRT1|2');
    expect(cleLp({ ...base, ine: '1234567890V' })).to.equal('INE:1234567890V|2026|LDRT1|2');
    expect(cleLp(base)).to.equal('INE:|2026|LDRT1|2');
  });
  it('cleIndividuLp', () => {
    expect(cleIndividuLp({ codOpiIntEpo: 'EC1', codEtu: '42' })).to.equal('OPI:EC1');
    expect(cleIndividuLp({ codEtu: '42' })).to.equal('ETU:42');
  });
});

describe('horloge — anneeCampagne / aujourdhuiParis', () => {
  it("à partir de mars : l'année qui commence en septembre", () => {
    expect(anneeCampagne('2026-11-24')).to.equal('2026');
    expect(anneeCampagne('2027-03-01')).to.equal('2027');
    expect(anneeCampagne('2026-12-31')).to.equal('2026');
  });
  it("janvier-février : l'année en cours", () => {
    expect(anneeCampagne('2027-02-10')).to.equal('2026');
    expect(anneeCampagne('2027-01-01')).to.equal('2026');
    expect(anneeCampagne('2027-02-28')).to.equal('2026');
  });
  it('valeur forcée prioritaire ; vide ignorée', () => {
    expect(anneeCampagne('2027-02-10', '2030')).to.equal('2030');
    expect(anneeCampagne('2026-11-24', '2025')).to.equal('2025');
    expect(anneeCampagne('2026-11-24', '')).to.equal('2026');
  });
  it('aujourdhuiParis : le jour calendaire à Paris', () => {
    expect(aujourdhuiParis(new Date('2026-12-31T23:30:00Z'))).to.equal('2027-01-01');
    expect(aujourdhuiParis(new Date('2026-06-30T22:30:00Z'))).to.equal('2026-07-01');
    expect(aujourdhuiParis(new Date('2026-06-30T21:59:00Z'))).to.equal('2026-06-30');
  });
});

describe('laissez-passer — synonymes contradictoires', () => {
  it("numOPI et codOpiIntEpo différents sont signalés ; égaux (casse près) ou l'un vide, non", () => {
    expect(conflitsSynonymes({ numOPI: 'EC1', codOpiIntEpo: 'EC2' })).to.deep.equal([{ champ: 'codOpiIntEpo', valeurs: ['EC1', 'EC2'] }]);
    expect(conflitsSynonymes({ numOPI: 'ec1', codOpiIntEpo: 'EC1' })).to.deep.equal([]);
    expect(conflitsSynonymes({ numOPI: '', codOpiIntEpo: 'EC1' })).to.deep.equal([]);
    expect(conflitsSynonymes('x')).to.deep.equal([]);
  });
});

describe('laissez-passer — numéro étudiant', () => {
  it('les zéros de tête ne font pas un autre étudiant (COD_ETU est un nombre)', () => {
    expect(canoniserLp({ codEtu: '00012345', codAnu: '2026' })).to.deep.include({ codEtu: '12345', typLpa: 'REINS' });
    expect(cleIndividuLp(canoniserLp({ codEtu: '00012345' }) as LaissezPasser)).to.equal(cleIndividuLp(canoniserLp({ codEtu: '12345' }) as LaissezPasser));
  });
});
