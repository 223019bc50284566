// Overselling (issue 7): no ticket is ever sold twice, under any concurrency.
//
// On PostgreSQL the requests go over HTTP to a listening server, each on its own TCP connection, and the server
// runs them as real concurrent transactions on its pool of database connections. To make sure they truly
// contend, a separate database session holds the ticket rows locked until most of the pool's connections are
// in create-order transactions waiting for them, then lets them all go at once.
// On PGlite (one connection: transactions run one at a time) a smaller burst checks the same outcome.
// Each burst runs with openevent's create-order body and with the one OES's web client sends (issue 14).
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { currentBackend, startTestApp, type TestApp } from '../../support/app.ts';
import { createPublishedEvent, grantRole, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { createTicket, detail, oesOrderBody, orderBody, postOrder, postOesOrder, queryRows, ticketAsTeam, type Line } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
});

/** What the database holds for a ticket: its counter, and the tickets of live orders and their attendees. */
async function accounting(ticketId: string) {
  const [row] = await queryRows<{ sold: number; held: string | null; attendees: string }>(
    t,
    sql`SELECT t.sold_count AS sold,
          (SELECT sum(ot.quantity) FROM order_tickets ot JOIN orders o ON o.id = ot.order_id
            WHERE ot.ticket_id = t.id AND o.status IN ('initializing', 'pending', 'completed')) AS held,
          (SELECT count(*) FROM attendees a JOIN orders o ON o.id = a.order_id
            WHERE a.ticket_id = t.id AND o.status IN ('initializing', 'pending', 'completed')) AS attendees
        FROM tickets t WHERE t.id = ${Number(ticketId)}`,
  );
  return { sold: Number(row!.sold), held: Number(row!.held ?? 0), attendees: Number(row!.attendees) };
}

/** Quantities 1–5, the same every run. */
function* quantities(seed: number) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield 1 + (x % 5);
  }
}

const BODIES = [
  ['openevent', orderBody, postOrder],
  ['OES client', oesOrderBody, postOesOrder],
] as const;

