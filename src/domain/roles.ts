// Roles in an event (OES's users-events-roles). An event always has exactly one owner; the owner,
// organizers and admins manage the team. People join a team only by accepting an invitation
// (role-invites.ts) — nobody is placed on an event they did not agree to — except that an admin may
// grant a role directly, as in OES. Ownership moves in one transaction: the old owner stays on the
// team as an organizer.
import { and, asc, count, eq, isNull, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { ROLE_NAMES, eventRoles, events, type RoleName } from '../db/schema/index.ts';
import { eventAccess, type EventAccess } from './access.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from './errors.ts';
import { findUserById, type User } from './users.ts';
import type { ListWindow } from './events.ts';

export { ROLE_NAMES, type RoleName };
export type Role = typeof eventRoles.$inferSelect;

/** Who may invite, grant and revoke: the owner, organizers and admins (not co-organizers). */
export function canGrant(access: EventAccess): boolean {
  return access.isAdmin || access.roles.has('owner') || access.roles.has('organizer');
}

/** 401 when anonymous, 403 for people who can see the event, 404 for events they cannot. */
export function refuse(user: User | null, access: EventAccess | null, message: string): never {
  if (!user) throw new UnauthenticatedError('Log in first');
  if (access?.canRead) throw new ForbiddenError(message);
  throw new NotFoundError('Not found');
}

/** Filterable and sortable fields of a role list, and its default order. */
export const roleListFields = {
  id: { column: eventRoles.id, kind: 'integer' as const },
  'role-name': { column: eventRoles.roleName, kind: 'text' as const },
  'created-at': { column: eventRoles.createdAt, kind: 'instant' as const },
};
export const roleListOrder: SQL[] = [asc(eventRoles.id)];

/** The event whose team this user manages (owner, organizers, co-organizers, admins). */
export async function teamOfEvent(db: Queryable, key: string | number, user: User | null): Promise<EventAccess> {
  const access = await eventAccess(db, key, user);
  if (!access?.canManage) refuse(user, access, 'Only the owner and organizers can see the roles');
  return access;
}

export async function listRoles(db: Queryable, access: EventAccess, window: ListWindow): Promise<Page<Role>> {
  const where = and(eq(eventRoles.eventId, access.event.id), isNull(eventRoles.deletedAt), window.where);
  return listPage(
    db.select().from(eventRoles).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(eventRoles).where(where),
  );
}

async function roleWithAccess(db: Queryable, id: number, user: User | null): Promise<{ role: Role; access: EventAccess }> {
  const [role] = await db.select().from(eventRoles).where(and(eq(eventRoles.id, id), isNull(eventRoles.deletedAt)));
  const access = role ? await eventAccess(db, role.eventId, user) : null;
  if (!role || !access) throw new NotFoundError('Not found');
  return { role, access };
}

/** One role: your own you may always see; other people's only as a manager of the event. */
export async function readRole(db: Queryable, id: number, user: User | null): Promise<Role> {
  const { role, access } = await roleWithAccess(db, id, user);
  if (role.userId !== user?.id && !access.canManage) refuse(user, access, 'Only the owner and organizers can see the roles');
  return role;
}

export async function revokeRole(db: Queryable, id: number, user: User | null): Promise<void> {
  const { role, access } = await roleWithAccess(db, id, user);
  if (!canGrant(access)) refuse(user, access, 'Only the owner and organizers can revoke roles');
  if (role.roleName === 'owner') throw new ConflictError('An event always has an owner: hand over ownership instead of revoking it');
  await db.update(eventRoles).set({ deletedAt: new Date() }).where(eq(eventRoles.id, role.id));
}

/**
 * Gives a user a role inside a transaction; the one way a role is created after an event's creation.
 * Returns the role and whether it is new (a role already held is returned as it is). For `owner` the
 * current owner is retired to organizer first, so the event never has two owners or none.
 */
export async function giveRole(
  tx: Queryable,
  eventId: number,
  userId: number,
  roleName: RoleName,
): Promise<{ role: Role; created: boolean }> {
  // Grants to one event happen one at a time: two concurrent ownership transfers would each
  // retire the owner they saw, and the second would then collide with the first's new owner.
  await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId)).for('update');
  const [held] = await tx
    .select()
    .from(eventRoles)
    .where(and(eq(eventRoles.eventId, eventId), eq(eventRoles.userId, userId), eq(eventRoles.roleName, roleName), isNull(eventRoles.deletedAt)));
  if (held) return { role: held, created: false };
  if (roleName === 'owner') {
    const [previous] = await tx
      .update(eventRoles)
      .set({ deletedAt: new Date() })
      .where(and(eq(eventRoles.eventId, eventId), eq(eventRoles.roleName, 'owner'), isNull(eventRoles.deletedAt)))
      .returning();
    if (previous) {
      await tx.insert(eventRoles).values({ userId: previous.userId, eventId, roleName: 'organizer' }).onConflictDoNothing();
    }
  }
  const [created] = await tx.insert(eventRoles).values({ userId, eventId, roleName }).returning();
  return { role: created!, created: true };
}

/**
 * A direct grant, without the user's consent: admins only (as in OES). Everyone else invites the
 * person by email (POST /v1/role-invites), so a grant never tells them whether an account exists.
 */
export async function grantRoleAsAdmin(
  db: Database,
  user: User,
  input: { eventKey: string; userId: string; roleName: RoleName },
): Promise<Role> {
  const access = await eventAccess(db, input.eventKey, user);
  if (!access?.isAdmin) {
    refuse(user, access, 'Roles are given by invitation: invite the person by email with POST /v1/role-invites');
  }
  const grantee = /^\d{1,15}$/.test(input.userId) ? await findUserById(db, Number(input.userId)) : null;
  if (!grantee) throw new InvalidError(`No user ${input.userId}`, { relationship: 'user' });
  const { role, created } = await db.transaction((tx) => giveRole(tx, access.event.id, grantee.id, input.roleName));
  if (!created) throw new ConflictError(`User ${grantee.id} is already ${input.roleName} of this event`);
  return role;
}
