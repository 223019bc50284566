// Access tokens: JWT (HS256, via jose) signed with SECRET_KEY, valid 24 hours. The `identity` claim
// carries the user id as Open Event Server's flask-jwt tokens do; `sub` carries it the standard way.
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'openevent';
export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export interface TokenService {
  issue(userId: number): Promise<string>;
  /** The user id of a valid token, or null for an invalid, expired or foreign one. */
  verify(token: string): Promise<number | null>;
}

export function tokenService(secretKey: string): TokenService {
  const key = new TextEncoder().encode(secretKey);
  return {
    issue(userId) {
      return new SignJWT({ identity: userId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        const id = Number(payload.sub);
        return Number.isSafeInteger(id) && id > 0 ? id : null;
      } catch {
        return null;
      }
    },
  };
}
