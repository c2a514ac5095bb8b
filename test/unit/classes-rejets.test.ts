import { expect } from 'chai';
import { classeDe, compterParClasse } from '../../src/domain/classes-rejets';

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
