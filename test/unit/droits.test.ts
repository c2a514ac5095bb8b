import { expect } from 'chai';
import type { Source, ValeurResolue } from '../../src/domain/acces';
import { auCentime, calculerDroits, cvecValide, euros, normaliserCvec, type EntreeCalcul } from '../../src/domain/inscription/droits';
import { catalogueFixtures } from '../helpers/catalogue';

const catalogue = catalogueFixtures();
const NNBSP = '\u202f';

const v = (valeur: string | null, source: Source | null = valeur === null ? null : 'OPI_VOEU'): ValeurResolue => ({ valeur, source });

/** Entrée type : L1 Droit 2026, française, régime 1 (formation initiale), statut 01, sans situation droits. */
function entree(surcharge: Partial<Omit<EntreeCalcul, 'valeurs'>> & { valeurs?: Partial<EntreeCalcul['valeurs']> } = {}): EntreeCalcul {
  const { valeurs, ...reste } = surcharge;
  return {
    codAnu: '2026',
    codEtp: 'LDRT1',
    codVrsVet: 2,
    codPayNat: '100',
    boursier: false,
    profilExonerant: null,
    ...reste,
    valeurs: { codRgi: v('1'), codStu: v('01', 'OPI_INDIVIDU'), codCatOuiSi: v(null), codCatExoExt: v(null), ...valeurs },
  };
}

const calcul = (s: Parameters<typeof entree>[0] = {}) => calculerDroits(entree(s), catalogue);
const MAROC = '350';

describe('droits — montants de base (catalogue livré, 2026)', () => {
  it("licence, française, FI → NATIONAL 178, rien d'exonéré, CVEC due 105 €", () => {
    const r = calcul();
    expect(r.problemes).to.deep.equal([]);
    expect(r.droits).to.deep.equal({
      niveau: 'LICENCE',
      montantBase: 178,
      montantDu: 178,
      tarif: 'NATIONAL',
      exoneration: { type: 'AUCUNE', motif: null, source: null },
    });
    expect(r.cvec).to.deep.equal({
      requise: true,
      montant: 105,
      paiementExonere: false,
      motif: 'formation initiale : CVEC due, attestation requise',
    });
  });

  it('master (M1 Informatique) → NATIONAL 254', () => {
    const r = calcul({ codEtp: 'MINF1' });
    expect(r.droits.niveau).to.equal('MASTER');
    expect(r.droits.tarif).to.equal('NATIONAL');
    expect(r.droits.montantBase).to.equal(254);
    expect(r.droits.montantDu).to.equal(254);
  });

  it('ressortissant UE (Danemark) → NATIONAL 178', () => {
    const r = calcul({ codPayNat: '101' });
    expect(r.droits.tarif).to.equal('NATIONAL');
    expect(r.droits.montantDu).to.equal(178);
  });

  it('hors UE (Maroc), licence, sans situation → DIFFERENCIE 2895', () => {
    const r = calcul({ codPayNat: MAROC });
    expect(r.droits).to.deep.equal({
      niveau: 'LICENCE',
      montantBase: 2895,
      montantDu: 2895,
      tarif: 'DIFFERENCIE',
      exoneration: { type: 'AUCUNE', motif: null, source: null },
    });
    expect(r.explication).to.include(`Nationalité 350 (Maroc) hors UE/EEE/Suisse : droits différenciés LICENCE 2026 2${NNBSP}895,00 €.`);
  });

  it('hors UE, master → DIFFERENCIE 3941', () => {
    const r = calcul({ codPayNat: MAROC, codEtp: 'MINF1' });
    expect(r.droits.tarif).to.equal('DIFFERENCIE');
    expect(r.droits.montantDu).to.equal(3941);
  });

  it('hors UE + situation DD → DIFFERENCIE 2895', () => {
    const r = calcul({ codPayNat: MAROC, valeurs: { codCatExoExt: v('DD') } });
    expect(r.droits.tarif).to.equal('DIFFERENCIE');
    expect(r.droits.montantDu).to.equal(2895);
    expect(r.droits.exoneration.type).to.equal('AUCUNE');
  });

  it('hors UE + situation EXDD → NATIONAL 178, exonération DROITS_DIFFERENCIES (source : vœu)', () => {
    const r = calcul({ codPayNat: MAROC, valeurs: { codCatExoExt: v('EXDD') } });
    expect(r.droits).to.deep.equal({
      niveau: 'LICENCE',
      montantBase: 178,
      montantDu: 178,
      tarif: 'NATIONAL',
      exoneration: {
        type: 'DROITS_DIFFERENCIES',
        motif: 'Exonération des droits différenciés (décision établissement)',
        source: "vœu d'OPI",
      },
    });
  });

  it('hors UE + situation EXDD venue du LP → source « laissez-passer »', () => {
    const r = calcul({ codPayNat: MAROC, valeurs: { codCatExoExt: v('EXDD', 'LP') } });
    expect(r.droits.exoneration.source).to.equal('laissez-passer');
  });

  it('hors UE + situation RF (effet DROITS_NATIONAUX) → NATIONAL 178, exonération AUCUNE', () => {
    const r = calcul({ codPayNat: MAROC, valeurs: { codCatExoExt: v('RF') } });
    expect(r.droits).to.deep.equal({
      niveau: 'LICENCE',
      montantBase: 178,
      montantDu: 178,
      tarif: 'NATIONAL',
      exoneration: { type: 'AUCUNE', motif: null, source: null },
    });
    expect(r.explication).to.include(
      'Nationalité 350 (Maroc) hors UE/EEE/Suisse, droits nationaux par la situation droits RF (Réfugié ou bénéficiaire de la protection subsidiaire) : 178,00 €.',
    );
  });

  it('hors UE, doctorat → NATIONAL 397 (pas de montant différencié à ce niveau)', () => {
    const r = calcul({ codPayNat: MAROC, codEtp: 'DOCT1', codVrsVet: 1 });
    expect(r.droits).to.deep.equal({
      niveau: 'DOCTORAT',
      montantBase: 397,
      montantDu: 397,
      tarif: 'NATIONAL',
      exoneration: { type: 'AUCUNE', motif: null, source: null },
    });
    expect(r.explication).to.include('Niveau DOCTORAT 2026 : droits nationaux 397,00 €.');
  });

  it('hors UE + profil RF (exonère des droits différenciés, pas des droits) → NATIONAL 178 dus, CVEC exonérée', () => {
    const r = calcul({ codPayNat: MAROC, profilExonerant: 'RF' });
    expect(r.droits.tarif).to.equal('NATIONAL');
    expect(r.droits.montantDu).to.equal(178);
    expect(r.droits.exoneration).to.deep.equal({
      type: 'DROITS_DIFFERENCIES',
      motif: 'Réfugié ou bénéficiaire de la protection subsidiaire',
      source: 'profil exonérant',
    });
    expect(r.cvec.paiementExonere).to.equal(true);
  });
});

