// Orders (/v1/orders, OES paths): buying tickets (`create-order`), reading an order (its buyer, the
// event's organizers and registrars, admins; 404 for anyone else), changing it (organizers settle it,
// its buyer may cancel it while pending), and the lists of an event's orders and of your own. The
// rules and queries live in domain/orders.ts, domain/order-changes.ts and domain/order-records.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { changeOrder, type OrderChanges } from '../domain/order-changes.ts';
import {
  listEventOrders,
  listOrdersOf,
  newestOrdersFirst,
  orderBuyerFor,
  orderContents,
  orderForViewer,
  registryOf,
  type ListWindow,
  type OrderContents,
} from '../domain/order-records.ts';
import { PAYMENT_MODES, placeOrder, type Order } from '../domain/orders.ts';
import { completedBy, mailOrderConfirmation } from '../domain/order-mail.ts';
import { siteIdentity } from '../domain/settings.ts';
import type { Page } from '../db/paging.ts';
import { requireUser } from './auth.ts';
import { collectionDocument, singleDocument } from './jsonapi/document.ts';
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
import { RequiredText, Text, inputProperties, readAttributes } from './resource/attributes.ts';
import {
  ORDER_ATTRIBUTES,
  ORDER_INCLUDES,
  OrderSchema,
  attendeeResource,
  orderDocuments,
  orderFields,
  orderResource,
} from './order-resources.ts';
import { acceptOesAttributes } from './oes-values.ts';
import { Amount } from './tickets.ts';
import type { AppContext } from './context.ts';

export const TicketId = Type.Union([Type.Integer({ minimum: 1, maximum: 999_999_999_999_999 }), Type.String({ pattern: '^[1-9][0-9]{0,14}$' })]);

/** A discount or access code id, as OES takes it (a number, or digits as text). */
export const Code = Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 100 }), Type.Null()]));

