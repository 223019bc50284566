// Request input that used to freeze the server or answer 500 (issue 11, items 1, 11, 12 and 13):
// expensive list parameters are bounded, control characters in paths and queries never reach the
// database, filter names and values are checked, and dates that do not exist are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp, type TestResponse } from '../support/app.ts';
import {
  createPublishedEvent,
  createSession,
  expect422,
  get,
  quickUser,
  type Resource,
  type User,
} from '../support/schedule.ts';

let t: TestApp;
let owner: User;
let ev: Resource;
let session: Resource;
/** An event with 1,000 accepted sessions whose 100,000-character abstracts differ only at the end. */
let bulk: Resource;
const BULK_SESSIONS = 1000;

const LONG_ABSTRACT = 'a'.repeat(100_000);

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token);
  for (let i = 0; i < 4; i++) {
    session = await createSession(t, owner.token, ev, { title: `Long ${i}`, state: 'accepted', 'long-abstract': LONG_ABSTRACT });
  }
  bulk = await createPublishedEvent(t, owner.token);
  await t.database.connection.db.execute(sql`
    INSERT INTO sessions (event_id, title, state, long_abstract)
    SELECT ${Number(bulk.id)}, 'Bulk ' || g, 'accepted', repeat('a', 100000) || g FROM generate_series(1, ${BULK_SESSIONS}) g`);
}, 120_000);

const filter = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const sessionsUrl = (query: string) => `/v1/events/${ev.id}/sessions?${query}`;

/** Asserts a 422 about the `filter` parameter whose detail matches `detail`. */
function expectFilter422(response: TestResponse, detail: RegExp) {
  expect(response.status, response.text.slice(0, 500)).toBe(422);
  expect(response.body.errors[0].source).toEqual({ parameter: 'filter' });
  expect(response.body.errors[0].detail).toMatch(detail);
}

/**
 * Runs `request` while polling /health every 20 ms; returns its answer, how long it took, and the
 * slowest /health answer meanwhile (PGlite shares the event loop: a slow query delays every request).
 */
async function whileWatchingHealth(request: () => Promise<TestResponse>) {
  let done = false;
  let slowestHealth = 0;
  const watcher = (async () => {
    while (!done) {
      const started = performance.now();
      const health = await get(t, '/health');
      expect(health.status).toBe(200);
      slowestHealth = Math.max(slowestHealth, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const response = await request();
  const elapsed = performance.now() - started;
  done = true;
  await watcher;
  return { response, elapsed, slowestHealth };
}

describe('expensive list parameters (item 1)', () => {
  it('refuses the long like pattern that took seconds, at once, with a clear message', async () => {
    const pattern = `%${'a'.repeat(3000)}b%`;
    const { response, elapsed, slowestHealth } = await whileWatchingHealth(() =>
      get(t, sessionsUrl(`filter=${filter([{ name: 'long-abstract', op: 'like', val: pattern }])}`)),
    );
    expectFilter422(response, /at most 64 characters, got 3003/);
    expect(elapsed).toBeLessThan(1000);
    expect(slowestHealth).toBeLessThan(1000);
  });

  it('answers the costliest like and ilike still allowed quickly, and /health stays responsive', async () => {
    // 64 characters with 6 wildcards, made to match as far as possible on every position of the text.
    const pattern = `%${'a'.repeat(30)}%_${'a'.repeat(27)}__b%`;
    expect(pattern).toHaveLength(64);
    for (const event of [ev, bulk]) {
      for (const op of ['like', 'ilike']) {
        const { response, elapsed, slowestHealth } = await whileWatchingHealth(() =>
          get(t, `/v1/events/${event.id}/sessions?filter=${filter([{ name: 'long-abstract', op, val: pattern }])}`),
        );
        expect(response.status, response.text.slice(0, 300)).toBe(200);
        expect(elapsed, op).toBeLessThan(1500);
        expect(slowestHealth, op).toBeLessThan(1000);
      }
    }
  });

  it('still finds a short search string in names and titles', async () => {
    const response = await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op: 'ilike', val: '%LONG 2%' }])}`));
    expect(response.status).toBe(200);
    expect(response.body.data.map((s: Resource) => s.attributes.title)).toEqual(['Long 2']);
  });

  it('refuses patterns with too many wildcards, and too many conditions', async () => {
    expectFilter422(
      await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op: 'like', val: '%a%b%c%d%e%f%' }])}`)),
      /at most 6 wildcards/,
    );
    for (const val of ['50\\', '%a\\\\\\', '\\', 'a\\\u0000']) {
      expectFilter422(await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op: 'like', val }])}`)), /cannot end with a lone/);
    }
    const escaped = await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op: 'like', val: 'Long\\ 1\\\\' }])}`));
    expect(escaped.status, escaped.text.slice(0, 300)).toBe(200);
    const likes = Array.from({ length: 6 }, () => ({ name: 'long-abstract', op: 'ilike', val: '%a%' }));
    expectFilter422(await get(t, sessionsUrl(`filter=${filter([{ or: likes }])}`)), /at most 5 like or ilike conditions/);
    const many = Array.from({ length: 51 }, (_, i) => ({ name: 'title', op: 'ne', val: `x${i}` }));
    expectFilter422(await get(t, sessionsUrl(`filter=${filter(many)}`)), /at most 50 conditions/);
    expectFilter422(
      await get(t, sessionsUrl(`filter=${filter([{ name: 'long-abstract', op: 'eq', val: LONG_ABSTRACT.slice(0, 1001) }])}`)),
      /at most 1000 characters/,
    );
  });

  it('sorts on long text quickly, by its beginning', async () => {
    const { response, elapsed, slowestHealth } = await whileWatchingHealth(() =>
      get(t, `/v1/events/${bulk.id}/sessions?sort=-long-abstract&page[size]=10&include=speakers,track`),
    );
    expect(response.status).toBe(200);
    expect(response.body.meta.count).toBe(BULK_SESSIONS);
    // Equal beginnings: the default order (by id) decides, so the order is stable.
    const ids = response.body.data.map((s: Resource) => Number(s.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(elapsed).toBeLessThan(1500);
    expect(slowestHealth).toBeLessThan(1000);
  });
});

