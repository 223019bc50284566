// Ownership transfer and role grants, on the domain functions themselves (no HTTP): an event always
// has exactly one owner, the previous owner stays as an organizer, only admins grant without consent,
// and an invitation is answered only by its invitee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.ts';
import { eventRoles, roleInvites, users } from '../../src/db/schema/index.ts';
import { eventAccess } from '../../src/domain/access.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../src/domain/errors.ts';
import { createEvent } from '../../src/domain/events.ts';
import { acceptInvite, declineInvite, invite } from '../../src/domain/role-invites.ts';
import { giveRole, grantRoleAsAdmin, revokeRole } from '../../src/domain/roles.ts';
import type { User } from '../../src/domain/users.ts';
import { testDatabase, type TestDatabase } from '../support/app.ts';

let database: TestDatabase;
let db: Database;
let admin: User;
let counter = 0;

async function newUser(options: { admin?: boolean } = {}): Promise<User> {
  const [row] = await db
    .insert(users)
    .values({ email: `domain-roles-${++counter}@example.org`, passwordHash: 'scrypt$unusable', isAdmin: !!options.admin })
    .returning();
  return row!;
}

const newEvent = (owner: User) =>
  createEvent(db, owner, { name: 'Roles', startsAt: new Date('2026-02-01T08:00:00Z'), endsAt: new Date('2026-02-01T18:00:00Z') });

/** The event's live roles as `userId:role`, sorted. */
async function team(eventId: number): Promise<string[]> {
  const rows = await db
    .select({ userId: eventRoles.userId, roleName: eventRoles.roleName })
    .from(eventRoles)
    .where(and(eq(eventRoles.eventId, eventId), isNull(eventRoles.deletedAt)));
  return rows.map((row) => `${row.userId}:${row.roleName}`).sort();
}

const entry = (user: User, role: string) => `${user.id}:${role}`;

beforeAll(async () => {
  database = await testDatabase();
  db = database.connection.db;
  admin = await newUser({ admin: true });
});

afterAll(async () => {
  await database.drop();
});

describe('ownership transfer', () => {
  it('makes the heir the one owner and keeps the previous owner as an organizer', async () => {
    const [owner, heir] = [await newUser(), await newUser()];
    const event = await newEvent(owner);
    const { created } = await db.transaction((tx) => giveRole(tx, event.id, heir.id, 'owner'));
    expect(created).toBe(true);
    expect(await team(event.id)).toEqual([entry(owner, 'organizer'), entry(heir, 'owner')].sort());
  });

  it('to someone already on the team adds the owner role beside theirs', async () => {
    const [owner, coorganizer] = [await newUser(), await newUser()];
    const event = await newEvent(owner);
    await db.transaction((tx) => giveRole(tx, event.id, coorganizer.id, 'coorganizer'));
    await db.transaction((tx) => giveRole(tx, event.id, coorganizer.id, 'owner'));
    expect(await team(event.id)).toEqual([entry(owner, 'organizer'), entry(coorganizer, 'coorganizer'), entry(coorganizer, 'owner')].sort());
  });

  it('back to a previous owner who is an organizer now leaves one organizer role each', async () => {
    const [owner, heir] = [await newUser(), await newUser()];
    const event = await newEvent(owner);
    await db.transaction((tx) => giveRole(tx, event.id, heir.id, 'owner'));
    await db.transaction((tx) => giveRole(tx, event.id, owner.id, 'owner'));
    expect(await team(event.id)).toEqual([entry(owner, 'organizer'), entry(owner, 'owner'), entry(heir, 'organizer')].sort());
  });

  it('to the owner changes nothing', async () => {
    const owner = await newUser();
    const event = await newEvent(owner);
    const { created } = await db.transaction((tx) => giveRole(tx, event.id, owner.id, 'owner'));
    expect(created).toBe(false);
    expect(await team(event.id)).toEqual([entry(owner, 'owner')]);
  });

  it('concurrent transfers leave exactly one owner', async () => {
    const owner = await newUser();
    const event = await newEvent(owner);
    const heirs = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
    await Promise.all(heirs.map((heir) => db.transaction((tx) => giveRole(tx, event.id, heir.id, 'owner'))));
    const owners = (await team(event.id)).filter((role) => role.endsWith(':owner'));
    expect(owners).toHaveLength(1);
  });

  it('the owner role is never revoked, not even by an admin', async () => {
    const owner = await newUser();
    const event = await newEvent(owner);
    const [ownerRole] = await db.select().from(eventRoles).where(and(eq(eventRoles.eventId, event.id), eq(eventRoles.roleName, 'owner')));
    await expect(revokeRole(db, ownerRole!.id, admin)).rejects.toThrow(ConflictError);
    await expect(revokeRole(db, ownerRole!.id, owner)).rejects.toThrow(ConflictError);
    expect(await team(event.id)).toEqual([entry(owner, 'owner')]);
  });
});

