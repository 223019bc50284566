// Order and attendee CSV exports (issue 7) through the export task flow: start, poll, download. Organizers and
// registrars may export them; buyers' own words go through the session CSV's formula-injection guard; every
// export shows the orders as they are now (the files are never reused from an earlier export).
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createPublishedEvent, expectStatus, grantRole, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { createOrder, createTicket, offerPayments, patchOrder, sendOrderForm } from '../../support/tickets.ts';
import { download, pollTask } from '../../e2e/support.ts';
import { ATTENDEE_COLUMNS } from '../../../src/formats/attendees-csv.ts';
import { ORDER_COLUMNS } from '../../../src/formats/orders-csv.ts';

let t: TestApp;
let owner: User;
let registrar: User;
let moderator: User;
let buyer: User;
let stranger: User;
let ev: Resource;
let standard: Resource;
let donation: Resource;
let completed: Resource;
let pending: Resource;

const HOSTILE = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1)'];

function start(subject: 'orders' | 'attendees', token: string | undefined, json: Record<string, unknown> = {}) {
  return t.request({ method: 'POST', url: `/v1/events/${ev.id}/export/${subject}/csv`, token, json });
}

/** Starts an export, polls it to SUCCESS and downloads it; returns the download and its records. */
async function exportCsv(subject: 'orders' | 'attendees', token: string, json: Record<string, unknown> = {}) {
  const started = expectStatus(await start(subject, token, json), 202, `start ${subject}`);
  const task = await pollTask(t, started.body.task_url, token);
  expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
  const response = expectStatus(await download(t, task.result!.download_url!), 200, 'download');
  const records: string[][] = parse(response.text, { bom: true });
  return { response, header: records[0]!, rows: records.slice(1) };
}

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  [owner, registrar, moderator, buyer, stranger] = await Promise.all([quickUser(t), quickUser(t), quickUser(t), quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR', timezone: 'Europe/Brussels' });
  await grantRole(t, owner.token, ev, registrar.id, 'registrar');
  await grantRole(t, owner.token, ev, moderator.id, 'moderator');
  // One after the other: the CSV lists an order's tickets in the order they were created.
  standard = await createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 12.5 });
  donation = await createTicket(t, owner.token, ev, { name: 'Supporter', type: 'donation', 'min-price': 1 });
  completed = await createOrder(t, buyer.token, [{ ticket: standard, quantity: 2 }, { ticket: donation, quantity: 1, price: '3.3' }], {
    attendees: [
      { firstname: HOSTILE[0], lastname: HOSTILE[1], email: 'a@example.org', ticket: standard.id, 'attendee-notes': HOSTILE[3] },
      { firstname: 'Grace', lastname: 'Hopper', email: 'g@example.org', ticket: standard.id, city: 'Arlington' },
      { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', ticket: donation.id },
    ],
    'order-notes': HOSTILE[2],
  });
  await patchOrder(t, owner.token, completed, { status: 'completed', 'paid-via': 'bank' });
  // Issue 14: a paid order is pending once its buyer sent the order form, choosing a payment mode the event offers.
  await offerPayments(t, ev, ['bank']);
  pending = await sendOrderForm(t, buyer.token, await createOrder(t, buyer.token, [{ ticket: standard, quantity: 1 }]), { 'payment-mode': 'bank' });
  const cancelled = await createOrder(t, buyer.token, [{ ticket: standard, quantity: 1 }]);
  await patchOrder(t, owner.token, cancelled, { status: 'cancelled' });
});

