// Every change to an event's schedule (sessions, speakers, tracks, rooms, session types) bumps the
// event's schedule version in the same transaction. Feeds and exports key their caches on it, so a
// change is never missed and an unchanged schedule is never rendered twice.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { events, sessions } from '../db/schema/index.ts';

export async function touchSchedule(db: Queryable, eventId: number): Promise<void> {
  await db
    .update(events)
    .set({ scheduleVersion: sql`${events.scheduleVersion} + 1`, scheduleUpdatedAt: new Date() })
    .where(eq(events.id, eventId));
}

/**
 * Sessions whose calendar entry changed without being edited themselves (their speaker was renamed,
 * their room removed): a new SEQUENCE and LAST-MODIFIED make calendar clients pick up the change.
 */
export async function touchSessions(db: Queryable, sessionIds: readonly number[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .update(sessions)
    .set({ sequence: sql`${sessions.sequence} + 1`, lastModifiedAt: new Date() })
    .where(inArray(sessions.id, [...sessionIds]));
}
