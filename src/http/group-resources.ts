// Groups and follows as OES's GroupSchema and UserFollowGroupSchema give them, with what `include`
// adds. Kept apart from the routes (groups.ts) so an event's `include=group,group.followers.user`
// (event-relationships.ts) uses the same serialization.
import { Type } from 'typebox';
import type { Database } from '../db/connection.ts';
import {
  followerCounts,
  followersOf,
  followsOf,
  usersByIds,
  type Group,
  type GroupFollow,
} from '../domain/groups.ts';
import { roleFlagsOf, type User } from '../domain/users.ts';
import { identifier, instant, type Relationship, type ResourceIdentifier, type ResourceObject } from './jsonapi/document.ts';
import { Nullable, resourceObject } from './jsonapi/schemas.ts';
import { userResource } from './users.ts';

export const GROUP_TYPE = 'group';
export const FOLLOW_TYPE = 'user-follow-group';

const SocialLinks = Nullable(Type.Array(Type.Object({ name: Type.String(), link: Type.String(), is_custom: Type.Boolean() })));

export const GroupResource = resourceObject(
  GROUP_TYPE,
  {
    name: Type.String(),
    about: Nullable(Type.String()),
    'social-links': SocialLinks,
    'logo-url': Nullable(Type.String()),
    'banner-url': Nullable(Type.String()),
    'thumbnail-image-url': Nullable(Type.String()),
    'is-promoted': Type.Boolean(),
    'follower-count': Type.Integer(),
    'created-at': Type.String(),
    'modified-at': Type.String(),
    'deleted-at': Nullable(Type.String()),
  },
  ['events', 'user', 'roles', 'follower', 'followers'],
);

export const FollowResource = resourceObject(FOLLOW_TYPE, { 'created-at': Type.String() }, ['group', 'user']);

/** Where each of a group's relationships points (OES's self and related views). */
function groupLinks(id: number): Record<string, Relationship> {
  const base = `/v1/groups/${id}`;
  return {
    events: { links: { self: `${base}/relationships/events`, related: `${base}/events` } },
    user: { links: { self: `${base}/relationships/user`, related: `${base}/user` } },
    roles: { links: { self: `${base}/relationships/roles`, related: `${base}/users-groups-roles` } },
    follower: { links: { self: `${base}/relationships/followers`, related: `${base}/followers` } },
    followers: { links: { self: `${base}/relationships/followers`, related: `${base}/followers` } },
  };
}

export function groupResource(group: Group, followerCount: number, data: Map<string, ResourceIdentifier | ResourceIdentifier[] | null> = new Map()): ResourceObject {
  const relationships = groupLinks(group.id);
  // The owner is always linked (one id, known from the row); the rest when included.
  relationships.user = { ...relationships.user, data: identifier('user', group.userId) };
  for (const [name, value] of data) relationships[name] = { ...relationships[name], data: value };
  return {
    type: GROUP_TYPE,
    id: String(group.id),
    attributes: {
      name: group.name,
      about: group.about,
      'social-links': group.socialLinks ?? null,
      'logo-url': group.logoUrl,
      'banner-url': group.bannerUrl,
      // OES resizes the banner into a thumbnail; openevent keeps images as given.
      'thumbnail-image-url': group.bannerUrl,
      'is-promoted': group.isPromoted,
      'follower-count': followerCount,
      'created-at': instant(group.createdAt),
      'modified-at': instant(group.modifiedAt),
      'deleted-at': null,
    },
    relationships,
    links: { self: `/v1/groups/${group.id}` },
  };
}

export function followResource(follow: GroupFollow): ResourceObject {
  const base = `/v1/user-follow-groups/${follow.id}`;
  return {
    type: FOLLOW_TYPE,
    id: String(follow.id),
    attributes: { 'created-at': instant(follow.createdAt) },
    relationships: {
      group: { links: { self: `${base}/relationships/group`, related: `${base}/group` }, data: identifier(GROUP_TYPE, follow.groupId) },
      user: { links: { self: `${base}/relationships/user`, related: `${base}/user` }, data: identifier('user', follow.userId) },
    },
    links: { self: base },
  };
}

