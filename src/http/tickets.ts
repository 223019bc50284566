// Tickets (/v1/tickets): what an event sells. Organizers write them; the public sees the non-hidden
// tickets of published public events. Prices are decimals in the event's payment currency on the
// wire and minor units in the database; `sold-count` and `available` are for the team only.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { asc, eq } from 'drizzle-orm';
import { TICKET_TYPES, tickets } from '../db/schema/index.ts';
import { fromMinor, minorDigits, toMinor } from '../domain/money.ts';
import { ApiError, attributePointer, unprocessable } from './jsonapi/errors.ts';
import { Instant } from './jsonapi/schemas.ts';
import { Flag, Position, RequiredText, Text } from './resource/attributes.ts';
import { registerEventChild, type EventChild } from './resource/event-child.ts';
import type { AppContext } from './context.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);
/** An amount as a JSON number (12.5) or decimal text ("12.50"); its decimals are checked against the currency. */
export const Amount = Type.Union([
  Type.Number({ minimum: 0, maximum: 1e12 }),
  Type.String({ pattern: '^\\s*\\d{1,13}(\\.\\d{1,20})?\\s*$' }),
  Type.Null(),
]);
const OrderSize = Type.Integer({ minimum: 1, maximum: 10_000 });

/** Decimal attributes and the minor-unit columns they are kept in. */
const MONEY = [
  ['price', 'price', 'priceMinor'],
  ['min-price', 'minPrice', 'minPriceMinor'],
  ['max-price', 'maxPrice', 'maxPriceMinor'],
] as const;

type Values = Record<string, any>;

function check(condition: boolean, detail: string, attribute: string) {
  if (!condition) throw unprocessable(detail, attributePointer(attribute));
}

export const ticketResource: EventChild = {
  type: 'ticket',
  plural: 'tickets',
  table: tickets,
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(200), required: true },
    description: { column: 'description', kind: 'text', input: Text() },
    type: { column: 'type', kind: 'text', input: Type.Union(TICKET_TYPES.map((type) => Type.Literal(type))), required: true },
    price: { column: 'price', kind: 'number', input: Amount },
    'min-price': { column: 'minPrice', kind: 'number', input: Amount },
    'max-price': { column: 'maxPrice', kind: 'number', input: Amount },
    quantity: { column: 'quantity', kind: 'integer', input: Type.Integer({ minimum: 0, maximum: 10_000_000 }), required: true },
    'sales-starts-at': { column: 'salesStartsAt', kind: 'instant', input: NullableInstant },
    'sales-ends-at': { column: 'salesEndsAt', kind: 'instant', input: NullableInstant },
    'min-order': { column: 'minOrder', kind: 'integer', input: OrderSize },
    'max-order': { column: 'maxOrder', kind: 'integer', input: OrderSize },
    'is-hidden': { column: 'isHidden', kind: 'boolean', input: Flag },
    'is-description-visible': { column: 'isDescriptionVisible', kind: 'boolean', input: Flag },
    'is-fee-absorbed': { column: 'isFeeAbsorbed', kind: 'boolean', input: Flag },
    'is-checkin-restricted': { column: 'isCheckinRestricted', kind: 'boolean', input: Flag },
    'auto-checkin-enabled': { column: 'autoCheckinEnabled', kind: 'boolean', input: Flag },
    position: { column: 'position', kind: 'integer', input: Position },
    // Held by pending and completed orders; what is left to sell.
    'sold-count': { column: 'soldCount', kind: 'integer', teamOnly: true },
    available: { column: 'available', kind: 'integer', teamOnly: true },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
  writers: 'managers',
  schedule: false,
  publicWhere: () => eq(tickets.isHidden, false),
  defaultSort: () => [asc(tickets.position), asc(tickets.id)],
  computed(row, access) {
    const digits = minorDigits(access.event.paymentCurrency);
    const money = (minor: number | null) => (minor === null ? null : fromMinor(minor, digits));
    return {
      price: money(row.priceMinor),
      minPrice: money(row.minPriceMinor),
      maxPrice: money(row.maxPriceMinor),
      available: Math.max(0, row.quantity - row.soldCount),
    };
  },
  prepare(values, event) {
    const digits = minorDigits(event.paymentCurrency);
    const prepared: Values = { ...values };
    for (const [attribute, key, column] of MONEY) {
      if (!(key in values)) continue;
      delete prepared[key];
      const value = values[key] as number | string | null;
      if (value === null) {
        prepared[column] = key === 'price' ? 0 : null;
        continue;
      }
      const minor = toMinor(value, digits);
      const currency = event.paymentCurrency ? ` (${event.paymentCurrency})` : '';
      check(minor !== null, `"${attribute}" must be an amount of 0 or more with at most ${digits} decimals${currency}`, attribute);
      prepared[column] = minor;
    }
    return prepared;
  },
  validate(values: Values) {
    const price = values.priceMinor ?? 0;
    if (values.type === 'free') check(price === 0, 'A free ticket has the price 0', 'price');
    if (values.type === 'paid') check(price > 0, 'A paid ticket needs a price above 0', 'price');
    if (values.type === 'donation') {
      check(price === 0, 'A donation ticket has no fixed price: buyers choose between "min-price" and "max-price"', 'price');
    }
    if (values.minPriceMinor != null && values.maxPriceMinor != null) {
      check(values.maxPriceMinor >= values.minPriceMinor, '"max-price" must be at least "min-price"', 'max-price');
    }
    if (values.salesStartsAt && values.salesEndsAt) {
      check(values.salesEndsAt.getTime() > values.salesStartsAt.getTime(), '"sales-ends-at" must be after "sales-starts-at"', 'sales-ends-at');
    }
    const minOrder = values.minOrder ?? 1;
    const maxOrder = values.maxOrder ?? 10;
    check(maxOrder >= minOrder, `"max-order" (${maxOrder}) must be at least "min-order" (${minOrder})`, 'max-order');
    if (values.soldCount !== undefined) {
      check(
        values.quantity >= values.soldCount,
        `${values.soldCount} of these tickets are sold or held by pending orders: the quantity cannot go below that`,
        'quantity',
      );
    }
  },
  constraintErrors: {
    tickets_event_name: () => unprocessable('This event already has a ticket with that name', attributePointer('name')),
    // The quantity was checked against the tickets sold, and more were sold before the change landed.
    tickets_sold_within_quantity: () =>
      new ApiError(409, 'Tickets were sold meanwhile: the new quantity is below the tickets sold; reload and try again', attributePointer('quantity')),
  },
};

export async function ticketRoutes(app: FastifyInstance, context: AppContext) {
  registerEventChild(app, context, ticketResource);
}