for (const [shape, body, postShaped] of BODIES) {
  // Each body's bursts sell the tickets of their own event (ticket names are unique in an event).
  let ev: Resource;
  beforeAll(async () => {
    ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
  });

  // Skipped on PGlite: it has one connection, so its transactions cannot run at the same time.
  describe.skipIf(currentBackend() !== 'postgres')(`PostgreSQL only (PGlite runs one transaction at a time): 200 concurrent buyers on separate connections (${shape} body)`, () => {
    let base: string;
    let buyers: User[];
    let url: string;

    beforeAll(async () => {
      // One server for both bodies' bursts.
      if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      buyers = await Promise.all(Array.from({ length: 200 }, () => quickUser(t)));
      url = t.database.url!;
    });

    /** POSTs over HTTP: a fresh TCP connection per request, so none waits behind another in one socket. */
    async function post(buyer: User, lines: Line[]) {
      const response = await fetch(`${base}/v1/orders/create-order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `JWT ${buyer.token}`, connection: 'close' },
        body: JSON.stringify(body(lines)),
      });
      return { status: response.status, body: (await response.json()) as any };
    }

    /**
     * Fires the requests while another session holds the ticket rows locked, waits until at least `waiters`
     * create-order transactions are blocked on them (proof that they run at the same time, each on its own
     * database connection), then releases the lock. Returns the answers and the most waiters seen.
     */
    async function burst(ticketIds: string[], waiters: number, send: () => Promise<{ status: number; body: any }>[]) {
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      const watcher = new pg.Client({ connectionString: url });
      await watcher.connect();
      try {
        await blocker.query('BEGIN');
        // The lock a sale takes (NO KEY UPDATE): the requests queue exactly where sales queue.
        await blocker.query('SELECT id FROM tickets WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE', [ticketIds.map(Number)]);
        const pending = send();
        let most = 0;
        const deadline = Date.now() + 20_000;
        while (most < waiters && Date.now() < deadline) {
          const { rows } = await watcher.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          most = Math.max(most, rows[0].n);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await blocker.query('COMMIT');
        return { responses: await Promise.all(pending), most };
      } finally {
        await blocker.end();
        await watcher.end();
      }
    }

    it('quantity 50, 200 requests for 1: exactly 50 sold, every other request a 409', async () => {
      const ticket = await createTicket(t, owner.token, ev, { name: 'Fifty', type: 'paid', price: 10, quantity: 50 });
      const { responses, most } = await burst([ticket.id], 15, () => buyers.map((buyer) => post(buyer, [{ ticket, quantity: 1 }])));

      // 15 of the pool's 20 connections were in create-order transactions at the same moment, all waiting for the row.
      expect(most).toBeGreaterThanOrEqual(15);
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(50);
      expect(statuses.filter((s) => s === 409)).toHaveLength(150);
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(refused.body.errors[0].detail).toBe('"Fifty" is sold out');
      }
      expect((await ticketAsTeam(t, owner.token, ticket)).attributes).toMatchObject({ 'sold-count': 50, available: 0 });
      expect(await accounting(ticket.id)).toEqual({ sold: 50, held: 50, attendees: 50 });
      // Each winner is a different buyer with one order.
      const winners = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.data.relationships.user.data.id));
      expect(winners.size).toBe(50);
    });

    it('mixed quantities (1–5) and two ticket types in one order, lines in either order: never oversold, nothing lost', async () => {
      const a = await createTicket(t, owner.token, ev, { name: 'Mixed A', quantity: 50, 'max-order': 5 });
      const b = await createTicket(t, owner.token, ev, { name: 'Mixed B', type: 'paid', price: 2.5, quantity: 30, 'max-order': 5 });
      const next = quantities(7);
      const plans = buyers.map((_, i): Line[] => {
        const lines: Line[] = [{ ticket: a, quantity: next.next().value! }, { ticket: b, quantity: next.next().value! }];
        // A third of the orders buy A only, and half list B first: the locks are taken in id order regardless.
        if (i % 3 === 0) return [lines[0]!];
        return i % 2 ? lines : [lines[1]!, lines[0]!];
      });
      const { responses, most } = await burst([a.id, b.id], 15, () => buyers.map((buyer, i) => post(buyer, plans[i]!)));

      expect(most).toBeGreaterThanOrEqual(15);
      // No deadlock, no error: every answer is a sale or a clear 409.
      expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201, 409]));
      const won = (ticket: Resource) =>
        responses.reduce((sum, r, i) => sum + (r.status === 201 ? (plans[i]!.find((line) => line.ticket === ticket)?.quantity ?? 0) : 0), 0);
      for (const [ticket, quantity] of [[a, 50], [b, 30]] as const) {
        const sold = won(ticket);
        expect(sold, ticket.attributes.name).toBeLessThanOrEqual(quantity);
        expect(await accounting(ticket.id)).toEqual({ sold, held: sold, attendees: sold });
      }
      // Amounts are exact: each paid order is 2.50 × its B tickets.
      for (const [i, r] of responses.entries()) {
        if (r.status !== 201) continue;
        const bQuantity = plans[i]!.find((line) => line.ticket === b)?.quantity ?? 0;
        expect(r.body.data.attributes.amount).toBe(bQuantity * 2.5);
      }
      for (const r of responses.filter((response) => response.status === 409)) {
        expect(r.body.errors[0].detail).toMatch(/^("Mixed [AB]" is sold out|Only \d+ of "Mixed [AB]" (is|are) left; \d asked)$/);
      }
    });
  });

  describe(`a concurrent burst in-process (the check that runs on PGlite too) never oversells either (${shape} body)`, () => {
    let buyers: User[];
    beforeAll(async () => {
      buyers = await Promise.all(Array.from({ length: 40 }, () => quickUser(t)));
    });

    it('quantity 10, 40 requests at once: exactly 10 sold, 30 refused', async () => {
      const ticket = await createTicket(t, owner.token, ev, { name: 'Ten', quantity: 10 });
      const responses = await Promise.all(buyers.map((buyer) => postShaped(t, buyer.token, [{ ticket, quantity: 1 }])));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(10);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(30);
      expect(detail(responses.find((r) => r.status === 409)!)).toBe('"Ten" is sold out');
      expect(await accounting(ticket.id)).toEqual({ sold: 10, held: 10, attendees: 10 });
    });

    it('mixed quantities over two tickets: the counts match the sales', async () => {
      const a = await createTicket(t, owner.token, ev, { name: 'Small A', quantity: 12, 'max-order': 5 });
      const b = await createTicket(t, owner.token, ev, { name: 'Small B', quantity: 9, 'max-order': 5 });
      const next = quantities(11);
      const plans = buyers.map((_, i): Line[] =>
        i % 2 ? [{ ticket: a, quantity: next.next().value! }, { ticket: b, quantity: next.next().value! }] : [{ ticket: b, quantity: next.next().value! }, { ticket: a, quantity: next.next().value! }],
      );
      const responses = await Promise.all(buyers.map((buyer, i) => postShaped(t, buyer.token, plans[i]!)));
      expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201, 409]));
      for (const [ticket, quantity] of [[a, 12], [b, 9]] as const) {
        const sold = responses.reduce((sum, r, i) => sum + (r.status === 201 ? plans[i]!.find((line) => line.ticket === ticket)!.quantity : 0), 0);
        expect(sold).toBeLessThanOrEqual(quantity);
        expect(await accounting(ticket.id)).toEqual({ sold, held: sold, attendees: sold });
      }
    });
  });
}

describe('the database itself refuses a count above the quantity', () => {
  it('even a write that skips the domain rules', async () => {
    const ticket = await createTicket(t, owner.token, ev, { quantity: 1 });
    await expect(queryRows(t, sql`UPDATE tickets SET sold_count = 2 WHERE id = ${Number(ticket.id)}`)).rejects.toThrow();
  });
});

// Roles do not matter to selling: an organizer buying is counted like anyone.
describe('organizers buy from the same stock', () => {
  it('counts an organizer’s order like anyone’s', async () => {
    const organizer = await quickUser(t);
    await grantRole(t, owner.token, ev, organizer.id, 'organizer');
    const ticket = await createTicket(t, owner.token, ev, { quantity: 2 });
    expect((await postOrder(t, organizer.token, [{ ticket, quantity: 2 }])).status).toBe(201);
    expect((await postOrder(t, owner.token, [{ ticket, quantity: 1 }])).status).toBe(409);
  });
});
