// Attendees (issue 7): organizers and registrars list them and check them in; the buyer reads and corrects their
// own; nobody else sees any of it.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createPublishedEvent, get, grantRole, ids, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { createOrder, createTicket, patchOrder, pointer, sendOrderForm } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let registrar: User;
let moderator: User;
let buyer: User;
let stranger: User;
let ev: Resource;
let free: Resource;
let paid: Resource;
let completed: Resource;
let pending: Resource;
let cancelled: Resource;

const attendeeIds = (order: Resource): string[] => order.relationships!.attendees!.data.map((a: { id: string }) => a.id);
const patchAttendee = (id: string, token: string | undefined, attributes: Record<string, unknown>) =>
  t.request({ method: 'PATCH', url: `/v1/attendees/${id}`, token, json: { data: { type: 'attendee', id, attributes } } });

beforeAll(async () => {
  t = await startTestApp();
  [owner, registrar, moderator, buyer, stranger] = await Promise.all([quickUser(t), quickUser(t), quickUser(t), quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR' });
  await grantRole(t, owner.token, ev, registrar.id, 'registrar');
  await grantRole(t, owner.token, ev, moderator.id, 'moderator');
  [free, paid] = await Promise.all([
    createTicket(t, owner.token, ev, { name: 'Free' }),
    createTicket(t, owner.token, ev, { name: 'Paid', type: 'paid', price: 30 }),
  ]);
  // Issue 14: a free order is completed by its buyer's order form, as OES's client sends it.
  const placed = await createOrder(t, buyer.token, [{ ticket: free, quantity: 2 }], {
    attendees: [
      { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', ticket: free.id },
      { firstname: 'Charles', lastname: 'Babbage', email: 'charles@example.org', ticket: free.id },
    ],
  });
  completed = await sendOrderForm(t, buyer.token, placed);
  // Unpaid: its buyer has not sent the order form yet (initializing).
  pending = await createOrder(t, buyer.token, [{ ticket: paid, quantity: 1 }]);
  cancelled = await createOrder(t, buyer.token, [{ ticket: free, quantity: 1 }]);
  await patchOrder(t, owner.token, cancelled, { status: 'cancelled' });
});

describe('the attendee list', () => {
  it('holds the attendees of pending and completed orders, for organizers and registrars', async () => {
    for (const viewer of [owner, registrar]) {
      const list = await get(t, `/v1/events/${ev.id}/attendees?page[size]=100`, viewer.token);
      expect(list.status).toBe(200);
      expect(ids(list).sort()).toEqual([...attendeeIds(completed), ...attendeeIds(pending)].sort());
      expect(list.body.meta.count).toBe(3);
    }
  });

  it('filters, sorts and includes tickets and orders', async () => {
    const filter = encodeURIComponent('[{"name":"email","op":"eq","val":"ada@example.org"}]');
    const list = await get(t, `/v1/events/${ev.id}/attendees?filter=${filter}&include=ticket,order`, registrar.token);
    expect(list.body.data.map((a: Resource) => a.attributes.firstname)).toEqual(['Ada']);
    expect(list.body.included.map((r: Resource) => `${r.type}:${r.id}`).sort()).toEqual([`order:${completed.id}`, `ticket:${free.id}`]);
    const sorted = await get(t, `/v1/events/${ev.id}/attendees?sort=-lastname`, owner.token);
    expect(sorted.status).toBe(200);
  });

  it('is nobody else’s: 403 for the rest of the team, 404 for strangers, 401 anonymous', async () => {
    expect((await get(t, `/v1/events/${ev.id}/attendees`, moderator.token)).status).toBe(403);
    expect((await get(t, `/v1/events/${ev.id}/attendees`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.id}/attendees`, buyer.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.id}/attendees`)).status).toBe(401);
  });

  it('one attendee: the buyer and the registry read it, anyone else gets 404', async () => {
    const id = attendeeIds(completed)[0]!;
    for (const viewer of [buyer, owner, registrar]) {
      const response = await get(t, `/v1/attendees/${id}?include=order`, viewer.token);
      expect(response.status).toBe(200);
      expect(response.body.data.attributes).toMatchObject({ firstname: 'Ada', email: 'ada@example.org' });
    }
    for (const token of [stranger.token, moderator.token, undefined]) expect((await get(t, `/v1/attendees/${id}`, token)).status).toBe(404);
    expect((await patchAttendee(id, stranger.token, { firstname: 'Eve' })).status).toBe(404);
  });
});

describe('checking in', () => {
  it('registrars check in and out; every check-in is recorded once', async () => {
    const id = attendeeIds(completed)[0]!;
    const first = await patchAttendee(id, registrar.token, { 'is-checked-in': true });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.attributes['is-checked-in']).toBe(true);
    const times = first.body.data.attributes['checkin-times'].split(',');
    expect(times).toHaveLength(1);
    expect(Date.now() - Date.parse(times[0])).toBeLessThan(60_000);

    // Checked in again while in: nothing new. Out and in again: a second time.
    const again = await patchAttendee(id, owner.token, { 'is-checked-in': true });
    expect(again.body.data.attributes['checkin-times'].split(',')).toHaveLength(1);
    expect((await patchAttendee(id, registrar.token, { 'is-checked-in': false })).body.data.attributes['is-checked-in']).toBe(false);
    const back = await patchAttendee(id, registrar.token, { 'is-checked-in': true });
    expect(back.body.data.attributes['checkin-times'].split(',')).toHaveLength(2);
  });

  it('two scanners checking the same person in at once record one time', async () => {
    const id = attendeeIds(completed)[1]!;
    const responses = await Promise.all(Array.from({ length: 6 }, () => patchAttendee(id, registrar.token, { 'is-checked-in': true })));
    for (const response of responses) expect(response.status).toBe(200);
    const read = await get(t, `/v1/attendees/${id}`, registrar.token);
    expect(read.body.data.attributes['checkin-times'].split(',')).toHaveLength(1);
  });

  it('an unpaid order’s attendee cannot check in yet', async () => {
    const id = attendeeIds(pending)[0]!;
    const response = await patchAttendee(id, registrar.token, { 'is-checked-in': true });
    expect(response.status).toBe(422);
    expect(pointer(response)).toBe('/data/attributes/is-checked-in');
  });

  it('the buyer corrects their attendees but does not check them in', async () => {
    const id = attendeeIds(pending)[0]!;
    const renamed = await patchAttendee(id, buyer.token, { firstname: 'Grace', lastname: 'Hopper', city: 'Arlington', 'is-checked-in': false });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.data.attributes).toMatchObject({ firstname: 'Grace', lastname: 'Hopper', city: 'Arlington' });
    expect((await patchAttendee(attendeeIds(completed)[0]!, buyer.token, { 'is-checked-in': false })).status).toBe(403);
    // Issue 14: as in OES, an attendee's name may be empty (OES's client can send it so from its attendee form); a bad email is refused.
    const empty = await patchAttendee(id, buyer.token, { firstname: '' });
    expect(empty.status).toBe(200);
    const badEmail = await patchAttendee(id, buyer.token, { email: 'nope' });
    expect(badEmail.status).toBe(422);
    expect(pointer(badEmail)).toBe('/data/attributes/email');
  });

  it('attendees of a cancelled order no longer change', async () => {
    const id = attendeeIds(cancelled)[0]!;
    expect((await patchAttendee(id, owner.token, { 'is-checked-in': true })).status).toBe(409);
  });
});