describe('droits — exonérations', () => {
  it('boursier → montantDu 0, TOTALE (source boursier), CVEC requise mais paiement exonéré', () => {
    const r = calcul({ boursier: true });
    expect(r.droits).to.deep.equal({
      niveau: 'LICENCE',
      montantBase: 178,
      montantDu: 0,
      tarif: 'NATIONAL',
      exoneration: { type: 'TOTALE', motif: 'Boursier sur critères sociaux (CROUS)', source: 'boursier' },
    });
    expect(r.cvec).to.deep.equal({
      requise: true,
      montant: 105,
      paiementExonere: true,
      motif: 'Boursier sur critères sociaux (CROUS) : exonéré du paiement, attestation requise',
    });
    expect(r.explication).to.include("Boursier sur critères sociaux (CROUS) : exonération totale des droits d'inscription.");
    expect(r.explication).to.include("Droits d'inscription dus : 0,00 €.");
  });

  it('boursier hors UE → base nationale (pas différenciée), 0 dû', () => {
    const r = calcul({ codPayNat: MAROC, boursier: true });
    expect(r.droits.tarif).to.equal('NATIONAL');
    expect(r.droits.montantBase).to.equal(178);
    expect(r.droits.montantDu).to.equal(0);
    expect(r.droits.exoneration).to.deep.equal({ type: 'TOTALE', motif: 'Boursier sur critères sociaux (CROUS)', source: 'boursier' });
    expect(r.cvec.paiementExonere).to.equal(true);
  });

  it('profil PN → TOTALE (profil exonérant), paiement CVEC non exonéré', () => {
    const r = calcul({ profilExonerant: 'PN' });
    expect(r.droits.montantDu).to.equal(0);
    expect(r.droits.exoneration).to.deep.equal({ type: 'TOTALE', motif: 'Pupille de la Nation', source: 'profil exonérant' });
    expect(r.cvec).to.deep.equal({
      requise: true,
      montant: 105,
      paiementExonere: false,
      motif: 'formation initiale : CVEC due, attestation requise',
    });
  });

  it('profil APP (prise en charge) → PRISE_EN_CHARGE, 0 dû', () => {
    const r = calcul({ profilExonerant: 'APP' });
    expect(r.droits.montantDu).to.equal(0);
    expect(r.droits.exoneration).to.deep.equal({
      type: 'PRISE_EN_CHARGE',
      motif: "Apprenti : droits pris en charge par l'employeur ou le CFA",
      source: 'profil exonérant',
    });
  });

  it('régime 4 (apprentissage) → PRISE_EN_CHARGE, montantDu 0, CVEC requise (non exonérée)', () => {
    const r = calcul({ codEtp: 'MINF2A', valeurs: { codRgi: v('4', 'LP') } });
    expect(r.droits).to.deep.equal({
      niveau: 'MASTER',
      montantBase: 254,
      montantDu: 0,
      tarif: 'NATIONAL',
      exoneration: { type: 'PRISE_EN_CHARGE', motif: "Contrat d'apprentissage", source: 'laissez-passer' },
    });
    expect(r.cvec.requise).to.equal(true);
    expect(r.cvec.montant).to.equal(105);
    expect(r.cvec.paiementExonere).to.equal(false);
  });

  it('régime 2 (FC) → FORMATION_CONTINUE au tarif FC, CVEC non requise', () => {
    const r = calcul({ codEtp: 'MINF1', valeurs: { codRgi: v('2') } });
    expect(r.droits).to.deep.equal({
      niveau: 'MASTER',
      montantBase: 4500,
      montantDu: 4500,
      tarif: 'FORMATION_CONTINUE',
      exoneration: { type: 'AUCUNE', motif: null, source: null },
    });
    expect(r.cvec).to.deep.equal({
      requise: false,
      montant: null,
      paiementExonere: false,
      motif: 'régime 2 hors formation initiale : CVEC non due',
    });
    expect(r.explication).to.include(`Niveau MASTER 2026 : tarif de formation continue 4${NNBSP}500,00 € (régime 2).`);
    expect(r.explication).to.include('CVEC : non due (régime 2 hors formation initiale : CVEC non due).');
  });

  it('régime 2 (FC) hors UE → tarif FC, pas différencié', () => {
    const r = calcul({ codPayNat: MAROC, valeurs: { codRgi: v('2') } });
    expect(r.droits.tarif).to.equal('FORMATION_CONTINUE');
    expect(r.droits.montantDu).to.equal(2100);
  });

  it('boursier en FC : CVEC non requise donc paiement non « exonéré »', () => {
    const r = calcul({ boursier: true, valeurs: { codRgi: v('2') } });
    expect(r.cvec.requise).to.equal(false);
    expect(r.cvec.paiementExonere).to.equal(false);
  });

  it('situation FC (tarif formation continue) sous régime 1 → FORMATION_CONTINUE 2100', () => {
    const r = calcul({ valeurs: { codCatExoExt: v('FC') } });
    expect(r.droits.tarif).to.equal('FORMATION_CONTINUE');
    expect(r.droits.montantDu).to.equal(2100);
    expect(r.explication).to.include(`Niveau LICENCE 2026 : tarif de formation continue 2${NNBSP}100,00 € (situation droits FC).`);
  });

  it('situation EXO → TOTALE, 0 dû, source de la situation', () => {
    const r = calcul({ valeurs: { codCatExoExt: v('EXO', 'LP') } });
    expect(r.droits.montantDu).to.equal(0);
    expect(r.droits.exoneration).to.deep.equal({ type: 'TOTALE', motif: 'Exonération totale (décision du président)', source: 'laissez-passer' });
    expect(r.explication).to.include('Situation droits EXO : exonération totale.');
  });

  it('situation APP (prise en charge) → PRISE_EN_CHARGE', () => {
    const r = calcul({ valeurs: { codCatExoExt: v('APP') } });
    expect(r.droits.montantDu).to.equal(0);
    expect(r.droits.exoneration.type).to.equal('PRISE_EN_CHARGE');
    expect(r.droits.exoneration.source).to.equal("vœu d'OPI");
  });

  it('situation EXP → PARTIELLE à 50 % : 178 → 89', () => {
    const r = calcul({ valeurs: { codCatExoExt: v('EXP') } });
    expect(r.droits).to.deep.equal({
      niveau: 'LICENCE',
      montantBase: 178,
      montantDu: 89,
      tarif: 'NATIONAL',
      exoneration: { type: 'PARTIELLE', motif: 'Exonération partielle (décision du président) (50 %)', source: "vœu d'OPI" },
    });
    expect(r.explication).to.include('Situation droits EXP : exonération partielle de 50 %.');
    expect(r.explication).to.include("Droits d'inscription dus : 89,00 €.");
  });

  it('situation EXP hors UE → la moitié des droits différenciés : 2895 → 1447,50', () => {
    const r = calcul({ codPayNat: MAROC, valeurs: { codCatExoExt: v('EXP') } });
    expect(r.droits.tarif).to.equal('DIFFERENCIE');
    expect(r.droits.montantDu).to.equal(1447.5);
    expect(r.explication).to.include(`Droits d'inscription dus : 1${NNBSP}447,50 €.`);
  });

  it('exonération partielle arrondie au centime (taux 1/3 : 178 × 2/3 = 118,666… → 118,67)', () => {
    const cat = catalogueFixtures((d) => {
      const exp = d['situations-droits']!.find((s) => s.code === 'EXP')!;
      exp.tauxExoneration = 1 / 3;
    });
    const r = calculerDroits(entree({ valeurs: { codCatExoExt: v('EXP') } }), cat);
    expect(r.droits.montantDu).to.equal(118.67);
    expect(r.droits.exoneration.motif).to.equal('Exonération partielle (décision du président) (33 %)');
  });
});

