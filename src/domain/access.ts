// Who may see and change what of an event. One place decides it; routes, feeds and exports ask here.
//
// - owner, organizer, coorganizer and admins: everything of the event, read and write;
// - track_organizer: reads everything, writes sessions;
// - registrar and moderator: read everything; registrars also see orders and attendees and check
//   attendees in (canRegister);
// - anyone else: only published, public, not deleted events, and of those only what the public
//   schedule shows. What they may not see does not exist for them (404), so existence never leaks.
import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { eventRoles, events, type RoleName } from '../db/schema/index.ts';
import type { User } from './users.ts';

export type Event = typeof events.$inferSelect;

export interface EventAccess {
  event: Event;
  roles: ReadonlySet<RoleName>;
  /** Who is asking (null: nobody signed in); what is their own (a speaker's proposals) depends on it. */
  user: User | null;
  isAdmin: boolean;
  /** May see the event at all (public, or any role, or admin). */
  canRead: boolean;
  /** May see unpublished data: draft sessions, comments, speakers' contact details, deleted rows. */
  isTeam: boolean;
  /** May change the event, its tracks, rooms, types, speakers and roles. */
  canManage: boolean;
  /** May change sessions. */
  canEditSessions: boolean;
  /** May see the event's orders and attendees, check attendees in and export them: managers and registrars. */
  canRegister: boolean;
}

const MANAGERS: readonly RoleName[] = ['owner', 'organizer', 'coorganizer'];

export function isPublic(event: Event): boolean {
  return event.state === 'published' && event.privacy === 'public' && event.deletedAt === null;
}

export function accessFor(event: Event, roles: ReadonlySet<RoleName>, user: User | null): EventAccess {
  const isAdmin = !!user?.isAdmin;
  const alive = event.deletedAt === null;
  const isTeam = alive && (isAdmin || roles.size > 0);
  const canManage = alive && (isAdmin || MANAGERS.some((role) => roles.has(role)));
  return {
    event,
    roles,
    user,
    isAdmin,
    canRead: isTeam || isPublic(event),
    isTeam,
    canManage,
    canEditSessions: canManage || (alive && roles.has('track_organizer')),
    canRegister: canManage || (alive && roles.has('registrar')),
  };
}

export async function rolesOf(db: Queryable, userId: number, eventId: number): Promise<Set<RoleName>> {
  const rows = await db
    .select({ roleName: eventRoles.roleName })
    .from(eventRoles)
    .where(and(eq(eventRoles.userId, userId), eq(eventRoles.eventId, eventId), isNull(eventRoles.deletedAt)));
  return new Set(rows.map((row) => row.roleName));
}

/** `{ev}` in a path: the numeric id or the 8-character identifier. */
export async function findEvent(db: Queryable, key: string | number): Promise<Event | null> {
  const text = String(key);
  const where = /^\d{1,15}$/.test(text) ? eq(events.id, Number(text)) : eq(events.identifier, text.toLowerCase());
  const [event] = await db.select().from(events).where(where);
  return event ?? null;
}

/** The event and what this user may do with it; null when the event does not exist or is deleted. */
export async function eventAccess(db: Queryable, key: string | number, user: User | null): Promise<EventAccess | null> {
  const event = await findEvent(db, key);
  if (!event || event.deletedAt) return null;
  const roles = user ? await rolesOf(db, user.id, event.id) : new Set<RoleName>();
  return accessFor(event, roles, user);
}

/**
 * The user's roles in the event of each row, as a column of a query that reads that event anyway: one round
 * trip where `rolesOf` would be a second (what every order and ticket sale asks).
 */
export function rolesColumn(user: User | null, eventId: SQLWrapper): SQL<RoleName[]> {
  return user
    ? sql<RoleName[]>`array(select r.role_name from ${eventRoles} r where r.user_id = ${user.id} and r.event_id = ${eventId} and r.deleted_at is null)::text[]`
    : sql<RoleName[]>`'{}'::text[]`;
}

/**
 * Who may see an order and its attendees: the buyer, the event's managers and registrars (admins
 * among them). For anyone else the order does not exist.
 */
export async function orderAccess(
  db: Queryable,
  order: { eventId: number; userId: number },
  user: User | null,
): Promise<{ access: EventAccess | null; isBuyer: boolean; canSee: boolean }> {
  return orderViewOf(order, user ? await eventAccess(db, order.eventId, user) : null, user);
}

/** What `user` may do with an order, given their access to its event (null: none, or nobody signed in). */
export function orderViewOf(order: { userId: number }, access: EventAccess | null, user: User | null) {
  const isBuyer = !!user && user.id === order.userId;
  return { access, isBuyer, canSee: isBuyer || !!access?.canRegister || !!user?.isAdmin };
}
