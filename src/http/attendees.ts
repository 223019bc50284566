// Attendees (/v1/attendees, OES ticket holders): the people holding an order's tickets. The event's
// organizers and registrars list them and check them in; the buyer reads and corrects their own
// (names, contact details) but does not check in. Nobody else sees any of it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { changeAttendee, type AttendeeChanges } from '../domain/attendees.ts';
import {
  attendeeForViewer,
  attendeesInIdOrder,
  eventOfOrder,
  listEventAttendees,
  listTicketAttendees,
  registryOf,
  type ListWindow,
} from '../domain/order-records.ts';
import type { Page } from '../db/paging.ts';
import type { Attendee } from '../domain/orders.ts';
import { requireUser } from './auth.ts';
import { collectionDocument, singleDocument } from './jsonapi/document.ts';
import { notFound } from './jsonapi/errors.ts';
import { parseInclude, parseListQuery } from '../domain/list-query.ts';
import {
  ErrorDocument,
  IdString,
  LinkOnly,
  ListQuerystring,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  singleResponse,
} from './jsonapi/schemas.ts';
import { inputProperties, readAttributes } from './resource/attributes.ts';
import { EventResource, eventResource } from './events.ts';
import { TicketSchema } from './tickets.ts';
import {
  ATTENDEE_ATTRIBUTES,
  ATTENDEE_CLIENT_ONLY,
  ATTENDEE_INCLUDES,
  AttendeeSchema,
  COMPLEX_FIELD_VALUES,
  ComplexFieldValues,
  OrderSchema,
  attendeeDocuments,
  attendeeListSpec,
  attendeeTicketResource,
  orderDocuments,
} from './order-resources.ts';
import { acceptOesAttributes } from './oes-values.ts';
import type { AppContext } from './context.ts';


const AttendeeBody = resourceBody({
  attributes: { ...inputProperties(ATTENDEE_ATTRIBUTES), [COMPLEX_FIELD_VALUES]: Type.Optional(ComplexFieldValues) },
  readOnly: ATTENDEE_CLIENT_ONLY,
  relationships: { event: LinkOnly, order: LinkOnly, ticket: LinkOnly, user: LinkOnly },
});

export async function attendeeRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['attendees'];
  const Params = Type.Object({ id: IdString });
  const IncludeQuery = Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true });
  app.addHook('preValidation', acceptOesAttributes(ATTENDEE_ATTRIBUTES));

  async function respond(attendee: Attendee, include: readonly string[], request: FastifyRequest) {
    const { data, included } = await attendeeDocuments(db, [attendee], include, request.user, config.publicUrl);
    return singleDocument(data[0]!, { included });
  }

  /** A page of attendees as the query asks (filter, also on their `order`; sort; include). */
  async function list(request: FastifyRequest, fetch: (window: ListWindow) => Promise<Page<Attendee>>) {
    const query = parseListQuery(request.query as Record<string, unknown>, attendeeListSpec(attendeesInIdOrder()));
    const { rows, total } = await fetch(query);
    const { data, included } = await attendeeDocuments(db, rows, query.include, request.user, config.publicUrl);
    return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
  }

  app.get(
    '/v1/events/:ev/attendees',
    {
      config: { signedIn: true },
      schema: {
        summary: 'The attendees of an event: holders of tickets in pending and completed orders (organizers and registrars)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(AttendeeSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await registryOf(db, request.params.ev, requireUser(request), 'attendees');
      return list(request, (window) => listEventAttendees(db, access.event.id, window));
    },
  );

  app.get(
    '/v1/tickets/:id/attendees',
    {
      config: { signedIn: true },
      schema: {
        summary: 'The holders of a ticket: all of them for the event’s organizers and registrars, those of your own orders for a buyer',
        tags,
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(AttendeeSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return list(request, (window) => listTicketAttendees(db, Number(request.params.id), user, window));
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
      const { attendee } = await attendeeForViewer(db, Number(request.params.id), request.user);
      return respond(attendee, parseInclude(request.query, ATTENDEE_INCLUDES), request);
    },
  );

  // The related links of an attendee's relationships, as OES has them (its client follows them).
  const Ignored = Type.Object({}, { additionalProperties: true });
  app.get(
    '/v1/attendees/:id/event',
    {
      schema: { summary: 'The event of an attendee', tags, params: Params, querystring: Ignored, response: { 200: singleResponse(EventResource), '4xx': ErrorDocument } },
    },
    async (request) => {
      const { order } = await attendeeForViewer(db, Number(request.params.id), request.user);
      const access = await eventOfOrder(db, order, request.user);
      return singleDocument(eventResource(access.event, access, config.publicUrl));
    },
  );

  app.get(
    '/v1/attendees/:id/order',
    {
      schema: { summary: 'The order of an attendee', tags, params: Params, querystring: Ignored, response: { 200: singleResponse(OrderSchema), '4xx': ErrorDocument } },
    },
    async (request) => {
      const { order } = await attendeeForViewer(db, Number(request.params.id), request.user);
      const { data } = await orderDocuments(db, [order], [], request.user, config.publicUrl);
      return singleDocument(data[0]!);
    },
  );

  app.get(
    '/v1/attendees/:id/ticket',
    {
      schema: { summary: 'The ticket an attendee holds', tags, params: Params, querystring: Ignored, response: { 200: singleResponse(TicketSchema), '4xx': ErrorDocument } },
    },
    async (request) => {
      const { attendee } = await attendeeForViewer(db, Number(request.params.id), request.user);
      const ticket = await attendeeTicketResource(db, attendee, request.user);
      if (!ticket) throw notFound('The ticket of this attendee has been deleted');
      return singleDocument(ticket);
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
      const { attendee, order, view } = await attendeeForViewer(db, Number(request.params.id), request.user);
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown> } };
      expectType(data, 'attendee');
      expectSameId(data, 'attendee', attendee.id);
      const changes = readAttributes(ATTENDEE_ATTRIBUTES, data.attributes, { create: false }) as AttendeeChanges;
      const answers = data.attributes?.[COMPLEX_FIELD_VALUES];
      if (answers !== undefined) changes.complexFieldValues = answers as AttendeeChanges['complexFieldValues'];
      const mayRegister = !!view.access?.canRegister || !!request.user?.isAdmin;
      const updated = await changeAttendee(db, attendee, order, mayRegister, changes);
      return respond(updated, [], request);
    },
  );
}
