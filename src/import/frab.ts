// What frab's schedule XML and its JSON twin share: one session as frab describes it, turned into the import
// model. Times are read as the file states them: `date` with its offset (the day's offset in a zone with
// daylight saving time); a `date` without one, or only the day's date and `start`, are local times of the
// conference's zone, and a start before the day's own start (01:00 of a day that runs to 04:00) is the next
// calendar day's, still on its schedule day.
import { zoneClock, type ZoneClock } from '../calendar/local-time.ts';
import { isKnownZone } from './zones.ts';
import {
  IMPORT_LIMITS,
  ImportError,
  cleanText,
  httpUrl,
  type ImportedPerson,
  type ImportedSession,
  type Skipped,
} from './model.ts';

export interface FrabPersonIn {
  id?: unknown;
  guid?: unknown;
  code?: unknown;
  name?: unknown;
}

export interface FrabLinkIn {
  url?: unknown;
  title?: unknown;
  type?: unknown;
}

export interface FrabEventIn {
  guid?: unknown;
  id?: unknown;
  date?: unknown;
  start?: unknown;
  duration?: unknown;
  room?: unknown;
  title?: unknown;
  subtitle?: unknown;
  track?: unknown;
  type?: unknown;
  language?: unknown;
  abstract?: unknown;
  description?: unknown;
  persons: FrabPersonIn[];
  links: FrabLinkIn[];
  attachments: FrabLinkIn[];
  /** The enclosing day's `date` and `start`, and the enclosing room's name. */
  dayDate?: unknown;
  dayStart?: unknown;
  roomName?: unknown;
  where: string;
}

const OFFSET_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DURATION = /^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?::(\d{2}))?$/;

/** The conference's zone for local times: the one the file names, else the event's. */
export function frabZone(named: unknown, defaultTimezone: string, where: string): { clock: ZoneClock; named: string | null } {
  const name = cleanText(named);
  if (name) {
    if (!isKnownZone(name)) throw new ImportError(`Unknown time zone ${JSON.stringify(name)}`, where);
    return { clock: zoneClock(name), named: name };
  }
  return { clock: zoneClock(defaultTimezone), named: null };
}

function validInstant(ms: number): number | null {
  return Number.isFinite(ms) && ms > Date.UTC(1900, 0, 1) && ms < Date.UTC(2200, 0, 1) ? ms : null;
}

function wallMs(y: string, mo: string, d: string, h: string, mi: string, s: string | undefined): number | null {
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) return null;
  return validInstant(ms);
}

