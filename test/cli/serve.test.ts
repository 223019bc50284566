// The real command as an operator runs it: `openevent serve` in a child process on a free port with a
// fresh data directory, healthy, then stopped with SIGTERM and exiting 0.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { currentBackend, testDatabase } from '../support/app.ts';

const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'src', 'cli.ts');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

async function waitForHealth(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no healthy answer from ${url} in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('openevent serve', () => {
  it('starts on a fresh data directory, becomes healthy, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...process.env as Record<string, string>,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'openevent-serve-')),
      LOG_LEVEL: 'warn',
    };
    let database: Awaited<ReturnType<typeof testDatabase>> | null = null;
    if (currentBackend() === 'postgres') {
      database = await testDatabase();
      env.DATABASE_URL = database.url!;
    } else {
      delete env.DATABASE_URL;
    }
    const child = spawn(process.execPath, [cli, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/health`, Date.now() + 45_000);
      expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: currentBackend() } });
      const docs = await fetch(`http://127.0.0.1:${port}/docs/`);
      expect(docs.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await database?.drop();
    }
  }, 60_000);

  it('stops at once with a clear message on a bad setting', () => {
    const result = spawnSync(process.execPath, [cli, 'serve'], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'openevent-bad-')) },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT must be a whole number');
  });

  it('has --help for every command', () => {
    for (const command of ['serve', 'worker', 'migrate', 'create-admin']) {
      const result = spawnSync(process.execPath, [cli, command, '--help'], { encoding: 'utf8', timeout: 20_000 });
      expect(result.status, command).toBe(0);
      expect(result.stdout).toContain(`openevent ${command}`);
    }
    const unknown = spawnSync(process.execPath, [cli, 'serve', '--colour'], { encoding: 'utf8', timeout: 20_000 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage: openevent serve');
  });

  it('create-admin makes an admin who can log in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openevent-admin-'));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir };
    let database: Awaited<ReturnType<typeof testDatabase>> | null = null;
    if (currentBackend() === 'postgres') {
      database = await testDatabase();
      env.DATABASE_URL = database.url!;
    } else delete env.DATABASE_URL;
    try {
      const result = spawnSync(process.execPath, [cli, 'create-admin', '--email', 'root@example.org', '--password', 'short'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(result.status).toBe(2);
      const ok = spawnSync(process.execPath, [cli, 'create-admin', '--email', 'Root@example.org', '--password', 'long enough'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toMatch(/created admin root@example\.org/);
    } finally {
      await database?.drop();
    }
  }, 90_000);
});
