// Users: registration, lookup, profile and password changes, deletion. No HTTP here; routes and the
// CLI both call this. Registration is rate limited per address and per email (counters in the database, see
// rate-limits.ts): "this email is taken" tells who has an account, so asking it must stay slow.
import { and, asc, count, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { eventRoles, events, orders, users, type RoleName } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { dummyHash, hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError, type Field } from './errors.ts';
import { clearAttempts, countAttempt } from './rate-limits.ts';

export type User = typeof users.$inferSelect;

export { MIN_PASSWORD_LENGTH };

/** The settings that bound login and registration attempts (see config.ts). */
export interface AccountLimits {
  /** Login attempts per address and email per minute. */
  loginRateLimit: number;
  /** Login attempts per account per 15 minutes from any address, until one succeeds. */
  loginAccountRateLimit: number;
  /** Registrations per address per hour. */
  registrationRateLimit: number;
}

/** Whether new accounts start unverified and confirm their email through a mailed link (REQUIRE_EMAIL_VERIFICATION). */
export interface RegistrationPolicy extends AccountLimits {
  requireEmailVerification: boolean;
}

/** Registrations of one email per hour: a person needs one, a script probing the address many. */
const REGISTRATIONS_PER_EMAIL = 5;
const HOUR = 60 * 60;
const ACCOUNT_WINDOW_SECONDS = 15 * 60;

export class DuplicateEmailError extends ConflictError {
  override name = 'DuplicateEmailError';
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserById(db: Queryable, id: number): Promise<User | null> {
  const [user] = await db.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt)));
  return user ?? null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, normalizeEmail(email)), isNull(users.deletedAt)));
  return user ?? null;
}

/** What a person may set on their own account (OES's user attributes that are not admin flags). */
export const PROFILE_COLUMNS = [
  'firstName',
  'lastName',
  'publicName',
  'avatarUrl',
  'details',
  'contact',
  'languagePrefrence',
  'facebookUrl',
  'twitterUrl',
  'instagramUrl',
  'googlePlusUrl',
  'billingContactName',
  'billingPhone',
  'billingState',
  'billingCountry',
  'billingTaxInfo',
  'company',
  'billingAddress',
  'billingCity',
  'billingZipCode',
  'billingAdditionalInfo',
  'isProfilePublic',
  'wasRegisteredWithOrder',
] as const;
export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];
export type Profile = Partial<Pick<User, ProfileColumn>>;

/** Links the client renders: only http(s), so no `javascript:` ends up behind an avatar or a profile link. */
const URL_COLUMNS: readonly ProfileColumn[] = ['avatarUrl', 'facebookUrl', 'twitterUrl', 'instagramUrl', 'googlePlusUrl'];

/** Flags only admins change (OES: verification, blocking, the sales-admin and marketer roles). */
export interface AdminFlags {
  isVerified?: boolean;
  isBlocked?: boolean;
  isSalesAdmin?: boolean;
  isMarketer?: boolean;
}

const attributeOf = (column: string) => column.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function checkProfile(profile: Profile) {
  for (const column of URL_COLUMNS) {
    const value = profile[column];
    if (value === undefined || value === null || value === '') continue;
    let url: URL | null = null;
    try {
      url = new URL(value as string);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidError('Not a valid URL: give an absolute http:// or https:// address', { attribute: attributeOf(column) });
    }
  }
}

export interface NewUser extends Profile {
  email: string;
  password: string;
  isAdmin?: boolean;
  isVerified?: boolean;
}

