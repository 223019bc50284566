// Users: registration, lookup and credentials. No HTTP here; routes and the CLI both call this.
import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import { dummyHash, hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';

export type User = typeof users.$inferSelect;

export { MIN_PASSWORD_LENGTH };

export class DuplicateEmailError extends Error {
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
  if (!user) throw new DuplicateEmailError(`A user with the email ${normalizeEmail(input.email)} already exists`);
  return user;
}

/** The user for these credentials, or null; takes the same time for an unknown email as for a wrong password. */
export async function authenticate(db: Queryable, email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  return user && ok ? user : null;
}

/** Makes an existing user an admin, or creates one: the only way to an admin account (`openevent create-admin`). */
export async function ensureAdmin(db: Queryable, email: string, password: string): Promise<{ user: User; created: boolean }> {
  const existing = await findUserByEmail(db, email);
  if (existing) {
    const [user] = await db
      .update(users)
      .set({ isAdmin: true, passwordHash: await hashPassword(password), updatedAt: new Date() })
      .where(eq(users.id, existing.id))
      .returning();
    return { user: user!, created: false };
  }
  return { user: await createUser(db, { email, password, isAdmin: true }), created: true };
}
