// What OES's order page reads, by order identifier (its client links an order's event, tickets and
// attendees there itself): the event, the tickets bought, the attendees, and `verify`, which the page
// posts on every visit to learn whether a payment went through. Only the order's buyer, the event's
// organizers and registrars, and admins see any of it; for anyone else the order does not exist.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { attendeesInIdOrder, eventOfOrder, listOrderAttendees, orderForViewer } from '../domain/order-records.ts';
import { collectionDocument, singleDocument } from './jsonapi/document.ts';
import { parseListQuery } from '../domain/list-query.ts';
import { ErrorDocument, ListQuerystring, collectionResponse, singleResponse } from './jsonapi/schemas.ts';
import { EventResource, eventResource } from './events.ts';
import { AttendeeSchema, attendeeDocuments, attendeeListSpec, orderTicketResources } from './order-resources.ts';
import { TicketSchema } from './tickets.ts';
import type { AppContext } from './context.ts';

const TicketList = collectionResponse(TicketSchema);

export async function orderPageRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['orders'];
  const Params = Type.Object({ identifier: Type.String({ maxLength: 64 }) });

  app.get(
    '/v1/orders/:identifier/event',
    {
      schema: {
        summary: 'The event of an order',
        tags,
        params: Params,
        // The order page asks `include=tax`; events include nothing yet, so it is not refused.
        querystring: Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true }),
        response: { 200: singleResponse(EventResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { order } = await orderForViewer(db, request.params.identifier, request.user);
      const access = await eventOfOrder(db, order, request.user);
      return singleDocument(eventResource(access.event, access, config.publicUrl));
    },
  );

  app.get(
    '/v1/orders/:identifier/tickets',
    {
      schema: {
        summary: 'The tickets an order bought',
        tags,
        params: Params,
        querystring: Type.Object({}, { additionalProperties: true }),
        response: { 200: TicketList, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { order } = await orderForViewer(db, request.params.identifier, request.user);
      const data = await orderTicketResources(db, order, request.user);
      // An order has a few lines at most: one page holds them all.
      return collectionDocument(data, { count: data.length, page: { number: 1, size: Math.max(1, data.length) }, url: request.url });
    },
  );

  app.get(
    '/v1/orders/:identifier/attendees',
    {
      schema: {
        summary: 'The attendees of an order',
        tags,
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(AttendeeSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { order } = await orderForViewer(db, request.params.identifier, request.user);
      const query = parseListQuery(request.query as Record<string, unknown>, attendeeListSpec(attendeesInIdOrder()));
      const { rows, total } = await listOrderAttendees(db, order.id, query);
      const { data, included } = await attendeeDocuments(db, rows, query.include, request.user, config.publicUrl);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.post(
    '/v1/orders/:identifier/verify',
    {
      config: { plainJson: true, bodyless: true },
      schema: {
        summary: 'Where the payment of an order stands: {"payment_status": <the order’s status>} (no body)',
        tags,
        params: Params,
        response: { 200: Type.Object({ payment_status: Type.String() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      // No card gateway confirms payments yet, so there is nothing to ask one: the order's status is the answer.
      const { order } = await orderForViewer(db, request.params.identifier, request.user);
      return { payment_status: order.status };
    },
  );
}
