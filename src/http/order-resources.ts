// How orders and attendees look over the API (types `order` and `attendee`), shared by the order and
// attendee routes: their attribute tables, serializers, schemas, and the documents with `include`.
// Whoever may see an order sees all of it, so nothing here is team-only.
import { Type } from 'typebox';
import type { Database } from '../db/connection.ts';
import { eventAccess } from '../domain/access.ts';
import { fromMinor, minorDigits } from '../domain/money.ts';
import { attendeeColumns, attendeesWhoseOrder, orderColumns, orderContents, ordersByIds, type OrderContents } from '../domain/order-records.ts';
import { OES_PAYMENT_MODES, ORDER_STATUSES, PAID_VIA, type Attendee, type Order } from '../domain/orders.ts';
import { ticketsByIds } from '../domain/tickets.ts';
import type { User } from '../domain/users.ts';
import { identifier, instant, type ResourceObject } from './jsonapi/document.ts';
import type { FieldSpec, ListSpec } from '../domain/list-query.ts';
import { Instant, resourceObject } from './jsonapi/schemas.ts';
import { Flag, Text, Url, listFields, outputProperties, writeAttributes, type AttributeTable } from './resource/attributes.ts';
import { serialize } from './resource/serialization.ts';
import { eventResource } from './events.ts';
import { ticketResource } from './tickets.ts';

const Email = Type.String({ format: 'email', maxLength: 254 });

const Literals = (values: readonly string[]) => Type.Union([...values.map((value) => Type.Literal(value)), Type.Null()]);
/** OES's answers to the attendee form's age question. */
const AGE_GROUPS = ['Under 18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+', 'I prefer not to say'] as const;
/** A consent: yes, no, or not asked (null). */
const Consent = Type.Union([Type.Boolean(), Type.Null()]);

export const ORDER_ATTRIBUTES: AttributeTable = {
  identifier: { column: 'identifier', kind: 'text' },
  amount: { column: 'amount', kind: 'number' },
  currency: { column: 'currency', kind: 'text' },
  // The buyer sends the order form with completed (free) or pending (paid); organizers settle with completed or cancelled.
  status: { column: 'status', kind: 'text', input: Type.Union(ORDER_STATUSES.map((status) => Type.Literal(status))) },
  // How the buyer will pay: for a paid order, one of the modes the event offers.
  'payment-mode': { column: 'paymentMode', kind: 'text', input: Literals(OES_PAYMENT_MODES) },
  'paid-via': { column: 'paidVia', kind: 'text', input: Type.Union([...PAID_VIA.map((via) => Type.Literal(via)), Type.Null()]) },
  'order-notes': { column: 'orderNotes', kind: 'text', input: Text(10_000) },
  // Billing details: asked of a paid order when billing is enabled.
  'is-billing-enabled': { column: 'isBillingEnabled', kind: 'boolean', input: Flag },
  company: { column: 'company', kind: 'text', input: Text(500) },
  'tax-business-info': { column: 'taxBusinessInfo', kind: 'text', input: Text(1000) },
  address: { column: 'address', kind: 'text', input: Text(1000) },
  city: { column: 'city', kind: 'text', input: Text(200) },
  state: { column: 'state', kind: 'text', input: Text(200) },
  zipcode: { column: 'zipcode', kind: 'text', input: Text(50) },
  country: { column: 'country', kind: 'text', input: Text(200) },
  // What card gateways and PDF tickets fill in OES: openevent has neither yet, so these stay null.
  'tickets-pdf-url': { column: 'ticketsPdfUrl', kind: 'text' },
  'transaction-id': { column: 'transactionId', kind: 'text' },
  brand: { column: 'brand', kind: 'text' },
  'exp-month': { column: 'expMonth', kind: 'text' },
  'exp-year': { column: 'expYear', kind: 'text' },
  last4: { column: 'last4', kind: 'text' },
  'discount-code-id': { column: 'discountCodeId', kind: 'text' },
  'created-at': { column: 'createdAt', kind: 'instant' },
  'expires-at': { column: 'expiresAt', kind: 'instant' },
  'completed-at': { column: 'completedAt', kind: 'instant' },
  'cancelled-at': { column: 'cancelledAt', kind: 'instant' },
};

