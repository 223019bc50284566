// What admins manage for the whole site, as OES has it: the settings (one row), the static pages
// linked from the footer, and the lists events are classified by (types, topics and their sub-topics).
import { check, index, integer, jsonb, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { instant } from './columns.ts';

/**
 * The site settings. One row (id 1), made by the migration; `values` holds only what an admin set,
 * keyed by OES's attribute name, so a setting never set follows its default (which may come from the
 * server's own configuration, as `frontend-url` does from PUBLIC_URL).
 */
export const siteSettings = pgTable(
  'site_settings',
  {
    id: smallint().primaryKey().default(1),
    values: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [check('site_settings_single_row', sql`${table.id} = 1`)],
);

export const pages = pgTable('pages', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  title: text(),
  url: text().notNull(),
  description: text(),
  /** `footer` or `event` (where the client lists the link), or null. */
  place: text(),
  language: text(),
  index: integer().notNull().default(0),
});

export const eventTypes = pgTable(
  'event_types',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    slug: text().notNull(),
  },
  (table) => [uniqueIndex('event_types_slug').on(table.slug)],
);

export const eventTopics = pgTable(
  'event_topics',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    slug: text().notNull(),
    systemImageUrl: text('system_image_url'),
  },
  (table) => [uniqueIndex('event_topics_slug').on(table.slug)],
);

export const eventSubTopics = pgTable(
  'event_sub_topics',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    slug: text().notNull(),
    eventTopicId: integer('event_topic_id')
      .notNull()
      .references(() => eventTopics.id, { onDelete: 'cascade' }),
  },
  (table) => [uniqueIndex('event_sub_topics_slug').on(table.slug), index('event_sub_topics_topic').on(table.eventTopicId)],
);
