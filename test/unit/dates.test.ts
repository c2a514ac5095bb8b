import { expect } from 'chai';
import { ageEnAnnees, formatDateApogee, parseDateApogee, parseDateFr, parseDateIso } from '../../src/domain/dates';

describe('dates — parseDateApogee (ddMMyyyy)', () => {
  it('exemple OPI 25121984 → 1984-12-25', () => {
    expect(parseDateApogee('25121984')).to.equal('1984-12-25');
  });
  it('29/02 : valide les années bissextiles seulement', () => {
    expect(parseDateApogee('29022024')).to.equal('2024-02-29');
    expect(parseDateApogee('29022000')).to.equal('2000-02-29'); // divisible par 400
    expect(parseDateApogee('29022023')).to.equal(null);
    expect(parseDateApogee('29021900')).to.equal(null); // divisible par 100, pas par 400
  });
  it('dates impossibles → null', () => {
    for (const s of ['31022020', '31042020', '00012020', '01002020', '01132020', '32012020', '01010000']) {
      expect(parseDateApogee(s), s).to.equal(null);
    }
  });
  it('forme non conforme → null', () => {
    for (const s of ['', '2512198', '251219845', '25/12/1984', '25-12-1984', '2512198a', ' 25121984']) {
      expect(parseDateApogee(s), s).to.equal(null);
    }
  });
  it('bornes de mois', () => {
    expect(parseDateApogee('31012021')).to.equal('2021-01-31');
    expect(parseDateApogee('30042021')).to.equal('2021-04-30');
    expect(parseDateApogee('31122021')).to.equal('2021-12-31');
  });
});

describe('dates — parseDateIso (YYYY-MM-DD)', () => {
  it('renvoie la date si elle existe', () => {
    expect(parseDateIso('2024-02-29')).to.equal('2024-02-29');
    expect(parseDateIso('1999-12-31')).to.equal('1999-12-31');
  });
  it('refuse les dates impossibles ou mal formées', () => {
    for (const s of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-2-29', '2024-02-29T00:00:00Z', '24-02-29', '']) {
      expect(parseDateIso(s), s).to.equal(null);
    }
  });
});

describe('dates — parseDateFr (dd/MM/yyyy)', () => {
  it('convertit en ISO', () => {
    expect(parseDateFr('01/09/2025')).to.equal('2025-09-01');
    expect(parseDateFr('29/02/2024')).to.equal('2024-02-29');
  });
  it('refuse les dates impossibles et les formes non strictes', () => {
    for (const s of ['29/02/2025', '31/06/2025', '1/9/2025', '01-09-2025', '01092025', '2025/09/01', '']) {
      expect(parseDateFr(s), s).to.equal(null);
    }
  });
});

describe('dates — formatDateApogee', () => {
  it('ISO → ddMMyyyy', () => {
    expect(formatDateApogee('1984-12-25')).to.equal('25121984');
    expect(formatDateApogee('2001-01-02')).to.equal('02012001');
  });
  it('aller-retour avec parseDateApogee', () => {
    for (const iso of ['2024-02-29', '1900-03-01', '2000-12-31', '0999-07-14']) {
      expect(parseDateApogee(formatDateApogee(iso))).to.equal(iso);
    }
  });
  it('lève RangeError sur une date invalide', () => {
    expect(() => formatDateApogee('2023-02-29')).to.throw(RangeError);
    expect(() => formatDateApogee('25121984')).to.throw(RangeError);
  });
});

describe('dates — ageEnAnnees', () => {
  it('années révolues autour de l’anniversaire', () => {
    expect(ageEnAnnees('2000-06-15', '2025-06-14')).to.equal(24);
    expect(ageEnAnnees('2000-06-15', '2025-06-15')).to.equal(25);
    expect(ageEnAnnees('2000-06-15', '2025-12-31')).to.equal(25);
    expect(ageEnAnnees('2000-06-15', '2000-06-15')).to.equal(0);
  });
  it('né un 29 février : anniversaire le 1er mars les années non bissextiles', () => {
    expect(ageEnAnnees('2004-02-29', '2023-02-28')).to.equal(18);
    expect(ageEnAnnees('2004-02-29', '2023-03-01')).to.equal(19);
    expect(ageEnAnnees('2004-02-29', '2024-02-29')).to.equal(20);
  });
  it('indépendant du fuseau : 31/12 et 01/01', () => {
    expect(ageEnAnnees('1990-01-01', '2020-12-31')).to.equal(30);
    expect(ageEnAnnees('1990-12-31', '2021-01-01')).to.equal(30);
  });
  it('règle eCandidat : > 100 ans ou < 10 ans', () => {
    expect(ageEnAnnees('1925-11-24', '2025-11-23')).to.equal(99);
    expect(ageEnAnnees('1925-11-23', '2025-11-23')).to.equal(100);
    expect(ageEnAnnees('2015-11-24', '2025-11-23')).to.equal(9);
  });
  it('négatif si la référence précède la naissance ; RangeError si date invalide', () => {
    expect(ageEnAnnees('2000-06-15', '1999-06-15')).to.be.lessThan(0);
    expect(() => ageEnAnnees('2023-02-29', '2024-01-01')).to.throw(RangeError);
    expect(() => ageEnAnnees('2000-01-01', '01/01/2024')).to.throw(RangeError);
  });
});
