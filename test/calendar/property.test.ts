// Random schedules: arbitrary Unicode (lone surrogates, controls, markup, RTL, emoji), any IANA zone, times on and
// around its offset changes. Every output must be valid and read back as the input, bar the dropped characters.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { renderToString } from '../../src/calendar/formats.ts';
import type { CalendarInput, CalendarSession, SessionState } from '../../src/calendar/model.ts';
import { sharedDir } from '../support/shared.ts';
import {
  event,
  expectedCalendar,
  hostileText,
  offsetChanges,
  parseIcal,
  readBack,
  validateXcal,
  xcalChecks,
  xcalToJcal,
  type Jcal,
  PRODUCT_ID,
} from './support.ts';

const ZONES = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STATES: SessionState[] = ['draft', 'pending', 'accepted', 'confirmed', 'rejected', 'withdrawn', 'canceled'];

const html = fc.oneof(
  hostileText(120),
  fc
    .tuple(hostileText(30), hostileText(30))
    .map(([a, b]) => `<p>${a} &amp; <b>${b}</b></p><ul><li>${b}</li></ul>&lt;tag&gt; &hellip;`),
);

function sessionArbitrary(times: fc.Arbitrary<number>): fc.Arbitrary<Omit<CalendarSession, 'id'>> {
  return fc.record({
    title: hostileText(),
    subtitle: fc.constant(null),
    shortAbstract: fc.option(html),
    longAbstract: fc.option(html, { freq: 3 }),
    language: fc.constant('en'),
    level: fc.constant(null),
    state: fc.constantFrom(...STATES),
    startsAt: times.map((t) => new Date(t)),
    endsAt: fc.constant(null),
    deletedAt: fc.option(fc.constant(new Date('2020-01-01T00:00:00Z')), { freq: 8 }),
    createdAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
    lastModifiedAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.nat({ max: 1000 }),
    slidesUrl: fc.constant(null),
    videoUrl: fc.constant(null),
    audioUrl: fc.constant(null),
    track: fc.option(fc.record({ id: fc.nat(), name: hostileText(20), color: fc.constant(null) })),
    room: fc.option(fc.record({ id: fc.nat(), name: hostileText(20) })),
    sessionType: fc.option(fc.record({ id: fc.nat(), name: hostileText(20) })),
    speakers: fc.array(fc.record({ id: fc.nat({ max: 50 }), name: hostileText(30) }), { maxLength: 3 }),
  });
}

/** A zone, a year, and sessions starting on, near or anywhere around that zone's offset changes in the year. */
const inputs: fc.Arbitrary<CalendarInput & { sessions: CalendarSession[] }> = fc
  .tuple(fc.constantFrom(...ZONES), fc.integer({ min: 1995, max: 2035 }))
  .chain(([zone, year]) => {
    const from = Date.UTC(year, 0, 1);
    const changes = zone === 'UTC' ? [] : offsetChanges(zone, from, Date.UTC(year + 1, 0, 1));
    const anywhere = fc.integer({ min: from, max: Date.UTC(year + 1, 0, 1) - 1 });
    const nearChange =
      changes.length === 0
        ? anywhere
        : fc
            .tuple(fc.constantFrom(...changes), fc.integer({ min: -6 * 60, max: 12 * 60 }), fc.integer({ min: 0, max: 59_999 }))
            .map(([t, minutes, ms]) => t + minutes * MINUTE + ms);
    const session = fc
      .tuple(sessionArbitrary(fc.oneof({ weight: 3, arbitrary: nearChange }, { weight: 1, arbitrary: anywhere })), fc.integer({ min: 0, max: 8 * 60 }))
      .map(([s, minutes]): Omit<CalendarSession, 'id'> => ({
        ...s,
        endsAt: new Date((s.startsAt as Date).getTime() + minutes * MINUTE),
      }));
    return fc.record({
      event: fc.record({ name: hostileText(40), description: fc.option(html) }).map((e) =>
        event({ ...e, timezone: zone, startsAt: new Date(from + 10 * 24 * HOUR), endsAt: new Date(from + 12 * 24 * HOUR) }),
      ),
      sessions: fc.array(session, { minLength: 1, maxLength: 4 }).map((list) => list.map((s, i) => ({ ...s, id: i + 1 }))),
      tracks: fc.constant([]),
      rooms: fc.constant([]),
      generatedAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
      baseUrl: fc.constant('https://events.example.org'),
      refreshIntervalMinutes: fc.constantFrom(60, undefined),
      productId: fc.constant(PRODUCT_ID),
    });
  });

describe.skipIf(!sharedDir)('random schedules', () => {
  const xcalDocs: string[] = [];

  it('read back as the input from every format, and the formats agree', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        const [ics, jcalText, xcs] = await Promise.all([
          renderToString('ical', input),
          renderToString('jcal', input),
          renderToString('xcal', input),
        ]);
        const ical = parseIcal(ics);
        const jcal = JSON.parse(jcalText) as Jcal;
        const xcal = xcalToJcal(xcs);
        const expected = expectedCalendar(input);
        expect(readBack(ical)).toEqual(expected);
        expect(jcal).toEqual(ical);
        expect(xcal).toEqual(ical);
        expect(xcalChecks(xcs)).toEqual([]);
        for (const line of Buffer.from(ics).toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(75);
        xcalDocs.push(xcs);
      }),
      { numRuns: 60 },
    );
  });

  // One xmllint run for all the documents above: validating each on its own would take most of the test's time.
  afterAll(async () => {
    expect(xcalDocs.length).toBeGreaterThan(0);
    expect(await validateXcal(xcalDocs)).toEqual([]);
  });
});