describe('droits — paramétrage manquant', () => {
  it('année 2030 non paramétrée → DROITS_NON_PARAMETRES à codAnu (droits et CVEC)', () => {
    const r = calcul({ codAnu: '2030' });
    expect(r.problemes.map((p) => `${p.code}@${p.path}`)).to.deep.equal(['DROITS_NON_PARAMETRES@codAnu', 'DROITS_NON_PARAMETRES@codAnu']);
    expect(r.problemes[0]!.message).to.equal("Droits non paramétrés pour 2030 (niveau LICENCE) : chargez la nomenclature de l'année.");
    expect(r.problemes[1]!.message).to.equal("Droits non paramétrés pour 2030 (montant de la CVEC) : chargez la nomenclature de l'année.");
    expect(r.droits.montantBase).to.equal(0);
    expect(r.cvec.montant).to.equal(null);
    expect(r.explication).to.include('CVEC 2030 (montant non paramétré) : formation initiale : CVEC due, attestation requise.');
  });
  it('année 2030 en FC (pas de CVEC) → un seul problème', () => {
    const r = calcul({ codAnu: '2030', valeurs: { codRgi: v('2') } });
    expect(r.problemes.map((p) => `${p.code}@${p.path}`)).to.deep.equal(['DROITS_NON_PARAMETRES@codAnu']);
  });
  it('année 2025 (paramétrée) → pas de problème', () => {
    expect(calcul({ codAnu: '2025' }).problemes).to.deep.equal([]);
  });
});

