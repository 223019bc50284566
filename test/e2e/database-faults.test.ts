// The database going away under load (issue 11, item 15), on PostgreSQL: every connection of the
// server's database terminated at once (pg_terminate_backend, as a restart or an operator does), and
// the database unreachable for 10 s (a TCP proxy between the server and PostgreSQL cuts every
// connection and refuses new ones, as a network partition or a failover does). Orders, feed requests
// and export jobs are in flight each time: they are held at a lock the test takes, so they are
// certainly mid-query when the fault comes. Requests end with a 503 and Retry-After (never a hang, a
// 500 or a stack), /health says unhealthy while the database is away, nothing is half-written, no
// ticket is sold twice, the export jobs are retried and end SUCCESS, and the server and its workers
// recover by themselves.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type Connection } from '../../src/db/connection.ts';
import { currentBackend, startTestApp, testDatabase, type TestApp, type TestDatabase, type TestResponse } from '../support/app.ts';
import { createPublishedEvent, createSession, grantRole, quickUser, type Resource, type User } from '../support/schedule.ts';
import { createTicket, orderBody } from '../support/tickets.ts';
import { databaseNameOf, databaseUrlFor } from '../support/postgres.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { pollTask, sleep, startExport } from './support.ts';

const onPostgres = currentBackend() === 'postgres';
if (!onPostgres) {
  console.warn('[database-faults] skipped on PGlite: its database runs inside the server process and cannot go away on its own');
}

/** The longest any request may take, fault or not: more is a hang. */
const REQUEST_BOUND_MS = 12_000;
/** How long the database is unreachable in the partition test. */
const OUTAGE_MS = 10_000;
const FEEDS = ['ics', 'xcs', 'jcal', 'xml'];