describe('control characters in paths and queries (item 11)', () => {
  it('answers 4xx, never 500, for NUL in a path segment or an id no row can have', async () => {
    const identifier = ev.attributes.identifier as string;
    const requests = [
      { method: 'GET', url: '/v1/events/%00' },
      { method: 'GET', url: '/v1/events/%00', token: owner.token },
      { method: 'PATCH', url: '/v1/events/%00', token: owner.token, json: { data: { type: 'event', id: '1', attributes: { name: 'x' } } } },
      { method: 'DELETE', url: '/v1/events/%00', token: owner.token },
      { method: 'GET', url: '/v1/events/%00/export/xcal', token: owner.token },
      { method: 'GET', url: '/v1/events/%00/export/xcal' },
      { method: 'GET', url: `/v1/events/${identifier}%00.ics` },
      { method: 'GET', url: `/v1/events/${identifier}%00.xcs` },
      { method: 'GET', url: `/v1/events/${identifier}%01/sessions` },
      { method: 'GET', url: `/v1/events/ab%00cd/sessions`, token: owner.token },
      { method: 'GET', url: '/v1/orders/%00', token: owner.token },
    ] as const;
    for (const request of requests) {
      const response = await t.request({ ...request } as never);
      expect(response.status, `${request.method} ${request.url}: ${response.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${request.method} ${request.url}`).toBeLessThan(500);
      expect(response.body.errors[0].status).toBe(String(response.status));
    }
    // Numbers beyond PostgreSQL integer are no id of anything.
    for (const url of ['/v1/events/99999999999', '/v1/events/2147483648/sessions', '/v1/events/2147483648/export/xcal', '/v1/sessions/9999999999.ics', '/v1/speakers/99999999999999']) {
      const response = await get(t, url, owner.token);
      expect(response.status, `${url}: ${response.text.slice(0, 300)}`).toBe(404);
    }
    // The event itself is untouched, and its real paths still work.
    expect((await get(t, `/v1/events/${identifier}`)).body.data.attributes.name).toBe(ev.attributes.name);
    expect((await get(t, `/v1/events/${identifier}.ics`)).status).toBe(200);
  });

  it('cleans query values as it cleans bodies', async () => {
    const withNul = await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op: 'eq', val: 'Long\u0000 1' }])}`));
    expect(withNul.status, withNul.text.slice(0, 300)).toBe(200);
    expect(withNul.body.data.map((s: Resource) => s.attributes.title)).toEqual(['Long 1']);
    const rawNul = await get(t, sessionsUrl(`filter=%5B%7B%22name%22%3A%22title%22%2C%22op%22%3A%22eq%22%2C%22val%22%3A%22Long%00 3%22%7D%5D`));
    expect(rawNul.status, rawNul.text.slice(0, 300)).toBe(200);
    expect(rawNul.body.data.map((s: Resource) => s.attributes.title)).toEqual(['Long 3']);
    const like = await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op: 'like', val: '%\u0000%' }])}`));
    expect(like.status).toBe(200);
    expect((await get(t, sessionsUrl('sort=%00title'))).status).toBe(200);
    expect((await get(t, sessionsUrl('page[size]=%002'))).body.data).toHaveLength(2);
  });
});

