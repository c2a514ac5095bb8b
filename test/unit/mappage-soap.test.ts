import { expect } from 'chai';
import { soapOpiVersCanonique } from '../../src/adapters/soap/mappage-opi';
import { canoniserOpi } from '../../src/domain/opi/canonique';
import { problemesSchema } from '../../src/application/validation';
import type { Probleme } from '../../src/domain/errors';

/** Un DonneesOpiDTO10 tel que node-soap le rend : tout en chaînes, nil → null, attributs à part. */
function dto(): Record<string, any> {
  return {
    attributes: { 'xsi:type': 'DonneesOpiDTO10' },
    individu: {
      codOpiIntEpo: 'EC0001',
      codEtuOpi: null,
      etatCivil: {
        libNomPatIndOpi: 'Lefèvre',
        libNomUsuIndOpi: null,
        libPr1IndOpi: 'Élodie',
        libPr2IndOpi: '',
        codNneIndOpi: '1234567890V',
        codSexEtuOpi: 'F',
      },
      donneesNaissance: { dateNaiIndOpi: '25121984', temDateNaiRelOpi: 'N', codPayNat: '100', codTypDepPayNai: null, codDepPayNai: null },
    },
    bac: { codBac: null, daaObtBacOba: null },
    voeux: {
      modEnv: null,
      item: [
        {
          $attributes: { 'xsi:type': 'MAJOpiVoeuDTO3' },
          codCge: 'DRT',
          codEtp: 'LDRT1',
          codVrsVet: '2',
          codDip: 'LDRT',
          codVrsVdi: '2',
          numCls: '1',
          codDecVeu: 'F',
          codDemDos: 'C',
          codCatExoExt: null,
          convocation: { datCvc: '01092026', dhhCvc: '9', dmnCvc: '30' },
        },
      ],
    },
  };
}

function codes(pbs: Probleme[]): string[] {
  return pbs.map((p) => `${p.code}@${p.path}`).sort();
}

/** Le chemin complet d'une OPI SOAP : mappage, canonicalisation, schéma. */
function problemesSoap(d: unknown): Probleme[] {
  return problemesSchema('opi', canoniserOpi(soapOpiVersCanonique(d)));
}

