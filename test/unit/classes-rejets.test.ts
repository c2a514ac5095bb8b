import { expect } from 'chai';
import { classeDe, compterParClasse } from '../../src/domain/classes-rejets';
import { CatalogueEnMemoire, avecZerosDeTete } from '../../src/domain/nomenclatures';

describe('classes de rejets du tableau de bord', () => {
  it('chaque code dans sa classe ; une ligne à plusieurs codes compte une fois par classe touchée', () => {
    expect(
      [
        'NUMERO_BOURSIER_INVALIDE',
        'PROFIL_EXONERANT_INCONNU',
        'INE_CLE_INVALIDE',
        'INES_INDISPONIBLE',
        'CVEC_REQUISE',
        'DOUBLON_INE',
        'LIGNE_EN_DOUBLE',
        'ETAPE_INCONNUE',
        'CHAMP_OBLIGATOIRE',
      ].map(classeDe),
    ).to.deep.equal(['boursiers', 'profil', 'ine', 'ine', 'cvec', 'doublon', 'doublon', 'formation', 'autre']);
    expect(
      compterParClasse([
        { codes: 'INE_CLE_INVALIDE,INE_FORMAT_INVALIDE,CVEC_REQUISE', n: 3 },
        { codes: 'ETAPE_INCONNUE', n: 2 },
        { codes: null, n: 1 },
      ]),
    ).to.deep.include({ ine: 3, cvec: 3, formation: 2, autre: 1, boursiers: 0 });
  });
});

describe('codes privés de leur zéro de tête par un tableur', () => {
  const cat = new CatalogueEnMemoire({
    statuts: [
      { code: '01', libelle: 'Étudiant', enService: true },
      { code: '02', libelle: 'Auditeur', enService: true },
      { code: '10', libelle: 'Autre', enService: true },
    ],
  } as never);
  it('1 redevient 01 quand un seul code se lit ainsi ; un code connu, un texte ou un code ambigu restent tels quels', () => {
    expect(avecZerosDeTete(cat, 'statuts', '1')).to.equal('01');
    expect(avecZerosDeTete(cat, 'statuts', '01')).to.equal('01');
    expect(avecZerosDeTete(cat, 'statuts', '10')).to.equal('10');
    expect(avecZerosDeTete(cat, 'statuts', '3')).to.equal('3');
    expect(avecZerosDeTete(cat, 'statuts', 'A1')).to.equal('A1');
    expect(avecZerosDeTete(cat, 'statuts', undefined)).to.equal(undefined);
  });
});
