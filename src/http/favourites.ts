// "My schedule": signed-in users mark sessions (/v1/user-favourite-sessions), list them
// (/v1/users/me/favourite-sessions), and get a secret feed URL for their calendar app
// (/v1/users/me/calendar-token; POST rotates it, which kills the old URL). No user_id parameter
// anywhere: the token is the only handle on someone's personal feed.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { calendarTokens, favouriteSessions, sessions } from '../db/schema/index.ts';
import { PUBLISHED_SESSION_STATES } from '../calendar/schedule.ts';
import { eventAccess } from '../domain/access.ts';
import { requireUser } from './auth.ts';
import { collectionDocument, identifier, instant, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { conflict, notFound, relationshipPointer, unprocessable } from './jsonapi/errors.ts';
import { parsePage } from './jsonapi/query.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  ToOne,
  collectionResponse,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

type Favourite = typeof favouriteSessions.$inferSelect;

const TYPE = 'user-favourite-session';
const FavouriteResource = resourceObject(TYPE, { 'created-at': Type.String() }, ['session', 'user']);
const TokenResource = resourceObject('calendar-token', {
  token: Type.String(),
  'ical-url': Type.String(),
  'webcal-url': Type.String(),
  'xcal-url': Type.String(),
  'jcal-url': Type.String(),
  'created-at': Type.String(),
});

function favouriteResource(favourite: Favourite): ResourceObject {
  return {
    type: TYPE,
    id: String(favourite.id),
    attributes: { 'created-at': instant(favourite.createdAt) },
    relationships: {
      session: { data: identifier('session', favourite.sessionId) },
      user: { data: identifier('user', favourite.userId) },
    },
    links: { self: `/v1/user-favourite-sessions/${favourite.id}` },
  };
}

export async function favouriteRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['my schedule'];

  app.post(
    '/v1/user-favourite-sessions',
    {
      schema: {
        summary: 'Add a session to your schedule',
        tags,
        body: resourceBody({ attributes: {}, relationships: { session: ToOne('session') }, readOnly: ['created-at'], requireRelationships: true }),
        response: { 201: singleResponse(FavouriteResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { data } = request.body;
      expectType(data, TYPE);
      const sessionId = data.relationships.session.data?.id;
      if (!sessionId || !/^[1-9]\d{0,9}$/.test(sessionId)) throw unprocessable('Name the session to add', relationshipPointer('session'));
      const [session] = await db.select().from(sessions).where(and(eq(sessions.id, Number(sessionId)), isNull(sessions.deletedAt)));
      const access = session ? await eventAccess(db, session.eventId, user) : null;
      const visible =
        session && access?.canRead && (access.isTeam || (PUBLISHED_SESSION_STATES as readonly string[]).includes(session.state));
      if (!visible) throw unprocessable(`No session ${sessionId}`, relationshipPointer('session'));
      const [favourite] = await db.insert(favouriteSessions).values({ userId: user.id, sessionId: session.id }).onConflictDoNothing().returning();
      if (!favourite) throw conflict(`Session ${session.id} is already in your schedule`, relationshipPointer('session'));
      reply.code(201).header('location', `/v1/user-favourite-sessions/${favourite.id}`);
      return singleDocument(favouriteResource(favourite));
    },
  );

  app.delete(
    '/v1/user-favourite-sessions/:id',
    { schema: { summary: 'Remove a session from your schedule', tags, params: Type.Object({ id: IdString }), response: { '4xx': ErrorDocument } } },
    async (request, reply) => {
      const user = requireUser(request);
      const removed = await db
        .delete(favouriteSessions)
        .where(and(eq(favouriteSessions.id, Number(request.params.id)), eq(favouriteSessions.userId, user.id)))
        .returning({ id: favouriteSessions.id });
      // Someone else's favourite does not exist for you.
      if (removed.length === 0) throw notFound();
      return reply.code(204).send(null as never);
    },
  );

  app.get(
    '/v1/users/me/favourite-sessions',
    {
      schema: {
        summary: 'The sessions in your schedule',
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(FavouriteResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const page = parsePage(request.query);
      const where = eq(favouriteSessions.userId, user.id);
      const [rows, [total]] = await Promise.all([
        db
          .select()
          .from(favouriteSessions)
          .where(where)
          .orderBy(asc(favouriteSessions.id))
          .limit(page.size)
          .offset((page.number - 1) * page.size),
        db.select({ n: count() }).from(favouriteSessions).where(where),
      ]);
      return collectionDocument(rows.map(favouriteResource), { count: total!.n, page, url: request.url });
    },
  );

  function tokenResource(row: typeof calendarTokens.$inferSelect): ResourceObject {
    const base = `${config.publicUrl}/v1/calendar/${row.token}`;
    return {
      type: 'calendar-token',
      id: String(row.userId),
      attributes: {
        token: row.token,
        'ical-url': `${base}.ics`,
        'webcal-url': `${base.replace(/^https?:/, 'webcal:')}.ics`,
        'xcal-url': `${base}.xcs`,
        'jcal-url': `${base}.jcal`,
        'created-at': instant(row.createdAt),
      },
    };
  }

  const newToken = () => randomBytes(32).toString('base64url');

  app.get(
    '/v1/users/me/calendar-token',
    {
      schema: {
        summary: 'The secret URL of your personal calendar feed (made on first use)',
        tags,
        response: { 200: singleResponse(TokenResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await db.insert(calendarTokens).values({ userId: user.id, token: newToken() }).onConflictDoNothing();
      const [row] = await db.select().from(calendarTokens).where(eq(calendarTokens.userId, user.id));
      return singleDocument(tokenResource(row!));
    },
  );

  app.post(
    '/v1/users/me/calendar-token',
    {
      schema: {
        summary: 'Replace your calendar feed URL: the old one stops working at once',
        tags,
        response: { 201: singleResponse(TokenResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const token = newToken();
      const [row] = await db
        .insert(calendarTokens)
        .values({ userId: user.id, token })
        .onConflictDoUpdate({ target: calendarTokens.userId, set: { token, createdAt: new Date() } })
        .returning();
      reply.code(201);
      return singleDocument(tokenResource(row!));
    },
  );

}
