/**
 * A real SMTP server for the tests (the `smtp-server` package) on a free loopback port: it accepts
 * every message, keeps each one parsed by mailparser with its envelope, records every RCPT TO it was
 * asked, and refuses the recipients it is told to with the SMTP code given (550: for good, 450: later).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface CourrielRecu {
  /** Envelope (MAIL FROM, RCPT TO). */
  de: string;
  a: string[];
  courriel: ParsedMail;
}

export interface ServeurSmtpDeTest {
  port: number;
  /** `smtp://[utilisateur:mdp@]127.0.0.1:<port>`. */
  url: string;
  recus: CourrielRecu[];
  /** Every RCPT TO asked, refused ones included (lower case). */
  destinatairesDemandes: string[];
  fermer(): Promise<void>;
}

export async function serveurSmtp(
  options: { refusees?: Record<string, number>; identifiants?: { utilisateur: string; motDePasse: string } } = {},
): Promise<ServeurSmtpDeTest> {
  const recus: CourrielRecu[] = [];
  const destinatairesDemandes: string[] = [];
  const refusees = Object.fromEntries(Object.entries(options.refusees ?? {}).map(([a, c]) => [a.toLowerCase(), c]));
  const id = options.identifiants;
  const serveur = new SMTPServer({
    logger: false,
    disabledCommands: id ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !id,
    allowInsecureAuth: true,
    closeTimeout: 1000,
    onAuth(auth, _session, retour) {
      if (id && auth.username === id.utilisateur && auth.password === id.motDePasse) return retour(null, { user: auth.username });
      retour(Object.assign(new Error('Identifiants refusés'), { responseCode: 535 }));
    },
    onRcptTo(adresse, _session, retour) {
      const a = adresse.address.toLowerCase();
      destinatairesDemandes.push(a);
      const code = refusees[a];
      if (code)
        return retour(Object.assign(new Error(code >= 500 ? `Boîte inconnue : ${a}` : `Boîte momentanément indisponible : ${a}`), { responseCode: code }));
      retour();
    },
    onData(flux, session, retour) {
      simpleParser(flux).then(
        (courriel) => {
          recus.push({
            de: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            a: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            courriel,
          });
          retour();
        },
        (err: Error) => retour(err),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const s = serveur.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    s.once('error', reject);
  });
  return {
    port,
    url: `smtp://${id ? `${encodeURIComponent(id.utilisateur)}:${encodeURIComponent(id.motDePasse)}@` : ''}127.0.0.1:${port}`,
    recus,
    destinatairesDemandes,
    fermer: () => new Promise<void>((resolve) => serveur.close(() => resolve())),
  };
}
