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
  listVisibleEvents,
  managedEvent,
  readableEvent,
  type Event,
  type EventAccess,
  type EventChanges,
  type NewEvent,
} from '../domain/events.ts';
import { eventFeedUrls } from '../formats/feed-urls.ts';
import { collectionDocument, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { parseListQuery } from './jsonapi/query.ts';
import {
  ErrorDocument,
  Instant,
  LinkOnly,
  ListQuerystring,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import {
  Flag,
  Latitude,
  Longitude,
  RequiredText,
  Text,
  Url,
  inputProperties,
  listFields,
  outputProperties,
  readAttributes,
  writeAttributes,
  type AttributeTable,
} from './resource/attributes.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const EVENT_ATTRIBUTES: AttributeTable = {
  name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
  identifier: { column: 'identifier', kind: 'text' },
  'starts-at': { column: 'startsAt', kind: 'instant', input: Instant, required: true },
  'ends-at': { column: 'endsAt', kind: 'instant', input: Instant, required: true },
  timezone: { column: 'timezone', kind: 'text', input: Type.String({ maxLength: 64 }) },
  description: { column: 'description', kind: 'text', input: Text() },
  'location-name': { column: 'locationName', kind: 'text', input: Text(1000) },
  'searchable-location-name': { column: 'searchableLocationName', kind: 'text', input: Text(1000) },
  online: { column: 'online', kind: 'boolean', input: Flag },
  latitude: { column: 'latitude', kind: 'number', input: Latitude },
  longitude: { column: 'longitude', kind: 'number', input: Longitude },
  privacy: { column: 'privacy', kind: 'text', input: Type.Union([Type.Literal('public'), Type.Literal('private')]) },
  state: { column: 'state', kind: 'text', input: Type.Union([Type.Literal('draft'), Type.Literal('published')]) },
  'schedule-published-on': { column: 'schedulePublishedOn', kind: 'instant', input: Type.Union([Instant, Type.Null()]) },
  'code-of-conduct': { column: 'codeOfConduct', kind: 'text', input: Text() },
  'refund-policy': { column: 'refundPolicy', kind: 'text', input: Text() },
  'logo-url': { column: 'logoUrl', kind: 'text', input: Url },
  'original-image-url': { column: 'originalImageUrl', kind: 'text', input: Url },
  'external-event-url': { column: 'externalEventUrl', kind: 'text', input: Url },
  'ticket-url': { column: 'ticketUrl', kind: 'text', input: Url },
  'owner-name': { column: 'ownerName', kind: 'text', input: Text(1000) },
  'owner-description': { column: 'ownerDescription', kind: 'text', input: Text() },
  'has-owner-info': { column: 'hasOwnerInfo', kind: 'boolean', input: Flag },
  'is-map-shown': { column: 'isMapShown', kind: 'boolean', input: Flag },
  'is-sessions-speakers-enabled': { column: 'isSessionsSpeakersEnabled', kind: 'boolean', input: Flag },
  'is-sponsors-enabled': { column: 'isSponsorsEnabled', kind: 'boolean', input: Flag },
  'payment-currency': { column: 'paymentCurrency', kind: 'text', input: Type.Union([Type.String({ pattern: '^[A-Z]{3}$' }), Type.Null()]) },
  // Minutes an unpaid order holds its tickets (OES's order-expiry-time); at most a week.
  'order-expiry-time': { column: 'orderExpiryTime', kind: 'integer', input: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }) },
  'max-pending-tickets-per-buyer': { column: 'maxPendingTicketsPerBuyer', kind: 'integer', input: Type.Integer({ minimum: 1, maximum: 10_000 }) },
  'created-at': { column: 'createdAt', kind: 'instant' },
  'deleted-at': { column: 'deletedAt', kind: 'instant' },
};

const FEED_ATTRIBUTES = {
  'ical-url': Type.Union([Type.String(), Type.Null()]),
  'webcal-url': Type.Union([Type.String(), Type.Null()]),
  'xcal-url': Type.Union([Type.String(), Type.Null()]),
  'pentabarf-url': Type.Union([Type.String(), Type.Null()]),
};

const CHILDREN = ['tracks', 'microlocations', 'session-types', 'speakers', 'sessions', 'users-events-roles'];

export const EventResource = resourceObject('event', { ...outputProperties(EVENT_ATTRIBUTES), ...FEED_ATTRIBUTES }, CHILDREN);
const EventBody = resourceBody({
  attributes: inputProperties(EVENT_ATTRIBUTES),
  relationships: Object.fromEntries(CHILDREN.map((name) => [name, LinkOnly])),
  readOnly: Object.keys(FEED_ATTRIBUTES),
});

export function eventResource(event: Event, access: EventAccess, publicUrl: string): ResourceObject {
  return {
    type: 'event',
    id: String(event.id),
    attributes: {
      ...writeAttributes(EVENT_ATTRIBUTES, event, access.isTeam),
      ...eventFeedUrls(event, publicUrl),
    },
    relationships: Object.fromEntries(
      CHILDREN.map((name) => [name, { links: { related: `/v1/events/${event.id}/${name}` } }]),
    ),
    links: { self: `/v1/events/${event.id}` },
  };
}

export async function eventRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['events'];
  const Params = Type.Object({ ev: Type.String({ maxLength: 64 }) });

  app.post(
    '/v1/events',
    {
      config: { signedIn: true },
      schema: { summary: 'Create an event (you become its owner)', tags, body: EventBody, response: { 201: singleResponse(EventResource), '4xx': ErrorDocument } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { data } = request.body as { data: { type: string; attributes?: Record<string, unknown> } };
      expectType(data, 'event');
      const values = readAttributes(EVENT_ATTRIBUTES, data.attributes, { create: true }) as NewEvent;
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
      const query = parseListQuery(request.query, {
        fields: listFields(EVENT_ATTRIBUTES, eventColumns as never, false),
        defaultSort: eventListOrder,
      });
      const { rows, total } = await listVisibleEvents(db, request.user, query);
      const data = rows.map((access) => eventResource(access.event, access, config.publicUrl));
      return collectionDocument(data, { count: total, page: query.page, url: request.url });
    },
  );

  app.get(
    '/v1/events/:ev',
    { schema: { summary: 'One event', tags, params: Params, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } } },
    async (request) => {
      const access = await readableEvent(db, request.params.ev, request.user);
      return singleDocument(eventResource(access.event, access, config.publicUrl));
    },
  );

  app.patch(
    '/v1/events/:ev',
    {
      config: { signedIn: true },
      schema: { summary: 'Change an event', tags, params: Params, body: EventBody, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } },
    },
    async (request) => {
      const user = requireUser(request);
      const access = await managedEvent(db, request.params.ev, user, 'change');
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown> } };
      expectType(data, 'event');
      // The body may name the event by its identifier as well as by its id.
      if (data.id !== access.event.identifier) expectSameId(data, 'event', access.event.id);
      const changes = readAttributes(EVENT_ATTRIBUTES, data.attributes, { create: false }) as EventChanges;
      const event = await changeEvent(db, access, changes);
      return singleDocument(eventResource(event, accessFor(event, access.roles, user), config.publicUrl));
    },
  );

  app.delete(
    '/v1/events/:ev',
    { config: { signedIn: true }, schema: { summary: 'Delete an event and hide everything under it', tags, params: Params, response: { '4xx': ErrorDocument } } },
    async (request, reply) => {
      const access = await managedEvent(db, request.params.ev, requireUser(request), 'delete');
      await deleteEvent(db, access);
      return reply.code(204).send(null as never);
    },
  );
}
