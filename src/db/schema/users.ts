// User accounts and what keeps them safe: login and registration counters, revoked tokens.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

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
    /** Admins made on the command line (`openevent create-admin`): OES's super admins. */
    isSuperAdmin: boolean('is_super_admin').notNull().default(false),
    isSalesAdmin: boolean('is_sales_admin').notNull().default(false),
    isMarketer: boolean('is_marketer').notNull().default(false),
    /** Set by admins: a blocked account cannot sign in, and its tokens stop working. */
    isBlocked: boolean('is_blocked').notNull().default(false),
    /**
     * Whether the account's email is confirmed. Accounts are, unless self-registration under
     * REQUIRE_EMAIL_VERIFICATION made them wait for the mailed link (existing accounts included).
     */
    isVerified: boolean('is_verified').notNull().default(true),
    isProfilePublic: boolean('is_profile_public').notNull().default(false),
    wasRegisteredWithOrder: boolean('was_registered_with_order').notNull().default(false),
    publicName: text('public_name'),
    avatarUrl: text('avatar_url'),
    details: text(),
    contact: text(),
    /** OES's spelling. */
    languagePrefrence: text('language_prefrence'),
    facebookUrl: text('facebook_url'),
    twitterUrl: text('twitter_url'),
    instagramUrl: text('instagram_url'),
    googlePlusUrl: text('google_plus_url'),
    billingContactName: text('billing_contact_name'),
    billingPhone: text('billing_phone'),
    billingState: text('billing_state'),
    billingCountry: text('billing_country'),
    billingTaxInfo: text('billing_tax_info'),
    company: text(),
    billingAddress: text('billing_address'),
    billingCity: text('billing_city'),
    billingZipCode: text('billing_zip_code'),
    billingAdditionalInfo: text('billing_additional_info'),
    /** The last successful login or token refresh. */
    lastAccessedAt: instant('last_accessed_at'),
    /** Goes up when the password changes: access tokens carry it, and older ones stop working. */
    tokenVersion: integer('token_version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [uniqueIndex('users_email_key').on(table.email).where(sql`deleted_at IS NULL`)],
);

/**
 * Attempt counters for rate limits that must hold across every API process (login per account,
 * registration per address): one row per key and fixed window, counted up in one statement.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text().primaryKey(),
    count: integer().notNull(),
    resetsAt: instant('resets_at').notNull(),
  },
  (table) => [index('rate_limits_resets_at_idx').on(table.resetsAt)],
);

/** Access tokens ended by a logout before their expiry; a row is useless once the token expired. */
export const revokedTokens = pgTable(
  'revoked_tokens',
  {
    tokenId: text('token_id').primaryKey(),
    expiresAt: instant('expires_at').notNull(),
  },
  (table) => [index('revoked_tokens_expires_at_idx').on(table.expiresAt)],
);

/**
 * The one-use tokens mailed to a person: email verification and password reset. Only a hash is kept,
 * so a copy of the database does not hold usable links; a token is for the address it was mailed to.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text().$type<'verify-email' | 'reset-password'>().notNull(),
    email: text().notNull(),
    expiresAt: instant('expires_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('account_tokens_user_idx').on(table.userId, table.purpose),
    index('account_tokens_expires_at_idx').on(table.expiresAt),
    check('account_tokens_purpose', sql`${table.purpose} IN ('verify-email', 'reset-password')`),
  ],
);