describe.skipIf(!onPostgres)('the database going away under load (PostgreSQL only)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let proxied: Connection;
  let t: TestApp;
  /** Connected to the server's `postgres` database, never to the test's: it survives the faults. */
  let admin: pg.Client;
  let organizer: User;
  /** A second organizer: export jobs run one at a time per user (fairness), so two in flight need two users. */
  let coorganizer: User;
  let event: Resource;
  let ticket: Resource;
  const buyers: User[] = [];
  /** The answers of the current test. */
  let answered: { what: string; response: TestResponse }[] = [];
  /** Tickets bought by orders answered 201, in the whole file: what the ticket's count must say. */
  let bought = 0;

  beforeAll(async () => {
    database = await testDatabase();
    const direct = new URL(database.url!);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(database.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    // The server, its job queue and its workers reach the database only through the proxy.
    proxied = await openDatabase({ databaseUrl: viaProxy.href, dataDir: '', poolSize: 20 });
    t = await startTestApp({ worker: true, database: { connection: proxied, url: viaProxy.href, drop: async () => {} } });
    admin = new pg.Client({ connectionString: databaseUrlFor(database.url!, 'postgres') });
    admin.on('error', () => {});
    await admin.connect();

    organizer = await quickUser(t);
    event = await createPublishedEvent(t, organizer.token, { name: 'Faulty Conf', 'schedule-published-on': '2026-01-01T00:00:00Z' });
    for (let i = 0; i < 3; i++) {
      await createSession(t, organizer.token, event, { title: `Talk ${i}`, state: 'accepted', 'starts-at': `2026-02-01T1${i}:00:00Z`, 'ends-at': `2026-02-01T1${i}:45:00Z` });
    }
    ticket = await createTicket(t, organizer.token, event, { quantity: 12, 'max-order': 2 });
    coorganizer = await quickUser(t);
    await grantRole(t, organizer.token, event, coorganizer.id, 'coorganizer');
    for (let i = 0; i < 8; i++) buyers.push(await quickUser(t));
  });

  beforeEach(() => {
    answered = [];
  });

  afterAll(async () => {
    await t?.close();
    await proxied?.close();
    await proxy?.close();
    await admin?.end().catch(() => {});
    await database?.drop();
  });

  /** A request that must answer within the bound; every answer is kept for the checks at the end. */
  async function bounded(what: string, options: Parameters<TestApp['request']>[0]): Promise<TestResponse> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${REQUEST_BOUND_MS} ms`)), REQUEST_BOUND_MS);
    });
    try {
      const response = await Promise.race([t.request(options), hang]);
      answered.push({ what, response });
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  async function order(buyer: User, quantity = 1): Promise<TestResponse> {
    const response = await bounded('order', { method: 'POST', url: '/v1/orders/create-order', token: buyer.token, json: orderBody([{ ticket, quantity }]) });
    if (response.status === 201) bought += quantity;
    return response;
  }
  const feed = (format: string) => bounded(`feed .${format}`, { method: 'GET', url: `/v1/events/${event.attributes.identifier}.${format}` });
  const health = () => bounded('health', { method: 'GET', url: '/health' });

  /** A clear "come back later": 503, Retry-After, a JSON:API error and no internals. */
  function expectUnavailable(response: TestResponse, what: string) {
    expect(response.status, `${what}: ${response.text}`).toBe(503);
    expect(Number(response.headers['retry-after']), what).toBeGreaterThan(0);
    if (what !== 'health') {
      expect(response.body?.errors?.[0]?.status, what).toBe('503');
      expect(response.text, what).not.toMatch(/ECONNREFUSED|ECONNRESET|at .*\.ts:\d+|terminat/i);
    }
  }

  /**
   * Holds the ticket's row and the sessions table, so that orders (at the sale), feeds and export jobs
   * (reading sessions) wait mid-transaction, on connections of the server, until the fault.
   */
  async function holdLocks(): Promise<pg.Client> {
    const blocker = new pg.Client({ connectionString: database.url! });
    blocker.on('error', () => {});
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [Number(ticket.id)]);
    await blocker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
    return blocker;
  }

  async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await sleep(50);
    }
  }

  /**
   * Waits until the in-flight work waits at the held locks: `sales` queries on the ticket row and `reads`
   * on the sessions table. Counted by what each query touches, not in all: pg-boss's own housekeeping
   * may wait on a lock too, and counting it would let a feed reach its query only after the fault.
   */
  async function waitForWaiting(sales: number, reads: number) {
    await until(async () => {
      const { rows } = await admin.query(
        `SELECT count(*) FILTER (WHERE query ILIKE '%tickets%')::int AS sales, count(*) FILTER (WHERE query ILIKE '%sessions%')::int AS reads
           FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
        [databaseNameOf(database.url!)],
      );
      return rows[0].sales >= sales && rows[0].reads >= reads;
    }, `${sales} sales and ${reads} reads of the sessions waiting at the locks`);
  }

  /** Polls /health until it answers 200 (the server recovered on its own); returns how long it took. */
  async function untilHealthy(boundMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const response = await health();
      if (response.status === 200) return Date.now() - started;
      if (Date.now() - started > boundMs) throw new Error(`still unhealthy after ${boundMs} ms: ${response.text}`);
      await sleep(250);
    }
  }

  /** Starts the in-flight work: an order per buyer, every feed format, and two export jobs. */
  async function startInFlight(orderBuyers: User[]) {
    const exports = [
      { taskUrl: await startExport(t, organizer.token, event.id, 'ical'), token: organizer.token },
      { taskUrl: await startExport(t, coorganizer.token, event.id, 'xcal'), token: coorganizer.token },
    ];
    const orders = orderBuyers.map((buyer) => order(buyer));
    const feeds = FEEDS.map((format) => feed(format));
    // Each order waits at its sale, each feed at the sessions, each export job at its count of them.
    await waitForWaiting(orderBuyers.length, FEEDS.length + exports.length);
    await until(async () => {
      const [row] = await query<{ n: number }>(sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'export' AND state = 'active'`);
      return row!.n === exports.length;
    }, 'both export jobs running');
    return { exports, orders, feeds };
  }

  /** Polls each export task to SUCCESS, and checks that pg-boss ran its job more than once: it was retried. */
  async function expectRetriedAndSucceeded(tasks: { taskUrl: string; token: string }[]) {
    for (const { taskUrl, token } of tasks) {
      expect(await pollTask(t, taskUrl, token, 30_000), taskUrl).toMatchObject({ state: 'SUCCESS' });
      // (The task ends SUCCESS a moment before pg-boss records the job complete: its state is not checked.)
      const [job] = await query<{ retry_count: number }>(sql`
        SELECT j.retry_count FROM export_tasks t JOIN pgboss.job j ON j.id::text = t.job_id::text
        WHERE t.id = ${taskUrl.slice('/v1/tasks/'.length)}`);
      expect(job?.retry_count, taskUrl).toBeGreaterThan(0);
    }
  }

  /** A query on the test's own, direct connection (never through the proxy). */
  async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
    return ((await database.connection.db.execute(text)) as unknown as { rows: T[] }).rows;
  }

  async function ordersOf(buyer: User): Promise<number> {
    const [row] = await query<{ n: number }>(sql`SELECT count(*)::int AS n FROM orders WHERE user_id = ${buyer.id}`);
    return row!.n;
  }

  /** No answer of this test was a 500 or carried a stack; every order is whole and no ticket sold twice. */
  async function expectNoErrorsAndWholeOrders() {
    const failures = answered.filter(({ response }) => response.status >= 500 && response.status !== 503);
    expect(failures.map(({ what, response }) => `${what}: ${response.status} ${response.text}`)).toEqual([]);
    for (const { what, response } of answered) expect(response.text, what).not.toMatch(/\n\s+at /);
    const id = Number(ticket.id);
    const [counts] = await query<{ sold: number; attendees: number; lines: number; orders_without_lines: number }>(sql`
      SELECT
        (SELECT sold_count FROM tickets WHERE id = ${id}) AS sold,
        (SELECT count(*)::int FROM attendees a JOIN orders o ON o.id = a.order_id
          WHERE a.ticket_id = ${id} AND o.status IN ('initializing', 'pending', 'completed')) AS attendees,
        (SELECT coalesce(sum(quantity), 0)::int FROM order_tickets WHERE ticket_id = ${id}) AS lines,
        (SELECT count(*)::int FROM orders o
          WHERE o.event_id = ${Number(event.id)} AND NOT EXISTS (SELECT 1 FROM order_tickets l WHERE l.order_id = o.id)) AS orders_without_lines
    `);
    // One attendee per ticket held, and the ticket's count is exactly what the 201 answers bought.
    expect(counts).toEqual({ sold: bought, attendees: bought, lines: bought, orders_without_lines: 0 });
  }

  it('ends requests in flight with 503 when every connection is terminated, and recovers by itself', async () => {
    // Working before the fault.
    expect((await order(buyers[0]!)).status).toBe(201);
    expect((await health()).status).toBe(200);

    const blocker = await holdLocks();
    const inFlight = await startInFlight(buyers.slice(1, 4));
    const { rows } = await admin.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity, pg_terminate_backend(pid) WHERE datname = $1 AND pid <> pg_backend_pid()',
      [databaseNameOf(database.url!)],
    );
    expect(rows[0].n).toBeGreaterThan(0);
    await blocker.end().catch(() => {});

    for (const response of await Promise.all(inFlight.orders)) expectUnavailable(response, 'order');
    for (const response of await Promise.all(inFlight.feeds)) expectUnavailable(response, 'feed');
    // The orders cut mid-transaction left nothing behind (they had written their order and attendees).
    for (const buyer of buyers.slice(1, 4)) expect(await ordersOf(buyer)).toBe(0);

    await untilHealthy(10_000);
    expect((await order(buyers[1]!)).status).toBe(201);
    for (const format of FEEDS) {
      const response = await feed(format);
      expect(response.status, format).toBe(200);
      expect(response.text, format).toContain('Talk 2');
    }
    // The export jobs that were running are retried and succeed.
    await expectRetriedAndSucceeded(inFlight.exports);
    await expectNoErrorsAndWholeOrders();
  }, 60_000);

  it('answers 503 while the database is unreachable, says unhealthy, and recovers when it is back', async () => {
    // A new schedule version, so the feeds are rendered again (not served from the render cache).
    await createSession(t, organizer.token, event, { title: 'Late talk', state: 'accepted', 'starts-at': '2026-02-01T15:00:00Z', 'ends-at': '2026-02-01T15:45:00Z' });
    const blocker = await holdLocks();
    const inFlight = await startInFlight(buyers.slice(4, 7));

    await proxy.refuse();
    const cutAt = Date.now();
    await blocker.query('ROLLBACK');
    await blocker.end();
    for (const response of await Promise.all(inFlight.orders)) expectUnavailable(response, 'order');
    for (const response of await Promise.all(inFlight.feeds)) expectUnavailable(response, 'feed');

    // While it is away: every request is a prompt 503, /health included.
    let healthChecks = 0;
    while (Date.now() - cutAt < OUTAGE_MS - 1500) {
      const [h, o, f, poll, start] = await Promise.all([
        health(),
        order(buyers[7]!),
        feed('ics'),
        bounded('task poll', { method: 'GET', url: inFlight.exports[0]!.taskUrl, token: inFlight.exports[0]!.token }),
        bounded('export start', { method: 'GET', url: `/v1/events/${event.id}/export/pentabarf`, token: organizer.token }),
      ]);
      expectUnavailable(h, 'health');
      expect(h.body).toMatchObject({ status: 'error', database: { status: 'error' } });
      expectUnavailable(o, 'order');
      expectUnavailable(f, 'feed');
      expectUnavailable(poll, 'task poll');
      expectUnavailable(start, 'export start');
      healthChecks++;
      await sleep(500);
    }
    expect(healthChecks).toBeGreaterThan(2);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));

    await proxy.accept();
    await untilHealthy(15_000);
    // Nothing written by the orders cut off, and the server takes orders and serves feeds again.
    for (const buyer of buyers.slice(4, 8)) expect(await ordersOf(buyer)).toBe(0);
    expect((await order(buyers[4]!, 2)).status).toBe(201);
    const ics = await feed('ics');
    expect(ics.status).toBe(200);
    expect(ics.text).toContain('Late talk');
    // The export jobs cut off are retried and succeed, and a new one runs: the workers recovered.
    await expectRetriedAndSucceeded(inFlight.exports);
    const after = await startExport(t, organizer.token, event.id, 'jcal');
    expect(await pollTask(t, after, organizer.token, 20_000)).toMatchObject({ state: 'SUCCESS' });
    await expectNoErrorsAndWholeOrders();
  }, 60_000);
});
