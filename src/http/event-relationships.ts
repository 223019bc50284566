// The event's relationships as OES lists them (EventSchema), each with `links.self` and
// `links.related`, and what `include` can resolve. OES gives `data` only for included relationships;
// so does this. Relationships of OES features openevent does not have (video streams, exhibitors,
// the call for speakers…) are present too: included, they say truthfully that there is nothing,
// so the web client's includes of them work.
import { Type } from 'typebox';
import type { Database } from '../db/connection.ts';
import { eventMembers, rolesOfEvent, ticketsOfEvent, type EventAccess } from '../domain/events.ts';
import { roleFlagsOf, type User } from '../domain/users.ts';
import type { RoleName } from '../domain/roles.ts';
import { ApiError } from './jsonapi/errors.ts';
import type { Relationship, ResourceIdentifier, ResourceObject } from './jsonapi/document.ts';
import { serialize } from './resource/serialization.ts';
import { customFormResource } from './custom-forms.ts';
import { customFormsOfEvent } from '../domain/custom-forms.ts';
import { visibleCallOf } from '../domain/schedule/speakers-calls.ts';
import { speakersCallResource } from './speakers-calls.ts';
import { classificationOf } from '../domain/event-classification.ts';
import { subTopicResource, topicResource, typeResource } from './event-classification.ts';
import { roleResource } from './roles.ts';
import { ticketResource } from './tickets.ts';
import { userResource } from './users.ts';
import { groupDocuments } from './group-resources.ts';
import { findGroup } from '../domain/groups.ts';
import type { EventChild } from './resource/definition.ts';
import type { RowOf } from '../domain/event-child/model.ts';
import { listChildren, onlyChild } from '../domain/event-child/read.ts';
import { UNPAGED_LIMIT } from '../domain/list-query.ts';
import { statisticsOf } from '../domain/event-statistics.ts';
import { sponsorResource } from './sponsors.ts';
import { socialLinkResource } from './social-links.ts';
import { eventCopyrightResource } from './event-copyright.ts';
import { taxResource } from './tax.ts';
import { statisticsResource } from './event-extras.ts';
import { includedRoles } from './role-catalogue.ts';

interface EventRelationship {
  type: string;
  many: boolean;
  /** Path under /v1/events/{id}/ of the related resource(s), when it differs from the name. */
  related?: string;
  /** openevent has no such records: included, the relationship is empty. */
  absent?: true;
}

const one = (type: string, extra: Partial<EventRelationship> = {}): EventRelationship => ({ type, many: false, ...extra });
const many = (type: string, extra: Partial<EventRelationship> = {}): EventRelationship => ({ type, many: true, ...extra });
const absent = { absent: true } as const;

/** The event's type, topic and sub-topic: entries of the site's lists (event-classification.ts). */
const CLASSIFICATION = ['event-type', 'event-topic', 'event-sub-topic'] as const;

/** The people lists OES gives an event, by the role they hold. */
export const MEMBER_LISTS: Record<string, RoleName> = {
  organizers: 'organizer',
  coorganizers: 'coorganizer',
  'track-organizers': 'track_organizer',
  registrars: 'registrar',
  moderators: 'moderator',
};

export const EVENT_RELATIONSHIPS: Record<string, EventRelationship> = {
  tickets: many('ticket'),
  faqs: many('faq', absent),
  'faq-types': many('faq-type', absent),
  feedbacks: many('feedback', absent),
  'ticket-tags': many('ticket-tag', absent),
  microlocations: many('microlocation'),
  'social-links': many('social-link'),
  tracks: many('track'),
  sponsors: many('sponsor'),
  'speakers-call': one('speakers-call'),
  'session-types': many('session-type'),
  'event-copyright': one('event-copyright'),
  tax: one('tax'),
  sessions: many('session'),
  speakers: many('speaker'),
  'event-type': one('event-type'),
  'event-topic': one('event-topic'),
  'event-sub-topic': one('event-sub-topic'),
  group: one('group'),
  'custom-forms': many('custom-form'),
  owner: one('user'),
  organizers: many('user'),
  coorganizers: many('user'),
  'stripe-authorization': one('stripe-authorization', absent),
  'order-statistics': one('order-statistics-event', absent),
  'general-statistics': one('event-statistics-general'),
  'video-stream': one('video-stream', absent),
  exhibitors: many('exhibitor', absent),
  'session-favourites': many('user-favourite-session', { ...absent, related: 'user-favourite-sessions' }),
  'speaker-invites': many('speaker-invite', absent),
  station: many('station', absent),
  'badge-forms': many('badge-form', absent),
  tags: many('tag', absent),
  'event-invoices': many('event-invoice', absent),
  'discount-codes': many('discount-code', absent),
  'track-organizers': many('user'),
  moderators: many('user'),
  registrars: many('user'),
  orders: many('order'),
  'role-invites': many('role-invite'),
  'access-codes': many('access-code', absent),
  attendees: many('attendee'),
  roles: many('users-events-roles', { related: 'users-events-roles' }),
  // openevent's earlier name for `roles`, kept for clients that follow it.
  'users-events-roles': many('users-events-roles'),
};

