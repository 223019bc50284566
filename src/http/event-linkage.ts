// `GET /v1/events/{ev}/relationships/{name}`: the `links.self` of an event's relationships, answering
// the linkage (which users, tickets, roles) as OES does. OES features openevent lacks answer empty.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readableEvent } from '../domain/events.ts';
import { JSONAPI } from './jsonapi/document.ts';
import { notFound } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { EVENT_RELATIONSHIPS, LINKAGE_RESOLVED, resolveIncludes } from './event-relationships.ts';
import type { AppContext } from './context.ts';

const Identifier = Type.Object({ type: Type.String(), id: Type.String() });
const Linkage: TSchema = Type.Object({
  data: Type.Union([Identifier, Type.Array(Identifier), Type.Null()]),
  links: Type.Object({ self: Type.String(), related: Type.String() }),
  jsonapi: Type.Object({ version: Type.String() }),
});

export async function eventLinkageRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/events/:ev/relationships/:name',
    {
      schema: {
        summary: 'Which resources one of an event’s relationships links to',
        tags: ['events'],
        params: Type.Object({ ev: Type.String({ maxLength: 64 }), name: Type.String({ maxLength: 64 }) }),
        response: { 200: Linkage, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { name } = request.params;
      const relationship = Object.hasOwn(EVENT_RELATIONSHIPS, name) ? EVENT_RELATIONSHIPS[name]! : undefined;
      if (!relationship || !(relationship.absent || LINKAGE_RESOLVED.has(name))) throw notFound(`Events have no relationship "${name}" to list here`);
      const access = await readableEvent(db, request.params.ev, request.user);
      const { data } = await resolveIncludes(db, access, [name]);
      const id = access.event.id;
      return {
        data: data.get(name) ?? null,
        links: { self: `/v1/events/${id}/relationships/${name}`, related: `/v1/events/${id}/${relationship.related ?? name}` },
        jsonapi: JSONAPI,
      };
    },
  );
}