/** An ISO date-time with offset, as an instant; null when it is not one. */
export function offsetInstant(value: string): number | null {
  const m = OFFSET_ISO.exec(value);
  if (!m) return null;
  const wall = wallMs(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (wall === null) return null;
  if (m[7] === 'Z') return wall;
  const sign = m[7]![0] === '-' ? -1 : 1;
  const digits = m[7]!.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return validInstant(wall - offset);
}

/** Minutes of a frab `duration` (`HH:MM`, `H:MM:SS`, `D:HH:MM`). */
export function durationMinutes(value: string): number | null {
  const m = DURATION.exec(value);
  if (!m) return null;
  return Number(m[1] ?? 0) * 24 * 60 + Number(m[2]) * 60 + Number(m[3]) + Math.round(Number(m[4] ?? 0) / 60);
}

function startOf(e: FrabEventIn, zone: ZoneClock): number | null {
  const date = cleanText(e.date);
  if (date) {
    const withOffset = offsetInstant(date);
    if (withOffset !== null) return withOffset;
    const local = LOCAL_ISO.exec(date);
    if (local) {
      const wall = wallMs(local[1]!, local[2]!, local[3]!, local[4]!, local[5]!, local[6]);
      return wall === null ? null : zone.toUtc(wall);
    }
  }
  const day = DATE.exec(cleanText(e.dayDate) ?? '');
  const clock = CLOCK.exec(cleanText(e.start) ?? '');
  if (!day || !clock) return null;
  let wall = wallMs(day[1]!, day[2]!, day[3]!, clock[1]!.padStart(2, '0'), clock[2]!, clock[3]);
  if (wall === null) return null;
  // A day that runs past midnight: a start earlier than the day's own start belongs to the next calendar date.
  const dayStart = cleanText(e.dayStart);
  const dayStartMs = dayStart ? offsetInstant(dayStart) : null;
  if (dayStartMs !== null) {
    const dayStartWall = dayStartMs + zone.offsetMinutes(dayStartMs) * 60_000;
    if (wall < dayStartWall) wall += 86_400_000;
  }
  return zone.toUtc(wall);
}

function personOf(p: FrabPersonIn): ImportedPerson | null {
  const name = cleanText(p.name);
  if (!name) return null;
  const guid = cleanText(p.guid);
  const code = cleanText(p.code);
  const id = cleanText(p.id);
  const sourceId = guid ? `guid:${guid}` : code ? `code:${code}` : id ? `id:${id}` : `name:${name.toLowerCase()}`;
  return { sourceId, name };
}

function linkKind(link: FrabLinkIn, attachment: boolean): 'video' | 'audio' | 'slides' | null {
  const hint = `${cleanText(link.type) ?? ''} ${cleanText(link.title) ?? ''}`.toLowerCase();
  if (/\bvideo\b|recording/.test(hint)) return 'video';
  if (/\baudio\b/.test(hint)) return 'audio';
  if (/slide/.test(hint) || attachment) return 'slides';
  return null;
}

/** The session, or why it is skipped. */
export function frabSession(e: FrabEventIn, zone: ZoneClock): ImportedSession | Skipped {
  const where = e.where;
  const guid = cleanText(e.guid);
  const id = cleanText(e.id);
  if (!guid && !id) return { where, reason: 'it has neither a guid nor an id, so a later import could not find it again' };
  const title = cleanText(e.title);
  if (!title) return { where, reason: 'it has no title' };
  const start = startOf(e, zone);
  if (start === null) return { where, reason: `its date ${JSON.stringify(cleanText(e.date) ?? cleanText(e.start) ?? '')} is not a date and time` };
  const minutes = durationMinutes(cleanText(e.duration) ?? '');
  if (minutes === null) return { where, reason: `its duration ${JSON.stringify(cleanText(e.duration) ?? '')} is not HH:MM` };
  if (minutes === 0) return { where, reason: 'its duration is 00:00' };

  const speakers: ImportedPerson[] = [];
  const seen = new Set<string>();
  for (const p of e.persons.slice(0, IMPORT_LIMITS.maxSpeakersPerSession)) {
    const person = personOf(p);
    if (person && !seen.has(person.sourceId)) {
      seen.add(person.sourceId);
      speakers.push(person);
    }
  }
  const urls: Record<'video' | 'audio' | 'slides', string | null> = { video: null, audio: null, slides: null };
  for (const [list, attachment] of [[e.links, false], [e.attachments, true]] as const) {
    for (const link of list) {
      const url = httpUrl(link.url);
      const kind = linkKind(link, attachment);
      if (url && kind && !urls[kind]) urls[kind] = url;
    }
  }
  return {
    sourceId: guid ? `guid:${guid}` : `id:${id}`,
    title,
    subtitle: cleanText(e.subtitle),
    abstract: cleanText(e.abstract),
    description: cleanText(e.description),
    language: cleanText(e.language),
    startsAt: new Date(start),
    endsAt: new Date(start + minutes * 60_000),
    state: 'accepted',
    track: cleanText(e.track),
    room: cleanText(e.room) ?? cleanText(e.roomName),
    type: cleanText(e.type),
    speakers,
    videoUrl: urls.video,
    audioUrl: urls.audio,
    slidesUrl: urls.slides,
    where,
  };
}

export function isSkipped(value: ImportedSession | Skipped): value is Skipped {
  return 'reason' in value && !('sourceId' in value);
}
