// Export starts cannot flood the queue (issue 11, item 2): an identical export already waiting is joined rather
// than queued again, and a user and an event each have a cap of unfinished exports, past which a start is a 429
// with Retry-After. No worker runs here, so every task stays unfinished.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, grantRole, type Resource, type User } from '../support/schedule.ts';
import { exportTasks } from '../../src/db/schema/index.ts';
import { MAX_UNFINISHED_PER_EVENT, MAX_UNFINISHED_PER_USER } from '../../src/domain/exports.ts';

let t: TestApp;
let owner: User;

/** Every distinct export of one event a manager can start, as requests: more than the per-event cap. */
function distinctStarts(ev: Resource) {
  const post = (path: string, body: Record<string, string>) => ({ method: 'POST' as const, url: `/v1/events/${ev.id}/export/${path}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const sessionStates = ['all', 'draft', 'pending', 'accepted', 'confirmed', 'rejected', 'withdrawn', 'canceled'];
  return [
    ...['xcal', 'ical', 'jcal', 'pentabarf', 'frab-json'].map((format) => ({ method: 'GET' as const, url: `/v1/events/${ev.id}/export/${format}` })),
    ...sessionStates.map((status) => post('sessions/csv', { status })),
    ...sessionStates.map((status) => post('speakers/csv', { status })),
    ...['all', 'pending', 'completed', 'cancelled', 'expired'].map((status) => post('orders/csv', { status })),
    post('attendees/csv', {}),
  ];
}

const start = (request: ReturnType<typeof distinctStarts>[number], user: User) => t.request({ ...request, token: user.token });

beforeAll(async () => {
  t = await startTestApp();
  owner = await signUp(t);
});

describe('starting an export again', () => {
  it('joins the identical export still waiting, for the same user only', async () => {
    const ev = await createPublishedEvent(t, owner.token, { name: 'Join Conf' });
    const coorganizer = await signUp(t);
    await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
    const attendees = { method: 'POST' as const, url: `/v1/events/${ev.id}/export/attendees/csv`, headers: { 'content-type': 'application/json' }, payload: '{}' };
    const first = await start(attendees, owner);
    const again = await start(attendees, owner);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.task_url).toBe(first.body.task_url);
    // The same orders with options in another order, or left to their default, are the same export too.
    const orders = (payload: string) => ({ ...attendees, url: `/v1/events/${ev.id}/export/orders/csv`, payload });
    const allOrders = await start(orders('{"status":"all"}'), owner);
    expect((await start(orders('{}'), owner)).body.task_url).toBe(allOrders.body.task_url);
    expect((await start(orders('{"status":"pending"}'), owner)).body.task_url).not.toBe(allOrders.body.task_url);
    // Someone else's identical export is theirs: their own task.
    const theirs = await start(attendees, coorganizer);
    expect(theirs.status).toBe(202);
    expect(theirs.body.task_url).not.toBe(first.body.task_url);
    const tasks = await t.database.connection.db.$count(exportTasks, eq(exportTasks.eventId, Number(ev.id)));
    expect(tasks).toBe(4);
  });
});

describe('unfinished exports', () => {
  it(`are capped at ${MAX_UNFINISHED_PER_EVENT} per event, for everyone on the team, with a 429 and Retry-After`, async () => {
    const ev = await createPublishedEvent(t, owner.token, { name: 'Busy Conf' });
    const organizer = await signUp(t);
    await grantRole(t, owner.token, ev, organizer.id, 'organizer');
    const starts = distinctStarts(ev);
    expect(starts.length).toBeGreaterThan(MAX_UNFINISHED_PER_EVENT);
    for (const request of starts.slice(0, MAX_UNFINISHED_PER_EVENT)) expect((await start(request, owner)).status, request.url).toBe(202);
    for (const [who, user] of [['owner', owner], ['organizer', organizer]] as const) {
      const refused = await start(starts[MAX_UNFINISHED_PER_EVENT]!, user);
      expect(refused.status, who).toBe(429);
      expect(Number(refused.headers['retry-after']), who).toBeGreaterThan(0);
      expect(refused.body.errors[0].detail, who).toMatch(/This event has 20 exports waiting or running/);
    }
    // Joining one already waiting is no new export: still answered.
    expect((await start(starts[0]!, owner)).status).toBe(202);
    const tasks = await t.database.connection.db.$count(exportTasks, eq(exportTasks.eventId, Number(ev.id)));
    expect(tasks).toBe(MAX_UNFINISHED_PER_EVENT);
  });

  it(`are capped at ${MAX_UNFINISHED_PER_USER} per user across events`, async () => {
    const flooder = await signUp(t);
    const events = [];
    for (let i = 0; i < Math.ceil(MAX_UNFINISHED_PER_USER / MAX_UNFINISHED_PER_EVENT) + 1; i++) {
      events.push(await createPublishedEvent(t, flooder.token, { name: `Flood Conf ${i}` }));
    }
    let started = 0;
    for (const ev of events) {
      for (const request of distinctStarts(ev).slice(0, MAX_UNFINISHED_PER_EVENT)) {
        if (started === MAX_UNFINISHED_PER_USER) break;
        expect((await start(request, flooder)).status).toBe(202);
        started++;
      }
    }
    const refused = await start(distinctStarts(events.at(-1)!)[MAX_UNFINISHED_PER_EVENT - 1]!, flooder);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.errors[0].detail).toMatch(/You have 50 exports waiting or running/);
    // Another organizer is not held back by it.
    const other = await createPublishedEvent(t, owner.token, { name: 'Calm Conf' });
    expect((await start(distinctStarts(other)[0]!, owner)).status).toBe(202);
  });
});
