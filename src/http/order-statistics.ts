// Order statistics as OES has them (`order-statistics-event`, `order-statistics-ticket`): orders,
// tickets and sales per order status, for the event's dashboard and its ticket list. They are read
// by whoever reads the event's orders (its organizers and registrars, and admins).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { eventOrderStatistics, ticketOrderStatistics, type OrderStatistics } from '../domain/order-statistics.ts';
import { singleDocument } from './jsonapi/document.ts';
import { ErrorDocument, IdString, resourceObject, singleResponse } from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const Counts = Type.Object({
  total: Type.Number(),
  draft: Type.Number(),
  cancelled: Type.Number(),
  pending: Type.Number(),
  expired: Type.Number(),
  placed: Type.Number(),
  completed: Type.Number(),
  max: Type.Optional(Type.Integer()),
});
const statisticsProperties = { orders: Counts, tickets: Counts, sales: Counts };
const EventStatistics = resourceObject('order-statistics-event', { ...statisticsProperties, identifier: Type.String() });
const TicketStatistics = resourceObject('order-statistics-ticket', statisticsProperties);

const asAttributes = ({ orders, tickets, sales }: OrderStatistics) => ({ tickets, orders, sales });

export async function orderStatisticsRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['orders'];

  app.get(
    '/v1/events/:ev/order-statistics',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Orders, tickets and sales of an event per order status (its organizers and registrars)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        response: { 200: singleResponse(EventStatistics), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { access, statistics } = await eventOrderStatistics(db, request.params.ev, requireUser(request));
      const { event } = access;
      return singleDocument({
        type: 'order-statistics-event',
        id: String(event.id),
        attributes: { identifier: event.identifier, ...asAttributes(statistics) },
        links: { self: `/v1/events/${event.id}/order-statistics` },
      });
    },
  );

  app.get(
    '/v1/tickets/:id/order-statistics',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Orders, tickets and sales of one ticket per order status (the event’s organizers and registrars)',
        tags,
        params: Type.Object({ id: IdString }),
        response: { 200: singleResponse(TicketStatistics), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const statistics = await ticketOrderStatistics(db, Number(request.params.id), requireUser(request));
      return singleDocument({
        type: 'order-statistics-ticket',
        id: request.params.id,
        attributes: asAttributes(statistics),
        links: { self: `/v1/tickets/${request.params.id}/order-statistics` },
      });
    },
  );
}
