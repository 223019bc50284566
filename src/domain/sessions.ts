// Signed-in sessions: logging in for an access token (and, to be remembered, a refresh token),
// renewing the access token, the user a token stands for, and logging out.
// A token is good while its signature and expiry hold (auth/tokens.ts), its account still exists,
// is not blocked and has the token version it was issued under (a password change or reset raises
// it), and neither the token nor the refresh token of its sign-in was logged out.
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { revokedTokens, users } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import {
  REFRESH_TOKEN_LIFETIME_SECONDS,
  REMEMBERED_TOKEN_LIFETIME_SECONDS,
  type AccessToken,
  type IssuedRefreshToken,
  type RefreshToken,
  type TokenService,
} from '../auth/tokens.ts';
import { UnauthenticatedError } from './errors.ts';
import { authenticate, type AccountLimits, type User } from './users.ts';

export interface Credentials {
  /** OES takes the email as `email` or `username`. */
  email: string;
  password: string;
  /** The client's address as the HTTP layer sees it (after TRUST_PROXY). */
  address: string;
  /** Also hand out a refresh token, and make the access token short-lived (OES's remember-me). */
  rememberMe?: boolean;
}

export interface SignIn {
  accessToken: string;
  refreshToken: IssuedRefreshToken | null;
}

/** Tokens for these credentials; an unknown email and a wrong password are the same 401. */
export async function logIn(db: Queryable, tokens: TokenService, credentials: Credentials, limits: AccountLimits): Promise<SignIn> {
  const user = await authenticate(db, credentials.email, credentials.password, credentials.address, limits);
  if (!user) throw new UnauthenticatedError('The email or the password is wrong');
  // Checked after the password, so a blocked account is told only to whoever knows its password.
  if (user.isBlocked) throw new UnauthenticatedError('This account has been blocked by an admin');
  await touch(db, user.id);
  if (!credentials.rememberMe) return { accessToken: await tokens.issue(user.id, user.tokenVersion), refreshToken: null };
  const refreshToken = await tokens.issueRefresh(user.id, user.tokenVersion);
  const accessToken = await tokens.issue(user.id, user.tokenVersion, {
    refreshTokenId: refreshToken.tokenId,
    lifetimeSeconds: REMEMBERED_TOKEN_LIFETIME_SECONDS,
  });
  return { accessToken, refreshToken };
}

/**
 * OES's re-authentication: a fresh access token for the signed-in user who proves their password
 * again (a token renewed by a refresh token is not fresh, and changing the email needs a fresh one).
 * The credentials must be this user's: anyone else's are the same 401 as wrong ones. The new token
 * belongs to the same sign-in (a logout ends both) and lasts as long as a token of that kind.
 */
export async function freshLogIn(
  db: Queryable,
  tokens: TokenService,
  current: AccessToken,
  credentials: Omit<Credentials, 'rememberMe'>,
  limits: AccountLimits,
): Promise<string> {
  const user = await authenticate(db, credentials.email, credentials.password, credentials.address, limits);
  if (!user || user.id !== current.userId) throw new UnauthenticatedError('Invalid Credentials');
  if (user.isBlocked) throw new UnauthenticatedError('This account has been blocked by an admin');
  await touch(db, user.id);
  if (!current.refreshTokenId) return tokens.issue(user.id, user.tokenVersion);
  return tokens.issue(user.id, user.tokenVersion, { refreshTokenId: current.refreshTokenId, lifetimeSeconds: REMEMBERED_TOKEN_LIFETIME_SECONDS });
}

/**
 * OES's token blacklist: no refresh token issued before now renews anything. openevent does not tell
 * its refresh tokens apart from its access tokens here: the account's token version goes up, as on a
 * password change, so every token issued before, this request's one too, stops working.
 */
export async function endEveryToken(db: Queryable, userId: number): Promise<void> {
  await db.update(users).set({ tokenVersion: sql`${users.tokenVersion} + 1` }).where(eq(users.id, userId));
}

/** A new short-lived access token for a refresh token that still stands; a 401 otherwise. */
export async function refreshAccess(db: Queryable, tokens: TokenService, refresh: RefreshToken): Promise<string> {
  const user = await liveUser(db, { userId: refresh.userId, tokenVersion: refresh.tokenVersion, tokenIds: [refresh.tokenId] });
  if (!user) throw new UnauthenticatedError('The refresh token is invalid, expired or logged out; log in again');
  await touch(db, user.id);
  return tokens.issue(user.id, user.tokenVersion, {
    refreshTokenId: refresh.tokenId,
    lifetimeSeconds: REMEMBERED_TOKEN_LIFETIME_SECONDS,
    fresh: false,
  });
}

/** The user a verified token stands for, or null when the account, its token version or the token itself is gone. */
export async function userForToken(db: Queryable, token: AccessToken): Promise<User | null> {
  const tokenIds = token.refreshTokenId ? [token.tokenId, token.refreshTokenId] : [token.tokenId];
  return liveUser(db, { userId: token.userId, tokenVersion: token.tokenVersion, tokenIds });
}

/**
 * The check every signed-in request makes, prepared once per database (or transaction): neither Drizzle nor
 * PostgreSQL builds or plans it again for each request.
 */
function prepareLiveUser(db: Queryable) {
  return db
    .select()
    .from(users)
    .where(
      and(
        eq(users.id, sql.placeholder('userId')),
        isNull(users.deletedAt),
        eq(users.isBlocked, false),
        eq(users.tokenVersion, sql.placeholder('tokenVersion')),
        sql`not exists (select 1 from ${revokedTokens} where ${revokedTokens.tokenId} = any(${sql.placeholder('tokenIds')}::text[]))`,
      ),
    )
    .prepare('live_user');
}
const liveUserQueries = new WeakMap<Queryable, ReturnType<typeof prepareLiveUser>>();

async function liveUser(db: Queryable, token: { userId: number; tokenVersion: number; tokenIds: string[] }): Promise<User | null> {
  let query = liveUserQueries.get(db);
  if (!query) liveUserQueries.set(db, (query = prepareLiveUser(db)));
  const [user] = await query.execute(token);
  return user ?? null;
}

/** OES's last-accessed-at: the last login or refresh, not every request (that would write on every read). */
async function touch(db: Queryable, userId: number) {
  await db.update(users).set({ lastAccessedAt: new Date() }).where(eq(users.id, userId));
}

/**
 * Ends this token now, and the sign-in it belongs to: its refresh token (and so every access token
 * renewed from it), and `refresh` when the client sent one along. Rows are kept until the token
 * would have expired anyway, then swept.
 */
export async function logOut(db: Queryable, token: AccessToken, refresh: RefreshToken | null = null): Promise<void> {
  const rows = [{ tokenId: token.tokenId, expiresAt: token.expiresAt }];
  if (token.refreshTokenId) {
    rows.push({ tokenId: token.refreshTokenId, expiresAt: new Date(Date.now() + REFRESH_TOKEN_LIFETIME_SECONDS * 1000) });
  }
  if (refresh && refresh.userId === token.userId) rows.push({ tokenId: refresh.tokenId, expiresAt: refresh.expiresAt });
  await db.insert(revokedTokens).values(rows).onConflictDoNothing();
  await db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, sql`now()`));
}
