import { expect } from 'chai';
import { canoniserOpi, nettoyer } from '../../src/domain/opi/canonique';
import { problemesSchema, validerSchema } from '../../src/application/validation';
import { ErreurMetier, type Probleme } from '../../src/domain/errors';
import type { DonneesOpi } from '../../src/generated/opi';

/** Une OPI minimale valide (forme REST), neuve à chaque appel. */
function opiMinimale(): Record<string, any> {
  return {
    individu: {
      codOpiIntEpo: 'EC0001',
      etatCivil: { libNomPatIndOpi: 'DUPONT', libPr1IndOpi: 'JEAN' },
      donneesNaissance: { dateNaiIndOpi: '2006-05-12', temDateNaiRelOpi: 'N' },
    },
  };
}

function voeu(): Record<string, any> {
  return { codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', numCls: 1 };
}

/** Canonicalise puis valide, comme le cas d'utilisation. */
function problemes(brut: unknown): Probleme[] {
  return problemesSchema('opi', canoniserOpi(brut));
}

/** `CODE@chemin`, triés : une comparaison exacte et lisible. */
function codes(pbs: Probleme[]): string[] {
  return pbs.map((p) => `${p.code}@${p.path}`).sort();
}

describe('OPI — canonicalisation (canoniserOpi)', () => {
  it('OPI minimale valide : aucun problème, validerSchema la renvoie', () => {
    const c = canoniserOpi(opiMinimale());
    expect(problemesSchema('opi', c)).to.deep.equal([]);
    expect(validerSchema<DonneesOpi>('opi', c)).to.equal(c);
  });

  it('null, "" et blancs valent absent', () => {
    const brut = opiMinimale();
    brut.individu.etatCivil.libNomUsuIndOpi = null;
    brut.individu.etatCivil.libPr2IndOpi = '';
    brut.individu.etatCivil.libPr3IndOpi = '   ';
    brut.individu.etatCivil.codSexEtuOpi = '\t';
    brut.individu.donneesPersonnelles = { adrMailOpi: '', numTelPorOpi: null };
    brut.bac = null;
    expect(canoniserOpi(brut)).to.deep.equal(canoniserOpi(opiMinimale()));
    expect(problemes(brut)).to.deep.equal([]);
  });

  it('champ obligatoire donné vide ("", blanc ou null) → CHAMP_OBLIGATOIRE à son chemin', () => {
    for (const vide of ['', '   ', null]) {
      const brut = opiMinimale();
      brut.individu.etatCivil.libPr1IndOpi = vide;
      expect(codes(problemes(brut)), JSON.stringify(vide)).to.deep.equal(['CHAMP_OBLIGATOIRE@individu.etatCivil.libPr1IndOpi']);
    }
    const brut = opiMinimale();
    brut.individu.codOpiIntEpo = '';
    brut.individu.donneesNaissance.temDateNaiRelOpi = ' ';
    expect(codes(problemes(brut))).to.deep.equal(['CHAMP_OBLIGATOIRE@individu.codOpiIntEpo', 'CHAMP_OBLIGATOIRE@individu.donneesNaissance.temDateNaiRelOpi']);
  });

  it('un objet dont tous les champs sont vides disparaît (le parent le signale manquant)', () => {
    const brut = opiMinimale();
    brut.individu.etatCivil = { libNomPatIndOpi: '', libPr1IndOpi: null };
    expect(codes(problemes(brut))).to.deep.equal(['CHAMP_OBLIGATOIRE@individu.etatCivil']);
    expect(canoniserOpi({})).to.deep.equal({});
    expect(canoniserOpi({ individu: null })).to.deep.equal({});
    expect(codes(problemes({}))).to.deep.equal(['CHAMP_OBLIGATOIRE@individu']);
  });

  it('noms en majuscules, accents gardés, blancs réduits', () => {
    const brut = opiMinimale();
    brut.individu.etatCivil = {
      libNomPatIndOpi: '  Lefèvre ',
      libNomUsuIndOpi: 'de  la   Tour',
      libPr1IndOpi: 'élodie',
      libPr2IndOpi: 'Zoé',
    };
    const c = canoniserOpi(brut) as DonneesOpi;
    expect(c.individu.etatCivil).to.deep.equal({
      libNomPatIndOpi: 'LEFÈVRE',
      libNomUsuIndOpi: 'DE LA TOUR',
      libPr1IndOpi: 'ÉLODIE',
      libPr2IndOpi: 'ZOÉ',
    });
  });

  it('codes (cod*, tem*) en majuscules ; INE sans espaces ; autres textes seulement rognés', () => {
    const brut = opiMinimale();
    brut.individu.codOpiIntEpo = ' ec0001 ';
    brut.individu.etatCivil.codNneIndOpi = ' 1234 567 890 v ';
    brut.individu.donneesNaissance.temDateNaiRelOpi = 'n';
    brut.individu.donneesNaissance.libVilNaiEtuOpi = '  Rennes ';
    brut.individu.donneesPersonnelles = { adrMailOpi: ' Jean.Dupont@Example.org ' };
    brut.voeux = [{ ...voeu(), codEtp: 'ldrt1', codCge: 'drt', codDecVeu: 'f', codDemDos: 'c', libCmtJur: ' avis favorable ' }];
    const c = canoniserOpi(brut) as DonneesOpi;
    expect(c.individu.codOpiIntEpo).to.equal('EC0001');
    expect(c.individu.etatCivil.codNneIndOpi).to.equal('1234567890V');
    expect(c.individu.donneesNaissance.temDateNaiRelOpi).to.equal('N');
    expect(c.individu.donneesNaissance.libVilNaiEtuOpi).to.equal('Rennes');
    expect(c.individu.donneesPersonnelles!.adrMailOpi).to.equal('Jean.Dupont@Example.org');
    expect(c.voeux![0]).to.deep.equal({
      codCge: 'DRT',
      codEtp: 'LDRT1',
      codVrsVet: 2,
      codDecVeu: 'F',
      codDemDos: 'C',
      numCls: 1,
      libCmtJur: 'avis favorable',
    });
    expect(problemesSchema('opi', c)).to.deep.equal([]);
  });

  it('un vœu entièrement vide est retiré ; un vœu vide seul → voeux: []', () => {
    const seul = { ...opiMinimale(), voeux: [{ codCge: '', codEtp: null, codVrsVet: null, libCmtJur: '  ' }] };
    expect((canoniserOpi(seul) as DonneesOpi).voeux).to.deep.equal([]);
    expect(problemes(seul)).to.deep.equal([]);
    expect((canoniserOpi({ ...opiMinimale(), voeux: [{}] }) as DonneesOpi).voeux).to.deep.equal([]);
    expect((canoniserOpi({ ...opiMinimale(), voeux: [null] }) as DonneesOpi).voeux).to.deep.equal([]);
    const mele = { ...opiMinimale(), voeux: [{}, voeu(), { codEtp: '' }] };
    expect((canoniserOpi(mele) as DonneesOpi).voeux).to.deep.equal([voeu()]);
  });

  it('voeux absent reste absent, voeux: [] reste []', () => {
    expect(canoniserOpi(opiMinimale())).to.not.have.property('voeux');
    expect((canoniserOpi({ ...opiMinimale(), voeux: [] }) as DonneesOpi).voeux).to.deep.equal([]);
  });

  it("ce qui n'est pas un objet passe tel quel (le schéma le refuse)", () => {
    expect(canoniserOpi(null)).to.equal(null);
    expect(canoniserOpi('x')).to.equal('x');
    expect(canoniserOpi([])).to.deep.equal([]);
    expect(codes(problemesSchema('opi', canoniserOpi(null)))).to.deep.equal(['TYPE_INVALIDE@']);
    expect(codes(problemesSchema('opi', canoniserOpi([])))).to.deep.equal(['TYPE_INVALIDE@']);
  });

  it('nettoyer garde nombres et booléens, nettoie les tableaux', () => {
    expect(nettoyer({ a: 0, b: false, c: [null, ' x ', ''], d: {} })).to.deep.equal({ a: 0, b: false, c: ['x'] });
  });
});

describe('OPI — schéma (problemesSchema / validerSchema)', () => {
  it('champ inconnu → CHAMP_INCONNU au chemin du champ', () => {
    const brut = opiMinimale();
    brut.individu.etatCivil.surnom = 'Jeannot';
    brut.extra = 1;
    const pbs = problemes(brut);
    expect(codes(pbs)).to.deep.equal(['CHAMP_INCONNU@extra', 'CHAMP_INCONNU@individu.etatCivil.surnom']);
    expect(pbs.find((p) => p.path === 'individu.etatCivil.surnom')!.message).to.equal('Champ non reconnu : surnom.');
  });

  it('nom de naissance de 31 caractères → LONGUEUR_MAX_DEPASSEE (30)', () => {
    const brut = opiMinimale();
    brut.individu.etatCivil.libNomPatIndOpi = 'A'.repeat(31);
    const pbs = problemes(brut);
    expect(pbs).to.deep.equal([
      {
        code: 'LONGUEUR_MAX_DEPASSEE',
        path: 'individu.etatCivil.libNomPatIndOpi',
        message: 'La valeur dépasse la longueur maximale de 30 caractère(s).',
      },
    ]);
    brut.individu.etatCivil.libNomPatIndOpi = 'A'.repeat(30);
    expect(problemes(brut)).to.deep.equal([]);
  });

  it('date ISO inexistante 2006-02-30 → DATE_INVALIDE', () => {
    const brut = opiMinimale();
    brut.individu.donneesNaissance.dateNaiIndOpi = '2006-02-30';
    expect(codes(problemes(brut))).to.deep.equal(['DATE_INVALIDE@individu.donneesNaissance.dateNaiIndOpi']);
    brut.individu.donneesNaissance.dateNaiIndOpi = '12/05/2006';
    expect(codes(problemes(brut))).to.deep.equal(['DATE_INVALIDE@individu.donneesNaissance.dateNaiIndOpi']);
  });

  it('codVrsVet en texte ("2") → TYPE_INVALIDE (entier attendu)', () => {
    const brut = { ...opiMinimale(), voeux: [{ ...voeu(), codVrsVet: '2' }] };
    const pbs = problemes(brut);
    expect(pbs).to.deep.equal([{ code: 'TYPE_INVALIDE', path: 'voeux[0].codVrsVet', message: 'Type de valeur invalide : entier attendu.' }]);
  });

  it('champs de vœu manquants → CHAMP_OBLIGATOIRE pour chacun', () => {
    const brut = { ...opiMinimale(), voeux: [voeu(), { codEtp: 'LDRT2' }] };
    expect(codes(problemes(brut))).to.deep.equal([
      'CHAMP_OBLIGATOIRE@voeux[1].codCge',
      'CHAMP_OBLIGATOIRE@voeux[1].codDecVeu',
      'CHAMP_OBLIGATOIRE@voeux[1].codDemDos',
      'CHAMP_OBLIGATOIRE@voeux[1].codVrsVet',
      'CHAMP_OBLIGATOIRE@voeux[1].numCls',
    ]);
    const un = { ...opiMinimale(), voeux: [{ ...voeu(), codCge: '' }] };
    expect(codes(problemes(un))).to.deep.equal(['CHAMP_OBLIGATOIRE@voeux[0].codCge']);
  });

  it('plusieurs problèmes : TOUS rapportés, pas seulement le premier', () => {
    const brut = opiMinimale();
    brut.individu.codOpiIntEpo = 'EC-1';
    brut.individu.etatCivil.libNomPatIndOpi = 'B'.repeat(31);
    brut.individu.etatCivil.libPr1IndOpi = '';
    brut.individu.donneesNaissance.dateNaiIndOpi = '2006-02-30';
    brut.individu.donneesPersonnelles = { adrMailOpi: 'pas-un-courriel', inconnu: 'x' };
    brut.voeux = [{ ...voeu(), codVrsVet: 'deux', numCls: 0 }];
    expect(codes(problemes(brut))).to.deep.equal([
      'CHAMP_INCONNU@individu.donneesPersonnelles.inconnu',
      'CHAMP_OBLIGATOIRE@individu.etatCivil.libPr1IndOpi',
      'CODE_OPI_INVALIDE@individu.codOpiIntEpo',
      'DATE_INVALIDE@individu.donneesNaissance.dateNaiIndOpi',
      'EMAIL_INVALIDE@individu.donneesPersonnelles.adrMailOpi',
      'LONGUEUR_MAX_DEPASSEE@individu.etatCivil.libNomPatIndOpi',
      'TYPE_INVALIDE@voeux[0].codVrsVet',
      'VALEUR_HORS_BORNES@voeux[0].numCls',
    ]);
  });

  it('validerSchema lève une ErreurMetier 422 portant tous les problèmes', () => {
    const brut = opiMinimale();
    brut.individu.etatCivil.libPr1IndOpi = '';
    brut.individu.codOpiIntEpo = 'EC-1';
    let erreur: unknown;
    try {
      validerSchema('opi', canoniserOpi(brut));
    } catch (e) {
      erreur = e;
    }
    expect(erreur).to.be.instanceOf(ErreurMetier);
    const e = erreur as ErreurMetier;
    expect(e.status).to.equal(422);
    expect(codes(e.problemes)).to.deep.equal(['CHAMP_OBLIGATOIRE@individu.etatCivil.libPr1IndOpi', 'CODE_OPI_INVALIDE@individu.codOpiIntEpo']);
  });

  it("le préfixe est ajouté aux chemins (ligne d'un lot)", () => {
    const brut = opiMinimale();
    brut.individu.etatCivil.libPr1IndOpi = '';
    expect(codes(problemesSchema('opi', canoniserOpi(brut), 'lignes[12]'))).to.deep.equal(['CHAMP_OBLIGATOIRE@lignes[12].individu.etatCivil.libPr1IndOpi']);
  });

  it("numéro d'OPI invalide EC-1 → CODE_OPI_INVALIDE ; 11 caractères → CODE_OPI_INVALIDE et LONGUEUR_MAX_DEPASSEE", () => {
    const brut = opiMinimale();
    brut.individu.codOpiIntEpo = 'EC-1';
    const pbs = problemes(brut);
    expect(pbs).to.deep.equal([
      {
        code: 'CODE_OPI_INVALIDE',
        path: 'individu.codOpiIntEpo',
        message: "Numéro d'OPI invalide : 1 à 10 lettres ou chiffres.",
      },
    ]);
    brut.individu.codOpiIntEpo = 'EC000000001';
    expect(codes(problemes(brut))).to.deep.equal(['CODE_OPI_INVALIDE@individu.codOpiIntEpo', 'LONGUEUR_MAX_DEPASSEE@individu.codOpiIntEpo']);
  });

  it('codCatExoExt "X" (1 caractère) → LONGUEUR_MIN_NON_ATTEINTE et FORMAT_INVALIDE (motif {2,5}) au même chemin', () => {
    const brut = { ...opiMinimale(), voeux: [{ ...voeu(), codCatExoExt: 'x' }] };
    const pbs = problemes(brut);
    expect(codes(pbs)).to.deep.equal(['FORMAT_INVALIDE@voeux[0].codCatExoExt', 'LONGUEUR_MIN_NON_ATTEINTE@voeux[0].codCatExoExt']);
    expect(pbs.find((p) => p.code === 'LONGUEUR_MIN_NON_ATTEINTE')!.message).to.equal('La valeur doit compter au moins 2 caractère(s).');
    // Deux caractères hors motif : format seul.
    const brut2 = { ...opiMinimale(), voeux: [{ ...voeu(), codCatExoExt: 'D-' }] };
    expect(codes(problemes(brut2))).to.deep.equal(['FORMAT_INVALIDE@voeux[0].codCatExoExt']);
  });

  it('courriel invalide → EMAIL_INVALIDE', () => {
    const brut = opiMinimale();
    brut.individu.donneesPersonnelles = { adrMailOpi: 'jean.dupont@' };
    expect(problemes(brut)).to.deep.equal([
      {
        code: 'EMAIL_INVALIDE',
        path: 'individu.donneesPersonnelles.adrMailOpi',
        message: 'Adresse électronique invalide.',
      },
    ]);
    brut.individu.donneesPersonnelles = { adrMailOpi: 'jean.dupont@example.org' };
    expect(problemes(brut)).to.deep.equal([]);
  });

  it('téléphone invalide → TELEPHONE_INVALIDE ; valeur hors énumération → VALEUR_NON_AUTORISEE', () => {
    const brut = opiMinimale();
    brut.individu.donneesPersonnelles = { numTelPorOpi: '06 12 ab 34' };
    brut.individu.donneesNaissance.temDateNaiRelOpi = 'x';
    const pbs = problemes(brut);
    expect(codes(pbs)).to.deep.equal([
      'TELEPHONE_INVALIDE@individu.donneesPersonnelles.numTelPorOpi',
      'VALEUR_NON_AUTORISEE@individu.donneesNaissance.temDateNaiRelOpi',
    ]);
    expect(pbs.find((p) => p.code === 'VALEUR_NON_AUTORISEE')!.message).to.equal('Valeur non autorisée ; valeurs possibles : O, N.');
  });

  it('plus de 50 vœux → LISTE_TROP_LONGUE', () => {
    const brut = { ...opiMinimale(), voeux: Array.from({ length: 51 }, (_, i) => ({ ...voeu(), numCls: (i % 99) + 1 })) };
    expect(codes(problemes(brut))).to.deep.equal(['LISTE_TROP_LONGUE@voeux']);
  });
});
