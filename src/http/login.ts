// POST /v1/auth/login {"email","password"} → {"access_token": "…"}, plain JSON as OES answers.
// Rate limited per IP and email; an unknown email and a wrong password get the same answer.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { authenticate, normalizeEmail } from '../domain/users.ts';
import { ApiError } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

export async function loginRoutes(parent: FastifyInstance, { db, tokens, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/auth/login',
    {
      config: {
        plainJson: true,
        rateLimit: {
          max: config.loginRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (request) => {
            const email = (request.body as { email?: unknown } | undefined)?.email;
            return `${request.ip}|${typeof email === 'string' ? normalizeEmail(email) : ''}`;
          },
        },
      },
      schema: {
        summary: 'Exchange email and password for an access token',
        tags: ['auth'],
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1000 }), remember_me: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ access_token: Type.String() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = await authenticate(db, request.body.email, request.body.password);
      if (!user) throw new ApiError(401, 'The email or the password is wrong');
      return { access_token: await tokens.issue(user.id) };
    },
  );
}
