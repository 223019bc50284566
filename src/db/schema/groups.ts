// OES's event groups: a person's collection of events (a meetup series, an organisation) that others
// follow. Events name their group (events.group_id, schedule.ts); followers are user_follow_groups.
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { users } from './users.ts';

/** One of a group's links, as OES's GroupSocialLinkSchema has it (a plain nested object: `is_custom`, snake_case). */
export interface GroupSocialLink {
  name: string;
  link: string;
  is_custom?: boolean;
}

export const groups = pgTable(
  'groups',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    /** The owner: the one who made the group. */
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    about: text(),
    socialLinks: jsonb('social_links').$type<GroupSocialLink[] | null>(),
    logoUrl: text('logo_url'),
    bannerUrl: text('banner_url'),
    /** Shown on the home page; set by admins only. */
    isPromoted: boolean('is_promoted').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
    modifiedAt: instant('modified_at').notNull().defaultNow(),
  },
  (table) => [index('groups_user').on(table.userId)],
);

export const userFollowGroups = pgTable(
  'user_follow_groups',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('user_follow_groups_unique').on(table.groupId, table.userId), index('user_follow_groups_user').on(table.userId)],
);
