// OES features openevent does not have (video streams, exhibitors), answered as what they are here:
// present and empty. OES's web client asks for them on every public event page; a 404 there shows up as
// an error in the browser and, worse, leaves the page waiting on requests it never needed.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readableEvent } from '../domain/event-child/read.ts';
import { JSONAPI, collectionDocument } from './jsonapi/document.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

const tags = ['events'];
const EvParams = Type.Object({ ev: Type.String({ maxLength: 64 }) });
const AnyQuery = Type.Object({}, { additionalProperties: true });
const Document = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });

export async function absentFeatureRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/events/:ev/has-streams',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Whether the event has video streams (openevent has none)',
        tags,
        params: EvParams,
        response: { 200: Type.Object({ exists: Type.Boolean(), can_access: Type.Boolean() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await readableEvent(db, request.params.ev, request.user);
      return { exists: false, can_access: false };
    },
  );

  app.get(
    '/v1/events/:ev/video-stream',
    { schema: { summary: "The event's video stream (openevent has none)", tags, params: EvParams, querystring: AnyQuery, response: { 200: Document, '4xx': ErrorDocument } } },
    async (request) => {
      const { event } = await readableEvent(db, request.params.ev, request.user);
      return { data: null, links: { self: `/v1/events/${event.id}/video-stream` }, jsonapi: JSONAPI };
    },
  );

  app.get(
    '/v1/events/:ev/exhibitors',
    { schema: { summary: "The event's exhibitors (openevent has none)", tags, params: EvParams, querystring: AnyQuery, response: { 200: Document, '4xx': ErrorDocument } } },
    async (request) => {
      await readableEvent(db, request.params.ev, request.user);
      return collectionDocument([], { count: 0, page: { size: 0, number: 1 }, url: request.url });
    },
  );
}
