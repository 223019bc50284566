// Orders (issue 7): create-order prices on the server and answers the order with its attendees; every rule is
// refused with its own message and nothing is kept; organizers mark orders paid or cancel them (tickets freed);
// only the buyer, the event's organizers and registrars, and admins ever see an order.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  createEvent,
  createPublishedEvent,
  expectStatus,
  get,
  grantRole,
  ids,
  publish,
  quickUser,
  type Resource,
  type User,
} from '../../support/schedule.ts';
import { createOrder, createTicket, detail, fromNow, patchOrder, pointer, postOrder, sendOrderForm, ticketAsTeam } from '../../support/tickets.ts';
import { confirmPayment } from '../../../src/domain/orders.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestApp;
let owner: User;
let registrar: User;
let moderator: User;
let buyer: User;
let stranger: User;
let admin: User;
let ev: Resource;
let otherEvent: Resource;
let draft: Resource;
let paid: Resource;
let cheap: Resource;
let free: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, registrar, moderator, buyer, stranger, admin] = await Promise.all([
    quickUser(t),
    quickUser(t),
    quickUser(t),
    quickUser(t),
    quickUser(t),
    quickUser(t, { admin: true }),
  ]);
  [ev, otherEvent, draft] = await Promise.all([
    createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR', 'order-expiry-time': 30 }),
    createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' }),
    createEvent(t, owner.token),
  ]);
  await grantRole(t, owner.token, ev, registrar.id, 'registrar');
  await grantRole(t, owner.token, ev, moderator.id, 'moderator');
  [paid, cheap, free] = await Promise.all([
    createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 12.5, quantity: 1000 }),
    createTicket(t, owner.token, ev, { name: 'Student', type: 'paid', price: '7.10', quantity: 1000 }),
    createTicket(t, owner.token, ev, { name: 'Free entry', type: 'free', quantity: 1000 }),
  ]);
});

