// iCalendar: the lexical rules of RFC 5545 (lines, folding, escaping), and the RFC's example read the same way.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderToString } from '../../src/calendar/formats.ts';
import { sharedDir, sharedPath } from '../support/shared.ts';
import { calendarInput, edgeCaseSessions, event, icalComponent, instantOf, parseIcal, session } from './support.ts';

async function icsBytes(...args: Parameters<typeof calendarInput>): Promise<Buffer> {
  return Buffer.from(await renderToString('ical', calendarInput(...args)), 'utf8');
}

/** Content lines as octets, split at CRLF; the document must end with one. */
function lines(doc: Buffer): Buffer[] {
  expect(doc.subarray(-2).toString()).toBe('\r\n');
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < doc.length - 1; i++) {
    if (doc[i] === 0x0d && doc[i + 1] === 0x0a) {
      out.push(doc.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  return out;
}

describe('iCalendar', () => {
  it('ends every line with CRLF, keeps lines within 75 octets and folds between characters', async () => {
    const doc = await icsBytes(edgeCaseSessions());
    // No bare CR or LF anywhere.
    expect(doc.toString('latin1').replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const all = lines(doc);
    expect(all.length).toBeGreaterThan(200);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const line of all) {
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow();
    }
    expect(all[0].toString()).toBe('BEGIN:VCALENDAR');
    expect(all.at(-1)?.toString()).toBe('END:VCALENDAR');
  });

  it('leaves empty values out instead of writing `NAME:`', async () => {
    const text = (await icsBytes(edgeCaseSessions(), { event: event({ name: '\u0000', description: '<p></p>' }) })).toString();
    const unfolded = text.replaceAll('\r\n ', '');
    expect(unfolded).not.toMatch(/^[A-Z-]+(;[^:]*)?:$/m);
    expect(unfolded).not.toMatch(/^(NAME|X-WR-CALNAME|X-WR-CALDESC):/m);
    expect(unfolded).not.toContain(';CN=""');
  });

  it('escapes TEXT and caret-encodes parameter values', async () => {
    const text = (await icsBytes(edgeCaseSessions())).toString().replaceAll('\r\n ', '');
    expect(text).toContain('SUMMARY:Panel: "Calendars"\\, feeds\\; and \\\\ backslashes\r\n');
    expect(text).toContain('CATEGORIES:Community <Open Source>,Panel "Discussion"\r\n');
    expect(text).toContain(`ATTENDEE;CN="Seán O'Brien, ^'Pat^'":https://events.example.org/e/b8f3c2a1/speakers/8\r\n`);
    expect(text).toContain('DESCRIPTION:Why open standards\u00a0matter & how.\\n\\n- History\\n- Future\r\n');
  });

  it('writes the calendar properties clients read, and never DURATION with DTEND', async () => {
    const calendar = icalComponent(parseIcal((await icsBytes([session()])).toString()));
    expect(calendar.getFirstPropertyValue('prodid')).toMatch(/^-\/\/openevent\/\/openevent \d+\.\d+\.\d+[^/]*\/\/EN$/);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/Berlin');
    expect(String(calendar.getFirstPropertyValue('refresh-interval'))).toBe('PT1H');
    for (const vevent of calendar.getAllSubcomponents('vevent')) expect(vevent.hasProperty('duration')).toBe(false);
  });

  describe.skipIf(!sharedDir)('RFC 5545 example 1', () => {
    it('says what our calendar says for the same event', async () => {
      const vector = icalComponent(parseIcal(readFileSync(sharedPath('vectors', 'rfc5545-example1.ics'), 'utf8')));
      const expected = vector.getFirstSubcomponent('vevent') as ICAL.Component;
      const ours = icalComponent(
        parseIcal(
          (
            await icsBytes(
              [
                session({
                  title: 'Networld+Interop Conference',
                  // As the example reads once unfolded: its fold eats the space after "Conference" (a known slip of the RFC).
                  shortAbstract: expected.getFirstPropertyValue('description') as string,
                  startsAt: new Date('1996-09-18T14:30:00Z'),
                  endsAt: new Date('1996-09-20T22:00:00Z'),
                  track: { id: 1, name: 'CONFERENCE', color: null },
                  sessionType: null,
                }),
              ],
              {
                event: event({ timezone: 'UTC', startsAt: new Date('1996-09-18T00:00:00Z'), endsAt: new Date('1996-09-21T00:00:00Z') }),
                generatedAt: new Date('1996-07-04T12:00:00Z'),
              },
            )
          ).toString(),
        ),
      ).getFirstSubcomponent('vevent') as ICAL.Component;
      for (const name of ['dtstamp', 'dtstart', 'dtend', 'status', 'categories', 'summary', 'description']) {
        expect(ours.getFirstProperty(name)?.toJSON(), name).toEqual(expected.getFirstProperty(name)?.toJSON());
      }
    });
  });

  describe.skipIf(!sharedDir)('RFC 5545 example 2', () => {
    it('gives the same local times with TZID, and a VTIMEZONE that covers them', async () => {
      const vector = icalComponent(parseIcal(readFileSync(sharedPath('vectors', 'rfc5545-example2.ics'), 'utf8')));
      const theirs = vector.getFirstSubcomponent('vevent') as ICAL.Component;
      const input = calendarInput(
        [
          session({
            title: 'XYZ Project Review',
            startsAt: new Date('1998-03-12T13:30:00Z'),
            endsAt: new Date('1998-03-12T14:30:00Z'),
          }),
        ],
        {
          event: event({
            timezone: 'America/New_York',
            startsAt: new Date('1998-03-12T00:00:00Z'),
            endsAt: new Date('1998-03-13T00:00:00Z'),
          }),
        },
      );
      const calendar = icalComponent(parseIcal((await icsBytes(input.sessions, input)).toString()));
      const ours = calendar.getFirstSubcomponent('vevent') as ICAL.Component;
      for (const name of ['dtstart', 'dtend', 'summary']) {
        expect(ours.getFirstProperty(name)?.toJSON(), name).toEqual(theirs.getFirstProperty(name)?.toJSON());
      }
      // The example's VTIMEZONE starts in October 1998, after its event: ical.js reads 08:30 there as UTC. Ours
      // starts a year before the event, so 08:30 New York reads as 13:30 UTC.
      expect(instantOf(vector, theirs.getFirstProperty('dtstart') as ICAL.Property)).toBe(Date.UTC(1998, 2, 12, 8, 30));
      expect(instantOf(calendar, ours.getFirstProperty('dtstart') as ICAL.Property)).toBe(Date.UTC(1998, 2, 12, 13, 30));
      expect(instantOf(calendar, ours.getFirstProperty('dtend') as ICAL.Property)).toBe(Date.UTC(1998, 2, 12, 14, 30));
    });
  });
});
