// Users: registration, lookup, profile and password changes. No HTTP here; routes and the CLI both
// call this. Registration is rate limited per address and per email (counters in the database, see
// rate-limits.ts): "this email is taken" tells who has an account, so asking it must stay slow.
import { and, asc, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { dummyHash, hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, type Field } from './errors.ts';
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

export interface NewUser {
  email: string;
  password: string;
  firstName?: string | null;
  lastName?: string | null;
  isAdmin?: boolean;
}

function checkPasswordLength(password: string, field: Field) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long`, field);
  }
}

export async function createUser(db: Queryable, input: NewUser): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const [user] = await db
    .insert(users)
    .values({
      email: normalizeEmail(input.email),
      passwordHash,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      isAdmin: input.isAdmin ?? false,
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
 * limit is there to bound how many emails one can test for having an account.
 */
export async function registerUser(db: Queryable, input: NewUser, address: string, limits: AccountLimits): Promise<User> {
  await countAttempt(db, { key: `register-address:${address}`, max: limits.registrationRateLimit, windowSeconds: HOUR });
  await countAttempt(db, { key: `register-email:${normalizeEmail(input.email)}`, max: REGISTRATIONS_PER_EMAIL, windowSeconds: HOUR });
  checkPasswordLength(input.password, { attribute: 'password' });
  return createUser(db, { ...input, isAdmin: false });
}

/** The attempt counter of one account, shared by login and password changes from any address. */
const accountLimit = (email: string, limits: AccountLimits) => ({
  key: `login-account:${normalizeEmail(email)}`,
  max: limits.loginAccountRateLimit,
  windowSeconds: ACCOUNT_WINDOW_SECONDS,
});

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
    'created-at': { column: users.createdAt, kind: 'instant' as const },
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

export interface ProfileChanges {
  firstName?: string | null;
  lastName?: string | null;
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
  if (changes.firstName !== undefined) set.firstName = changes.firstName;
  if (changes.lastName !== undefined) set.lastName = changes.lastName;
  if (changes.password) Object.assign(set, await newPasswordColumns(db, user, changes.password, limits));
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
        ...(samePassword ? {} : { passwordHash: await hashPassword(password), tokenVersion: sql`${users.tokenVersion} + 1` }),
        updatedAt: new Date(),
      })
      .where(eq(users.id, existing.id))
      .returning();
    return { user: user!, created: false };
  }
  return { user: await createUser(db, { email, password, isAdmin: true }), created: true };
}
