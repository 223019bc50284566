// jCal: JSON that ical.js loads, in the shape of RFC 7265's examples.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderToString } from '../../src/calendar/formats.ts';
import { sharedDir, sharedPath } from '../support/shared.ts';
import { calendarInput, edgeCaseSessions, event, session, type Jcal } from './support.ts';

/** The shape of a jCal value: names and types, not values. */
function shape(component: Jcal): unknown {
  return [
    component[0],
    component[1].map(([name, params, type]) => [name, typeof params, type]),
    component[2].map(shape),
  ];
}

describe('jCal', () => {
  it('is JSON that ical.js loads, with one property per line', async () => {
    const text = await renderToString('jcal', calendarInput(edgeCaseSessions()));
    const jcal = JSON.parse(text) as Jcal;
    const calendar = new ICAL.Component(jcal as unknown as unknown[]);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(9);
    // ical.js writes it back as iCalendar, and reads that again to the same jCal.
    expect(ICAL.parse(calendar.toString())).toEqual(jcal);
    expect(text.split('\n').length).toBeGreaterThan(100);
  });

  describe.skipIf(!sharedDir)('RFC 7265 examples', () => {
    const example = (n: number) => JSON.parse(readFileSync(sharedPath('vectors', `rfc7265-example${n}.json`), 'utf8')) as Jcal;

    it('have our shape: [name, [[name, {params}, type, value…]…], [components…]]', async () => {
      const ours = JSON.parse(await renderToString('jcal', calendarInput([session()], { event: event({ timezone: 'UTC' }) }))) as Jcal;
      // Example 1 has the same VEVENT properties as ours, a subset of them.
      const [name, props, [vevent]] = shape(example(1)) as [string, unknown[], [string, unknown[][], unknown[]][]];
      const [ourName, ourProps, [ourEvent]] = shape(ours) as [string, unknown[], [string, unknown[][], unknown[]][]];
      expect(ourName).toBe(name);
      for (const p of props) expect(ourProps).toContainEqual(p);
      expect(ourEvent[0]).toBe(vevent[0]);
      // Its DTSTART is an all-day `date`; ours are date-times.
      for (const p of vevent[1] as unknown[][]) {
        expect(ourEvent[1]).toContainEqual(p[0] === 'dtstart' ? ['dtstart', 'object', 'date-time'] : p);
      }
      // Example 2 (with a VTIMEZONE) has the same nesting as a calendar of ours with one.
      const two = shape(example(2)) as [string, unknown[], [string, unknown[], unknown[]][]];
      const withZone = shape(JSON.parse(await renderToString('jcal', calendarInput([session()])))) as typeof two;
      const kinds = (c: typeof two) => [...new Set(c[2].map((sub) => sub[0]))];
      expect(kinds(withZone)).toEqual(kinds(two));
      expect(new ICAL.Component(example(1) as unknown as unknown[]).getFirstSubcomponent('vevent')).not.toBeNull();
      // A yearly VTIMEZONE rule is the same kind of object as in example 2.
      const rule = (c: Jcal) => c[2].find((s) => s[0] === 'vtimezone')?.[2][0][1].find((p) => p[0] === 'rrule');
      const ourRule = rule(JSON.parse(await renderToString('jcal', calendarInput([session()]))) as Jcal);
      expect(Object.keys(ourRule?.[3] as object)).toEqual(Object.keys(rule(example(2))?.[3] as object));
      expect(ourRule?.slice(0, 3)).toEqual(rule(example(2))?.slice(0, 3));
    });
  });
});
