// Every query's time is bounded on PostgreSQL (issue 11, item 1): past DATABASE_STATEMENT_TIMEOUT_MS
// the statement is cancelled and the request answers 503 with Retry-After, so slow requests cannot
// hold the pool's connections. (PGlite cannot cancel a running query; there the list parameters are
// bounded instead: test/http/input-bounds.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { currentBackend, startTestApp, testConfig, testDatabase, type TestApp, type TestDatabase } from '../support/app.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { ConfigError } from '../../src/config.ts';
import { createPublishedEvent, get, quickUser, type Resource } from '../support/schedule.ts';

describe('DATABASE_STATEMENT_TIMEOUT_MS', () => {
  it('defaults to 15 seconds, 0 turns it off, anything else is refused at start', () => {
    expect(testConfig().databaseStatementTimeoutMs).toBe(15_000);
    expect(testConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseStatementTimeoutMs).toBe(0);
    expect(() => testConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '2s' })).toThrow(ConfigError);
  });
});

describe.runIf(currentBackend() === 'postgres')('a query past the statement timeout', () => {
  let base: TestDatabase;
  let t: TestApp;
  let ev: Resource;
  const TIMEOUT_MS = 300;

  beforeAll(async () => {
    base = await testDatabase();
    const connection = await openDatabase({ databaseUrl: base.url, dataDir: '', poolSize: 4, statementTimeoutMs: TIMEOUT_MS });
    t = await startTestApp({ database: { connection, url: base.url, drop: () => connection.close() } });
    const owner = await quickUser(t);
    ev = await createPublishedEvent(t, owner.token);
  });

  afterAll(async () => {
    await t?.close();
    await t?.database.drop();
    await base?.drop();
  });

  it('answers 503 with Retry-After, while /health and other requests go on', async () => {
    // Another client holds the events table: reading an event waits until the timeout cancels it.
    const blocker = new pg.Client({ connectionString: base.url! });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      const blocked = Array.from({ length: 6 }, () => get(t, `/v1/events/${ev.id}`));
      const health = await get(t, '/health');
      expect(health.status).toBe(200);
      const answers = await Promise.all(blocked);
      const elapsed = performance.now() - started;
      for (const answer of answers) {
        expect(answer.status, answer.text.slice(0, 300)).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
        expect(answer.body.errors[0]).toMatchObject({ status: '503', detail: expect.stringMatching(/took too long/) });
      }
      // Six requests on a pool of four: each waits at most one timeout for a connection and one for its query.
      expect(elapsed).toBeLessThan(TIMEOUT_MS * 2 + 2000);
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await blocker.end();
    }
    expect((await get(t, `/v1/events/${ev.id}`)).status).toBe(200);
  });
});
