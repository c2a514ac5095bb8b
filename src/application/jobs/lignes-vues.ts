/**
 * The rows of a file already seen, by candidate: what tells a repeated row (LIGNE_EN_DOUBLE) from a
 * contradicting one (LIGNE_CONTRADICTOIRE). Kept compact, since a file may have hundreds of thousands
 * of rows: a digit-only candidate number is a number key (no string kept alive, not even the row it
 * was cut from), and each row keeps its rank and the first 48 bits of its record's SHA-256 in typed
 * arrays (a collision would only call two different rows "repeated").
 */
export class LignesVues {
  private readonly index = new Map<number | string, number>();
  private rangs = new Int32Array(1024);
  private empreintes = new Float64Array(1024);

  private static cle(id: string): number | string {
    // A fresh copy of a text key: a sliced string would keep its whole parent row in memory.
    return /^\d{1,15}$/.test(id) ? Number(id) : Buffer.from(id, 'utf8').toString('utf8');
  }

  /** The first row seen for this candidate, or undefined (then this one is recorded). */
  voir(id: string, rang: number, empreinteHex: string): { rang: number; identique: boolean } | undefined {
    const e = Number.parseInt(empreinteHex.slice(0, 12), 16);
    const cle = LignesVues.cle(id);
    const i = this.index.get(cle);
    if (i !== undefined) return { rang: this.rangs[i], identique: this.empreintes[i] === e };
    const n = this.index.size;
    if (n === this.rangs.length) {
      const r = new Int32Array(n * 2);
      r.set(this.rangs);
      this.rangs = r;
      const x = new Float64Array(n * 2);
      x.set(this.empreintes);
      this.empreintes = x;
    }
    this.rangs[n] = rang;
    this.empreintes[n] = e;
    this.index.set(cle, n);
    return undefined;
  }
}
