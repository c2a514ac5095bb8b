/**
 * Secrets: API keys are long random tokens kept as a SHA-256 (a key has 256 bits of entropy, a fast
 * hash is enough and cheap on every request); staff passwords, chosen by people, are kept as scrypt.
 * Every comparison is in constant time.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** A new API key: `gw_` + 43 base64url characters (32 random bytes). */
export function nouvelleCle(): string {
  return `gw_${randomBytes(32).toString('base64url')}`;
}

export function empreinteCle(cle: string): string {
  return createHash('sha256').update(cle, 'utf8').digest('hex');
}

/** The first characters of a key, enough to tell keys apart in a listing, too few to help guess it. */
export function indiceCle(cle: string): string {
  return cle.slice(0, 9);
}

export function egalConstant(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

// scrypt: N = 2^15, r = 8, p = 1 (32 MiB, ~0.1 s here): OWASP's minimum for scrypt.
const N = 1 << 15;
const R = 8;
const P = 1;
const LONGUEUR = 32;

function deriver(motDePasse: string, sel: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(motDePasse.normalize('NFC'), sel, LONGUEUR, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, k) => (err ? reject(err) : resolve(k))),
  );
}

export async function hacherMotDePasse(motDePasse: string): Promise<string> {
  const sel = randomBytes(16);
  const k = await deriver(motDePasse, sel, N, R, P);
  return `scrypt$${N}$${R}$${P}$${sel.toString('base64')}$${k.toString('base64')}`;
}

export async function verifierMotDePasse(motDePasse: string, empreinte: string): Promise<boolean> {
  const [algo, n, r, p, sel, k] = empreinte.split('$');
  if (algo !== 'scrypt' || !sel || !k) return false;
  const attendu = Buffer.from(k, 'base64');
  const obtenu = await deriver(motDePasse, Buffer.from(sel, 'base64'), Number(n), Number(r), Number(p));
  return obtenu.length === attendu.length && timingSafeEqual(obtenu, attendu);
}

/** A staff password is at least 12 characters (people choose them; a passphrase is fine). */
export function motDePasseAcceptable(motDePasse: string): string | undefined {
  if (motDePasse.length < 12) return 'au moins 12 caractères';
  if (motDePasse.length > 1024) return '1 024 caractères au plus';
  return undefined;
}
