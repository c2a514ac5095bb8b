/**
 * Kept payloads encrypted at rest: deflate, then AES-256-GCM with a random 96-bit nonce. The stored
 * text is `base64(nonce | tag | ciphertext)`, and beside it the key id (the first 16 hex digits of the
 * key's SHA-256), so that a new key can be put in `JOURNAL_CLE` while the old ones, moved to
 * `JOURNAL_CLES_ANCIENNES`, still open what they sealed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CoffreCharges } from '../../application/ports';

const idDe = (cle: Buffer) => createHash('sha256').update(cle).digest('hex').slice(0, 16);

/** A key as `openssl rand -base64 32` prints it; anything else is refused at start with what was expected. */
export function lireCleJournal(texte: string, variable: string): Buffer {
  const cle = Buffer.from(texte.trim(), 'base64');
  if (cle.length !== 32 || cle.toString('base64') !== texte.trim())
    throw new Error(`${variable} : 32 octets en base64 attendus (par exemple la sortie de « openssl rand -base64 32 »)`);
  return cle;
}

export class CoffreAes implements CoffreCharges {
  private readonly cles = new Map<string, Buffer>();
  private readonly courante: string;

  constructor(courante: Buffer, anciennes: readonly Buffer[] = []) {
    this.courante = idDe(courante);
    for (const k of [courante, ...anciennes]) this.cles.set(idDe(k), k);
  }

  get cleCourante(): string {
    return this.courante;
  }

  chiffrer(texte: string): { cle: string; donnees: string } {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.cles.get(this.courante)!, nonce);
    const chiffre = Buffer.concat([c.update(deflateRawSync(Buffer.from(texte, 'utf8'))), c.final()]);
    return { cle: this.courante, donnees: Buffer.concat([nonce, c.getAuthTag(), chiffre]).toString('base64') };
  }

  connait(cle: string): boolean {
    return this.cles.has(cle);
  }

  /** Throws when the key is not configured or the text was altered (GCM's tag does not match). */
  dechiffrer(cle: string, donnees: string): string {
    const k = this.cles.get(cle);
    if (!k) throw new Error(`clé de journal inconnue : ${cle}`);
    const b = Buffer.from(donnees, 'base64');
    const d = createDecipheriv('aes-256-gcm', k, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return inflateRawSync(Buffer.concat([d.update(b.subarray(28)), d.final()])).toString('utf8');
  }
}
