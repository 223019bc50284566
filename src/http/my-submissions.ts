// A speaker's own sessions and speaker profiles across events: /v1/users/{id}/sessions and
// /v1/users/{id}/speakers as OES names them ("me" for the signed-in user), which the web client's
// My Sessions page lists. Each row is answered as its own event's list would answer it to this user.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { eventAccess } from '../domain/access.ts';
import type { RowOf } from '../domain/event-child/model.ts';
import { parseListQuery } from '../domain/list-query.ts';
import { eventOfRowFilter, listOwnRows, submitterFor } from '../domain/schedule/own-submissions.ts';
import { columnsOf } from '../domain/event-child/model.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';
import { collectionDocument, type ResourceObject } from './jsonapi/document.ts';
import { ErrorDocument, IdString, ListQuerystring } from './jsonapi/schemas.ts';
import { listFields } from './resource/attributes.ts';
import type { EventChild } from './resource/definition.ts';
import { includePaths } from './resource/list-spec.ts';
import { checkUnpaged } from './resource/routes.ts';
import { serializeFor } from './resource/serialization.ts';
import { sessionResource } from './sessions.ts';
import { speakerResource } from './speakers.ts';

const Document = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });

export async function mySubmissionRoutes(parent: FastifyInstance, context: AppContext) {
  const { db, config } = context;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  for (const resource of [sessionResource, speakerResource] as EventChild[]) {
    const { model, plural } = resource;
    app.get(
      `/v1/users/:id/${plural}`,
      {
        config: { signedIn: true },
        schema: {
          summary: `The ${plural} a user submitted (the user and admins only)`,
          tags: [plural],
          params: Type.Object({ id: Type.Union([IdString, Type.Literal('me')]) }),
          querystring: ListQuerystring,
          response: { 200: Document, '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const viewer = requireUser(request);
        const user = await submitterFor(db, viewer, request.params.id === 'me' ? viewer.id : Number(request.params.id));
        // Every row here is the user's own: they may filter and sort by all of its fields.
        const query = parseListQuery(request.query, {
          fields: listFields(resource.attributes, columnsOf(model), true),
          relationships: { event: eventOfRowFilter(model) },
          includes: includePaths(resource),
          defaultSort: model.defaultSort(),
        });
        const { rows, total } = await listOwnRows(db, model, user, query);
        checkUnpaged(query, total);
        // Each event's rows are answered as that event's own list answers this viewer.
        const byEvent = new Map<number, RowOf[]>();
        for (const row of rows) byEvent.set(row.eventId, [...(byEvent.get(row.eventId) ?? []), row]);
        const objects = new Map<string, ResourceObject>();
        const included: ResourceObject[] = [];
        for (const [eventId, eventRows] of byEvent) {
          const access = await eventAccess(db, eventId, viewer);
          if (!access) continue;
          const answer = await serializeFor({ db, access, user: viewer, publicUrl: config.publicUrl }, resource, eventRows, query.include);
          for (const object of answer.data) objects.set(object.id, object);
          included.push(...answer.included);
        }
        const data = rows.map((row) => objects.get(String(row.id))).filter((object): object is ResourceObject => !!object);
        const seen = new Set<string>();
        const unique = included.filter((object) => !seen.has(`${object.type}:${object.id}`) && !!seen.add(`${object.type}:${object.id}`));
        return collectionDocument(data, { count: total, page: query.page, url: request.url, included: unique });
      },
    );
  }
}
