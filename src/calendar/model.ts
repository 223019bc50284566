// The one input model of the calendar library. Every serializer (xCal, iCalendar, jCal, Pentabarf,
// frab JSON) reads this and nothing else; the database layer and the tests build it. It imports nothing
// of ours, so the library stays pure: no database, no HTTP.

export type SessionState =
  | 'draft'
  | 'pending'
  | 'accepted'
  | 'confirmed'
  | 'rejected'
  | 'withdrawn'
  | 'canceled';

export interface CalendarTrack {
  id: number;
  name: string;
  /** `#rrggbb`, or null when the organizer set none. */
  color: string | null;
}

export interface CalendarRoom {
  id: number;
  name: string;
}

export interface CalendarSessionType {
  id: number;
  name: string;
}

/** Speakers are exported by name only: their email and phone never reach a calendar file. */
export interface CalendarSpeaker {
  id: number;
  name: string;
}

export interface CalendarSession {
  id: number;
  title: string;
  subtitle: string | null;
  /** May hold HTML, as organizers type it in the API; serializers turn it into plain text. */
  shortAbstract: string | null;
  longAbstract: string | null;
  language: string | null;
  level: string | null;
  state: SessionState;
  startsAt: Date | null;
  endsAt: Date | null;
  deletedAt: Date | null;
  createdAt: Date;
  /** The session's last change (itself, or its speakers/track/room/type as they appear here). */
  lastModifiedAt: Date;
  /** Grows by one on every change, so calendar clients replace their copy (iCalendar SEQUENCE). */
  sequence: number;
  slidesUrl: string | null;
  videoUrl: string | null;
  audioUrl: string | null;
  track: CalendarTrack | null;
  room: CalendarRoom | null;
  sessionType: CalendarSessionType | null;
  speakers: CalendarSpeaker[];
}

export interface CalendarEvent {
  id: number;
  /** 8 lowercase alphanumerics, unique per server; part of every UID. */
  identifier: string;
  name: string;
  /** IANA zone name, e.g. `Europe/Berlin`; `UTC` for events without a local zone. */
  timezone: string;
  description: string | null;
  locationName: string | null;
  startsAt: Date;
  endsAt: Date;
  logoUrl: string | null;
  /** Absolute public URL of the event page. */
  url: string;
}

export type SessionSource = Iterable<CalendarSession> | AsyncIterable<CalendarSession>;

export interface CalendarInput {
  event: CalendarEvent;
  /** Sessions in any order the caller likes (the database streams them by start time). */
  sessions: SessionSource;
  /** All of the event's tracks and rooms (small lists), for formats that describe them up front. */
  tracks: CalendarTrack[];
  rooms: CalendarRoom[];
  /** When this file is generated: DTSTAMP of every VEVENT. */
  generatedAt: Date;
  /** The server's public base URL, e.g. `https://events.example.org`; its host goes into UIDs. */
  baseUrl: string;
  /** How often subscribers should refresh, in minutes (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
  refreshIntervalMinutes?: number;
  /** Changes whenever the schedule changes (Pentabarf `<version>`). */
  scheduleVersion?: string;
  /** Who made the file (iCalendar PRODID, e.g. `-//openevent//openevent 1.2.0//EN`); the caller knows its version. */
  productId?: string;
}
