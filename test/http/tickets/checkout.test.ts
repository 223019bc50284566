// Checkout as OES's web client does it (issue 14, item 3): the ticket list's availability and
// calculate-amount (plain JSON, priced by create-order's own rules), the dashboard's order statistics,
// and the order page's routes by order identifier (event, tickets, attendees, a ticket's attendees
// filtered to the order, verify with no body, include=attendees,tickets,event). Inputs are OES's API
// Blueprint example bodies with this test's ticket ids; expectations are their answers' shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createEvent, createPublishedEvent, expect422, get, grantRole, ids, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { createOrder, createTicket, offerPayments, patchOrder, sendOrderForm } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let registrar: User;
let moderator: User;
let buyer: User;
let stranger: User;
let admin: User;
let ev: Resource;
let draft: Resource;
let paid: Resource;
let donation: Resource;
let free: Resource;
let hidden: Resource;

const STATUS_KEYS = ['cancelled', 'completed', 'draft', 'expired', 'pending', 'placed', 'total'];

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
  [ev, draft] = await Promise.all([createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' }), createEvent(t, owner.token)]);
  await grantRole(t, owner.token, ev, registrar.id, 'registrar');
  await grantRole(t, owner.token, ev, moderator.id, 'moderator');
  // Sequential, so the organizer's order (position, then id) is the order of creation.
  paid = await createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 123.5, quantity: 100 });
  donation = await createTicket(t, owner.token, ev, { name: 'Supporter', type: 'donation', 'min-price': 1, 'max-price': 1000, quantity: 50 });
  free = await createTicket(t, owner.token, ev, { name: 'Community', type: 'free', quantity: 30 });
  hidden = await createTicket(t, owner.token, ev, { name: 'Crew', type: 'paid', price: 5, quantity: 10, 'is-hidden': true });
});

