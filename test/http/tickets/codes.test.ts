// Discount codes and access codes (issue 17 item 3), as OES and its web client have them: organizers
// manage an event's codes; a buyer checks one code by the code itself and uses it in calculate-amount and
// create-order; hidden tickets sell only with an access code naming them; every use is counted in the
// order's transaction, and an expired or cancelled order gives its uses back.
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { expireOrders } from '../../../src/domain/orders.ts';
import pg from 'pg';
import { currentBackend, startTestApp, type TestApp } from '../../support/app.ts';
import { body, createPublishedEvent, expect422, expectStatus, get, grantRole, ids, quickUser, rel, type Resource, type User } from '../../support/schedule.ts';
import { createTicket, detail, fromNow, patchOrder, postOesOrder, postOrder, queryRows } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let buyer: User;
let ev: Resource;
let paid: Resource;
let other: Resource;
let hidden: Resource;

/** Codes without valid-till hold until their event ends (OES): these events are still to come. */
const FUTURE = { 'payment-currency': 'EUR', 'starts-at': '2031-06-01T08:00:00Z', 'ends-at': '2031-06-02T18:00:00Z' };

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  buyer = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token, FUTURE);
  paid = await createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 19.99, quantity: 1000, 'max-order': 50 });
  other = await createTicket(t, owner.token, ev, { name: 'Workshop', type: 'paid', price: 10, quantity: 1000 });
  hidden = await createTicket(t, owner.token, ev, { name: 'Crew', type: 'paid', price: 5, quantity: 1000, 'is-hidden': true });
});

let counter = 0;
const discountBody = (attributes: Record<string, unknown>, tickets: Resource[], event: Resource = ev) =>
  body(
    'discount-code',
    { code: `SAVE${++counter}`, type: 'percent', value: 10, 'used-for': 'ticket', 'tickets-number': 100, 'max-quantity': 100, ...attributes },
    { event: rel('event', event.id), tickets: rel('ticket', tickets.map((ticket) => ticket.id)) },
  );

async function createDiscount(attributes: Record<string, unknown>, tickets: Resource[] = [paid]): Promise<Resource> {
  const response = await t.request({ method: 'POST', url: '/v1/discount-codes', token: owner.token, json: discountBody(attributes, tickets) });
  return expectStatus(response, 201, 'POST /v1/discount-codes').body.data;
}

async function createAccess(attributes: Record<string, unknown>, tickets: Resource[] = [hidden]): Promise<Resource> {
  const response = await t.request({
    method: 'POST',
    url: '/v1/access-codes',
    token: owner.token,
    json: body('access-code', { code: `OPEN${++counter}`, 'tickets-number': 10, 'max-quantity': 10, ...attributes }, { event: rel('event', ev.id), tickets: rel('ticket', tickets.map((x) => x.id)) }),
  });
  return expectStatus(response, 201, 'POST /v1/access-codes').body.data;
}

const quote = (json: Record<string, unknown>, token?: string) => t.request({ method: 'POST', url: '/v1/orders/calculate-amount', token, json });

async function usedCount(table: 'discount_codes' | 'access_codes', id: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t, sql`SELECT used_count AS n FROM ${sql.raw(table)} WHERE id = ${Number(id)}`);
  return Number(row!.n);
}