describe('create-order', () => {
  // Issue 14 changed this: as in OES, a free order starts initializing too and its buyer completes it with the order form.
  it('starts a free order initializing, with the buyer as attendee of each ticket; the order form completes it', async () => {
    const response = await postOrder(t, buyer.token, [{ ticket: free, quantity: 2 }]);
    expect(response.status, response.text).toBe(201);
    const order = response.body.data;
    expect(order.type).toBe('order');
    expect(order.attributes).toMatchObject({ status: 'initializing', amount: 0, 'payment-mode': 'free', 'completed-at': null, currency: 'EUR' });
    expect(Date.parse(order.attributes['expires-at']) - Date.parse(order.attributes['created-at'])).toBe(30 * 60_000);
    expect(order.attributes.identifier).toMatch(UUID);
    const completed = await sendOrderForm(t, buyer.token, order);
    expect(completed.attributes).toMatchObject({ status: 'completed', 'expires-at': null, 'completed-at': expect.any(String) });
    expect(response.headers.location).toBe(`/v1/orders/${order.attributes.identifier}`);
    // As OES: the event is links-only (OES's client keys events by identifier), with data when included.
    expect(order.relationships.event).toEqual({ links: { related: `/v1/events/${ev.id}` } });
    expect((await get(t, `/v1/orders/${order.attributes.identifier}?include=event`, buyer.token)).body.data.relationships.event.data).toEqual({ type: 'event', id: ev.id });
    expect(order.relationships.user.data).toEqual({ type: 'user', id: String(buyer.id) });
    expect(order.relationships.tickets.data).toEqual([{ type: 'ticket', id: free.id }]);
    expect(order.relationships.attendees.data).toHaveLength(2);
    expect(response.body.included).toHaveLength(2);
    for (const attendee of response.body.included) {
      expect(attendee).toMatchObject({ type: 'attendee', attributes: { email: buyer.email, 'is-checked-in': false, 'checkin-times': null } });
      expect(attendee.relationships.ticket.data).toEqual({ type: 'ticket', id: free.id });
      // The order is links-only, as OES gives it: OES's client keys orders by identifier.
      expect(attendee.relationships.order).toEqual({ links: { related: `/v1/attendees/${attendee.id}/order` } });
      const ofAttendee = await get(t, attendee.relationships.order.links.related, buyer.token);
      expect(ofAttendee.status, ofAttendee.text).toBe(200);
      expect(ofAttendee.body.data).toMatchObject({ type: 'order', id: order.id, attributes: { identifier: order.attributes.identifier } });
    }
  });

  it('prices a paid order on the server, exactly, ignoring an amount sent by the buyer', async () => {
    const before = await ticketAsTeam(t, owner.token, paid);
    const response = await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }, { ticket: cheap, quantity: 3 }], { amount: 0.01 });
    expect(response.status, response.text).toBe(201);
    const { attributes } = response.body.data;
    // 2 × 12.50 + 3 × 7.10 = 46.30: in floats 3 * 7.1 is 21.299999999999997. Issue 14: initializing until the order form is sent.
    expect(attributes).toMatchObject({ status: 'initializing', amount: 46.3, 'payment-mode': null, 'completed-at': null });
    // The event holds orders 30 minutes (its order-expiry-time).
    expect(Date.parse(attributes['expires-at']) - Date.parse(attributes['created-at'])).toBe(30 * 60_000);
    // Unfinished orders hold their tickets.
    expect((await ticketAsTeam(t, owner.token, paid)).attributes['sold-count']).toBe(before.attributes['sold-count'] + 2);
  });

  it('takes the attendees given, one per ticket, and the order’s notes, country and payment mode', async () => {
    const attendees = [
      { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', ticket: Number(paid.id), city: 'London', 'attendee-notes': 'vegan' },
      { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', ticket: paid.id, country: 'US' },
      { firstname: 'Linus', lastname: 'T', email: 'linus@example.org', ticket: free.id },
    ];
    const response = await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }, { ticket: free, quantity: 1 }], {
      attendees,
      'payment-mode': 'bank',
      'order-notes': 'Invoice to ACME',
      country: 'BE',
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.attributes).toMatchObject({ amount: 25, 'payment-mode': 'bank', 'order-notes': 'Invoice to ACME', country: 'BE' });
    const people = response.body.included.map((a: Resource) => [a.attributes.firstname, a.relationships!.ticket!.data.id, a.attributes.city ?? null]);
    expect(people).toEqual([['Ada', paid.id, 'London'], ['Grace', paid.id, null], ['Linus', free.id, null]]);
    expect(response.body.included[0].attributes['attendee-notes']).toBe('vegan');
  });

  it('lets an organizer set the amount (a discount at the door)', async () => {
    const response = await postOrder(t, owner.token, [{ ticket: paid, quantity: 2 }], { amount: '20.00' });
    // Issue 14: organizers' orders too are initializing until the order form is sent.
    expect(response.body.data.attributes).toMatchObject({ amount: 20, status: 'initializing' });
    const gift = await postOrder(t, owner.token, [{ ticket: paid, quantity: 1 }], { amount: 0 });
    expect(gift.body.data.attributes).toMatchObject({ amount: 0, status: 'initializing', 'payment-mode': 'free' });
  });

  it('takes what a donor gives, within the ticket’s range', async () => {
    const donation = await createTicket(t, owner.token, ev, { name: 'Supporter', type: 'donation', 'min-price': 5, 'max-price': 100 });
    const order = await createOrder(t, buyer.token, [{ ticket: donation, quantity: 2, price: 12.34 }]);
    expect(order.attributes.amount).toBe(24.68);
    const refused: [unknown, RegExp][] = [
      [undefined, /donation ticket: give a "price"/],
      [4.99, /at least its "min-price"/],
      [100.01, /at most its "max-price"/],
      [1.005, /at most 2 decimals/],
    ];
    for (const [price, message] of refused) {
      const response = await postOrder(t, buyer.token, [{ ticket: donation, quantity: 1, ...(price === undefined ? {} : { price: price as number }) }]);
      expect(response.status, String(price)).toBe(422);
      expect(pointer(response)).toBe('/tickets/0/price');
      expect(detail(response)).toMatch(message);
    }
  });

  it('drops lines of quantity 0, as OES clients send them', async () => {
    const order = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 0 }, { ticket: free, quantity: 1 }]);
    expect(order.relationships!.tickets!.data).toEqual([{ type: 'ticket', id: free.id }]);
  });

  it('needs a signed-in buyer', async () => {
    expect((await postOrder(t, undefined, [{ ticket: free, quantity: 1 }])).status).toBe(401);
  });
});