describe('filter names, ops and values (item 12)', () => {
  it('refuses names and ops that are only inherited properties', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      for (const op of ['any', 'has', 'eq']) {
        expectFilter422(await get(t, sessionsUrl(`filter=${filter([{ name, op, val: 1 }])}`)), /Cannot filter on/);
      }
    }
    for (const op of ['constructor', 'toString', '__proto__', 'valueOf']) {
      expectFilter422(await get(t, sessionsUrl(`filter=${filter([{ name: 'title', op, val: 'x' }])}`)), /Unknown filter op/);
    }
    const speakers = await get(t, sessionsUrl(`filter=${filter([{ name: 'speakers', op: 'any', val: { name: 'constructor', op: 'eq', val: 1 } }])}`));
    expectFilter422(speakers, /Cannot filter on "constructor"/);
    const tooMany = await get(t, sessionsUrl(`sort=${Array.from({ length: 2000 }, () => 'title').join(',')}`));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].detail).toBe('sort takes at most 10 fields');
    for (const sort of ['constructor', '-toString', '__proto__']) {
      const response = await get(t, sessionsUrl(`sort=${sort}`));
      expect(response.status, sort).toBe(400);
      expect(response.body.errors[0].source).toEqual({ parameter: 'sort' });
    }
  });

  it('refuses ids beyond PostgreSQL integer', async () => {
    for (const val of [9007199254740991, '9007199254740991', 2147483648, -2147483649, '1e3', 1.5, 1e300]) {
      expectFilter422(await get(t, sessionsUrl(`filter=${filter([{ name: 'id', op: 'eq', val }])}`)), /filter on "id" needs/);
    }
    const largest = await get(t, sessionsUrl(`filter=${filter([{ name: 'id', op: 'le', val: 2147483647 }])}`));
    expect(largest.status).toBe(200);
    expect(largest.body.meta.count).toBe(4);
    const ids = await get(t, sessionsUrl(`filter=${filter([{ name: 'id', op: 'in', val: [session.id, '-2147483648'] }])}`));
    expect(ids.body.data.map((s: Resource) => s.id)).toEqual([session.id]);
  });

  it('refuses date-times JavaScript can hold but PostgreSQL cannot, and dates that do not exist', async () => {
    for (const val of ['-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z', '2019-02-30T10:00:00+01:00', '2026-02-01T08:00:00']) {
      const response = await get(t, sessionsUrl(`filter=${filter([{ name: 'starts-at', op: 'ge', val }])}`));
      expectFilter422(response, /filter on "starts-at"/);
    }
    const february = await get(t, sessionsUrl(`filter=${filter([{ name: 'starts-at', op: 'eq', val: '2019-02-30T10:00:00+01:00' }])}`));
    expect(february.body.errors[0].detail).toMatch(/is not a date that exists: February 2019 has 28 days/);
    const fine = await get(t, sessionsUrl(`filter=${filter([{ name: 'starts-at', op: 'eq', val: null }])}`));
    expect(fine.status).toBe(200);
  });
});

