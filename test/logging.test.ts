// The server's log lines: readable for a person (LOG_FORMAT=pretty, or auto on a terminal), one JSON
// object per line otherwise. The child process logs through the real options and the real pino-pretty.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { readableLogs } from '../src/logging.ts';

const logging = pathToFileURL(resolve(import.meta.dirname, '..', 'src', 'logging.ts')).href;

/** What a Fastify app built with our logger options prints for one info line, with stdout a pipe. */
function logLine(logFormat: string): string {
  const script = `
    import Fastify from 'fastify';
    import { loggerOptions } from ${JSON.stringify(logging)};
    const app = Fastify({ logger: loggerOptions({ logLevel: 'info', logFormat: ${JSON.stringify(logFormat)} }) });
    app.log.info('hello from the test');
    await app.close();
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n').find((line) => line.includes('hello from the test')) ?? '';
}

describe('log lines', () => {
  it('are readable with LOG_FORMAT=pretty', () => {
    const line = logLine('pretty');
    expect(line).toMatch(/INFO/);
    expect(line.trim().startsWith('{')).toBe(false);
  });

  it('are JSON with LOG_FORMAT=auto when the output is not a terminal, and with json', () => {
    for (const format of ['auto', 'json']) {
      expect(JSON.parse(logLine(format))).toMatchObject({ level: 30, msg: 'hello from the test' });
    }
  });

  it('are readable on a terminal unless JSON is asked for or logging is off', () => {
    expect(readableLogs({ logLevel: 'info', logFormat: 'auto' }, true)).toBe(true);
    expect(readableLogs({ logLevel: 'info', logFormat: 'auto' }, false)).toBe(false);
    expect(readableLogs({ logLevel: 'info', logFormat: 'json' }, true)).toBe(false);
    expect(readableLogs({ logLevel: 'silent', logFormat: 'pretty' }, true)).toBe(false);
  });
});