describe('refusals: each with its own message, nothing kept', () => {
  let cases: { name: string; lines: () => Parameters<typeof postOrder>[2]; extra?: () => Record<string, unknown>; status: number; pointer: string; message: RegExp }[];
  beforeAll(async () => {
    const [notYet, over, limited, hidden, drafted, deleted, elsewhere, scarce] = await Promise.all([
      createTicket(t, owner.token, ev, { name: 'Not yet', 'sales-starts-at': fromNow(60), 'sales-ends-at': fromNow(120) }),
      createTicket(t, owner.token, ev, { name: 'Over', 'sales-starts-at': fromNow(-120), 'sales-ends-at': fromNow(-60) }),
      createTicket(t, owner.token, ev, { name: 'Limited', 'min-order': 2, 'max-order': 3 }),
      createTicket(t, owner.token, ev, { name: 'Hidden', 'is-hidden': true }),
      createTicket(t, owner.token, draft, { name: 'Drafted' }),
      createTicket(t, owner.token, ev, { name: 'Deleted' }),
      createTicket(t, owner.token, otherEvent, { name: 'Elsewhere' }),
      createTicket(t, owner.token, ev, { name: 'Scarce', quantity: 3 }),
    ]);
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/tickets/${deleted.id}`, token: owner.token }), 200, 'delete');
    await createOrder(t, stranger.token, [{ ticket: scarce, quantity: 1 }]);
    cases = [
      { name: 'sales not started', lines: () => [{ ticket: notYet, quantity: 1 }], status: 422, pointer: '/tickets/0/id', message: /^Sales of "Not yet" start at / },
      { name: 'sales ended', lines: () => [{ ticket: over, quantity: 1 }], status: 422, pointer: '/tickets/0/id', message: /^Sales of "Over" ended at / },
      { name: 'below min-order', lines: () => [{ ticket: limited, quantity: 1 }], status: 422, pointer: '/tickets/0/quantity', message: /"Limited" is sold at least 2 at a time/ },
      { name: 'above max-order', lines: () => [{ ticket: limited, quantity: 4 }], status: 422, pointer: '/tickets/0/quantity', message: /"Limited" is sold at most 3 per order/ },
      { name: 'hidden ticket', lines: () => [{ ticket: hidden, quantity: 1 }], status: 422, pointer: '/tickets/0/id', message: /is hidden: it cannot be ordered/ },
      { name: 'draft event', lines: () => [{ ticket: drafted, quantity: 1 }], status: 422, pointer: '/tickets/0/id', message: /is not published/ },
      { name: 'deleted ticket', lines: () => [{ ticket: deleted, quantity: 1 }], status: 422, pointer: '/tickets/0/id', message: /has been deleted/ },
      {
        name: 'another event’s ticket',
        lines: () => [{ ticket: free, quantity: 1 }, { ticket: elsewhere, quantity: 1 }],
        status: 422,
        pointer: '/tickets/1/id',
        message: /is for another event than ticket .*: one order buys tickets of one event/,
      },
      { name: 'unknown ticket', lines: () => [{ ticket: '999999', quantity: 1 }], status: 422, pointer: '/tickets/0/id', message: /^No ticket 999999$/ },
      { name: 'listed twice', lines: () => [{ ticket: free, quantity: 1 }, { ticket: free, quantity: 2 }], status: 422, pointer: '/tickets/1/id', message: /is listed twice/ },
      { name: 'nothing chosen', lines: () => [{ ticket: free, quantity: 0 }], status: 422, pointer: '/tickets', message: /Choose at least one ticket/ },
      { name: 'not enough left', lines: () => [{ ticket: free, quantity: 1 }, { ticket: scarce, quantity: 3 }], status: 409, pointer: '/tickets/1/quantity', message: /^Only 2 of "Scarce" are left; 3 asked$/ },
      {
        name: 'attendees do not match the quantities',
        lines: () => [{ ticket: free, quantity: 2 }],
        extra: () => ({ attendees: [{ firstname: 'A', lastname: 'B', email: 'a@example.org', ticket: free.id }] }),
        status: 422,
        pointer: '/attendees',
        message: /2 of ticket \d+ bought but 1 attendees given/,
      },
      {
        name: 'an attendee for a ticket not bought',
        lines: () => [{ ticket: free, quantity: 1 }],
        extra: () => ({ attendees: [{ firstname: 'A', lastname: 'B', email: 'a@example.org', ticket: paid.id }] }),
        status: 422,
        pointer: '/attendees/0/ticket',
        message: /which this order does not buy/,
      },
    ];
  });

  it('refuses each case with its status, pointer and a message of its own, and keeps nothing', async () => {
    const messages = new Set<string>();
    for (const c of cases) {
      const before = await ticketAsTeam(t, owner.token, free);
      const ordersBefore = (await get(t, `/v1/events/${ev.id}/orders`, owner.token)).body.meta.count;
      const response = await postOrder(t, stranger.token, c.lines(), c.extra?.());
      expect(response.status, `${c.name}: ${response.text}`).toBe(c.status);
      expect(response.body.errors[0].status, c.name).toBe(String(c.status));
      expect(pointer(response), c.name).toBe(c.pointer);
      expect(detail(response), c.name).toMatch(c.message);
      messages.add(detail(response).replace(/\d+/g, 'N'));
      // Nothing kept: no order, and the free ticket (first line of some cases) was not counted.
      expect((await ticketAsTeam(t, owner.token, free)).attributes['sold-count'], c.name).toBe(before.attributes['sold-count']);
      expect((await get(t, `/v1/events/${ev.id}/orders`, owner.token)).body.meta.count, c.name).toBe(ordersBefore);
    }
    expect(messages.size, 'every refusal says what is wrong in its own words').toBe(cases.length);
  });

  it('sold out is a 409 naming the ticket', async () => {
    const last = await createTicket(t, owner.token, ev, { name: 'Last one', quantity: 1 });
    await createOrder(t, buyer.token, [{ ticket: last, quantity: 1 }]);
    const response = await postOrder(t, stranger.token, [{ ticket: last, quantity: 1 }]);
    expect(response.status).toBe(409);
    expect(detail(response)).toBe('"Last one" is sold out');
  });

  it('organizers may sell hidden tickets; a published private event sells to its team only', async () => {
    const hidden = await createTicket(t, owner.token, ev, { name: 'Door only', 'is-hidden': true });
    expect((await postOrder(t, owner.token, [{ ticket: hidden, quantity: 1 }])).status).toBe(201);
    const privateEvent = await createEvent(t, owner.token, { privacy: 'private' });
    await publish(t, owner.token, privateEvent);
    const ticket = await createTicket(t, owner.token, privateEvent);
    const refused = await postOrder(t, stranger.token, [{ ticket, quantity: 1 }]);
    expect(refused.status).toBe(422);
    expect(detail(refused)).toMatch(/private event/);
  });

  it('validates the body: unknown fields, bad emails and quantities point at the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ tickets: [{ id: free.id, quantity: -1 }] }, '/tickets/0/quantity'],
      [{ tickets: [{ id: free.id, quantity: 1, discount: 5 }] }, '/tickets/0/discount'],
      [{ tickets: [] }, '/tickets'],
      [{ tickets: [{ id: free.id, quantity: 1 }], attendees: [{ firstname: 'A', lastname: 'B', email: 'nope', ticket: free.id }] }, '/attendees/0/email'],
      [{ tickets: [{ id: free.id, quantity: 1 }], 'payment-mode': 'free' }, '/payment-mode'],
    ];
    for (const [json, where] of cases) {
      const response = await t.request({ method: 'POST', url: '/v1/orders/create-order', token: buyer.token, json });
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(response.body.errors.map((e: any) => e.source?.pointer), JSON.stringify(json)).toContain(where);
    }
  });
});

describe('settling orders', () => {
  it('organizers mark a pending order paid, saying how', async () => {
    const order = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { 'payment-mode': 'bank' });
    const missing = await patchOrder(t, owner.token, order, { status: 'completed' });
    expect(missing.status).toBe(422);
    expect(pointer(missing)).toBe('/data/attributes/paid-via');
    const response = await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank', 'order-notes': 'Paid 3 May' });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes).toMatchObject({ status: 'completed', 'paid-via': 'bank', 'expires-at': null, 'order-notes': 'Paid 3 May' });
    expect(response.body.data.attributes['completed-at']).toEqual(expect.any(String));
    // Sent again (as ember-data clients send the whole record), nothing changes; paid-via may be corrected.
    expect((await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank' })).status).toBe(200);
    const corrected = await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'onsite', amount: 999 });
    expect(corrected.body.data.attributes).toMatchObject({ 'paid-via': 'onsite', amount: 12.5 });
  });

  it('cancelling gives the tickets back; a cancelled order cannot be paid', async () => {
    const ticket = await createTicket(t, owner.token, ev, { type: 'paid', price: 10, quantity: 5 });
    const order = await createOrder(t, buyer.token, [{ ticket, quantity: 3 }]);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes).toMatchObject({ 'sold-count': 3, available: 2 });
    const cancelled = await patchOrder(t, owner.token, order, { status: 'cancelled' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.data.attributes).toMatchObject({ status: 'cancelled', 'cancelled-at': expect.any(String) });
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes).toMatchObject({ 'sold-count': 0, available: 5 });
    // Cancelling again changes nothing (the tickets are not given back twice).
    expect((await patchOrder(t, owner.token, order, { status: 'cancelled' })).status).toBe(200);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(0);
    const pay = await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank' });
    expect(pay.status).toBe(409);
    expect(detail(pay)).toMatch(/cancelled: its tickets were given back/);
  });

  it('a completed order can be cancelled too, freeing its tickets', async () => {
    const ticket = await createTicket(t, owner.token, ev, { quantity: 2 });
    // Issue 14: the buyer completes a free order with the order form.
    const order = await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket, quantity: 2 }]));
    expect(order.attributes.status).toBe('completed');
    expect((await patchOrder(t, owner.token, order, { status: 'cancelled' })).status).toBe(200);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(0);
  });

  it('only the server sets pending and expired', async () => {
    const order = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }]);
    const response = await patchOrder(t, owner.token, order, { status: 'expired' });
    expect(response.status).toBe(422);
    expect(pointer(response)).toBe('/data/attributes/status');
  });

  it('confirmPayment is the one seam a gateway would call: it completes once and is safe to repeat', async () => {
    const order = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }]);
    const db = t.database.connection.db;
    const first = await confirmPayment(db, Number(order.id), 'stripe');
    expect(first).toMatchObject({ changed: true, order: { status: 'completed', paidVia: 'stripe' } });
    const again = await confirmPayment(db, Number(order.id), 'stripe');
    expect(again).toMatchObject({ changed: false, order: { status: 'completed' } });
  });

  it('only organizers settle: registrars and the buyer 403, strangers 404', async () => {
    const order = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }]);
    expect((await patchOrder(t, registrar.token, order, { status: 'completed', 'paid-via': 'bank' })).status).toBe(403);
    // The buyer may cancel their own pending order (issue 11, item 9: see buyer-cancel.test.ts), not mark it paid.
    expect((await patchOrder(t, buyer.token, order, { status: 'completed', 'paid-via': 'bank' })).status).toBe(403);
    expect((await patchOrder(t, stranger.token, order, { status: 'cancelled' })).status).toBe(404);
    expect((await patchOrder(t, admin.token, order, { status: 'completed', 'paid-via': 'other' })).status).toBe(200);
  });
});

describe('who sees orders', () => {
  let order: Resource;
  beforeAll(async () => {
    order = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }, { ticket: free, quantity: 1 }]);
  });

  it('the buyer, the organizers, registrars and admins read an order, by identifier or id', async () => {
    for (const viewer of [buyer, owner, registrar, admin]) {
      for (const key of [order.attributes.identifier, order.id]) {
        const response = await get(t, `/v1/orders/${key}`, viewer.token);
        expect(response.status, `${viewer.email} ${key}`).toBe(200);
        expect(response.body.data.attributes.identifier).toBe(order.attributes.identifier);
      }
    }
  });

  it('a stranger, a moderator and anonymous callers get 404: the order does not exist for them', async () => {
    for (const token of [stranger.token, moderator.token, undefined]) {
      expect((await get(t, `/v1/orders/${order.attributes.identifier}`, token)).status).toBe(404);
    }
    expect((await get(t, '/v1/orders/not-an-order', buyer.token)).status).toBe(404);
  });

  it('include=attendees,tickets', async () => {
    const response = await get(t, `/v1/orders/${order.attributes.identifier}?include=attendees,tickets`, buyer.token);
    const included = response.body.included.map((r: Resource) => `${r.type}`).sort();
    expect(included).toEqual(['attendee', 'attendee', 'ticket', 'ticket']);
    const ticket = response.body.included.find((r: Resource) => r.type === 'ticket' && r.id === paid.id);
    expect(ticket.attributes.price).toBe(12.5);
    // The buyer is not on the team: no counts.
    expect(ticket.attributes).not.toHaveProperty('sold-count');
  });

  it('the event’s orders: organizers and registrars; 403 for the rest of the team, 404 for strangers, 401 anonymous', async () => {
    expect((await get(t, `/v1/events/${ev.id}/orders`, owner.token)).status).toBe(200);
    const list = await get(t, `/v1/events/${ev.id}/orders?page[size]=100`, registrar.token);
    expect(list.status).toBe(200);
    expect(ids(list)).toContain(order.id);
    expect((await get(t, `/v1/events/${ev.id}/orders`, moderator.token)).status).toBe(403);
    expect((await get(t, `/v1/events/${ev.id}/orders`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.id}/orders`)).status).toBe(401);
  });

  it('lists filter, sort and page', async () => {
    // Issue 14: orders nobody sent the order form of are initializing (pending is a paid order waiting for its payment).
    const filter = encodeURIComponent('[{"name":"status","op":"eq","val":"initializing"}]');
    const pending = await get(t, `/v1/events/${ev.id}/orders?filter=${filter}&page[size]=100`, owner.token);
    expect(pending.body.data.length).toBeGreaterThan(0);
    for (const o of pending.body.data) expect(o.attributes.status).toBe('initializing');
    const page = await get(t, `/v1/events/${ev.id}/orders?page[size]=2&sort=created-at`, owner.token);
    expect(page.body.data).toHaveLength(2);
    expect(decodeURIComponent(page.body.links.next)).toContain('page[number]=2');
  });

  it('/v1/users/me/orders lists your own orders only', async () => {
    const mine = await get(t, '/v1/users/me/orders?page[size]=100', buyer.token);
    expect(mine.status).toBe(200);
    expect(ids(mine)).toContain(order.id);
    for (const o of mine.body.data) expect(o.relationships.user.data.id).toBe(String(buyer.id));
    const theirs = await get(t, '/v1/users/me/orders?page[size]=100', registrar.token);
    expect(ids(theirs)).not.toContain(order.id);
    expect((await get(t, '/v1/users/me/orders')).status).toBe(401);
  });
});
