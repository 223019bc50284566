// Sending mail: the one interface later features (verification, password reset, invitations, order
// confirmations) call. With SMTP_URL set, mail goes out over SMTP (nodemailer); without it, or when
// the SMTP server refuses or cannot be reached, each mail is kept as an .eml file in DATA_DIR/outbox
// and logged, so nothing is lost and a newcomer can open it in any mail program.
import nodemailer from 'nodemailer';
import { join } from 'node:path';
import { writeOutbox } from './outbox.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export type Delivery = { via: 'smtp'; messageId: string } | { via: 'outbox'; file: string };

export interface Mailer {
  send(mail: Mail): Promise<Delivery>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string | null;
  from: string;
  dataDir: string;
  log: { info(object: object, message: string): void; error(object: object, message: string): void };
}

export function createMailer(options: MailerOptions): Mailer {
  const outboxDir = join(options.dataDir, 'outbox');
  const smtp = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  // Renders a message to its RFC 5322 bytes without sending it: what goes into the outbox.
  const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  async function keep(mail: Mail, reason: string): Promise<Delivery> {
    const rendered = await render.sendMail({ from: options.from, ...mail });
    const file = await writeOutbox(outboxDir, rendered.message as Buffer);
    options.log.info({ to: mail.to, subject: mail.subject, file }, `mail kept in the outbox (${reason})`);
    return { via: 'outbox', file };
  }

  return {
    async send(mail) {
      if (!smtp) return keep(mail, 'no SMTP_URL set');
      try {
        const info = await smtp.sendMail({ from: options.from, ...mail });
        return { via: 'smtp', messageId: info.messageId };
      } catch (error) {
        options.log.error({ err: error, to: mail.to, subject: mail.subject }, 'SMTP refused the mail');
        return keep(mail, 'SMTP failed');
      }
    },
    close() {
      smtp?.close();
    },
  };
}
