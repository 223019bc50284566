// Live calendar feeds: public only where the event is public, always current, cheap to revalidate,
// filtered on request, and personal feeds private to their token.
import { describe, expect, it, beforeAll } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import ICAL from 'ical.js';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  createEvent,
  createPublishedEvent,
  createRoom,
  createSession,
  createSpeaker,
  createTrack,
  get,
  patch,
  quickUser,
  rel,
  type Resource,
  type User,
} from '../support/schedule.ts';
import { sharedDir } from '../support/shared.ts';
import { validateXcal, xcalChecks } from '../calendar/support.ts';
import { eq, sql } from 'drizzle-orm';
import { events, sessions } from '../../src/db/schema/index.ts';

let t: TestApp;
let owner: User;
let ev: Resource;
let trackA: Resource;
let trackB: Resource;
let roomA: Resource;
let speaker: Resource;
let talks: Resource[];

const identifierOf = (event: Resource) => event.attributes.identifier as string;
const summaries = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics))
    .getAllSubcomponents('vevent')
    .map((e) => e.getFirstPropertyValue('summary') as string)
    .sort();

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token, { name: 'Feed Fest', timezone: 'Europe/Brussels', 'schedule-published-on': '2026-01-01T00:00:00Z' });
  trackA = await createTrack(t, owner.token, ev, { name: 'A' });
  trackB = await createTrack(t, owner.token, ev, { name: 'B' });
  roomA = await createRoom(t, owner.token, ev, { name: 'Room A' });
  speaker = await createSpeaker(t, owner.token, ev, { name: 'Grace', email: 'grace@example.org' });
  const at = (h: number) => ({ 'starts-at': `2026-10-25T${String(h).padStart(2, '0')}:00:00Z`, 'ends-at': `2026-10-25T${String(h).padStart(2, '0')}:45:00Z` });
  talks = [
    await createSession(t, owner.token, ev, { title: 'One', state: 'accepted', ...at(8) }, { track: trackA, microlocation: roomA, speakers: [speaker] }),
    await createSession(t, owner.token, ev, { title: 'Two', state: 'confirmed', ...at(9) }, { track: trackB }),
    await createSession(t, owner.token, ev, { title: 'Three', state: 'accepted', ...at(10) }, { track: trackA }),
    await createSession(t, owner.token, ev, { title: 'Secret draft', state: 'draft', ...at(11) }, { track: trackA }),
  ];
});

