import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'openevent-config-'));

describe('configuration', () => {
  it('has defaults that need no setup', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ port: 8080, databaseUrl: null, storage: 'local', publicUrl: 'http://localhost:8080' });
  });

  it('generates a secret key once and keeps it in the data directory', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).secretKey;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).secretKey).toBe(first);
    expect(readFileSync(join(dir, 'secret-key'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'secret-key')).mode & 0o077).toBe(0);
  });

  it.each([
    ['an empty', '', /secret key file .* is empty/],
    ['a blank', '  \n', /secret key file .* is empty/],
    ['a short', 'k'.repeat(31) + '\n', /secret key file .* holds only 31 characters; a secret key needs at least 32/],
  ])('refuses to start with %s secret key file, saying what to do', (_kind, content, message) => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secret-key'), content);
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(message);
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/Delete the file to have a new key generated/);
  });

  it('creates the data directory private to its owner', () => {
    const dir = join(dataDir(), 'fresh');
    loadConfig({ DATA_DIR: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('verifies new accounts at once unless REQUIRE_EMAIL_VERIFICATION is on, and refuses a value that is neither', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).requireEmailVerification).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), REQUIRE_EMAIL_VERIFICATION: 'true' }).requireEmailVerification).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), REQUIRE_EMAIL_VERIFICATION: '0' }).requireEmailVerification).toBe(false);
    expect(() => loadConfig({ DATA_DIR: dataDir(), REQUIRE_EMAIL_VERIFICATION: 'yes please' })).toThrow(/REQUIRE_EMAIL_VERIFICATION must be true or false/);
  });

  it('believes no proxy unless TRUST_PROXY says which', () => {
    const trust = (value?: string) => loadConfig({ DATA_DIR: dataDir(), ...(value === undefined ? {} : { TRUST_PROXY: value }) }).trustProxy;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.1, 192.168.0.0/16,loopback, fd00::/8')).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback', 'fd00::/8']);
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ PORT: 'abc' }, 'PORT must be a whole number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres://'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL is not a URL'],
    [{ STORAGE: 's3' }, 'STORAGE must be one of local, database'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY must be at least 32 characters'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL must be http:// or https://'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY must be true, false, a number of proxy hops'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, '"10.0.0.0/33" is none of them'],
    [{ LOGIN_ACCOUNT_RATE_LIMIT: '0' }, 'LOGIN_ACCOUNT_RATE_LIMIT must be between 1'],
    [{ REGISTRATION_RATE_LIMIT: 'many' }, 'REGISTRATION_RATE_LIMIT must be a whole number'],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });
});