const text = (column: string, maxLength = 1000) => ({ column, kind: 'text' as const, input: Text(maxLength) });
const url = (column: string) => ({ column, kind: 'text' as const, input: Url });
const consent = (column: string) => ({ column, kind: 'boolean' as const, input: Consent });

export const ATTENDEE_ATTRIBUTES: AttributeTable = {
  // As OES, a name may be empty (OES itself creates its attendees with empty names, and its client may
  // send them so from the attendee form); null leaves it as it is.
  firstname: { column: 'firstname', kind: 'text', input: Type.String({ maxLength: 200 }) },
  lastname: { column: 'lastname', kind: 'text', input: Type.String({ maxLength: 200 }) },
  email: { column: 'email', kind: 'text', input: Email, required: true },
  address: text('address'),
  city: text('city', 200),
  state: text('state', 200),
  country: text('country', 200),
  'attendee-notes': text('attendeeNotes', 10_000),
  // The attendee form's profile fields (which ones an event asks is its custom form's matter).
  'job-title': text('jobTitle', 200),
  phone: text('phone', 100),
  company: text('company', 500),
  'tax-business-info': text('taxBusinessInfo'),
  'billing-address': text('billingAddress'),
  'home-address': text('homeAddress'),
  'shipping-address': text('shippingAddress'),
  'work-address': text('workAddress'),
  'work-phone': text('workPhone', 100),
  website: url('website'),
  blog: url('blog'),
  twitter: url('twitter'),
  facebook: url('facebook'),
  github: url('github'),
  instagram: url('instagram'),
  linkedin: url('linkedin'),
  gender: text('gender', 100),
  'age-group': { column: 'ageGroup', kind: 'text', input: Literals(AGE_GROUPS) },
  'birth-date': { column: 'birthDate', kind: 'instant', input: Type.Union([Instant, Type.Null()]) },
  'home-wiki': text('homeWiki', 200),
  'wiki-scholarship': text('wikiScholarship', 200),
  'native-language': text('nativeLanguage', 200),
  'fluent-language': text('fluentLanguage', 200),
  'accept-video-recording': consent('acceptVideoRecording'),
  'accept-share-details': consent('acceptShareDetails'),
  'accept-receive-emails': consent('acceptReceiveEmails'),
  'is-consent-of-refund-policy': { column: 'isConsentOfRefundPolicy', kind: 'boolean', input: Flag },
  'is-consent-form-field': consent('isConsentFormField'),
  'is-consent-form-field-photo': consent('isConsentFormFieldPhoto'),
  'is-consent-form-field-email': consent('isConsentFormFieldEmail'),
  'is-checked-in': { column: 'isCheckedIn', kind: 'boolean', input: Flag },
  // Every check-in, comma-separated as OES writes them; kept by the server.
  'checkin-times': { column: 'checkinTimes', kind: 'text' },
  // What OES's check-out, PDF tickets and tags fill in: openevent has none of them yet, so these stay null.
  'checkout-times': { column: 'checkoutTimes', kind: 'text' },
  'pdf-url': { column: 'pdfUrl', kind: 'text' },
  'tag-id': { column: 'tagId', kind: 'integer' },
  // OES's ticket id as text, beside the `ticket` relationship.
  'ticket-id': { column: 'ticketIdText', kind: 'text' },
  // What OES's check-out and its check-in stations' registration step record: openevent has neither, so no
  // attendee is ever checked out or registered (see attendeeResource).
  'is-checked-out': { column: 'isCheckedOut', kind: 'boolean' },
  'is-registered': { column: 'isRegistered', kind: 'boolean' },
  'register-times': { column: 'registerTimes', kind: 'text' },
  'created-at': { column: 'createdAt', kind: 'instant' },
  // Attendees are never deleted here (an order is cancelled or expires, its attendees stay with it).
  'deleted-at': { column: 'deletedAt', kind: 'instant' },
};

/**
 * Answers to the event's own attendee fields, by field identifier: a JSON object, which the attribute
 * table (flat values) does not describe; read and written next to it.
 */