describe('SOAP — soapOpiVersCanonique (échantillons de référence)', () => {
  it('échantillon complet → forme REST canonique exacte, valide au schéma', () => {
    const canon = canoniserOpi(soapOpiVersCanonique(dto()));
    expect(canon).to.deep.equal({
      individu: {
        codOpiIntEpo: 'EC0001',
        etatCivil: { libNomPatIndOpi: 'LEFÈVRE', libPr1IndOpi: 'ÉLODIE', codNneIndOpi: '1234567890V', codSexEtuOpi: 'F' },
        donneesNaissance: { dateNaiIndOpi: '1984-12-25', temDateNaiRelOpi: 'N', codPayNat: '100' },
      },
      voeux: [
        {
          codCge: 'DRT',
          codEtp: 'LDRT1',
          codVrsVet: 2,
          codDip: 'LDRT',
          codVrsVdi: 2,
          numCls: 1,
          codDecVeu: 'F',
          codDemDos: 'C',
          convocation: { datCvc: '2026-09-01', dhhCvc: 9, dmnCvc: 30 },
        },
      ],
    });
    expect(problemesSchema('opi', canon)).to.deep.equal([]);
  });

  describe('dates ddMMyyyy', () => {
    it('25121984 → 1984-12-25', () => {
      const d = dto();
      const s = soapOpiVersCanonique(d) as any;
      expect(s.individu.donneesNaissance.dateNaiIndOpi).to.equal('1984-12-25');
    });
    it('blancs autour tolérés', () => {
      const d = dto();
      d.individu.donneesNaissance.dateNaiIndOpi = ' 25121984 ';
      expect((soapOpiVersCanonique(d) as any).individu.donneesNaissance.dateNaiIndOpi).to.equal('1984-12-25');
    });
    it("31021984 (inexistante) passe telle quelle → DATE_INVALIDE au même chemin qu'en REST", () => {
      const d = dto();
      d.individu.donneesNaissance.dateNaiIndOpi = '31021984';
      expect((soapOpiVersCanonique(d) as any).individu.donneesNaissance.dateNaiIndOpi).to.equal('31021984');
      expect(codes(problemesSoap(d))).to.deep.equal(['DATE_INVALIDE@individu.donneesNaissance.dateNaiIndOpi']);
    });
    it('date de convocation invalide → DATE_INVALIDE à voeux[0].convocation.datCvc', () => {
      const d = dto();
      d.voeux.item[0].convocation.datCvc = '32092026';
      expect(codes(problemesSoap(d))).to.deep.equal(['DATE_INVALIDE@voeux[0].convocation.datCvc']);
    });
  });

  describe('entiers', () => {
    it('"2" → 2 ; signe et blancs acceptés', () => {
      const d = dto();
      d.individu.codEtuOpi = ' 21001234 ';
      d.voeux.item[0].numCls = '+3';
      const s = soapOpiVersCanonique(d) as any;
      expect(s.voeux[0].codVrsVet).to.equal(2);
      expect(s.voeux[0].codVrsVdi).to.equal(2);
      expect(s.voeux[0].numCls).to.equal(3);
      expect(s.individu.codEtuOpi).to.equal(21001234);
    });
    it('"12abc" reste "12abc" → TYPE_INVALIDE à voeux[0].codVrsVet', () => {
      const d = dto();
      d.voeux.item[0].codVrsVet = '12abc';
      expect((soapOpiVersCanonique(d) as any).voeux[0].codVrsVet).to.equal('12abc');
      const pbs = problemesSoap(d);
      expect(pbs).to.deep.equal([{ code: 'TYPE_INVALIDE', path: 'voeux[0].codVrsVet', message: 'Type de valeur invalide : entier attendu.' }]);
    });
    it('"" pour un entier = absent (CHAMP_OBLIGATOIRE s\'il est requis)', () => {
      const d = dto();
      d.voeux.item[0].numCls = '';
      expect(codes(problemesSoap(d))).to.deep.equal(['CHAMP_OBLIGATOIRE@voeux[0].numCls']);
    });
    it('les champs texte qui ressemblent à des nombres restent du texte', () => {
      const s = soapOpiVersCanonique(dto()) as any;
      expect(s.individu.donneesNaissance.codPayNat).to.equal('100');
    });
  });

  describe('voeux (TableauVoeu3 → tableau)', () => {
    it('voeux nil → clé absente (les vœux enregistrés sont gardés)', () => {
      const d = dto();
      d.voeux = null;
      expect(soapOpiVersCanonique(d)).to.not.have.property('voeux');
      expect(canoniserOpi(soapOpiVersCanonique(d))).to.not.have.property('voeux');
    });
    it('voeux absent → clé absente', () => {
      const d = dto();
      delete d.voeux;
      expect(soapOpiVersCanonique(d)).to.not.have.property('voeux');
    });
    it('{ modEnv: null } sans item → clé absente ; modEnv renseigné, sans item → absente aussi', () => {
      const d = dto();
      d.voeux = { modEnv: null };
      expect(soapOpiVersCanonique(d)).to.not.have.property('voeux');
      d.voeux = { modEnv: 'R' };
      expect(soapOpiVersCanonique(d)).to.not.have.property('voeux');
      d.voeux = { modEnv: null, item: null };
      expect(soapOpiVersCanonique(d)).to.not.have.property('voeux');
    });
    it('un item vide {} → voeux: [] après canonicalisation (suppression de tous les vœux)', () => {
      const d = dto();
      d.voeux = { modEnv: null, item: [{}] };
      expect(canoniserOpi(soapOpiVersCanonique(d)))
        .to.have.property('voeux')
        .that.deep.equals([]);
      expect(problemesSoap(d)).to.deep.equal([]);
    });
    it('un item aux champs tous nil → voeux: []', () => {
      const d = dto();
      d.voeux = { modEnv: null, item: [{ codCge: null, codEtp: null, codVrsVet: null, numCls: null, convocation: null }] };
      expect(canoniserOpi(soapOpiVersCanonique(d)))
        .to.have.property('voeux')
        .that.deep.equals([]);
      d.voeux = { modEnv: null, item: { codCge: null, codEtp: '', $attributes: { 'xsi:nil': 'true' } } };
      expect(canoniserOpi(soapOpiVersCanonique(d)))
        .to.have.property('voeux')
        .that.deep.equals([]);
      d.voeux = { modEnv: null, item: [null] };
      expect(canoniserOpi(soapOpiVersCanonique(d)))
        .to.have.property('voeux')
        .that.deep.equals([]);
      // <item/> vide, tel que node-soap peut le rendre : une chaîne vide.
      d.voeux = { modEnv: null, item: '' };
      expect(canoniserOpi(soapOpiVersCanonique(d)))
        .to.have.property('voeux')
        .that.deep.equals([]);
    });
    it("un seul item (objet, pas tableau) → tableau d'un élément", () => {
      const d = dto();
      d.voeux.item = d.voeux.item[0];
      const s = soapOpiVersCanonique(d) as any;
      expect(s.voeux).to.be.an('array').with.length(1);
      expect(s.voeux[0].codEtp).to.equal('LDRT1');
      expect(s.voeux[0].codVrsVet).to.equal(2);
    });
    it('plusieurs items → même ordre', () => {
      const d = dto();
      d.voeux.item = [d.voeux.item[0], { ...d.voeux.item[0], codEtp: 'LDRT2', numCls: '2' }];
      const s = soapOpiVersCanonique(d) as any;
      expect(s.voeux.map((v: any) => [v.codEtp, v.numCls])).to.deep.equal([
        ['LDRT1', 1],
        ['LDRT2', 2],
      ]);
    });
  });

  describe('nil et attributs', () => {
    it('les null disparaissent partout', () => {
      const s = soapOpiVersCanonique(dto()) as any;
      expect(s.individu).to.not.have.property('codEtuOpi');
      expect(s.individu.etatCivil).to.not.have.property('libNomUsuIndOpi');
      expect(s.individu.donneesNaissance).to.not.have.property('codTypDepPayNai');
      expect(s.voeux[0]).to.not.have.property('codCatExoExt');
      // Un objet dont tout est nil reste vide ici ; la canonicalisation le retire.
      expect(s.bac).to.deep.equal({});
      expect(canoniserOpi(s)).to.not.have.property('bac');
      expect(JSON.stringify(s)).to.not.include('null');
    });
    it('attributes / $attributes / $xml ignorés, à tous les niveaux', () => {
      const d = dto();
      d.$attributes = { x: 1 };
      d.$xml = '<x/>';
      d.individu.attributes = { 'xsi:type': 'MAJOpiIndDTO6' };
      d.individu.etatCivil.$attributes = { 'xsi:type': 'MAJEtatCivilDTO2' };
      const s = soapOpiVersCanonique(d) as any;
      const texte = JSON.stringify(s);
      expect(texte).to.not.include('attributes');
      expect(texte).to.not.include('$xml');
      expect(problemesSoap(d)).to.deep.equal([]);
    });
    it('entrée nulle → {} (le schéma signale individu manquant)', () => {
      expect(soapOpiVersCanonique(null)).to.deep.equal({});
      expect(soapOpiVersCanonique(undefined)).to.deep.equal({});
      expect(codes(problemesSoap(null))).to.deep.equal(['CHAMP_OBLIGATOIRE@individu']);
    });
    it("ne modifie pas l'objet reçu", () => {
      const d = dto();
      const avant = JSON.stringify(d);
      soapOpiVersCanonique(d);
      expect(JSON.stringify(d)).to.equal(avant);
    });
  });
});
