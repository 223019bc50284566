// Orders (/v1/orders, OES paths): buying tickets (`create-order`), reading an order (its buyer, the
// event's organizers and registrars, admins; 404 for anyone else), settling it (organizers: paid or
// cancelled), and the lists of an event's orders and of your own. The rules live in domain/orders.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { orders } from '../db/schema/index.ts';
import { eventAccess, orderAccess, type EventAccess } from '../domain/access.ts';
import {
  OrderRefused,
  OrderStateError,
  PAYMENT_MODES,
  cancelOrder,
  confirmPayment,
  placeOrder,
  type Order,
} from '../domain/orders.ts';
import { requireUser } from './auth.ts';
import { collectionDocument, singleDocument } from './jsonapi/document.ts';
import { ApiError, attributePointer, forbidden, notFound, unauthorized, unprocessable } from './jsonapi/errors.ts';
import { parseInclude, parseListQuery, type ListSpec } from './jsonapi/query.ts';
import {
  ErrorDocument,
  LinkOnly,
  ListQuerystring,
  collectionResponse,
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
import { Amount } from './tickets.ts';
import type { AppContext } from './context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TicketId = Type.Union([Type.Integer({ minimum: 1, maximum: 999_999_999_999_999 }), Type.String({ pattern: '^[1-9][0-9]{0,14}$' })]);

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
  },
  { additionalProperties: false },
);

const OrderBody = resourceBody({
  attributes: inputProperties(ORDER_ATTRIBUTES),
  relationships: { event: LinkOnly, user: LinkOnly, attendees: LinkOnly, tickets: LinkOnly },
});

/** Domain refusals as API errors: not enough left is a conflict, a broken rule is unprocessable. */
export function orderError(error: unknown): unknown {
  if (error instanceof OrderRefused) {
    return new ApiError(error.reason === 'sold-out' ? 409 : 422, error.message, { pointer: '/' + error.path.join('/') });
  }
  if (error instanceof OrderStateError) return new ApiError(409, error.message, attributePointer('status'));
  return error;
}

/** 401 when anonymous, 403 for the event's team, 404 for everyone else: orders exist only for those who see them. */
export function refuseRegistry(request: FastifyRequest, access: EventAccess | null, what: string): never {
  if (!request.user) throw unauthorized();
  if (access?.isTeam) throw forbidden(`Only the event's organizers and registrars see its ${what}`);
  throw notFound();
}

export async function orderRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['orders'];
  const Params = Type.Object({ identifier: Type.String({ maxLength: 64 }) });
  const IncludeQuery = Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true });

  /** The order by identifier (or numeric id) and what the viewer may do; 404 for those who may not see it. */
  async function findOrder(request: FastifyRequest, key: string) {
    const where = UUID.test(key) ? eq(orders.identifier, key.toLowerCase()) : /^[1-9]\d{0,14}$/.test(key) ? eq(orders.id, Number(key)) : null;
    const [order] = where ? await db.select().from(orders).where(where) : [];
    const view = order ? await orderAccess(db, order, request.user) : null;
    if (!order || !view?.canSee) throw notFound();
    return { order, view };
  }

  async function respond(order: Order, include: readonly string[], request: FastifyRequest) {
    const { data, included } = await orderDocuments(db, [order], include, request.user);
    return singleDocument(data[0]!, { included });
  }

  async function list(request: FastifyRequest, scope: SQL) {
    const spec: ListSpec = { fields: orderFields(), includes: ORDER_INCLUDES, defaultSort: [desc(orders.id)] };
    const query = parseListQuery(request.query as Record<string, unknown>, spec);
    const where = and(scope, query.where);
    const [rows, [total]] = await Promise.all([
      db.select().from(orders).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
      db.select({ n: count() }).from(orders).where(where),
    ]);
    const { data, included } = await orderDocuments(db, rows, query.include, request.user);
    return collectionDocument(data, { count: total!.n, page: query.page, url: request.url, included });
  }

  app.post(
    '/v1/orders/create-order',
    {
      schema: {
        summary: 'Buy tickets: an order with its attendees (free orders complete at once, paid ones wait for payment)',
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
      }).catch((error: unknown) => {
        throw orderError(error);
      });
      reply.code(201).header('location', `/v1/orders/${placed.order.identifier}`);
      const resource = orderResource(placed.order, placed.attendees.map((attendee) => attendee.id), placed.lines.map((line) => line.ticketId));
      return singleDocument(resource, { included: placed.attendees.map(attendeeResource) });
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
      const { order } = await findOrder(request, request.params.identifier);
      return respond(order, parseInclude(request.query, ORDER_INCLUDES), request);
    },
  );

  app.patch(
    '/v1/orders/:identifier',
    {
      schema: {
        summary: 'Settle an order (organizers): status completed with paid-via, or cancelled (tickets freed); order-notes',
        tags,
        params: Params,
        body: OrderBody,
        response: { 200: singleResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { order, view } = await findOrder(request, request.params.identifier);
      if (!view.access?.canManage && !request.user?.isAdmin) throw forbidden('Only the event’s organizers can change an order');
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown> } };
      expectType(data, 'order');
      if (data.id !== undefined && data.id !== String(order.id) && data.id !== order.identifier) {
        throw new ApiError(409, `The body is about order ${data.id}, the URL about ${order.identifier}`, { pointer: '/data/id' });
      }
      const values = readAttributes(ORDER_ATTRIBUTES, data.attributes, { create: false }) as Partial<Order>;
      let current = order;
      try {
        if (values.status !== undefined && values.status !== order.status) {
          if (values.status === 'completed') {
            if (!values.paidVia) throw unprocessable('Say how the order was paid: "paid-via" (bank, cheque, onsite, …)', attributePointer('paid-via'));
            current = (await confirmPayment(db, order.id, values.paidVia)).order;
          } else if (values.status === 'cancelled') {
            current = (await cancelOrder(db, order.id)).order;
          } else {
            throw unprocessable(`An order can be marked completed or cancelled; "${values.status}" is the server’s to set`, attributePointer('status'));
          }
        }
      } catch (error) {
        throw orderError(error);
      }
      const changes: Partial<Order> = {};
      if (values.orderNotes !== undefined) changes.orderNotes = values.orderNotes;
      if (values.paidVia !== undefined && values.paidVia !== current.paidVia) {
        // A correction of how a completed order was paid; anything else about payment goes through the status.
        if (current.status !== 'completed' || !values.paidVia) {
          throw unprocessable('"paid-via" says how a completed order was paid: send it with "status": "completed"', attributePointer('paid-via'));
        }
        changes.paidVia = values.paidVia;
      }
      if (Object.keys(changes).length) {
        [current] = await db.update(orders).set({ ...changes, updatedAt: new Date() }).where(eq(orders.id, order.id)).returning() as [Order];
      }
      return respond(current, [], request);
    },
  );

  app.get(
    '/v1/events/:ev/orders',
    {
      schema: {
        summary: 'The orders of an event (organizers and registrars)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await eventAccess(db, request.params.ev, request.user);
      if (!access?.canRegister) refuseRegistry(request, access, 'orders');
      return list(request, eq(orders.eventId, access.event.id));
    },
  );

  app.get(
    '/v1/users/me/orders',
    {
      schema: {
        summary: 'Your orders, in every event',
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(OrderSchema), '4xx': ErrorDocument },
      },
    },
    async (request) => list(request, eq(orders.userId, requireUser(request).id)),
  );
}

