// Mail over SMTP to a real in-process SMTP server, and the outbox that keeps mail when there is no
// SMTP server or it fails.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailer, type MailerOptions } from '../../src/mail/mailer.ts';
import { loadConfig, ConfigError } from '../../src/config.ts';

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

let server: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function logger() {
  const lines: { level: 'info' | 'error'; object: Record<string, unknown>; message: string }[] = [];
  const log: MailerOptions['log'] = {
    info: (object, message) => lines.push({ level: 'info', object: object as Record<string, unknown>, message }),
    error: (object, message) => lines.push({ level: 'error', object: object as Record<string, unknown>, message }),
  };
  return { lines, log };
}

const dataDir = () => mkdtempSync(join(tmpdir(), 'openevent-mail-'));

/** A port nothing listens on: taken and released again. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

describe('mail over SMTP', () => {
  it('delivers to the SMTP server with the configured sender, text and html', async () => {
    const dir = dataDir();
    const { log } = logger();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'openevent <noreply@events.example.org>', dataDir: dir, log });
    const delivery = await mailer.send({
      to: 'ada@example.org',
      subject: 'Confirm your email',
      text: 'Open https://events.example.org/verify?token=abc to confirm.',
      html: '<p>Open <a href="https://events.example.org/verify?token=abc">this link</a> to confirm.</p>',
    });
    mailer.close();
    expect(delivery.via).toBe('smtp');
    const mail = received.find((message) => message.raw.includes('Subject: Confirm your email'));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe('noreply@events.example.org');
    expect(mail!.to).toEqual(['ada@example.org']);
    expect(mail!.raw).toContain('https://events.example.org/verify?token=abc');
    expect(mail!.raw).toMatch(/Content-Type: text\/html/i);
    // Delivered, so nothing kept.
    expect(() => readdirSync(join(dir, 'outbox'))).toThrow();
  });

  it('keeps the mail in the outbox and logs the failure when the SMTP server cannot be reached', async () => {
    const dir = dataDir();
    const { lines, log } = logger();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, from: 'noreply@example.org', dataDir: dir, log });
    const delivery = await mailer.send({ to: 'bob@example.org', subject: 'Reset your password', text: 'Your code: 123456' });
    mailer.close();
    expect(delivery.via).toBe('outbox');
    expect(lines.some((line) => line.level === 'error' && line.message === 'SMTP refused the mail')).toBe(true);
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, 'outbox', files[0]!), 'utf8')).toContain('Your code: 123456');
  });
});

describe('the outbox (no SMTP_URL)', () => {
  it('writes each mail as a complete .eml file, leaves no temporary file, and logs where it is', async () => {
    const dir = dataDir();
    const { lines, log } = logger();
    const mailer = createMailer({ smtpUrl: null, from: 'openevent <noreply@events.example.org>', dataDir: dir, log });
    const first = await mailer.send({ to: 'ada@example.org', subject: 'Welcome', text: 'Hello Ada' });
    const second = await mailer.send({ to: 'bob@example.org', subject: 'Welcome', text: 'Hello Bob', html: '<p>Hello Bob</p>' });
    expect(first.via).toBe('outbox');
    expect(second.via).toBe('outbox');

    const files = readdirSync(join(dir, 'outbox')).sort();
    expect(files).toHaveLength(2);
    expect(files.every((name) => name.endsWith('.eml') && !name.startsWith('.'))).toBe(true);
    const texts = files.map((name) => readFileSync(join(dir, 'outbox', name), 'utf8'));
    const ada = texts.find((text) => text.includes('To: ada@example.org'))!;
    expect(ada).toContain('From: openevent <noreply@events.example.org>');
    expect(ada).toContain('Subject: Welcome');
    expect(ada).toMatch(/^Date: /m);
    expect(ada).toMatch(/^Message-ID: </m);
    expect(ada).toContain('Hello Ada');
    expect(texts.find((text) => text.includes('To: bob@example.org'))).toMatch(/Content-Type: text\/html/i);

    const kept = lines.filter((line) => line.message.startsWith('mail kept in the outbox'));
    expect(kept.map((line) => line.object.to)).toEqual(['ada@example.org', 'bob@example.org']);
    expect(kept[0]!.object.file).toBe(first.via === 'outbox' ? first.file : undefined);
  });
});

describe('mail settings', () => {
  const base = { DATA_DIR: dataDir(), SECRET_KEY: 'test-secret-key-of-at-least-32-characters' };

  it('reads SMTP_URL and MAIL_FROM, with a sender at PUBLIC_URL’s host by default', () => {
    const config = loadConfig({ ...base, PUBLIC_URL: 'https://events.example.org', SMTP_URL: 'smtps://u:p@mail.example.org:465' });
    expect(config.smtpUrl).toBe('smtps://u:p@mail.example.org:465');
    expect(config.mailFrom).toBe('openevent <noreply@events.example.org>');
    expect(loadConfig({ ...base, MAIL_FROM: 'Events <events@example.org>' }).mailFrom).toBe('Events <events@example.org>');
    expect(loadConfig(base).smtpUrl).toBeNull();
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://', () => {
    expect(() => loadConfig({ ...base, SMTP_URL: 'http://mail.example.org' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SMTP_URL: 'not a url' })).toThrow(/SMTP_URL/);
  });
});
