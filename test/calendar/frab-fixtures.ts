// Builders shared by the Pentabarf XML and frab JSON tests: calendar inputs made by hand or from the published
// frab/pretalx schedules in ../shared/samples, and the schema check.
import { readFileSync } from 'node:fs';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { validateXML } from 'xmllint-wasm';
import type {
  CalendarEvent,
  CalendarInput,
  CalendarRoom,
  CalendarSession,
  CalendarSessionType,
  CalendarTrack,
} from '../../src/calendar/model.ts';
import { sharedPath } from '../support/shared.ts';

export async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

export async function validateSchedule(xml: string) {
  const schema = readFileSync(sharedPath('standards', 'frab', 'schedule.xml.xsd'), 'utf8');
  return validateXML({
    xml: { fileName: 'schedule.xml', contents: xml },
    schema: { fileName: 'schedule.xml.xsd', contents: schema },
    maxMemoryPages: 1024,
  });
}

export function parseXml(xml: string) {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

/** Text of the first child element `name` of `parent`, or null. */
export function childText(parent: Element, name: string): string | null {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).tagName === name) return node.textContent ?? '';
  }
  return null;
}

export function children(parent: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).tagName === name) out.push(node as Element);
  }
  return out;
}

export function makeEvent(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: 1,
    identifier: 'abcd1234',
    name: 'Test Conference',
    timezone: 'Europe/Berlin',
    description: null,
    locationName: null,
    startsAt: new Date('2024-06-01T07:00:00Z'),
    endsAt: new Date('2024-06-02T20:00:00Z'),
    logoUrl: null,
    url: 'https://events.example.org/e/abcd1234',
    ...over,
  };
}

export function makeSession(over: Partial<CalendarSession> & { id: number }): CalendarSession {
  return {
    title: `Session ${over.id}`,
    subtitle: null,
    shortAbstract: null,
    longAbstract: null,
    language: null,
    level: null,
    state: 'accepted',
    startsAt: new Date('2024-06-01T08:00:00Z'),
    endsAt: new Date('2024-06-01T09:00:00Z'),
    deletedAt: null,
    createdAt: new Date('2024-01-01T00:00:00Z'),
    lastModifiedAt: new Date('2024-02-01T00:00:00Z'),
    sequence: 0,
    slidesUrl: null,
    videoUrl: null,
    audioUrl: null,
    track: null,
    room: null,
    sessionType: null,
    speakers: [],
    ...over,
  };
}

export function makeInput(over: Partial<CalendarInput> & { sessions: CalendarInput['sessions'] }): CalendarInput {
  return {
    event: makeEvent(),
    tracks: [],
    rooms: [],
    generatedAt: new Date('2024-05-01T00:00:00Z'),
    baseUrl: 'https://events.example.org',
    ...over,
  };
}

/** One event of a published schedule.json, as far as the tests compare it. */
export interface SampleEvent {
  id: number;
  guid: string;
  date: string;
  start: string;
  duration: string;
  room: string;
  title: string;
  subtitle: string | null;
  track: string | null;
  type: string | null;
  language: string | null;
  abstract: string | null;
  description: string | null;
  persons: { id: number; public_name: string }[];
  dayIndex: number;
}

export interface Sample {
  json: any;
  events: SampleEvent[];
  input: CalendarInput;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** A calendar input with the sample's events, rooms, tracks and speakers (ids kept), in its zone. */
export function loadSample(file: string, timezone?: string): Sample {
  const json = JSON.parse(readFileSync(sharedPath('samples', file), 'utf8'));
  const conference = json.schedule.conference;
  const tz: string = timezone ?? conference.time_zone_name;
  const events: SampleEvent[] = [];
  for (const day of conference.days) {
    for (const roomEvents of Object.values(day.rooms) as any[][]) {
      for (const e of roomEvents) events.push({ ...e, dayIndex: day.index });
    }
  }
  const rooms = new Map<string, CalendarRoom>();
  const tracks = new Map<string, CalendarTrack>();
  const types = new Map<string, CalendarSessionType>();
  const byName = <T>(map: Map<string, T>, name: string | null, make: (id: number) => T): T | null => {
    if (!name) return null;
    if (!map.has(name)) map.set(name, make(map.size + 1));
    return map.get(name)!;
  };
  const sessions: CalendarSession[] = events.map((e) => {
    const startsAt = new Date(e.date);
    return makeSession({
      id: e.id,
      title: e.title,
      subtitle: e.subtitle || null,
      shortAbstract: e.abstract,
      longAbstract: e.description,
      language: e.language,
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes(e.duration) * 60_000),
      room: byName(rooms, e.room, (id) => ({ id, name: e.room })),
      track: byName(tracks, e.track, (id) => ({ id, name: e.track!, color: `#${(id * 0x203040).toString(16).padStart(6, '0').slice(-6)}` })),
      sessionType: byName(types, e.type, (id) => ({ id, name: e.type! })),
      speakers: e.persons.map((p) => ({ id: p.id, name: p.public_name })),
    });
  });
  const days = conference.days;
  const input = makeInput({
    event: makeEvent({
      identifier: conference.acronym.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8),
      name: conference.title,
      timezone: tz,
      startsAt: new Date(days[0].day_start),
      endsAt: new Date(days[days.length - 1].day_end),
      url: json.schedule.base_url.replace(/\/$/, ''),
    }),
    sessions,
    rooms: [...rooms.values()],
    tracks: [...tracks.values()],
  });
  return { json, events, input };
}
