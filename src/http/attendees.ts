// Attendees (/v1/attendees, OES ticket holders): the people holding an order's tickets. The event's
// organizers and registrars list them and check them in; the buyer reads and corrects their own
// (names, contact details) but does not check in. Nobody else sees any of it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { attendees, orders, type OrderStatus } from '../db/schema/index.ts';
import { eventAccess, orderAccess } from '../domain/access.ts';
import type { Attendee } from '../domain/orders.ts';
import { collectionDocument, singleDocument } from './jsonapi/document.ts';
import { ApiError, attributePointer, conflict, forbidden, notFound, unprocessable } from './jsonapi/errors.ts';
import { parseInclude, parseListQuery } from './jsonapi/query.ts';
import {
  ErrorDocument,
  IdString,
  LinkOnly,
  ListQuerystring,
  collectionResponse,
  expectType,
  resourceBody,
  singleResponse,
} from './jsonapi/schemas.ts';
import { inputProperties, readAttributes } from './resource/attributes.ts';
import { ATTENDEE_ATTRIBUTES, ATTENDEE_INCLUDES, AttendeeSchema, attendeeDocuments, attendeeFields } from './order-resources.ts';
import { refuseRegistry } from './orders.ts';
import type { AppContext } from './context.ts';

/** Orders whose attendees hold tickets: the others gave theirs back. */
const HOLDING: OrderStatus[] = ['pending', 'completed'];

const AttendeeBody = resourceBody({
  attributes: inputProperties(ATTENDEE_ATTRIBUTES),
  relationships: { event: LinkOnly, order: LinkOnly, ticket: LinkOnly },
});

export async function attendeeRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['attendees'];
  const Params = Type.Object({ id: IdString });
  const IncludeQuery = Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true });

  /** The attendee, their order, and what the viewer may do; 404 for those who may not see them. */
  async function findAttendee(request: FastifyRequest, id: string) {
    const [found] = await db
      .select({ attendee: attendees, order: orders })
      .from(attendees)
      .innerJoin(orders, eq(orders.id, attendees.orderId))
      .where(eq(attendees.id, Number(id)));
    const view = found ? await orderAccess(db, found.order, request.user) : null;
    if (!found || !view?.canSee) throw notFound();
    return { ...found, view, mayRegister: !!view.access?.canRegister || !!request.user?.isAdmin };
  }

  async function respond(attendee: Attendee, include: readonly string[], request: FastifyRequest) {
    const { data, included } = await attendeeDocuments(db, [attendee], include, request.user);
    return singleDocument(data[0]!, { included });
  }

  app.get(
    '/v1/events/:ev/attendees',
    {
      schema: {
        summary: 'The attendees of an event: holders of tickets in pending and completed orders (organizers and registrars)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(AttendeeSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await eventAccess(db, request.params.ev, request.user);
      if (!access?.canRegister) refuseRegistry(request, access, 'attendees');
      const query = parseListQuery(request.query, { fields: attendeeFields(), includes: ATTENDEE_INCLUDES, defaultSort: [asc(attendees.id)] });
      const holding = db.select({ id: orders.id }).from(orders).where(and(eq(orders.eventId, access.event.id), inArray(orders.status, HOLDING)));
      const where = and(eq(attendees.eventId, access.event.id), inArray(attendees.orderId, holding), query.where);
      const [rows, [total]] = await Promise.all([
        db.select().from(attendees).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
        db.select({ n: count() }).from(attendees).where(where),
      ]);
      const { data, included } = await attendeeDocuments(db, rows, query.include, request.user);
      return collectionDocument(data, { count: total!.n, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/attendees/:id',
    {
      schema: {
        summary: 'One attendee (the buyer, the event’s organizers and registrars)',
        tags,
        params: Params,
        querystring: IncludeQuery,
        response: { 200: singleResponse(AttendeeSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { attendee } = await findAttendee(request, request.params.id);
      return respond(attendee, parseInclude(request.query, ATTENDEE_INCLUDES), request);
    },
  );

  app.patch(
    '/v1/attendees/:id',
    {
      schema: {
        summary: 'Change an attendee; organizers and registrars check them in with is-checked-in',
        tags,
        params: Params,
        body: AttendeeBody,
        response: { 200: singleResponse(AttendeeSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { attendee, order, mayRegister } = await findAttendee(request, request.params.id);
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown> } };
      expectType(data, 'attendee');
      if (data.id !== undefined && data.id !== String(attendee.id)) {
        throw new ApiError(409, `The body is about attendee ${data.id}, the URL about ${attendee.id}`, { pointer: '/data/id' });
      }
      if (!HOLDING.includes(order.status)) throw conflict(`The order is ${order.status}: its attendees no longer hold tickets`);
      const { isCheckedIn, ...details } = readAttributes(ATTENDEE_ATTRIBUTES, data.attributes, { create: false }) as Partial<Attendee>;
      const now = new Date();
      let checkIn: Partial<Record<keyof Attendee, unknown>> = {};
      if (isCheckedIn !== undefined && isCheckedIn !== attendee.isCheckedIn) {
        if (!mayRegister) throw forbidden('Only the event’s organizers and registrars check attendees in');
        if (isCheckedIn && order.status !== 'completed') {
          throw unprocessable('The order is not paid yet: mark it completed before its attendees check in', attributePointer('is-checked-in'));
        }
      }
      if (isCheckedIn !== undefined && mayRegister) {
        // Two scanners at two doors may check the same person in at once: one time is recorded.
        checkIn = isCheckedIn
          ? {
              isCheckedIn: true,
              checkinTimes: sql`CASE WHEN ${attendees.isCheckedIn} THEN ${attendees.checkinTimes} ELSE array_append(${attendees.checkinTimes}, ${now.toISOString()}::timestamptz) END`,
            }
          : { isCheckedIn: false };
      }
      const [updated] = await db
        .update(attendees)
        .set({ ...details, ...checkIn, updatedAt: now } as never)
        .where(eq(attendees.id, attendee.id))
        .returning();
      return respond(updated!, [], request);
    },
  );
}
