// Events (/v1/events): create (the creator becomes owner), read, change, soft-delete, list.
// `{ev}` is the numeric id or the 8-character identifier.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { and, asc, count, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { eventRoles, events, tickets } from '../db/schema/index.ts';
import { accessFor, eventAccess, findEvent, type Event, type EventAccess } from '../domain/access.ts';
import { touchSchedule } from '../domain/schedule-version.ts';
import { createEvent } from '../domain/events.ts';
import type { User } from '../domain/users.ts';
import { feedUrls } from '../domain/feeds.ts';
import { collectionDocument, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { ApiError, attributePointer, conflict, forbidden, notFound, unauthorized, unprocessable } from './jsonapi/errors.ts';
import { parseListQuery } from './jsonapi/query.ts';
import {
  ErrorDocument,
  Instant,
  LinkOnly,
  ListQuerystring,
  collectionResponse,
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

const ZONES = new Set(Intl.supportedValuesOf('timeZone'));
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** The canonical IANA name of a zone the runtime knows, or null (offsets like +01:00 are not zones). */
export function canonicalZone(name: string): string | null {
  if (name === 'UTC' || name === 'Etc/UTC') return 'UTC';
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return ZONES.has(resolved) || ZONES.has(name) ? resolved : null;
  } catch {
    return null;
  }
}

function checkEvent(values: Partial<Event>) {
  if (values.timezone !== undefined) {
    const zone = canonicalZone(values.timezone);
    if (!zone) throw unprocessable(`"${values.timezone}" is not an IANA time zone (e.g. Europe/Berlin)`, attributePointer('timezone'));
    values.timezone = zone;
  }
  if (values.startsAt && values.endsAt && values.endsAt.getTime() <= values.startsAt.getTime()) {
    throw unprocessable('"ends-at" must be after "starts-at"', attributePointer('ends-at'));
  }
  if (values.paymentCurrency && !CURRENCIES.has(values.paymentCurrency)) {
    throw unprocessable(`"${values.paymentCurrency}" is not an ISO 4217 currency code`, attributePointer('payment-currency'));
  }
}

export function eventResource(event: Event, access: EventAccess, publicUrl: string): ResourceObject {
  return {
    type: 'event',
    id: String(event.id),
    attributes: {
      ...writeAttributes(EVENT_ATTRIBUTES, event, access.isTeam),
      ...feedUrls(event, publicUrl),
    },
    relationships: Object.fromEntries(
      CHILDREN.map((name) => [name, { links: { related: `/v1/events/${event.id}/${name}` } }]),
    ),
    links: { self: `/v1/events/${event.id}` },
  };
}

/** Events this viewer may see in lists: public ones, their own (any role), everything for admins. */
function visibleEvents(user: User | null): SQL | undefined {
  const published = and(eq(events.state, 'published'), eq(events.privacy, 'public'));
  if (user?.isAdmin) return isNull(events.deletedAt);
  const mine = user
    ? sql`EXISTS (SELECT 1 FROM ${eventRoles} WHERE ${eventRoles.eventId} = ${events.id} AND ${eventRoles.userId} = ${user.id} AND ${eventRoles.deletedAt} IS NULL)`
    : undefined;
  return and(isNull(events.deletedAt), mine ? or(published, mine) : published);
}

export async function eventRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['events'];
  const Params = Type.Object({ ev: Type.String({ maxLength: 64 }) });

  async function visibleEvent(key: string, user: User | null): Promise<EventAccess> {
    const access = await eventAccess(db, key, user);
    if (!access?.canRead) throw notFound();
    return access;
  }

  app.post(
    '/v1/events',
    { schema: { summary: 'Create an event (you become its owner)', tags, body: EventBody, response: { 201: singleResponse(EventResource), '4xx': ErrorDocument } } },
    async (request, reply) => {
      if (!request.user) throw unauthorized();
      const { data } = request.body as { data: { type: string; attributes?: Record<string, unknown> } };
      expectType(data, 'event');
      const values = readAttributes(EVENT_ATTRIBUTES, data.attributes, { create: true }) as Partial<Event>;
      checkEvent(values);
      const event = await createEvent(db, request.user, values as Parameters<typeof createEvent>[2]);
      reply.code(201).header('location', `/v1/events/${event.id}`);
      return singleDocument(eventResource(event, accessFor(event, new Set(['owner']), request.user), config.publicUrl));
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
        fields: listFields(EVENT_ATTRIBUTES, events as never, false),
        defaultSort: [asc(events.startsAt), asc(events.id)],
      });
      const where = and(visibleEvents(request.user), query.where);
      const [rows, [total]] = await Promise.all([
        db.select().from(events).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
        db.select({ n: count() }).from(events).where(where),
      ]);
      const data = await Promise.all(
        rows.map(async (event) => {
          const access = (await eventAccess(db, event.id, request.user))!;
          return eventResource(event, access, config.publicUrl);
        }),
      );
      return collectionDocument(data, { count: total!.n, page: query.page, url: request.url });
    },
  );

  app.get(
    '/v1/events/:ev',
    { schema: { summary: 'One event', tags, params: Params, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } } },
    async (request) => {
      const access = await visibleEvent(request.params.ev, request.user);
      return singleDocument(eventResource(access.event, access, config.publicUrl));
    },
  );

  app.patch(
    '/v1/events/:ev',
    { schema: { summary: 'Change an event', tags, params: Params, body: EventBody, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } } },
    async (request) => {
      if (!request.user) throw unauthorized();
      const access = await visibleEvent(request.params.ev, request.user);
      if (!access.canManage) throw forbidden('Only the event’s owner, organizers and co-organizers can change it');
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown> } };
      expectType(data, 'event');
      if (data.id !== undefined && data.id !== String(access.event.id) && data.id !== access.event.identifier) {
        throw new ApiError(409, `The body is about event ${data.id}, the URL about ${access.event.id}`, { pointer: '/data/id' });
      }
      const values = readAttributes(EVENT_ATTRIBUTES, data.attributes, { create: false }) as Partial<Event>;
      checkEvent({ ...access.event, ...values });
      if (values.paymentCurrency !== undefined && values.paymentCurrency !== access.event.paymentCurrency) {
        // Prices are stored in minor units of the currency: switching currency under existing
        // tickets would silently change every price (and every past order's meaning).
        const [priced] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.eventId, access.event.id)).limit(1);
        if (priced) {
          throw conflict('The event already has tickets priced in its currency; delete them before changing "payment-currency"', attributePointer('payment-currency'));
        }
      }
      if (values.timezone) values.timezone = canonicalZone(values.timezone)!;
      // Name, zone and times are in every exported calendar: they change the schedule too.
      await touchSchedule(db, access.event.id, { ...values, updatedAt: new Date() });
      const event = (await findEvent(db, access.event.id))!;
      return singleDocument(eventResource(event, accessFor(event, access.roles, request.user), config.publicUrl));
    },
  );

  app.delete(
    '/v1/events/:ev',
    { schema: { summary: 'Delete an event and hide everything under it', tags, params: Params, response: { '4xx': ErrorDocument } } },
    async (request, reply) => {
      if (!request.user) throw unauthorized();
      const access = await visibleEvent(request.params.ev, request.user);
      if (!access.canManage) throw forbidden('Only the event’s owner, organizers and co-organizers can delete it');
      await touchSchedule(db, access.event.id, { deletedAt: new Date(), updatedAt: new Date() });
      return reply.code(204).send(null as never);
    },
  );

}
