// `openevent serve` logs readable lines for a person (LOG_FORMAT=pretty, or auto on a terminal) and
// one JSON object per line for log collectors (json, or auto when the output is not a terminal).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { currentBackend } from '../support/app.ts';

const cli = join(resolve(import.meta.dirname, '..', '..'), 'src', 'cli.ts');

/** Starts the server on a free port until it says it is listening; returns what it printed. */
async function serveOutput(logFormat: string): Promise<string> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'openevent-logs-')),
    LOG_LEVEL: 'info',
    LOG_FORMAT: logFormat,
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [cli, 'serve', '--no-worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`not listening in time:\n${output}`)), 50_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        if (/Server listening/.test(output)) {
          clearTimeout(timer);
          done();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return output;
}

// The format does not depend on the database: run once, on PGlite.
describe.skipIf(currentBackend() === 'postgres')('log lines of openevent serve', () => {
  it('are readable with LOG_FORMAT=pretty and JSON with LOG_FORMAT=auto when not on a terminal', async () => {
    const [pretty, auto] = await Promise.all([serveOutput('pretty'), serveOutput('auto')]);
    const prettyLine = pretty.split('\n').find((line) => line.includes('Server listening'))!;
    expect(prettyLine).toMatch(/INFO/);
    expect(prettyLine.trim().startsWith('{')).toBe(false);
    const jsonLine = auto.split('\n').find((line) => line.includes('Server listening'))!;
    expect(JSON.parse(jsonLine)).toMatchObject({ level: 30, msg: expect.stringContaining('Server listening') });
  }, 90_000);
});
