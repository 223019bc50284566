// Text and time in the schedule (issue 3): any Unicode stored as sent except C0 controls (removed) and
// lone surrogates (U+FFFD); long titles; HTML untouched; oversize bodies refused; instants in UTC with
// offsets converted; an event in Europe/Brussels across the end of daylight saving time.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  body,
  createEvent,
  createPublishedEvent,
  createSession,
  createSpeaker,
  createTrack,
  expect422,
  get,
  patch,
  rel,
  type Resource,
  type User,
  quickUser,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token);
});

const DIRTY = 'A\u0000b\u0007c\td\ne\rf\u001Bg\u007Fh\uD800i\uDC00';
const CLEAN = 'Abc\td\ne\rfg\u007Fh\uFFFDi\uFFFD';

describe('text', () => {
  it('removes C0 controls but tab, LF and CR, and replaces lone surrogates, in every resource', async () => {
    const event = await createEvent(t, owner.token, { name: DIRTY, description: DIRTY });
    expect(event.attributes.name).toBe(CLEAN);
    expect(event.attributes.description).toBe(CLEAN);
    const track = await createTrack(t, owner.token, ev, { name: DIRTY });
    expect(track.attributes.name).toBe(CLEAN);
    const speaker = await createSpeaker(t, owner.token, ev, { name: DIRTY, 'short-biography': DIRTY });
    expect(speaker.attributes['short-biography']).toBe(CLEAN);
    const session = await createSession(t, owner.token, ev, { title: DIRTY, comments: DIRTY });
    expect(session.attributes.title).toBe(CLEAN);
    const read = await get(t, `/v1/sessions/${session.id}`, owner.token);
    expect(read.body.data.attributes.title).toBe(CLEAN);
    expect(read.body.data.attributes.comments).toBe(CLEAN);
    const patched = await patch(t, owner.token, '/v1/sessions', 'session', session.id, { subtitle: '\u0000only NUL\u0000' });
    expect(patched.attributes.subtitle).toBe('only NUL');
  });

  it('stores any other Unicode exactly as sent: no normalization, no trimming', async () => {
    const title = '  e\u0301 vs \u00e9 — 日本語 العربية 🎉👩🏽‍💻 \u200B\u00A0 \uFEFF ';
    const session = await createSession(t, owner.token, ev, { title });
    expect(session.attributes.title).toBe(title);
    expect((await get(t, `/v1/sessions/${session.id}`, owner.token)).body.data.attributes.title).toBe(title);
  });

  it('keeps HTML as HTML', async () => {
    const html = '<p onclick="x()">Hello &amp; <script>alert("hi")</script><b>bold</b></p>';
    const session = await createSession(t, owner.token, ev, { title: html, 'long-abstract': html, state: 'accepted' });
    const read = await get(t, `/v1/sessions/${session.id}`);
    expect(read.body.data.attributes).toMatchObject({ title: html, 'long-abstract': html });
    const speaker = await createSpeaker(t, owner.token, ev, { name: '<i>Ada</i>', 'long-biography': html });
    expect(speaker.attributes['long-biography']).toBe(html);
  });

  it('accepts 10,000-character titles and names and stores them unchanged', async () => {
    const unit = 'Ünïcødé <b>&</b> ';
    const long = unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000);
    expect(long).toHaveLength(10_000);
    const session = await createSession(t, owner.token, ev, { title: long, state: 'accepted' });
    expect(session.attributes.title).toBe(long);
    const list = await get(t, `/v1/events/${ev.id}/sessions?page[size]=100`);
    expect(list.body.data.find((s: Resource) => s.id === session.id).attributes.title).toBe(long);
    const event = await createEvent(t, owner.token, { name: long });
    expect((await get(t, `/v1/events/${event.id}`, owner.token)).body.data.attributes.name).toBe(long);
    const track = await createTrack(t, owner.token, ev, { name: long });
    expect(track.attributes.name).toBe(long);
  });

  it('refuses a 2 MB body with 413 and creates nothing', async () => {
    const before = await get(t, `/v1/events/${ev.id}/sessions?page[size]=1`, owner.token);
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const response = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: owner.token,
      json: body('session', { title: 'huge', 'long-abstract': huge }, { event: rel('event', ev) }),
    });
    expect(response.status).toBe(413);
    expect(response.body.errors[0]).toMatchObject({ status: '413', title: 'Payload Too Large' });
    const after = await get(t, `/v1/events/${ev.id}/sessions?page[size]=1`, owner.token);
    expect(after.body.meta.count).toBe(before.body.meta.count);
    const eventsBefore = (await get(t, '/v1/events?page[size]=1', owner.token)).body.meta.count;
    const bigEvent = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: owner.token,
      json: body('event', { name: 'big', description: huge, 'starts-at': '2026-02-01T08:00:00Z', 'ends-at': '2026-02-02T08:00:00Z' }),
    });
    expect(bigEvent.status).toBe(413);
    expect((await get(t, '/v1/events?page[size]=1', owner.token)).body.meta.count).toBe(eventsBefore);
  });
});

