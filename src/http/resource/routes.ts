// The routes of a resource that belongs to one event, built from its definition: create, read,
// update, soft-delete, and the list under the event with filter/sort/page/include. Each route reads
// the request, calls the domain (event-child/read.ts and write.ts: who may see and change what, the
// SQL) and serializes the answer.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Event, EventAccess } from '../../domain/access.ts';
import { FeedCache } from '../../feed-cache/rendered-feeds.ts';
import { sendEncoded } from '../content-coding.ts';
import { InvalidError } from '../../domain/errors.ts';
import type { RowOf } from '../../domain/event-child/model.ts';
import { findChild, listChildren, onlyChild, readableEvent } from '../../domain/event-child/read.ts';
import type { User } from '../../domain/users.ts';
import { createChild, deleteChild, updateChild, writableChild, writableEvent } from '../../domain/event-child/write.ts';
import { requireUser } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { JSONAPI, MEDIA_TYPE, collectionDocument, singleDocument } from '../jsonapi/document.ts';
import { relationshipPointer, unprocessable } from '../jsonapi/errors.ts';
import { DeletedResponse, deletedDocument } from '../jsonapi/deleted.ts';
import { UNPAGED_LIMIT, parseListQuery, type ListQuery } from '../../domain/list-query.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from '../jsonapi/schemas.ts';
import { inputProperties, outputProperties, readAttributes } from './attributes.ts';
import type { EventChild, Viewer } from './definition.ts';
import { listSpec } from './list-spec.ts';
import { registerRelatedRoutes } from './related-routes.ts';
import { outerColumnValues, relationshipNames, relationshipSchemas, requestedIds, type RelationshipInput } from './relationships.ts';
import { serializeFor } from './serialization.ts';
import { acceptOesValues } from '../oes-values.ts';

/** A page of at most UNPAGED_LIMIT rows answers page[size]=0 only when it is the whole list. */
export function checkUnpaged(query: ListQuery, total: number): void {
  if (query.page.size === 0 && total > UNPAGED_LIMIT) {
    throw new InvalidError(`page[size]=0 lists at most ${UNPAGED_LIMIT} rows and there are ${total}: page through them`, { parameter: 'page[size]' });
  }
}

/** An empty to-one: the event has none of these (yet). */
const NoneDocument = Type.Object({
  data: Type.Null(),
  links: Type.Object({ self: Type.String() }),
  jsonapi: Type.Object({ version: Type.String() }),
});

/** A create or update request's `data`, as the body schema lets it through. */
type ResourceInput = { type: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, RelationshipInput> };

/**
 * What an anonymous list depends on: the event's schedule version (every change of its sessions, speakers,
 * tracks, rooms and types, and of the event, bumps it), the request as sent, and the current ten seconds —
 * the counts that change without a new version (a session's favourites) are at most that old.
 */
function publicListKey(event: Event, url: string): string {
  return `${event.id}:${event.scheduleVersion}:${Math.floor(Date.now() / PUBLIC_LIST_SECONDS / 1000)}:${url}`;
}
const PUBLIC_LIST_SECONDS = 10;
/** Per resource: a few hundred typical pages, a dozen of the largest with their compressed copies. */
const PUBLIC_LIST_BYTES = 8 * 1024 * 1024;

