// The data directory as an operator's server leaves it: nothing in it readable by other local users
// (it holds the database with password hashes and private emails, and the secret key), a directory
// left open by an earlier version closed at start, and a weak secret key file refused.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { currentBackend, testDatabase, type TestDatabase } from '../support/app.ts';

const cli = join(resolve(import.meta.dirname, '..', '..'), 'src', 'cli.ts');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

/** The environment of a server on this backend; the database (PostgreSQL) is the caller's to drop. */
async function serverEnv(dataDir: string): Promise<{ env: Record<string, string>; database: TestDatabase | null }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.SECRET_KEY;
  if (currentBackend() !== 'postgres') return { env, database: null };
  const database = await testDatabase();
  env.DATABASE_URL = database.url!;
  return { env, database };
}

/** Every file and directory under `dir` (itself included) that the group or others may use, with its mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.mode & 0o077) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

describe('the data directory', () => {
  it('is private to the server user after a fresh start and a first write', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'openevent-private-')), 'data');
    const port = await freePort();
    const { env, database } = await serverEnv(dataDir);
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let deadline = Date.now() + 45_000; ; ) {
        const healthy = await fetch(`${base}/health`).then((r) => r.ok, () => false);
        if (healthy) break;
        if (Date.now() > deadline) throw new Error(`no healthy server in time: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const registered = await fetch(`${base}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: { type: 'user', attributes: { email: 'first@example.org', password: 'first password' } } }),
      });
      expect(registered.status).toBe(201);
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(openToOthers(dataDir)).toEqual([]);
      if (currentBackend() === 'pglite') expect(readdirSync(join(dataDir, 'pglite'))).toContain('PG_VERSION');
    } finally {
      child.kill('SIGKILL');
      await database?.drop();
    }
  }, 90_000);

  it('is closed at start when an earlier start left it open, and the log says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openevent-open-'));
    chmodSync(dataDir, 0o755);
    // What an earlier version left: the directory and its files open to everyone.
    writeFileSync(join(dataDir, 'secret-key'), 'k'.repeat(48) + '\n', { mode: 0o644 });
    chmodSync(join(dataDir, 'secret-key'), 0o644);
    const { env, database } = await serverEnv(dataDir);
    try {
      const result = spawnSync(process.execPath, [cli, 'migrate'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toContain(`data directory ${dataDir} was open to other users (mode 0755; 2 entries in all): now owner only`);
      expect(openToOthers(dataDir)).toEqual([]);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await database?.drop();
    }
  }, 90_000);

  it('with a secret key file too short to be safe, stops the server with a clear message', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openevent-weak-key-'));
    writeFileSync(join(dataDir, 'secret-key'), 'short\n');
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, SECRET_KEY: undefined };
    const result = spawnSync(process.execPath, [cli, 'serve'], { env, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`the secret key file ${join(dataDir, 'secret-key')} holds only 5 characters; a secret key needs at least 32`);
  });
});
