// The import parsers on their own: the shared real-world samples read with the right counts and times, every
// format openevent exports read back to the same schedule, free text of any Unicode surviving the round trip,
// and hostile or broken files refused with a message that says where.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderToString } from '../../src/calendar/formats.ts';
import { serializeFrabJson } from '../../src/calendar/frab-json.ts';
import type { CalendarInput, CalendarSession } from '../../src/calendar/model.ts';
import { serializePentabarf } from '../../src/calendar/pentabarf.ts';
import { ImportError, IMPORT_LIMITS, type ImportedSchedule } from '../../src/import/model.ts';
import { guessImportFormat, importFormatById } from '../../src/import/registry.ts';
import { sharedPath } from '../support/shared.ts';
import { calendarInput, event, session } from '../calendar/support.ts';

const sample = (name: string) => readFileSync(sharedPath('samples', name));
const parse = (format: string, input: Uint8Array | string, defaultTimezone = 'UTC', window?: { start: Date; end: Date }) =>
  importFormatById(format)!.parse(input, { defaultTimezone, window });

async function text(chunks: AsyncIterable<Uint8Array | string>): Promise<string> {
  const decoder = new TextDecoder();
  let out = '';
  for await (const chunk of chunks) out += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

const EXPORTS: Record<string, (input: CalendarInput) => Promise<string>> = {
  pentabarf: (input) => text(serializePentabarf(input)),
  'frab-json': (input) => text(serializeFrabJson(input)),
  ical: (input) => renderToString('ical', input),
  xcal: (input) => renderToString('xcal', input),
  jcal: (input) => renderToString('jcal', input),
};

describe('shared samples', () => {
  it('reads 31C3 frab XML with its non-UUID guids, local times with their offset, and the day past midnight', () => {
    const schedule = parse('pentabarf', sample('frab-31c3.xml'));
    expect(schedule.sessions).toHaveLength(138);
    expect(schedule.skipped).toEqual([]);
    expect(schedule.rooms).toEqual(['Saal 1', 'Saal 2', 'Saal G', 'Saal 6']);
    const opening = schedule.sessions.find((s) => s.title === '31C3 Opening Event')!;
    expect(opening.startsAt.toISOString()).toBe('2014-12-27T10:00:00.000Z');
    expect(opening.endsAt.toISOString()).toBe('2014-12-27T10:30:00.000Z');
    expect(opening.speakers.map((s) => s.name)).toEqual(['erdgeist', 'Geraldine de Bastion']);
    expect(schedule.sessions.some((s) => s.sourceId === 'guid:HOqeNIb6G7M4hYFKFRkCmQ')).toBe(true);
    // A session after midnight, on the day before's schedule, keeps the instant its date states.
    expect(schedule.sessions.filter((s) => s.startsAt.toISOString() === '2014-12-27T23:00:00.000Z')).toHaveLength(1);
    expect(new Set(schedule.sessions.map((s) => s.sourceId)).size).toBe(138);
  });

  it.each([
    ['frab-camp2019.json', 79, 'Europe/Berlin'],
    ['pretalx-rc3.json', 48, null],
    ['pretalx-democon.json', 36, 'UTC'],
  ])('reads %s: %i sessions', (file, count, timezone) => {
    const schedule = parse('frab-json', sample(file));
    expect(schedule.sessions).toHaveLength(count);
    expect(schedule.skipped).toEqual([]);
    expect(schedule.timezone).toBe(timezone);
    for (const s of schedule.sessions) expect(s.endsAt.getTime()).toBeGreaterThan(s.startsAt.getTime());
  });

  it('keeps one speaker identity per person: pretalx codes, frab ids', () => {
    const rc3 = parse('frab-json', sample('pretalx-rc3.json'));
    expect(rc3.sessions[0]!.speakers[0]!.sourceId).toMatch(/^code:/);
    const camp = parse('frab-json', sample('frab-camp2019.json'));
    const opening = camp.sessions.find((s) => s.title === 'Opening Ceremony')!;
    expect(opening.startsAt.toISOString()).toBe('2019-08-21T09:00:00.000Z');
    expect(opening.speakers).toEqual([{ sourceId: 'id:7797', name: 'jinxx' }, { sourceId: 'id:4827', name: 'smtw' }]);
  });

  it('reads frab times without an offset in the conference zone, a start before the day’s start on the next date', () => {
    const xml = `<schedule><conference><title>T</title><time_zone_name>Europe/Berlin</time_zone_name></conference>
      <day index="1" date="2025-03-10" start="2025-03-10T10:00:00+01:00" end="2025-03-11T04:00:00+01:00"><room name="A">
      <event id="1"><start>11:00</start><duration>00:30</duration><title>Morning</title></event>
      <event id="2"><start>01:30</start><duration>1:00</duration><title>Night</title></event>
      <event guid="3"><date>2025-03-10T20:00:00</date><start>20:00</start><duration>00:45</duration><title>Evening</title></event>
      </room></day></schedule>`;
    const schedule = parse('pentabarf', xml);
    expect(schedule.sessions.map((s) => [s.sourceId, s.startsAt.toISOString(), s.endsAt.toISOString(), s.room])).toEqual([
      ['id:1', '2025-03-10T10:00:00.000Z', '2025-03-10T10:30:00.000Z', 'A'],
      ['id:2', '2025-03-11T00:30:00.000Z', '2025-03-11T01:30:00.000Z', 'A'],
      ['guid:3', '2025-03-10T19:00:00.000Z', '2025-03-10T19:45:00.000Z', 'A'],
    ]);
  });

  it('guesses the format from the first bytes, then the name', () => {
    expect(guessImportFormat('x.xml', '<?xml version="1.0"?><schedule>')?.id).toBe('pentabarf');
    expect(guessImportFormat(null, '<icalendar xmlns="urn:ietf:params:xml:ns:icalendar-2.0">')?.id).toBe('xcal');
    expect(guessImportFormat(null, 'BEGIN:VCALENDAR\r\n')?.id).toBe('ical');
    expect(guessImportFormat(null, '["vcalendar",[],[]]')?.id).toBe('jcal');
    expect(guessImportFormat(null, '{"schedule":{}}')?.id).toBe('frab-json');
    expect(guessImportFormat('a.ics', '')?.id).toBe('ical');
  });
});

// A schedule with what every format carries: tracks with colours, rooms, types, shared speakers, a session past
// midnight, one across a DST change (Berlin, 30 March 2025), links.
function richSessions(): CalendarSession[] {
  const speakers = [{ id: 7, name: 'Ada Lovelace' }, { id: 8, name: 'Grace Hopper' }, { id: 9, name: 'Émilie du Châtelet' }];
  const main = { id: 1, name: 'Main', color: '#336699' };
  const security = { id: 2, name: 'Security & Privacy', color: '#aa0000' };
  const hall = { id: 1, name: 'Hall A' };
  const lab = { id: 2, name: 'Lab <2>' };
  const talk = { id: 1, name: 'Talk' };
  const workshop = { id: 2, name: 'Workshop' };
  return [
    session({ id: 101, title: 'Keynote', track: main, room: hall, sessionType: talk, speakers: [speakers[0]!] }),
    session({
      id: 102, title: 'Breaking “crypto”', subtitle: 'and mending it', track: security, room: lab, sessionType: workshop,
      startsAt: new Date('2025-03-10T10:00:00Z'), endsAt: new Date('2025-03-10T11:30:00Z'), speakers: [speakers[0]!, speakers[1]!],
      videoUrl: 'https://video.example.org/102', slidesUrl: 'https://slides.example.org/102.pdf',
    }),
    session({ id: 103, title: 'Night owls', track: main, room: hall, sessionType: talk, startsAt: new Date('2025-03-10T23:30:00Z'), endsAt: new Date('2025-03-11T00:15:00Z'), speakers: [speakers[2]!] }),
    session({ id: 104, title: 'Over the clock change', track: main, room: lab, sessionType: talk, startsAt: new Date('2025-03-30T00:30:00Z'), endsAt: new Date('2025-03-30T01:30:00Z'), speakers: [] }),
  ];
}

function rich(sessions = richSessions()): CalendarInput {
  return calendarInput(sessions, {
    event: event({ endsAt: new Date('2025-03-31T18:00:00Z') }),
    tracks: [{ id: 1, name: 'Main', color: '#336699' }, { id: 2, name: 'Security & Privacy', color: '#aa0000' }],
    rooms: [{ id: 1, name: 'Hall A' }, { id: 2, name: 'Lab <2>' }],
  });
}

/** What every format keeps of a session. */
function essence(schedule: ImportedSchedule) {
  return schedule.sessions
    .map((s) => ({ title: s.title, start: s.startsAt.toISOString(), end: s.endsAt.toISOString(), room: s.room, track: s.track, speakers: s.speakers.map((p) => p.name) }))
    .sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title));
}

