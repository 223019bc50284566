// Access tokens: JWT (HS256, via jose) signed with SECRET_KEY, valid 24 hours. The `identity` claim
// carries the user id as Open Event Server's flask-jwt tokens do; `sub` carries it the standard way.
// Two more claims let a token be ended before it expires: `ver`, the account's token version (a
// password change raises it, so every older token stops working), and `jti`, the token's own id (a
// logout revokes just that one).
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'openevent';
export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** Every account's token version until its password first changes (the column's default). */
export const FIRST_TOKEN_VERSION = 1;

/** What a valid token says; whether the account still accepts it is the database's call. */
export interface AccessToken {
  userId: number;
  tokenVersion: number;
  tokenId: string;
  expiresAt: Date;
}

export interface TokenService {
  issue(userId: number, tokenVersion?: number): Promise<string>;
  /** The claims of a well-signed, unexpired token of ours, or null (also for one without an expiry). */
  verify(token: string): Promise<AccessToken | null>;
}

const positiveInteger = (value: unknown): number | null => {
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
};

export function tokenService(secretKey: string): TokenService {
  const key = new TextEncoder().encode(secretKey);
  return {
    issue(userId, tokenVersion = FIRST_TOKEN_VERSION) {
      return new SignJWT({ identity: userId, ver: tokenVersion })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
        .sign(key);
    },
    async verify(token) {
      try {
        // jose checks `exp` only when present: requiring it refuses a token that would never expire.
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'sub', 'jti', 'ver'],
        });
        const userId = positiveInteger(payload.sub);
        const tokenVersion = positiveInteger(payload.ver);
        if (userId === null || tokenVersion === null || typeof payload.jti !== 'string') return null;
        return { userId, tokenVersion, tokenId: payload.jti, expiresAt: new Date(payload.exp! * 1000) };
      } catch {
        return null;
      }
    },
  };
}
