// The schedule as the frab formats see it (Pentabarf XML and its frab JSON twin): sessions grouped into days of
// the event's time zone and into the rooms used on each day, with stable GUIDs. Both formats build it here and
// differ only in how they write one session and the frame around them.
//
// Days must be known before the first `<day>` is written and a day's sessions are grouped by room, so this step
// reads the whole session source before anything is written. It keeps only what the output needs: each session
// is rendered to its final fragment (escaped XML or JSON) as it arrives, and the session object is released; the
// buffer is about the size of the output itself.
import { createHash } from 'node:crypto';
import { slugify } from './frab-text.ts';
import { dropXmlForbidden, htmlToPlainText } from './plain-text.ts';
import { DAY_MS, MINUTE_MS, formatDayNumber, formatLocalIso, localMs, pad2, zoneClock } from './local-time.ts';
import type { CalendarInput, CalendarRoom, CalendarTrack } from './model.ts';
import { isExportable } from './schedule.ts';
import { sessionUrl } from './urls.ts';
import { uuidNamespace, uuidV5 } from './uuid.ts';

export interface FrabOptions {
  /** Local time (`HH:MM`) at which one schedule day ends and the next begins, so that a 01:00 late-night session
   *  stays on the evening's day. Default `04:00`. */
  dayChange?: string;
  /** Name of the room that holds sessions without one. Default `Unassigned`. */
  unassignedRoomName?: string;
  /** Grid of the schedule (`HH:MM`), for apps that draw a timetable. Default `00:15`. */
  timeslotDuration?: string;
}

export const DEFAULT_DAY_CHANGE = '04:00';
export const DEFAULT_UNASSIGNED_ROOM = 'Unassigned';
const DEFAULT_TIMESLOT = '00:15';

/** The frab `duration` pattern allows two hour digits; longer sessions are written as 99:59. */
const MAX_DURATION_MINUTES = 99 * 60 + 59;

// Fixed forever: every guid of every export derives from it. Changing it would make apps see new sessions.
const GUID_NAMESPACE = uuidNamespace('348d51b5-d94b-4c28-8faa-e59f513232b2');

export interface FrabPerson {
  id: number;
  guid: string;
  name: string;
}

export interface FrabLink {
  url: string;
  title: string;
  type: string;
}

/** One session with every value computed and stripped of forbidden characters, not yet escaped. */
export interface FrabEvent {
  id: number;
  guid: string;
  /** Start in the event's zone with its offset, e.g. `2019-08-21T11:00:00+02:00`. */
  date: string;
  /** Local `HH:MM`. */
  start: string;
  /** `HH:MM`. */
  duration: string;
  room: string;
  slug: string;
  /** The session's public page, or null when the event URL is not http(s). */
  url: string | null;
  title: string;
  subtitle: string;
  track: string;
  type: string;
  language: string;
  abstract: string;
  description: string;
  persons: FrabPerson[];
  links: FrabLink[];
  attachments: FrabLink[];
}

export interface FrabRoom {
  name: string;
  guid: string;
  /** Rendered sessions, by start time. */
  events: string[];
}

export interface FrabDay {
  index: number;
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  /** Day-change instants bounding the day, with offset. */
  start: string;
  end: string;
  /** Only the rooms used on this day, in the event's room order. */
  rooms: FrabRoom[];
}

export interface FrabTrack {
  name: string;
  color: string | null;
  slug: string | null;
}

export interface FrabConference {
  title: string;
  acronym: string;
  /** First and last day, `YYYY-MM-DD`. */
  start: string;
  end: string;
  days: number;
  timeslotDuration: string;
  timeZoneName: string;
  baseUrl: string | null;
  url: string | null;
  logo: string | null;
  tracks: FrabTrack[];
  /** Every room used by an exported session, in the event's room order. */
  rooms: { name: string; guid: string }[];
}

export interface FrabSchedule {
  version: string;
  conference: FrabConference;
  days: FrabDay[];
}

export type FrabRenderer = (event: FrabEvent) => string;

interface RoomSlot {
  name: string;
  guid: string;
  rank: number;
}

interface Placed {
  day: number;
  room: RoomSlot;
  start: number;
  id: number;
  sequence: number;
  modified: number;
  fragment: string;
}

