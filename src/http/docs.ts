// The OpenAPI 3.1 document at /v1/openapi.json and interactive docs at /docs, both generated from the
// route schemas by @fastify/swagger: nothing here lists routes by hand.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { version } from '../version.ts';

export const openApiPlugin = fp(async function openApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'openevent',
        version,
        description:
          'Event management with a JSON:API compatible with FOSSASIA Open Event Server. ' +
          'Authenticate with `Authorization: JWT <token>` from POST /v1/auth/login.',
      },
      components: {
        securitySchemes: { jwt: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'JWT <token>' } },
      },
      security: [{ jwt: [] }],
    },
  });
});

/** Registered after every route so the document is complete; /docs shows the same document. */
export async function docsRoutes(app: FastifyInstance) {
  app.get('/v1/openapi.json', { schema: { hide: true }, config: { plainJson: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // swagger-ui's own CSP (with the hashes of its inline scripts) instead of the API's, which allows
    // nothing; without upgrade-insecure-requests, which would break the docs on a plain-HTTP server,
    // and framed by nobody, like everything else we serve.
    staticCSP: true,
    transformStaticCSP: (header: string) =>
      header.replace(/\s*upgrade-insecure-requests;?/, '').replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
}
