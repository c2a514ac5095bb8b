/**
 * Outgoing e-mail through an SMTP server, with nodemailer: `SMTP_URL` (`smtp://` or `smtps://`, with
 * optional `user:password@`; nodemailer reads the URL, its query options included) and `SMTP_FROM`.
 * What the server answered decides what the reminder does next:
 * - the recipient refused for good (RCPT TO answered 5xx): `adresseRefusee` — never written to again;
 * - anything else (connection refused or lost, a timeout, a 4xx, a refused sender or message):
 *   a failure to try again at the next period.
 * Every wait is bounded, so a dead or stalled server never hangs a run.
 */
import nodemailer from 'nodemailer';
import type { Messagerie } from '../../application/ports';

export interface OptionsMessagerieSmtp {
  url: string;
  de: string;
  /** Waits in milliseconds (defaults: connection 10 s, greeting 10 s, inactivity 30 s, DNS 10 s). */
  delais?: { connexionMs?: number; accueilMs?: number; inactiviteMs?: number; dnsMs?: number };
}

/** What nodemailer's errors carry (an SMTP reply, or a socket error). */
interface ErreurSmtp {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  message?: string;
  rejected?: string[];
  rejectedErrors?: ErreurSmtp[];
}

type Resultat = Awaited<ReturnType<Messagerie['envoyer']>>;

export class MessagerieSmtp implements Messagerie {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(private readonly options: OptionsMessagerieSmtp) {
    const d = options.delais ?? {};
    this.transport = nodemailer.createTransport({
      url: options.url,
      connectionTimeout: d.connexionMs ?? 10_000,
      greetingTimeout: d.accueilMs ?? 10_000,
      socketTimeout: d.inactiviteMs ?? 30_000,
      dnsTimeout: d.dnsMs ?? 10_000,
      socketCloseTimeout: 1000,
    });
  }

  async envoyer(m: { a: string; sujet: string; texte: string }): Promise<Resultat> {
    try {
      const info = await this.transport.sendMail({ from: this.options.de, to: m.a, subject: m.sujet, text: m.texte });
      // One recipient: nodemailer fails when it is refused; kept for a server that accepts the message anyway.
      if (info.rejected.length) return refus(info as ErreurSmtp);
      return { accepte: true };
    } catch (err) {
      const e = (err ?? {}) as ErreurSmtp;
      if (e.command === 'RCPT TO' && (e.rejected?.length || e.rejectedErrors?.length)) return refus(e);
      return { accepte: false, adresseRefusee: false, erreur: texteErreur(e) };
    }
  }

  /** Closes the transport's sockets (at shutdown). */
  fermer(): void {
    this.transport.close();
  }
}

/**
 * The recipient refused at RCPT TO: for good on a 5xx reply (except 503, a command out of sequence: the
 * server's state, not the address), else (4xx: mailbox busy, greylisting…) to try again later.
 */
function refus(e: ErreurSmtp): Resultat {
  const r = e.rejectedErrors?.[0] ?? e;
  const code = r.responseCode ?? e.responseCode;
  const definitif = code !== undefined && code >= 500 && code < 600 && code !== 503;
  return { accepte: false, adresseRefusee: definitif, erreur: texteErreur(r) };
}

function texteErreur(e: ErreurSmtp): string {
  const t = e.response ?? (e.code ? `${e.code} : ${e.message ?? ''}` : (e.message ?? String(e)));
  return t.trim().slice(0, 500);
}
