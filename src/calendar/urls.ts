// Public addresses and identifiers of what an export describes, built in one place so every format (and the
// HTTP feeds) link to the same pages and give a session the same identity.
import type { CalendarEvent, CalendarSession, CalendarSpeaker } from './model.ts';

function eventBase(event: CalendarEvent): string {
  return event.url.endsWith('/') ? event.url.slice(0, -1) : event.url;
}

/** The session's public page. */
export function sessionUrl(event: CalendarEvent, session: Pick<CalendarSession, 'id'>): string {
  return `${eventBase(event)}/sessions/${session.id}`;
}

/** The speaker's public page: what identifies a speaker in a calendar instead of their email address. */
export function speakerUrl(event: CalendarEvent, speaker: Pick<CalendarSpeaker, 'id'>): string {
  return `${eventBase(event)}/speakers/${speaker.id}`;
}

/**
 * What follows the session id in its UID: `-<event identifier>@<server host>`. The id is unique per server, the
 * identifier per server, the host worldwide, so UIDs are globally unique and stable across exports.
 */
export function uidSuffix(event: CalendarEvent, baseUrl: string): string {
  return `-${event.identifier}@${new URL(baseUrl).hostname}`;
}

/** `<session id>-<event identifier>@<host>`, e.g. `1042-b8f3c2a1@events.example.org` (iCalendar UID). */
export function sessionUid(event: CalendarEvent, session: Pick<CalendarSession, 'id'>, baseUrl: string): string {
  return `${session.id}${uidSuffix(event, baseUrl)}`;
}
