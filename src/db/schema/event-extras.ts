// What an event shows around its schedule, as OES keeps it: its sponsors, its social links, its
// copyright and its tax. Sponsors and social links are lists; an event has at most one live
// copyright and one live tax record (partial unique indexes, as OES's "already exists" checks).
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events } from './schedule.ts';

export const sponsors = pgTable(
  'sponsors',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    name: text().notNull(),
    description: text(),
    url: text(),
    level: integer(),
    type: text(),
    logoUrl: text('logo_url'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [index('sponsors_event').on(table.eventId)],
);

export const socialLinks = pgTable(
  'social_links',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    name: text().notNull(),
    link: text().notNull(),
    identifier: text(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [index('social_links_event').on(table.eventId)],
);

export const eventCopyrights = pgTable(
  'event_copyrights',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    holder: text(),
    holderUrl: text('holder_url'),
    licence: text().notNull(),
    licenceUrl: text('licence_url'),
    year: integer(),
    logoUrl: text('logo_url'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [uniqueIndex('event_copyrights_one_per_event').on(table.eventId).where(sql`deleted_at IS NULL`)],
);

export const taxes = pgTable(
  'taxes',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    name: text().notNull().default(''),
    rate: doublePrecision().notNull().default(0),
    isTaxIncludedInPrice: boolean('is_tax_included_in_price').notNull().default(false),
    country: text(),
    taxId: text('tax_id').notNull().default(''),
    shouldSendInvoice: boolean('should_send_invoice').notNull().default(false),
    isInvoiceSent: boolean('is_invoice_sent').notNull().default(false),
    registeredCompany: text('registered_company'),
    contactName: text('contact_name'),
    phone: text(),
    email: text(),
    address: text(),
    city: text(),
    state: text(),
    zip: text(),
    invoiceFooter: text('invoice_footer'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [uniqueIndex('taxes_one_per_event').on(table.eventId).where(sql`deleted_at IS NULL`)],
);