function parseClockOption(value: string, name: string): number {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(value);
  if (!match) throw new RangeError(`${name} must be HH:MM, got ${JSON.stringify(value)}`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

function httpUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? dropXmlForbidden(url) : null;
}

/** The frab schema wants `[a-z0-9_-]{4,}`; an 8-character identifier always is, this only guards odd input. */
function acronymOf(identifier: string): string {
  return identifier.toLowerCase().replace(/[^a-z0-9_-]/g, '_').padEnd(4, '_');
}

function hhmm(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

export async function buildFrabSchedule(
  input: CalendarInput,
  options: FrabOptions,
  render: FrabRenderer,
): Promise<FrabSchedule> {
  const { event } = input;
  const dayChange = parseClockOption(options.dayChange ?? DEFAULT_DAY_CHANGE, 'dayChange');
  const timeslotDuration = options.timeslotDuration ?? DEFAULT_TIMESLOT;
  parseClockOption(timeslotDuration, 'timeslotDuration');
  const unassignedName = options.unassignedRoomName ?? DEFAULT_UNASSIGNED_ROOM;
  const clock = zoneClock(event.timezone);
  const acronym = acronymOf(event.identifier);
  const slugPrefix = acronym.replaceAll('-', '_');
  const guidSuffix = `@${event.identifier}`;
  const dayOf = (utcMs: number) => Math.floor((localMs(clock, utcMs) - dayChange) / DAY_MS);

  // Rooms come from the sessions; the event's room list only gives their order. Two rooms never share a name
  // (the JSON twin keys rooms by name, apps often do too): a later one with a taken name gets a number. The
  // event's own rooms claim their names first, in list order, so the names they get do not depend on the sessions.
  const takenNames = new Set<string>();
  const uniqueName = (raw: string): string => {
    const name = dropXmlForbidden(raw);
    let unique = name;
    for (let n = 2; takenNames.has(unique); n++) unique = `${name} (${n})`;
    takenNames.add(unique);
    return unique;
  };
  const listed = new Map<number, { name: string; rank: number }>();
  input.rooms.forEach((room, rank) => {
    if (!listed.has(room.id)) listed.set(room.id, { name: uniqueName(room.name), rank });
  });
  const rooms = new Map<number | 'unassigned', RoomSlot>();
  let extraRank = input.rooms.length;
  const roomSlot = (room: CalendarRoom | null): RoomSlot => {
    const key = room ? room.id : 'unassigned';
    let slot = rooms.get(key);
    if (!slot) {
      const known = room && listed.get(room.id);
      slot = {
        name: known ? known.name : uniqueName(room ? room.name : unassignedName),
        guid: uuidV5(GUID_NAMESPACE, `room:${key}${guidSuffix}`),
        // Sessions without a room come last: that room is the organizer's to-do list, not a venue.
        rank: known ? known.rank : room ? extraRank++ : Number.MAX_SAFE_INTEGER,
      };
      rooms.set(key, slot);
    }
    return slot;
  };

  const tracks = new Map<number, FrabTrack>();
  const addTrack = (track: CalendarTrack) => {
    if (tracks.has(track.id)) return;
    const name = dropXmlForbidden(track.name);
    const slug = slugify(name, '-');
    tracks.set(track.id, {
      name,
      color: track.color && /^#[0-9a-f]{6}$/i.test(track.color) ? track.color.toLowerCase() : null,
      slug: /^[a-z][a-z0-9-]+$/.test(slug) ? slug : null,
    });
  };
  input.tracks.forEach(addTrack);

  const personGuids = new Map<number, string>();
  const person = (id: number, name: string): FrabPerson => {
    let guid = personGuids.get(id);
    if (guid === undefined) {
      guid = uuidV5(GUID_NAMESPACE, `person:${id}${guidSuffix}`);
      personGuids.set(id, guid);
    }
    return { id, guid, name: dropXmlForbidden(name) };
  };

  const placed: Placed[] = [];
  for await (const session of input.sessions) {
    if (!isExportable(session)) continue;
    const start = session.startsAt!.getTime();
    const end = session.endsAt!.getTime();
    const local = localMs(clock, start);
    const room = roomSlot(session.room);
    if (session.track) addTrack(session.track);
    const minutes = Math.min(MAX_DURATION_MINUTES, Math.max(0, Math.round((end - start) / MINUTE_MS)));
    const title = dropXmlForbidden(session.title);
    const links: FrabLink[] = [];
    const videoUrl = httpUrl(session.videoUrl);
    if (videoUrl) links.push({ url: videoUrl, title: 'Video', type: 'video' });
    const audioUrl = httpUrl(session.audioUrl);
    if (audioUrl) links.push({ url: audioUrl, title: 'Audio', type: 'audio' });
    const slidesUrl = httpUrl(session.slidesUrl);
    const fragment = render({
      id: session.id,
      guid: uuidV5(GUID_NAMESPACE, `session:${session.id}${guidSuffix}`),
      date: formatLocalIso(clock, start),
      start: hhmm(Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS)),
      duration: hhmm(minutes),
      room: room.name,
      // The XSD wants `[a-z0-9_]{4,}-[a-z0-9_-]{4,}`: a one-letter title of a session with a one-digit id
      // needs padding, in front, as the JSON schema wants the slug to end in a letter or digit.
      slug: `${slugPrefix}-${`${session.id}-${slugify(title, '_') || 'session'}`.padStart(4, '_')}`,
      url: httpUrl(sessionUrl(event, session)),
      title,
      subtitle: dropXmlForbidden(session.subtitle ?? ''),
      track: session.track ? dropXmlForbidden(session.track.name) : '',
      type: session.sessionType ? dropXmlForbidden(session.sessionType.name) : '',
      language: dropXmlForbidden(session.language ?? ''),
      abstract: htmlToPlainText(session.shortAbstract ?? ''),
      description: htmlToPlainText(session.longAbstract ?? ''),
      persons: session.speakers.map((speaker) => person(speaker.id, speaker.name)),
      links,
      attachments: slidesUrl ? [{ url: slidesUrl, title: 'Slides', type: 'slides' }] : [],
    });
    placed.push({
      day: Math.floor((local - dayChange) / DAY_MS),
      room,
      start,
      id: session.id,
      sequence: session.sequence,
      modified: session.lastModifiedAt.getTime(),
      fragment,
    });
  }
  placed.sort((a, b) => a.day - b.day || a.room.rank - b.room.rank || a.start - b.start || a.id - b.id);

  // Every day from the event's first to its last, widened to any session outside them: `days` counts exactly
  // the `<day>` elements, and an event without sessions still has its days (the schema wants at least one).
  const eventStart = event.startsAt.getTime();
  let firstDay = dayOf(eventStart);
  let lastDay = Math.max(firstDay, dayOf(Math.max(eventStart, event.endsAt.getTime() - 1)));
  if (placed.length > 0) {
    firstDay = Math.min(firstDay, placed[0].day);
    lastDay = Math.max(lastDay, placed[placed.length - 1].day);
  }
  const days: FrabDay[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    days.push({
      index: day - firstDay + 1,
      date: formatDayNumber(day),
      start: formatLocalIso(clock, clock.toUtc(day * DAY_MS + dayChange)),
      end: formatLocalIso(clock, clock.toUtc((day + 1) * DAY_MS + dayChange)),
      rooms: [],
    });
  }
  let room: FrabRoom | null = null;
  let previous: Placed | null = null;
  for (const p of placed) {
    if (!previous || previous.day !== p.day || previous.room !== p.room) {
      room = { name: p.room.name, guid: p.room.guid, events: [] };
      days[p.day - firstDay].rooms.push(room);
    }
    room!.events.push(p.fragment);
    previous = p;
  }

  const baseUrl = httpUrl(event.url);
  return {
    version: dropXmlForbidden(input.scheduleVersion ?? contentVersion(input, options, placed)),
    conference: {
      title: dropXmlForbidden(event.name),
      acronym,
      start: formatDayNumber(firstDay),
      end: formatDayNumber(lastDay),
      days: days.length,
      timeslotDuration,
      timeZoneName: event.timezone,
      baseUrl: baseUrl && (baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`),
      url: baseUrl,
      logo: httpUrl(event.logoUrl),
      tracks: [...tracks.values()],
      rooms: [...rooms.values()].sort((a, b) => a.rank - b.rank).map(({ name, guid }) => ({ name, guid })),
    },
    days,
  };
}

/** A version for callers that pass none: it changes when any exported session, the event or its tracks change
 *  (each session's `sequence`/`lastModifiedAt` covers its speakers, track, room and type). */
function contentVersion(input: CalendarInput, options: FrabOptions, placed: Placed[]): string {
  const { event } = input;
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      event.id, event.name, event.timezone, event.url, event.logoUrl,
      event.startsAt.getTime(), event.endsAt.getTime(),
      input.tracks.map((t) => [t.id, t.name, t.color]),
      input.rooms.map((r) => [r.id, r.name]),
      options.dayChange, options.unassignedRoomName, options.timeslotDuration,
    ]),
  );
  // `placed` is sorted, so the hash does not depend on the order the source yielded sessions in.
  for (const p of placed) hash.update(`\n${p.id}:${p.sequence}:${p.modified}`);
  return hash.digest('hex').slice(0, 16);
}
