// Tax at checkout, as OES charges it: an event with tax on and a tax record has calculate-amount say the
// tax (name, rate, included or not, amount) and each ticket's share, and create-order charge the same
// total: added on top when prices do not include it, unchanged when they do. A discount code comes off
// before the tax. The tickets and figures are OES's own test's (GST 18% on 2 × 123.50, 4 × 456.30,
// 3 donations of 789.70 and 3 free tickets).
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { body, createPublishedEvent, expectStatus, get, patch, quickUser, rel, type Resource, type User } from '../../support/schedule.ts';
import { createTicket, postOrder, sendOrderForm, offerPayments, type Line } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let buyer: User;

beforeAll(async () => {
  t = await startTestApp();
  [owner, buyer] = await Promise.all([quickUser(t), quickUser(t)]);
});

interface TaxedEvent {
  ev: Resource;
  tax: Resource;
  tickets: Resource[];
  lines: Line[];
}

let counter = 0;

/** An event with OES's taxed tickets and a GST of 18%, included in prices or not. */
async function taxedEvent(included: boolean): Promise<TaxedEvent> {
  const ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR', 'is-tax-enabled': true, 'starts-at': '2031-06-01T08:00:00Z', 'ends-at': '2031-06-02T18:00:00Z' });
  await offerPayments(t, ev, ['bank']);
  const created = await t.request({
    method: 'POST',
    url: '/v1/taxes',
    token: owner.token,
    json: body('tax', { name: 'GST', rate: 18, 'is-tax-included-in-price': included }, { event: rel('event', ev.id) }),
  });
  const tax = expectStatus(created, 201, 'POST /v1/taxes').body.data;
  const tickets = [
    await createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 123.5 }),
    await createTicket(t, owner.token, ev, { name: 'Premium', type: 'paid', price: 456.3 }),
    await createTicket(t, owner.token, ev, { name: 'Supporter', type: 'donation', 'min-price': 500, 'max-price': 1000 }),
    await createTicket(t, owner.token, ev, { name: 'Community', type: 'free' }),
  ];
  const lines: Line[] = [
    { ticket: tickets[0]!, quantity: 2 },
    { ticket: tickets[1]!, quantity: 4 },
    { ticket: tickets[2]!, quantity: 3, price: 789.7 },
    { ticket: tickets[3]!, quantity: 3 },
  ];
  return { ev, tax, tickets, lines };
}

/** A 10% code on all but the first ticket, as OES's test has it. */
async function tenPercentOff({ ev, tickets }: TaxedEvent): Promise<Resource> {
  const response = await t.request({
    method: 'POST',
    url: '/v1/discount-codes',
    token: owner.token,
    json: body(
      'discount-code',
      { code: `TAXED${++counter}`, type: 'percent', value: 10, 'used-for': 'ticket', 'tickets-number': 100, 'max-quantity': 100 },
      { event: rel('event', ev.id), tickets: rel('ticket', tickets.slice(1)) },
    ),
  });
  return expectStatus(response, 201, 'POST /v1/discount-codes').body.data;
}

const quoteBody = (lines: Line[], extra: Record<string, unknown> = {}) => ({
  tickets: lines.map(({ ticket, quantity, price }) => ({ id: Number((ticket as Resource).id), quantity, ...(price !== undefined ? { price } : {}) })),
  ...extra,
});
const quote = (lines: Line[], extra: Record<string, unknown> = {}, token?: string) =>
  t.request({ method: 'POST', url: '/v1/orders/calculate-amount', token, json: quoteBody(lines, extra) });

/**
 * Places the order (by a new buyer unless `token` says who: one buyer may hold only so many unpaid
 * tickets) and answers its amount, checked against a fresh read of the order.
 */
async function orderedAmount(lines: Line[], extra: Record<string, unknown> = {}, token?: string): Promise<{ order: Resource; amount: number }> {
  token ??= (await quickUser(t)).token;
  const order = expectStatus(await postOrder(t, token, lines, extra), 201, 'create-order').body.data;
  const read = expectStatus(await get(t, `/v1/orders/${order.attributes.identifier}`, token), 200, 'GET order').body.data;
  expect(read.attributes.amount).toBe(order.attributes.amount);
  return { order, amount: order.attributes.amount };
}

