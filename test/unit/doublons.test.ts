import { expect } from 'chai';
import { clesDeRecherche, detecterDoublons, partageUnCritere, type IdentiteOpi } from '../../src/domain/opi/doublons';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { jsonStable, sha256 } from '../../src/domain/empreinte';

/** Mon identité (l'OPI entrante) : EC0001, sans INE ni numéro étudiant par défaut. */
function moi(over: Partial<IdentiteOpi> = {}): IdentiteOpi {
  return {
    id: 1,
    codOpiIntEpo: 'EC0001',
    codEtuOpi: null,
    codNneIndOpi: null,
    codCleNneIndOpi: null,
    cleNomPat: 'LEFEVRE',
    clePr1: 'ELODIE',
    dateNaiIndOpi: '2006-05-12',
    ...over,
  };
}

/** Un autre individu, sans rien en commun avec moi() par défaut. */
function autre(over: Partial<IdentiteOpi> = {}): IdentiteOpi {
  return {
    id: 2,
    codOpiIntEpo: 'PS0002',
    codEtuOpi: null,
    codNneIndOpi: null,
    codCleNneIndOpi: null,
    cleNomPat: 'MARTIN',
    clePr1: 'PAUL',
    dateNaiIndOpi: '2005-01-01',
    ...over,
  };
}

function motifs(moiOpi: IdentiteOpi, candidats: IdentiteOpi[]): string[] {
  return detecterDoublons(moiOpi, candidats).map((d) => `${d.motif}:${d.existant.codOpiIntEpo}`);
}

