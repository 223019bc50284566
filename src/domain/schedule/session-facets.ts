// What the public session pages offer to filter by: the days that have sessions and the languages
// sessions are given in (OES's /sessions/dates and /sessions/languages), and the session states with
// the changes each side may make (OES's /sessions/states).
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { sessions } from '../../db/schema/index.ts';
import type { EventAccess } from '../access.ts';
import { visibleWhere } from '../event-child/read.ts';
import { sessionModel } from './sessions.ts';

/**
 * The days with a scheduled accepted or confirmed session (as OES counts them), `YYYY-MM-DD` in the
 * event's time zone: a talk at 00:30 in Tokyo is on the Tokyo day, not the UTC one.
 */
export async function sessionDates(db: Database, access: EventAccess): Promise<string[]> {
  const day = sql<string>`to_char(${sessions.startsAt} AT TIME ZONE ${access.event.timezone}, 'YYYY-MM-DD')`;
  const rows = await db
    .selectDistinct({ day })
    .from(sessions)
    .where(
      and(
        eq(sessions.eventId, access.event.id),
        isNull(sessions.deletedAt),
        isNotNull(sessions.startsAt),
        sql`${sessions.state} IN ('accepted', 'confirmed')`,
      ),
    );
  // Sorted here: PostgreSQL would not match an ORDER BY on the same expression with its own parameter to the DISTINCT list.
  return rows.map((row) => row.day).sort();
}

/** The languages of the sessions this viewer may see, sorted, each once. */
export async function sessionLanguages(db: Database, access: EventAccess): Promise<string[]> {
  const rows = await db
    .selectDistinct({ language: sessions.language })
    .from(sessions)
    .where(and(eq(sessions.eventId, access.event.id), isNotNull(sessions.language), visibleWhere(sessionModel, access)))
    .orderBy(asc(sessions.language));
  return rows.map((row) => row.language!);
}

/**
 * OES's map of session states: for organizers and for speakers, the states a session in each state
 * may move to. OES's client reads it to offer the state menu.
 */
export const SESSION_STATE_CHANGES = {
  organizer: {
    draft: {},
    pending: { withdrawn: true, accepted: true, rejected: true, confirmed: true },
    accepted: { pending: true, withdrawn: true, rejected: true, confirmed: true, canceled: true },
    confirmed: { pending: true, withdrawn: true, accepted: true, rejected: true, canceled: true },
    rejected: { pending: true, withdrawn: true, accepted: true, confirmed: true },
    canceled: { pending: true, withdrawn: true, accepted: true, rejected: true, confirmed: true },
    withdrawn: { pending: true, withdrawn: true, accepted: true, rejected: true, canceled: true },
  },
  speaker: {
    draft: { pending: true },
    pending: { withdrawn: true },
    accepted: { withdrawn: true },
    confirmed: { withdrawn: true },
    rejected: { withdrawn: true },
    canceled: { withdrawn: true },
    withdrawn: {},
  },
} as const;
