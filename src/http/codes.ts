// Discount codes (/v1/discount-codes) and access codes (/v1/access-codes), as OES has them: an
// event's organizers create, list, change and delete them (POST /v1/discount-codes with the event,
// GET /v1/events/{ev}/discount-codes, …); nobody else lists them or reads one by id. A buyer checks a
// code they were given, by the code itself: GET /v1/events/{ev}/discount-codes/{code} and
// /v1/events/{ev}/access-codes/{code} (OES's client's promotional code field), answered with the
// code's event and tickets (hidden ones too: those are what an access code unlocks).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  accessCodeModel,
  checkCode,
  discountCodeModel,
  discountValue,
  discountValueColumns,
  type AccessCode,
  type DiscountCode,
} from '../domain/codes.ts';
import { eventAccess } from '../domain/access.ts';
import { ticketsByIds } from '../domain/tickets.ts';
import type { RowOf } from '../domain/event-child/model.ts';
import type { AppContext } from './context.ts';
import { eventResource } from './events.ts';
import { singleDocument } from './jsonapi/document.ts';
import { ErrorDocument, Instant } from './jsonapi/schemas.ts';
import { acceptOesAttributes } from './oes-values.ts';
import { Flag, RequiredText, Text } from './resource/attributes.ts';
import { eventChild, type EventChild } from './resource/definition.ts';
import { registerEventChild } from './resource/routes.ts';
import { serializeFor } from './resource/serialization.ts';
import { ticketResource } from './tickets.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);
const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const NullableCount = Type.Union([Count, Type.Null()]);
/** OES's client sends -1 for "no most" in some forms; any negative max-quantity means no limit, as OES reads it. */
const MaxQuantity = Type.Union([Type.Integer({ minimum: -1, maximum: 10_000_000 }), Type.Null()]);
const Value = Type.Union([Type.Number({ minimum: 0, maximum: 1e12 }), Type.String({ pattern: '^\\s*\\d{1,13}(\\.\\d{1,20})?\\s*$' })]);

/** What both kinds of code share over the API. */
const shared = {
  code: { column: 'code', kind: 'text', input: RequiredText(100), required: true },
  'is-active': { column: 'isActive', kind: 'boolean', input: Flag },
  'tickets-number': { column: 'ticketsNumber', kind: 'integer', input: NullableCount },
  'min-quantity': { column: 'minQuantity', kind: 'integer', input: Count },
  'max-quantity': { column: 'maxQuantity', kind: 'integer', input: MaxQuantity },
  'valid-from': { column: 'validFrom', kind: 'instant', input: NullableInstant },
  'valid-till': { column: 'validTill', kind: 'instant', input: NullableInstant },
  'created-at': { column: 'createdAt', kind: 'instant' },
} as const;

export const discountCodeResource: EventChild<typeof discountCodeModel.table, 'value'> = eventChild({
  model: discountCodeModel,
  plural: 'discount-codes',
  attributes: {
    ...shared,
    'discount-url': { column: 'discountUrl', kind: 'text', input: Text(2000) },
    value: { column: 'value', kind: 'number', input: Value, required: true },
    type: { column: 'type', kind: 'text', input: Type.Union([Type.Literal('amount'), Type.Literal('percent')]), required: true },
    'used-for': { column: 'usedFor', kind: 'text', input: Type.Union([Type.Literal('ticket'), Type.Literal('event')]) },
  },
  relationships: { tickets: () => ticketResource },
  computed: (row: RowOf<typeof discountCodeModel.table>, access) => ({ value: discountValue(row, access.event.paymentCurrency) }),
  prepare: (values, event, row) => discountValueColumns(values, event, row as DiscountCode | null),
  oesValues: ['min-quantity', 'is-active'],
  wholeListUpTo: 1000,
});

export const accessCodeResource: EventChild<typeof accessCodeModel.table> = eventChild({
  model: accessCodeModel,
  plural: 'access-codes',
  attributes: {
    ...shared,
    'access-url': { column: 'accessUrl', kind: 'text', input: Text(2000) },
  },
  relationships: { tickets: () => ticketResource },
  oesValues: ['min-quantity', 'is-active'],
  wholeListUpTo: 1000,
});

export async function codeRoutes(parent: FastifyInstance, context: AppContext) {
  const { db, config } = context;
  for (const resource of [discountCodeResource, accessCodeResource] as EventChild[]) {
    await parent.register(async (scope) => {
      scope.addHook('preValidation', acceptOesAttributes(resource.attributes));
      registerEventChild(scope, context, resource);
    });
  }

  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  for (const [kind, resource] of [
    ['discount', discountCodeResource],
    ['access', accessCodeResource],
  ] as const) {
    app.get(
      `/v1/events/:ev/${resource.plural}/:code`,
      {
        schema: {
          summary: `Checks a ${kind} code of an event by the code itself (anyone who may see the event): the code with its event and tickets`,
          tags: [resource.plural],
          params: Type.Object({ ev: Type.String({ maxLength: 64 }), code: Type.String({ minLength: 1, maxLength: 100 }) }),
          // OES's client adds its query (eventIdentifier, code, include) as parameters; the answer always includes the event and tickets.
          querystring: Type.Object({}, { additionalProperties: true }),
          response: { 200: Type.Unknown(), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const found = await checkCode(db, kind, request.params.ev, request.params.code, request.user);
        const access = (await eventAccess(db, found.event.id, request.user))!;
        const viewer = { db, access, user: request.user, publicUrl: config.publicUrl };
        const { data } = await serializeFor(viewer, resource as EventChild, [found.row as RowOf<typeof discountCodeModel.table> & AccessCode & RowOf]);
        const ticketRows = await ticketsByIds(db, found.ticketIds);
        const tickets = await serializeFor(viewer, ticketResource as unknown as EventChild, ticketRows as unknown as RowOf[]);
        const event = eventResource(found.event, access, config.publicUrl);
        const object = data[0]!;
        // Data only, no links: the links lead to the organizers' routes, which a buyer may not follow; the
        // client then takes the event and tickets from `included` (and compares the event's identifier).
        // The event is named by its identifier: OES's client keys events by it (its event serializer reads
        // the included event's id from `attributes.identifier`).
        object.relationships = {
          ...object.relationships,
          event: { data: { type: 'event', id: found.event.identifier } },
          tickets: { data: tickets.data.map((ticket) => ({ type: 'ticket', id: ticket.id })) },
        };
        return singleDocument(object, { included: [event, ...tickets.data] });
      },
    );
  }
}