describe('doublons — detecterDoublons', () => {
  it("même INE et même clé → DOUBLON_INE, avec l'OPI existante", () => {
    const c = autre({ codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' });
    const r = detecterDoublons(moi({ codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' }), [c]);
    expect(r).to.have.length(1);
    expect(r[0]!.motif).to.equal('DOUBLON_INE');
    expect(r[0]!.existant).to.equal(c);
  });
  it('même INE, clé différente → rien', () => {
    expect(motifs(moi({ codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' }), [autre({ codNneIndOpi: '1234567890', codCleNneIndOpi: 'W' })])).to.deep.equal([]);
  });
  it('INE absent des deux côtés → rien', () => {
    expect(motifs(moi(), [autre()])).to.deep.equal([]);
  });
  it('même numéro étudiant → DOUBLON_COD_ETU ; absent des deux côtés → rien', () => {
    expect(motifs(moi({ codEtuOpi: 21001234 }), [autre({ codEtuOpi: 21001234 })])).to.deep.equal(['DOUBLON_COD_ETU:PS0002']);
    expect(motifs(moi({ codEtuOpi: 21001234 }), [autre({ codEtuOpi: 21001235 })])).to.deep.equal([]);
  });
  it('même nom de naissance, prénom et date (clés) → DOUBLON_ETAT_CIVIL', () => {
    expect(motifs(moi(), [autre({ cleNomPat: 'LEFEVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-12' })])).to.deep.equal(['DOUBLON_ETAT_CIVIL:PS0002']);
  });
  it('état civil partiellement commun → rien', () => {
    expect(
      motifs(moi(), [
        autre({ cleNomPat: 'LEFEVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-13' }),
        autre({ cleNomPat: 'LEFEVRE', clePr1: 'ELOISE', dateNaiIndOpi: '2006-05-12' }),
        autre({ cleNomPat: 'LEFEBVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-12' }),
      ]),
    ).to.deep.equal([]);
  });
  it("même numéro d'OPI → rien (c'est la même OPI), même si tout coïncide", () => {
    const ident = { codEtuOpi: 21001234, codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' };
    expect(motifs(moi(ident), [moi({ ...ident, id: 1 })])).to.deep.equal([]);
    expect(
      motifs(moi(ident), [autre({ ...ident, codOpiIntEpo: 'EC0001', cleNomPat: 'LEFEVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-12' })]),
    ).to.deep.equal([]);
  });
  it("tous les critères à la fois : trois motifs, dans l'ordre numéro étudiant, INE, état civil", () => {
    const ident = { codEtuOpi: 21001234, codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' };
    expect(motifs(moi(ident), [autre({ ...ident, cleNomPat: 'LEFEVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-12' })])).to.deep.equal([
      'DOUBLON_COD_ETU:PS0002',
      'DOUBLON_INE:PS0002',
      'DOUBLON_ETAT_CIVIL:PS0002',
    ]);
  });
  it('plusieurs candidats : chacun pour son motif, les autres ignorés', () => {
    const r = motifs(moi({ codEtuOpi: 7, codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' }), [
      autre({ codOpiIntEpo: 'A', codEtuOpi: 7 }),
      autre({ codOpiIntEpo: 'B' }),
      autre({ codOpiIntEpo: 'C', codNneIndOpi: '1234567890', codCleNneIndOpi: 'V' }),
      autre({ codOpiIntEpo: 'EC0001', codEtuOpi: 7 }),
      autre({ codOpiIntEpo: 'D', cleNomPat: 'LEFEVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-12' }),
    ]);
    expect(r).to.deep.equal(['DOUBLON_COD_ETU:A', 'DOUBLON_INE:C', 'DOUBLON_ETAT_CIVIL:D']);
  });
  it('sans id (OPI pas encore enregistrée) : fonctionne', () => {
    const { id: _id, ...sansId } = moi({ codEtuOpi: 5 });
    expect(detecterDoublons(sansId, [autre({ codEtuOpi: 5 })]).map((d) => d.motif)).to.deep.equal(['DOUBLON_COD_ETU']);
  });
});

describe('empreinte — jsonStable', () => {
  it("indépendant de l'ordre des clés, à tous les niveaux", () => {
    const a = { b: 1, a: { y: [1, 2], x: 'x' }, c: null };
    const b = { c: null, a: { x: 'x', y: [1, 2] }, b: 1 };
    expect(jsonStable(a)).to.equal(jsonStable(b));
    expect(jsonStable(a)).to.equal('{"a":{"x":"x","y":[1,2]},"b":1,"c":null}');
    expect(sha256(jsonStable(a))).to.equal(sha256(jsonStable(b)));
  });
  it("dépendant de l'ordre des tableaux", () => {
    expect(jsonStable([1, 2])).to.not.equal(jsonStable([2, 1]));
    expect(jsonStable({ voeux: [{ a: 1 }, { b: 2 }] })).to.not.equal(jsonStable({ voeux: [{ b: 2 }, { a: 1 }] }));
    expect(jsonStable([{ b: 2, a: 1 }])).to.equal('[{"a":1,"b":2}]');
  });
  it('le même texte que la première forme, faite de tableaux de morceaux, pour toute valeur JSON (les empreintes gardées en dépendent)', () => {
    const premiere = (v: unknown): string => {
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : premiere(x))).join(',')}]`;
      const o = v as Record<string, unknown>;
      return `{${Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${premiere(o[k])}`)
        .join(',')}}`;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonStable(v)).to.equal(premiere(v));
      }),
      { numRuns: 1000 },
    );
    expect(jsonStable({ 0: null, '': null, b: [undefined, 1], a: undefined })).to.equal('{"":null,"0":null,"b":[null,1]}');
  });
  it("clés dans l'ordre des unités UTF-16, comme sort() : clés numériques et hors BMP comprises", () => {
    const o = { é: 1, Z: 2, a: 3, '10': 4, '9': 5, '': 6, '\u{1F600}': 7, '\uFFFF': 8 };
    expect(jsonStable(o)).to.equal('{"":6,"10":4,"9":5,"Z":2,"a":3,"é":1,"\u{1F600}":7,"\uFFFF":8}');
    expect(jsonStable({ d: new Date(Date.UTC(2026, 0, 2)) })).to.equal('{"d":"2026-01-02T00:00:00.000Z"}');
  });
  it('le même texte que la première forme pour les objets de plus de 32 clés et les dates aussi', () => {
    const premiere = (v: unknown): string => {
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      if (v instanceof Date) return JSON.stringify(v.toISOString());
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : premiere(x))).join(',')}]`;
      const o = v as Record<string, unknown>;
      const cles = Object.keys(o).filter((k) => o[k] !== undefined);
      return `{${cles
        .sort()
        .map((k) => `${JSON.stringify(k)}:${premiere(o[k])}`)
        .join(',')}}`;
    };
    const cle = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('codEtu', '1', '10', 'é', 'Z'));
    const feuille = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true }));
    // A record of 20 to 45 fields (past the insertion sort's 32), with small lists and records inside.
    const interieur = fc.oneof(feuille, fc.array(feuille, { maxLength: 3 }), fc.dictionary(cle, feuille, { maxKeys: 5 }));
    const valeur = fc.dictionary(cle, interieur, { minKeys: 20, maxKeys: 45 });
    fc.assert(
      fc.property(valeur, (v) => jsonStable(v) === premiere(v)),
      { numRuns: 500 },
    );
  });
  it('ignore les clés de valeur undefined (comme JSON.stringify)', () => {
    expect(jsonStable({ a: 1, b: undefined })).to.equal('{"a":1}');
  });
  it('scalaires et chaînes échappées comme JSON.stringify ; résultat relu par JSON.parse', () => {
    expect(jsonStable('é"\n')).to.equal(JSON.stringify('é"\n'));
    expect(jsonStable(12)).to.equal('12');
    expect(jsonStable(null)).to.equal('null');
    const v = { z: [true, false, null, 1.5, 'a"b'], 'clé "spéciale"': { '': 0 } };
    expect(JSON.parse(jsonStable(v))).to.deep.equal(v);
  });
  it('sha256 : hexadécimal de 64 caractères, stable', () => {
    expect(sha256('')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).to.match(/^[0-9a-f]{64}$/);
    for (const t of ['abc', 'élodie', '\u{1F600}']) expect(sha256(t)).to.equal(createHash('sha256').update(t, 'utf8').digest('hex'));
  });
});

describe("doublons — partageUnCritere, clesDeRecherche (la recherche d'un paquet en mémoire)", () => {
  it("candidat : même identité civile, même numéro INE (clé quelconque) ou même numéro étudiant ; rien d'autre", () => {
    expect(partageUnCritere(moi(), autre())).to.equal(false);
    expect(partageUnCritere(moi(), autre({ cleNomPat: 'LEFEVRE', clePr1: 'ELODIE', dateNaiIndOpi: '2006-05-12' }))).to.equal(true);
    expect(partageUnCritere(moi(), autre({ cleNomPat: 'LEFEVRE', clePr1: 'ELODIE' }))).to.equal(false);
    expect(partageUnCritere(moi({ codNneIndOpi: '0000000001' }), autre({ codNneIndOpi: '0000000001', codCleNneIndOpi: 'Z' }))).to.equal(true);
    expect(partageUnCritere(moi({ codEtuOpi: 12345678 }), autre({ codEtuOpi: 12345678 }))).to.equal(true);
    // Two absent numbers are not a shared number.
    expect(partageUnCritere(moi(), autre({ codNneIndOpi: null, codEtuOpi: null }))).to.equal(false);
  });

  it('deux identités partagent un critère si et seulement si elles ont une clé de recherche en commun', () => {
    const variantes = [
      moi(),
      moi({ codEtuOpi: 7 }),
      moi({ codNneIndOpi: '0000000001', codCleNneIndOpi: 'B' }),
      autre(),
      autre({ codEtuOpi: 7 }),
      autre({ codNneIndOpi: '0000000001' }),
    ];
    for (const a of variantes)
      for (const b of variantes) {
        const communes = clesDeRecherche(a).filter((k) => clesDeRecherche(b).includes(k));
        expect(communes.length > 0, `${JSON.stringify(a)} / ${JSON.stringify(b)}`).to.equal(partageUnCritere(a, b));
      }
  });
});
