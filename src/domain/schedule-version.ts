// Every change to an event's schedule (sessions, speakers, tracks, rooms, session types) bumps the
// event's schedule version in the same transaction. Feeds and exports key their caches on it, so a
// change is never missed and an unchanged schedule is never rendered twice.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { events, sessions } from '../db/schema/index.ts';
import { EventEmitter } from 'node:events';

/** Emits 'changing' with an event id when this process is about to commit a change to that event. */
export const scheduleChanges = new EventEmitter();
scheduleChanges.setMaxListeners(0);

export async function touchSchedule(db: Queryable, eventId: number, changes: Partial<typeof events.$inferInsert> = {}): Promise<void> {
  // Before the commit: this process's feed cache stops trusting what it holds for the event.
  scheduleChanges.emit('changing', eventId);
  await db
    .update(events)
    .set({ ...changes, scheduleVersion: sql`${events.scheduleVersion} + 1`, scheduleUpdatedAt: new Date() })
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
