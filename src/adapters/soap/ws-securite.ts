/**
 * WS-Security UsernameToken (PasswordText) for SOAP clients that cannot send an HTTP header: read from
 * the envelope's Header before the Body is read, within `limite` bytes (64 KiB). The bytes read are
 * given back to the request stream, so the door then reads the whole message as usual. PasswordDigest
 * is refused: checking it would force keeping every secret in clear.
 */
import type { Readable } from 'node:stream';
import sax from 'sax';

const ESPACE_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const ESPACE_WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const TYPE_TEXTE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
export const LIMITE_ENTETE_WSS = 64 * 1024;

export type JetonWss = { nom: string; secret: string } | { erreur: string } | { absent: true };

/** Reads up to the start of the Body (or `limite` bytes), gives the bytes back, and says what the Header held. */
export function lireJetonWss(req: Readable, limite = LIMITE_ENTETE_WSS): Promise<JetonWss> {
  return new Promise((resolve) => {
    const morceaux: Buffer[] = [];
    let lus = 0;
    let fini = false;
    const parser = sax.parser(true, { xmlns: true });
    let jeton: { nom?: string; secret?: string; type?: string } | undefined;
    let champ: 'nom' | 'secret' | undefined;
    let issue: JetonWss | undefined;

    parser.onerror = () => {
      issue ??= { absent: true };
      parser.error = null as unknown as Error;
    };
    parser.onopentag = (t) => {
      const tag = t as sax.QualifiedTag;
      if (tag.uri === ESPACE_SOAP && tag.local === 'Body') {
        issue ??= jeton ? finJeton(jeton) : { absent: true };
      } else if (tag.uri === ESPACE_WSSE && tag.local === 'UsernameToken') jeton = {};
      else if (jeton && tag.uri === ESPACE_WSSE && tag.local === 'Username') champ = 'nom';
      else if (jeton && tag.uri === ESPACE_WSSE && tag.local === 'Password') {
        champ = 'secret';
        jeton.type = (tag.attributes.Type as sax.QualifiedAttribute | undefined)?.value;
      }
    };
    parser.ontext = (texte) => {
      if (jeton && champ) jeton[champ] = (jeton[champ] ?? '') + texte;
    };
    parser.onclosetag = () => {
      champ = undefined;
    };

    const terminer = (j: JetonWss, termine = false) => {
      if (fini) return;
      fini = true;
      req.off('data', surDonnees);
      req.off('end', surFin);
      // A message read to its end is the body (the body parser skips a finished request); else its
      // first bytes go back at the head of the stream.
      if (termine) (req as Readable & { body?: Buffer }).body = Buffer.concat(morceaux);
      else {
        req.pause();
        if (morceaux.length) req.unshift(Buffer.concat(morceaux));
      }
      resolve(j);
    };
    const surDonnees = (c: Buffer) => {
      morceaux.push(c);
      lus += c.length;
      try {
        parser.write(c.toString('utf8'));
      } catch {
        issue ??= { absent: true };
      }
      if (issue) return terminer(issue);
      if (lus >= limite) terminer({ erreur: `aucun Body dans les ${limite} premiers octets : l'en-tête WS-Security doit les précéder` });
    };
    const surFin = () => terminer(issue ?? { absent: true }, true);
    req.on('data', surDonnees);
    req.on('end', surFin);
    req.resume();
  });
}

function finJeton(j: { nom?: string; secret?: string; type?: string }): JetonWss {
  if (j.type && j.type !== TYPE_TEXTE) return { erreur: 'UsernameToken : seul PasswordText est accepté (PasswordDigest ne l’est pas)' };
  if (!j.nom?.trim() || j.secret === undefined) return { erreur: 'UsernameToken incomplet : Username et Password attendus' };
  return { nom: j.nom.trim(), secret: j.secret };
}
