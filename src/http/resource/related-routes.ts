// OES's routes through a resource's relationships: `/v1/sessions/{id}/track` and
// `/v1/tracks/{id}/sessions` answer the related resource(s) (a list pages, filters, sorts and includes
// as the target's own list does), `/v1/sessions/{id}/relationships/track` the linkage alone. Every
// relationship a resource object links to has both, so OES's client can follow any link it is given.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../domain/errors.ts';
import type { RowOf } from '../../domain/event-child/model.ts';
import { findChild, foreignKey, linkedIds, listRelated, visibleRows } from '../../domain/event-child/read.ts';
import type { AppContext } from '../context.ts';
import { eventResource } from '../events.ts';
import { JSONAPI, collectionDocument, singleDocument, type ResourceIdentifier, type ResourceObject } from '../jsonapi/document.ts';
import { parseListQuery } from '../../domain/list-query.ts';
import { ErrorDocument, IdString, ListQuerystring } from '../jsonapi/schemas.ts';
import type { EventChild, Viewer } from './definition.ts';
import { listSpec, relationshipNamesOf } from './list-spec.ts';
import { checkUnpaged } from './routes.ts';
import { relationshipLinks, serializeFor } from './serialization.ts';

type Query = Record<string, unknown>;

/** Any JSON:API document: the related resource is of another type, or a linkage. */
const Document = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });

/** What a relationship of one row points at, for this viewer: identifiers, or null where the viewer sees only the link. */
async function linkage(viewer: Viewer, resource: EventChild, row: RowOf, name: string): Promise<ResourceIdentifier[] | null> {
  if (name === 'event') return [{ type: 'event', id: String(row.eventId) }];
  const relationship = resource.model.relationships[name];
  if (relationship) {
    const type = relationship.target().type;
    const ids =
      relationship.kind === 'one'
        ? [foreignKey(row, relationship)].filter((id): id is number => id !== null)
        : ((await linkedIds(viewer.db, relationship, [row.id], viewer.access)).get(row.id) ?? []);
    return ids.map((id) => ({ type, id: String(id) }));
  }
  const outer = resource.outer![name]!;
  if (!outer.ids) return [];
  const found = await outer.ids(viewer, [row]);
  if (found === null) return null;
  return (found.get(row.id) ?? []).map((id) => ({ type: outer.type, id }));
}

function isMany(resource: EventChild, name: string): boolean {
  if (name === 'event') return false;
  const relationship = resource.model.relationships[name];
  return relationship ? relationship.kind !== 'one' : resource.outer![name]!.many;
}

/** The related resource(s) of one row. */
async function related(viewer: Viewer, resource: EventChild, row: RowOf, name: string, query: Query, url: string) {
  const { access } = viewer;
  const relationship = resource.model.relationships[name];
  if (name === 'event') return singleDocument(eventResource(access.event, access, viewer.publicUrl));
  if (relationship && relationship.kind !== 'one') {
    const target = resource.relationships[name]!();
    const list = parseListQuery(query, listSpec(target, access));
    const { rows, total } = await listRelated(viewer.db, relationship, row.id, access, { ...list, trashed: false });
    checkUnpaged(list, total);
    const { data, included } = await serializeFor(viewer, target, rows, list.include);
    return collectionDocument(data, { count: total, page: list.page, url, included });
  }
  if (relationship) {
    const target = resource.relationships[name]!();
    const { include } = parseListQuery(query, listSpec(target, access));
    const id = foreignKey(row, relationship);
    const rows = id === null ? [] : await visibleRows(viewer.db, target.model, [id], access);
    if (!rows.length) return { data: null, links: relationshipLinks(resource, row.id, name), jsonapi: JSONAPI };
    const { data, included } = await serializeFor(viewer, target, rows, include);
    return singleDocument(data[0]!, { included });
  }
  const outer = resource.outer![name]!;
  const ids = await linkage(viewer, resource, row, name);
  if (ids === null) throw new NotFoundError('Not found');
  const objects: ResourceObject[] = outer.resources && ids.length ? await outer.resources(viewer, ids.map((id) => id.id)) : [];
  if (outer.many) return collectionDocument(objects, { count: objects.length, page: { number: 1, size: 0 }, url });
  return objects[0] ? singleDocument(objects[0]) : { data: null, links: relationshipLinks(resource, row.id, name), jsonapi: JSONAPI };
}

export function registerRelatedRoutes(app: FastifyInstance, { db, config }: AppContext, resource: EventChild) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { plural, model } = resource;
  const tags = [plural];
  const params = Type.Object({ id: IdString });

  async function open(id: string, request: { user: Viewer['user'] }) {
    const { row, access } = await findChild(db, model, Number(id), request.user);
    return { row, viewer: { db, access, user: request.user, publicUrl: config.publicUrl } satisfies Viewer };
  }

  for (const name of relationshipNamesOf(resource)) {
    const aliases = name === 'event' ? (resource.eventPathAliases ?? []) : [];
    typed.get(
      `/v1/${plural}/:id/${name}`,
      {
        schema: { summary: `The ${name} of a ${model.type}`, tags, params, querystring: ListQuerystring, response: { 200: Document, '4xx': ErrorDocument } },
      },
      async (request) => {
        const { row, viewer } = await open(request.params.id, request);
        return related(viewer, resource, row, name, request.query, request.url);
      },
    );
    for (const prefix of aliases) {
      typed.get(
        `${prefix}/:id/event`,
        { schema: { summary: `The event of a ${model.type} (OES's path)`, tags, params, response: { 200: Document, '4xx': ErrorDocument } } },
        async (request) => {
          const { row, viewer } = await open(request.params.id, request);
          return related(viewer, resource, row, 'event', {}, request.url);
        },
      );
    }

    typed.get(
      `/v1/${plural}/:id/relationships/${name}`,
      { schema: { summary: `Which ${name} a ${model.type} is linked to`, tags, params, response: { 200: Document, '4xx': ErrorDocument } } },
      async (request) => {
        const { row, viewer } = await open(request.params.id, request);
        const ids = await linkage(viewer, resource, row, name);
        if (ids === null) throw new NotFoundError('Not found');
        return { data: isMany(resource, name) ? ids : (ids[0] ?? null), links: relationshipLinks(resource, row.id, name), jsonapi: JSONAPI };
      },
    );
  }
}
