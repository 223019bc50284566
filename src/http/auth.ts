// Who is asking: reads `Authorization: JWT <token>` (OES) or `Bearer <token>`, and loads the user.
// A request without the header is anonymous; a request with a bad or expired token is a 401, not
// silently anonymous, so a client learns its token needs renewing.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findUserById, type User } from '../domain/users.ts';
import { unauthorized } from './jsonapi/errors.ts';
import type { AppContext } from './context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
  interface FastifyContextConfig {
    /** The route is for signed-in users only: anonymous requests get a 401 before the handler runs. */
    signedIn?: boolean;
  }
}

const SCHEME = /^(?:JWT|Bearer)\s+(\S+)\s*$/i;

export const authPlugin = fp(async function auth(app: FastifyInstance, { db, tokens }: AppContext) {
  app.decorateRequest('user', null);
  app.addHook('preHandler', async (request) => {
    const header = request.headers.authorization;
    if (!header) {
      if (request.routeOptions.config?.signedIn) throw unauthorized();
      return;
    }
    const token = SCHEME.exec(header)?.[1];
    if (!token) throw unauthorized('Authorization must be "JWT <token>" or "Bearer <token>"');
    const id = await tokens.verify(token);
    const user = id === null ? null : await findUserById(db, id);
    if (!user) throw unauthorized('The access token is invalid or has expired; log in again');
    request.user = user;
  });
});

/** The signed-in user, or a 401 for anonymous requests. */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw unauthorized();
  return request.user;
}
