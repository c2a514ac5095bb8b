import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { CoffreAes, lireCleJournal } from '../../src/adapters/chiffrement/coffre-aes';

describe('coffre des charges du journal (AES-256-GCM)', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('chiffre puis déchiffre ; deux chiffrements du même texte diffèrent ; le texte clair n’apparaît pas', () => {
    const c = new CoffreAes(k1);
    const texte = JSON.stringify({ corps: { individu: { libNomPatIndOpi: 'DURAND', codOpiIntEpo: 'EC26000001' } } });
    const a = c.chiffrer(texte);
    const b = c.chiffrer(texte);
    expect(a.donnees).to.not.equal(b.donnees);
    expect(Buffer.from(a.donnees, 'base64').toString('latin1')).to.not.include('DURAND');
    expect(c.dechiffrer(a.cle, a.donnees)).to.equal(texte);
  });

  it('rotation : la nouvelle clé chiffre, l’ancienne ouvre encore ce qu’elle a scellé', () => {
    const ancien = new CoffreAes(k1).chiffrer('avant');
    const c = new CoffreAes(k2, [k1]);
    expect(c.cleCourante).to.not.equal(ancien.cle);
    expect(c.dechiffrer(ancien.cle, ancien.donnees)).to.equal('avant');
    expect(() => new CoffreAes(k2).dechiffrer(ancien.cle, ancien.donnees)).to.throw(/clé de journal inconnue/);
  });

  it('un texte altéré est refusé (étiquette GCM)', () => {
    const c = new CoffreAes(k1);
    const x = c.chiffrer('{"a":1}');
    const b = Buffer.from(x.donnees, 'base64');
    b[b.length - 1] ^= 1;
    expect(() => c.dechiffrer(x.cle, b.toString('base64'))).to.throw();
  });

  it('la clé : 32 octets en base64, sinon un message qui dit quoi donner', () => {
    expect(lireCleJournal(k1.toString('base64'), 'JOURNAL_CLE')).to.deep.equal(k1);
    expect(() => lireCleJournal('trop-court', 'JOURNAL_CLE')).to.throw(/JOURNAL_CLE : 32 octets en base64/);
    expect(() => lireCleJournal(randomBytes(16).toString('base64'), 'JOURNAL_CLE')).to.throw(/openssl rand -base64 32/);
  });
});
