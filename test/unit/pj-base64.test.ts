/**
 * The base64 decoding of PjOpiMetier's `_pj` (src/adapters/soap/pj-opi-metier.ts): strict
 * xsd:base64Binary (Node's own decoder silently skips what is not base64), blanks allowed anywhere,
 * decoded slice by slice into a file — whatever the slice boundaries fall on (padding split across two
 * slices, blanks only in a slice…).
 */
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decoderBase64VersFichier } from '../../src/adapters/soap/pj-opi-metier';

describe('PjOpiMetier : décodage base64 de _pj vers un fichier', () => {
  let dossier: string;
  let n = 0;
  before(() => {
    dossier = mkdtempSync(path.join(tmpdir(), 'pj-base64-'));
  });
  after(() => {
    rmSync(dossier, { recursive: true, force: true });
  });
  const decoder = async (texte: string, tranche?: number) => {
    const fichier = path.join(dossier, `f${n++}`);
    const r = await decoderBase64VersFichier(texte, fichier, tranche);
    return { ...r, octets: readFileSync(fichier) };
  };

  it('valide : mêmes octets, même empreinte, quelles que soient les coupures et les blancs', async () => {
    for (const taille of [0, 1, 2, 3, 4, 5, 57, 100]) {
      const octets = randomBytes(taille);
      const b64 = octets.toString('base64');
      const variantes = [b64, b64.replace(/(.{76})/g, '$1\r\n'), b64.replace(/(.{4})/g, '$1 '), `\n\t ${b64.split('').join('\n')} \n`];
      for (const texte of variantes) {
        for (const tranche of [1, 2, 3, 4, 5, 7, 64, undefined]) {
          const r = await decoder(texte, tranche);
          expect(r.valide, `${JSON.stringify(texte)} / ${tranche}`).to.equal(true);
          expect(r.octets.equals(octets), `${JSON.stringify(texte)} / ${tranche}`).to.equal(true);
          expect(r.taille).to.equal(taille);
          expect(r.empreinte).to.equal(createHash('sha256').update(octets).digest('hex'));
        }
      }
    }
  });

  it('invalide : hors alphabet, base64url, longueur, remplissage mal placé ou en trop', async () => {
    for (const texte of ['QQ=', 'Q', 'QUJDQ', 'Q===', '====', 'QQ==QQ==', 'QQ=A', 'QUJD=', 'QU-_', 'QUJ!', 'QUJD\u00e9', 'QQ==\n=', 'QQ%3D%3D']) {
      for (const tranche of [1, 2, 3, 5, undefined]) {
        const r = await decoder(texte, tranche);
        expect(r.valide, `${JSON.stringify(texte)} / ${tranche}`).to.equal(false);
        expect(r.taille).to.equal(0);
        // The journal hashes the text as received.
        expect(r.empreinte).to.equal(createHash('sha256').update(texte).digest('hex'));
      }
    }
  });

  it('le fichier est créé, jamais écrasé', async () => {
    const fichier = path.join(dossier, 'existant');
    await decoderBase64VersFichier('QQ==', fichier);
    let erreur: unknown;
    await decoderBase64VersFichier('QUJD', fichier).catch((e) => {
      erreur = e;
    });
    expect((erreur as NodeJS.ErrnoException).code).to.equal('EEXIST');
    expect(readFileSync(fichier).toString()).to.equal('A');
  });
});