/**
 * Relationship names a client may send back in an event body: OES's, and those of the web client's
 * event model that OES does not list (sent by ember-data, ignored by OES and here).
 */
export const ECHOED_RELATIONSHIPS = [
  ...Object.keys(EVENT_RELATIONSHIPS),
  'location',
  'badges',
  'forms',
  'email-notifications',
  'invoice',
  'user',
  'discount-code',
];

export const RelationshipEcho = Type.Optional(
  Type.Object({ data: Type.Optional(Type.Unknown()), links: Type.Optional(Type.Unknown()), meta: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
);

/** What an event's `include=group.…` may ask of its group (group-resources.ts). */
const GROUP_PATHS = ['user', 'follower', 'followers', 'followers.user'];

/** The event's sponsors, social links, copyright and tax: event children, listed whole or one per event. */
const EXTRAS: Record<string, () => EventChild> = {
  sponsors: () => sponsorResource,
  'social-links': () => socialLinkResource,
  'event-copyright': () => eventCopyrightResource,
  tax: () => taxResource,
};

/** Include paths resolved here; a nested path under an absent feature (`exhibitors.…`) is empty too. */
const RESOLVED = new Set([
  'owner', ...Object.keys(MEMBER_LISTS), 'tickets', 'custom-forms', ...CLASSIFICATION, ...Object.keys(EXTRAS), 'general-statistics', 'speakers-call',
  'roles', 'roles.user', 'roles.role', 'users-events-roles', 'users-events-roles.user', 'users-events-roles.role',
  'group', ...GROUP_PATHS.map((path) => `group.${path}`),
]);

/** Relationships whose linkage this server resolves (the rest are OES features it lacks, or given by link only). */
export const LINKAGE_RESOLVED: ReadonlySet<string> = new Set([
  'owner', ...Object.keys(MEMBER_LISTS), 'tickets', 'custom-forms', ...CLASSIFICATION, ...Object.keys(EXTRAS), 'general-statistics', 'roles', 'users-events-roles',
  'group', 'speakers-call',
]);

/** The include paths asked for, checked: 400 for one this server cannot answer truthfully. */
export function eventIncludes(raw: unknown): string[] {
  if (raw === undefined || raw === '') return [];
  if (typeof raw !== 'string') throw new ApiError(400, 'include was given more than once', { parameter: 'include' });
  const paths = [...new Set(raw.split(',').map((path) => path.trim()).filter(Boolean))];
  for (const path of paths) {
    const head = path.split('.')[0]!;
    if (RESOLVED.has(path) || EVENT_RELATIONSHIPS[head]?.absent) continue;
    throw new ApiError(400, `Cannot include "${path}" on events; choose from ${[...RESOLVED].join(', ')} or OES features openevent lacks (empty)`, {
      parameter: 'include',
    });
  }
  return paths;
}

/** Relationships of one event: links always, `data` for those included. */
export function eventRelationships(eventId: number, data: Map<string, ResourceIdentifier | ResourceIdentifier[] | null> = new Map()): Record<string, Relationship> {
  return Object.fromEntries(
    Object.entries(EVENT_RELATIONSHIPS).map(([name, relationship]) => {
      const links = { self: `/v1/events/${eventId}/relationships/${name}`, related: `/v1/events/${eventId}/${relationship.related ?? name}` };
      return [name, data.has(name) ? { links, data: data.get(name)! } : { links }];
    }),
  );
}

/** People as this viewer may see them: the event's team (and admins) sees contact details. */
export async function memberResources(db: Database, users: User[], access: EventAccess): Promise<ResourceObject[]> {
  const roles = await roleFlagsOf(db, users.map((user) => user.id));
  return users.map((user) => {
    const resource = userResource(user, roles.get(user.id)!);
    if (access.isTeam) return resource;
    const { email: _hidden, ...attributes } = resource.attributes;
    return { ...resource, attributes };
  });
}

const identifierOf = (resource: ResourceObject): ResourceIdentifier => ({ type: resource.type, id: resource.id });

/** What `include` adds to one event: the relationships' data and the included resources. */
export async function resolveIncludes(
  db: Database,
  access: EventAccess,
  include: readonly string[],
): Promise<{ data: Map<string, ResourceIdentifier | ResourceIdentifier[] | null>; included: ResourceObject[] }> {
  const data = new Map<string, ResourceIdentifier | ResourceIdentifier[] | null>();
  const included: ResourceObject[] = [];
  const heads = new Set(include.map((path) => path.split('.')[0]!));

  const memberRoles = [...heads].filter((name) => name === 'owner' || name in MEMBER_LISTS);
  if (memberRoles.length) {
    const roleNames = memberRoles.map((name) => (name === 'owner' ? 'owner' : MEMBER_LISTS[name]!));
    const members = await eventMembers(db, access.event.id, roleNames);
    for (const name of memberRoles) {
      const resources = await memberResources(db, members.get(name === 'owner' ? 'owner' : MEMBER_LISTS[name]!)!, access);
      data.set(name, name === 'owner' ? (resources[0] ? identifierOf(resources[0]) : null) : resources.map(identifierOf));
      included.push(...resources);
    }
  }
  if (heads.has('tickets')) {
    const rows = await ticketsOfEvent(db, access);
    const tickets = (await serialize(db, ticketResource, rows as never, access)).data;
    data.set('tickets', tickets.map(identifierOf));
    included.push(...tickets);
  }
  if (CLASSIFICATION.some((name) => heads.has(name))) {
    const { type, topic, subTopic } = await classificationOf(db, access.event);
    const resources: Record<(typeof CLASSIFICATION)[number], ResourceObject | null> = {
      'event-type': type && typeResource(type),
      'event-topic': topic && topicResource(topic),
      'event-sub-topic': subTopic && subTopicResource(subTopic),
    };
    for (const name of CLASSIFICATION.filter((name) => heads.has(name))) {
      const resource = resources[name];
      data.set(name, resource && identifierOf(resource));
      if (resource) included.push(resource);
    }
  }
  if (heads.has('custom-forms')) {
    const rows = await customFormsOfEvent(db, access.event.id);
    const fields = (await serialize(db, customFormResource, rows as never, access)).data;
    data.set('custom-forms', fields.map(identifierOf));
    included.push(...fields);
  }
  for (const [name, resourceOf] of Object.entries(EXTRAS).filter(([name]) => heads.has(name))) {
    const resource = resourceOf();
    let rows: RowOf[];
    if (resource.onePerEvent) {
      const row = await onlyChild(db, resource.model, access);
      rows = row ? [row] : [];
    } else {
      rows = (await listChildren(db, resource.model, access, { where: undefined, orderBy: resource.model.defaultSort(), limit: UNPAGED_LIMIT, offset: 0, trashed: false })).rows;
    }
    const objects = (await serialize(db, resource, rows, access)).data;
    data.set(name, resource.onePerEvent ? (objects[0] ? identifierOf(objects[0]) : null) : objects.map(identifierOf));
    included.push(...objects);
  }
  if (heads.has('general-statistics')) {
    // For the event's managers, as the statistics route; for anyone else there are none to include.
    const stats = access.canManage ? statisticsResource(await statisticsOf(db, access.event)) : null;
    data.set('general-statistics', stats && identifierOf(stats));
    if (stats) included.push(stats);
  }
  if (heads.has('speakers-call')) {
    const call = await visibleCallOf(db, access, null);
    const resources = call ? (await serialize(db, speakersCallResource, [call] as never, access)).data : [];
    data.set('speakers-call', resources[0] ? identifierOf(resources[0]) : null);
    included.push(...resources);
  }
  for (const name of ['roles', 'users-events-roles'].filter((name) => heads.has(name))) {
    const roles = await rolesOfEvent(db, access);
    const resources = roles.map(roleResource);
    data.set(name, resources.map(identifierOf));
    included.push(...resources);
    if (include.includes(`${name}.role`)) included.push(...includedRoles(roles.map((role) => role.roleName)));
    if (include.includes(`${name}.user`) && roles.length) {
      const everyone = await eventMembers(db, access.event.id, [...new Set(roles.map((role) => role.roleName))]);
      included.push(...(await memberResources(db, [...everyone.values()].flat(), access)));
    }
  }
  if (heads.has('group')) {
    const groupId = access.event.groupId;
    if (groupId === null) data.set('group', null);
    else {
      // Asked along an event, the group is seen as by a visitor: no one's email, no own follow.
      const nested = include.filter((path) => path.startsWith('group.')).map((path) => path.slice('group.'.length));
      const groups = await groupDocuments(db, [await findGroup(db, groupId)], null, nested);
      data.set('group', identifierOf(groups.data[0]!));
      included.push(...groups.data, ...groups.included);
    }
  }
  for (const name of heads) {
    const relationship = EVENT_RELATIONSHIPS[name];
    if (relationship?.absent) data.set(name, relationship.many ? [] : null);
  }
  return { data, included: unique(included) };
}

/** Each resource once (a person can be owner and organizer). */
export function unique(resources: ResourceObject[]): ResourceObject[] {
  const seen = new Set<string>();
  return resources.filter((resource) => {
    const key = `${resource.type}:${resource.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
