// Access and refresh tokens: JWT (HS256, via jose) signed with SECRET_KEY. The `identity` claim
// carries the user id as Open Event Server's flask-jwt tokens do; `sub` carries it the standard way;
// `type` says which kind it is (OES's `access`/`refresh`), so neither can stand in for the other.
// Two more claims let a token be ended before it expires: `ver`, the account's token version (a
// password change raises it, so every older token stops working), and `jti`, the token's own id (a
// logout revokes just that one). An access token got with "remember me", or from a refresh, carries
// `rid`, the id of its refresh token: a logout revokes that too, ending the whole sign-in.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

const ISSUER = 'openevent';
/** An access token without "remember me" (OES: one day). */
export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** An access token of a remembered sign-in is short (OES: 90 minutes): the refresh token renews it. */
export const REMEMBERED_TOKEN_LIFETIME_SECONDS = 90 * 60;
/** How long "remember me" remembers. OES keeps a year; a month bounds what a stolen refresh token is worth. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
/** Every account's token version until its password first changes (the column's default). */
export const FIRST_TOKEN_VERSION = 1;

/** What a valid access token says; whether the account still accepts it is the database's call. */
export interface AccessToken {
  userId: number;
  tokenVersion: number;
  tokenId: string;
  expiresAt: Date;
  /** The refresh token this sign-in renews itself with, if any. */
  refreshTokenId: string | null;
  /** Got with the password just now, not renewed by a refresh token (OES's "fresh"): needed to change the email. */
  fresh: boolean;
}

/** What a valid refresh token says. */
export interface RefreshToken {
  userId: number;
  tokenVersion: number;
  tokenId: string;
  expiresAt: Date;
  /** The double-submit value a browser sends back as X-CSRF-Token when the token comes as a cookie. */
  csrf: string;
}

export interface IssuedRefreshToken extends RefreshToken {
  token: string;
}

export interface TokenService {
  issue(userId: number, tokenVersion?: number, options?: { refreshTokenId?: string; lifetimeSeconds?: number; fresh?: boolean }): Promise<string>;
  issueRefresh(userId: number, tokenVersion: number): Promise<IssuedRefreshToken>;
  /** The claims of a well-signed, unexpired access token of ours, or null (also for one without an expiry). */
  verify(token: string): Promise<AccessToken | null>;
  /** The claims of a well-signed, unexpired refresh token of ours, or null. */
  verifyRefresh(token: string): Promise<RefreshToken | null>;
}

const positiveInteger = (value: unknown): number | null => {
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
};

export function tokenService(secretKey: string): TokenService {
  const key = new TextEncoder().encode(secretKey);

  function sign(claims: JWTPayload, userId: number, tokenId: string, lifetimeSeconds: number) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer(ISSUER)
      .setJti(tokenId)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(key);
  }

  /** The common claims of a token of `type`, or null. */
  async function read(token: string, type: 'access' | 'refresh') {
    try {
      // jose checks `exp` only when present: requiring it refuses a token that would never expire.
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub', 'jti', 'ver'],
      });
      // Tokens from before refresh tokens existed have no `type`: they are access tokens.
      if ((payload.type ?? 'access') !== type) return null;
      const userId = positiveInteger(payload.sub);
      const tokenVersion = positiveInteger(payload.ver);
      if (userId === null || tokenVersion === null || typeof payload.jti !== 'string') return null;
      return { payload, userId, tokenVersion, tokenId: payload.jti, expiresAt: new Date(payload.exp! * 1000) };
    } catch {
      return null;
    }
  }

  return {
    issue(userId, tokenVersion = FIRST_TOKEN_VERSION, options = {}) {
      const claims: JWTPayload = { identity: userId, ver: tokenVersion, type: 'access', fresh: options.fresh ?? true };
      if (options.refreshTokenId) claims.rid = options.refreshTokenId;
      return sign(claims, userId, randomUUID(), options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS);
    },
    async issueRefresh(userId, tokenVersion) {
      const tokenId = randomUUID();
      const csrf = randomUUID();
      const token = await sign({ identity: userId, ver: tokenVersion, type: 'refresh', csrf }, userId, tokenId, REFRESH_TOKEN_LIFETIME_SECONDS);
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + REFRESH_TOKEN_LIFETIME_SECONDS) * 1000);
      return { token, userId, tokenVersion, tokenId, expiresAt, csrf };
    },
    async verify(token) {
      const claims = await read(token, 'access');
      if (!claims) return null;
      const { payload, ...rest } = claims;
      // Tokens from before the claim existed all came from a login.
      return { ...rest, refreshTokenId: typeof payload.rid === 'string' ? payload.rid : null, fresh: payload.fresh !== false };
    },
    async verifyRefresh(token) {
      const claims = await read(token, 'refresh');
      if (!claims || typeof claims.payload.csrf !== 'string') return null;
      const { payload, ...rest } = claims;
      return { ...rest, csrf: payload.csrf as string };
    },
  };
}
