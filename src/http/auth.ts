// Who is asking: reads `Authorization: JWT <token>` (OES) or `Bearer <token>`, and loads the user.
// A request without the header is anonymous; a request with a bad, expired, logged-out or superseded
// token is a 401, not silently anonymous, so a client learns its token needs renewing.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from '../domain/users.ts';
import { userForToken } from '../domain/sessions.ts';
import type { AccessToken } from '../auth/tokens.ts';
import { unauthorized } from './jsonapi/errors.ts';
import type { AppContext } from './context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    /** The token the request was signed in with (logout ends it). */
    accessToken: AccessToken | null;
  }
  interface FastifyContextConfig {
    /** The route is for signed-in users only: anonymous requests get a 401 before the handler runs. */
    signedIn?: boolean;
    /** The route reads Authorization itself (the token refresh, which is sent a refresh token there). */
    ownAuthorization?: boolean;
  }
}

const SCHEME = /^(?:JWT|Bearer)\s+(\S+)\s*$/i;

/** The token of an `Authorization: JWT <token>` (or Bearer) header, or null. */
export function tokenOfHeader(header: string | undefined): string | null {
  return (header && SCHEME.exec(header)?.[1]) || null;
}

export const authPlugin = fp(async function auth(app: FastifyInstance, { db, tokens }: AppContext) {
  app.decorateRequest('user', null);
  app.decorateRequest('accessToken', null);
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config?.ownAuthorization) return;
    const header = request.headers.authorization;
    if (!header) {
      if (request.routeOptions.config?.signedIn) throw unauthorized();
      return;
    }
    const token = tokenOfHeader(header);
    if (!token) throw unauthorized('Authorization must be "JWT <token>" or "Bearer <token>"');
    const claims = await tokens.verify(token);
    const user = claims === null ? null : await userForToken(db, claims);
    if (!user) throw unauthorized('The access token is invalid or has expired; log in again');
    request.user = user;
    request.accessToken = claims;
  });
});

/** The signed-in user, or a 401 for anonymous requests. */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw unauthorized();
  return request.user;
}
