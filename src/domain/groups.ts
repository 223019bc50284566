// OES's event groups: anyone may read them (the home page shows the promoted ones); a verified user
// makes one and owns it; the owner and admins change and delete it; only admins promote one. A group
// holds events its owner owns (the event's `group`); signed-in users follow groups
// (user-follow-groups) and see only their own follows listed as theirs.
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { eventRoles, events, groups, userFollowGroups, users, type GroupSocialLink } from '../db/schema/index.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from './errors.ts';
import type { ListSpec, RelationshipFilterSpec } from './list-query.ts';
import type { User } from './users.ts';

export type { GroupSocialLink };
export type Group = typeof groups.$inferSelect;
export type GroupFollow = typeof userFollowGroups.$inferSelect;

export interface GroupInput {
  name?: string;
  about?: string | null;
  socialLinks?: GroupSocialLink[] | null;
  logoUrl?: string | null;
  bannerUrl?: string | null;
  isPromoted?: boolean;
  /** The group's events as a whole (replaces the current set); each must be the user's own. */
  eventIds?: number[];
}

interface ListWindow {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

const followerCountOf = sql<number>`(SELECT count(*)::int FROM ${userFollowGroups} WHERE ${userFollowGroups.groupId} = ${groups.id})`;

const userFields = () => ({
  id: { column: users.id, kind: 'integer' as const },
  email: { column: users.email, kind: 'text' as const },
  'public-name': { column: users.publicName, kind: 'text' as const },
  'first-name': { column: users.firstName, kind: 'text' as const },
  'last-name': { column: users.lastName, kind: 'text' as const },
});

/** `user has {…}` inside a follow: the follower matches. */
const followerUserFilter: RelationshipFilterSpec = {
  kind: 'one',
  fields: userFields,
  exists: (where) => sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${userFollowGroups.userId}${where ? sql` AND ${where}` : sql``})`,
};

const followFields = () => ({
  id: { column: userFollowGroups.id, kind: 'integer' as const },
  'created-at': { column: userFollowGroups.createdAt, kind: 'instant' as const },
});

/**
 * Groups lists filter and sort on their attributes, on their owner (`user has`) and their followers
 * (`followers any {user has {id eq …}}`: "groups I follow", as the client's my-groups page asks).
 */
export const GROUP_LIST: ListSpec = {
  fields: {
    id: { column: groups.id, kind: 'integer' },
    name: { column: groups.name, kind: 'text' },
    about: { column: groups.about, kind: 'text' },
    'is-promoted': { column: groups.isPromoted, kind: 'boolean' },
    'created-at': { column: groups.createdAt, kind: 'instant' },
    'modified-at': { column: groups.modifiedAt, kind: 'instant' },
    // Deleting a group removes it: no group here is ever a deleted one (OES's admin list asks `deleted-at eq null`).
    'deleted-at': { column: sql`NULL::timestamptz`, kind: 'instant' },
    'follower-count': { column: followerCountOf, kind: 'integer' },
  },
  relationships: {
    user: {
      kind: 'one',
      fields: userFields,
      exists: (where) => sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${groups.userId}${where ? sql` AND ${where}` : sql``})`,
    },
    followers: {
      kind: 'many',
      fields: followFields,
      relationships: () => ({ user: followerUserFilter }),
      exists: (where) =>
        sql`EXISTS (SELECT 1 FROM ${userFollowGroups} WHERE ${userFollowGroups.groupId} = ${groups.id}${where ? sql` AND ${where}` : sql``})`,
    },
  },
  // `roles` (OES's users-groups-roles): openevent has no group team roles, so the list is always empty.
  includes: ['user', 'follower', 'followers', 'followers.user', 'events', 'roles'],
  defaultSort: [asc(groups.id)],
};

/** A group's followers: filter on the follower (`user has {email ilike …}`), include them. */
export const FOLLOW_LIST: ListSpec = {
  fields: followFields(),
  relationships: { user: followerUserFilter },
  includes: ['user', 'group'],
  defaultSort: [asc(userFollowGroups.id)],
};

/** All groups, or one user's (OES's /v1/users/{id}/groups). */
export async function listGroups(db: Queryable, window: ListWindow, ownerId?: number): Promise<Page<Group>> {
  const where = and(ownerId === undefined ? undefined : eq(groups.userId, ownerId), window.where);
  return listPage(
    db.select().from(groups).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(groups).where(where),
  );
}

export async function findGroup(db: Queryable, id: number): Promise<Group> {
  const [group] = await db.select().from(groups).where(eq(groups.id, id));
  if (!group) throw new NotFoundError(`No group ${id}`);
  return group;
}

export async function groupsByIds(db: Queryable, ids: readonly number[]): Promise<Group[]> {
  if (ids.length === 0) return [];
  return db.select().from(groups).where(inArray(groups.id, [...new Set(ids)])).orderBy(asc(groups.id));
}

function checkText(value: string | null | undefined, attribute: string, required: boolean): string | null | undefined {
  if (value === undefined && !required) return undefined;
  if (value === undefined || value === null || value.trim() === '') {
    if (required) throw new InvalidError(`"${attribute}" is required`, { attribute });
    return null;
  }
  return value.trim();
}

