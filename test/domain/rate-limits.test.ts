// The database-kept attempt counters behind the login and registration limits: exact under
// concurrency (one statement counts and answers), windows that end, and counts that can be cleared.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { testDatabase, type TestDatabase } from '../support/app.ts';
import { clearAttempts, countAttempt } from '../../src/domain/rate-limits.ts';
import { TooManyError } from '../../src/domain/errors.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.drop();
});

const outcomes = async (attempts: Promise<void>[]) =>
  (await Promise.allSettled(attempts)).map((result) => (result.status === 'fulfilled' ? 'ok' : (result.reason as Error).name));

describe('countAttempt', () => {
  it('lets exactly `max` of many concurrent attempts through', async () => {
    const limit = { key: 'test:concurrent', max: 5, windowSeconds: 600 };
    const results = await outcomes(Array.from({ length: 20 }, () => countAttempt(database.connection.db, limit)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(5);
    expect(results.filter((r) => r === 'TooManyError')).toHaveLength(15);
  });

  it('says how long until the window ends', async () => {
    const limit = { key: 'test:retry-after', max: 1, windowSeconds: 120 };
    await countAttempt(database.connection.db, limit);
    const refused = await countAttempt(database.connection.db, limit).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyError);
    expect((refused as TooManyError).retryAfterSeconds).toBeGreaterThan(100);
    expect((refused as TooManyError).retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it('opens a new window once the last one ended', async () => {
    const limit = { key: 'test:window', max: 1, windowSeconds: 1 };
    await countAttempt(database.connection.db, limit);
    await expect(countAttempt(database.connection.db, limit)).rejects.toBeInstanceOf(TooManyError);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(countAttempt(database.connection.db, limit)).resolves.toBeUndefined();
  });

  it('keeps keys apart and starts a cleared key afresh', async () => {
    const a = { key: 'test:a', max: 1, windowSeconds: 600 };
    const b = { key: 'test:b', max: 1, windowSeconds: 600 };
    await countAttempt(database.connection.db, a);
    await expect(countAttempt(database.connection.db, a)).rejects.toBeInstanceOf(TooManyError);
    await expect(countAttempt(database.connection.db, b)).resolves.toBeUndefined();
    await clearAttempts(database.connection.db, a.key);
    await expect(countAttempt(database.connection.db, a)).resolves.toBeUndefined();
  });
});
