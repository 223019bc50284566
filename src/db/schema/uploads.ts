// Images people upload through the web client (event logos, sponsor logos, speaker photos): the bytes
// live in file storage under `storage_key`; the row says whose they are, for quotas and accountability.
import { index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { users } from './users.ts';

export const uploads = pgTable(
  'uploads',
  {
    id: serial().primaryKey(),
    storageKey: text('storage_key').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    mediaType: text('media_type').notNull(),
    size: integer().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('uploads_storage_key').on(table.storageKey), index('uploads_user_created').on(table.userId, table.createdAt)],
);