/** OES's logo-url and banner-url are URLs: only http(s), so no `javascript:` ends up behind an image. */
function checkUrl(value: string | null | undefined, attribute: string): string | null | undefined {
  const text = checkText(value, attribute, false);
  if (text && !/^https?:\/\/\S+$/i.test(text)) throw new InvalidError(`"${attribute}" must be an http:// or https:// URL`, { attribute });
  return text;
}

function checkSocialLinks(links: GroupSocialLink[] | null | undefined): GroupSocialLink[] | null | undefined {
  if (!links) return links;
  links.forEach((link, index) => {
    // The client renders each as a link: an http(s) URL, or nothing yet (a row just added in its form).
    if (link.link.trim() !== '' && !/^https?:\/\/\S+$/i.test(link.link.trim())) {
      throw new InvalidError(`"social-links" entry ${index + 1}: "link" must be an http:// or https:// URL`, { attribute: 'social-links' });
    }
  });
  return links.map((link) => ({ name: link.name.trim(), link: link.link.trim(), is_custom: link.is_custom ?? false }));
}

function valuesOf(user: User, input: GroupInput, create: boolean) {
  const values = {
    name: checkText(input.name, 'name', create) ?? undefined,
    about: checkText(input.about, 'about', false),
    socialLinks: checkSocialLinks(input.socialLinks),
    logoUrl: checkUrl(input.logoUrl, 'logo-url'),
    bannerUrl: checkUrl(input.bannerUrl, 'banner-url'),
    // Home-page placement is the site's decision: anyone else's value is ignored.
    isPromoted: user.isAdmin ? input.isPromoted : undefined,
  };
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<typeof groups.$inferInsert>;
}

/** May this user put the event in a group (and take it out)? Its owner, and admins (OES's is_owner). */
async function ownsEvent(db: Queryable, user: User, eventId: number): Promise<boolean> {
  const [event] = await db.select({ id: events.id }).from(events).where(and(eq(events.id, eventId), isNull(events.deletedAt)));
  if (!event) return false;
  if (user.isAdmin) return true;
  const [role] = await db
    .select({ id: eventRoles.id })
    .from(eventRoles)
    .where(and(eq(eventRoles.eventId, eventId), eq(eventRoles.userId, user.id), eq(eventRoles.roleName, 'owner'), isNull(eventRoles.deletedAt)));
  return !!role;
}

async function checkEvents(db: Queryable, user: User, eventIds: readonly number[], keep: ReadonlySet<number> = new Set()): Promise<void> {
  for (const id of new Set(eventIds)) {
    if (keep.has(id)) continue;
    if (!(await ownsEvent(db, user, id))) throw new ForbiddenError('Event owner access required', { relationship: 'events' });
  }
}

