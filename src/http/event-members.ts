// The people of an event as OES lists them: `/v1/events/{ev}/owner` (one user) and
// `/v1/events/{ev}/organizers`, `coorganizers`, `track-organizers`, `registrars`, `moderators`
// (collections), the related links of the event's relationships. Whoever may see the event sees who
// runs it; contact details only for its team.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { eventMembers, readableEvent } from '../domain/events.ts';
import { collectionDocument, JSONAPI } from './jsonapi/document.ts';
import { parsePage } from '../domain/list-query.ts';
import { ErrorDocument, collectionResponse } from './jsonapi/schemas.ts';
import { MEMBER_LISTS, memberResources } from './event-relationships.ts';
import type { AppContext } from './context.ts';

// The user resource's own attributes are the user module's; here they pass through as given.
const Person = Type.Object(
  { type: Type.String(), id: Type.String(), attributes: Type.Object({}, { additionalProperties: true }), links: Type.Optional(Type.Object({ self: Type.String() })) },
  { additionalProperties: true },
);
const OnePerson: TSchema = Type.Object({ data: Type.Union([Person, Type.Null()]), jsonapi: Type.Object({ version: Type.String() }) });

export async function eventMemberRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['events'];
  const Params = Type.Object({ ev: Type.String({ maxLength: 64 }) });

  app.get(
    '/v1/events/:ev/owner',
    { schema: { summary: 'The owner of an event', tags, params: Params, response: { 200: OnePerson, '4xx': ErrorDocument } } },
    async (request) => {
      const access = await readableEvent(db, request.params.ev, request.user);
      const [owner] = (await eventMembers(db, access.event.id, ['owner'])).get('owner')!;
      return { data: owner ? (await memberResources(db, [owner], access))[0]! : null, jsonapi: JSONAPI };
    },
  );

  for (const [list, roleName] of Object.entries(MEMBER_LISTS)) {
    app.get(
      `/v1/events/:ev/${list}`,
      {
        schema: {
          summary: `The ${list} of an event`,
          tags,
          params: Params,
          querystring: Type.Object({}, { additionalProperties: true }),
          response: { 200: collectionResponse(Person), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const page = parsePage(request.query as Record<string, unknown>);
        const access = await readableEvent(db, request.params.ev, request.user);
        const people = (await eventMembers(db, access.event.id, [roleName])).get(roleName)!;
        const start = (page.number - 1) * page.size;
        const data = await memberResources(db, people.slice(start, start + page.size), access);
        return collectionDocument(data, { count: people.length, page, url: request.url });
      },
    );
  }
}
