// What OES's public ticket list asks before an order is placed, in OES's plain JSON: what is left of
// each ticket (`tickets/availability`) and what the chosen tickets would cost (`calculate-amount`,
// priced by the same rules as create-order). Neither needs an account: the list shows to anyone.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { quoteOrder } from '../domain/order-quotes.ts';
import { ticketAvailability } from '../domain/tickets.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { Code, TicketId } from './orders.ts';
import { Amount } from './tickets.ts';
import type { AppContext } from './context.ts';

const Availability = Type.Array(
  Type.Object({ id: Type.Integer(), name: Type.String(), quantity: Type.Integer(), available: Type.Integer() }),
);


const QuoteBody = Type.Object(
  {
    tickets: Type.Array(
      Type.Object(
        {
          id: TicketId,
          // OES counts a line without a quantity as one ticket.
          quantity: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          // Donation tickets only: what the buyer gives per ticket. Sent for every ticket by OES's client.
          price: Type.Optional(Amount),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    // OES's client sends the amount an organizer typed; a quote is what the tickets cost, so it is not used.
    amount: Type.Optional(Amount),
    discount_code: Code,
    'discount-code': Code,
    access_code: Code,
    'access-code': Code,
    discount_verify: Type.Optional(Type.Boolean()),
    'discount-verify': Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Money = Type.Number();
const QuoteAnswer = Type.Object({
  sub_total: Money,
  total: Money,
  discount: Money,
  // Null when the event charges no tax.
  tax: Type.Union([Type.Null(), Type.Object({ included: Type.Boolean(), amount: Money, percent: Type.Number(), name: Type.String() })]),
  tickets: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      price: Money,
      quantity: Type.Integer(),
      discount: Type.Union([
        Type.Null(),
        Type.Object({
          code: Type.String(),
          percent: Type.Number(),
          amount: Money,
          total: Money,
          type: Type.String(),
          warning: Type.Optional(Type.String()),
        }),
      ]),
      ticket_fee: Money,
      sub_total: Money,
      ticket_tax: Money,
      discounted_tax: Money,
    }),
  ),
});

export async function checkoutRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['tickets'];

  app.get(
    '/v1/events/:ev/tickets/availability',
    {
      config: { plainJson: true },
      schema: {
        summary: 'What is left of each ticket of an event you may see: [{id, name, quantity, available}] (plain JSON)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        response: { 200: Availability, '4xx': ErrorDocument },
      },
    },
    (request) => ticketAvailability(db, request.params.ev, request.user),
  );

  app.post(
    '/v1/orders/calculate-amount',
    {
      config: { plainJson: true },
      schema: {
        summary: 'What these tickets would cost, priced as create-order prices them (plain JSON; nothing is held)',
        tags: ['orders'],
        body: QuoteBody,
        response: { 200: QuoteAnswer, '4xx': ErrorDocument },
      },
    },
    (request) => {
      const body = request.body;
      return quoteOrder(
        db,
        {
          lines: body.tickets.map((line) => ({ ticketId: Number(line.id), quantity: line.quantity ?? 1, price: line.price })),
          discountCode: body.discount_code ?? body['discount-code'],
          accessCode: body.access_code ?? body['access-code'],
          discountVerify: body.discount_verify ?? body['discount-verify'],
        },
        request.user,
      );
    },
  );
}
