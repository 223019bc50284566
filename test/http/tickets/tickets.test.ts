// Tickets (issue 7): organizers create, change and delete them; the rules on their attributes (prices by type,
// exact money in the event's currency, name unique per event, sales window, min/max order), each a 422 naming
// the attribute; who sees what (hidden tickets, draft events, sold-count for the team only).
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  createEvent,
  createPublishedEvent,
  expect422,
  expectStatus,
  get,
  grantRole,
  ids,
  quickUser,
  type Resource,
  type User,
} from '../../support/schedule.ts';
import { createOrder, createTicket, detail, patchTicket, postTicket, queryRows, ticketAsTeam } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let registrar: User;
let stranger: User;
let ev: Resource;
let yen: Resource;
let dinar: Resource;
let draft: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, registrar, stranger] = await Promise.all([quickUser(t), quickUser(t), quickUser(t)]);
  [ev, yen, dinar, draft] = await Promise.all([
    createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' }),
    createPublishedEvent(t, owner.token, { 'payment-currency': 'JPY' }),
    createPublishedEvent(t, owner.token, { 'payment-currency': 'KWD' }),
    createEvent(t, owner.token),
  ]);
  await grantRole(t, owner.token, ev, registrar.id, 'registrar');
});

describe('creating and reading tickets', () => {
  it('keeps every OES attribute and answers them as sent', async () => {
    const attributes = {
      name: 'Early bird',
      description: '<p>Cheaper</p>',
      type: 'paid',
      price: 12.5,
      quantity: 50,
      'sales-starts-at': '2026-01-01T00:00:00Z',
      'sales-ends-at': '2026-01-31T00:00:00Z',
      'min-order': 2,
      'max-order': 6,
      'is-hidden': false,
      'is-description-visible': false,
      'is-fee-absorbed': true,
      'is-checkin-restricted': true,
      'auto-checkin-enabled': true,
      position: 3,
    };
    const response = await postTicket(t, owner.token, ev, attributes);
    expectStatus(response, 201, 'create ticket');
    expect(response.headers.location).toBe(`/v1/tickets/${response.body.data.id}`);
    expect(response.body.data).toMatchObject({ type: 'ticket', attributes: { ...attributes, 'sold-count': 0, available: 50 } });
    // The event as links only, as OES gives it (issue 13).
    expect(response.body.data.relationships.event.links.related).toBe(`/v1/tickets/${response.body.data.id}/event`);
    expect((await get(t, `/v1/tickets/${response.body.data.id}/event`)).body.data).toMatchObject({ type: 'event', id: ev.id });
    const read = await get(t, `/v1/tickets/${response.body.data.id}`);
    expect(read.body.data.attributes).toMatchObject({ name: 'Early bird', price: 12.5, quantity: 50 });
  });

  it('defaults: free, price 0, min-order 1, max-order 10, visible', async () => {
    const ticket = await createTicket(t, owner.token, ev, { name: 'Defaults', quantity: 5 });
    expect(ticket.attributes).toMatchObject({
      type: 'free',
      price: 0,
      'min-order': 1,
      'max-order': 10,
      'is-hidden': false,
      'is-description-visible': true,
      'min-price': null,
      'max-price': null,
    });
  });

  it('reads prices exactly in the currency’s minor units, as numbers or decimal text', async () => {
    const cases: [Resource, unknown, number][] = [
      [ev, 0.1, 0.1],
      [ev, '19.90', 19.9],
      [ev, 1234567.89, 1234567.89],
      [yen, 1500, 1500],
      [dinar, 1.234, 1.234],
    ];
    for (const [event, price, expected] of cases) {
      const ticket = await createTicket(t, owner.token, event, { type: 'paid', price });
      expect(ticket.attributes.price, String(price)).toBe(expected);
    }
    const [row] = await queryRows<{ price_minor: string }>(t, sql`SELECT price_minor FROM tickets WHERE event_id = ${Number(dinar.id)}`);
    expect(Number(row.price_minor), 'KWD has three decimals: 1.234 is 1234 fils').toBe(1234);
  });

  it('refuses more decimals than the currency has, and negative prices', async () => {
    for (const [event, price] of [[ev, 12.345], [yen, 10.5], [dinar, 1.2345], [ev, '1e3'], [ev, -1]] as const) {
      expect422(await postTicket(t, owner.token, event, { type: 'paid', price }), '/data/attributes/price', `${price}`);
    }
    expect(detail(await postTicket(t, owner.token, yen, { type: 'paid', price: 10.5 }))).toMatch(/at most 0 decimals \(JPY\)/);
  });
});

