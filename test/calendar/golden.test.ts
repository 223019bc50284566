// Golden files: the Chaos Communication Camp 2019 schedule (../shared/samples/frab-camp2019.json, 79 talks in
// Europe/Berlin) in each format, generated at a fixed time. A change to any serializer shows here line by line.
// After an intended change: UPDATE_GOLDEN=1 npx vitest run test/calendar/golden.test.ts, and review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarFormats, renderToString, type CalendarFormatId } from '../../src/calendar/formats.ts';
import type { CalendarInput, CalendarSession } from '../../src/calendar/model.ts';
import { version } from '../../src/version.ts';
import { sharedDir, sharedPath } from '../support/shared.ts';
import { expectedCalendar, parseIcal, readBack, validateXcal, xcalChecks, xcalToJcal } from './support.ts';

interface FrabEvent {
  id: number;
  date: string;
  duration: string;
  room: string;
  title: string;
  subtitle: string;
  track: string;
  type: string;
  language: string;
  abstract: string;
  description: string;
  persons: { id: number; public_name: string }[];
}

/** The frab schedule as our model: rooms, tracks and types numbered in order of appearance. */
function camp2019(): CalendarInput & { sessions: CalendarSession[] } {
  const schedule = JSON.parse(readFileSync(sharedPath('samples', 'frab-camp2019.json'), 'utf8')).schedule;
  const conference = schedule.conference;
  const numbered = <T extends { name: string }>(make: (id: number, name: string) => T) => {
    const byName = new Map<string, T>();
    return (name: string) => {
      let o = byName.get(name);
      if (!o) byName.set(name, (o = make(byName.size + 1, name)));
      return o;
    };
  };
  const room = numbered((id, name) => ({ id, name }));
  const track = numbered((id, name) => ({ id, name, color: null }));
  const type = numbered((id, name) => ({ id, name }));
  const events: FrabEvent[] = conference.days.flatMap((day: { rooms: Record<string, FrabEvent[]> }) =>
    Object.values(day.rooms).flat(),
  );
  const sessions = events.map((e): CalendarSession => {
    const start = new Date(e.date);
    const [h, m] = e.duration.split(':').map(Number);
    return {
      id: e.id,
      title: e.title,
      subtitle: e.subtitle || null,
      shortAbstract: e.abstract || null,
      longAbstract: e.description || null,
      language: e.language,
      level: null,
      state: 'confirmed',
      startsAt: start,
      endsAt: new Date(start.getTime() + (h * 60 + m) * 60_000),
      deletedAt: null,
      createdAt: new Date('2019-06-01T10:00:00Z'),
      lastModifiedAt: new Date('2019-08-01T10:00:00Z'),
      sequence: 1,
      slidesUrl: null,
      videoUrl: null,
      audioUrl: null,
      track: e.track ? track(e.track) : null,
      room: room(e.room),
      sessionType: type(e.type),
      speakers: e.persons.map((p) => ({ id: p.id, name: p.public_name })),
    };
  });
  return {
    event: {
      id: 2019,
      identifier: 'camp2019',
      name: conference.title,
      timezone: conference.time_zone_name,
      description: 'The <b>Chaos Communication Camp</b> is an international, five-day open-air event for hackers &amp; associated life-forms.',
      locationName: 'Ziegeleipark Mildenberg',
      startsAt: new Date(`${conference.start}T00:00:00+02:00`),
      endsAt: new Date(`${conference.end}T23:59:59+02:00`),
      logoUrl: null,
      url: 'https://events.example.org/e/camp2019',
    },
    sessions,
    tracks: [],
    rooms: [],
    generatedAt: new Date('2019-08-15T12:00:00Z'),
    baseUrl: 'https://events.example.org',
    refreshIntervalMinutes: 30,
    productId: `-//openevent//openevent ${version}//EN`,
  };
}

// The package version is in PRODID: a release should not change the golden files.
const withoutVersion = (text: string) => text.replaceAll(`openevent ${version}//EN`, 'openevent VERSION//EN');

describe.skipIf(!sharedDir)('golden files (frab-camp2019.json)', () => {
  it.each(Object.keys(calendarFormats) as CalendarFormatId[])('%s matches its golden file', async (format) => {
    const file = join(import.meta.dirname, 'golden', `camp2019.${calendarFormats[format].extension}`);
    const text = withoutVersion(await renderToString(format, camp2019()));
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('is valid and reads back as the schedule', async () => {
    const input = camp2019();
    expect(input.sessions).toHaveLength(79);
    const [ics, xcs] = await Promise.all([renderToString('ical', input), renderToString('xcal', input)]);
    expect(await validateXcal([xcs])).toEqual([]);
    expect(xcalChecks(xcs)).toEqual([]);
    const expected = expectedCalendar(input);
    expect(readBack(parseIcal(ics))).toEqual(expected);
    expect(readBack(xcalToJcal(xcs))).toEqual(expected);
  });
});
