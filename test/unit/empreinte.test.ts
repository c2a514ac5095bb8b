import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { jsonStable, sha256 } from '../../src/domain/empreinte';

/**
 * The text hashes were first computed with: keys `sort()`ed, each quoted by `JSON.stringify`, undefined
 * members skipped, undefined array items as `null`, dates as ISO strings. Stored fingerprints depend on
 * it byte for byte, so the faster version is checked against that plain one.
 */
function reference(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : reference(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const parties = Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${reference(o[k])}`);
  return `{${parties.join(',')}}`;
}

describe('empreinte — jsonStable and sha256', () => {
  it('sorts keys at every level, skips undefined members, writes undefined items as null', () => {
    expect(jsonStable({ b: 1, a: { d: [3, undefined], c: 'x' }, e: undefined })).to.equal('{"a":{"c":"x","d":[3,null]},"b":1}');
  });

  it('orders keys by UTF-16 code unit, integer-like keys included, as sort() does', () => {
    const o = { é: 1, Z: 2, a: 3, '10': 4, '9': 5, '': 6, '\u{1F600}': 7, '\uFFFF': 8 };
    expect(jsonStable(o)).to.equal('{"":6,"10":4,"9":5,"Z":2,"a":3,"é":1,"\u{1F600}":7,"\uFFFF":8}');
  });

  it('writes dates as ISO strings and escapes what JSON escapes', () => {
    expect(jsonStable({ d: new Date(Date.UTC(2026, 0, 2)), s: 'a"\\\u0001\u2028' })).to.equal(
      `{"d":"2026-01-02T00:00:00.000Z","s":${JSON.stringify('a"\\\u0001\u2028')}}`,
    );
  });

  it('gives the same text as the plain sort-based version, on any JSON-like value (40 keys and more too)', () => {
    const cle = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('codEtu', 'codAnu', '1', '10', 'é', 'Z'));
    const feuille = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true }));
    const valeur = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, feuille, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(cle, tie('v'), { maxKeys: 45 })),
    })).v;
    fc.assert(
      fc.property(valeur, (v) => jsonStable(v) === reference(v)),
      { numRuns: 3000 },
    );
  });

  it('sha256 is the hex digest of the UTF-8 text', () => {
    for (const t of ['', 'abc', 'élodie', '\u{1F600}']) expect(sha256(t)).to.equal(createHash('sha256').update(t, 'utf8').digest('hex'));
  });
});
