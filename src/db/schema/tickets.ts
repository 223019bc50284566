// Tickets, orders and attendees (OES ticket holders). Money is integer minor units of the event's
// payment currency (cents), never floats. `tickets.sold_count` counts the tickets held by pending and
// completed orders: it only moves inside the transactions of domain/orders.ts, and the database itself
// refuses a count above the quantity, so no code path can oversell.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events } from './schedule.ts';
import { users } from './users.ts';

export const TICKET_TYPES = ['free', 'paid', 'donation'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** pending holds its tickets until expires_at; cancelled and expired gave them back. */
export const ORDER_STATUSES = ['pending', 'completed', 'cancelled', 'expired'] as const;
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
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [
    index('tickets_event').on(table.eventId),
    uniqueIndex('tickets_event_name').on(table.eventId, table.name).where(sql`deleted_at IS NULL`),
    check('tickets_sold_within_quantity', sql`sold_count >= 0 AND sold_count <= quantity`),
    check('tickets_type', sql`type IN ('free', 'paid', 'donation')`),
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
    country: text(),
    expiresAt: instant('expires_at'),
    completedAt: instant('completed_at'),
    cancelledAt: instant('cancelled_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('orders_identifier').on(table.identifier),
    index('orders_event').on(table.eventId, table.id),
    index('orders_user').on(table.userId, table.id),
    // What the expiry job scans every minute: only the pending orders.
    index('orders_pending_expiry').on(table.expiresAt).where(sql`status = 'pending'`),
    // What the per-buyer cap on pending tickets sums on every paid order.
    index('orders_pending_buyer').on(table.userId, table.eventId).where(sql`status = 'pending'`),
    check('orders_status', sql`status IN ('pending', 'completed', 'cancelled', 'expired')`),
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
    isCheckedIn: boolean('is_checked_in').notNull().default(false),
    /** Every check-in, in order: people leave and come back. */
    checkinTimes: instant('checkin_times').array().notNull().default(sql`'{}'`),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [index('attendees_event').on(table.eventId, table.id), index('attendees_order').on(table.orderId)],
);
