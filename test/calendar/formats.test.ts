// The three formats against the input and against each other, the registry, and streaming.
import { describe, expect, it } from 'vitest';
import { calendarFormats, isCalendarFormatId, renderToString, type CalendarFormatId } from '../../src/calendar/formats.ts';
import type { CalendarSession } from '../../src/calendar/model.ts';
import { CHUNK_BYTES } from '../../src/calendar/sink.ts';
import {
  calendarInput,
  edgeCaseSessions,
  event,
  expectedCalendar,
  parseIcal,
  readBack,
  session,
  xcalToJcal,
  type Jcal,
} from './support.ts';

const FORMATS = Object.keys(calendarFormats) as CalendarFormatId[];

async function renderAll(input: Parameters<typeof renderToString>[1]): Promise<Record<CalendarFormatId, Jcal>> {
  const [ical, jcal, xcal] = await Promise.all([
    renderToString('ical', input),
    renderToString('jcal', input),
    renderToString('xcal', input),
  ]);
  return { ical: parseIcal(ical), jcal: JSON.parse(jcal) as Jcal, xcal: xcalToJcal(xcal) };
}

describe('calendar formats', () => {
  it('are registered with their media types and extensions', () => {
    expect(FORMATS).toEqual(['xcal', 'ical', 'jcal']);
    expect(calendarFormats.xcal).toMatchObject({ mediaType: 'application/calendar+xml', extension: 'xcs' });
    expect(calendarFormats.ical).toMatchObject({ mediaType: 'text/calendar; charset=utf-8', extension: 'ics' });
    expect(calendarFormats.jcal).toMatchObject({ mediaType: 'application/calendar+json', extension: 'jcal' });
    expect(isCalendarFormatId('ical')).toBe(true);
    expect(isCalendarFormatId('toString')).toBe(false);
  });

  it('each read back to the input, property by property', async () => {
    const input = calendarInput(edgeCaseSessions());
    const expected = expectedCalendar(input);
    const docs = await renderAll(input);
    for (const format of FORMATS) expect(readBack(docs[format]), format).toEqual(expected);
    // The cases the fixture is there for.
    const byId = new Map(expected.sessions.map((s) => [s.uid.split('-')[0], s]));
    expect([...byId.keys()]).toEqual(['1', '2', '6', '7', '8', '9', '10', '11', '12']);
    expect(byId.get('12')?.categories).toEqual(['C:\\', 'Talk']);
    expect(byId.get('6')?.dtend).toBeUndefined();
    expect(byId.get('9')?.names).toEqual(['created', 'dtstamp', 'dtstart', 'dtend', 'last-modified', 'attendee', 'sequence', 'status', 'uid', 'url'].sort());
    expect(byId.get('1')?.description).toBe('Why open standards\u00a0matter & how.\n\n- History\n- Future');
  });

  it('are the same calendar: iCalendar, jCal and xCal convert to identical jCal', async () => {
    const input = calendarInput(edgeCaseSessions());
    const { ical, jcal, xcal } = await renderAll(input);
    expect(jcal).toEqual(ical);
    expect(xcal).toEqual(ical);
  });

  it('write local times with TZID, and UTC where a TZID time would be wrong or uncovered', async () => {
    const { jcal } = await renderAll(calendarInput(edgeCaseSessions()));
    const starts = Object.fromEntries(
      jcal[2]
        .filter((c) => c[0] === 'vevent')
        .map((c) => [String(c[1].find((p) => p[0] === 'uid')?.[3]).split('-')[0], c[1].find((p) => p[0] === 'dtstart')]),
    );
    expect(starts['1']).toEqual(['dtstart', { tzid: 'Europe/Berlin' }, 'date-time', '2025-03-10T09:00:00']);
    expect(starts['7']).toEqual(['dtstart', {}, 'date-time', '2031-07-01T10:00:00Z']);
    expect(starts['8']).toEqual(['dtstart', {}, 'date-time', '2025-10-26T00:30:00Z']);
  });

  it('need no VTIMEZONE for a UTC event', async () => {
    const input = calendarInput([session()], { event: event({ timezone: 'UTC' }) });
    const { ical } = await renderAll(input);
    expect(ical[2].map((c) => c[0])).toEqual(['vevent']);
    expect(ical[2][0][1].find((p) => p[0] === 'dtstart')).toEqual(['dtstart', {}, 'date-time', '2025-03-10T08:00:00Z']);
    expect(readBack(ical)).toEqual(expectedCalendar(input));
  });

  it('reject an unknown time zone or an invalid date before writing anything', async () => {
    const bad = [
      calendarInput([session()], { event: event({ timezone: 'Nowhere/Else' }) }),
      calendarInput([session()], { event: event({ startsAt: new Date(Number.NaN) }) }),
      calendarInput([session()], { generatedAt: new Date(Number.NaN) }),
    ];
    for (const format of FORMATS) {
      for (const input of bad) {
        await expect(calendarFormats[format].serialize(input)[Symbol.asyncIterator]().next()).rejects.toThrow(RangeError);
      }
    }
  });

  it('leave out CREATED and LAST-MODIFIED when their dates are invalid', async () => {
    const invalid = new Date(Number.NaN);
    const { ical } = await renderAll(calendarInput([session({ createdAt: invalid, lastModifiedAt: invalid })]));
    const names = ical[2].find((c) => c[0] === 'vevent')?.[1].map((p) => p[0]);
    expect(names).not.toContain('created');
    expect(names).not.toContain('last-modified');
    expect(names).toContain('dtstamp');
  });
});

describe('streaming', () => {
  const N = 20_000;

  async function* slowSource(progress: { read: number }): AsyncGenerator<CalendarSession> {
    for (let i = 0; i < N; i++) {
      progress.read = i + 1;
      if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
      yield session({ id: i + 1, title: `Session ${i + 1}` });
    }
  }

  it.each(FORMATS)('%s: hands out chunks while the source is still being read', async (format) => {
    const progress = { read: 0 };
    const readWhenChunked: number[] = [];
    const sizes: number[] = [];
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let text = '';
    for await (const chunk of calendarFormats[format].serialize(calendarInput(slowSource(progress)))) {
      readWhenChunked.push(progress.read);
      sizes.push(chunk.length);
      text += decoder.decode(chunk, { stream: true });
    }
    text += decoder.decode();
    expect(readWhenChunked[0]).toBeLessThan(N / 10);
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CHUNK_BYTES);
    // Full chunks are nearly full: the sink hands out a chunk when the next property may not fit.
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThan(CHUNK_BYTES * 0.9);
    // The same document as from an in-memory source.
    const sessions = Array.from({ length: N }, (_, i) => session({ id: i + 1, title: `Session ${i + 1}` }));
    expect(text).toBe(await renderToString(format, calendarInput(sessions)));
  });
});
