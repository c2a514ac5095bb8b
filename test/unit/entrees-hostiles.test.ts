/** Bounds on hostile input that need no server: forbidden characters, JSON nesting, storable rejects. */
import { expect } from 'chai';
import { caractereInterdit, jsonTropProfond } from '../../src/domain/text';
import { caracteresInterdits, problemesSchema } from '../../src/application/validation';
import { valeursBornees } from '../../src/application/jobs/moteur';
import { analyserEnveloppe } from '../../src/adapters/soap/serveur-soap';

describe('entrées hostiles — bornes', () => {
  it('caractereInterdit : NUL, contrôles, DEL, BOM dans la valeur, demi-paires UTF-16 ; tab, retours, accents et emoji passent', () => {
    expect(caractereInterdit('Lef\u0000vre')).to.equal('U+0000');
    expect(caractereInterdit('a\u001Bb')).to.equal('U+001B');
    expect(caractereInterdit('a\u007F')).to.equal('U+007F');
    expect(caractereInterdit('\uFEFFÉlodie')).to.equal('U+FEFF');
    expect(caractereInterdit('x\uD800y')).to.equal('U+D800');
    expect(caractereInterdit('x\uDC00')).to.equal('U+DC00');
    expect(caractereInterdit("Élodie\tŒuvre\r\nd'Ys 😀")).to.equal(undefined);
  });

  it('problemesSchema : un caractère interdit est nommé avec son chemin, en plus des autres problèmes', () => {
    const p = problemesSchema('laissez-passer', { typLpa: 'RE\u0000INS', codAnu: '2026', codEtu: 'x\uD800' });
    expect(p.filter((x) => x.code === 'CARACTERE_INTERDIT').map((x) => `${x.path}:${x.message.split(' (')[0]}`)).to.deep.equal([
      'typLpa:Caractère interdit dans la valeur : U+0000',
      'codEtu:Caractère interdit dans la valeur : U+D800',
    ]);
    expect(p.length).to.be.greaterThan(2);
  });

  it('caracteresInterdits : le chemin de chaque valeur fautive, dans les listes et les objets imbriqués, sous le préfixe donné', () => {
    const chemins = (v: unknown, prefixe: string) => caracteresInterdits(v, prefixe).map((x) => `${x.path}=${x.message.split(' : ')[1].split(' ')[0]}`);
    const ligne = { a: [{ b: 'x\u0000', ok: 'é' }, 'bon', 'y\u0001'], c: { d: '\uFEFF', e: 3, f: null }, g: 'sain' };
    expect(chemins(ligne, 'lignes[3]')).to.deep.equal(['lignes[3].a[0].b=U+0000', 'lignes[3].a[2]=U+0001', 'lignes[3].c.d=U+FEFF']);
    expect(chemins(ligne, '')).to.deep.equal(['a[0].b=U+0000', 'a[2]=U+0001', 'c.d=U+FEFF']);
    expect(chemins(['\u007F', ['z\uDC00']], 'voeux')).to.deep.equal(['voeux[0]=U+007F', 'voeux[1][0]=U+DC00']);
    expect(chemins('a\u0002', 'champ')).to.deep.equal(['champ=U+0002']);
    expect(chemins({ a: 'propre', b: ['net'] }, '')).to.deep.equal([]);
  });

  it('jsonTropProfond : compte listes et objets hors des chaînes, sans analyser', () => {
    const enc = (s: string) => Buffer.from(s);
    expect(jsonTropProfond(enc('['.repeat(50_000)), 32)).to.equal(true);
    expect(jsonTropProfond(enc(`${'['.repeat(32)}${']'.repeat(32)}`), 32)).to.equal(false);
    expect(jsonTropProfond(enc(`{"a":"${'['.repeat(100)}\\"["}`), 32)).to.equal(false);
    expect(jsonTropProfond(enc('{"a":{"b":{"c":[1,{"d":2}]}}}'), 5)).to.equal(false);
    expect(jsonTropProfond(enc('{"a":{"b":{"c":[1,{"d":2}]}}}'), 4)).to.equal(true);
  });

  it('valeursBornees : une ligne de 5 000 cellules ou une valeur de 100 000 caractères reste sous 16 000 caractères, avec un marqueur', () => {
    const large = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`col${i}`, 'x'.repeat(20)]));
    const l = valeursBornees(large);
    expect(l.length).to.be.at.most(16_000);
    expect(JSON.parse(l)['…']).to.match(/^\d+ colonne\(s\) non gardée\(s\)$/);
    const longue = valeursBornees({ codEtu: '21000001', libCmtLpa: 'y'.repeat(100_000) });
    expect(longue.length).to.be.at.most(16_000);
    expect(JSON.parse(longue)).to.deep.equal({ codEtu: '21000001', libCmtLpa: `${'y'.repeat(500)}…[tronqué : 100000 caractères]` });
    expect(valeursBornees({ a: '1' })).to.equal('{"a":"1"}');
  });

  it('analyserEnveloppe : XML imbriqué sur 10 000 niveaux refusé (imbrication), sans récursion', () => {
    const xml = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><a>${'<b>'.repeat(10_000)}${'</b>'.repeat(10_000)}</a></soapenv:Body></soapenv:Envelope>`;
    expect(analyserEnveloppe(xml).erreur).to.equal("imbrication de plus de 64 niveaux d'éléments");
  });

  it('analyserEnveloppe : un en-tête mustUnderstand inconnu est refusé (MustUnderstand) ; WS-Security, ou mustUnderstand=0, passent', () => {
    const env = (entete: string) =>
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>${entete}</soapenv:Header><soapenv:Body><ns:op xmlns:ns="urn:x"/></soapenv:Body></soapenv:Envelope>`;
    const inconnu = analyserEnveloppe(env('<t:Transaction xmlns:t="urn:tx" soapenv:mustUnderstand="1">5</t:Transaction>'));
    expect(inconnu).to.include({ nonCompris: true, erreur: "l'en-tête {urn:tx}Transaction est marqué mustUnderstand et ce service ne le traite pas" });
    const wsse = '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soapenv:mustUnderstand="1"/>';
    expect(analyserEnveloppe(env(wsse)).erreur).to.equal(undefined);
    expect(analyserEnveloppe(env('<t:Transaction xmlns:t="urn:tx" soapenv:mustUnderstand="0">5</t:Transaction>')).erreur).to.equal(undefined);
  });
});
