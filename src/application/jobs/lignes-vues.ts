/**
 * The rows of a file already seen, by candidate: what tells a repeated row (LIGNE_EN_DOUBLE) from a
 * contradicting one (LIGNE_CONTRADICTOIRE). Kept for the whole file (a row repeated 900,000 rows later
 * is still reported), so it is kept out of the JS heap, in typed arrays: 28 bytes per candidate instead
 * of a string and a map entry (about 80). A candidate is its key reduced to 96 bits: a digit-only number
 * exactly (so `0012` is `12`), any other text by three independent 32-bit hashes (two different keys
 * would have to agree on 95 bits to be taken for one: about 1 chance in 10^16 for a million-row file).
 * Each candidate keeps the rank of its first row and the first 48 bits of that row's SHA-256 (a
 * collision there would only call two different rows "repeated").
 */
export class LignesVues {
  /** Open addressing, linear probing: entry number + 1, 0 = free; at most half full. */
  private cases = new Int32Array(2048);
  /** Per entry: the key's three words, the first row's rank and its hash. */
  private cles = new Int32Array(3 * 1024);
  private rangs = new Int32Array(1024);
  private empreintes = new Float64Array(1024);
  private n = 0;
  private readonly mots = new Int32Array(3);

  /** The first row seen for this candidate, or undefined (then this one is recorded). */
  voir(id: string, rang: number, empreinteHex: string): { rang: number; identique: boolean } | undefined {
    const e = Number.parseInt(empreinteHex.slice(0, 12), 16);
    const m = this.reduire(id);
    const a = m[0];
    const b = m[1];
    const c = m[2];
    const masque = this.cases.length - 1;
    let i = melanger(a, b, c) & masque;
    for (let x = this.cases[i]; x !== 0; i = (i + 1) & masque, x = this.cases[i]) {
      const k = x - 1;
      if (this.cles[3 * k] === a && this.cles[3 * k + 1] === b && this.cles[3 * k + 2] === c)
        return { rang: this.rangs[k], identique: this.empreintes[k] === e };
    }
    const k = this.n++;
    if (k === this.rangs.length) this.agrandirEntrees();
    this.cles[3 * k] = a;
    this.cles[3 * k + 1] = b;
    this.cles[3 * k + 2] = c;
    this.rangs[k] = rang;
    this.empreintes[k] = e;
    this.cases[i] = k + 1;
    if (2 * this.n > this.cases.length) this.agrandirCases();
    return undefined;
  }

  /** A digit-only number: its low and high 32 bits, third word 0; a text: three hashes, the third one odd. */
  private reduire(id: string): Int32Array {
    const m = this.mots;
    if (/^\d{1,15}$/.test(id)) {
      const v = Number(id);
      m[0] = v % 0x1_0000_0000;
      m[1] = Math.floor(v / 0x1_0000_0000);
      m[2] = 0;
      return m;
    }
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    let h3 = 0x9e3779b9;
    for (let j = 0; j < id.length; j++) {
      const u = id.charCodeAt(j);
      h1 = Math.imul(h1 ^ u, 0x01000193);
      h2 = Math.imul(h2 ^ u, 0x5bd1e995);
      h3 = Math.imul(h3 ^ u, 0x27d4eb2f);
    }
    m[0] = fmix(h1 ^ id.length);
    m[1] = fmix(h2 + id.length);
    m[2] = fmix(h3) | 1;
    return m;
  }

  private agrandirEntrees(): void {
    const t = this.rangs.length * 2;
    const cles = new Int32Array(3 * t);
    cles.set(this.cles);
    this.cles = cles;
    const rangs = new Int32Array(t);
    rangs.set(this.rangs);
    this.rangs = rangs;
    const empreintes = new Float64Array(t);
    empreintes.set(this.empreintes);
    this.empreintes = empreintes;
  }

  private agrandirCases(): void {
    const cases = new Int32Array(this.cases.length * 2);
    const masque = cases.length - 1;
    for (let k = 0; k < this.n; k++) {
      let i = melanger(this.cles[3 * k], this.cles[3 * k + 1], this.cles[3 * k + 2]) & masque;
      while (cases[i] !== 0) i = (i + 1) & masque;
      cases[i] = k + 1;
    }
    this.cases = cases;
  }
}

/** MurmurHash3's finaliser: every input bit reaches every output bit. */
function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The table slot of a key (a number's words are not spread by themselves). */
function melanger(a: number, b: number, c: number): number {
  return fmix(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b));
}
