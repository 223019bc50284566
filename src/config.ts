// Every setting of the server, read once from environment variables (and CLI flags, which win) and
// validated up front: a bad value stops the start with a message naming the variable, instead of
// surfacing later as a confusing runtime error.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve, join } from 'node:path';

export type StorageKind = 'local' | 'database';

export interface Config {
  port: number;
  host: string;
  /** Where PGlite keeps its data, the generated secret key and local export files. */
  dataDir: string;
  /** `postgres://…` to use a PostgreSQL server; null for the embedded PGlite database. */
  databaseUrl: string | null;
  /** Connections in the pool when on PostgreSQL. */
  databasePoolSize: number;
  /** On PostgreSQL, the longest one statement may run (ms; 0: no limit); past it the request is a 503. */
  databaseStatementTimeoutMs: number;
  secretKey: string;
  /** Absolute base URL clients reach us at; goes into feed URLs, download URLs and calendar UIDs. */
  publicUrl: string;
  corsOrigins: string[];
  logLevel: string;
  /**
   * Which proxies in front of us to believe about the client's address (X-Forwarded-For), as Fastify
   * takes it: false (none: the client is the socket's peer), true (any), a hop count, or addresses
   * and CIDR ranges. Believing a proxy that is not there lets anyone choose their own address.
   */
  trustProxy: boolean | number | string[];
  /** Login attempts allowed per IP and email per minute. */
  loginRateLimit: number;
  /** Login attempts allowed per account per 15 minutes from all addresses together, until one succeeds. */
  loginAccountRateLimit: number;
  /** Registrations allowed per IP per hour. */
  registrationRateLimit: number;
  /**
   * New accounts start unverified and confirm their email through a mailed link; until then they
   * cannot place orders. Off: new accounts are verified at once.
   */
  requireEmailVerification: boolean;
  storage: StorageKind;
  exportRetentionDays: number;
  /** Cache-Control max-age of the public calendar feeds, in seconds. */
  feedMaxAgeSeconds: number;
  /**
   * How often a running job reports that its worker is alive. A worker killed mid-job is noticed
   * after about this long, and the job runs again elsewhere.
   */
  jobHeartbeatSeconds: number;
  /** A built single-page web client (OES's open-event-frontend) to serve at `/`; null serves a short HTML page. */
  frontendDir: string | null;
  /** `smtp://` or `smtps://user:pass@host:port` to send mail; null keeps each mail as a file in DATA_DIR/outbox. */
  smtpUrl: string | null;
  /** The From of every mail the server sends. */
  mailFrom: string;
  /** Log lines as JSON, or readable ("pretty"); "auto" is readable on a terminal, JSON otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Source = Record<string, string | undefined>;

function integer(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(source: Source, name: string, allowed: readonly T[], fallback: T): T {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function databaseUrl(source: Source): string | null {
  const raw = source.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL: expected postgres://user@host:5432/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function publicUrl(source: Source, port: number): string {
  const raw = source.PUBLIC_URL;
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not an absolute URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must be http:// or https://, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function flag(source: Source, name: string, fallback: boolean): boolean {
  const raw = (source[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'true' || raw === '1' || raw === 'on') return true;
  if (raw === 'false' || raw === '0' || raw === 'off') return false;
  throw new ConfigError(`${name} must be true or false, got "${source[name]}"`);
}

function smtpUrl(source: Source): string | null {
  const raw = source.SMTP_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL is not a URL: expected smtp://user:password@host:587 or smtps://…');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  }
  return raw;
}

function frontendDir(source: Source): string | null {
  const raw = source.FRONTEND_DIR;
  if (raw === undefined || raw === '') return null;
  const dir = resolve(raw);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new ConfigError(`FRONTEND_DIR must be a built web client with an index.html, found none in "${dir}"`);
  }
  return dir;
}
/** Proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(source: Source): boolean | number | string[] {
  const raw = (source.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return integer(source, 'TRUST_PROXY', 0, 0, 100) || false;
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const version = isIP(address!);
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!RANGE_NAMES.includes(entry) && (version === 0 || !prefixOk || rest.length)) {
      throw new ConfigError(
        `TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list of addresses and CIDR ranges; "${entry}" is none of them`,
      );
    }
  }
  return entries;
}

/** Shorter keys can be guessed offline from one token or download link. */
const MIN_SECRET_KEY_LENGTH = 32;

/**
 * The secret that signs access tokens and download URLs. When SECRET_KEY is unset, one is generated
 * on first start and kept in the data directory, so tokens survive restarts without any setup.
 */
function secretKey(source: Source, dataDir: string): string {
  const raw = source.SECRET_KEY;
  if (raw !== undefined && raw !== '') {
    if (raw.length < MIN_SECRET_KEY_LENGTH) throw new ConfigError(`SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters long`);
    return raw;
  }
  const file = join(dataDir, 'secret-key');
  if (existsSync(file)) return keyFromFile(file);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(48).toString('base64url');
  // 'wx' fails if another process created it meanwhile; then theirs is the one to use.
  try {
    writeFileSync(file, generated + '\n', { flag: 'wx', mode: 0o600 });
    return generated;
  } catch {
    return keyFromFile(file);
  }
}

/** A key file that was emptied or hand-edited short would sign everything with a guessable key: refuse it. */
function keyFromFile(file: string): string {
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < MIN_SECRET_KEY_LENGTH) {
    const what = key.length === 0 ? 'is empty' : `holds only ${key.length} characters`;
    throw new ConfigError(
      `the secret key file ${file} ${what}; a secret key needs at least ${MIN_SECRET_KEY_LENGTH}. ` +
        'Delete the file to have a new key generated (everyone then logs in again), or set SECRET_KEY',
    );
  }
  return key;
}

export function loadConfig(source: Source = process.env): Config {
  const port = integer(source, 'PORT', 8080, 0, 65535);
  const dataDir = resolve(source.DATA_DIR || './data');
  return {
    port,
    host: source.HOST || '0.0.0.0',
    dataDir,
    databaseUrl: databaseUrl(source),
    databasePoolSize: integer(source, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    databaseStatementTimeoutMs: integer(source, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0, 3_600_000),
    secretKey: secretKey(source, dataDir),
    publicUrl: publicUrl(source, port),
    corsOrigins: (source.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logLevel: oneOf(source, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    trustProxy: trustProxy(source),
    loginRateLimit: integer(source, 'LOGIN_RATE_LIMIT', 10, 1, 100_000),
    loginAccountRateLimit: integer(source, 'LOGIN_ACCOUNT_RATE_LIMIT', 20, 1, 100_000),
    registrationRateLimit: integer(source, 'REGISTRATION_RATE_LIMIT', 50, 1, 100_000),
    requireEmailVerification: flag(source, 'REQUIRE_EMAIL_VERIFICATION', false),
    storage: oneOf(source, 'STORAGE', ['local', 'database'] as const, 'local'),
    exportRetentionDays: integer(source, 'EXPORT_RETENTION_DAYS', 7, 1, 3650),
    feedMaxAgeSeconds: integer(source, 'FEED_MAX_AGE', 300, 0, 86_400),
    jobHeartbeatSeconds: integer(source, 'JOB_HEARTBEAT_SECONDS', 30, 10, 3600),
    frontendDir: frontendDir(source),
    smtpUrl: smtpUrl(source),
    mailFrom: source.MAIL_FROM || `openevent <noreply@${new URL(publicUrl(source, port)).hostname}>`,
    logFormat: oneOf(source, 'LOG_FORMAT', ['auto', 'pretty', 'json'] as const, 'auto'),
  };
}
