// The database schema: one definition for PGlite and PostgreSQL alike. Migrations in
// src/db/migrations are generated from it (`npm run db:generate`), never written by hand.
// Instants are timestamptz; tables users can delete from carry deleted_at (soft delete).
import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable(
  'users',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** Stored lower-cased: addresses differ only in case are one person. */
    email: text().notNull(),
    passwordHash: text('password_hash').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    isAdmin: boolean('is_admin').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [uniqueIndex('users_email_key').on(table.email).where(sql`deleted_at IS NULL`)],
);
