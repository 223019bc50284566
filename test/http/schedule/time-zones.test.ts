// An event's time zone is the organizer's choice, kept as sent (issue 11, item 13): not ICU's older
// alias for it (Asia/Kolkata, not Asia/Calcutta), in the API and in every calendar export's TZID and
// VTIMEZONE; and only names of the IANA database as the database spells them are accepted.
import { describe, expect, it, beforeAll } from 'vitest';
import ICAL from 'ical.js';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { exportAndDownload } from '../../e2e/support.ts';
import {
  EVENT_DEFAULTS,
  createEvent,
  createPublishedEvent,
  createSession,
  expect422,
  get,
  type Resource,
  type User,
  quickUser,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;

beforeAll(async () => {
  // The export tasks run in-process, as `openevent serve` does.
  t = await startTestApp({ worker: true });
  owner = await quickUser(t);
});

const postEvent = (attributes: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/v1/events', token: owner.token, json: { data: { type: 'event', attributes: { ...EVENT_DEFAULTS, ...attributes } } } });

const patchEvent = (ev: Resource, attributes: Record<string, unknown>) =>
  t.request({ method: 'PATCH', url: `/v1/events/${ev.id}`, token: owner.token, json: { data: { type: 'event', id: ev.id, attributes } } });

describe('an event’s time zone', () => {
  it('reads back as sent after POST, not as ICU’s alias', async () => {
    for (const timezone of ['Asia/Kolkata', 'Asia/Ho_Chi_Minh', 'Asia/Calcutta', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Etc/UTC', 'UTC']) {
      const created = await postEvent({ timezone });
      expect(created.status, created.text).toBe(201);
      expect(created.body.data.attributes.timezone).toBe(timezone);
      const again = await get(t, `/v1/events/${created.body.data.id}`, owner.token);
      expect(again.body.data.attributes.timezone).toBe(timezone);
    }
  });

  it('reads back as sent after PATCH', async () => {
    const ev = await createEvent(t, owner.token);
    const patched = await patchEvent(ev, { timezone: 'Asia/Kolkata' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.attributes.timezone).toBe('Asia/Kolkata');
    expect((await get(t, `/v1/events/${ev.id}`, owner.token)).body.data.attributes.timezone).toBe('Asia/Kolkata');
  });

  it('refuses names in the wrong case and names that are not in the IANA database with 422', async () => {
    const ev = await createEvent(t, owner.token);
    for (const timezone of ['asia/tokyo', 'ASIA/KOLKATA', 'europe/berlin', 'utc', 'Asia/Tokyo ', 'Factory', 'EST5EDT5', 'Mars/Olympus', '+05:30', 'Asia//Tokyo']) {
      expect422(await postEvent({ timezone }), '/data/attributes/timezone', `POST ${JSON.stringify(timezone)}`);
      expect422(await patchEvent(ev, { timezone }), '/data/attributes/timezone', `PATCH ${JSON.stringify(timezone)}`);
    }
    expect((await get(t, `/v1/events/${ev.id}`, owner.token)).body.data.attributes.timezone).toBe('UTC');
  });

  it('is the TZID of the calendar exports, with a VTIMEZONE of that TZID', async () => {
    const ev = await createPublishedEvent(t, owner.token, {
      timezone: 'Asia/Kolkata',
      'starts-at': '2026-03-10T03:30:00Z',
      'ends-at': '2026-03-10T12:30:00Z',
      'schedule-published-on': '2026-01-01T00:00:00Z',
    });
    await createSession(t, owner.token, ev, { title: 'Keynote', state: 'accepted', 'starts-at': '2026-03-10T04:30:00Z', 'ends-at': '2026-03-10T05:30:00Z' });
    const identifier = ev.attributes.identifier as string;

    const ics = await get(t, `/v1/events/${identifier}.ics`);
    expect(ics.status, ics.text).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(ics.text));
    expect(calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['Asia/Kolkata']);
    const start = calendar.getFirstSubcomponent('vevent')!.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Asia/Kolkata');
    // 04:30 UTC is 10:00 in India.
    expect(String(start.getFirstValue())).toBe('2026-03-10T10:00:00');
    expect(ics.text).not.toContain('Calcutta');

    const xcal = await get(t, `/v1/events/${identifier}.xcs`);
    expect(xcal.status, xcal.text).toBe(200);
    expect(xcal.text).toMatch(/<vtimezone>\s*<properties>\s*<tzid>\s*<text>Asia\/Kolkata<\/text>/);
    expect(xcal.text).toMatch(/<dtstart>\s*<parameters>\s*<tzid>\s*<text>Asia\/Kolkata<\/text>/);
    expect(xcal.text).not.toContain('Calcutta');

    // The organizer's exports (tasks and downloads) say the same.
    const icalExport = (await exportAndDownload(t, owner.token, ev.id, 'ical')).response.text;
    const exported = new ICAL.Component(ICAL.parse(icalExport));
    expect(exported.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['Asia/Kolkata']);
    expect(exported.getFirstSubcomponent('vevent')!.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Kolkata');
    const xcalExport = (await exportAndDownload(t, owner.token, ev.id, 'xcal')).response.text;
    expect(xcalExport).toMatch(/<vtimezone>\s*<properties>\s*<tzid>\s*<text>Asia\/Kolkata<\/text>/);
    expect(xcalExport).toMatch(/<dtstart>\s*<parameters>\s*<tzid>\s*<text>Asia\/Kolkata<\/text>/);
    for (const text of [icalExport, xcalExport]) expect(text).not.toContain('Calcutta');
  });
});
