// Events (/v1/events): create (the creator becomes owner), read, change, soft-delete, list.
// `{ev}` is the numeric id or the 8-character identifier.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { accessFor } from '../domain/access.ts';
import {
  changeEvent,
  createEvent,
  deleteEvent,
  eventColumns,
  eventListOrder,
  listEventsOfUser,
  listUpcomingEvents,
  listVisibleEvents,
  listVisibleEventsClassifiedAs,
  managedEvent,
  readableEvent,
  ticketsFilter,
  speakersCallFilter,
  type Event,
  type EventAccess,
  type EventChanges,
  type NewEvent,
} from '../domain/events.ts';
import { CLASSIFICATION_FILTERS, type Classification } from '../domain/event-classification.ts';
import { checkEventGroup } from '../domain/groups.ts';
import type { Database } from '../db/connection.ts';
import { eventFeedUrls } from '../formats/feed-urls.ts';
import { collectionDocument, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { deletedDocument, DeletedResponse } from './jsonapi/deleted.ts';
import { parseListQuery, type ListSpec } from '../domain/list-query.ts';
import { relationshipPointer, unprocessable } from './jsonapi/errors.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { inputProperties, listFields, outputProperties, readAttributes, writeAttributes } from './resource/attributes.ts';
import {
  COMPUTED_ATTRIBUTES,
  DOCUMENT_LINKS_OUTPUT,
  EVENT_ATTRIBUTES,
  EVENT_KINDS,
  EVENT_LIST_ATTRIBUTES,
  UNSET_BY_NULL,
  computedAttributes,
} from './event-attributes.ts';
import {
  ECHOED_RELATIONSHIPS,
  EVENT_RELATIONSHIPS,
  RelationshipEcho,
  eventIncludes,
  eventRelationships,
  resolveIncludes,
  unique,
} from './event-relationships.ts';
import { eventMemberRoutes } from './event-members.ts';
import { eventLinkageRoutes } from './event-linkage.ts';
import { acceptOesValues, filterWithOesValues } from './oes-values.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const FEED_ATTRIBUTES = {
  'ical-url': Type.Union([Type.String(), Type.Null()]),
  'webcal-url': Type.Union([Type.String(), Type.Null()]),
  'xcal-url': Type.Union([Type.String(), Type.Null()]),
  'pentabarf-url': Type.Union([Type.String(), Type.Null()]),
};

export const EventResource = resourceObject(
  'event',
  { ...outputProperties(EVENT_ATTRIBUTES), ...DOCUMENT_LINKS_OUTPUT, ...COMPUTED_ATTRIBUTES, ...FEED_ATTRIBUTES },
  Object.keys(EVENT_RELATIONSHIPS),
);
const EventBody = resourceBody({
  attributes: inputProperties(EVENT_ATTRIBUTES),
  relationships: Object.fromEntries(ECHOED_RELATIONSHIPS.map((name) => [name, RelationshipEcho])),
  readOnly: [...Object.keys(FEED_ATTRIBUTES), ...Object.keys(COMPUTED_ATTRIBUTES)],
});
/** OES's value forms ("true", "1.23", null for a flag) become the JSON types the body schema checks. */
const oesValues = acceptOesValues(EVENT_KINDS, UNSET_BY_NULL);

export function eventResource(
  event: Event,
  access: EventAccess,
  publicUrl: string,
  relationshipData?: Parameters<typeof eventRelationships>[1],
): ResourceObject {
  return {
    type: 'event',
    id: String(event.id),
    attributes: {
      ...writeAttributes(EVENT_ATTRIBUTES, event, access.isTeam),
      ...computedAttributes(event),
      ...eventFeedUrls(event, publicUrl),
    },
    relationships: eventRelationships(event.id, relationshipData),
    links: { self: `/v1/events/${event.id}` },
  };
}

// Filters the web client's event lists send: on flags (also as "true"), on whether an event has a
// type, topic or sub-topic (`ne null`), inside the call for speakers (`has`), on ticket types (`any`).
const EVENT_LIST: ListSpec = {
  fields: listFields(EVENT_LIST_ATTRIBUTES, eventColumns as never, false),
  relationships: {
    ...CLASSIFICATION_FILTERS,
    tickets: ticketsFilter,
    'speakers-call': speakersCallFilter,
  },
  defaultSort: eventListOrder,
};

