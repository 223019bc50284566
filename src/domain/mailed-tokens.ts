// One-use tokens sent to a person by mail (email verification, password reset). The token is 32
// random bytes; only its SHA-256 is stored, so the database alone cannot produce a working link.
// A token holds for the address it was sent to: after an email change it is worth nothing.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { accountTokens, users } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import type { User } from './users.ts';

export type TokenPurpose = 'verify-email' | 'reset-password';

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A new token for `user`, valid `lifetimeSeconds`; older ones of the same purpose stay valid until used or expired. */
export async function issueMailedToken(db: Queryable, user: User, purpose: TokenPurpose, lifetimeSeconds: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.delete(accountTokens).where(lt(accountTokens.expiresAt, sql`now()`));
  await db.insert(accountTokens).values({
    tokenHash: hashOf(token),
    userId: user.id,
    purpose,
    email: user.email,
    expiresAt: new Date(Date.now() + lifetimeSeconds * 1000),
  });
  return token;
}

/**
 * The user a token was sent to, if it is unexpired, for this purpose, and their account still has
 * that address; every token of that purpose for them is used up. Null otherwise. Deleting the rows
 * in the same statement that reads them makes a token work once, even for two requests at once.
 */
export async function consumeMailedToken(db: Queryable, token: string, purpose: TokenPurpose): Promise<User | null> {
  const [row] = await db
    .delete(accountTokens)
    .where(and(eq(accountTokens.tokenHash, hashOf(token)), eq(accountTokens.purpose, purpose)))
    .returning();
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, row.userId), eq(users.email, row.email), isNull(users.deletedAt)));
  if (!user) return null;
  await db.delete(accountTokens).where(and(eq(accountTokens.userId, user.id), eq(accountTokens.purpose, purpose)));
  return user;
}

