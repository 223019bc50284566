// Which sessions a schedule export contains: the one rule every format applies (xCal, iCalendar, jCal, Pentabarf,
// frab JSON), so no two exports of the same event disagree (OES filtered differently per format).
import type { CalendarSession } from './model.ts';

/** The session states a published schedule shows. The API's public view and the database queries use it too. */
export const PUBLISHED_SESSION_STATES = ['accepted', 'confirmed'] as const;

/**
 * Accepted or confirmed, not deleted, and placed in time: a valid start and an end that is not before it.
 * Sessions without a slot are still being planned, and a calendar entry cannot exist without its times.
 */
export function isExportable(session: CalendarSession): boolean {
  if (!(PUBLISHED_SESSION_STATES as readonly string[]).includes(session.state)) return false;
  if (session.deletedAt !== null) return false;
  const { startsAt, endsAt } = session;
  if (startsAt === null || endsAt === null) return false;
  const start = startsAt.getTime();
  const end = endsAt.getTime();
  return Number.isFinite(start) && Number.isFinite(end) && end >= start;
}