/** `{"name":"event-topic","op":"ne","val":null}`: "has a topic", said as the `has` the parser knows. */
function relationshipPresence(node: Record<string, unknown>): unknown {
  const name = typeof node.name === 'string' ? node.name.replaceAll('_', '-') : '';
  if (!(name === 'speakers-call' || name in CLASSIFICATION_FILTERS) || node.val !== null || (node.op !== 'eq' && node.op !== 'ne')) return undefined;
  const has = { name, op: 'has', val: { name: 'id', op: 'ne', val: null } };
  return node.op === 'ne' ? has : { not: has };
}

/** The event's type, topic and sub-topic a body sets (`data: null` clears one; other relationships are echoes). */
function classificationIds(relationships: Record<string, { data?: unknown } | undefined> | undefined): Classification {
  const ids: Classification = {};
  const keys = { 'event-type': 'eventTypeId', 'event-topic': 'eventTopicId', 'event-sub-topic': 'eventSubTopicId' } as const;
  for (const [name, key] of Object.entries(keys)) {
    const given = relationships?.[name];
    if (!given || !('data' in given)) continue;
    const data = given.data as { type?: unknown; id?: unknown } | null;
    if (data === null) {
      ids[key] = null;
      continue;
    }
    if (typeof data !== 'object' || Array.isArray(data) || data.type !== name || typeof data.id !== 'string' || !/^[1-9]\d{0,9}$/.test(data.id)) {
      throw unprocessable(`"${name}" takes {"type":"${name}","id":"…"} or null`, relationshipPointer(name));
    }
    ids[key] = Number(data.id);
  }
  return ids;
}

/** The group a body puts the event in (`data: null` takes it out); undefined when the body does not say. */
function groupId(relationships: Record<string, { data?: unknown } | undefined> | undefined): { groupId?: number | null } {
  const given = relationships?.group;
  if (!given || !('data' in given)) return {};
  const data = given.data as { type?: unknown; id?: unknown } | null;
  if (data === null) return { groupId: null };
  if (typeof data !== 'object' || Array.isArray(data) || data.type !== 'group' || typeof data.id !== 'string' || !/^[1-9]\d{0,9}$/.test(data.id)) {
    throw unprocessable('"group" takes {"type":"group","id":"…"} or null', relationshipPointer('group'));
  }
  return { groupId: Number(data.id) };
}

/** The list parameters of an event list, read as OES's client sends them. */
export function eventListQuery(raw: Record<string, unknown>) {
  const include = eventIncludes(raw.include);
  const filter = typeof raw.filter === 'string' ? filterWithOesValues(raw.filter, EVENT_KINDS, relationshipPresence) : raw.filter;
  return { ...parseListQuery({ ...raw, include: undefined, filter }, EVENT_LIST), include };
}

/** Events as resources with what `include` asked for, each person or ticket included once. */
export async function eventDocuments(db: Database, rows: EventAccess[], include: string[], publicUrl: string) {
  const data: ResourceObject[] = [];
  const included: ResourceObject[] = [];
  for (const access of rows) {
    const resolved = include.length ? await resolveIncludes(db, access, include) : undefined;
    data.push(eventResource(access.event, access, publicUrl, resolved?.data));
    if (resolved) included.push(...resolved.included);
  }
  return { data, included: unique(included) };
}

