// Security headers on every answer. The API serves data, never pages: its CSP allows nothing to load and
// nothing to frame it (the docs bring their own CSP, see http/docs.ts; the web client's files theirs, see
// http/home.ts). Feeds and downloads are meant to be fetched from anywhere, so resources are not pinned to
// our origin (CORS still decides which sites may read the API from a browser). Caching headers are left to
// each route.
//
// helmet's middleware is built once, here: @fastify/helmet built it anew for every request (parsing the
// CSP each time), which was a tenth of the CPU of a feed revalidation.
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  // HSTS is for the TLS terminator in front of us to decide; over plain HTTP browsers ignore it anyway.
  strictTransportSecurity: false,
} as const;

export function addSecurityHeaders(app: FastifyInstance): void {
  const setHeaders = helmet(SECURITY_HEADERS);
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