describe('the rules on a ticket’s attributes', () => {
  const invalid: [string, Record<string, unknown>, string][] = [
    ['paid needs a price above 0', { type: 'paid', price: 0 }, 'price'],
    ['paid without a price', { type: 'paid' }, 'price'],
    ['free has price 0', { type: 'free', price: 5 }, 'price'],
    ['donation has no fixed price', { type: 'donation', price: 5, 'min-price': 1 }, 'price'],
    ['donation max below min', { type: 'donation', 'min-price': 10, 'max-price': 5 }, 'max-price'],
    ['sales end before they start', { 'sales-starts-at': '2026-02-01T00:00:00Z', 'sales-ends-at': '2026-01-01T00:00:00Z' }, 'sales-ends-at'],
    ['sales end when they start', { 'sales-starts-at': '2026-02-01T00:00:00Z', 'sales-ends-at': '2026-02-01T00:00:00Z' }, 'sales-ends-at'],
    ['min-order below 1', { 'min-order': 0 }, 'min-order'],
    ['max-order below min-order', { 'min-order': 5, 'max-order': 4 }, 'max-order'],
    ['min-order above the default max-order', { 'min-order': 11 }, 'max-order'],
    ['negative quantity', { quantity: -1 }, 'quantity'],
    ['unknown type', { type: 'vip' }, 'type'],
    ['no name', { name: '' }, 'name'],
    ['no quantity', { quantity: null }, 'quantity'],
  ];
  for (const [name, attributes, attribute] of invalid) {
    it(`refuses: ${name}`, async () => {
      expect422(await postTicket(t, owner.token, ev, attributes), `/data/attributes/${attribute}`, name);
    });
  }

  it('accepts a donation ticket with a range', async () => {
    const ticket = await createTicket(t, owner.token, ev, { type: 'donation', 'min-price': 5, 'max-price': 500 });
    expect(ticket.attributes).toMatchObject({ type: 'donation', price: 0, 'min-price': 5, 'max-price': 500 });
  });

  it('checks the rules on the ticket as it would be after a change', async () => {
    const ticket = await createTicket(t, owner.token, ev, { 'min-order': 2, 'max-order': 4 });
    expect422(await patchTicket(t, owner.token, ticket, { 'max-order': 1 }), '/data/attributes/max-order');
    expect422(await patchTicket(t, owner.token, ticket, { type: 'paid' }), '/data/attributes/price', 'paid without price');
    const paid = await patchTicket(t, owner.token, ticket, { type: 'paid', price: '7.00' });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.data.attributes).toMatchObject({ type: 'paid', price: 7 });
  });

  it('keeps names unique among an event’s live tickets', async () => {
    await createTicket(t, owner.token, ev, { name: 'Unique' });
    expect422(await postTicket(t, owner.token, ev, { name: 'Unique' }), '/data/attributes/name');
    expect(detail(await postTicket(t, owner.token, ev, { name: 'Unique' }))).toMatch(/already has a ticket with that name/);
    // Another event may use the name, and a deleted ticket frees it.
    await createTicket(t, owner.token, yen, { name: 'Unique' });
    const other = await createTicket(t, owner.token, ev, { name: 'Renamed later' });
    expect422(await patchTicket(t, owner.token, other, { name: 'Unique' }), '/data/attributes/name');
    const first = (await get(t, `/v1/events/${ev.id}/tickets?filter=${encodeURIComponent('[{"name":"name","op":"eq","val":"Unique"}]')}`, owner.token)).body.data[0];
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/tickets/${first.id}`, token: owner.token }), 200, 'delete');
    await createTicket(t, owner.token, ev, { name: 'Unique' });
  });

  it('never lets the quantity go below what is sold', async () => {
    const ticket = await createTicket(t, owner.token, ev, { quantity: 10 });
    await createOrder(t, stranger.token, [{ ticket, quantity: 4 }]);
    const response = await patchTicket(t, owner.token, ticket, { quantity: 3 });
    expect422(response, '/data/attributes/quantity');
    expect(detail(response)).toMatch(/4 of these tickets are sold/);
    expectStatus(await patchTicket(t, owner.token, ticket, { quantity: 4 }), 200, 'down to what is sold');
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes).toMatchObject({ quantity: 4, 'sold-count': 4, available: 0 });
  });

  it('is not schedule data: ticket writes leave the schedule version alone', async () => {
    const version = async () =>
      Number((await queryRows<{ schedule_version: number }>(t, sql`SELECT schedule_version FROM events WHERE id = ${Number(ev.id)}`))[0]!.schedule_version);
    const before = await version();
    const ticket = await createTicket(t, owner.token, ev);
    await patchTicket(t, owner.token, ticket, { position: 9 });
    await t.request({ method: 'DELETE', url: `/v1/tickets/${ticket.id}`, token: owner.token });
    expect(await version()).toBe(before);
  });
});

describe('who sees and writes tickets', () => {
  let hidden: Resource;
  let shown: Resource;
  beforeAll(async () => {
    hidden = await createTicket(t, owner.token, ev, { name: 'Secret', 'is-hidden': true });
    shown = await createTicket(t, owner.token, ev, { name: 'Public' });
  });

  it('the public sees non-hidden tickets, without sold-count and available', async () => {
    for (const token of [undefined, stranger.token]) {
      const list = await get(t, `/v1/events/${ev.id}/tickets?page[size]=100`, token);
      expect(list.status).toBe(200);
      expect(ids(list)).toContain(shown.id);
      expect(ids(list)).not.toContain(hidden.id);
      for (const ticket of list.body.data) {
        expect(ticket.attributes).not.toHaveProperty('sold-count');
        expect(ticket.attributes).not.toHaveProperty('available');
      }
      expect((await get(t, `/v1/tickets/${hidden.id}`, token)).status).toBe(404);
    }
  });

  it('the team sees hidden tickets and the counts', async () => {
    for (const viewer of [owner, registrar]) {
      const list = await get(t, `/v1/events/${ev.id}/tickets?page[size]=100`, viewer.token);
      expect(ids(list)).toContain(hidden.id);
      const one = list.body.data.find((ticket: Resource) => ticket.id === hidden.id);
      expect(one.attributes).toMatchObject({ 'sold-count': 0, available: 100 });
    }
  });

  it('nobody outside the team sees the tickets of a draft event', async () => {
    const ticket = await createTicket(t, owner.token, draft);
    expect((await get(t, `/v1/events/${draft.id}/tickets`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/tickets/${ticket.id}`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/tickets/${ticket.id}`, owner.token)).status).toBe(200);
  });

  it('only managers write: registrars get 403, strangers 404 (403 once they can see it), anonymous 401', async () => {
    expect((await postTicket(t, registrar.token, ev)).status).toBe(403);
    expect((await postTicket(t, stranger.token, draft)).status).toBe(404);
    expect((await postTicket(t, stranger.token, ev)).status).toBe(403);
    expect((await patchTicket(t, registrar.token, shown, { position: 1 })).status).toBe(403);
    expect((await patchTicket(t, stranger.token, hidden, { position: 1 })).status).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/tickets/${shown.id}` })).status).toBe(401);
  });

  it('sold-count and available are read-only: sent back, they are ignored', async () => {
    const response = await patchTicket(t, owner.token, shown, { 'sold-count': 99, available: 1, position: 2 });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes).toMatchObject({ 'sold-count': 0, available: 100, position: 2 });
  });
});

describe('the event currency under existing tickets', () => {
  it('cannot change once tickets are priced in it (409), and can before', async () => {
    const fresh = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
    const change = (currency: string) =>
      t.request({
        method: 'PATCH',
        url: `/v1/events/${fresh.id}`,
        token: owner.token,
        json: { data: { type: 'event', id: fresh.id, attributes: { 'payment-currency': currency } } },
      });
    expect((await change('USD')).status).toBe(200);
    await createTicket(t, owner.token, fresh, { name: 'Standard', type: 'paid', price: 10, quantity: 5 });
    const refused = await change('JPY');
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].source).toEqual({ pointer: '/data/attributes/payment-currency' });
    // Sending the same currency back, as ember-data does with the whole event, is fine.
    expect((await change('USD')).status).toBe(200);
  });
});
