// Invitations to an event's team (OES's role-invites). The owner and organizers invite an email
// address to a role; the person signed in with that address accepts (the role is created then) or
// declines. Nothing about an invitation depends on whether an account exists for the address, so
// inviting never tells the organizer who has an account.
//
// The hash is the invitation's secret, for the invitee only: the organizer's views never show it.
// The invitation mail carries it to the invitee (a link to the web client's /role-invites page); signed
// in, the invitee also finds it by listing their own pending invitations.
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, isNull, ne, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { events, roleInvites, type InviteStatus } from '../db/schema/index.ts';
import { eventAccess, findEvent, type Event, type EventAccess } from './access.ts';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.ts';
import type { ListWindow } from './events.ts';
import { canGrant, giveRole, refuse, type Role, type RoleName } from './roles.ts';
import { normalizeEmail, type User } from './users.ts';
import type { Site } from '../mail/account-mails.ts';
import { roleInviteMail } from '../mail/event-mails.ts';
import type { Mailer } from '../mail/mailer.ts';

export type RoleInvite = typeof roleInvites.$inferSelect;
export type { InviteStatus };

/** Filterable and sortable fields of an invitation list, and its default order. */
export const inviteListFields = {
  id: { column: roleInvites.id, kind: 'integer' as const },
  email: { column: roleInvites.email, kind: 'text' as const },
  'role-name': { column: roleInvites.roleName, kind: 'text' as const },
  status: { column: roleInvites.status, kind: 'text' as const },
  'created-at': { column: roleInvites.createdAt, kind: 'instant' as const },
};
export const inviteListOrder: SQL[] = [asc(roleInvites.id)];

/** 256 random bits: the invitation cannot be guessed, only received. */
function newHash(): string {
  return randomBytes(32).toString('base64url');
}

function isInvitee(invite: RoleInvite, user: User | null): boolean {
  return !!user && normalizeEmail(user.email) === invite.email;
}

export async function invite(
  db: Database,
  user: User,
  input: { eventKey: string; email: string; roleName: RoleName },
): Promise<RoleInvite> {
  const access = await eventAccess(db, input.eventKey, user);
  if (!access || !canGrant(access)) refuse(user, access, 'Only the owner and organizers can invite people to the team');
  if (input.roleName === 'owner' && !access.isAdmin && !access.roles.has('owner')) {
    throw new ForbiddenError('Only the owner can hand over ownership');
  }
  const email = normalizeEmail(input.email);
  return db.transaction(async (tx) => {
    // One pending ownership offer at a time: a new one replaces the last (as in OES).
    if (input.roleName === 'owner') {
      await tx
        .delete(roleInvites)
        .where(and(eq(roleInvites.eventId, access.event.id), eq(roleInvites.roleName, 'owner'), eq(roleInvites.status, 'pending')));
    }
    const [created] = await tx
      .insert(roleInvites)
      .values({ email, roleName: input.roleName, eventId: access.event.id, hash: newHash(), invitedBy: user.id })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new ConflictError(`${email} already has a pending invitation to be ${input.roleName}`, { attribute: 'email' });
    return created;
  });
}

/** Mails the invitee the invitation, with the link that accepts it. */
export async function mailInvite(db: Queryable, mailer: Mailer, created: RoleInvite, inviter: User, site: Site): Promise<void> {
  const event = await findEvent(db, created.eventId);
  if (!event) return;
  const invitedBy = [inviter.firstName, inviter.lastName].filter(Boolean).join(' ') || inviter.email;
  await mailer.send(roleInviteMail(site, created.email, created, event, invitedBy));
}

/** The event whose invitations this user manages (as for its roles: owner, organizers, co-organizers). */
export async function invitesOfEvent(db: Queryable, key: string, user: User | null): Promise<EventAccess> {
  const access = await eventAccess(db, key, user);
  if (!access?.canManage) refuse(user, access, 'Only the owner and organizers can see the invitations');
  return access;
}

export async function listInvites(db: Queryable, access: EventAccess, window: ListWindow): Promise<Page<RoleInvite>> {
  const where = and(eq(roleInvites.eventId, access.event.id), window.where);
  return listPage(
    db.select().from(roleInvites).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(roleInvites).where(where),
  );
}

