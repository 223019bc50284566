// The neutral schedule model every import format reads into (frab/Pentabarf XML, frab/pretalx JSON, iCalendar,
// xCal, jCal), and the one the writer (domain/schedule-import.ts) turns into tracks, rooms, types, speakers and
// sessions. Like the calendar library, the parsers in this folder are pure: bytes in, this model out; no
// database, no HTTP.
import type { SessionState } from '../calendar/model.ts';

export interface ImportedTrack {
  name: string;
  /** `#rrggbb`, or null when the source gives none. */
  color: string | null;
}

/** One person of the source: one speaker record per person per event. */
export interface ImportedPerson {
  /** How the source identifies the person (`guid:…`, `id:…`, `uri:…`), or `name:<name>` when it has nothing else. */
  sourceId: string;
  name: string;
}

export interface ImportedSession {
  /** How the source identifies the session (frab guid, iCalendar UID): what a re-import matches on. */
  sourceId: string;
  title: string;
  subtitle: string | null;
  abstract: string | null;
  description: string | null;
  language: string | null;
  startsAt: Date;
  endsAt: Date;
  state: SessionState;
  track: string | null;
  room: string | null;
  type: string | null;
  speakers: ImportedPerson[];
  videoUrl: string | null;
  audioUrl: string | null;
  slidesUrl: string | null;
  /** Where in the file it was (`line 12`, `<event guid="…">`), for messages. */
  where: string;
}

export interface Skipped {
  where: string;
  reason: string;
}

export interface ImportedSchedule {
  format: string;
  /** The conference's name, where the source has one (used when an import creates the event). */
  title: string | null;
  /** IANA time zone the source states, or null. */
  timezone: string | null;
  /** Tracks the source lists up front (with colours); tracks named only by sessions are added by the writer. */
  tracks: ImportedTrack[];
  /** Rooms the source lists up front, in its order. */
  rooms: string[];
  sessions: ImportedSession[];
  /** Entries of the file that are not sessions here, with why. */
  skipped: Skipped[];
}

export interface ParseOptions {
  /** The zone for local times the source does not place (floating iCalendar times, frab without offsets). */
  defaultTimezone: string;
  /** The importing event's dates: recurring iCalendar entries are expanded within them (refused without them). */
  window?: { start: Date; end: Date };
}

/** A file that cannot be imported; `where` names the line or element. Shown to the user as is. */
export class ImportError extends Error {
  readonly where: string | null;
  constructor(message: string, where: string | null = null) {
    super(where ? `${message} (${where})` : message);
    this.name = 'ImportError';
    this.where = where;
  }
}

/** Bounds on what one import reads, so a hostile file is refused instead of taking the server down. */
export const IMPORT_LIMITS = {
  /** Bytes of one file. */
  maxBytes: 20 * 1024 * 1024,
  /** Sessions (after expanding recurrences). */
  maxSessions: 20_000,
  /** Occurrences one recurring iCalendar entry may expand into. */
  maxOccurrences: 1_000,
  /** Nesting of XML elements. */
  maxXmlDepth: 64,
  /** Elements of one XML file. */
  maxXmlElements: 2_000_000,
  /** Speakers of one session. */
  maxSpeakersPerSession: 200,
};

/** Turns bytes into text, refusing what is too big or not UTF-8. */
export function decodeText(input: Uint8Array | string): string {
  if (typeof input === 'string') {
    if (input.length > IMPORT_LIMITS.maxBytes) throw tooBig();
    return input.replace(/^\uFEFF/, '');
  }
  if (input.byteLength > IMPORT_LIMITS.maxBytes) throw tooBig();
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    throw new ImportError('The file is not UTF-8 text');
  }
}

function tooBig(): ImportError {
  return new ImportError(`The file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB, the most one import reads`);
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Trimmed text without control characters; null when nothing is left. */
export function cleanText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).replace(CONTROL, '').trim();
  return text === '' ? null : text;
}

/** `#rrggbb` (lowercase) from `#RGB`/`#RRGGBB`, or null. */
export function cleanColor(value: unknown): string | null {
  const text = cleanText(value);
  if (!text) return null;
  if (/^#[0-9a-f]{6}$/i.test(text)) return text.toLowerCase();
  if (/^#[0-9a-f]{3}$/i.test(text)) return `#${[...text.slice(1)].map((c) => c + c).join('')}`.toLowerCase();
  return null;
}

/** An http(s) URL, or null. */
export function httpUrl(value: unknown): string | null {
  const text = cleanText(value);
  return text && /^https?:\/\/\S+$/i.test(text) ? text : null;
}

export function checkSessionCount(count: number): void {
  if (count > IMPORT_LIMITS.maxSessions) {
    throw new ImportError(`The file holds more than ${IMPORT_LIMITS.maxSessions} sessions, the most one import takes`);
  }
}
