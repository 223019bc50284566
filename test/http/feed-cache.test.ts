// The feed render cache under made-up filter ids (issue 11, item 3): filters are normalized to ids that exist
// in the event before keying, so anonymous requests naming ids that do not exist add no entries, and the
// cache is bounded by bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, createTrack, get, quickUser, type Resource, type User } from '../support/schedule.ts';
import { insertSessions } from '../e2e/seed.ts';
import { DEFAULT_MAX_BYTES } from '../../src/feed-cache/rendered-feeds.ts';

let t: TestApp;
let owner: User;
let ev: Resource;
let track: Resource;

const vevents = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').length;

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token, { name: 'Cache Fest', 'schedule-published-on': '2026-01-01T00:00:00Z' });
  track = await createTrack(t, owner.token, ev, { name: 'Only' });
  // 500 sessions, none on `track`: a filter on it alone is empty, a filter without it is the full schedule.
  await insertSessions(t.database.connection.db, Number(ev.id), 500);
});

describe('feed render cache', () => {
  it('keeps one entry for 20 requests that differ only in made-up ids, within its byte bound', async () => {
    const cache = t.app.feedCache!;
    const url = (query: string) => `/v1/events/${ev.attributes.identifier}.ics?${query}`;
    const full = await get(t, url(''));
    expect(full.status).toBe(200);
    expect(vevents(full.text)).toBe(500);

    const before = { size: cache.size, renders: cache.renders };
    const answers = [];
    for (let i = 1; i <= 20; i++) answers.push(await get(t, url(`track=${track.id},${40_000 + i}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    // Each is its own request to the client (its own ETag), and all are the same calendar.
    expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(20);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(cache.size - before.size).toBe(1);
    expect(cache.renders - before.renders).toBe(1);

    // Only made-up ids: one more entry (the empty filter), whatever the ids.
    for (let i = 1; i <= 20; i++) expect((await get(t, url(`room=${50_000 + i}`))).status).toBe(200);
    expect(cache.size - before.size).toBe(2);
    expect(cache.bytes).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
    // The bytes held are those of the entries kept, not of the requests made.
    expect(cache.bytes).toBeLessThan(3 * Buffer.byteLength(full.text));
  });
});