function expectedEssence(sessions: CalendarSession[]) {
  return sessions
    .map((s) => ({ title: s.title, start: s.startsAt!.toISOString(), end: s.endsAt!.toISOString(), room: s.room?.name ?? null, track: s.track?.name ?? null, speakers: s.speakers.map((p) => p.name) }))
    .sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title));
}

describe('reading back what openevent exports', () => {
  it.each(Object.keys(EXPORTS))('%s: the same titles, times, rooms, tracks and speakers', async (format) => {
    const sessions = richSessions();
    const schedule = parse(format, await EXPORTS[format]!(rich(sessions)), 'Europe/Berlin');
    expect(schedule.skipped).toEqual([]);
    expect(essence(schedule)).toEqual(expectedEssence(sessions));
    // Identities are stable: the same file read twice gives the same source ids.
    const again = parse(format, await EXPORTS[format]!(rich(richSessions())), 'Europe/Berlin');
    expect(again.sessions.map((s) => s.sourceId)).toEqual(schedule.sessions.map((s) => s.sourceId));
  });

  it.each(['pentabarf', 'frab-json'])('%s keeps subtitle, type, language, links and track colours', async (format) => {
    const schedule = parse(format, await EXPORTS[format]!(rich()), 'Europe/Berlin');
    const crypto = schedule.sessions.find((s) => s.title === 'Breaking “crypto”')!;
    expect(crypto).toMatchObject({ subtitle: 'and mending it', type: 'Workshop', language: 'en', videoUrl: 'https://video.example.org/102', slidesUrl: 'https://slides.example.org/102.pdf' });
    expect(schedule.tracks).toEqual([{ name: 'Main', color: '#336699' }, { name: 'Security & Privacy', color: '#aa0000' }]);
    expect(schedule.timezone).toBe('Europe/Berlin');
  });

  it.each(['ical', 'xcal', 'jcal'])('%s keeps the type as the second category', async (format) => {
    const schedule = parse(format, await EXPORTS[format]!(rich()), 'Europe/Berlin');
    expect(schedule.sessions.find((s) => s.title === 'Breaking “crypto”')!.type).toBe('Workshop');
  });

  // Titles of any Unicode (no control characters, as the exporters drop those) come back unchanged.
  const title = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((s) => s.trim() === s && s !== '' && !/[\u0000-\u001F\u007F\uFFFE\uFFFF]/.test(s));
  it.each(Object.keys(EXPORTS))('%s: titles of any Unicode survive the round trip', async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.array(title, { minLength: 1, maxLength: 4 }), async (titles) => {
        const sessions = titles.map((t, i) =>
          session({ id: 200 + i, title: t, startsAt: new Date(Date.UTC(2025, 2, 10, 8 + i)), endsAt: new Date(Date.UTC(2025, 2, 10, 9 + i)) }),
        );
        const schedule = parse(format, await EXPORTS[format]!(rich(sessions)), 'Europe/Berlin');
        expect(schedule.sessions.map((s) => s.title).sort()).toEqual([...titles].sort());
      }),
      { numRuns: 40 },
    );
  });
});

