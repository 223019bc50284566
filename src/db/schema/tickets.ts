// Tickets, orders and attendees (OES ticket holders). Money is integer minor units of the event's
// payment currency (cents), never floats. `tickets.sold_count` counts the tickets held by pending and
// completed orders: it only moves inside the transactions of domain/orders.ts, and the database itself
// refuses a count above the quantity, so no code path can oversell.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { accessCodes, discountCodes } from './codes.ts';
import { instant } from './columns.ts';
import { events } from './schedule.ts';
import { users } from './users.ts';

/** OES's client also writes "…Registration" types (free, paid or donation registrations); each is priced as its plain type. */
export const TICKET_TYPES = ['free', 'paid', 'donation', 'freeRegistration', 'paidRegistration', 'donationRegistration'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/**
 * initializing (the buyer has not sent the attendee form yet) and pending (a paid order waiting for its
 * payment) hold their tickets until expires_at; cancelled and expired gave them back.
 */
export const ORDER_STATUSES = ['initializing', 'pending', 'completed', 'cancelled', 'expired'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const money = (name: string) => bigint(name, { mode: 'number' });

export const tickets = pgTable(
  'tickets',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    name: text().notNull(),
    description: text(),
    type: text().$type<TicketType>().notNull(),
    priceMinor: money('price_minor').notNull().default(0),
    /** Donation tickets: the least and (when set) most a buyer may give per ticket. */
    minPriceMinor: money('min_price_minor'),
    maxPriceMinor: money('max_price_minor'),
    quantity: integer().notNull(),
    soldCount: integer('sold_count').notNull().default(0),
    salesStartsAt: instant('sales_starts_at'),
    salesEndsAt: instant('sales_ends_at'),
    minOrder: integer('min_order').notNull().default(1),
    maxOrder: integer('max_order').notNull().default(10),
    isHidden: boolean('is_hidden').notNull().default(false),
    isDescriptionVisible: boolean('is_description_visible').notNull().default(true),
    isFeeAbsorbed: boolean('is_fee_absorbed').notNull().default(false),
    isCheckinRestricted: boolean('is_checkin_restricted').notNull().default(false),
    autoCheckinEnabled: boolean('auto_checkin_enabled').notNull().default(false),
    position: integer().notNull().default(0),
    /** The ids OES's client gives a ticket's attendee form and badge design. */
    formId: text('form_id'),
    badgeId: text('badge_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [
    index('tickets_event').on(table.eventId),
    uniqueIndex('tickets_event_name').on(table.eventId, table.name).where(sql`deleted_at IS NULL`),
    check('tickets_sold_within_quantity', sql`sold_count >= 0 AND sold_count <= quantity`),
    check('tickets_type', sql`type IN ('free', 'paid', 'donation', 'freeRegistration', 'paidRegistration', 'donationRegistration')`),
    check('tickets_prices', sql`price_minor >= 0 AND (min_price_minor IS NULL OR min_price_minor >= 0)`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** UUIDv4: what URLs and buyers use; numeric ids would be guessable. */
    identifier: uuid().notNull(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    /** The buyer. */
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    status: text().$type<OrderStatus>().notNull(),
    amountMinor: money('amount_minor').notNull(),
    /** The event's payment currency when the order was placed: what amount_minor is counted in. */
    currency: text(),
    /** How the buyer means to pay (`free` for free orders). */
    paymentMode: text('payment_mode'),
    /** How the payment was confirmed: `bank`, `onsite`, … or a gateway's name. */
    paidVia: text('paid_via'),
    orderNotes: text('order_notes'),
    /** Billing details, asked of the buyer when billing is enabled. */
    isBillingEnabled: boolean('is_billing_enabled').notNull().default(false),
    company: text(),
    taxBusinessInfo: text('tax_business_info'),
    address: text(),
    city: text(),
    state: text(),
    zipcode: text(),
    country: text(),
    expiresAt: instant('expires_at'),
    completedAt: instant('completed_at'),
    cancelledAt: instant('cancelled_at'),
    /** The discount code applied, if any. */
    discountCodeId: integer('discount_code_id').references((): AnyPgColumn => discountCodes.id),
    /** How many of the order's tickets the discount code discounted: the uses it gives back when let go. */
    discountUses: integer('discount_uses').notNull().default(0),
    /** What the code took off the order, in minor units. */
    discountMinor: money('discount_minor').notNull().default(0),
    /**
     * The tax charged, as it was when the order was placed (the event's rate may change later): how much of
     * the amount is tax, the tax's name and rate, and whether the prices included it. Null name: no tax.
     */
    taxMinor: money('tax_minor').notNull().default(0),
    taxName: text('tax_name'),
    taxRate: doublePrecision('tax_rate'),
    taxIncluded: boolean('tax_included'),
    accessCodeId: integer('access_code_id').references((): AnyPgColumn => accessCodes.id),
    /** How many of the order's tickets the access code unlocked: the uses it gives back when let go. */
    accessUses: integer('access_uses').notNull().default(0),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('orders_identifier').on(table.identifier),
    index('orders_event').on(table.eventId, table.id),
    index('orders_user').on(table.userId, table.id),
    // What the expiry job scans every minute: only the unfinished orders.
    index('orders_unfinished_expiry').on(table.expiresAt).where(sql`status IN ('initializing', 'pending')`),
    // What the per-buyer cap on unpaid tickets sums on every paid order.
    index('orders_unfinished_buyer').on(table.userId, table.eventId).where(sql`status IN ('initializing', 'pending')`),
    check('orders_status', sql`status IN ('initializing', 'pending', 'completed', 'cancelled', 'expired')`),
    check('orders_amount', sql`amount_minor >= 0`),
  ],
);

/** What an order holds: how many of each ticket, at what price each (the price when it was bought). */
export const orderTickets = pgTable(
  'order_tickets',
  {
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    quantity: integer().notNull(),
    unitPriceMinor: money('unit_price_minor').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.ticketId] }),
    index('order_tickets_ticket').on(table.ticketId),
    check('order_tickets_quantity', sql`quantity > 0`),
  ],
);

/** One person per ticket bought (OES ticket holders). */
export const attendees = pgTable(
  'attendees',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    firstname: text().notNull(),
    lastname: text().notNull(),
    email: text().notNull(),
    address: text(),
    city: text(),
    state: text(),
    country: text(),
    attendeeNotes: text('attendee_notes'),
    // The attendee form's profile fields (OES's ticket holder); which ones an event asks is its custom form's matter.
    jobTitle: text('job_title'),
    phone: text(),
    company: text(),
    taxBusinessInfo: text('tax_business_info'),
    billingAddress: text('billing_address'),
    homeAddress: text('home_address'),
    shippingAddress: text('shipping_address'),
    workAddress: text('work_address'),
    workPhone: text('work_phone'),
    website: text(),
    blog: text(),
    twitter: text(),
    facebook: text(),
    github: text(),
    instagram: text(),
    linkedin: text(),
    gender: text(),
    ageGroup: text('age_group'),
    birthDate: instant('birth_date'),
    homeWiki: text('home_wiki'),
    wikiScholarship: text('wiki_scholarship'),
    nativeLanguage: text('native_language'),
    fluentLanguage: text('fluent_language'),
    // Consents: null is "not asked".
    acceptVideoRecording: boolean('accept_video_recording'),
    acceptShareDetails: boolean('accept_share_details'),
    acceptReceiveEmails: boolean('accept_receive_emails'),
    isConsentOfRefundPolicy: boolean('is_consent_of_refund_policy').notNull().default(false),
    isConsentFormField: boolean('is_consent_form_field'),
    isConsentFormFieldPhoto: boolean('is_consent_form_field_photo'),
    isConsentFormFieldEmail: boolean('is_consent_form_field_email'),
    /** Answers to the event's own custom attendee fields, by field identifier. */
    complexFieldValues: jsonb('complex_field_values').$type<Record<string, unknown>>(),
    isCheckedIn: boolean('is_checked_in').notNull().default(false),
    /** Every check-in, in order: people leave and come back. */
    checkinTimes: instant('checkin_times').array().notNull().default(sql`'{}'`),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [index('attendees_event').on(table.eventId, table.id), index('attendees_order').on(table.orderId)],
);
