// The call for speakers of an event (OES's speakers_calls): one live call per event, open between its
// dates; a private one is answered only by those who hold its hash.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events } from './schedule.ts';

export const speakersCalls = pgTable(
  'speakers_calls',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    announcement: text(),
    startsAt: instant('starts_at').notNull(),
    softEndsAt: instant('soft_ends_at'),
    endsAt: instant('ends_at').notNull(),
    hash: text(),
    privacy: text().$type<'public' | 'private'>().notNull().default('public'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [
    uniqueIndex('speakers_calls_one_per_event').on(table.eventId).where(sql`deleted_at IS NULL`),
    check('speakers_calls_privacy', sql`privacy IN ('public', 'private')`),
    check('speakers_calls_dates', sql`ends_at > starts_at`),
  ],
);