/** The pending invitations addressed to this user's email, on events that still exist. */
export async function myPendingInvites(db: Queryable, user: User): Promise<RoleInvite[]> {
  const rows = await db
    .select({ invite: roleInvites })
    .from(roleInvites)
    .innerJoin(events, eq(events.id, roleInvites.eventId))
    .where(and(eq(roleInvites.email, normalizeEmail(user.email)), eq(roleInvites.status, 'pending'), isNull(events.deletedAt)))
    .orderBy(asc(roleInvites.id));
  return rows.map((row) => row.invite);
}

/** One invitation, for the event's managers and for its invitee; `isInvitee` says which asks. */
export async function readInvite(db: Queryable, id: number, user: User | null): Promise<{ invite: RoleInvite; isInvitee: boolean }> {
  const [found] = await db.select().from(roleInvites).where(eq(roleInvites.id, id));
  const access = found ? await eventAccess(db, found.eventId, user) : null;
  if (!found || !access) throw new NotFoundError('Not found');
  if (isInvitee(found, user)) return { invite: found, isInvitee: true };
  if (!access.canManage) refuse(user, access, 'Only the owner and organizers can see the invitations');
  return { invite: found, isInvitee: false };
}

/** Takes back an invitation that was not accepted (OES's DELETE). */
export async function withdrawInvite(db: Queryable, id: number, user: User | null): Promise<void> {
  const [found] = await db.select().from(roleInvites).where(eq(roleInvites.id, id));
  const access = found ? await eventAccess(db, found.eventId, user) : null;
  if (!found || !access) throw new NotFoundError('Not found');
  if (!canGrant(access)) refuse(user, access, 'Only the owner and organizers can withdraw invitations');
  if (found.status === 'accepted') throw new ConflictError('An accepted invitation cannot be withdrawn; revoke the role instead', { pointer: '/data/attributes/status' });
  await db.delete(roleInvites).where(eq(roleInvites.id, found.id));
}

/** The invitation a hash names, whoever asks (the hash is the secret), while its event exists. */
export async function inviteByHash(db: Queryable, hash: string): Promise<{ invite: RoleInvite; event: Event }> {
  const [found] = await db.select().from(roleInvites).where(eq(roleInvites.hash, hash));
  const event = found ? await findEvent(db, found.eventId) : null;
  if (!found || !event || event.deletedAt) throw new NotFoundError('Role invite not found');
  return { invite: found, event };
}

/** Locks the invitation for an answer, and checks it is this user's and still open. */
async function openInviteFor(tx: Queryable, hash: string, user: User): Promise<{ invite: RoleInvite; event: Event }> {
  const [found] = await tx.select().from(roleInvites).where(eq(roleInvites.hash, hash)).for('update');
  const event = found ? await findEvent(tx, found.eventId) : null;
  if (!found || !event || event.deletedAt) throw new NotFoundError('Role invite not found');
  if (!isInvitee(found, user)) throw new ForbiddenError('This invitation is for another email address; log in with that address to answer it');
  return { invite: found, event };
}

/**
 * The invitee accepts: the role is theirs from now on. Accepting an ownership offer hands the event
 * over (the previous owner stays as an organizer) and voids any other ownership offer.
 */
export async function acceptInvite(db: Database, user: User, hash: string): Promise<{ invite: RoleInvite; event: Event; role: Role }> {
  return db.transaction(async (tx) => {
    const { invite: found, event } = await openInviteFor(tx, hash, user);
    // Answered once and for all: an old acceptance must not bring back a role revoked since.
    if (found.status !== 'pending') throw new ConflictError(`This invitation was already ${found.status}`);
    const { role } = await giveRole(tx, event.id, user.id, found.roleName);
    if (found.roleName === 'owner') {
      await tx
        .delete(roleInvites)
        .where(and(eq(roleInvites.eventId, event.id), eq(roleInvites.roleName, 'owner'), eq(roleInvites.status, 'pending'), ne(roleInvites.id, found.id)));
    }
    const [accepted] = await tx
      .update(roleInvites)
      .set({ status: 'accepted', answeredAt: new Date() })
      .where(eq(roleInvites.id, found.id))
      .returning();
    return { invite: accepted!, event, role };
  });
}

export async function declineInvite(db: Database, user: User, hash: string): Promise<{ invite: RoleInvite; event: Event }> {
  return db.transaction(async (tx) => {
    const { invite: found, event } = await openInviteFor(tx, hash, user);
    if (found.status !== 'pending') throw new ConflictError(`This invitation was already ${found.status}`);
    const [declined] = await tx
      .update(roleInvites)
      .set({ status: 'declined', answeredAt: new Date() })
      .where(eq(roleInvites.id, found.id))
      .returning();
    return { invite: declined!, event };
  });
}