/** OES's public view of a person (UserSchemaPublic): the person themselves and admins see it all; others no email. */
export async function peopleResources(db: Database, people: User[], viewer: User | null, contacts = false): Promise<ResourceObject[]> {
  const roles = await roleFlagsOf(db, people.map((user) => user.id));
  return people.map((user) => {
    const resource = userResource(user, roles.get(user.id)!);
    if (contacts || (viewer && (viewer.id === user.id || viewer.isAdmin))) return resource;
    const a = resource.attributes;
    return {
      ...resource,
      attributes: {
        'first-name': a['first-name'],
        'last-name': a['last-name'],
        'public-name': a['public-name'],
        'avatar-url': a['avatar-url'],
        'is-profile-public': a['is-profile-public'],
        'was-registered-with-order': a['was-registered-with-order'],
        'original-image-url': a['original-image-url'],
        'thumbnail-image-url': a['thumbnail-image-url'],
        'small-image-url': a['small-image-url'],
        'icon-image-url': a['icon-image-url'],
        'deleted-at': a['deleted-at'],
      },
    };
  });
}

/** Follows with their followers included when asked (`user`), each person once. */
export async function followDocuments(
  db: Database,
  follows: GroupFollow[],
  viewer: User | null,
  include: readonly string[],
  groups: (ids: number[]) => Promise<ResourceObject[]>,
  contacts = false,
) {
  const included: ResourceObject[] = [];
  if (include.includes('user')) included.push(...(await peopleResources(db, await usersByIds(db, follows.map((row) => row.userId)), viewer, contacts)));
  if (include.includes('group')) included.push(...(await groups([...new Set(follows.map((row) => row.groupId))])));
  return { data: follows.map(followResource), included };
}

export type GroupEvents = (groupIds: number[]) => Promise<{ ids: Map<number, ResourceIdentifier[]>; included: ResourceObject[] }>;

const identifierOf = (resource: ResourceObject): ResourceIdentifier => ({ type: resource.type, id: resource.id });

/**
 * Groups as resources for this viewer, with what `include` asked for: `user` (the owner), `follower`
 * (the viewer's own follow), `followers` and `followers.user`, and `events` (through `events`, the
 * ones this viewer may see).
 */
export async function groupDocuments(db: Database, rows: Group[], viewer: User | null, include: readonly string[], events?: GroupEvents) {
  const ids = rows.map((row) => row.id);
  const counts = await followerCounts(db, ids);
  const data = new Map<number, Map<string, ResourceIdentifier | ResourceIdentifier[] | null>>(ids.map((id) => [id, new Map()]));
  const included: ResourceObject[] = [];
  if (include.includes('user')) included.push(...(await peopleResources(db, await usersByIds(db, rows.map((row) => row.userId)), viewer)));
  if (include.includes('follower')) {
    const mine = await followsOf(db, viewer, ids);
    for (const id of ids) {
      const follow = mine.get(id);
      data.get(id)!.set('follower', follow ? identifier(FOLLOW_TYPE, follow.id) : null);
      if (follow) included.push(followResource(follow));
    }
  }
  if (include.includes('followers') || include.includes('followers.user')) {
    const follows = await followersOf(db, ids);
    for (const id of ids) data.get(id)!.set('followers', follows.filter((row) => row.groupId === id).map((row) => identifier(FOLLOW_TYPE, row.id)!));
    included.push(...follows.map(followResource));
    if (include.includes('followers.user')) included.push(...(await peopleResources(db, await usersByIds(db, follows.map((row) => row.userId)), viewer)));
  }
  // Groups have no team roles here (OES's users-groups-roles): included, the list says so.
  if (include.includes('roles')) for (const id of ids) data.get(id)!.set('roles', []);
  if (include.includes('events') && events) {
    const found = await events(ids);
    for (const id of ids) data.get(id)!.set('events', found.ids.get(id) ?? []);
    included.push(...found.included);
  }
  return {
    data: rows.map((row) => groupResource(row, counts.get(row.id) ?? 0, data.get(row.id))),
    included: unique(included),
  };
}

export { identifierOf };

function unique(resources: ResourceObject[]): ResourceObject[] {
  const seen = new Set<string>();
  return resources.filter((resource) => {
    const key = `${resource.type}:${resource.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