describe('direct grants', () => {
  it('are for admins: a transfer by an admin, a refusal for the owner and organizers', async () => {
    const [owner, organizer, heir] = [await newUser(), await newUser(), await newUser()];
    const event = await newEvent(owner);
    await db.transaction((tx) => giveRole(tx, event.id, organizer.id, 'organizer'));
    for (const user of [owner, organizer]) {
      await expect(grantRoleAsAdmin(db, user, { eventKey: String(event.id), userId: String(heir.id), roleName: 'moderator' })).rejects.toThrow(ForbiddenError);
    }
    const role = await grantRoleAsAdmin(db, admin, { eventKey: String(event.id), userId: String(heir.id), roleName: 'owner' });
    expect(role).toMatchObject({ userId: heir.id, eventId: event.id, roleName: 'owner' });
    expect(await team(event.id)).toEqual([entry(owner, 'organizer'), entry(organizer, 'organizer'), entry(heir, 'owner')].sort());
  });

  it('refuse unknown users and roles already held, and hide events the caller cannot see', async () => {
    const [owner, stranger] = [await newUser(), await newUser()];
    const event = await newEvent(owner);
    await expect(grantRoleAsAdmin(db, admin, { eventKey: String(event.id), userId: '999999999', roleName: 'moderator' })).rejects.toThrow(InvalidError);
    await expect(grantRoleAsAdmin(db, admin, { eventKey: String(event.id), userId: String(owner.id), roleName: 'owner' })).rejects.toThrow(ConflictError);
    // A draft: to a stranger it does not exist.
    await expect(grantRoleAsAdmin(db, stranger, { eventKey: String(event.id), userId: String(stranger.id), roleName: 'organizer' })).rejects.toThrow(NotFoundError);
  });
});

describe('ownership by invitation', () => {
  it('an accepted offer transfers ownership and voids the other pending offers', async () => {
    const [owner, heir, other] = [await newUser(), await newUser(), await newUser()];
    const event = await newEvent(owner);
    const forOther = await invite(db, owner, { eventKey: String(event.id), email: other.email, roleName: 'owner' });
    // A new offer replaces the pending one.
    const forHeir = await invite(db, owner, { eventKey: String(event.id), email: heir.email, roleName: 'owner' });
    await expect(acceptInvite(db, other, forOther.hash)).rejects.toThrow(NotFoundError);
    const { role, invite: accepted } = await acceptInvite(db, heir, forHeir.hash);
    expect(role).toMatchObject({ userId: heir.id, roleName: 'owner' });
    expect(accepted.status).toBe('accepted');
    expect(await team(event.id)).toEqual([entry(owner, 'organizer'), entry(heir, 'owner')].sort());
    // The previous owner is an organizer now: no longer allowed to offer ownership.
    const access = (await eventAccess(db, event.id, owner))!;
    expect(access.roles.has('owner')).toBe(false);
    await expect(invite(db, owner, { eventKey: String(event.id), email: owner.email, roleName: 'owner' })).rejects.toThrow(ForbiddenError);
  });

  it('is answered only by the invitee, and only once', async () => {
    const [owner, invitee, intruder] = [await newUser(), await newUser(), await newUser()];
    const event = await newEvent(owner);
    const offer = await invite(db, owner, { eventKey: String(event.id), email: invitee.email.toUpperCase(), roleName: 'owner' });
    await expect(acceptInvite(db, intruder, offer.hash)).rejects.toThrow(ForbiddenError);
    await expect(declineInvite(db, intruder, offer.hash)).rejects.toThrow(ForbiddenError);
    await expect(acceptInvite(db, admin, offer.hash)).rejects.toThrow(ForbiddenError);
    expect(await team(event.id)).toEqual([entry(owner, 'owner')]);
    await declineInvite(db, invitee, offer.hash);
    await expect(acceptInvite(db, invitee, offer.hash)).rejects.toThrow(ConflictError);
    expect(await team(event.id)).toEqual([entry(owner, 'owner')]);
    const [stored] = await db.select().from(roleInvites).where(eq(roleInvites.id, offer.id));
    expect(stored).toMatchObject({ status: 'declined', email: invitee.email });
  });

  it('an old acceptance does not bring back a role revoked since', async () => {
    const [owner, invitee] = [await newUser(), await newUser()];
    const event = await newEvent(owner);
    const offer = await invite(db, owner, { eventKey: String(event.id), email: invitee.email, roleName: 'registrar' });
    const { role } = await acceptInvite(db, invitee, offer.hash);
    await revokeRole(db, role.id, owner);
    await expect(acceptInvite(db, invitee, offer.hash)).rejects.toThrow(ConflictError);
    expect(await team(event.id)).toEqual([entry(owner, 'owner')]);
  });
});
