// Signed-in sessions: logging in for an access token, the user a token stands for, and logging out.
// A token is good while its signature and expiry hold (auth/tokens.ts), its account still exists with
// the token version it was issued under (a password change raises it), and it was not logged out.
import { and, eq, isNull, lt, notExists, sql } from 'drizzle-orm';
import { revokedTokens, users } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import type { AccessToken, TokenService } from '../auth/tokens.ts';
import { UnauthenticatedError } from './errors.ts';
import { authenticate, type AccountLimits, type User } from './users.ts';

export interface Credentials {
  email: string;
  password: string;
  /** The client's address as the HTTP layer sees it (after TRUST_PROXY). */
  address: string;
}

/** An access token for these credentials; an unknown email and a wrong password are the same 401. */
export async function logIn(db: Queryable, tokens: TokenService, credentials: Credentials, limits: AccountLimits): Promise<string> {
  const user = await authenticate(db, credentials.email, credentials.password, credentials.address, limits);
  if (!user) throw new UnauthenticatedError('The email or the password is wrong');
  return tokens.issue(user.id, user.tokenVersion);
}

/** The user a verified token stands for, or null when the account, its token version or the token itself is gone. */
export async function userForToken(db: Queryable, token: AccessToken): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.id, token.userId),
        isNull(users.deletedAt),
        eq(users.tokenVersion, token.tokenVersion),
        notExists(db.select({ one: sql`1` }).from(revokedTokens).where(eq(revokedTokens.tokenId, token.tokenId))),
      ),
    );
  return user ?? null;
}

/** Ends this token now. Its row is kept until the token would have expired anyway, then swept. */
export async function logOut(db: Queryable, token: AccessToken): Promise<void> {
  await db.insert(revokedTokens).values({ tokenId: token.tokenId, expiresAt: token.expiresAt }).onConflictDoNothing();
  await db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, sql`now()`));
}