function checkPasswordLength(password: string, field: Field) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long`, field);
  }
}

export async function createUser(db: Queryable, input: NewUser): Promise<User> {
  checkProfile(input);
  const { email, password, isAdmin, isVerified, ...profile } = input;
  const passwordHash = await hashPassword(password);
  const [user] = await db
    .insert(users)
    .values({
      ...profile,
      email: normalizeEmail(email),
      passwordHash,
      isAdmin: isAdmin ?? false,
      // Admins are made by the operator on the command line: OES's super admins.
      isSuperAdmin: isAdmin ?? false,
      isVerified: isVerified ?? true,
    })
    .onConflictDoNothing()
    .returning();
  if (!user) {
    throw new DuplicateEmailError(`A user with the email ${normalizeEmail(input.email)} already exists`, { attribute: 'email' });
  }
  return user;
}

/**
 * Self-registration from `address` (the client's IP). Every attempt counts, a refused one too: the
 * limit is there to bound how many emails one can test for having an account. The account starts
 * verified unless the server requires email verification.
 */
export async function registerUser(db: Queryable, input: NewUser, address: string, policy: RegistrationPolicy): Promise<User> {
  await countAttempt(db, { key: `register-address:${address}`, max: policy.registrationRateLimit, windowSeconds: HOUR });
  await countAttempt(db, { key: `register-email:${normalizeEmail(input.email)}`, max: REGISTRATIONS_PER_EMAIL, windowSeconds: HOUR });
  checkPasswordLength(input.password, { attribute: 'password' });
  return createUser(db, { ...input, isAdmin: false, isVerified: !policy.requireEmailVerification });
}

/**
 * Whether an account has this email (OES's check_email, which its client asks before offering login or
 * sign-up). It tells what a refused registration tells, so it counts against the same limit per
 * address: one cannot test more emails this way than by trying to register them.
 */
export async function isEmailTaken(db: Queryable, email: string, address: string, policy: RegistrationPolicy): Promise<boolean> {
  await countAttempt(db, { key: `register-address:${address}`, max: policy.registrationRateLimit, windowSeconds: HOUR });
  return (await findUserByEmail(db, email)) !== null;
}

/** The attempt counter of one account, shared by login and password changes from any address. */
const accountLimit = (email: string, limits: AccountLimits) => ({
  key: `login-account:${normalizeEmail(email)}`,
  max: limits.loginAccountRateLimit,
  windowSeconds: ACCOUNT_WINDOW_SECONDS,
});

/** Lets an account whose owner proved themselves another way (a reset link) log in again at once. */
export async function clearLoginFailures(db: Queryable, email: string, limits: AccountLimits): Promise<void> {
  await clearAttempts(db, accountLimit(email, limits).key);
}

/**
 * The user for these credentials, or null; takes the same time for an unknown email as for a wrong
 * password. Each attempt counts against the limits per address and email and per account first.
 */
export async function authenticate(
  db: Queryable,
  email: string,
  password: string,
  address: string,
  limits: AccountLimits,
): Promise<User | null> {
  await countAttempt(db, { key: `login-address:${address}|${normalizeEmail(email)}`, max: limits.loginRateLimit, windowSeconds: 60 });
  await countAttempt(db, accountLimit(email, limits));
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) return null;
  // The account limit counts failures since the last success: its owner is not locked out by their own logins.
  await clearAttempts(db, accountLimit(email, limits).key);
  return user;
}

/** Columns that lists of users filter and sort on, by attribute name. */
export const USER_LIST = {
  fields: {
    id: { column: users.id, kind: 'integer' as const },
    email: { column: users.email, kind: 'text' as const },
    'first-name': { column: users.firstName, kind: 'text' as const },
    'last-name': { column: users.lastName, kind: 'text' as const },
    'is-admin': { column: users.isAdmin, kind: 'boolean' as const },
    'is-super-admin': { column: users.isSuperAdmin, kind: 'boolean' as const },
    'is-sales-admin': { column: users.isSalesAdmin, kind: 'boolean' as const },
    'is-marketer': { column: users.isMarketer, kind: 'boolean' as const },
    'is-verified': { column: users.isVerified, kind: 'boolean' as const },
    'is-blocked': { column: users.isBlocked, kind: 'boolean' as const },
    'public-name': { column: users.publicName, kind: 'text' as const },
    'created-at': { column: users.createdAt, kind: 'instant' as const },
    'last-accessed-at': { column: users.lastAccessedAt, kind: 'instant' as const },
  },
  defaultSort: [asc(users.id)],
};

export interface ListWindow {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

export async function listUsers(db: Queryable, me: User, window: ListWindow): Promise<Page<User>> {
  if (!me.isAdmin) throw new ForbiddenError('Only admins can list users');
  const where = and(isNull(users.deletedAt), window.where);
  return listPage(
    db.select().from(users).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(users).where(where),
  );
}

/** A user as `me` may see them: yourself, or anyone for admins; others do not exist for you (404). */
export async function userFor(db: Queryable, me: User, id: number): Promise<User> {
  // 404 rather than 403, so ids don't reveal who has an account.
  if (id !== me.id && !me.isAdmin) throw new NotFoundError('Not found');
  const user = await findUserById(db, id);
  if (!user) throw new NotFoundError('Not found');
  return user;
}

export interface PasswordChange {
  current: string | undefined;
  next: string;
  /** Where each of the two is in the request, for the error that names it. */
  fields: { current: Field; next: Field };
}

/** A new email address, as OES allows it: only with a token got by a password just now. */
export interface EmailChange {
  email: string;
  /** The request's token came from a login, not a refresh. */
  freshSignIn: boolean;
  /** The new address must be confirmed through a mailed link (REQUIRE_EMAIL_VERIFICATION). */
  requireVerification: boolean;
}

export interface ProfileChanges {
  profile?: Profile;
  email?: EmailChange;
  /** Admins only: anyone else sending a different value is refused (403), the same value is ignored. */
  flags?: AdminFlags;
  password?: PasswordChange;
}

/**
 * Changes a profile. A new password needs the account's current one, whoever asks (a stolen token
 * must not be enough to take the account over), and ends every token issued before it.
 */
export async function updateUser(
  db: Queryable,
  me: User,
  id: number,
  changes: ProfileChanges,
  limits: AccountLimits,
): Promise<User> {
  const user = await userFor(db, me, id);
  const set: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (changes.profile) {
    checkProfile(changes.profile);
    for (const column of PROFILE_COLUMNS) {
      if (changes.profile[column] !== undefined) Object.assign(set, { [column]: changes.profile[column] });
    }
  }
  for (const [flag, value] of Object.entries(changes.flags ?? {}) as [keyof AdminFlags, boolean | undefined][]) {
    if (value === undefined || value === user[flag]) continue;
    if (!me.isAdmin) throw new ForbiddenError('Only admins can change this', { attribute: attributeOf(flag) });
    set[flag] = value;
  }
  if (changes.password) Object.assign(set, await newPasswordColumns(db, user, changes.password, limits));
  if (changes.email && normalizeEmail(changes.email.email) !== user.email) Object.assign(set, await newEmailColumns(db, changes.email));
  const [updated] = await db
    .update(users)
    .set(set)
    .where(and(eq(users.id, user.id), isNull(users.deletedAt)))
    .returning();
  if (!updated) throw new NotFoundError('Not found');
  return updated;
}

/** OES's change-password: the signed-in user's own password, old for new. */
export async function changePassword(db: Queryable, me: User, change: PasswordChange, limits: AccountLimits): Promise<User> {
  return updateUser(db, me, me.id, { password: change }, limits);
}

async function newEmailColumns(db: Queryable, change: EmailChange) {
  if (!change.freshSignIn) throw new UnauthenticatedError('Sign in again with your password to change your email');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(change.email.trim())) {
    throw new InvalidError('Not a valid email address', { attribute: 'email' });
  }
  if (await findUserByEmail(db, change.email)) {
    throw new DuplicateEmailError(`A user with the email ${normalizeEmail(change.email)} already exists`, { attribute: 'email' });
  }
  return { email: normalizeEmail(change.email), ...(change.requireVerification ? { isVerified: false } : {}) };
}

async function newPasswordColumns(db: Queryable, user: User, change: PasswordChange, limits: AccountLimits) {
  if (change.current === undefined) {
    throw new InvalidError('Give the current password to set a new one', change.fields.current);
  }
  // Guessing the current password through this door counts like guessing it at login.
  await countAttempt(db, accountLimit(user.email, limits));
  if (!(await verifyPassword(change.current, user.passwordHash))) {
    throw new InvalidError('The current password is wrong', change.fields.current);
  }
  await clearAttempts(db, accountLimit(user.email, limits).key);
  checkPasswordLength(change.next, change.fields.next);
  if (change.next === change.current) {
    throw new InvalidError('The new password must differ from the current one', change.fields.next);
  }
  return { passwordHash: await hashPassword(change.next), tokenVersion: sql`${users.tokenVersion} + 1` };
}

/** Makes an existing user an admin, or creates one: the only way to an admin account (`openevent create-admin`). */
export async function ensureAdmin(db: Queryable, email: string, password: string): Promise<{ user: User; created: boolean }> {
  const existing = await findUserByEmail(db, email);
  if (existing) {
    // A different password ends the tokens issued under the old one, as any password change does.
    const samePassword = await verifyPassword(password, existing.passwordHash);
    const [user] = await db
      .update(users)
      .set({
        isAdmin: true,
        isSuperAdmin: true,
        isVerified: true,
        ...(samePassword ? {} : { passwordHash: await hashPassword(password), tokenVersion: sql`${users.tokenVersion} + 1` }),
        updatedAt: new Date(),
      })
      .where(eq(users.id, existing.id))
      .returning();
    return { user: user!, created: false };
  }
  return { user: await createUser(db, { email, password, isAdmin: true }), created: true };
}

/** Checks the signed-in user's password (OES's verify-password), counted like a login attempt. */
export async function checkPassword(db: Queryable, me: User, password: string, limits: AccountLimits): Promise<boolean> {
  await countAttempt(db, accountLimit(me.email, limits));
  const ok = await verifyPassword(password, me.passwordHash);
  if (ok) await clearAttempts(db, accountLimit(me.email, limits).key);
  return ok;
}

/** Order states that still hold tickets to an event (an order being filled in holds them too). */
const LIVE_ORDER_STATUSES = ['initializing', 'pending', 'completed'] as const;

/**
 * Deletes an account, softly (OES): yourself, or anyone for admins, but not a super admin, nor
 * anyone still on an event's team or holding an order for an event not yet over (403, as OES). Its
 * email is free for a new account at once; every token of it stops working.
 */
export async function deleteUser(db: Queryable, me: User, id: number, now = new Date()): Promise<void> {
  const user = await userFor(db, me, id);
  if (user.isSuperAdmin && user.id !== me.id) throw new ForbiddenError('A super admin cannot be deleted by someone else');
  const [team] = await db
    .select({ one: sql`1` })
    .from(eventRoles)
    .innerJoin(events, eq(events.id, eventRoles.eventId))
    .where(and(eq(eventRoles.userId, user.id), isNull(eventRoles.deletedAt), isNull(events.deletedAt)))
    .limit(1);
  if (team) throw new ForbiddenError('Users associated with events cannot be deleted');
  const [order] = await db
    .select({ one: sql`1` })
    .from(orders)
    .innerJoin(events, eq(events.id, orders.eventId))
    .where(and(eq(orders.userId, user.id), inArray(orders.status, [...LIVE_ORDER_STATUSES]), gt(events.endsAt, now)))
    .limit(1);
  if (order) throw new ForbiddenError('Users associated with orders cannot be deleted');
  await db.update(users).set({ deletedAt: now, updatedAt: now }).where(and(eq(users.id, user.id), isNull(users.deletedAt)));
}

/** OES's computed is-user-* flags: which roles a user has on events that still exist. */
export type UserRoleFlags = Record<RoleName, boolean>;

export async function roleFlagsOf(db: Queryable, userIds: number[]): Promise<Map<number, UserRoleFlags>> {
  const flags = new Map<number, UserRoleFlags>();
  for (const id of userIds) {
    flags.set(id, { owner: false, organizer: false, coorganizer: false, track_organizer: false, registrar: false, moderator: false });
  }
  if (userIds.length === 0) return flags;
  const rows = await db
    .selectDistinct({ userId: eventRoles.userId, roleName: eventRoles.roleName })
    .from(eventRoles)
    .innerJoin(events, eq(events.id, eventRoles.eventId))
    .where(and(inArray(eventRoles.userId, userIds), isNull(eventRoles.deletedAt), isNull(events.deletedAt)));
  for (const row of rows) flags.get(row.userId)![row.roleName] = true;
  return flags;
}