describe('any filter (items 11-13)', () => {
  it('is answered 200, 400 or 422, never 500 (property)', async () => {
    const names = ['id', 'title', 'state', 'starts-at', 'long-abstract', 'speakers', 'track', 'is-mail-sent', 'constructor', '__proto__', 'toString', 'nope'];
    const ops = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'notin_', 'like', 'ilike', 'any', 'has', 'constructor', 'valueOf', 'between'];
    const values = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('2019-02-30T10:00:00+01:00', '-271821-04-20T00:00:00Z', '2026-02-01T08:00:00Z', '9007199254740991', '%\\', '%a_b%', '\u0000'),
      fc.constantFrom(9007199254740991, 2147483648, -1, 1e300, 0.5),
      fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
    );
    const leaf = fc.record({ name: fc.constantFrom(...names), op: fc.constantFrom(...ops), val: values });
    const node = fc.oneof(leaf, fc.record({ or: fc.array(leaf, { maxLength: 3 }) }), fc.record({ not: leaf }), fc.record({ name: fc.constant('speakers'), op: fc.constant('any'), val: leaf }));
    await fc.assert(
      fc.asyncProperty(fc.array(node, { minLength: 1, maxLength: 3 }), async (filters) => {
        const response = await get(t, sessionsUrl(`filter=${filter(filters)}`), owner.token);
        expect([200, 400, 422], `${JSON.stringify(filters)}: ${response.text.slice(0, 300)}`).toContain(response.status);
      }),
      { numRuns: 150 },
    );
  });
});

describe('dates that do not exist (item 13)', () => {
  const impossible = '2019-02-30T10:00:00+01:00';
  const attributes = (extra: Record<string, unknown>) => ({ name: 'Impossible', 'starts-at': '2019-02-27T10:00:00+01:00', 'ends-at': '2019-03-05T10:00:00+01:00', ...extra });

  it('refuses them on POST and PATCH of an event, at the attribute, and keeps the stored date', async () => {
    for (const name of ['starts-at', 'ends-at']) {
      const created = await t.request({ method: 'POST', url: '/v1/events', token: owner.token, json: { data: { type: 'event', attributes: attributes({ [name]: impossible }) } } });
      expect422(created, `/data/attributes/${name}`);
      expect(created.body.errors[0].detail).toBe(`"${name}" is not a date that exists: February 2019 has 28 days`);
    }
    const event = await t.request({ method: 'POST', url: '/v1/events', token: owner.token, json: { data: { type: 'event', attributes: attributes({}) } } });
    expect(event.status).toBe(201);
    const id = event.body.data.id;
    const patched = await t.request({ method: 'PATCH', url: `/v1/events/${id}`, token: owner.token, json: { data: { type: 'event', id, attributes: { 'starts-at': impossible } } } });
    expect422(patched, '/data/attributes/starts-at');
    expect((await get(t, `/v1/events/${id}`, owner.token)).body.data.attributes['starts-at']).toBe('2019-02-27T09:00:00Z');
  });

  it('refuses them on POST and PATCH of a session, at the attribute', async () => {
    const post = (attributes: Record<string, unknown>) =>
      t.request({
        method: 'POST',
        url: '/v1/sessions',
        token: owner.token,
        json: { data: { type: 'session', attributes: { title: 'x', ...attributes }, relationships: { event: { data: { type: 'event', id: ev.id } } } } },
      });
    expect422(await post({ 'starts-at': impossible, 'ends-at': '2019-03-05T10:00:00+01:00' }), '/data/attributes/starts-at');
    expect422(await post({ 'starts-at': '2019-02-27T10:00:00Z', 'ends-at': '2019-04-31T10:00:00Z' }), '/data/attributes/ends-at');
    const patched = await t.request({ method: 'PATCH', url: `/v1/sessions/${session.id}`, token: owner.token, json: { data: { type: 'session', id: session.id, attributes: { 'starts-at': impossible } } } });
    expect422(patched, '/data/attributes/starts-at');
    expect(patched.body.errors[0].detail).toMatch(/February 2019 has 28 days/);
  });

  it('refuses hours, offsets and years out of range in bodies', async () => {
    for (const value of ['2019-02-27T24:00:00Z', '2019-02-27T10:00:00+25:00', '0000-02-27T10:00:00Z']) {
      const response = await t.request({ method: 'POST', url: '/v1/events', token: owner.token, json: { data: { type: 'event', attributes: attributes({ 'starts-at': value }) } } });
      expect422(response, '/data/attributes/starts-at', value);
    }
  });
});