/** The group's events become exactly these (OES replaces a to-many relationship as a whole). */
async function setEvents(db: Queryable, groupId: number, eventIds: readonly number[]): Promise<void> {
  const ids = [...new Set(eventIds)];
  await db
    .update(events)
    .set({ groupId: null, isAnnounced: false })
    .where(and(eq(events.groupId, groupId), ids.length ? sql`${events.id} NOT IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : undefined));
  if (ids.length) {
    // Moving into another group, an event is no longer announced to this one's followers (OES).
    await db.update(events).set({ groupId, isAnnounced: false }).where(and(inArray(events.id, ids), or(isNull(events.groupId), sql`${events.groupId} <> ${groupId}`)));
  }
}

/** A verified user makes a group and owns it (OES: 403 for an unverified account). */
export async function createGroup(db: Queryable, user: User, input: GroupInput): Promise<Group> {
  if (!user.isVerified) throw new ForbiddenError('Verify your email address before making a group');
  const values = valuesOf(user, input, true);
  if (input.eventIds) await checkEvents(db, user, input.eventIds);
  const [group] = await db
    .insert(groups)
    .values({ ...values, name: values.name!, userId: user.id })
    .returning();
  if (input.eventIds) await setEvents(db, group!.id, input.eventIds);
  return group!;
}

/** The owner and admins may change and delete a group; for anyone else it is 403 (everyone sees groups). */
function requireOwner(user: User, group: Group, action: string): void {
  if (group.userId !== user.id && !user.isAdmin) throw new ForbiddenError(`Only the group's owner and admins can ${action} it`);
}

export async function updateGroup(db: Queryable, user: User, id: number, input: GroupInput): Promise<Group> {
  const group = await findGroup(db, id);
  requireOwner(user, group, 'change');
  const values = valuesOf(user, input, false);
  if (input.eventIds) {
    // Events already in the group may stay whoever owns them; new ones must be the user's own.
    const current = await db.select({ id: events.id }).from(events).where(eq(events.groupId, id));
    await checkEvents(db, user, input.eventIds, new Set(current.map((row) => row.id)));
    await setEvents(db, id, input.eventIds);
  }
  if (Object.keys(values).length === 0) return group;
  const [changed] = await db
    .update(groups)
    .set({ ...values, modifiedAt: new Date() })
    .where(eq(groups.id, id))
    .returning();
  return changed!;
}

/** Deletes the group: its events stay, without a group; its follows go with it. */
export async function deleteGroup(db: Queryable, user: User, id: number): Promise<void> {
  const group = await findGroup(db, id);
  requireOwner(user, group, 'delete');
  await db.delete(groups).where(eq(groups.id, id));
}

/** The event's group may be set by the event's managers to a group they own (admins: any), or cleared. */
export async function checkEventGroup(db: Queryable, user: User, groupId: number | null | undefined, current: number | null): Promise<void> {
  if (groupId === undefined || groupId === null || groupId === current) return;
  const [group] = await db.select().from(groups).where(eq(groups.id, groupId));
  if (!group) throw new InvalidError(`No group ${groupId}`, { relationship: 'group' });
  if (group.userId !== user.id && !user.isAdmin) {
    throw new ForbiddenError('Only the group’s owner can add events to it', { relationship: 'group' });
  }
}

// ---- Followers

/** OES's follower-count of each group (groups nobody follows are absent). */
export async function followerCounts(db: Queryable, groupIds: readonly number[]): Promise<Map<number, number>> {
  if (groupIds.length === 0) return new Map();
  const rows = await db
    .select({ groupId: userFollowGroups.groupId, n: count() })
    .from(userFollowGroups)
    .where(inArray(userFollowGroups.groupId, [...groupIds]))
    .groupBy(userFollowGroups.groupId);
  return new Map(rows.map((row) => [row.groupId, Number(row.n)]));
}

/** The user's own follow of each of these groups (OES's `follower` of a group, for the current user). */
export async function followsOf(db: Queryable, user: User | null, groupIds: readonly number[]): Promise<Map<number, GroupFollow>> {
  if (!user || groupIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(userFollowGroups)
    .where(and(eq(userFollowGroups.userId, user.id), inArray(userFollowGroups.groupId, [...groupIds])));
  return new Map(rows.map((row) => [row.groupId, row]));
}

/** Every follow of these groups (OES's `followers`). */
export async function followersOf(db: Queryable, groupIds: readonly number[]): Promise<GroupFollow[]> {
  if (groupIds.length === 0) return [];
  return db.select().from(userFollowGroups).where(inArray(userFollowGroups.groupId, [...groupIds])).orderBy(asc(userFollowGroups.id));
}

/** Follows a group: 422 without a group, 404 for one that does not exist, 409 when followed already. */
export async function followGroup(db: Queryable, user: User, groupId: string | undefined | null): Promise<GroupFollow> {
  const field = { relationship: 'group' };
  if (!groupId) throw new InvalidError('A valid relationship with group resource is required', field);
  if (!/^[1-9]\d{0,9}$/.test(groupId)) throw new NotFoundError(`No group ${groupId}`, field);
  const [group] = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, Number(groupId)));
  if (!group) throw new NotFoundError(`No group ${groupId}`, field);
  const [follow] = await db.insert(userFollowGroups).values({ userId: user.id, groupId: group.id }).onConflictDoNothing().returning();
  if (!follow) throw new ConflictError('Group already followed', field);
  return follow;
}

export async function findFollow(db: Queryable, id: number): Promise<GroupFollow> {
  const [follow] = await db.select().from(userFollowGroups).where(eq(userFollowGroups.id, id));
  if (!follow) throw new NotFoundError('Group Follower Not Found');
  return follow;
}

/** Unfollows: only the follower may (OES: 403 for anyone else). */
export async function unfollowGroup(db: Queryable, user: User, id: number): Promise<void> {
  const follow = await findFollow(db, id);
  if (follow.userId !== user.id) throw new ForbiddenError('User have no permission to delete follower');
  await db.delete(userFollowGroups).where(eq(userFollowGroups.id, id));
}

/** The groups a user follows: their own list only (OES: 403 for anyone else, admins too). */
export async function listFollowsOfUser(db: Queryable, viewer: User, userId: number, window: ListWindow): Promise<Page<GroupFollow>> {
  if (viewer.id !== userId) throw new ForbiddenError('Only the user sees the groups they follow');
  const where = and(eq(userFollowGroups.userId, userId), window.where);
  return listPage(
    db.select().from(userFollowGroups).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(userFollowGroups).where(where),
  );
}

/** A group's followers (OES's /v1/groups/{id}/followers, for signed-in users). */
export async function listFollowersOfGroup(db: Queryable, groupId: number, window: ListWindow): Promise<Page<GroupFollow>> {
  await findGroup(db, groupId);
  const where = and(eq(userFollowGroups.groupId, groupId), window.where);
  return listPage(
    db.select().from(userFollowGroups).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(userFollowGroups).where(where),
  );
}

export async function usersByIds(db: Queryable, ids: readonly number[]): Promise<User[]> {
  if (ids.length === 0) return [];
  return db.select().from(users).where(inArray(users.id, [...new Set(ids)])).orderBy(asc(users.id));
}

/** Events of these groups (and matching `also`), for a group's event list, `include=events` and linkage. */
export function groupEventsWhere(groupIds: readonly number[], also?: SQL): SQL {
  return and(inArray(events.groupId, [...groupIds]), also)!;
}