export function registerEventChild(parent: FastifyInstance, context: AppContext, resource: EventChild) {
  const { db, config } = context;
  // Anonymous lists (the public pages' and the apps' most frequent reads) are the same for everyone who
  // is not signed in: kept rendered, as the feeds are.
  const publicLists = new FeedCache(PUBLIC_LIST_BYTES);
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { model, plural } = resource;
  const { type } = model;
  const tags = [plural];
  const body = resourceBody({
    attributes: inputProperties(resource.attributes, { oesValues: true }),
    relationships: relationshipSchemas(resource),
    readOnly: resource.writeOnly,
  });
  const schema = resourceObject(type, outputProperties(resource.attributes), relationshipNames(resource));
  const Params = Type.Object({ id: IdString });
  const preValidation = resource.oesValues
    ? acceptOesValues(
        Object.fromEntries(Object.entries(resource.attributes).map(([name, spec]) => [name, spec.kind])),
        new Set(resource.oesValues),
      )
    : undefined;

  const viewerOf = (access: EventAccess, user: User | null): Viewer => ({ db, access, user, publicUrl: config.publicUrl });

  async function respond(row: RowOf, viewer: Viewer, include: string[] = []) {
    const { data, included } = await serializeFor(viewer, resource, [row], include);
    return singleDocument(data[0]!, { included });
  }

  app.get(
    `/v1/${plural}/:id`,
    {
      schema: {
        summary: `One ${type}`,
        tags,
        params: Params,
        querystring: Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true }),
        response: { 200: singleResponse(schema), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { row, access } = await findChild(db, model, Number(request.params.id), request.user);
      const { include } = parseListQuery(request.query, listSpec(resource, access));
      return respond(row, viewerOf(access, request.user), include);
    },
  );

  if (resource.onePerEvent) registerOnePerEvent(app, resource.onePerEvent);
  else app.get(
    `/v1/events/:ev/${plural}`,
    {
      config: { signedIn: resource.listSignedIn === true },
      schema: {
        summary: `The ${plural} of an event`,
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: Type.Intersect([ListQuerystring, Type.Object({ get_trashed: Type.Optional(Type.String()) })]),
        response: { 200: collectionResponse(schema), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const access = await readableEvent(db, request.params.ev, request.user);
      const whole = resource.wholeListUpTo !== undefined && request.query['page[size]'] === '0';
      const query = parseListQuery(whole ? { ...request.query, 'page[size]': undefined } : request.query, listSpec(resource, access));
      const window = whole ? { ...query, limit: resource.wholeListUpTo!, offset: 0 } : query;
      const trashed = request.query.get_trashed === 'true';
      const render = async () => {
        const { rows, total } = await listChildren(db, model, access, { ...window, trashed });
        if (!whole) checkUnpaged(query, total);
        const { data, included } = await serializeFor(viewerOf(access, request.user), resource, rows, query.include);
        const page = whole ? { size: Math.max(rows.length, 1), number: 1 } : query.page;
        return collectionDocument(data, { count: total, page, url: request.url, included });
      };
      // Whoever signs in may see more than the public (drafts, contact details, their own proposals); rows
      // outside the schedule (sponsors, tickets…) change without a new schedule version.
      if (request.user !== null || model.schedule === false) return render();
      const key = publicListKey(access.event, request.url);
      const rendered = await publicLists.get(key, async () => {
        // The route's own serializer (its response schema), as Fastify would have serialized the document.
        const json = reply.serialize(await render());
        return typeof json === 'string' ? Buffer.from(json) : Buffer.from(json as ArrayBuffer);
      });
      reply.type(MEDIA_TYPE);
      return sendEncoded(request, reply, rendered.body, { br: () => publicLists.brotlied(key, rendered), gzip: () => publicLists.gzipped(key, rendered) });
    },
  );

  function registerOnePerEvent(typed: typeof app, name: string) {
    typed.get(
      `/v1/events/:ev/${name}`,
      {
        schema: {
          summary: `The ${type} of an event (data null while it has none)`,
          tags,
          params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true }),
          response: { 200: Type.Union([singleResponse(schema), NoneDocument]), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const access = await readableEvent(db, request.params.ev, request.user);
        const { include } = parseListQuery(request.query, listSpec(resource, access));
        const row = await onlyChild(db, model, access);
        if (!row) return { data: null, links: { self: `/v1/events/${access.event.id}/${name}` }, jsonapi: JSONAPI };
        return respond(row, viewerOf(access, request.user), include);
      },
    );
  }

  app.post(
    `/v1/${plural}`,
    {
      config: { signedIn: true },
      preValidation,
      schema: {
        summary: `Create a ${type} in an event`,
        tags,
        body,
        // A private call for speakers' hash, for a speaker submitting through it.
        querystring: Type.Object({ hash: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 201: singleResponse(schema), '4xx': ErrorDocument } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { data } = request.body as { data: ResourceInput };
      expectType(data, type);
      const eventRef = data.relationships?.event?.data;
      if (!eventRef || Array.isArray(eventRef)) throw unprocessable('A relationship to the event is required', relationshipPointer('event'));
      const target = await writableEvent(db, model, eventRef.id, user, request.query.hash ?? null);
      const { access } = target;
      const given = { ...readAttributes(resource.attributes, data.attributes, { create: true, oesValues: true }), ...outerColumnValues(resource, data.relationships ?? {}) };
      const values = resource.prepare ? resource.prepare(given, access.event, null) : given;
      const row = await createChild(db, model, target, user, values, requestedIds(resource, data.relationships ?? {}));
      await resource.afterCreate?.(context, { row, access, user, asWriter: target.asWriter });
      reply.code(201).header('location', `/v1/${plural}/${row.id}`);
      return respond(row, viewerOf(access, user));
    },
  );

  app.patch(
    `/v1/${plural}/:id`,
    {
      config: { signedIn: true },
      preValidation,
      schema: { summary: `Change a ${type}`, tags, params: Params, body, response: { 200: singleResponse(schema), '4xx': ErrorDocument } },
    },
    async (request) => {
      const user = requireUser(request);
      const target = await writableChild(db, model, Number(request.params.id), user);
      const { row, access } = target;
      const { data } = request.body as { data: ResourceInput };
      expectType(data, type);
      expectSameId(data, type, row.id);
      const eventRef = data.relationships?.event?.data;
      // OES's client names the event by its identifier (it keys events so); the numeric id names it too.
      if (eventRef && (Array.isArray(eventRef) || ![String(row.eventId), access.event.identifier].includes(eventRef.id))) {
        throw unprocessable(`A ${type} cannot move to another event`, relationshipPointer('event'));
      }
      const given = { ...readAttributes(resource.attributes, data.attributes, { create: false, oesValues: true }), ...outerColumnValues(resource, data.relationships ?? {}) };
      const values = resource.prepare ? resource.prepare(given, access.event, row) : given;
      const updated = await updateChild(db, model, row, values, requestedIds(resource, data.relationships ?? {}), { ...target, user });
      await resource.afterUpdate?.(context, { before: row, after: updated, attributes: data.attributes ?? {}, access, user, asWriter: target.asWriter });
      return respond(updated, viewerOf(access, user));
    },
  );

  app.delete(
    `/v1/${plural}/:id`,
    {
      config: { signedIn: true },
      schema: {
        summary: `Delete a ${type} (soft delete)`,
        tags,
        params: Params,
        response: { 200: DeletedResponse, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { row } = await writableChild(db, model, Number(request.params.id), requireUser(request));
      await deleteChild(db, model, row);
      return deletedDocument();
    },
  );

  registerRelatedRoutes(app, context, resource);
}
