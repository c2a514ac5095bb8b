import { expect } from 'chai';
import { cleBea23, cleNne36, detecterFormatIne, normaliserIne, verifierIne } from '../../src/domain/identifiers/ine';
import { cleUai, verifierUai } from '../../src/domain/identifiers/uai';

/* Références indépendantes (volontairement naïves, autre méthode que le code testé) :
 * BEA : BigInt entier mod 23 ; NNE36 : parseInt(c, 36) ; UAI : Number mod 23. */
const A23 = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const refBea = (dix: string): string => A23[Number(BigInt(dix) % 23n)]!;
const refNne = (dix: string): string => {
  const v = [...dix].map((c) => parseInt(c, 36));
  const s = 6 * v.slice(0, 9).reduce((a, b) => a + b, 0) + v[9]!;
  return String(s).slice(-1);
};

/** Générateur pseudo-aléatoire déterministe (LCG) pour les tests de propriété. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x;
  };
}

describe('INE — normalisation', () => {
  it('met en majuscules et retire blancs et tirets', () => {
    expect(normaliserIne(' 1234-567 890\tv ')).to.equal('1234567890V');
    expect(normaliserIne('123\u00a0456\u2011789ab')).to.equal('123456789AB');
  });
  it('ne transforme pas les lettres non ASCII (ß ne devient pas SS)', () => {
    expect(normaliserIne('123456789ß')).to.equal('123456789ß');
    expect(verifierIne('123456789ß')).to.deep.equal({ valide: false, raison: 'FORMAT' });
  });
});

describe('INE — détection du format et précédence', () => {
  const cas: Array<[string, string | null]> = [
    ['123456789AB', 'INE_RNIE'],
    ['0123A45678B', 'INE_APPRENTISSAGE'],
    ['1234567890V', 'INE_BEA'],
    ['12345678900', 'INE_UNIVERSITAIRE'],
    ['0DDG5R00015', 'INE_UNIVERSITAIRE'],
    ['1234567890', null],
    ['123456789012', null],
    ['A234567890B', null],
    ['1234567890!', null],
    ['', null],
  ];
  for (const [ine, attendu] of cas) {
    it(`${JSON.stringify(ine)} → ${String(attendu)}`, () => {
      expect(detecterFormatIne(ine)).to.equal(attendu);
    });
  }

  it('les quatre motifs (docs/domaine.md §1) sont mutuellement exclusifs sur les exemples (précédence sans ambiguïté)', () => {
    const motifs = [/^[0-9]{9}[A-Z]{2}$/, /^[0-9]{10}[A-Z]$/, /^[0-9A-Z]{10}[0-9]$/, /^[0-9]{4}A[0-9]{5}[A-Z]$/];
    for (const [ine, attendu] of cas) {
      const n = motifs.filter((m) => m.test(ine)).length;
      expect(n, ine).to.equal(attendu === null ? 0 : 1);
    }
  });

  it("l'apprentissage (5e caractère A) n'est pas pris pour un BEA ni un universitaire", () => {
    expect(detecterFormatIne('2021A12345Z')).to.equal('INE_APPRENTISSAGE');
    // même chaîne avec un chiffre final : c'est un universitaire (préfixe base 36)
    expect(detecterFormatIne('2021A123457')).to.equal('INE_UNIVERSITAIRE');
  });
});

describe('INE — clé BEA (mod 23)', () => {
  // Valeurs calculées à la main / python : int(n) % 23 → 'ABCDEFGHJKLMNPRSTUVWXYZ'[r]
  const cas: Array<[string, string]> = [
    ['0000000001', 'B'], // 1 → B (exemple de docs/domaine.md §1)
    ['1234567890', 'V'], // 18 → V
    ['9876543210', 'E'], // 4 → E
    ['0123456789', 'M'], // 11 → M
    ['9999999998', 'R'], // 14 → R
    ['0000000023', 'A'], // 0 → A
    ['0000000022', 'Z'], // 22 → Z
  ];
  for (const [dix, cle] of cas) {
    it(`${dix} → ${cle}`, () => expect(cleBea23(dix)).to.equal(cle));
  }
  it('concorde avec une référence BigInt sur 2 000 nombres pseudo-aléatoires', () => {
    const r = lcg(42);
    for (let i = 0; i < 2000; i++) {
      const dix = String(r() % 100000).padStart(5, '0') + String(r() % 100000).padStart(5, '0');
      expect(cleBea23(dix), dix).to.equal(refBea(dix));
    }
  });
  it("refuse une entrée qui n'est pas 10 chiffres", () => {
    expect(() => cleBea23('123456789')).to.throw(RangeError);
    expect(() => cleBea23('123456789A')).to.throw(RangeError);
  });
});

describe('INE — clé universitaire (base 36)', () => {
  // 6·(v1+…+v9) + v10, dernier chiffre (calcul python)
  const cas: Array<[string, string]> = [
    ['1234567890', '0'], // 6·45 + 0 = 270 (exemple de docs/domaine.md §1)
    ['0DDG5R0001', '5'], // 6·74 + 1 = 445
    ['07T0M30001', '7'], // 6·61 + 1 = 367
    ['123456789A', '0'], // 6·45 + 10 = 280
    ['ZZZZZZZZZ9', '9'], // 6·315 + 9 = 1899
    ['1A2B3C4D5E', '0'], // 6·61 + 14 = 380
  ];
  for (const [dix, cle] of cas) {
    it(`${dix} → ${cle}`, () => expect(cleNne36(dix)).to.equal(cle));
  }
  it('concorde avec une référence parseInt(c, 36) sur 2 000 préfixes pseudo-aléatoires', () => {
    const r = lcg(7);
    const alpha = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let i = 0; i < 2000; i++) {
      let dix = '';
      for (let j = 0; j < 10; j++) dix += alpha[r() % 36];
      expect(cleNne36(dix), dix).to.equal(refNne(dix));
    }
  });
  it('accepte les minuscules, refuse le reste', () => {
    expect(cleNne36('0ddg5r0001')).to.equal('5');
    expect(() => cleNne36('0DDG5R000')).to.throw(RangeError);
    expect(() => cleNne36('0DDG5R000-')).to.throw(RangeError);
  });
});

describe('INE — verifierIne (règle eCandidat)', () => {
  it('0000000001B est un BEA valide (préfixe non constant)', () => {
    expect(verifierIne('0000000001B')).to.deep.equal({
      valide: true,
      format: 'INE_BEA',
      ine: '0000000001B',
      nne: '0000000001',
      cle: 'B',
      cleVerifiee: true,
    });
  });
  it('12345678900 est un INE universitaire valide', () => {
    expect(verifierIne('12345678900')).to.deep.equal({
      valide: true,
      format: 'INE_UNIVERSITAIRE',
      ine: '12345678900',
      nne: '1234567890',
      cle: '0',
      cleVerifiee: true,
    });
  });
  it('normalise la saisie avant contrôle', () => {
    const v = verifierIne(' 0ddg5r0001-5 ');
    expect(v).to.include({ valide: true, ine: '0DDG5R00015', nne: '0DDG5R0001', cle: '5' });
  });
  it('mauvaise clé BEA → CLE avec le format', () => {
    expect(verifierIne('1234567890A')).to.deep.equal({ valide: false, raison: 'CLE', format: 'INE_BEA' });
    expect(verifierIne('0000000001C')).to.deep.equal({ valide: false, raison: 'CLE', format: 'INE_BEA' });
  });
  it('clé I, O ou Q → CLE', () => {
    for (const k of ['I', 'O', 'Q']) {
      expect(verifierIne(`1234567890${k}`)).to.deep.equal({ valide: false, raison: 'CLE', format: 'INE_BEA' });
    }
  });
  it('mauvaise clé universitaire → CLE', () => {
    expect(verifierIne('12345678901')).to.deep.equal({ valide: false, raison: 'CLE', format: 'INE_UNIVERSITAIRE' });
    expect(verifierIne('0DDG5R00014')).to.deep.equal({ valide: false, raison: 'CLE', format: 'INE_UNIVERSITAIRE' });
  });
  it('10 chiffres identiques → CLE même avec la clé arithmétiquement juste', () => {
    for (let d = 0; d <= 9; d++) {
      const dix = String(d).repeat(10);
      expect(verifierIne(dix + refBea(dix)), `BEA ${dix}`).to.include({ valide: false, raison: 'CLE' });
      expect(verifierIne(dix + refNne(dix)), `NNE ${dix}`).to.include({ valide: false, raison: 'CLE' });
    }
  });
  it('préfixe de 10 lettres → CLE même avec la clé arithmétiquement juste', () => {
    // ABCDEFGHIJ : 6·(10+…+18) + 19 = 6·126 + 19 = 775 → 5
    expect(refNne('ABCDEFGHIJ')).to.equal('5');
    expect(verifierIne('ABCDEFGHIJ5')).to.deep.equal({ valide: false, raison: 'CLE', format: 'INE_UNIVERSITAIRE' });
  });
  it('RNIE 9+2 : format accepté, clé non vérifiée, découpage 9 + 2', () => {
    expect(verifierIne('123 456 789 ab')).to.deep.equal({
      valide: true,
      format: 'INE_RNIE',
      ine: '123456789AB',
      nne: '123456789',
      cle: 'AB',
      cleVerifiee: false,
    });
  });
  it('apprentissage : format accepté, clé non vérifiée, découpage 10 + 1', () => {
    expect(verifierIne('2021a12345b')).to.deep.equal({
      valide: true,
      format: 'INE_APPRENTISSAGE',
      ine: '2021A12345B',
      nne: '2021A12345',
      cle: 'B',
      cleVerifiee: false,
    });
  });
  it('tout le reste → FORMAT (y compris la saisie vide)', () => {
    for (const s of ['', '   ', '1234567890', '123456789012', 'A234567890B', '1234567890!', '12345678-9']) {
      expect(verifierIne(s), JSON.stringify(s)).to.deep.equal({ valide: false, raison: 'FORMAT' });
    }
  });
  it('BEA pseudo-aléatoires avec clé de référence : valides ; avec une autre lettre : CLE', () => {
    const r = lcg(2024);
    for (let i = 0; i < 500; i++) {
      const dix = String(r() % 100000).padStart(5, '0') + String(r() % 100000).padStart(5, '0');
      if (/^(\d)\1{9}$/.test(dix)) continue;
      const bonne = refBea(dix);
      expect(verifierIne(dix + bonne).valide, dix + bonne).to.equal(true);
      const mauvaise = A23[(A23.indexOf(bonne) + 1) % 23]!;
      expect(verifierIne(dix + mauvaise).valide, dix + mauvaise).to.equal(false);
    }
  });
});

describe('UAI', () => {
  // Vérifiés par python : 'abcdefghjklmnprstuvwxyz'[int(u[:7]) % 23].upper() == u[7]
  const valides: Array<[string, number]> = [
    ['0751717J', 8], // Paris 1
    ['0673021V', 18], // Strasbourg
    ['0597239Y', 21], // Lille
    ['0062205P', 13],
    ['0331766R', 14],
    ['0311382J', 8],
    ['0130221V', 18],
  ];
  for (const [uai, reste] of valides) {
    it(`${uai} est valide (reste ${reste})`, () => {
      expect(Number(uai.slice(0, 7)) % 23).to.equal(reste);
      expect(cleUai(uai.slice(0, 7))).to.equal(uai[7]);
      expect(verifierUai(uai)).to.deep.equal({ valide: true, uai });
    });
  }
  it('accepte une clé en minuscule et renvoie la forme majuscule', () => {
    expect(verifierUai(' 0751717j ')).to.deep.equal({ valide: true, uai: '0751717J' });
  });
  it('mauvaise clé → CLE (0330023 a pour clé W : 330023 mod 23 = 19)', () => {
    expect(verifierUai('0330023T')).to.deep.equal({ valide: false, raison: 'CLE' });
    expect(verifierUai('0330023W')).to.deep.equal({ valide: true, uai: '0330023W' });
    expect(verifierUai('0751717I')).to.deep.equal({ valide: false, raison: 'CLE' });
  });
  it('mauvais format → FORMAT', () => {
    for (const s of ['', '075171J', '07517170J', '0751717', 'A751717J', '0751717-', '0751 717J']) {
      expect(verifierUai(s), JSON.stringify(s)).to.deep.equal({ valide: false, raison: 'FORMAT' });
    }
  });
  it('cleUai parcourt tout l’alphabet sans i, o, q (restes 0 à 22)', () => {
    const lettres = Array.from({ length: 23 }, (_, n) => cleUai(String(n).padStart(7, '0'))).join('');
    expect(lettres).to.equal('ABCDEFGHJKLMNPRSTUVWXYZ');
    expect(() => cleUai('075171')).to.throw(RangeError);
  });
});