export const COMPLEX_FIELD_VALUES = 'complex-field-values';
export const ComplexFieldValues = Type.Union([Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), { maxProperties: 200 }), Type.Null()]);
/** What OES's client sends of an attendee that OES does not keep: accepted and ignored. */
export const ATTENDEE_CLIENT_ONLY = ['same-as-buyer'] as const;

export const OrderSchema = resourceObject('order', outputProperties(ORDER_ATTRIBUTES), ['event', 'user', 'attendees', 'tickets', 'discount-code', 'access-code', 'marketer']);
export const AttendeeSchema = resourceObject(
  'attendee',
  { ...outputProperties(ATTENDEE_ATTRIBUTES), [COMPLEX_FIELD_VALUES]: ComplexFieldValues },
  ['event', 'order', 'ticket'],
);

export const ORDER_INCLUDES = ['attendees', 'tickets', 'event'] as const;
export const ATTENDEE_INCLUDES = ['order', 'ticket'] as const;

/** Filterable and sortable fields of a table, without those a text filter cannot compare (uuid, arrays). */
export function fieldsOf(attributes: AttributeTable, table: Record<string, unknown>, without: string[]): Record<string, FieldSpec> {
  const fields = listFields(attributes, table, true);
  for (const name of without) delete fields[name];
  return fields;
}
export const orderFields = () => fieldsOf(ORDER_ATTRIBUTES, orderColumns, ['identifier']);
export const attendeeFields = () => fieldsOf(ATTENDEE_ATTRIBUTES, attendeeColumns, ['checkin-times']);

/** How attendee lists filter, sort and include; `order` filters with `has` (the order page: `order has id eq 5`). */
export function attendeeListSpec(defaultSort: ListSpec['defaultSort']): ListSpec {
  return {
    fields: attendeeFields(),
    relationships: { order: { kind: 'one', fields: orderFields, exists: attendeesWhoseOrder } },
    includes: ATTENDEE_INCLUDES,
    defaultSort,
  };
}

function codeLinkage(type: string, id: number | null) {
  return id === null ? { data: null } : { data: identifier(type, id), links: { related: `/v1/${type}s/${id}` } };
}

/**
 * An order. Its `event` is links-only unless the event is included, as OES gives it: OES's client
 * keys events by identifier, and a numeric `{"type":"event","id":"7"}` would make it a second, empty
 * event record.
 */
export function orderResource(order: Order, attendeeIds: number[], ticketIds: number[], include: readonly string[] = []): ResourceObject {
  const amount = fromMinor(order.amountMinor, minorDigits(order.currency));
  const self = `/v1/orders/${order.identifier}`;
  return {
    type: 'order',
    id: String(order.id),
    attributes: writeAttributes(ORDER_ATTRIBUTES, { ...order, amount, discountCodeId: order.discountCodeId == null ? null : String(order.discountCodeId) }, true),
    relationships: {
      event: {
        ...(include.includes('event') ? { data: identifier('event', order.eventId) } : {}),
        links: { related: `/v1/events/${order.eventId}` },
      },
      user: { data: identifier('user', order.userId), links: { related: `/v1/users/${order.userId}` } },
      attendees: { data: attendeeIds.map((id) => ({ type: 'attendee', id: String(id) })), links: { related: `${self}/attendees` } },
      tickets: { data: ticketIds.map((id) => ({ type: 'ticket', id: String(id) })), links: { related: `${self}/tickets` } },
      // The codes the order used (read by id by the event's team only).
      'discount-code': codeLinkage('discount-code', order.discountCodeId),
      'access-code': codeLinkage('access-code', order.accessCodeId),
      // OES names the user who marketed the order but never sets one; neither does openevent.
      marketer: { data: null },
    },
    links: { self },
  };
}

/**
 * An attendee. Its `event` and `order` are links-only unless included, as OES gives them: OES's
 * client keys orders by identifier and events by identifier, so numeric linkage would tie the attendee
 * to a second, empty order (the order page then lists no attendees) or event.
 */