describe('prices that do not include the tax', () => {
  let event: TaxedEvent;
  beforeAll(async () => {
    event = await taxedEvent(false);
  });

  it('calculate-amount adds the tax on top and says each ticket’s tax', async () => {
    const response = await quote(event.lines);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      sub_total: 4441.3,
      total: 5240.73,
      discount: 0,
      tax: { included: false, percent: 18, amount: 799.43, name: 'GST' },
    });
    expect(response.body.tickets.map((line: any) => [line.sub_total, line.ticket_tax, line.discounted_tax])).toEqual([
      [247, 22.23, 0],
      [1825.2, 82.13, 0],
      [2369.1, 142.15, 0],
      [0, 0, 0],
    ]);
  });

  it('create-order charges what calculate-amount quoted, tax included', async () => {
    const quoted = (await quote(event.lines, {}, buyer.token)).body.total;
    const { order, amount } = await orderedAmount(event.lines, {}, buyer.token);
    expect(amount).toBe(5240.73);
    expect(amount).toBe(quoted);
    // Paid and waiting for its payment, like any paid order.
    expect((await sendOrderForm(t, buyer.token, order, { 'payment-mode': 'bank' })).attributes).toMatchObject({ status: 'pending', amount: 5240.73 });
  });

  it('a discount code comes off before the tax', async () => {
    const code = await tenPercentOff(event);
    const response = await quote(event.lines, { 'discount-code': code.id, discount_verify: true });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      sub_total: 4021.87,
      total: 4745.81,
      discount: 419.43,
      tax: { included: false, percent: 18, amount: 723.94, name: 'GST' },
    });
    const [standard, premium, supporter, community] = response.body.tickets;
    expect(standard).toMatchObject({ discount: null, sub_total: 247, ticket_tax: 22.23, discounted_tax: 0 });
    expect(premium).toMatchObject({ discount: { percent: 10, amount: 45.63, total: 182.52 }, sub_total: 1642.68, ticket_tax: 82.13, discounted_tax: 73.92 });
    expect(supporter).toMatchObject({ discount: { percent: 10, amount: 78.97, total: 236.91 }, sub_total: 2132.19, ticket_tax: 142.15, discounted_tax: 127.93 });
    expect(community).toMatchObject({ discount: null, sub_total: 0, ticket_tax: 0, discounted_tax: 0 });

    const { amount } = await orderedAmount(event.lines, { 'discount-code': code.id });
    expect(amount).toBe(4745.81);
  });

  it('free tickets stay free: no tax on nothing, and the order completes as a free one', async () => {
    const free = [{ ticket: event.tickets[3]!, quantity: 2 }];
    const response = await quote(free);
    expect(response.body).toMatchObject({ sub_total: 0, total: 0, tax: { included: false, amount: 0, percent: 18, name: 'GST' } });
    const { order, amount } = await orderedAmount(free, {}, buyer.token);
    expect(amount).toBe(0);
    expect((await sendOrderForm(t, buyer.token, order)).attributes.status).toBe('completed');
  });

  it('an organizer’s own amount is the amount charged, as OES', async () => {
    const { amount } = await orderedAmount(event.lines.slice(0, 1), { amount: 200 }, owner.token);
    expect(amount).toBe(200);
  });
});

describe('prices that include the tax', () => {
  let event: TaxedEvent;
  beforeAll(async () => {
    event = await taxedEvent(true);
  });

  it('calculate-amount shows the tax the prices contain and keeps the total', async () => {
    const response = await quote(event.lines);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      sub_total: 4441.3,
      total: 4441.3,
      discount: 0,
      tax: { included: true, percent: 18, amount: 677.49, name: 'GST' },
    });
    expect(response.body.tickets.map((line: any) => line.ticket_tax)).toEqual([18.84, 69.61, 120.46, 0]);
  });

  it('create-order charges the prices as they are', async () => {
    const { amount } = await orderedAmount(event.lines);
    expect(amount).toBe(4441.3);
  });

  it('with a discount code, the tax contained in what is left', async () => {
    const code = await tenPercentOff(event);
    const response = await quote(event.lines, { 'discount-code': code.id });
    expect(response.body).toMatchObject({ sub_total: 4021.87, total: 4021.87, discount: 419.43, tax: { included: true, amount: 613.51 } });
    expect(response.body.tickets.map((line: any) => line.discounted_tax)).toEqual([0, 62.64, 108.42, 0]);
    const { amount } = await orderedAmount(event.lines, { 'discount-code': code.id });
    expect(amount).toBe(4021.87);
  });
});

describe('no tax charged', () => {
  it('while the event has tax turned off, though its tax record is kept', async () => {
    const event = await taxedEvent(false);
    await patch(t, owner.token, '/v1/events', 'event', event.ev.id, { 'is-tax-enabled': false });
    const response = await quote(event.lines);
    expect(response.body).toMatchObject({ sub_total: 4441.3, total: 4441.3, tax: null });
    expect(response.body.tickets.map((line: any) => line.ticket_tax)).toEqual([0, 0, 0, 0]);
    expect((await orderedAmount(event.lines)).amount).toBe(4441.3);
  });

  it('while tax is on but the event has no tax record yet', async () => {
    const ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR', 'is-tax-enabled': true });
    const ticket = await createTicket(t, owner.token, ev, { type: 'paid', price: 10 });
    const response = await quote([{ ticket, quantity: 2 }]);
    expect(response.body).toMatchObject({ sub_total: 20, total: 20, tax: null });
    expect((await orderedAmount([{ ticket, quantity: 2 }])).amount).toBe(20);
  });

  it('once the tax record is deleted', async () => {
    const event = await taxedEvent(true);
    expect((await t.request({ method: 'DELETE', url: `/v1/taxes/${event.tax.id}`, token: owner.token })).status).toBe(200);
    expect((await quote(event.lines)).body).toMatchObject({ total: 4441.3, tax: null });
  });
});