describe('orders CSV', () => {
  it('has every order, with exact amounts and the formula guard', async () => {
    const { response, header, rows } = await exportCsv('orders', owner.token);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${ev.attributes.identifier}-orders.csv"`);
    expect(response.text.startsWith('\uFEFF')).toBe(true);
    expect(header).toEqual([...ORDER_COLUMNS]);
    expect(rows).toHaveLength(3);
    const byId = new Map(rows.map((row) => [row[0], Object.fromEntries(header.map((name, i) => [name, row[i]]))]));
    const done = byId.get(completed.attributes.identifier)!;
    expect(done).toMatchObject({
      Status: 'completed',
      'Paid Via': 'bank',
      Amount: '28.30',
      Currency: 'EUR',
      Tickets: '2 × Standard; 1 × Supporter',
      Quantity: '3',
      'Buyer Email': buyer.email,
      'Order Notes': `'${HOSTILE[2]}`,
    });
    // Times in the event's zone with their offset.
    expect(done['Order Date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
    expect(byId.get(pending.attributes.identifier)).toMatchObject({ Status: 'pending', Amount: '12.50', 'Completed At': '' });
  });

  it('picks one status', async () => {
    const { rows } = await exportCsv('orders', owner.token, { status: 'pending' });
    expect(rows.map((row) => row[0])).toEqual([pending.attributes.identifier]);
    expect((await start('orders', owner.token, { status: 'bogus' })).status).toBe(422);
  });

  it('shows the orders as they are now: a new order is in the next export', async () => {
    const before = (await exportCsv('orders', owner.token)).rows.length;
    await createOrder(t, stranger.token, [{ ticket: standard, quantity: 1 }]);
    expect((await exportCsv('orders', owner.token)).rows.length).toBe(before + 1);
  });
});

describe('attendees CSV', () => {
  it('has the holders of pending and completed orders, each cell a buyer typed guarded against formulas', async () => {
    const { response, header, rows } = await exportCsv('attendees', registrar.token);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${ev.attributes.identifier}-attendees.csv"`);
    expect(header).toEqual([...ATTENDEE_COLUMNS]);
    const records = rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    expect(records.filter((r) => r['Order'] === completed.attributes.identifier)).toHaveLength(3);
    expect(records.filter((r) => r['Order'] === pending.attributes.identifier)).toHaveLength(1);
    // Issue 14: orders whose order form is not sent yet (initializing) hold their tickets too.
    expect(records.every((r) => ['completed', 'pending', 'initializing'].includes(r['Order Status']!))).toBe(true);
    const hostile = records.find((r) => r['Email'] === 'a@example.org')!;
    expect(hostile).toMatchObject({
      'First Name': `'${HOSTILE[0]}`,
      'Last Name': `'${HOSTILE[1]}`,
      Notes: `'${HOSTILE[3]}`,
      Ticket: 'Standard',
      'Ticket Type': 'paid',
      'Ticket Price': '12.50',
      'Checked In': 'no',
    });
    // A donation's own amount, not a list price.
    expect(records.find((r) => r['Email'] === 'ada@example.org')).toMatchObject({ Ticket: 'Supporter', 'Ticket Price': '3.30' });
  });

  it('records check-ins', async () => {
    const id = completed.relationships!.attendees!.data[1].id;
    await t.request({ method: 'PATCH', url: `/v1/attendees/${id}`, token: registrar.token, json: { data: { type: 'attendee', id, attributes: { 'is-checked-in': true } } } });
    const { header, rows } = await exportCsv('attendees', owner.token);
    const grace = rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]]))).find((r) => r['First Name'] === 'Grace')!;
    expect(grace['Checked In']).toBe('yes');
    expect(grace['Check-in Times']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('who may export', () => {
  it('organizers and registrars; the rest of the team and strangers get 404, anonymous 401', async () => {
    for (const subject of ['orders', 'attendees'] as const) {
      expect((await start(subject, registrar.token)).status).toBe(202);
      expect((await start(subject, moderator.token)).status).toBe(404);
      expect((await start(subject, stranger.token)).status).toBe(404);
      expect((await start(subject, buyer.token)).status).toBe(404);
      expect((await start(subject, undefined)).status).toBe(401);
    }
  });

  it('OES starts both lists with GET (its client’s orders and attendees pages): the same export, the same people', async () => {
    const getStart = (subject: 'orders' | 'attendees', token: string | undefined) =>
      t.request({ method: 'GET', url: `/v1/events/${ev.attributes.identifier}/export/${subject}/csv`, token });
    for (const subject of ['orders', 'attendees'] as const) {
      const started = expectStatus(await getStart(subject, owner.token), 202, `GET ${subject}`);
      expect(started.body).toEqual({ task_url: expect.stringMatching(/^\/v1\/tasks\//) });
      const task = await pollTask(t, started.body.task_url, owner.token);
      expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
      const file = expectStatus(await download(t, task.result!.download_url!), 200, 'download');
      expect(file.text).toContain(completed.attributes.identifier);
      expect((await getStart(subject, registrar.token)).status).toBe(202);
      expect((await getStart(subject, moderator.token)).status).toBe(404);
      expect((await getStart(subject, stranger.token)).status).toBe(404);
      expect((await getStart(subject, undefined)).status).toBe(401);
    }
  });

  it('registrars still cannot export the schedule CSVs', async () => {
    expect((await t.request({ method: 'POST', url: `/v1/events/${ev.id}/export/sessions/csv`, token: registrar.token, json: {} })).status).toBe(404);
  });
});
