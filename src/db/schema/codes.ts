// Discount codes and access codes (OES's): an organizer's codes for an event's tickets. A discount
// code takes an amount or a percentage off the tickets it names; an access code unlocks hidden
// tickets. Each may be used on at most `tickets_number` tickets in all: `used_count` counts the
// tickets of unfinished and completed orders that used it, moves only inside the order transactions
// of domain/orders.ts, and the database refuses a count above the limit, as it does for tickets.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events } from './schedule.ts';
import { tickets } from './tickets.ts';
import { users } from './users.ts';

export const DISCOUNT_TYPES = ['amount', 'percent'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

export const discountCodes = pgTable(
  'discount_codes',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    code: text().notNull(),
    discountUrl: text('discount_url'),
    type: text().$type<DiscountType>().notNull(),
    /** amount: minor units of the event's currency, off each ticket; percent: hundredths of a percent (1250 = 12.5 %). */
    valueScaled: bigint('value_scaled', { mode: 'number' }).notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** How many tickets the code may discount in all; null: no limit. */
    ticketsNumber: integer('tickets_number'),
    usedCount: integer('used_count').notNull().default(0),
    minQuantity: integer('min_quantity').notNull().default(1),
    maxQuantity: integer('max_quantity'),
    validFrom: instant('valid_from'),
    validTill: instant('valid_till'),
    /** OES's `used-for`: `ticket` codes discount an event's tickets (the only kind an event's organizers make). */
    usedFor: text('used_for').notNull().default('ticket'),
    marketerId: integer('marketer_id').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [
    uniqueIndex('discount_codes_event_code').on(table.eventId, sql`lower(${table.code})`).where(sql`deleted_at IS NULL`),
    check('discount_codes_used_within_limit', sql`used_count >= 0 AND (tickets_number IS NULL OR used_count <= tickets_number)`),
    check('discount_codes_type', sql`type IN ('amount', 'percent')`),
    check('discount_codes_value', sql`value_scaled >= 0 AND (type <> 'percent' OR value_scaled <= 10000)`),
  ],
);

export const discountCodeTickets = pgTable(
  'discount_code_tickets',
  {
    discountCodeId: integer('discount_code_id')
      .notNull()
      .references(() => discountCodes.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
  },
  (table) => [primaryKey({ columns: [table.discountCodeId, table.ticketId] }), index('discount_code_tickets_ticket').on(table.ticketId)],
);

export const accessCodes = pgTable(
  'access_codes',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    code: text().notNull(),
    accessUrl: text('access_url'),
    isActive: boolean('is_active').notNull().default(true),
    ticketsNumber: integer('tickets_number'),
    usedCount: integer('used_count').notNull().default(0),
    minQuantity: integer('min_quantity').notNull().default(1),
    maxQuantity: integer('max_quantity'),
    validFrom: instant('valid_from'),
    validTill: instant('valid_till'),
    marketerId: integer('marketer_id').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [
    uniqueIndex('access_codes_event_code').on(table.eventId, sql`lower(${table.code})`).where(sql`deleted_at IS NULL`),
    check('access_codes_used_within_limit', sql`used_count >= 0 AND (tickets_number IS NULL OR used_count <= tickets_number)`),
  ],
);

export const accessCodeTickets = pgTable(
  'access_code_tickets',
  {
    accessCodeId: integer('access_code_id')
      .notNull()
      .references(() => accessCodes.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
  },
  (table) => [primaryKey({ columns: [table.accessCodeId, table.ticketId] }), index('access_code_tickets_ticket').on(table.ticketId)],
);

/** The access codes a signed-in buyer has checked (OES's client sends no code with the order: the order finds it here). */
export const accessCodeUnlocks = pgTable(
  'access_code_unlocks',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    accessCodeId: integer('access_code_id')
      .notNull()
      .references(() => accessCodes.id),
    unlockedAt: instant('unlocked_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.accessCodeId] })],
);