const quote = (token: string | undefined, payload: unknown) =>
  t.request({ method: 'POST', url: '/v1/orders/calculate-amount', token, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

describe('GET /v1/events/{ev}/tickets/availability', () => {
  it('answers plain JSON [{id, name, quantity, available}] of the visible tickets, for anyone, by id or identifier', async () => {
    await createOrder(t, buyer.token, [{ ticket: free, quantity: 2 }]);
    for (const key of [ev.id, ev.attributes.identifier]) {
      const response = await get(t, `/v1/events/${key}/tickets/availability`);
      expect(response.status, response.text).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual([
        { id: Number(paid.id), name: 'Standard', quantity: 100, available: 100 },
        { id: Number(donation.id), name: 'Supporter', quantity: 50, available: 50 },
        { id: Number(free.id), name: 'Community', quantity: 30, available: 28 },
      ]);
    }
  });

  it('shows the team the hidden tickets too', async () => {
    const response = await get(t, `/v1/events/${ev.id}/tickets/availability`, owner.token);
    expect(response.body.map((row: { id: number }) => row.id)).toEqual([paid, donation, free, hidden].map((ticket) => Number(ticket.id)));
  });

  it('is 404 for an event the caller may not see', async () => {
    await createTicket(t, owner.token, draft, { name: 'Early' });
    expect((await get(t, `/v1/events/${draft.id}/tickets/availability`)).status).toBe(404);
    expect((await get(t, `/v1/events/${draft.id}/tickets/availability`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${draft.id}/tickets/availability`, owner.token)).status).toBe(200);
    expect((await get(t, '/v1/events/nosuchev/tickets/availability')).status).toBe(404);
  });
});

describe('POST /v1/orders/calculate-amount', () => {
  // OES's Blueprint example, with this event's tickets (its discount code is not this event's: see below).
  const blueprintBody = () => ({
    tickets: [
      { id: Number(paid.id), quantity: 2 },
      { id: Number(donation.id), quantity: 3, price: 789.7 },
      { id: Number(free.id), quantity: 3 },
    ],
  });

  it('answers OES’s plain JSON: sub_total, total, discount, tax and each ticket’s line, without an account', async () => {
    const response = await quote(undefined, blueprintBody());
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const line = { discount: null, ticket_fee: 0, ticket_tax: 0, discounted_tax: 0 };
    expect(response.body).toEqual({
      sub_total: 2616.1,
      total: 2616.1,
      discount: 0,
      tax: null,
      tickets: [
        { id: Number(paid.id), name: 'Standard', price: 123.5, quantity: 2, sub_total: 247, ...line },
        { id: Number(donation.id), name: 'Supporter', price: 789.7, quantity: 3, sub_total: 2369.1, ...line },
        { id: Number(free.id), name: 'Community', price: 0, quantity: 3, sub_total: 0, ...line },
      ],
    });
  });

  it('takes the body as OES’s client sends it: ids and prices as text, every ticket’s price, a line without quantity is one', async () => {
    const response = await quote(buyer.token, {
      tickets: [
        { id: paid.id, quantity: 1, price: 123.5 },
        { id: donation.id, price: '10.25' },
      ],
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ total: 133.75, tickets: [{ quantity: 1, sub_total: 123.5 }, { quantity: 1, price: 10.25 }] });
  });

  it('quotes what create-order charges for the same tickets', async () => {
    const lines = [
      { ticket: paid, quantity: 3 },
      { ticket: donation, quantity: 2, price: '12.34' },
    ];
    const quoted = await quote(buyer.token, { tickets: lines.map(({ ticket, quantity, price }) => ({ id: Number(ticket.id), quantity, price })) });
    const order = await createOrder(t, buyer.token, lines);
    expect(quoted.body.total).toBe(order.attributes.amount);
    expect(quoted.body.total).toBe(395.18);
  });

  it('refuses what create-order refuses about prices and tickets, as 422 pointing at the line', async () => {
    const outOfRange = await quote(buyer.token, { tickets: [{ id: paid.id, quantity: 1 }, { id: donation.id, quantity: 1, price: 1000.01 }] });
    expect422(outOfRange, '/tickets/1/price');
    expect422(await quote(buyer.token, { tickets: [{ id: donation.id, quantity: 1 }] }), '/tickets/0/price');
    expect422(await quote(buyer.token, { tickets: [{ id: paid.id, quantity: 1, price: 1.001 }, { id: donation.id, quantity: 1, price: 1.001 }] }), '/tickets/1/price');
    expect422(await quote(buyer.token, { tickets: [{ id: 999_999, quantity: 1 }] }), '/tickets/0/id');
    expect422(await quote(stranger.token, { tickets: [{ id: hidden.id, quantity: 1 }] }), '/tickets/0/id');
    expect422(await quote(buyer.token, { tickets: [{ id: paid.id, quantity: 1 }, { id: paid.id, quantity: 2 }] }), '/tickets/1/id');
    expect422(await quote(buyer.token, { tickets: [{ id: paid.id, quantity: -1 }] }), '/tickets/0/quantity');
    const [draftTicket] = (await get(t, `/v1/events/${draft.id}/tickets`, owner.token)).body.data;
    expect422(await quote(stranger.token, { tickets: [{ id: draftTicket.id, quantity: 1 }] }), '/tickets/0/id');
  });

  it('lets the team price hidden tickets and the tickets of an unpublished event', async () => {
    expect((await quote(owner.token, { tickets: [{ id: hidden.id, quantity: 2 }] })).body.total).toBe(10);
    const [draftTicket] = (await get(t, `/v1/events/${draft.id}/tickets`, owner.token)).body.data;
    expect((await quote(owner.token, { tickets: [{ id: draftTicket.id, quantity: 1 }] })).status).toBe(200);
  });

  it('refuses the Blueprint’s discount code, which this event does not have, rather than quoting a price without it', async () => {
    const response = await quote(buyer.token, { ...blueprintBody(), discount_code: '1' });
    expect422(response, '/discount_code');
    expect((await quote(buyer.token, { ...blueprintBody(), 'discount-code': null })).status).toBe(200);
  });
});

describe('order statistics', () => {
  let stats: Resource;
  let tenner: Resource;
  let gratis: Resource;

  beforeAll(async () => {
    stats = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
    await grantRole(t, owner.token, stats, registrar.id, 'registrar');
    await grantRole(t, owner.token, stats, moderator.id, 'moderator');
    tenner = await createTicket(t, owner.token, stats, { name: 'Ten', type: 'paid', price: 10, quantity: 40 });
    gratis = await createTicket(t, owner.token, stats, { name: 'Gratis', type: 'free', quantity: 60 });
    // Issue 14: orders are completed (free) or pending (paid) once their buyer sends the order form.
    await offerPayments(t, stats, ['cheque']);
    await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket: gratis, quantity: 2 }])); // completed
    await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket: tenner, quantity: 1 }]), { 'payment-mode': 'cheque' }); // pending
    const cancelled = await createOrder(t, stranger.token, [{ ticket: tenner, quantity: 2 }]);
    expect((await patchOrder(t, owner.token, cancelled, { status: 'cancelled' })).status).toBe(200);
  });

  it('GET /v1/events/{ev}/order-statistics answers OES’s order-statistics-event', async () => {
    for (const key of [stats.id, stats.attributes.identifier]) {
      const response = await get(t, `/v1/events/${key}/order-statistics`, owner.token);
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchObject({
        data: { type: 'order-statistics-event', id: stats.id, links: { self: `/v1/events/${stats.id}/order-statistics` } },
        jsonapi: { version: '1.0' },
        links: { self: `/v1/events/${stats.id}/order-statistics` },
      });
      const { attributes } = response.body.data;
      expect(attributes.identifier).toBe(stats.attributes.identifier);
      for (const part of ['orders', 'sales']) expect(Object.keys(attributes[part]).sort()).toEqual(STATUS_KEYS);
      expect(Object.keys(attributes.tickets).sort()).toEqual([...STATUS_KEYS, 'max'].sort());
      const none = { draft: 0, expired: 0, placed: 0 };
      expect(attributes.orders).toEqual({ total: 3, completed: 1, pending: 1, cancelled: 1, ...none });
      expect(attributes.tickets).toEqual({ total: 5, completed: 2, pending: 1, cancelled: 2, max: 100, ...none });
      expect(attributes.sales).toEqual({ total: 30, completed: 0, pending: 10, cancelled: 20, ...none });
    }
  });

  it('GET /v1/tickets/{id}/order-statistics answers OES’s order-statistics-ticket', async () => {
    const response = await get(t, `/v1/tickets/${tenner.id}/order-statistics`, registrar.token);
    expect(response.status, response.text).toBe(200);
    expect(response.body.data).toMatchObject({ type: 'order-statistics-ticket', id: tenner.id, links: { self: `/v1/tickets/${tenner.id}/order-statistics` } });
    const { attributes } = response.body.data;
    const none = { draft: 0, expired: 0, placed: 0, completed: 0 };
    expect(attributes.orders).toEqual({ total: 2, pending: 1, cancelled: 1, ...none });
    expect(attributes.tickets).toEqual({ total: 3, pending: 1, cancelled: 2, ...none });
    expect(attributes.sales).toEqual({ total: 30, pending: 10, cancelled: 20, ...none });
    const zero = await get(t, `/v1/tickets/${gratis.id}/order-statistics`, admin.token);
    expect(zero.body.data.attributes.tickets).toMatchObject({ total: 2, completed: 2 });
    expect(zero.body.data.attributes.sales).toMatchObject({ total: 0 });
  });

  it('is for the event’s organizers, registrars and admins: 401 anonymous, 403 the rest of the team, 404 anyone else', async () => {
    for (const url of [`/v1/events/${stats.id}/order-statistics`, `/v1/tickets/${tenner.id}/order-statistics`]) {
      expect((await get(t, url)).status, url).toBe(401);
      expect((await get(t, url, moderator.token)).status, url).toBe(403);
      expect((await get(t, url, buyer.token)).status, url).toBe(404);
      expect((await get(t, url, stranger.token)).status, url).toBe(404);
      expect((await get(t, url, admin.token)).status, url).toBe(200);
      expect((await get(t, url, registrar.token)).status, url).toBe(200);
    }
    expect((await get(t, '/v1/tickets/99999999/order-statistics', owner.token)).status).toBe(404);
  });
});

describe('the order page, by order identifier', () => {
  let order: Resource;
  let pending: Resource;
  let otherOrder: Resource;
  let identifier: string;

  beforeAll(async () => {
    // Issue 14: the free order completed and the paid one pending through the order form, as the client sends it.
    await offerPayments(t, ev, ['onsite']);
    order = await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket: free, quantity: 2 }]));
    identifier = order.attributes.identifier;
    pending = await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }]), { 'payment-mode': 'onsite' });
    otherOrder = await createOrder(t, stranger.token, [{ ticket: free, quantity: 1 }]);
  });

  it('GET /v1/orders/{identifier}/event: the event, to the buyer, the registry and admins; 404 for anyone else', async () => {
    const url = `/v1/orders/${identifier}/event?include=tax`;
    for (const viewer of [buyer, owner, registrar, admin]) {
      const response = await get(t, url, viewer.token);
      expect(response.status, response.text).toBe(200);
      expect(response.body.data).toMatchObject({ type: 'event', id: ev.id, attributes: { identifier: ev.attributes.identifier } });
    }
    expect((await get(t, url)).status).toBe(404);
    expect((await get(t, url, stranger.token)).status).toBe(404);
    expect((await get(t, '/v1/orders/00000000-0000-4000-8000-000000000000/event', admin.token)).status).toBe(404);
  });

  it('GET /v1/orders/{identifier}/tickets and /attendees: the collections the order page reads', async () => {
    const tickets = await get(t, `/v1/orders/${identifier}/tickets`, buyer.token);
    expect(tickets.status, tickets.text).toBe(200);
    expect(tickets.body).toMatchObject({ meta: { count: 1 }, jsonapi: { version: '1.0' } });
    expect(tickets.body.data[0]).toMatchObject({ type: 'ticket', id: free.id, attributes: { name: 'Community', type: 'free' }, links: { self: `/v1/tickets/${free.id}` } });
    const attendees = await get(t, `/v1/orders/${identifier}/attendees`, buyer.token);
    expect(attendees.status, attendees.text).toBe(200);
    expect(attendees.body.meta.count).toBe(2);
    expect(ids(attendees)).toEqual(order.relationships!.attendees.data.map((a: { id: string }) => a.id));
    for (const attendee of attendees.body.data) {
      expect(attendee.relationships.order.data).toBeUndefined();
      const related = await get(t, attendee.relationships.order.links.related, buyer.token);
      expect(related.body.data).toMatchObject({ type: 'order', id: order.id });
    }
    for (const path of ['tickets', 'attendees']) {
      expect((await get(t, `/v1/orders/${identifier}/${path}`, registrar.token)).status).toBe(200);
      expect((await get(t, `/v1/orders/${identifier}/${path}`, stranger.token)).status).toBe(404);
      expect((await get(t, `/v1/orders/${identifier}/${path}`, moderator.token)).status).toBe(404);
    }
  });

  it('GET /v1/tickets/{id}/attendees with the order filter the client sends', async () => {
    const filter = (orderId: string) => encodeURIComponent(JSON.stringify([{ name: 'order', op: 'has', val: { name: 'id', op: 'eq', val: orderId } }]));
    const mine = await get(t, `/v1/tickets/${free.id}/attendees?filter=${filter(order.id)}`, buyer.token);
    expect(mine.status, mine.text).toBe(200);
    expect(ids(mine)).toEqual(order.relationships!.attendees.data.map((a: { id: string }) => a.id));
    // A buyer sees only their own orders' holders, even when asking for someone else's order.
    expect(ids(await get(t, `/v1/tickets/${free.id}/attendees?filter=${filter(otherOrder.id)}`, buyer.token))).toEqual([]);
    // The registry sees every holder of the ticket, and narrows to one order with the filter.
    const all = await get(t, `/v1/tickets/${free.id}/attendees?page[size]=100`, registrar.token);
    expect(ids(all)).toEqual(expect.arrayContaining(otherOrder.relationships!.attendees.data.map((a: { id: string }) => a.id)));
    expect(ids(await get(t, `/v1/tickets/${free.id}/attendees?filter=${filter(otherOrder.id)}`, owner.token))).toEqual(
      otherOrder.relationships!.attendees.data.map((a: { id: string }) => a.id),
    );
    expect((await get(t, `/v1/tickets/${paid.id}/attendees`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/tickets/${free.id}/attendees`)).status).toBe(401);
  });

  it('POST /v1/orders/{identifier}/verify with no body answers {"payment_status"}, with or without a Content-Type', async () => {
    const bare = await t.request({ method: 'POST', url: `/v1/orders/${identifier}/verify`, token: buyer.token });
    expect(bare.status, bare.text).toBe(200);
    expect(bare.headers['content-type']).toMatch(/^application\/json/);
    expect(bare.body).toEqual({ payment_status: 'completed' });
    // OES's client sends its JSON:API Content-Type on every POST, this one too.
    const typed = await t.request({
      method: 'POST',
      url: `/v1/orders/${pending.attributes.identifier}/verify`,
      token: buyer.token,
      headers: { 'content-type': 'application/vnd.api+json' },
    });
    expect(typed.status, typed.text).toBe(200);
    expect(typed.body).toEqual({ payment_status: 'pending' });
    expect((await t.request({ method: 'POST', url: `/v1/orders/${identifier}/verify`, token: stranger.token })).status).toBe(404);
    expect((await t.request({ method: 'POST', url: `/v1/orders/${identifier}/verify` })).status).toBe(404);
    // Other routes still refuse an empty body that says it is JSON.
    const empty = await t.request({ method: 'POST', url: '/v1/orders/create-order', token: buyer.token, headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
  });

  it('GET /v1/orders/{identifier} includes attendees,event and attendees,tickets,event', async () => {
    const withEvent = await get(t, `/v1/orders/${identifier}?include=attendees,event`, buyer.token);
    expect(withEvent.status, withEvent.text).toBe(200);
    const types = (response: typeof withEvent) => response.body.included.map((resource: Resource) => resource.type).sort();
    expect(types(withEvent)).toEqual(['attendee', 'attendee', 'event']);
    const event = withEvent.body.included.find((resource: Resource) => resource.type === 'event');
    expect(event).toMatchObject({ id: ev.id, attributes: { identifier: ev.attributes.identifier, name: ev.attributes.name } });
    const all = await get(t, `/v1/orders/${identifier}?include=attendees,tickets,event`, registrar.token);
    expect(all.status, all.text).toBe(200);
    expect(types(all)).toEqual(['attendee', 'attendee', 'event', 'ticket']);
    expect((await get(t, `/v1/orders/${identifier}?include=attendees,event`, stranger.token)).status).toBe(404);
  });

  it('the buyer’s order list includes each order’s event', async () => {
    const response = await get(t, '/v1/users/me/orders?include=event', buyer.token);
    expect(response.status, response.text).toBe(200);
    expect(response.body.included.filter((resource: Resource) => resource.type === 'event').map((resource: Resource) => resource.id)).toContain(ev.id);
  });
});