export async function eventRoutes(parent: FastifyInstance, context: AppContext) {
  const { db, config } = context;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['events'];
  const Params = Type.Object({ ev: Type.String({ maxLength: 64 }) });
  const Include = Type.Object({ include: Type.Optional(Type.String({ description: 'Comma-separated: owner, organizers, tickets, roles.user…' })) });

  app.post(
    '/v1/events',
    {
      config: { signedIn: true },
      preValidation: oesValues,
      schema: { summary: 'Create an event (you become its owner)', tags, body: EventBody, response: { 201: singleResponse(EventResource), '4xx': ErrorDocument } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { data } = request.body as { data: { type: string; attributes?: Record<string, unknown>; relationships?: Record<string, { data?: unknown }> } };
      expectType(data, 'event');
      const values = { ...(readAttributes(EVENT_ATTRIBUTES, data.attributes, { create: true }) as NewEvent), ...classificationIds(data.relationships), ...groupId(data.relationships) };
      await checkEventGroup(db, user, values.groupId, null);
      const event = await createEvent(db, user, values);
      reply.code(201).header('location', `/v1/events/${event.id}`);
      return singleDocument(eventResource(event, accessFor(event, new Set(['owner']), user), config.publicUrl));
    },
  );

  app.get(
    '/v1/events',
    {
      schema: {
        summary: 'Events you can see: published public ones, and those you have a role in',
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(EventResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = eventListQuery(request.query as Record<string, unknown>);
      const { rows, total } = await listVisibleEvents(db, request.user, query);
      const { data, included } = await eventDocuments(db, rows, query.include, config.publicUrl);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/events/upcoming',
    {
      schema: {
        summary: 'Upcoming events (OES): published public events that have not started, by start; promoted first to stay, demoted left out',
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(EventResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = eventListQuery(request.query as Record<string, unknown>);
      const { rows, total } = await listUpcomingEvents(db, request.user, query);
      const { data, included } = await eventDocuments(db, rows, query.include, config.publicUrl);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  for (const kind of ['event-types', 'event-topics', 'event-sub-topics'] as const) {
    app.get(
      `/v1/${kind}/:id/events`,
      {
        schema: {
          summary: `The events of one of the ${kind} that you can see`,
          tags,
          params: Type.Object({ id: IdString }),
          querystring: ListQuerystring,
          response: { 200: collectionResponse(EventResource), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const query = eventListQuery(request.query as Record<string, unknown>);
        const { rows, total } = await listVisibleEventsClassifiedAs(db, request.user, { kind, id: Number(request.params.id) }, query);
        const { data, included } = await eventDocuments(db, rows, query.include, config.publicUrl);
        return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
      },
    );
  }

  app.get(
    '/v1/users/:id/events',
    {
      config: { signedIn: true },
      schema: {
        summary: 'The events a user has a role in (the user and admins only)',
        tags,
        params: Type.Object({ id: IdString }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(EventResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = eventListQuery(request.query as Record<string, unknown>);
      const { rows, total } = await listEventsOfUser(db, requireUser(request), Number(request.params.id), query);
      const { data, included } = await eventDocuments(db, rows, query.include, config.publicUrl);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/events/:ev',
    { schema: { summary: 'One event', tags, params: Params, querystring: Include, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } } },
    async (request) => {
      const include = eventIncludes(request.query.include);
      const access = await readableEvent(db, request.params.ev, request.user);
      const { data, included } = await eventDocuments(db, [access], include, config.publicUrl);
      return singleDocument(data[0]!, { included });
    },
  );

  app.patch(
    '/v1/events/:ev',
    {
      config: { signedIn: true },
      preValidation: oesValues,
      schema: { summary: 'Change an event', tags, params: Params, body: EventBody, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } },
    },
    async (request) => {
      const user = requireUser(request);
      const access = await managedEvent(db, request.params.ev, user, 'change');
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, { data?: unknown }> } };
      expectType(data, 'event');
      // The body may name the event by its identifier as well as by its id.
      if (data.id !== access.event.identifier) expectSameId(data, 'event', access.event.id);
      const changes: EventChanges = { ...(readAttributes(EVENT_ATTRIBUTES, data.attributes, { create: false }) as EventChanges), ...classificationIds(data.relationships), ...groupId(data.relationships) };
      await checkEventGroup(db, user, changes.groupId, access.event.groupId);
      // Moved to another group, the event is no longer announced to its followers (OES).
      if (changes.groupId !== undefined && changes.groupId !== access.event.groupId) changes.isAnnounced = false;
      const event = await changeEvent(db, access, changes);
      return singleDocument(eventResource(event, accessFor(event, access.roles, user), config.publicUrl));
    },
  );

  app.delete(
    '/v1/events/:ev',
    {
      config: { signedIn: true },
      schema: { summary: 'Delete an event and hide everything under it', tags, params: Params, response: { 200: DeletedResponse, '4xx': ErrorDocument } },
    },
    async (request) => {
      const access = await managedEvent(db, request.params.ev, requireUser(request), 'delete');
      await deleteEvent(db, access);
      return deletedDocument();
    },
  );

  await eventMemberRoutes(parent, context);
  await eventLinkageRoutes(parent, context);
}