describe('discount codes as a resource: organizers manage them, nobody else reads them', () => {
  it('an organizer creates, reads, lists, changes and deletes a code, with its tickets', async () => {
    const code = await createDiscount({ code: 'SPRING', type: 'amount', value: 2.5, 'min-quantity': 1, 'max-quantity': 10, 'tickets-number': 20 }, [paid, other]);
    expect(code.type).toBe('discount-code');
    expect(code.attributes).toMatchObject({ code: 'SPRING', type: 'amount', value: 2.5, 'is-active': true, 'tickets-number': 20, 'min-quantity': 1, 'max-quantity': 10, 'used-for': 'ticket' });
    expect(code.relationships!.tickets.data.map((x: any) => x.id).sort()).toEqual([paid.id, other.id].sort());

    const read = expectStatus(await get(t, `/v1/discount-codes/${code.id}`, owner.token), 200, 'GET code').body.data;
    expect(read.attributes.value).toBe(2.5);
    const list = expectStatus(await get(t, `/v1/events/${ev.id}/discount-codes`, owner.token), 200, 'list');
    expect(ids(list)).toContain(code.id);

    const changed = await t.request({
      method: 'PATCH',
      url: `/v1/discount-codes/${code.id}`,
      token: owner.token,
      json: { data: { type: 'discount-code', id: code.id, attributes: { type: 'percent', value: 12.5, 'is-active': false } } },
    });
    expect(expectStatus(changed, 200, 'PATCH').body.data.attributes).toMatchObject({ type: 'percent', value: 12.5, 'is-active': false });

    expect((await t.request({ method: 'DELETE', url: `/v1/discount-codes/${code.id}`, token: owner.token })).status).toBe(200);
    expect((await get(t, `/v1/discount-codes/${code.id}`, buyer.token)).status).toBe(404);
  });

  it('a buyer, a registrar and anonymous visitors can neither create, list, read by id, change nor delete codes', async () => {
    const code = await createDiscount({ code: 'TEAMONLY' });
    const registrar = await quickUser(t);
    await grantRole(t, owner.token, ev, registrar.id, 'registrar');
    for (const user of [buyer, registrar]) {
      const created = await t.request({ method: 'POST', url: '/v1/discount-codes', token: user.token, json: discountBody({}, [paid]) });
      expect(created.status, user === buyer ? 'buyer' : 'registrar').toBe(403);
      const patched = await t.request({
        method: 'PATCH',
        url: `/v1/discount-codes/${code.id}`,
        token: user.token,
        json: { data: { type: 'discount-code', id: code.id, attributes: { value: 99 } } },
      });
      expect([403, 404]).toContain(patched.status);
      expect([403, 404]).toContain((await t.request({ method: 'DELETE', url: `/v1/discount-codes/${code.id}`, token: user.token })).status);
    }
    expect((await get(t, `/v1/discount-codes/${code.id}`, buyer.token)).status).toBe(404);
    expect(ids(await get(t, `/v1/events/${ev.id}/discount-codes`, buyer.token))).toEqual([]);
    expect(ids(await get(t, `/v1/events/${ev.id}/discount-codes`))).toEqual([]);
    expect((await t.request({ method: 'POST', url: '/v1/discount-codes', json: discountBody({}, [paid]) })).status).toBe(401);
    // Still the organizer's value.
    expect(expectStatus(await get(t, `/v1/discount-codes/${code.id}`, owner.token), 200, 'GET').body.data.attributes.value).toBe(10);
  });

  it('takes the body OES’s client sends from its create-discount-code and create-access-code forms', async () => {
    const discount = await t.request({
      method: 'POST',
      url: '/v1/discount-codes',
      token: owner.token,
      json: {
        data: {
          type: 'discount-code',
          attributes: {
            code: 'FORMCODE', type: 'amount', value: '5', 'tickets-number': 10, 'min-quantity': 0, 'max-quantity': 10,
            'valid-from': fromNow(-60), 'discount-url': `http://localhost:4200/e/${ev.attributes.identifier}?code=FORMCODE`,
            'valid-till': fromNow(600), 'used-for': 'ticket', 'is-active': true, 'created-at': null,
          },
          relationships: {
            event: rel('event', ev.id),
            marketer: rel('user', owner.id),
            tickets: rel('ticket', [paid.id]),
            orders: { data: [] },
            events: { data: [] },
          },
        },
      },
    });
    expect(discount.status, discount.text).toBe(201);
    expect(discount.body.data.attributes).toMatchObject({ code: 'FORMCODE', value: 5, 'min-quantity': 0 });
    const access = await t.request({
      method: 'POST',
      url: '/v1/access-codes',
      token: owner.token,
      json: {
        data: {
          type: 'access-code',
          attributes: { code: 'FORMACCESS', 'access-url': null, 'is-active': true, 'tickets-number': 10, 'min-quantity': 0, 'max-quantity': 10, 'valid-from': fromNow(-60), 'valid-till': fromNow(600) },
          relationships: { event: rel('event', ev.id), marketer: rel('user', owner.id), tickets: rel('ticket', [hidden.id]), orders: { data: [] } },
        },
      },
    });
    expect(access.status, access.text).toBe(201);
  });

  it('lists as OES’s client asks for its active and expired tabs (filters on valid_till, is-active, code)', async () => {
    const active = await createDiscount({ code: 'TABACTIVE', 'valid-till': fromNow(600) });
    const expired = await createDiscount({ code: 'TABEXPIRED', 'valid-from': fromNow(-600), 'valid-till': fromNow(-60) });
    const list = (filter: unknown[]) =>
      get(t, `/v1/events/${ev.attributes.identifier}/discount-codes?filter=${encodeURIComponent(JSON.stringify(filter))}&page[size]=10&page[number]=1&sort=code`, owner.token);
    const now = new Date().toISOString();
    const activeTab = expectStatus(await list([{ and: [{ name: 'valid_till', op: 'ge', val: now }, { name: 'is-active', op: 'eq', val: true }] }, { name: 'code', op: 'ilike', val: '%TAB%' }]), 200, 'active tab');
    expect(ids(activeTab)).toEqual([active.id]);
    const expiredTab = expectStatus(await list([{ name: 'valid_till', op: 'lt', val: now }, { name: 'code', op: 'ilike', val: '%TAB%' }]), 200, 'expired tab');
    expect(ids(expiredTab)).toEqual([expired.id]);
  });

  it('refuses what OES refuses: a duplicate code (409), min above max, tickets-number below max-quantity, valid-till before valid-from, a percent above 100', async () => {
    await createDiscount({ code: 'ONCE' });
    const again = await t.request({ method: 'POST', url: '/v1/discount-codes', token: owner.token, json: discountBody({ code: 'once' }, [paid]) });
    expect(again.status).toBe(409);
    expect(detail(again)).toBe('Discount Code already exists');
    const post = (attributes: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/v1/discount-codes', token: owner.token, json: discountBody(attributes, [paid]) });
    expect422(await post({ 'min-quantity': 5, 'max-quantity': 2 }), '/data/attributes/min-quantity');
    expect422(await post({ 'tickets-number': 5, 'max-quantity': 10 }), '/data/attributes/tickets-number');
    expect422(await post({ 'valid-from': fromNow(60), 'valid-till': fromNow(10) }), '/data/attributes/valid-till');
    expect422(await post({ type: 'percent', value: 100.5 }), '/data/attributes/value');
    expect422(await post({ 'used-for': 'event' }), '/data/attributes/used-for');
  });
});

describe('a buyer checks a code by the code itself, as OES’s ticket list does', () => {
  it('answers an active code with its event and tickets, in any case, signed in or not', async () => {
    const code = await createDiscount({ code: 'Welcome', type: 'amount', value: 3 }, [paid, other]);
    for (const token of [buyer.token, undefined]) {
      const response = expectStatus(await get(t, `/v1/events/${ev.attributes.identifier}/discount-codes/WELCOME?include=event,tickets`, token), 200, 'check');
      expect(response.body.data).toMatchObject({ type: 'discount-code', id: code.id, attributes: { code: 'Welcome', value: 3, type: 'amount' } });
      expect(response.body.data.relationships.event.data).toEqual({ type: 'event', id: ev.attributes.identifier });
      expect(response.body.data.relationships.tickets.data.map((x: any) => x.id).sort()).toEqual([paid.id, other.id].sort());
      const included = response.body.included.map((x: any) => `${x.type}:${x.id}`);
      expect(included).toEqual(expect.arrayContaining([`ticket:${paid.id}`, `ticket:${other.id}`]));
      expect(included.some((x: string) => x.startsWith('event:'))).toBe(true);
    }
  });

  it('404 for an unknown code or another event’s; 422 for an inactive code or one outside its window', async () => {
    const elsewhere = await createPublishedEvent(t, owner.token, FUTURE);
    await createDiscount({ code: 'HERE' });
    expect((await get(t, `/v1/events/${ev.id}/discount-codes/NOPE`, buyer.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${elsewhere.id}/discount-codes/HERE`, buyer.token)).status).toBe(404);
    await createDiscount({ code: 'OFF', 'is-active': false });
    expect(detail(await get(t, `/v1/events/${ev.id}/discount-codes/OFF`, buyer.token))).toBe('Discount Code is not active');
    await createDiscount({ code: 'LATER', 'valid-from': fromNow(60), 'valid-till': fromNow(120) });
    const later = await get(t, `/v1/events/${ev.id}/discount-codes/LATER`, buyer.token);
    expect(later.status).toBe(422);
    expect(detail(later)).toBe('Discount Code is not active in current time frame');
    await createDiscount({ code: 'PAST', 'valid-from': fromNow(-120), 'valid-till': fromNow(-60) });
    expect((await get(t, `/v1/events/${ev.id}/discount-codes/PAST`, buyer.token)).status).toBe(422);
    // Without valid-till, a code holds until its event ends.
    const ended = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
    const endedTicket = await createTicket(t, owner.token, ended, { name: 'Old', type: 'paid', price: 5 });
    const post = await t.request({ method: 'POST', url: '/v1/discount-codes', token: owner.token, json: discountBody({ code: 'OVER' }, [endedTicket], ended) });
    expectStatus(post, 201, 'code of an ended event');
    expect(detail(await get(t, `/v1/events/${ended.id}/discount-codes/OVER`, buyer.token))).toBe('Discount Code is not active in current time frame');
  });
});

describe('calculate-amount and create-order apply a discount code', () => {
  it('percent: 15 % of 3 × 19.99 = 8.9955, rounded to the cent, 9.00; the order costs 50.97', async () => {
    const code = await createDiscount({ type: 'percent', value: 15 });
    const answer = expectStatus(await quote({ tickets: [{ id: paid.id, quantity: 3, price: 19.99 }], 'discount-code': code.id }), 200, 'quote').body;
    expect(answer).toMatchObject({ sub_total: 50.97, total: 50.97, discount: 9 });
    expect(answer.tickets[0].discount).toEqual({ code: code.attributes.code, percent: 15, amount: 3, total: 9, type: 'percent' });
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket: paid, quantity: 3 }], { discount_code: code.id }), 201, 'create-order').body.data;
    expect(order.attributes.amount).toBe(50.97);
    expect(await usedCount('discount_codes', code.id)).toBe(3);
  });

  it('percent rounding: an exact half cent goes to the even cent (12.5 % of 0.20 × 1 = 0.025 → 0.02; × 3 = 0.075 → 0.08)', async () => {
    const cheap = await createTicket(t, owner.token, ev, { name: 'Cheap', type: 'paid', price: 0.2, quantity: 100 });
    const code = await createDiscount({ type: 'percent', value: 12.5 }, [cheap]);
    const one = expectStatus(await quote({ tickets: [{ id: cheap.id, quantity: 1 }], discount_code: code.attributes.code }), 200, 'quote').body;
    expect(one).toMatchObject({ discount: 0.02, total: 0.18 });
    const three = expectStatus(await quote({ tickets: [{ id: cheap.id, quantity: 3 }], discount_code: code.attributes.code }), 200, 'quote').body;
    expect(three).toMatchObject({ discount: 0.08, total: 0.52 });
  });

  it('amount: taken off each ticket the code names, never more than its price; other tickets pay in full', async () => {
    const code = await createDiscount({ type: 'amount', value: 12 }, [paid, other]);
    const answer = expectStatus(
      await quote({ tickets: [{ id: paid.id, quantity: 2 }, { id: other.id, quantity: 1 }, { id: hidden.id, quantity: 0 }], 'discount-code': code.id }, owner.token),
      200,
      'quote',
    ).body;
    // 2 × (19.99 − 12) + 1 × (10 − 10)
    expect(answer).toMatchObject({ discount: 34, total: 15.98 });
    expect(answer.tickets[1].discount).toMatchObject({ amount: 10, total: 10, percent: 100 });
    const order = expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }, { ticket: other, quantity: 1 }], { discount_code: code.attributes.code }), 201, 'order').body.data;
    expect(order.attributes.amount).toBe(15.98);
  });

  it('a 100 % code makes a paid order free', async () => {
    const code = await createDiscount({ type: 'percent', value: 100 });
    const order = expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id }), 201, 'order').body.data;
    expect(order.attributes.amount).toBe(0);
  });

  it('refuses a code that is inactive, outside its window, of another event or naming none of the tickets: 422 Invalid Discount Code', async () => {
    const elsewhere = await createPublishedEvent(t, owner.token, FUTURE);
    const foreignTicket = await createTicket(t, owner.token, elsewhere, { name: 'Foreign', type: 'paid', price: 5 });
    const foreign = expectStatus(
      await t.request({ method: 'POST', url: '/v1/discount-codes', token: owner.token, json: discountBody({}, [foreignTicket], elsewhere) }),
      201,
      'foreign code',
    ).body.data;
    const codes = [
      await createDiscount({ 'is-active': false }),
      await createDiscount({ 'valid-from': fromNow(60), 'valid-till': fromNow(120) }),
      await createDiscount({ 'valid-from': fromNow(-120), 'valid-till': fromNow(-1) }),
      await createDiscount({}, [other]),
      foreign,
    ];
    for (const code of codes) {
      const refused = await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id });
      expect(refused.status, code.attributes.code).toBe(422);
      expect(detail(refused)).toBe('Invalid Discount Code');
      expect((await quote({ tickets: [{ id: paid.id, quantity: 1 }], discount_code: code.id })).status).toBe(422);
    }
    expect(detail(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: 'NO-SUCH-CODE' }))).toBe('Invalid Discount Code');
  });

  it('holds an order to the code’s min-quantity and max-quantity of its tickets', async () => {
    const code = await createDiscount({ 'min-quantity': 2, 'max-quantity': 4 });
    const few = await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id });
    expect422(few, '/discount_code');
    const many = await postOrder(t, buyer.token, [{ ticket: paid, quantity: 5 }], { discount_code: code.id });
    expect422(many, '/discount_code');
    expect(detail(many)).toBe('This discount code applies to orders of between 2 and 4 of its tickets; 5 chosen');
    expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }], { discount_code: code.id }), 201, 'two');
    expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 4 }], { discount_code: code.id }), 201, 'four');
    expect(await usedCount('discount_codes', code.id)).toBe(6);
  });

  it('tickets-number: the uses left are discounted and the rest paid in full; with none left, 422 "Discount tickets sold out."', async () => {
    const code = await createDiscount({ type: 'amount', value: 5, 'tickets-number': 3, 'max-quantity': 3 });
    const first = expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }], { discount_code: code.id }), 201, 'first').body.data;
    expect(first.attributes.amount).toBe(29.98);
    // One use left for three tickets: the quote says so, and the order discounts one.
    const partial = expectStatus(await quote({ tickets: [{ id: paid.id, quantity: 3 }], discount_code: code.id }), 200, 'quote').body;
    expect(partial).toMatchObject({ discount: 5, total: 54.97 });
    expect(partial.tickets[0].discount.warning).toBe('Your order not fully discount due to discount code usage is exhausted.');
    const second = expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 3 }], { discount_code: code.id }), 201, 'second').body.data;
    expect(second.attributes.amount).toBe(54.97);
    expect(await usedCount('discount_codes', code.id)).toBe(3);
    const sold = await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id });
    expect422(sold, '/discount_code');
    expect(detail(sold)).toBe('Discount tickets sold out.');
    const verified = await quote({ tickets: [{ id: paid.id, quantity: 1 }], discount_code: code.id, discount_verify: true });
    expect(verified.status).toBe(422);
    expect(detail(verified)).toBe('Discount tickets sold out.');
    // An organizer cannot lower tickets-number below the uses made.
    const lowered = await t.request({
      method: 'PATCH',
      url: `/v1/discount-codes/${code.id}`,
      token: owner.token,
      json: { data: { type: 'discount-code', id: code.id, attributes: { 'tickets-number': 2, 'max-quantity': 2 } } },
    });
    expect422(lowered, '/data/attributes/tickets-number');
  });

  it('an expired order and a cancelled one give their uses back', async () => {
    const code = await createDiscount({ type: 'percent', value: 50, 'tickets-number': 2, 'max-quantity': 2 });
    const order = expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }], { discount_code: code.id }), 201, 'order').body.data;
    expect(await usedCount('discount_codes', code.id)).toBe(2);
    expect(detail(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id }))).toBe('Discount tickets sold out.');
    await expireOrders(t.database.connection.db, new Date(Date.parse(order.attributes['expires-at']) + 1000));
    expect(await usedCount('discount_codes', code.id)).toBe(0);

    const again = expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 2 }], { discount_code: code.id }), 201, 'again').body.data;
    expect(await usedCount('discount_codes', code.id)).toBe(2);
    expectStatus(await patchOrder(t, buyer.token, again, { status: 'cancelled' }), 200, 'cancel');
    expect(await usedCount('discount_codes', code.id)).toBe(0);
    expectStatus(await postOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id }), 201, 'after cancel');
  });

  it('many buyers at once on a code with few uses: never over-used, exactly that many discounted', async () => {
    const code = await createDiscount({ type: 'amount', value: 1, 'tickets-number': 5, 'max-quantity': 1 });
    const buyers = await Promise.all(Array.from({ length: 25 }, () => quickUser(t)));
    const responses = await Promise.all(buyers.map((one) => postOrder(t, one.token, [{ ticket: paid, quantity: 1 }], { discount_code: code.id })));
    const placed = responses.filter((r) => r.status === 201);
    expect(placed).toHaveLength(5);
    expect(placed.every((r) => r.body.data.attributes.amount === 18.99)).toBe(true);
    expect(responses.filter((r) => r.status === 422).map(detail)).toEqual(Array(20).fill('Discount tickets sold out.'));
    expect(await usedCount('discount_codes', code.id)).toBe(5);
  });
});

// As for tickets (overselling.test.ts): over HTTP to a listening server, each request on its own TCP
// connection, while another session holds the code's row locked until most of the pool waits on it.
describe.skipIf(currentBackend() !== 'postgres')('PostgreSQL only: 200 concurrent buyers on a code limited to 50 uses', () => {
  it('exactly 50 orders are discounted, the other 150 refused; the count and the orders agree', async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const buyers = await Promise.all(Array.from({ length: 200 }, () => quickUser(t)));
    const code = await createDiscount({ type: 'percent', value: 20, 'tickets-number': 50, 'max-quantity': 1 });
    const post = async (one: User) => {
      const response = await fetch(`${base}/v1/orders/create-order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `JWT ${one.token}`, connection: 'close' },
        body: JSON.stringify({ tickets: [{ id: paid.id, quantity: 1, price: 19.99 }], 'discount-code': code.id }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };

    const blocker = new pg.Client({ connectionString: t.database.url! });
    const watcher = new pg.Client({ connectionString: t.database.url! });
    await blocker.connect();
    await watcher.connect();
    let most = 0;
    let responses: { status: number; body: any }[];
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM discount_codes WHERE id = $1 FOR UPDATE', [Number(code.id)]);
      const pending = buyers.map(post);
      const deadline = Date.now() + 20_000;
      while (most < 15 && Date.now() < deadline) {
        const { rows } = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        most = Math.max(most, rows[0].n);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await blocker.query('COMMIT');
      responses = await Promise.all(pending);
    } finally {
      await blocker.end();
      await watcher.end();
    }

    // 15 create-order transactions waited on the code's row at the same moment.
    expect(most).toBeGreaterThanOrEqual(15);
    const placed = responses.filter((r) => r.status === 201);
    expect(placed).toHaveLength(50);
    // 19.99 − 20 % (3.998 → 4.00)
    expect(new Set(placed.map((r) => r.body.data.attributes.amount))).toEqual(new Set([15.99]));
    const refused = responses.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(150);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.errors[0].detail}`))).toEqual(new Set(['422 Discount tickets sold out.']));
    expect(await usedCount('discount_codes', code.id)).toBe(50);
    const [orders] = await queryRows<{ n: number; uses: number }>(
      t,
      sql`SELECT count(*)::int AS n, sum(discount_uses)::int AS uses FROM orders WHERE discount_code_id = ${Number(code.id)} AND status IN ('initializing', 'pending', 'completed')`,
    );
    expect(orders).toEqual({ n: 50, uses: 50 });
  });
});

describe('the database refuses a code used beyond its tickets-number, whatever the code path', () => {
  it('a CHECK constraint backs the count', async () => {
    const code = await createDiscount({ 'tickets-number': 2, 'max-quantity': 2 });
    await expect(queryRows(t, sql`UPDATE discount_codes SET used_count = 3 WHERE id = ${Number(code.id)}`)).rejects.toThrow();
    const access = await createAccess({ 'tickets-number': 1, 'max-quantity': 1 });
    await expect(queryRows(t, sql`UPDATE access_codes SET used_count = 2 WHERE id = ${Number(access.id)}`)).rejects.toThrow();
    await expect(queryRows(t, sql`UPDATE access_codes SET used_count = -1 WHERE id = ${Number(access.id)}`)).rejects.toThrow();
  });
});

describe('access codes unlock hidden tickets', () => {
  it('an access code names hidden tickets only (409 for a public one, as OES)', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/access-codes',
      token: owner.token,
      json: body('access-code', { code: 'PUBLIC' }, { event: rel('event', ev.id), tickets: rel('ticket', [paid.id]) }),
    });
    expect(response.status).toBe(409);
    expect(detail(response)).toBe(`Ticket with id ${paid.id} is public. Access code cannot be applied to public tickets`);
  });

  it('a hidden ticket is refused without the code and sold with it; the check answers with the hidden ticket', async () => {
    const code = await createAccess({ code: 'CREW' });
    const without = await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 1 }]);
    expect(without.status).toBe(422);
    expect((await quote({ tickets: [{ id: hidden.id, quantity: 1 }] })).status).toBe(422);

    const checked = expectStatus(await get(t, `/v1/events/${ev.attributes.identifier}/access-codes/crew`, buyer.token), 200, 'check').body;
    expect(checked.data).toMatchObject({ type: 'access-code', id: code.id, attributes: { code: 'CREW' } });
    expect(checked.data.relationships.tickets.data).toEqual([{ type: 'ticket', id: hidden.id }]);
    expect(checked.included.find((x: any) => x.type === 'ticket')).toMatchObject({ id: hidden.id, attributes: { name: 'Crew', 'is-hidden': true } });

    expect(expectStatus(await quote({ tickets: [{ id: hidden.id, quantity: 2 }], access_code: code.id }), 200, 'quote').body.total).toBe(10);
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket: hidden, quantity: 2 }], { access_code: code.id }), 201, 'order').body.data;
    expect(order.attributes.amount).toBe(10);
    expect(await usedCount('access_codes', code.id)).toBe(2);
    expect((await get(t, `/v1/access-codes/${code.id}`, buyer.token)).status).toBe(404);
  });

  it('tickets-number exhausted: 422 as OES words it; an inactive or expired code is invalid; uses come back on cancel', async () => {
    const code = await createAccess({ 'tickets-number': 3, 'max-quantity': 3 });
    const first = expectStatus(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 2 }], { access_code: code.id }), 201, 'first').body.data;
    const over = await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 2 }], { access_code: code.id });
    expect422(over, '/access_code');
    expect(detail(over)).toBe('Access code for ticket Crew is exhausted, only 1 quantity is available');
    expectStatus(await patchOrder(t, buyer.token, first, { status: 'cancelled' }), 200, 'cancel');
    expect(await usedCount('access_codes', code.id)).toBe(0);
    expectStatus(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 3 }], { access_code: code.id }), 201, 'after cancel');

    const inactive = await createAccess({ 'is-active': false });
    expect(detail(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 1 }], { access_code: inactive.id }))).toBe('Invalid Access Code');
    const past = await createAccess({ 'valid-from': fromNow(-120), 'valid-till': fromNow(-1) });
    expect(detail(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 1 }], { access_code: past.attributes.code }))).toBe('Invalid Access Code');
    expect((await get(t, `/v1/events/${ev.id}/access-codes/${past.attributes.code}`, buyer.token)).status).toBe(422);
  });

  it('many buyers at once on an access code with few uses: never over-used', async () => {
    const code = await createAccess({ 'tickets-number': 4, 'max-quantity': 2 });
    const buyers = await Promise.all(Array.from({ length: 20 }, () => quickUser(t)));
    const responses = await Promise.all(buyers.map((one, i) => postOrder(t, one.token, [{ ticket: hidden, quantity: 1 + (i % 2) }], { access_code: code.id })));
    const taken = responses.reduce((sum, r, i) => sum + (r.status === 201 ? 1 + (i % 2) : 0), 0);
    expect(taken).toBeLessThanOrEqual(4);
    expect(taken).toBeGreaterThanOrEqual(3);
    expect(responses.every((r) => r.status === 201 || (r.status === 422 && detail(r).startsWith('Access code for ticket Crew is exhausted')))).toBe(true);
    expect(await usedCount('access_codes', code.id)).toBe(taken);
  });

  it('OES’s client sends no code with the order: a signed-in buyer’s order of hidden tickets uses the access code they checked', async () => {
    const secret = await createTicket(t, owner.token, ev, { name: 'Backstage', type: 'paid', price: 7, quantity: 100, 'is-hidden': true });
    const code = await createAccess({ code: 'BACKSTAGE', 'tickets-number': 3, 'max-quantity': 3 }, [secret]);
    const checker = await quickUser(t);
    const stranger = await quickUser(t);
    // Before checking, and for anyone who never checked it: refused.
    expect((await postOesOrder(t, checker.token, [{ ticket: secret, quantity: 1 }])).status).toBe(422);
    expectStatus(await get(t, `/v1/events/${ev.attributes.identifier}/access-codes/BACKSTAGE`, checker.token), 200, 'check');
    expect(expectStatus(await quote({ tickets: [{ id: secret.id, quantity: 2, price: 7 }] }, checker.token), 200, 'quote').body.total).toBe(14);
    expect((await quote({ tickets: [{ id: secret.id, quantity: 1 }] }, stranger.token)).status).toBe(422);
    expect((await postOesOrder(t, stranger.token, [{ ticket: secret, quantity: 1 }])).status).toBe(422);

    const order = expectStatus(await postOesOrder(t, checker.token, [{ ticket: secret, quantity: 2 }]), 201, 'order').body.data;
    expect(order.attributes.amount).toBe(14);
    expect(await usedCount('access_codes', code.id)).toBe(2);
    // Its uses still count: two more are one too many.
    expect(detail(await postOesOrder(t, checker.token, [{ ticket: secret, quantity: 2 }]))).toBe('Access code for ticket Backstage is exhausted, only 1 quantity is available');
    // A code deactivated after the check unlocks nothing any more.
    await t.request({ method: 'PATCH', url: `/v1/access-codes/${code.id}`, token: owner.token, json: { data: { type: 'access-code', id: code.id, attributes: { 'is-active': false } } } });
    expect((await postOesOrder(t, checker.token, [{ ticket: secret, quantity: 1 }])).status).toBe(422);
  });

  it('holds an order to the access code’s min-quantity and max-quantity', async () => {
    const code = await createAccess({ 'min-quantity': 2, 'max-quantity': 3 });
    expect422(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 1 }], { access_code: code.id }), '/access_code');
    expect422(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 4 }], { access_code: code.id }), '/access_code');
    expectStatus(await postOrder(t, buyer.token, [{ ticket: hidden, quantity: 2 }], { access_code: code.id }), 201, 'two');
  });
});
