// A real SMTP server in the test process: what the app mails arrives here, as a person's mail
// program would get it. Start one per test file and give the app SMTP_URL=smtp://127.0.0.1:<port>.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The body as a reader sees it: quoted-printable soft breaks and escapes undone. */
  text: string;
  raw: string;
}

export interface Inbox {
  url: string;
  received: ReceivedMail[];
  /** The first mail to `to` matching `subject`, waiting up to a few seconds for it. */
  waitFor(to: string, subject: RegExp): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** Quoted-printable undone: its `=XX` escapes are bytes, read as the UTF-8 the mail says it is. */
function decodeQuotedPrintable(body: string): string {
  const bytes = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return bytes.toString('utf8');
}

/**
 * A header as its reader sees it: RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`, which
 * nodemailer uses for any subject with quotes or non-ASCII) decoded. The words of a run are joined
 * as bytes first, since a character may be split between two of them.
 */
function decodeHeader(value: string): string {
  const word = /=\?[^?]+\?([QqBb])\?([^?]*)\?=/g;
  return value.replace(/=\?[^?]+\?[QqBb]\?[^?]*\?=(?:\s+=\?[^?]+\?[QqBb]\?[^?]*\?=)*/g, (run) => {
    const bytes = [...run.matchAll(word)].map(([, encoding, text]) =>
      encoding!.toUpperCase() === 'B'
        ? Buffer.from(text!, 'base64')
        : Buffer.from(text!.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1'),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeHeader(/^Subject: (.*)$/im.exec(head)?.[1]?.trim() ?? '');
  const quoted = /^Content-Transfer-Encoding: quoted-printable/im.test(head);
  const body = raw.slice(split).trim();
  return { to, subject, text: quoted ? decodeQuotedPrintable(body) : body, raw };
}

export async function startInbox(): Promise<Inbox> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((rcpt) => rcpt.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(to, subject) {
      for (let waited = 0; waited < 5000; waited += 50) {
        const mail = received.find((m) => m.to.includes(to) && subject.test(m.subject));
        if (mail) return mail;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no mail to ${to} with a subject like ${subject}; got: ${received.map((m) => `${m.to} "${m.subject}"`).join(', ')}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The link in a mail that starts with `prefix`, e.g. `https://events.example.org/verify?token=`. */
export function linkIn(mail: ReceivedMail, prefix: string): URL {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\S+`).exec(mail.text);
  if (!match) throw new Error(`no link starting ${prefix} in:\n${mail.text}`);
  return new URL(match[0]);
}
