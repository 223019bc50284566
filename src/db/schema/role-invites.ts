// Invitations to an event's team (OES's role-invites): an organizer invites an email address to a
// role, and only the person signed in with that address can accept, which creates the role. The hash
// is the invitation's secret: the invitee learns it (by mail, later; today by listing their own
// pending invitations), the organizer never sees it.
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events, type RoleName } from './schedule.ts';
import { users } from './users.ts';

export const INVITE_STATUSES = ['pending', 'accepted', 'declined'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export const roleInvites = pgTable(
  'role_invites',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** Normalized (trimmed, lower case) as users' emails are, so the match with an account is exact. */
    email: text().notNull(),
    roleName: text('role_name').$type<RoleName>().notNull(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    hash: text().notNull(),
    status: text().$type<InviteStatus>().notNull().default('pending'),
    invitedBy: integer('invited_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    answeredAt: instant('answered_at'),
  },
  (table) => [
    uniqueIndex('role_invites_hash').on(table.hash),
    // One open invitation per address and role of an event.
    uniqueIndex('role_invites_pending').on(table.eventId, table.email, table.roleName).where(sql`status = 'pending'`),
    index('role_invites_event').on(table.eventId),
    index('role_invites_email').on(table.email),
  ],
);
