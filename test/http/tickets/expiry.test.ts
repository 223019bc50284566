// Expiry of unpaid orders (issue 7): a pending order holds its tickets until expires-at; the expiry job then
// gives them back. The clock is driven, not slept on: expireOrders takes the time it runs at. Its own file,
// since expiring at a future time expires every pending order of the database.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createPublishedEvent, get, grantRole, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { createOrder, createTicket, detail, patchOrder, postOrder, sendOrderForm, ticketAsTeam } from '../../support/tickets.ts';
import { confirmPayment, expireOrders } from '../../../src/domain/orders.ts';
import { allJobs } from '../../../src/jobs/registry.ts';
import { ORDER_EXPIRY_QUEUE } from '../../../src/jobs/order-expiry.ts';

let t: TestApp;
let owner: User;
let registrar: User;
let buyer: User;
let other: User;
let ev: Resource;

const minutes = (n: number) => n * 60_000;
const at = (iso: string, offsetMs = 0) => new Date(Date.parse(iso) + offsetMs);

beforeAll(async () => {
  t = await startTestApp();
  [owner, registrar, buyer, other] = await Promise.all([quickUser(t), quickUser(t), quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
  await grantRole(t, owner.token, ev, registrar.id, 'registrar');
});

describe('expiring unpaid orders', () => {
  it('a pending order holds its tickets until expires-at, then the expiry frees them', async () => {
    const db = t.database.connection.db;
    const ticket = await createTicket(t, owner.token, ev, { type: 'paid', price: 20, quantity: 5 });
    const order = await createOrder(t, buyer.token, [{ ticket, quantity: 3 }]);
    const expiresAt: string = order.attributes['expires-at'];
    // The event's default: 15 minutes.
    expect(Date.parse(expiresAt) - Date.parse(order.attributes['created-at'])).toBe(minutes(15));

    // Held: someone else cannot have more than what is left.
    const refused = await postOrder(t, other.token, [{ ticket, quantity: 3 }]);
    expect(refused.status).toBe(409);
    expect(detail(refused)).toMatch(/Only 2 of/);

    // A minute before its time, nothing happens (issue 14: the order is initializing until its order form is sent).
    await expireOrders(db, at(expiresAt, -minutes(1)));
    expect((await get(t, `/v1/orders/${order.attributes.identifier}`, buyer.token)).body.data.attributes.status).toBe('initializing');
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(3);

    // At expires-at it is expired, and the tickets are back.
    expect(await expireOrders(db, at(expiresAt))).toBeGreaterThanOrEqual(1);
    expect((await get(t, `/v1/orders/${order.attributes.identifier}`, buyer.token)).body.data.attributes.status).toBe('expired');
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes).toMatchObject({ 'sold-count': 0, available: 5 });
    expect((await postOrder(t, other.token, [{ ticket, quantity: 3 }])).status).toBe(201);

    // Running again frees nothing twice.
    await expireOrders(db, at(expiresAt, minutes(60)));
    // The other buyer's order (placed "now") expired too in that later run; only theirs was still held.
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(0);
  });

  it('an expired order can no longer be paid or cancelled, and its attendees leave the list', async () => {
    const ticket = await createTicket(t, owner.token, ev, { type: 'paid', price: 5, quantity: 10 });
    const order = await createOrder(t, buyer.token, [{ ticket, quantity: 2 }]);
    await expireOrders(t.database.connection.db, at(order.attributes['expires-at']));
    const pay = await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank' });
    expect(pay.status).toBe(409);
    expect(detail(pay)).toMatch(/expired/);
    expect((await patchOrder(t, owner.token, order, { status: 'cancelled' })).status).toBe(409);
    const list = await get(t, `/v1/events/${ev.id}/attendees?page[size]=100`, registrar.token);
    const orderIds = list.body.data.map((a: Resource) => a.relationships!.order!.data.id);
    expect(orderIds).not.toContain(order.id);
  });

  it('paid and free orders never expire, and each order keeps its event’s expiry time', async () => {
    const db = t.database.connection.db;
    const slow = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR', 'order-expiry-time': 60 });
    const ticket = await createTicket(t, owner.token, slow, { type: 'paid', price: 5, quantity: 10 });
    const freeTicket = await createTicket(t, owner.token, slow, { quantity: 10 });
    const paidLater = await createOrder(t, buyer.token, [{ ticket, quantity: 1 }]);
    const waiting = await createOrder(t, buyer.token, [{ ticket, quantity: 1 }]);
    // Issue 14: a free order is completed by its buyer's order form.
    const free = await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket: freeTicket, quantity: 1 }]));
    expect((await patchOrder(t, owner.token, paidLater, { status: 'completed', 'paid-via': 'onsite' })).status).toBe(200);

    // 30 minutes on, the 60-minute order is still held.
    await expireOrders(db, at(waiting.attributes['created-at'], minutes(30)));
    expect((await get(t, `/v1/orders/${waiting.id}`, buyer.token)).body.data.attributes.status).toBe('initializing');
    // A day on, only the unfinished one is gone.
    await expireOrders(db, at(waiting.attributes['created-at'], minutes(24 * 60)));
    const statuses = await Promise.all(
      [paidLater, waiting, free].map(async (o) => (await get(t, `/v1/orders/${o.id}`, buyer.token)).body.data.attributes.status),
    );
    expect(statuses).toEqual(['completed', 'expired', 'completed']);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(1);
  });

  it('a payment and the expiry racing for one order: exactly one wins, and the count agrees', async () => {
    const db = t.database.connection.db;
    for (let round = 0; round < 5; round++) {
      const ticket = await createTicket(t, owner.token, ev, { type: 'paid', price: 5, quantity: 4 });
      const order = await createOrder(t, buyer.token, [{ ticket, quantity: 4 }]);
      const [paid] = await Promise.allSettled([
        confirmPayment(db, Number(order.id), 'stripe'),
        expireOrders(db, at(order.attributes['expires-at'])),
      ]);
      const status = (await get(t, `/v1/orders/${order.id}`, buyer.token)).body.data.attributes.status;
      const sold = (await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count'];
      if (paid.status === 'fulfilled') {
        expect(status).toBe('completed');
        expect(sold).toBe(4);
      } else {
        expect(status).toBe('expired');
        expect(sold).toBe(0);
      }
    }
  });

  it('runs as a job every minute', () => {
    const jobs = allJobs({ config: t.config, connection: t.database.connection, storage: t.storage });
    expect(jobs.find((job) => job.name === ORDER_EXPIRY_QUEUE)).toMatchObject({ cron: '* * * * *' });
  });
});
