// "My schedule": the sessions a user marked, and the secret token behind their personal calendar feed.
// A user may mark a session they can see; the feed holds those they may still see (published sessions of
// public events, or any of their own team's events). The token is the only handle on someone's feed:
// rotating it kills the old URL at once.
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { calendarTokens, eventRoles, events, favouriteSessions, sessions } from '../db/schema/index.ts';
import { PUBLISHED_SESSION_STATES } from '../calendar/schedule.ts';
import { eventAccess } from './access.ts';
import { ConflictError, InvalidError, NotFoundError } from './errors.ts';
import type { User } from './users.ts';

export type Favourite = typeof favouriteSessions.$inferSelect;
export type CalendarToken = typeof calendarTokens.$inferSelect;

/** Marks a session; 422 for a session the user cannot see, 409 when it is marked already. */
export async function addFavourite(db: Queryable, user: User, sessionId: string | undefined): Promise<Favourite> {
  const field = { relationship: 'session' };
  if (!sessionId || !/^[1-9]\d{0,9}$/.test(sessionId)) throw new InvalidError('Name the session to add', field);
  const [session] = await db.select().from(sessions).where(and(eq(sessions.id, Number(sessionId)), isNull(sessions.deletedAt)));
  const access = session ? await eventAccess(db, session.eventId, user) : null;
  const visible = session && access?.canRead && (access.isTeam || (PUBLISHED_SESSION_STATES as readonly string[]).includes(session.state));
  if (!visible) throw new InvalidError(`No session ${sessionId}`, field);
  const [favourite] = await db.insert(favouriteSessions).values({ userId: user.id, sessionId: session.id }).onConflictDoNothing().returning();
  if (!favourite) throw new ConflictError(`Session ${session.id} is already in your schedule`, field);
  return favourite;
}

/** Unmarks; someone else's favourite does not exist for you. */
export async function removeFavourite(db: Queryable, user: User, id: number): Promise<void> {
  const removed = await db
    .delete(favouriteSessions)
    .where(and(eq(favouriteSessions.id, id), eq(favouriteSessions.userId, user.id)))
    .returning({ id: favouriteSessions.id });
  if (removed.length === 0) throw new NotFoundError('Not found');
}

/** One of the user's own marks; someone else's does not exist for them. */
export async function findFavourite(db: Queryable, user: User, id: number): Promise<Favourite> {
  const [favourite] = await db.select().from(favouriteSessions).where(and(eq(favouriteSessions.id, id), eq(favouriteSessions.userId, user.id)));
  if (!favourite) throw new NotFoundError('Not found');
  return favourite;
}

export function listFavourites(db: Queryable, user: User, page: { size: number; number: number }): Promise<Page<Favourite>> {
  const where = eq(favouriteSessions.userId, user.id);
  return listPage(
    db.select().from(favouriteSessions).where(where).orderBy(asc(favouriteSessions.id)).limit(page.size).offset((page.number - 1) * page.size),
    db.select({ n: count() }).from(favouriteSessions).where(where),
  );
}

const newToken = () => randomBytes(32).toString('base64url');

/** The user's feed token, made on first use. */
export async function calendarTokenOf(db: Queryable, user: User): Promise<CalendarToken> {
  await db.insert(calendarTokens).values({ userId: user.id, token: newToken() }).onConflictDoNothing();
  const [row] = await db.select().from(calendarTokens).where(eq(calendarTokens.userId, user.id));
  return row!;
}

/** A new feed token: the old URL stops working at once. */
export async function rotateCalendarToken(db: Queryable, user: User): Promise<CalendarToken> {
  const token = newToken();
  const [row] = await db
    .insert(calendarTokens)
    .values({ userId: user.id, token })
    .onConflictDoUpdate({ target: calendarTokens.userId, set: { token, createdAt: new Date() } })
    .returning();
  return row!;
}

export async function calendarTokenByValue(db: Queryable, token: string): Promise<CalendarToken | null> {
  const [row] = await db.select().from(calendarTokens).where(eq(calendarTokens.token, token));
  return row ?? null;
}

export interface FeedFavourite {
  sessionId: number;
  eventId: number;
  version: number;
  updatedAt: Date;
}

/** The user's favourites they may still see: published sessions of public events, or of their own events. */
export async function favouritesForFeed(db: Queryable, userId: number): Promise<FeedFavourite[]> {
  const onTeam = sql`EXISTS (SELECT 1 FROM ${eventRoles} WHERE ${eventRoles.eventId} = ${events.id} AND ${eventRoles.userId} = ${userId} AND ${eventRoles.deletedAt} IS NULL)`;
  return db
    .select({ sessionId: sessions.id, eventId: events.id, version: events.scheduleVersion, updatedAt: events.scheduleUpdatedAt })
    .from(favouriteSessions)
    .innerJoin(sessions, eq(sessions.id, favouriteSessions.sessionId))
    .innerJoin(events, eq(events.id, sessions.eventId))
    .where(
      and(
        eq(favouriteSessions.userId, userId),
        isNull(sessions.deletedAt),
        inArray(sessions.state, [...PUBLISHED_SESSION_STATES]),
        isNull(events.deletedAt),
        or(and(eq(events.state, 'published'), eq(events.privacy, 'public')), onTeam),
      ),
    )
    .orderBy(events.id, sessions.id);
}

/** The user's own marks on these sessions (one at most per session). */
export async function favouritesOn(db: Queryable, user: User, sessionIds: readonly number[]): Promise<Favourite[]> {
  if (sessionIds.length === 0) return [];
  return db
    .select()
    .from(favouriteSessions)
    .where(and(eq(favouriteSessions.userId, user.id), inArray(favouriteSessions.sessionId, [...sessionIds])))
    .orderBy(asc(favouriteSessions.id));
}

/** How many people marked each of these sessions (OES's `favourite-count`); sessions nobody marked are absent. */
export async function favouriteCounts(db: Queryable, sessionIds: readonly number[]): Promise<Map<number, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: favouriteSessions.sessionId, n: count() })
    .from(favouriteSessions)
    .where(inArray(favouriteSessions.sessionId, [...sessionIds]))
    .groupBy(favouriteSessions.sessionId);
  return new Map(rows.map((row) => [row.sessionId, Number(row.n)]));
}

/** The user's own marks with these ids (anyone else's do not exist for them). */
export async function favouritesByIds(db: Queryable, user: User, ids: readonly number[]): Promise<Favourite[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(favouriteSessions)
    .where(and(eq(favouriteSessions.userId, user.id), inArray(favouriteSessions.id, [...ids])))
    .orderBy(asc(favouriteSessions.id));
}
