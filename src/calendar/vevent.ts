// One session as a VEVENT, the same properties in every format. Runs once per session: work that does not depend
// on the session is done once per export (`EventContext`), and the properties that repeat from session to session
// (DTSTAMP, STATUS, room, track and type, speakers) are written once and then copied (`Repeats`).
import type { Params } from './design.ts';
import type { CalendarEvent, CalendarSession, CalendarSpeaker } from './model.ts';
import { calendarText, plainText } from './text.ts';
import type { ZoneRules } from './timezones.ts';
import { sessionUrl, speakerUrl } from './urls.ts';
import type { CalendarWriter } from './writer.ts';

export interface EventContext {
  event: CalendarEvent;
  zone: ZoneRules;
  /** `{ tzid }`, one object for every local DATE-TIME (writers cache what they make of it). */
  tzParams: Params;
  uidSuffix: string;
  /** DTSTAMP of every VEVENT: the generation time. */
  stamp: number;
  repeats: Repeats;
}

/** For a session that `isExportable` accepted. */
export function writeSession(w: CalendarWriter, ctx: EventContext, s: CalendarSession): void {
  const { repeats } = ctx;
  w.begin('vevent');
  w.property('uid', `${s.id}${ctx.uidSuffix}`);
  // From here on no property is the first of its component, so the bytes written for one (a jCal separator
  // included) are right for any session.
  repeats.constant(w, 'dtstamp', () => w.dateTime('dtstamp', ctx.stamp, true));
  const start = (s.startsAt as Date).getTime();
  const end = (s.endsAt as Date).getTime();
  writeTime(w, ctx, 'dtstart', start);
  // DTEND must be after DTSTART (RFC 5545 §3.8.2.2); without it a timed event lasts no time, as it should.
  // Never DURATION: DTEND says it, and both together are invalid.
  if (Math.floor(end / 1000) > Math.floor(start / 1000)) writeTime(w, ctx, 'dtend', end);
  // Writers leave out a text property that is empty (libical, in Evolution…, reports `DESCRIPTION:` as an error).
  w.property('summary', s.title);
  w.property('description', description(s));
  if (s.room?.name) repeats.room(w, s.room.name);
  const track = s.track?.name ?? '';
  const type = s.sessionType?.name ?? '';
  if (track || type) repeats.categories(w, track, type);
  w.property('url', sessionUrl(ctx.event, s));
  repeats.constant(w, 'status', () => w.property('status', 'CONFIRMED'));
  w.property('sequence', String(Math.max(0, Math.trunc(s.sequence) || 0)));
  // Optional properties: an invalid date (not from our database, but possible from elsewhere) is left out.
  const created = s.createdAt.getTime();
  const modified = s.lastModifiedAt.getTime();
  if (Number.isFinite(created)) w.dateTime('created', created, true);
  if (Number.isFinite(modified)) w.dateTime('last-modified', modified, true);
  for (const speaker of s.speakers) repeats.speaker(w, ctx, speaker);
  w.end('vevent');
}

function writeTime(w: CalendarWriter, ctx: EventContext, name: 'dtstart' | 'dtend', ms: number): void {
  const wall = ctx.zone.wallTime(ms);
  if (Number.isNaN(wall)) w.dateTime(name, ms, true);
  else w.dateTime(name, wall, false, ctx.tzParams);
}

/** The abstract as plain text; the long one follows the short one when the organizer wrote both. */
export function description(s: Pick<CalendarSession, 'shortAbstract' | 'longAbstract'>): string {
  const short = s.shortAbstract ? plainText(s.shortAbstract) : '';
  const long = s.longAbstract ? plainText(s.longAbstract) : '';
  if (!long || long === short) return short;
  if (!short) return long;
  // Both: compare and join them as they will be written, so no blank line leads.
  const a = calendarText(short);
  const b = calendarText(long);
  return a && b && a !== b ? `${a}\n\n${b}` : a || b;
}

/** Bounded: an event with more distinct rooms, speakers… than this just formats some of them again. */
const REPEATS_LIMIT = 10_000;

/** The bytes of properties that recur across sessions, written once per export and then copied. */
export class Repeats {
  private readonly constants = new Map<string, Uint8Array>();
  private readonly rooms = new Map<string, Uint8Array>();
  // Keyed by the names themselves (no key string built per session): track, then type.
  private readonly tracks = new Map<string, Map<string, Uint8Array>>();
  private readonly speakers = new Map<number, { name: string; bytes: Uint8Array }>();

  constant(w: CalendarWriter, key: string, emit: () => void): void {
    const bytes = this.constants.get(key);
    if (bytes) w.sink.bytes(bytes);
    else remember(this.constants, key, capture(w, emit));
  }

  room(w: CalendarWriter, name: string): void {
    const bytes = this.rooms.get(name);
    if (bytes) w.sink.bytes(bytes);
    else remember(this.rooms, name, capture(w, () => w.property('location', name)));
  }

  /** Track, then session type: one CATEGORIES with one or two values. */
  categories(w: CalendarWriter, track: string, type: string): void {
    let byType = this.tracks.get(track);
    const bytes = byType?.get(type);
    if (bytes) {
      w.sink.bytes(bytes);
      return;
    }
    const made = capture(w, () => {
      if (!track || !type || track === type) w.texts('categories', [track || type]);
      else if (calendarText(track).endsWith('\\')) {
        // ical.js (Thunderbird) takes any comma after a backslash for an escaped one, `\\,` too: a track whose
        // name ends in a backslash gets a CATEGORIES of its own.
        w.texts('categories', [track]);
        w.texts('categories', [type]);
      } else w.texts('categories', [track, type]);
    });
    if (!byType) {
      if (this.tracks.size >= REPEATS_LIMIT) this.tracks.clear();
      this.tracks.set(track, (byType = new Map()));
    }
    remember(byType, type, made);
  }

  /** Speakers by name; their page stands for them, never their email address. */
  speaker(w: CalendarWriter, ctx: EventContext, speaker: CalendarSpeaker): void {
    const known = this.speakers.get(speaker.id);
    if (known && known.name === speaker.name) {
      w.sink.bytes(known.bytes);
      return;
    }
    const bytes = capture(w, () =>
      w.property('attendee', speakerUrl(ctx.event, speaker), speaker.name ? { cn: speaker.name } : undefined),
    );
    if (bytes) remember(this.speakers, speaker.id, { name: speaker.name, bytes });
  }
}

/** What `emit` writes, if it landed in one chunk (a chunk handed out in between holds its beginning). */
function capture(w: CalendarWriter, emit: () => void): Uint8Array | null {
  const { sink } = w;
  const buf = sink.buf;
  const start = sink.pos;
  emit();
  return sink.buf === buf ? buf.slice(start, sink.pos) : null;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V | null): void {
  if (value === null) return;
  if (cache.size >= REPEATS_LIMIT) cache.clear();
  cache.set(key, value);
}