describe('droits — explication', () => {
  it('lignes françaises : valeurs résolues avec leur source, droits, montant dû, CVEC', () => {
    const r = calcul({
      valeurs: {
        codRgi: v('1', 'LP'),
        codStu: v('01', 'FORMATION'),
        codCatOuiSi: { valeur: 'RAN', source: 'OPI_VOEU', complement: 'x' },
        codCatExoExt: v('DN', 'OPI_VOEU'),
      },
    });
    expect(r.explication).to.deep.equal([
      "Régime d'inscription 1 (Formation initiale) : laissez-passer.",
      'Statut 01 (Étudiant) : défaut de la formation.',
      "Catégorie « Oui Si » RAN (Remise à niveau disciplinaire) : vœu d'OPI.",
      "Situation droits DN (Droits nationaux (tarif normal)) : vœu d'OPI.",
      'Niveau LICENCE 2026 : droits nationaux 178,00 €.',
      "Droits d'inscription dus : 178,00 €.",
      'CVEC 2026 (105,00 €) : formation initiale : CVEC due, attestation requise.',
    ]);
  });
  it('source OPI_INDIVIDU et valeur absente', () => {
    const r = calcul({ valeurs: { codRgi: v('3', 'OPI_INDIVIDU') } });
    expect(r.explication[0]).to.equal("Régime d'inscription 3 (Reprise d'études non financée sans convention) : OPI (individu).");
    expect(r.explication[2]).to.equal('Catégorie « Oui Si » : aucune.');
    expect(r.explication[3]).to.equal('Situation droits : aucune.');
  });
  it('montant différencié avec séparateur de milliers (espace fine insécable U+202F)', () => {
    const r = calcul({ codPayNat: MAROC });
    const du = r.explication.find((l) => l.startsWith("Droits d'inscription dus"))!;
    expect(du).to.match(/^Droits d'inscription dus : 2\u202f895,00 €\.$/);
    expect(du.replace(/\s/g, ' ')).to.equal("Droits d'inscription dus : 2 895,00 €.");
  });
});

describe('droits — euros / auCentime', () => {
  it('euros : 2 décimales, virgule, espace fine insécable pour les milliers', () => {
    expect(euros(178)).to.equal('178,00 €');
    expect(euros(0)).to.equal('0,00 €');
    expect(euros(89.5)).to.equal('89,50 €');
    expect(euros(2895)).to.equal(`2${NNBSP}895,00 €`);
    expect(euros(12345.678)).to.equal(`12${NNBSP}345,68 €`);
  });
  it('auCentime', () => {
    expect(auCentime(118.66666)).to.equal(118.67);
    expect(auCentime(1447.5)).to.equal(1447.5);
    expect(auCentime(0.1 + 0.2)).to.equal(0.3);
  });
});

describe("droits — numéro d'attestation CVEC", () => {
  it('normaliserCvec : majuscules, sans espaces ni tirets', () => {
    expect(normaliserCvec('ver-123 456 78')).to.equal('VER12345678');
    expect(normaliserCvec(' abc\t123-456 ')).to.equal('ABC123456');
  });
  it('cvecValide : 3 lettres puis 6 à 20 lettres/chiffres', () => {
    expect(cvecValide('VER12345678')).to.equal(true);
    expect(cvecValide(normaliserCvec('ver-123 456 78'))).to.equal(true);
    expect(cvecValide('VER123456')).to.equal(true);
    expect(cvecValide(`VER${'1'.repeat(20)}`)).to.equal(true);
  });
  it('cvecValide : trop court, trop long, chiffres en tête, non normalisé → invalide', () => {
    expect(cvecValide('VER12345')).to.equal(false);
    expect(cvecValide(`VER${'1'.repeat(21)}`)).to.equal(false);
    expect(cvecValide('123VER45678')).to.equal(false);
    expect(cvecValide('V3R12345678')).to.equal(false);
    expect(cvecValide('ver12345678')).to.equal(false);
    expect(cvecValide('VER-12345678')).to.equal(false);
    expect(cvecValide('')).to.equal(false);
  });
});

describe('droits — arrondi au centime', () => {
  it("un demi-centime s'arrondit au centime supérieur, y compris quand le binaire le place juste en dessous", () => {
    expect(auCentime(1.005)).to.equal(1.01);
    expect(auCentime(1447.5)).to.equal(1447.5);
    expect(auCentime(118.666666)).to.equal(118.67);
    expect(auCentime(0)).to.equal(0);
  });
});

describe('droits — CVEC selon le statut', () => {
  it("régime de formation initiale mais statut auditeur libre (02) : CVEC non due, et l'explication le dit", () => {
    const cat = catalogueFixtures();
    const v = (valeur: string, source: Source): ValeurResolue => ({ valeur, source });
    const base: EntreeCalcul = {
      codAnu: '2026',
      codEtp: 'LDRT1',
      codVrsVet: 2,
      codPayNat: '100',
      boursier: false,
      profilExonerant: null,
      valeurs: { codRgi: v('1', 'LP'), codStu: v('02', 'LP'), codCatOuiSi: { valeur: null, source: null }, codCatExoExt: { valeur: null, source: null } },
    };
    const c = calculerDroits(base, cat);
    expect(c.cvec.requise).to.equal(false);
    expect(c.explication.join('\n')).to.contain('statut 02 (Auditeur libre) : CVEC non due');
    const etudiant = calculerDroits({ ...base, valeurs: { ...base.valeurs, codStu: v('01', 'LP') } }, cat);
    expect(etudiant.cvec.requise).to.equal(true);
  });
});
