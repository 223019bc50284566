// Sessions show their track, room and type in every calendar entry: when one of those is renamed the
// sessions get a new SEQUENCE so calendar clients refresh them, and when one is deleted it is taken
// off them (the session stays, without it).
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.ts';
import { sessions } from '../../db/schema/index.ts';

/** The columns of a session that point at a track, a room or a session type. */
export type SessionGrouping = 'trackId' | 'microlocationId' | 'sessionTypeId';

export async function detachSessions(db: Queryable, grouping: SessionGrouping, id: number, change: 'update' | 'delete'): Promise<void> {
  await db
    .update(sessions)
    .set({
      ...(change === 'delete' ? { [grouping]: null } : {}),
      sequence: sql`${sessions.sequence} + 1`,
      lastModifiedAt: new Date(),
    })
    .where(eq(sessions[grouping], id));
}
