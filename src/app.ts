// Builds the Fastify app: JSON:API conventions, auth, CORS, docs and one plugin per resource.
// No listening and no process handling here (that is server.ts), so tests drive it with inject().
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import cookie from '@fastify/cookie';
import compress from '@fastify/compress';
import { constants as zlib } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { errorReply, jsonApiPlugin } from './http/jsonapi/plugin.ts';
import { authPlugin } from './http/auth.ts';
import { openApiPlugin, docsRoutes } from './http/docs.ts';
import { healthRoutes } from './http/health.ts';
import { userRoutes } from './http/users.ts';
import { loginRoutes } from './http/login.ts';
import { accountMailRoutes } from './http/account-mail.ts';
import { eventRoutes } from './http/events.ts';
import { roleRoutes } from './http/roles.ts';
import { scheduleRoutes } from './http/schedule.ts';
import { customFormRoutes } from './http/custom-forms.ts';
import { speakersCallRoutes } from './http/speakers-calls.ts';
import { mySubmissionRoutes } from './http/my-submissions.ts';
import { exportRoutes } from './http/exports.ts';
import { importRoutes } from './http/imports.ts';
import { ticketRoutes } from './http/tickets.ts';
import { codeRoutes } from './http/codes.ts';
import { orderRoutes } from './http/orders.ts';
import { attendeeRoutes } from './http/attendees.ts';
import { checkoutRoutes } from './http/checkout.ts';
import { orderPageRoutes } from './http/order-pages.ts';
import { orderStatisticsRoutes } from './http/order-statistics.ts';
import { feedRoutes } from './http/feeds.ts';
import { favouriteRoutes } from './http/favourites.ts';
import { settingRoutes } from './http/settings.ts';
import { pageRoutes } from './http/pages.ts';
import { eventClassificationRoutes } from './http/event-classification.ts';
import { homeRoutes } from './http/home.ts';
import { uploadRoutes } from './http/uploads.ts';
import { absentFeatureRoutes } from './http/absent-features.ts';
import { groupRoutes } from './http/groups.ts';
import { eventExtraRoutes } from './http/event-extras.ts';
import { loggerOptions } from './logging.ts';
import { addSecurityHeaders } from './http/security-headers.ts';
import type { AppContext } from './http/context.ts';
import type { Config } from './config.ts';

/** Fastify's types take a hop count only as a function: trust the nearest `hops` proxies. */
function trustedProxies(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** Large enough for any schedule edit; a multi-megabyte body is a mistake or an attack (413). */
export const BODY_LIMIT = 1024 * 1024;

export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(context.config),
    bodyLimit: BODY_LIMIT,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    },
    // Off unless TRUST_PROXY names the proxies in front of us: otherwise X-Forwarded-For is whatever
    // the client wants it to be, and every per-address limit is theirs to walk around.
    trustProxy: trustedProxies(context.config.trustProxy),
    // Querystrings are validated as given; bodies must have the declared types (a string is not a number).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    return503OnClosing: true,
    // Errors Fastify raises before routing (a path with broken percent-encoding, say) get the same
    // JSON:API errors document as everything else, not Fastify's own body.
    frameworkErrors: (error, request, reply) => errorReply(error, request, reply),
  });
  // Hooks on every request are plain callbacks: an async hook costs a promise and a microtask per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  await app.register(jsonApiPlugin);
  await app.register(cors, {
    origin: context.config.corsOrigins.length ? context.config.corsOrigins : false,
    credentials: true,
    // A browser client (OES's web client) sends every method the API has, with its token and JSON:API types.
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'x-requested-with', 'x-request-id', 'if-none-match', 'if-modified-since', 'x-csrf-token'],
    maxAge: 600,
    exposedHeaders: ['location', 'etag', 'content-disposition', 'x-request-id'],
  });
  addSecurityHeaders(app);
  // Only the remember-me refresh token travels as a cookie (http/refresh-cookie.ts).
  await app.register(cookie);
  // Large JSON lists compress well; feeds bring their own compressed copies (computed once per
  // schedule version), which this plugin leaves alone.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(openApiPlugin);
  await app.register(authPlugin, context);

  await app.register(healthRoutes, context);
  await app.register(loginRoutes, context);
  await app.register(accountMailRoutes, context);
  await app.register(userRoutes, context);
  await app.register(eventRoutes, context);
  await app.register(roleRoutes, context);
  await app.register(scheduleRoutes, context);
  await app.register(customFormRoutes, context);
  await app.register(speakersCallRoutes, context);
  await app.register(mySubmissionRoutes, context);
  await app.register(exportRoutes, context);
  await app.register(importRoutes, context);
  await app.register(ticketRoutes, context);
  await app.register(codeRoutes, context);
  await app.register(orderRoutes, context);
  await app.register(attendeeRoutes, context);
  await app.register(checkoutRoutes, context);
  await app.register(orderPageRoutes, context);
  await app.register(orderStatisticsRoutes, context);
  await app.register(feedRoutes, context);
  await app.register(favouriteRoutes, context);
  await app.register(settingRoutes, context);
  await app.register(pageRoutes, context);
  await app.register(eventClassificationRoutes, context);
  await app.register(uploadRoutes, context);
  await app.register(absentFeatureRoutes, context);
  await app.register(homeRoutes, context);
  await app.register(groupRoutes, context);
  await app.register(eventExtraRoutes, context);

  await app.register(docsRoutes);
  app.addHook('onClose', async () => context.mailer.close());
  return app;
}