const CreateOrderBody = Type.Object(
  {
    tickets: Type.Array(
      Type.Object(
        {
          id: TicketId,
          quantity: Type.Integer({ minimum: 0, maximum: 10_000 }),
          // Donation tickets only; the server prices every other ticket itself.
          price: Type.Optional(Amount),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    attendees: Type.Optional(
      Type.Array(
        Type.Object(
          {
            firstname: RequiredText(200),
            lastname: RequiredText(200),
            email: Type.String({ format: 'email', maxLength: 254 }),
            ticket: TicketId,
            address: Type.Optional(Text(1000)),
            city: Type.Optional(Text(200)),
            state: Type.Optional(Text(200)),
            country: Type.Optional(Text(200)),
            'attendee-notes': Type.Optional(Text(10_000)),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10_000 },
      ),
    ),
    // Honoured only from the event's organizers (a discount at the door); ignored from anyone else.
    amount: Type.Optional(Amount),
    'payment-mode': Type.Optional(Type.Union([...PAYMENT_MODES.map((mode) => Type.Literal(mode)), Type.Null()])),
    'order-notes': Type.Optional(Text(10_000)),
    country: Type.Optional(Text(200)),
    // OES's client names the codes dasherized, its Blueprint with underscores.
    discount_code: Code,
    'discount-code': Code,
    access_code: Code,
    'access-code': Code,
  },
  { additionalProperties: false },
);

const OrderBody = resourceBody({
  attributes: inputProperties(ORDER_ATTRIBUTES),
  // OES's client sends the order's codes back too; codes are the subject of their own resources.
  relationships: { event: LinkOnly, user: LinkOnly, attendees: LinkOnly, tickets: LinkOnly, 'discount-code': LinkOnly, 'access-code': LinkOnly },
});

export async function orderRoutes(parent: FastifyInstance, { db, config, mailer }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['orders'];
  const Params = Type.Object({ identifier: Type.String({ maxLength: 64 }) });
  const IncludeQuery = Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true });
  app.addHook('preValidation', acceptOesAttributes(ORDER_ATTRIBUTES));

  async function respond(order: Order, include: readonly string[], request: FastifyRequest, contents?: OrderContents) {
    const { data, included } = await orderDocuments(db, [order], include, request.user, config.publicUrl, contents);
    return singleDocument(data[0]!, { included });
  }

  async function list(request: FastifyRequest, fetch: (window: ListWindow) => Promise<Page<Order>>) {
    const query = parseListQuery(request.query as Record<string, unknown>, { fields: orderFields(), includes: ORDER_INCLUDES, defaultSort: newestOrdersFirst() });
    const { rows, total } = await fetch(query);
    const { data, included } = await orderDocuments(db, rows, query.include, request.user, config.publicUrl);
    return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
  }

  app.post(
    '/v1/orders/create-order',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Buy tickets: an initializing order with its attendees, holding its tickets until the buyer sends the order form',
        tags,
        body: CreateOrderBody,
        response: { 201: singleResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const buyer = requireUser(request);
      const body = request.body;
      const placed = await placeOrder(db, {
        buyer,
        lines: body.tickets.map((line) => ({ ticketId: Number(line.id), quantity: line.quantity, price: line.price })),
        attendees: body.attendees?.map((attendee) => ({
          ticketId: Number(attendee.ticket),
          firstname: attendee.firstname,
          lastname: attendee.lastname,
          email: attendee.email,
          address: attendee.address ?? null,
          city: attendee.city ?? null,
          state: attendee.state ?? null,
          country: attendee.country ?? null,
          attendeeNotes: attendee['attendee-notes'] ?? null,
        })),
        amount: body.amount,
        paymentMode: body['payment-mode'],
        orderNotes: body['order-notes'],
        country: body.country,
        discountCode: body.discount_code ?? body['discount-code'],
        accessCode: body.access_code ?? body['access-code'],
      });
      reply.code(201).header('location', `/v1/orders/${placed.order.identifier}`);
      const resource = orderResource(placed.order, placed.attendees.map((attendee) => attendee.id), placed.lines.map((line) => line.ticketId));
      return singleDocument(resource, { included: placed.attendees.map((attendee) => attendeeResource(attendee)) });
    },
  );

  app.get(
    '/v1/orders/:identifier',
    {
      schema: {
        summary: 'One order, by identifier (its buyer, the event’s organizers and registrars)',
        tags,
        params: Params,
        querystring: IncludeQuery,
        response: { 200: singleResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { order } = await orderForViewer(db, request.params.identifier, request.user);
      return respond(order, parseInclude(request.query, ORDER_INCLUDES), request);
    },
  );

  app.patch(
    '/v1/orders/:identifier',
    {
      schema: {
        summary:
          'Send the order form (its buyer: completed for a free order, pending with a payment mode for a paid one; billing details), settle it (organizers: completed with paid-via, or cancelled; order-notes); its buyer may cancel it while unfinished',
        tags,
        params: Params,
        body: OrderBody,
        response: { 200: singleResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      // Anonymous callers see no order at all: 404 before 401.
      const { order, view } = await orderForViewer(db, request.params.identifier, request.user);
      const user = requireUser(request);
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown> } };
      expectType(data, 'order');
      // The body may name the order by its numeric id or by its identifier.
      if (data.id !== order.identifier) expectSameId(data, 'order', order.id);
      const changes = readAttributes(ORDER_ATTRIBUTES, data.attributes, { create: false }) as OrderChanges;
      const current = await changeOrder(db, order, view, user, changes);
      if (!completedBy(order, current)) return respond(current, [], request);
      // The mail and the answer both need the order's attendees and lines: read once.
      const contents = await orderContents(db, [current.id]);
      // The order is complete whatever happens to the mail (the mailer keeps what SMTP refuses in its outbox).
      try {
        const known = { event: view.access?.event, buyer: user.id === current.userId ? user : null, contents };
        await mailOrderConfirmation(db, mailer, current, await siteIdentity(db, { frontendUrl: config.publicUrl }), known);
      } catch (error) {
        request.log.error({ err: error, order: current.identifier }, 'the order confirmation was not mailed');
      }
      return respond(current, [], request, contents);
    },
  );

  app.get(
    '/v1/events/:ev/orders',
    {
      config: { signedIn: true },
      schema: {
        summary: 'The orders of an event (organizers and registrars)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await registryOf(db, request.params.ev, requireUser(request), 'orders');
      return list(request, (window) => listEventOrders(db, access.event.id, window));
    },
  );

  // OES's client lists a user's orders through the user (`user.query('orders')`): /v1/users/{id}/orders.
  app.get(
    '/v1/users/:id/orders',
    {
      config: { signedIn: true },
      schema: {
        summary: 'A user’s orders, in every event (`me` for yours; the user and admins only)',
        tags,
        params: Type.Object({ id: Type.Union([IdString, Type.Literal('me')]) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const viewer = requireUser(request);
      const buyer = await orderBuyerFor(db, viewer, request.params.id === 'me' ? viewer.id : Number(request.params.id));
      return list(request, (window) => listOrdersOf(db, buyer, window));
    },
  );
}