describe('public event feeds', () => {
  it('answer 404 for draft, private, deleted and unknown events in every format', async () => {
    const draft = await createEvent(t, owner.token);
    const secret = await createPublishedEvent(t, owner.token, { privacy: 'private' });
    const gone = await createPublishedEvent(t, owner.token);
    expect((await t.request({ method: 'DELETE', url: `/v1/events/${gone.id}`, token: owner.token })).status).toBe(200);
    for (const event of [identifierOf(draft), identifierOf(secret), identifierOf(gone), 'zzzzzzzz']) {
      for (const extension of ['ics', 'xcs', 'jcal', 'xml']) {
        const response = await get(t, `/v1/events/${event}.${extension}`, owner.token);
        expect(response.status, `${event}.${extension}`).toBe(404);
        expect(response.body.errors[0].status).toBe('404');
      }
    }
  });

  it('serves a published public event as valid iCalendar with the public sessions only', async () => {
    const response = await get(t, `/v1/events/${identifierOf(ev)}.ics`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`inline; filename="${identifierOf(ev)}.ics"`);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers.etag).toMatch(/^"[^"]+"$/);
    expect(response.headers['last-modified']).toBeTruthy();
    expect(summaries(response.text)).toEqual(['One', 'Three', 'Two']);
    expect(response.text).toContain('X-WR-CALNAME:Feed Fest');
    expect(response.text).toContain('NAME:Feed Fest');
    expect(response.text).not.toContain('grace@example.org');
  });

  it.skipIf(!sharedDir)('serves xCal that the RFC 6321 schema accepts, and jCal and Pentabarf with their media types', async () => {
    const xcal = await get(t, `/v1/events/${identifierOf(ev)}.xcs`);
    expect(xcal.status).toBe(200);
    expect(xcal.headers['content-type']).toBe('application/calendar+xml');
    expect(await validateXcal([xcal.text])).toEqual([]);
    expect(xcalChecks(xcal.text)).toEqual([]);
    const jcal = await get(t, `/v1/events/${identifierOf(ev)}.jcal`);
    expect(jcal.headers['content-type']).toBe('application/calendar+json');
    expect(new ICAL.Component(jcal.body).getAllSubcomponents('vevent')).toHaveLength(3);
    const xml = await get(t, `/v1/events/${identifierOf(ev)}.xml`);
    expect(xml.headers['content-type']).toBe('application/xml');
    expect(xml.text).toContain('<schedule');
  });

  it('shows its feed URLs on the event, with a webcal form', async () => {
    const response = await get(t, `/v1/events/${ev.id}`);
    const base = `https://events.example.org/v1/events/${identifierOf(ev)}`;
    expect(response.body.data.attributes).toMatchObject({
      'ical-url': `${base}.ics`,
      'webcal-url': `webcal://events.example.org/v1/events/${identifierOf(ev)}.ics`,
      'xcal-url': `${base}.xcs`,
      'pentabarf-url': `${base}.xml`,
    });
  });

  it('revalidates with 304 until something changes, then shows the change at once', async () => {
    const url = `/v1/events/${identifierOf(ev)}.ics`;
    const first = await get(t, url);
    const etag = first.headers.etag as string;
    const again = await t.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const since = await t.request({ method: 'GET', url, headers: { 'if-modified-since': first.headers['last-modified'] as string } });
    expect(since.status).toBe(304);

    await patch(t, owner.token, '/v1/sessions', 'session', talks[1]!.id, { title: 'Two (moved)' });
    const changed = await t.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(summaries(changed.text)).toContain('Two (moved)');
  });

  it('follows edits to speakers, tracks and rooms too', async () => {
    const url = `/v1/events/${identifierOf(ev)}.ics`;
    const before = await get(t, url);
    await patch(t, owner.token, '/v1/microlocations', 'microlocation', roomA.id, { name: 'Main Hall' });
    const after = await get(t, url);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.text).toContain('LOCATION:Main Hall');
  });

  it('shows a change committed by another process as soon as the database announces it', async () => {
    const url = `/v1/events/${identifierOf(ev)}.ics`;
    const before = await get(t, url);
    // Straight to the database, as another API or worker process would: no in-process signal.
    const { db } = t.database.connection;
    await db.update(sessions).set({ title: 'Renamed elsewhere' }).where(eq(sessions.id, Number(talks[2]!.id)));
    await db.update(events).set({ scheduleVersion: sql`${events.scheduleVersion} + 1` }).where(eq(events.id, Number(ev.id)));
    const started = Date.now();
    let after = await get(t, url);
    while (after.headers.etag === before.headers.etag && Date.now() - started < 2000) {
      await new Promise((r) => setTimeout(r, 20));
      after = await get(t, url);
    }
    // The notification, not the cache's 1 s safety expiry, is what dropped the stale row.
    expect(Date.now() - started).toBeLessThan(500);
    expect(summaries(after.text)).toContain('Renamed elsewhere');
  });

  it('compresses with brotli or gzip when the client accepts it', async () => {
    const url = `/v1/events/${identifierOf(ev)}.ics`;
    const plain = await get(t, url);
    const br = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.text);
    const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.text);
  });

  it('filters by track, room, speaker and session, each combination with its own ETag', async () => {
    const url = (query: string) => `/v1/events/${identifierOf(ev)}.ics?${query}`;
    const cases: [string, string[]][] = [
      [`track=${trackA.id}`, ['One', 'Renamed elsewhere']],
      [`track=${trackA.id},${trackB.id}`, ['One', 'Renamed elsewhere', 'Two (moved)']],
      [`room=${roomA.id}`, ['One']],
      [`speaker=${speaker.id}`, ['One']],
      [`session=${talks[2]!.id}`, ['Renamed elsewhere']],
      [`track=${trackB.id}&room=${roomA.id}`, []],
      [`session=${talks[3]!.id}`, []],
    ];
    const etags = new Set<string>();
    for (const [query, expected] of cases) {
      const response = await get(t, url(query));
      expect(response.status, query).toBe(200);
      expect(summaries(response.text), query).toEqual(expected);
      etags.add(response.headers.etag as string);
    }
    expect(etags.size).toBe(cases.length);
    const bad = await get(t, url('track=abc'));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source).toEqual({ parameter: 'track' });
  });

  it('renders once for a burst of requests right after an edit', async () => {
    await patch(t, owner.token, '/v1/sessions', 'session', talks[0]!.id, { title: 'One (burst)' });
    const cache = t.app.feedCache!;
    const before = cache.renders;
    const responses = await Promise.all(Array.from({ length: 200 }, () => get(t, `/v1/events/${identifierOf(ev)}.ics`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(cache.renders - before).toBe(1);
  });

  it('gives one session as iCalendar, and 404 for a session the public may not see', async () => {
    const one = await get(t, `/v1/sessions/${talks[2]!.id}.ics`);
    expect(one.status).toBe(200);
    expect(summaries(one.text)).toEqual(['Renamed elsewhere']);
    expect((await get(t, `/v1/sessions/${talks[3]!.id}.ics`)).status).toBe(404);
    expect((await get(t, `/v1/sessions/999999.ics`)).status).toBe(404);
  });
});

describe('my schedule', () => {
  const favourite = (user: User, session: Resource | string) =>
    t.request({
      method: 'POST',
      url: '/v1/user-favourite-sessions',
      token: user.token,
      json: { data: { type: 'user-favourite-session', relationships: { session: rel('session', session) } } },
    });

  it('keeps favourites per user, feeds exactly them, and kills the old URL on rotation', async () => {
    const alice = await quickUser(t);
    const bob = await quickUser(t);
    const added = await favourite(alice, talks[0]!);
    expect(added.status).toBe(201);
    expect((await favourite(alice, talks[2]!)).status).toBe(201);
    expect((await favourite(alice, talks[2]!)).status).toBe(409);
    expect((await favourite(bob, talks[1]!)).status).toBe(201);

    const list = await get(t, '/v1/users/me/favourite-sessions', alice.token);
    expect(list.body.data.map((f: Resource) => f.relationships!.session!.data)).toEqual([
      { type: 'session', id: talks[0]!.id },
      { type: 'session', id: talks[2]!.id },
    ]);

    const token = await get(t, '/v1/users/me/calendar-token', alice.token);
    expect(token.status).toBe(200);
    const feedUrl = new URL(token.body.data.attributes['ical-url']);
    expect(token.body.data.attributes['webcal-url']).toMatch(/^webcal:\/\//);
    // The same URL on every read until rotated.
    expect((await get(t, '/v1/users/me/calendar-token', alice.token)).body.data.attributes['ical-url']).toBe(feedUrl.href);
    const feed = await get(t, feedUrl.pathname);
    expect(feed.status).toBe(200);
    expect(feed.headers['cache-control']).toMatch(/^private/);
    expect(summaries(feed.text)).toEqual(['One (burst)', 'Renamed elsewhere']);

    const bobUrl = new URL((await get(t, '/v1/users/me/calendar-token', bob.token)).body.data.attributes['ical-url']);
    expect(summaries((await get(t, bobUrl.pathname)).text)).toEqual(['Two (moved)']);

    expect((await t.request({ method: 'DELETE', url: `/v1/user-favourite-sessions/${added.body.data.id}`, token: bob.token })).status).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/user-favourite-sessions/${added.body.data.id}`, token: alice.token })).status).toBe(200);
    expect(summaries((await get(t, feedUrl.pathname)).text)).toEqual(['Renamed elsewhere']);

    const rotated = await t.request({ method: 'POST', url: '/v1/users/me/calendar-token', token: alice.token });
    expect(rotated.status).toBe(201);
    expect(rotated.body.data.attributes['ical-url']).not.toBe(feedUrl.href);
    expect((await get(t, feedUrl.pathname)).status).toBe(404);
    expect((await get(t, new URL(rotated.body.data.attributes['ical-url']).pathname)).status).toBe(200);
  });

  it('refuses sessions the user may not see, and needs a signed-in user', async () => {
    const stranger = await quickUser(t);
    expect((await favourite(stranger, talks[3]!)).status).toBe(422);
    const anonymous = await t.request({
      method: 'POST',
      url: '/v1/user-favourite-sessions',
      json: { data: { type: 'user-favourite-session', relationships: { session: rel('session', talks[0]!) } } },
    });
    expect(anonymous.status).toBe(401);
    expect((await get(t, '/v1/users/me/calendar-token')).status).toBe(401);
  });
});
