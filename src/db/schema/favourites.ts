// "My schedule": the sessions a user marked, and the secret token of their personal calendar feed.
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { sessions } from './schedule.ts';
import { users } from './users.ts';

export const favouriteSessions = pgTable(
  'user_favourite_sessions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('user_favourite_sessions_unique').on(table.userId, table.sessionId), index('user_favourite_sessions_session').on(table.sessionId)],
);

/**
 * The secret in a user's personal feed URL. Calendar apps poll it without headers; rotating it (a new
 * row) kills the old URL. One live token per user.
 */
export const calendarTokens = pgTable(
  'user_calendar_tokens',
  {
    userId: integer('user_id')
      .primaryKey()
      .references(() => users.id),
    /** Kept as is, so the user can read their feed URL again (as with any calendar's secret address). */
    token: text().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('user_calendar_tokens_token').on(table.token)],
);