export function attendeeResource(attendee: Attendee, include: readonly string[] = []): ResourceObject {
  const checkinTimes = attendee.checkinTimes.length ? attendee.checkinTimes.map((at) => instant(at)).join(',') : null;
  const self = `/v1/attendees/${attendee.id}`;
  return {
    type: 'attendee',
    id: String(attendee.id),
    attributes: {
      ...writeAttributes(
        ATTENDEE_ATTRIBUTES,
        { ...attendee, checkinTimes, ticketIdText: String(attendee.ticketId), isCheckedOut: false, isRegistered: false, registerTimes: null, deletedAt: null },
        true,
      ),
      [COMPLEX_FIELD_VALUES]: attendee.complexFieldValues ?? null,
    },
    relationships: {
      event: { links: { related: `${self}/event` } },
      order: {
        ...(include.includes('order') ? { data: identifier('order', attendee.orderId) } : {}),
        links: { related: `${self}/order` },
      },
      ticket: { data: identifier('ticket', attendee.ticketId), links: { related: `${self}/ticket` } },
    },
    links: { self },
  };
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/** Tickets as this user sees them in their events (prices in each event's currency). */
async function ticketResources(db: Database, ticketIds: number[], user: User | null): Promise<ResourceObject[]> {
  const rows = await ticketsByIds(db, ticketIds);
  const resources: ResourceObject[] = [];
  for (const [eventId, eventTickets] of groupBy(rows, (ticket) => ticket.eventId)) {
    const access = await eventAccess(db, eventId, user);
    if (access) resources.push(...(await serialize(db, ticketResource, eventTickets, access)).data);
  }
  return resources;
}

/** The events of these ids as this user sees them (the buyer sees the event of their order, published or not). */
async function eventResources(db: Database, eventIds: number[], user: User | null, publicUrl: string): Promise<ResourceObject[]> {
  const resources: ResourceObject[] = [];
  for (const eventId of new Set(eventIds)) {
    const access = await eventAccess(db, eventId, user);
    if (access) resources.push(eventResource(access.event, access, publicUrl));
  }
  return resources;
}

/** Orders with their relationships, and what `include` asked for. `publicUrl` is where event feed links point. */
export async function orderDocuments(
  db: Database,
  rows: Order[],
  include: readonly string[],
  user: User | null,
  publicUrl: string,
  /** The rows' attendees and lines, when the caller has read them already. */
  contents?: OrderContents,
) {
  const { attendees: people, lines } = contents ?? (await orderContents(db, rows.map((order) => order.id)));
  const peopleByOrder = groupBy(people, (attendee) => attendee.orderId);
  const linesByOrder = groupBy(lines, (line) => line.orderId);
  const data = rows.map((order) =>
    orderResource(
      order,
      (peopleByOrder.get(order.id) ?? []).map((attendee) => attendee.id),
      (linesByOrder.get(order.id) ?? []).map((line) => line.ticketId),
      include,
    ),
  );
  const included: ResourceObject[] = [];
  if (include.includes('attendees')) included.push(...people.map((attendee) => attendeeResource(attendee)));
  if (include.includes('tickets')) included.push(...(await ticketResources(db, lines.map((line) => line.ticketId), user)));
  if (include.includes('event')) included.push(...(await eventResources(db, rows.map((order) => order.eventId), user, publicUrl)));
  return { data, included };
}

/** The tickets an order bought, as this user sees them. */
export async function orderTicketResources(db: Database, order: Order, user: User | null): Promise<ResourceObject[]> {
  const { lines } = await orderContents(db, [order.id]);
  return ticketResources(db, lines.map((line) => line.ticketId), user);
}

/** The ticket an attendee holds, as this user sees it (null when its event is out of their sight). */
export async function attendeeTicketResource(db: Database, attendee: Attendee, user: User | null): Promise<ResourceObject | null> {
  return (await ticketResources(db, [attendee.ticketId], user))[0] ?? null;
}

/** Attendees, and what `include` asked for (their orders, their tickets). */
export async function attendeeDocuments(db: Database, rows: Attendee[], include: readonly string[], user: User | null, publicUrl: string) {
  const data = rows.map((row) => attendeeResource(row, include));
  const included: ResourceObject[] = [];
  if (include.includes('order')) {
    const theirOrders = await ordersByIds(db, rows.map((row) => row.orderId));
    included.push(...(await orderDocuments(db, theirOrders, [], user, publicUrl)).data);
  }
  if (include.includes('ticket')) included.push(...(await ticketResources(db, rows.map((row) => row.ticketId), user)));
  return { data, included };
}