describe('time', () => {
  it('answers instants in UTC RFC 3339 and converts offsets', async () => {
    const session = await createSession(t, owner.token, ev, {
      'starts-at': '2026-02-01T10:30:00+01:00',
      'ends-at': '2026-02-01T05:15:00-05:00',
    });
    expect(session.attributes['starts-at']).toBe('2026-02-01T09:30:00Z');
    expect(session.attributes['ends-at']).toBe('2026-02-01T10:15:00Z');
    const read = await get(t, `/v1/sessions/${session.id}`, owner.token);
    expect(read.body.data.attributes['starts-at']).toBe('2026-02-01T09:30:00Z');
    for (const name of ['created-at', 'last-modified-at']) {
      expect(read.body.data.attributes[name], name).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    expect(ev.attributes['created-at']).toMatch(/Z$/);
  });

  it('refuses a naive date-time anywhere', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: owner.token,
      json: body('session', { title: 'naive', 'starts-at': '2026-02-01T09:00:00', 'ends-at': '2026-02-01T10:00:00' }, { event: rel('event', ev) }),
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: any) => e.source?.pointer)).toContain('/data/attributes/starts-at');
    expect422(
      await t.request({
        method: 'PATCH',
        url: `/v1/events/${ev.id}`,
        token: owner.token,
        json: { data: { type: 'event', id: ev.id, attributes: { 'schedule-published-on': '2026-01-01 12:00' } } },
      }),
      '/data/attributes/schedule-published-on',
    );
  });

  describe('an event in Europe/Brussels across the end of daylight saving time', () => {
    // 2026-10-25 is the last Sunday of October: at 03:00 CEST (01:00Z) clocks go back to 02:00 CET, so
    // local 02:00–03:00 happens twice.
    let brussels: Resource;
    const SESSIONS: [string, string, string, string, string][] = [
      // title, starts-at as sent, ends-at as sent, expected UTC start, expected UTC end
      ['Before', '2026-10-25T01:30:00+02:00', '2026-10-25T02:15:00+02:00', '2026-10-24T23:30:00Z', '2026-10-25T00:15:00Z'],
      ['First 02:30', '2026-10-25T02:30:00+02:00', '2026-10-25T02:50:00+02:00', '2026-10-25T00:30:00Z', '2026-10-25T00:50:00Z'],
      ['Second 02:30', '2026-10-25T02:30:00+01:00', '2026-10-25T02:50:00+01:00', '2026-10-25T01:30:00Z', '2026-10-25T01:50:00Z'],
      ['After', '2026-10-25T03:30:00+01:00', '2026-10-25T04:00:00+01:00', '2026-10-25T02:30:00Z', '2026-10-25T03:00:00Z'],
      // Across the change: 02:45 CEST to 02:15 CET is 30 minutes later, though the wall clock went back.
      ['Across', '2026-10-25T02:45:00+02:00', '2026-10-25T02:15:00+01:00', '2026-10-25T00:45:00Z', '2026-10-25T01:15:00Z'],
      ['Sent in UTC', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z'],
    ];
    const created = new Map<string, Resource>();

    beforeAll(async () => {
      brussels = await createPublishedEvent(t, owner.token, {
        name: 'Night of the clocks',
        timezone: 'Europe/Brussels',
        'starts-at': '2026-10-24T18:00:00+02:00',
        'ends-at': '2026-10-25T12:00:00+01:00',
      });
      for (const [title, start, end] of SESSIONS) {
        created.set(title, await createSession(t, owner.token, brussels, { title, 'starts-at': start, 'ends-at': end, state: 'confirmed' }));
      }
    });

    it('keeps the zone and the event span', () => {
      expect(brussels.attributes).toMatchObject({
        timezone: 'Europe/Brussels',
        'starts-at': '2026-10-24T16:00:00Z',
        'ends-at': '2026-10-25T11:00:00Z',
      });
    });

    it.each(SESSIONS)('%s: stored and returned as the right instant', async (title, _start, _end, utcStart, utcEnd) => {
      expect(created.get(title)!.attributes).toMatchObject({ 'starts-at': utcStart, 'ends-at': utcEnd });
      const read = await get(t, `/v1/sessions/${created.get(title)!.id}`);
      expect(read.body.data.attributes).toMatchObject({ 'starts-at': utcStart, 'ends-at': utcEnd });
    });

    it('an end that is earlier on the wall clock but later in time is accepted; the reverse is refused', async () => {
      const backwards = await t.request({
        method: 'POST',
        url: '/v1/sessions',
        token: owner.token,
        // 02:15 CET (01:15Z) to 02:45 CEST (00:45Z): later on the wall clock, earlier in time.
        json: body('session', { title: 'Backwards', 'starts-at': '2026-10-25T02:15:00+01:00', 'ends-at': '2026-10-25T02:45:00+02:00' }, { event: rel('event', brussels) }),
      });
      expect(backwards.status).toBe(422);
    });

    it('sorts and filters by the instant, not the wall clock', async () => {
      const list = await get(t, `/v1/events/${brussels.id}/sessions?sort=starts-at`);
      expect(list.body.data.map((s: Resource) => s.attributes.title)).toEqual(['Before', 'First 02:30', 'Across', 'Sent in UTC', 'Second 02:30', 'After']);
      const filter = encodeURIComponent(JSON.stringify([{ name: 'starts-at', op: 'ge', val: '2026-10-25T02:00:00+01:00' }]));
      const late = await get(t, `/v1/events/${brussels.id}/sessions?sort=starts-at&filter=${filter}`);
      expect(late.body.data.map((s: Resource) => s.attributes.title)).toEqual(['Sent in UTC', 'Second 02:30', 'After']);
    });
  });
});
