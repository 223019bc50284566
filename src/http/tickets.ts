// Tickets (/v1/tickets): what an event sells. Organizers write them; the public sees the non-hidden
// tickets of published public events. Prices are decimals in the event's payment currency on the
// wire and minor units in the database; `sold-count` and `available` are for the team only.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { EventAccess } from '../domain/access.ts';
import { TICKET_TYPES, pricesInMinorUnits, ticketFigures, ticketModel, type Ticket } from '../domain/tickets.ts';
import { Instant, resourceObject } from './jsonapi/schemas.ts';
import { Flag, Position, RequiredText, Text, outputProperties } from './resource/attributes.ts';
import { relationshipNames } from './resource/relationships.ts';
import { absent, eventChild } from './resource/definition.ts';
import { codesOfTicket } from './ticket-codes.ts';
import { acceptOesAttributes } from './oes-values.ts';
import { registerEventChild } from './resource/routes.ts';
import type { AppContext } from './context.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);
/** An amount as a JSON number (12.5) or decimal text ("12.50"); its decimals are checked against the currency. */
export const Amount = Type.Union([
  Type.Number({ minimum: 0, maximum: 1e12 }),
  Type.String({ pattern: '^\\s*\\d{1,13}(\\.\\d{1,20})?\\s*$' }),
  Type.Null(),
]);
const OrderSize = Type.Integer({ minimum: 1, maximum: 10_000 });

export const ticketResource = eventChild({
  model: ticketModel,
  plural: 'tickets',
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
    // null (OES's client's "not set") keeps the position as it is.
    position: { column: 'position', kind: 'integer', input: Position },
    // The attendee form and badge design OES's client links the ticket to.
    'form-id': { column: 'formId', kind: 'text', input: Text(200) },
    'badge-id': { column: 'badgeId', kind: 'text', input: Text(200) },
    // Held by unfinished and completed orders; what is left to sell.
    'sold-count': { column: 'soldCount', kind: 'integer', teamOnly: true },
    available: { column: 'available', kind: 'integer', teamOnly: true },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
  outer: {
    'discount-codes': codesOfTicket('discount'),
    'access-codes': codesOfTicket('access'),
    // OES's ticket tags (grouping tickets on its badges): openevent has none.
    'ticket-tags': absent('ticket-tag', true),
  },
  computed: (row: Ticket, access: EventAccess) => ticketFigures(row, access.event.paymentCurrency),
  prepare: (values, event) => pricesInMinorUnits(values, event.paymentCurrency),
});

/** A ticket as the routes outside the factory answer it (an order's tickets, an attendee's ticket): every relationship. */
export const TicketSchema = resourceObject('ticket', outputProperties(ticketResource.attributes), relationshipNames(ticketResource));

export async function ticketRoutes(app: FastifyInstance, context: AppContext) {
  app.addHook('preValidation', acceptOesAttributes(ticketResource.attributes));
  registerEventChild(app, context, ticketResource);
}
