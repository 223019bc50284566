// "My schedule": signed-in users mark sessions (/v1/user-favourite-sessions), list them
// (/v1/users/me/favourite-sessions, or OES's /v1/users/{your id}/user-favourite-sessions), and get a
// secret feed URL for their calendar app (/v1/users/me/calendar-token; POST rotates it, which kills the
// old URL). Everyone sees only their own marks: the token is the only handle on someone's personal feed.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  addFavourite,
  calendarTokenOf,
  findFavourite,
  listFavourites,
  removeFavourite,
  rotateCalendarToken,
  type CalendarToken,
  type Favourite,
} from '../domain/favourites.ts';
import { personalFeedUrlAttributes, personalFeedUrls } from '../formats/feed-urls.ts';
import { requireUser } from './auth.ts';
import { NotFoundError } from '../domain/errors.ts';
import { collectionDocument, identifier, instant, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { parsePage } from '../domain/list-query.ts';
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
import { DeletedResponse, deletedDocument } from './jsonapi/deleted.ts';
import type { AppContext } from './context.ts';

const TYPE = 'user-favourite-session';
const FavouriteResource = resourceObject(TYPE, { 'created-at': Type.String() }, ['session', 'user']);
const TokenResource = resourceObject('calendar-token', {
  token: Type.String(),
  ...Object.fromEntries(personalFeedUrlAttributes.map((name) => [name, Type.String()])),
  'created-at': Type.String(),
});

export function favouriteResource(favourite: Favourite): ResourceObject {
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
      config: { signedIn: true },
      schema: {
        summary: 'Add a session to your schedule',
        tags,
        body: resourceBody({ attributes: {}, relationships: { session: ToOne('session') }, readOnly: ['created-at'], requireRelationships: true }),
        response: { 201: singleResponse(FavouriteResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const { data } = request.body;
      expectType(data, TYPE);
      const favourite = await addFavourite(db, requireUser(request), data.relationships.session.data?.id);
      reply.code(201).header('location', `/v1/user-favourite-sessions/${favourite.id}`);
      return singleDocument(favouriteResource(favourite));
    },
  );

  app.delete(
    '/v1/user-favourite-sessions/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Remove a session from your schedule',
        tags,
        params: Type.Object({ id: IdString }),
        response: { 200: DeletedResponse, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await removeFavourite(db, requireUser(request), Number(request.params.id));
      return deletedDocument();
    },
  );

  app.get(
    '/v1/user-favourite-sessions/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'One session mark of your schedule',
        tags,
        params: Type.Object({ id: IdString }),
        response: { 200: singleResponse(FavouriteResource), '4xx': ErrorDocument },
      },
    },
    async (request) => singleDocument(favouriteResource(await findFavourite(db, requireUser(request), Number(request.params.id)))),
  );

  // Your marks, at openevent's path and at OES's (/v1/users/{id}/user-favourite-sessions, your own id or `me`).
  for (const url of ['/v1/users/me/favourite-sessions', '/v1/users/:id/user-favourite-sessions']) {
    app.get(
      url,
      {
        config: { signedIn: true },
        schema: {
          summary: 'The sessions in your schedule',
          tags,
          ...(url.includes(':id') ? { params: Type.Object({ id: Type.Union([IdString, Type.Literal('me')]) }) } : {}),
          querystring: ListQuerystring,
          response: { 200: collectionResponse(FavouriteResource), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { id } = (request.params ?? {}) as { id?: string };
        // Nobody else's schedule is anyone's business: another user's marks do not exist for you.
        if (id !== undefined && id !== 'me' && Number(id) !== user.id) throw new NotFoundError('Not found');
        const page = parsePage(request.query);
        const { rows, total } = await listFavourites(db, user, page);
        return collectionDocument(rows.map(favouriteResource), { count: total, page, url: request.url });
      },
    );
  }

  function tokenResource(row: CalendarToken): ResourceObject {
    return {
      type: 'calendar-token',
      id: String(row.userId),
      attributes: { token: row.token, ...personalFeedUrls(row.token, config.publicUrl), 'created-at': instant(row.createdAt) },
    };
  }

  app.get(
    '/v1/users/me/calendar-token',
    {
      config: { signedIn: true },
      schema: {
        summary: 'The secret URL of your personal calendar feed (made on first use)',
        tags,
        response: { 200: singleResponse(TokenResource), '4xx': ErrorDocument },
      },
    },
    async (request) => singleDocument(tokenResource(await calendarTokenOf(db, requireUser(request)))),
  );

  app.post(
    '/v1/users/me/calendar-token',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Replace your calendar feed URL: the old one stops working at once',
        tags,
        response: { 201: singleResponse(TokenResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const row = await rotateCalendarToken(db, requireUser(request));
      reply.code(201);
      return singleDocument(tokenResource(row));
    },
  );
}
