// Login and registration limits that a client cannot walk around: not by sending a new
// X-Forwarded-For with every attempt (believed only from proxies named in TRUST_PROXY), and not by
// spreading attempts over several API processes (the counters are in the shared database).
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, testDatabase, type TestApp, type TestResponse } from '../support/app.ts';

const LIMITS = { LOGIN_ACCOUNT_RATE_LIMIT: '5' };
let attempt = 0;
/** A new made-up client address for each request. */
const rotatingAddress = () => ({ 'x-forwarded-for': `198.51.100.${++attempt % 250}, 10.0.0.1` });

const login = (t: TestApp, email: string, password: string, headers: Record<string, string> = rotatingAddress()) =>
  t.request({ method: 'POST', url: '/v1/auth/login', json: { email, password }, headers });
const register = (t: TestApp, email: string, headers: Record<string, string> = rotatingAddress()) =>
  t.request({ method: 'POST', url: '/v1/users', json: { data: { type: 'user', attributes: { email, password: 'password 1234' } } }, headers });

function expectTooMany(response: TestResponse, maxWait: number) {
  expect(response.status).toBe(429);
  expect(response.body.errors[0].status).toBe('429');
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxWait);
}

describe.each([
  ['off', {}],
  ['on', { TRUST_PROXY: 'true' }],
])('logins with TRUST_PROXY %s', (_mode, env) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_ACCOUNT_RATE_LIMIT: '5', ...env } });
  });

  it('are refused for one account from rotating addresses after its limit, with Retry-After', async () => {
    const victim = await signUp(t);
    const bystander = await signUp(t);
    for (let i = 0; i < 5; i++) expect((await login(t, victim.email, `guess number ${i}`)).status).toBe(401);
    // Even the right password waits now: the limit is not there to tell a right guess from a wrong one.
    expectTooMany(await login(t, victim.email, victim.password), 15 * 60);
    expectTooMany(await login(t, victim.email.toUpperCase(), 'another guess'), 15 * 60);
    // Someone hammering one account does not lock anyone else out.
    expect((await login(t, bystander.email, bystander.password)).status).toBe(200);
  });

  it('count failures since the last success: an owner logging in often is never locked out', async () => {
    const user = await signUp(t);
    // Six failures in all, more than the account's five, but never five in a row. (Few enough for the
    // per-address limit of ten a minute too, which sees them all as one address without TRUST_PROXY.)
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) expect((await login(t, user.email, 'mistyped it')).status).toBe(401);
      expect((await login(t, user.email, user.password)).status).toBe(200);
    }
  });
});

describe.each([
  ['off', {}],
  ['on', { TRUST_PROXY: 'true' }],
])('registrations with TRUST_PROXY %s', (mode, env) => {
  it('are limited per address, so "email taken" answers stay few', async () => {
    const t = await startTestApp({ env: { REGISTRATION_RATE_LIMIT: '3', ...env } });
    const address = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 3; i++) expect((await register(t, `new-${mode}-${i}@example.org`, address)).status).toBe(201);
    expectTooMany(await register(t, `new-${mode}-3@example.org`, address), 60 * 60);
    // A probe of a taken email is refused like any other, without saying whether it is taken.
    const probe = await register(t, `new-${mode}-0@example.org`, address);
    expectTooMany(probe, 60 * 60);
    expect(probe.text).not.toContain('already exists');
    await t.close();
  });
});

describe('where the client address comes from', () => {
  it('is the socket peer unless TRUST_PROXY is set: rotating X-Forwarded-For is one address', async () => {
    const untrusting = await startTestApp({ env: { REGISTRATION_RATE_LIMIT: '3' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await register(untrusting, `peer-${i}@example.org`)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    await untrusting.close();
  });

  it('is the forwarded one behind a trusted proxy, and only what that proxy vouches for', async () => {
    const trusting = await startTestApp({ env: { REGISTRATION_RATE_LIMIT: '3', TRUST_PROXY: '127.0.0.1' } });
    const statuses = [];
    // Each client behind our proxy has its own limit…
    for (let i = 0; i < 4; i++) {
      statuses.push((await register(trusting, `proxied-${i}@example.org`, { 'x-forwarded-for': `198.51.100.${i}` })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201]);
    // …but addresses a client prepends itself are not believed: 10.0.0.9 is who our proxy saw.
    const spoofed = [];
    for (let i = 0; i < 4; i++) {
      spoofed.push((await register(trusting, `spoofed-${i}@example.org`, { 'x-forwarded-for': `192.0.2.${i}, 10.0.0.9` })).status);
    }
    expect(spoofed).toEqual([201, 201, 201, 429]);
    await trusting.close();
  });

  it('lets one email register only a few times from any address', async () => {
    const t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await register(t, 'popular@example.org')).status);
    expect(answers).toEqual([201, 409, 409, 409, 409, 429]);
    await t.close();
  });
});

describe('several API processes on one database', () => {
  it('share the per-account login limit', async () => {
    const database = await testDatabase();
    const [first, second] = [await startTestApp({ env: LIMITS, database }), await startTestApp({ env: LIMITS, database })];
    try {
      const user = await signUp(first);
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await login(i % 2 ? second : first, user.email, `guess ${i}`)).status);
      expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await first.close();
      await second.close();
      await database.drop();
    }
  });
});