describe('iCalendar specifics', () => {
  const ics = (body: string, head = '') =>
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${head}${body}END:VCALENDAR\r\n`;
  const vevent = (lines: string) => `BEGIN:VEVENT\r\n${lines}END:VEVENT\r\n`;

  it('reads UTC, zoned and floating times', () => {
    const schedule = parse(
      'ical',
      ics(
        vevent('UID:a\r\nSUMMARY:UTC\r\nDTSTART:20250310T080000Z\r\nDTEND:20250310T090000Z\r\n') +
          vevent('UID:b\r\nSUMMARY:Zoned\r\nDTSTART;TZID=America/New_York:20250310T080000\r\nDURATION:PT45M\r\n') +
          vevent('UID:c\r\nSUMMARY:Floating\r\nDTSTART:20250310T080000\r\nDTEND:20250310T083000\r\n'),
      ),
      'Europe/Berlin',
    );
    expect(schedule.sessions.map((s) => [s.title, s.startsAt.toISOString(), s.endsAt.toISOString()])).toEqual([
      ['UTC', '2025-03-10T08:00:00.000Z', '2025-03-10T09:00:00.000Z'],
      ['Zoned', '2025-03-10T12:00:00.000Z', '2025-03-10T12:45:00.000Z'],
      ['Floating', '2025-03-10T07:00:00.000Z', '2025-03-10T07:30:00.000Z'],
    ]);
  });

  it('reads a non-IANA TZID by its VTIMEZONE', () => {
    const vtimezone =
      'BEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';
    const schedule = parse('ical', ics(vevent('UID:a\r\nSUMMARY:x\r\nDTSTART;TZID=Custom Zone:20250310T100000\r\nDTEND;TZID=Custom Zone:20250310T110000\r\n'), vtimezone));
    expect(schedule.sessions[0]!.startsAt.toISOString()).toBe('2025-03-10T04:30:00.000Z');
  });

  it('refuses an unknown time zone, naming the entry', () => {
    expect(() => parse('ical', ics(vevent('UID:zz\r\nSUMMARY:x\r\nDTSTART;TZID=Mars/Olympus:20250310T100000\r\nDTEND;TZID=Mars/Olympus:20250310T110000\r\n')))).toThrow(
      /Unknown time zone "Mars\/Olympus".*UID zz/,
    );
  });

  it('skips entries ending before they start, all-day entries and entries without UID, saying why', () => {
    const schedule = parse(
      'ical',
      ics(
        vevent('UID:a\r\nSUMMARY:Backwards\r\nDTSTART:20250310T100000Z\r\nDTEND:20250310T090000Z\r\n') +
          vevent('UID:b\r\nSUMMARY:All day\r\nDTSTART;VALUE=DATE:20250310\r\nDTEND;VALUE=DATE:20250311\r\n') +
          vevent('SUMMARY:No uid\r\nDTSTART:20250310T100000Z\r\nDTEND:20250310T110000Z\r\n'),
      ),
    );
    expect(schedule.sessions).toEqual([]);
    expect(schedule.skipped.map((s) => s.reason)).toEqual([
      'it ends before it starts',
      'it is an all-day entry, not a session with times',
      'it has no UID, so a later import could not find it again',
    ]);
  });

  it('expands a recurring entry within the event’s dates only, with an override, or refuses without dates', () => {
    const file = ics(
      vevent('UID:r\r\nSUMMARY:Daily standup\r\nDTSTART;TZID=Europe/Berlin:20250310T090000\r\nDTEND;TZID=Europe/Berlin:20250310T091500\r\nRRULE:FREQ=DAILY\r\nEXDATE;TZID=Europe/Berlin:20250311T090000\r\n') +
        vevent('UID:r\r\nRECURRENCE-ID;TZID=Europe/Berlin:20250312T090000\r\nSUMMARY:Long standup\r\nDTSTART;TZID=Europe/Berlin:20250312T100000\r\nDTEND;TZID=Europe/Berlin:20250312T110000\r\n'),
    );
    const window = { start: new Date('2025-03-10T00:00:00Z'), end: new Date('2025-03-13T23:00:00Z') };
    const schedule = parse('ical', file, 'UTC', window);
    expect(schedule.sessions.map((s) => [s.title, s.startsAt.toISOString()])).toEqual([
      ['Daily standup', '2025-03-10T08:00:00.000Z'],
      ['Long standup', '2025-03-12T09:00:00.000Z'],
      ['Daily standup', '2025-03-13T08:00:00.000Z'],
    ]);
    expect(new Set(schedule.sessions.map((s) => s.sourceId)).size).toBe(3);
    expect(() => parse('ical', file)).toThrow(/recurring entry .* can only be expanded within an event’s dates/);
  });

  it('refuses a file with more sessions than one import takes', () => {
    let body = '';
    for (let i = 0; i <= IMPORT_LIMITS.maxSessions; i++) body += vevent(`UID:${i}\r\nSUMMARY:s\r\nDTSTART:20250310T100000Z\r\nDTEND:20250310T110000Z\r\n`);
    expect(() => parse('ical', ics(body))).toThrow(/more than 20000 sessions/);
  });
});

describe('hostile and broken files', () => {
  it('refuses a DTD: no entity expansion (billion laughs), no external entities', () => {
    const laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<schedule>&lol2;</schedule>';
    expect(() => parse('pentabarf', laughs)).toThrow(/declares a DTD/);
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<icalendar>&xxe;</icalendar>';
    expect(() => parse('xcal', xxe)).toThrow(/declares a DTD/);
    // Without a DTD, an entity reference is just an error.
    expect(() => parse('pentabarf', '<schedule>\n<x>&xxe;</x></schedule>')).toThrow(/undefined entity.*line 2/);
  });

  it('bounds nesting depth and file size', () => {
    const deep = `<schedule>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</schedule>`;
    expect(() => parse('pentabarf', deep)).toThrow(/nests deeper than 64/);
    const big = new Uint8Array(IMPORT_LIMITS.maxBytes + 1);
    expect(() => parse('frab-json', big)).toThrow(/larger than 20 MB/);
  });

  it('names the line of malformed XML and JSON', () => {
    expect(() => parse('pentabarf', '<schedule>\n<day>\n</schedule>')).toThrow(/not well-formed XML.*\(line 3\)/);
    expect(() => parse('frab-json', '{\n"schedule": {\n"conference": [,]\n}}')).toThrow(/not valid JSON.*line 3/);
    expect(() => parse('ical', 'hello')).toThrow(ImportError);
    expect(() => parse('jcal', '{"a":1}')).toThrow(/holds no VCALENDAR/);
  });

  it('refuses a file of another format with what it found', () => {
    expect(() => parse('pentabarf', '<icalendar/>')).toThrow(/root element is <icalendar>/);
    expect(() => parse('xcal', '<schedule/>')).toThrow(/root element is <schedule>/);
    expect(() => parse('frab-json', '["vcalendar",[],[]]')).toThrow(/no schedule.conference/);
  });

  it('refuses an unknown time zone in frab files and skips sessions ending before they start', () => {
    expect(() => parse('frab-json', JSON.stringify({ schedule: { conference: { time_zone_name: 'Nowhere/Land', days: [] } } }))).toThrow(/Unknown time zone "Nowhere\/Land"/);
    const schedule = parse(
      'frab-json',
      JSON.stringify({ schedule: { conference: { days: [{ date: '2025-03-10', rooms: { A: [{ guid: 'g', title: 't', date: '2025-03-10T10:00:00+01:00', duration: '-01:00' }] } }] } } }),
    );
    expect(schedule.skipped).toEqual([{ where: 'days[0].rooms["A"][0] (guid g)', reason: 'its duration "-01:00" is not HH:MM' }]);
  });
});
