// The routes of a resource that belongs to one event (tracks, rooms, session types, speakers,
// sessions, tickets), built from its definition: create, read, update, soft-delete, and the list
// under the event with filter/sort/page/include. Access rules come from domain/access.ts; every write
// to schedule data bumps the event's schedule version in the same transaction.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { and, count, eq, getTableColumns, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn as Column, PgTable } from 'drizzle-orm/pg-core';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database, Transaction } from '../../db/connection.ts';
import { eventAccess, type Event, type EventAccess } from '../../domain/access.ts';
import { violatedConstraint } from '../../db/errors.ts';
import { touchSchedule } from '../../domain/schedule-version.ts';
import type { User } from '../../domain/users.ts';
import { collectionDocument, identifier, singleDocument, type Relationship, type ResourceObject } from '../jsonapi/document.ts';
import { ApiError, forbidden, notFound, relationshipPointer, unauthorized, unprocessable } from '../jsonapi/errors.ts';
import { parseListQuery, type ListSpec, type RelationshipFilterSpec } from '../jsonapi/query.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  ToMany,
  ToOne,
  collectionResponse,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from '../jsonapi/schemas.ts';
import { inputProperties, listFields, outputProperties, readAttributes, writeAttributes, type AttributeTable } from './attributes.ts';
import type { AppContext } from '../context.ts';

type Row = Record<string, any> & { id: number; eventId: number; deletedAt: Date | null };
type ChildTable = PgTable & { id: Column; eventId: Column; deletedAt: Column };

export interface ToOneRelationship {
  kind: 'one';
  /** camelCase key of the foreign key column. */
  column: string;
  target: () => EventChild;
}

export interface ToManyRelationship {
  kind: 'many';
  /** The link table and its two columns: ours and the target's. */
  link: PgTable;
  own: Column;
  other: Column;
  target: () => EventChild;
}

export type RelationshipDefinition = ToOneRelationship | ToManyRelationship;

export interface EventChild {
  type: string;
  /** Path segment: /v1/<plural>, /v1/events/{ev}/<plural>. */
  plural: string;
  table: ChildTable;
  attributes: AttributeTable;
  relationships: Record<string, RelationshipDefinition>;
  /** Managers write everything; session editors (managers and track organizers) write sessions. */
  writers: 'managers' | 'session-editors';
  /** What people outside the event's team may see of this resource, beyond "not deleted". */
  publicWhere?: () => SQL;
  defaultSort: () => SQL[];
  /** Rules on the values a row would have after the write (existing values merged with changes). */
  validate?(values: Record<string, any>): void;
  /** Column values to add on create (e.g. who submitted a session). */
  onCreate?(user: User): Record<string, unknown>;
  /** Inside the write transaction, after an update or delete of the row. */
  afterChange?(tx: Transaction, row: Row, change: 'update' | 'delete'): Promise<void>;
  /** False for rows that are not in calendars and exports (tickets): writes leave the schedule version alone. */
  schedule?: boolean;
  /** Attribute values worked out from a row for this viewer: read-only counts, a column in other units. */
  computed?(row: Row, access: EventAccess): Record<string, unknown>;
  /**
   * Turns the attribute values of a request into column values that need the event (a price in its
   * currency into minor units); `row` is the row being changed, null on create. Runs before `validate`.
   */
  prepare?(values: Record<string, unknown>, event: Event, row: Row | null): Record<string, unknown>;
  /** The client's error when a write violates one of the table's named constraints (a unique name, say). */
  constraintErrors?: Record<string, () => ApiError>;
}

/** A constraint violation the definition explains becomes its client error; anything else goes on as is. */
function explainViolation(definition: EventChild, error: unknown): unknown {
  const constraint = violatedConstraint(error);
  const explain = constraint ? definition.constraintErrors?.[constraint] : undefined;
  return explain ? explain() : error;
}

/** Rows of a definition this viewer may see: alive (or trashed too, for the team), public-only outside the team. */
function visibleWhere(definition: EventChild, access: EventAccess, options: { trashed?: boolean } = {}): SQL | undefined {
  const { table } = definition;
  return and(
    options.trashed && access.isTeam ? undefined : isNull(table.deletedAt),
    !access.isTeam && definition.publicWhere ? definition.publicWhere() : undefined,
  );
}

async function relationshipIds(
  db: Database,
  definition: EventChild,
  relationship: ToManyRelationship,
  rows: Row[],
  access: EventAccess,
): Promise<Map<number, number[]>> {
  const ids = new Map<number, number[]>(rows.map((row) => [row.id, []]));
  if (rows.length === 0) return ids;
  const target = relationship.target();
  const links = await db
    .select({ own: relationship.own, other: relationship.other })
    .from(relationship.link)
    .innerJoin(target.table, eq(target.table.id, relationship.other))
    .where(and(inArray(relationship.own, [...ids.keys()]), visibleWhere(target, access)))
    .orderBy(relationship.other);
  for (const link of links) ids.get(link.own as number)?.push(link.other as number);
  return ids;
}

/** Rows as JSON:API resources for this viewer, with relationships, plus what `include` asked for. */
export async function serialize(
  db: Database,
  definition: EventChild,
  rows: Row[],
  access: EventAccess,
  include: string[] = [],
): Promise<{ data: ResourceObject[]; included: ResourceObject[] }> {
  const toMany = new Map<string, Map<number, number[]>>();
  for (const [name, relationship] of Object.entries(definition.relationships)) {
    if (relationship.kind === 'many') toMany.set(name, await relationshipIds(db, definition, relationship, rows, access));
  }
  const data = rows.map((row): ResourceObject => {
    const relationships: Record<string, Relationship> = {
      event: { data: identifier('event', row.eventId), links: { related: `/v1/events/${row.eventId}` } },
    };
    for (const [name, relationship] of Object.entries(definition.relationships)) {
      const type = relationship.target().type;
      relationships[name] =
        relationship.kind === 'one'
          ? { data: identifier(type, row[relationship.column]) }
          : { data: (toMany.get(name)!.get(row.id) ?? []).map((id) => ({ type, id: String(id) })) };
    }
    return {
      type: definition.type,
      id: String(row.id),
      attributes: writeAttributes(definition.attributes, definition.computed ? { ...row, ...definition.computed(row, access) } : row, access.isTeam),
      relationships,
      links: { self: `/v1/${definition.plural}/${row.id}` },
    };
  });

  const included: ResourceObject[] = [];
  for (const name of include) {
    const relationship = definition.relationships[name]!;
    const target = relationship.target();
    const ids = new Set<number>();
    for (const row of rows) {
      if (relationship.kind === 'one') {
        if (row[relationship.column] != null) ids.add(row[relationship.column]);
      } else {
        for (const id of toMany.get(name)!.get(row.id) ?? []) ids.add(id);
      }
    }
    if (ids.size === 0) continue;
    const targetRows = (await db
      .select()
      .from(target.table)
      .where(and(inArray(target.table.id, [...ids]), visibleWhere(target, access)))
      .orderBy(target.table.id)) as Row[];
    included.push(...(await serialize(db, target, targetRows, access)).data);
  }
  return { data, included };
}

function listSpec(definition: EventChild, access: EventAccess): ListSpec {
  const relationships: Record<string, RelationshipFilterSpec> = {};
  for (const [name, relationship] of Object.entries(definition.relationships)) {
    const target = relationship.target();
    const fields = () => listFields(target.attributes, target.table as never, access.isTeam);
    relationships[name] =
      relationship.kind === 'one'
        ? {
            kind: 'one',
            fields,
            exists: (where) =>
              sql`EXISTS (SELECT 1 FROM ${target.table} WHERE ${target.table.id} = ${(definition.table as never as Record<string, Column>)[relationship.column]} AND ${and(visibleWhere(target, access), where)})`,
          }
        : {
            kind: 'many',
            fields,
            exists: (where) =>
              sql`EXISTS (SELECT 1 FROM ${relationship.link} JOIN ${target.table} ON ${target.table.id} = ${relationship.other} WHERE ${relationship.own} = ${definition.table.id} AND ${and(visibleWhere(target, access), where)})`,
          };
  }
  return {
    fields: listFields(definition.attributes, definition.table as never, access.isTeam),
    relationships,
    includes: Object.keys(definition.relationships),
    defaultSort: definition.defaultSort(),
  };
}

function mayWrite(definition: EventChild, access: EventAccess): boolean {
  return definition.writers === 'managers' ? access.canManage : access.canEditSessions;
}

/** 401 for anonymous writers, 403 for people who can see the thing, 404 for everyone else. */
function refuseWrite(request: FastifyRequest, canSee: boolean): never {
  if (!request.user) throw unauthorized();
  if (canSee) throw forbidden('You may not change this');
  throw notFound();
}

type RelationshipInput = { data: { type: string; id: string } | { type: string; id: string }[] | null };

/** Checks every relationship a request sets, and returns the column values and link ids to write. */
async function resolveRelationships(
  db: Database | Transaction,
  definition: EventChild,
  given: Record<string, RelationshipInput | undefined>,
  eventId: number,
): Promise<{ columns: Record<string, number | null>; links: Map<string, number[]> }> {
  const columns: Record<string, number | null> = {};
  const links = new Map<string, number[]>();
  for (const [name, relationship] of Object.entries(definition.relationships)) {
    const input = given[name];
    if (!input) continue;
    const target = relationship.target();
    const wanted = (Array.isArray(input.data) ? input.data : input.data ? [input.data] : []).map((item) => {
      if (!/^[1-9]\d{0,14}$/.test(item.id)) throw unprocessable(`"${item.id}" is not a ${target.type} id`, relationshipPointer(name));
      return Number(item.id);
    });
    const unique = [...new Set(wanted)];
    if (unique.length) {
      const found = await db
        .select({ id: target.table.id })
        .from(target.table)
        .where(and(inArray(target.table.id, unique), eq(target.table.eventId, eventId), isNull(target.table.deletedAt)));
      if (found.length !== unique.length) {
        const known = new Set(found.map((row) => row.id as number));
        const missing = unique.filter((id) => !known.has(id));
        throw unprocessable(`No ${target.type} ${missing.join(', ')} in this event`, relationshipPointer(name));
      }
    }
    if (relationship.kind === 'one') columns[relationship.column] = unique[0] ?? null;
    else links.set(name, unique);
  }
  return { columns, links };
}

async function writeLinks(tx: Transaction, definition: EventChild, rowId: number, links: Map<string, number[]>) {
  for (const [name, ids] of links) {
    const relationship = definition.relationships[name] as ToManyRelationship;
    await tx.delete(relationship.link).where(eq(relationship.own, rowId));
    if (ids.length) {
      await tx.insert(relationship.link).values(
        ids.map((id) => ({ [keyOf(relationship.link, relationship.own)]: rowId, [keyOf(relationship.link, relationship.other)]: id })),
      );
    }
  }
}

/** The property key of a column in its table (Drizzle inserts by property key, not column name). */
function keyOf(table: PgTable, column: Column): string {
  const entry = Object.entries(getTableColumns(table)).find(([, candidate]) => candidate === column);
  if (!entry) throw new Error(`column ${column.name} is not in the link table`);
  return entry[0];
}

function changeStamp(table: ChildTable): Record<string, unknown> {
  const columns = getTableColumns(table) as Record<string, Column>;
  const stamp: Record<string, unknown> = {};
  if (columns.updatedAt) stamp.updatedAt = new Date();
  if (columns.lastModifiedAt) stamp.lastModifiedAt = new Date();
  if (columns.sequence) stamp.sequence = sql`${columns.sequence} + 1`;
  return stamp;
}

export function registerEventChild(parent: FastifyInstance, { db }: AppContext, definition: EventChild) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { table, type, plural } = definition;
  const tags = [plural];

  const relationshipSchemas: Record<string, TSchema> = { event: Type.Optional(ToOne('event')) };
  for (const [name, relationship] of Object.entries(definition.relationships)) {
    const targetType = relationship.target().type;
    relationshipSchemas[name] = Type.Optional(relationship.kind === 'one' ? ToOne(targetType) : ToMany(targetType));
  }
  const body = resourceBody({ attributes: inputProperties(definition.attributes), relationships: relationshipSchemas });
  const resource = resourceObject(type, outputProperties(definition.attributes), ['event', ...Object.keys(definition.relationships)]);
  const Params = Type.Object({ id: IdString });

  async function loadRow(id: number, options: { trashed?: boolean } = {}): Promise<Row | null> {
    const [row] = (await db
      .select()
      .from(table)
      .where(and(eq(table.id, id), options.trashed ? undefined : isNull(table.deletedAt)))) as Row[];
    return row ?? null;
  }

  async function visibleTo(row: Row, access: EventAccess): Promise<boolean> {
    if (!access.canRead) return false;
    if (access.isTeam || !definition.publicWhere) return true;
    const [match] = await db.select({ id: table.id }).from(table).where(and(eq(table.id, row.id), definition.publicWhere()));
    return !!match;
  }

  /** The row and the viewer's access, or a 404 when the viewer may not see it. */
  async function find(request: FastifyRequest, id: string) {
    const row = await loadRow(Number(id));
    const access = row ? await eventAccess(db, row.eventId, request.user) : null;
    if (!row || !access || !(await visibleTo(row, access))) throw notFound();
    return { row, access };
  }

  async function respond(row: Row, access: EventAccess, include: string[] = []) {
    const { data, included } = await serialize(db, definition, [row], access, include);
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
        response: { 200: singleResponse(resource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { row, access } = await find(request, request.params.id);
      const include = parseListQuery(request.query as Record<string, unknown>, listSpec(definition, access)).include;
      return respond(row, access, include);
    },
  );

  app.get(
    `/v1/events/:ev/${plural}`,
    {
      schema: {
        summary: `The ${plural} of an event`,
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: Type.Intersect([ListQuerystring, Type.Object({ get_trashed: Type.Optional(Type.String()) })]),
        response: { 200: collectionResponse(resource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await eventAccess(db, request.params.ev, request.user);
      if (!access?.canRead) throw notFound();
      const query = parseListQuery(request.query as Record<string, unknown>, listSpec(definition, access));
      const trashed = (request.query as Record<string, unknown>).get_trashed === 'true';
      const where = and(eq(table.eventId, access.event.id), visibleWhere(definition, access, { trashed }), query.where);
      const [rows, [total]] = await Promise.all([
        db.select().from(table).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset) as unknown as Promise<Row[]>,
        db.select({ n: count() }).from(table).where(where),
      ]);
      const { data, included } = await serialize(db, definition, rows, access, query.include);
      return collectionDocument(data, { count: total!.n, page: query.page, url: request.url, included });
    },
  );

  app.post(
    `/v1/${plural}`,
    {
      schema: {
        summary: `Create a ${type} in an event`,
        tags,
        body,
        response: { 201: singleResponse(resource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const { data } = request.body as { data: { type: string; attributes?: Record<string, unknown>; relationships?: Record<string, RelationshipInput> } };
      if (!request.user) throw unauthorized();
      expectType(data, type);
      const eventRef = data.relationships?.event?.data;
      if (!eventRef || Array.isArray(eventRef)) throw unprocessable('A relationship to the event is required', relationshipPointer('event'));
      const access = await eventAccess(db, eventRef.id, request.user);
      // Adding to an event you cannot see is adding to nothing: 404, as for any hidden resource.
      if (!access?.canRead) throw notFound(`No event ${eventRef.id}`);
      if (!mayWrite(definition, access)) refuseWrite(request, true);
      const given = readAttributes(definition.attributes, data.attributes, { create: true });
      const values = definition.prepare ? definition.prepare(given, access.event, null) : given;
      const { columns, links } = await resolveRelationships(db, definition, data.relationships ?? {}, access.event.id);
      definition.validate?.({ ...values, ...columns });
      const row = await db.transaction(async (tx) => {
        const [created] = (await tx
          .insert(table)
          .values({ ...values, ...columns, ...definition.onCreate?.(request.user!), eventId: access.event.id } as never)
          .returning()) as Row[];
        await writeLinks(tx, definition, created!.id, links);
        if (definition.schedule !== false) await touchSchedule(tx, access.event.id);
        return created!;
      }).catch((error: unknown) => {
        throw explainViolation(definition, error);
      });
      reply.code(201).header('location', `/v1/${plural}/${row.id}`);
      return respond(row, access);
    },
  );

  app.patch(
    `/v1/${plural}/:id`,
    {
      schema: {
        summary: `Change a ${type}`,
        tags,
        params: Params,
        body,
        response: { 200: singleResponse(resource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      if (!request.user) throw unauthorized();
      const { row, access } = await find(request, request.params.id);
      if (!mayWrite(definition, access)) refuseWrite(request, true);
      const { data } = request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, RelationshipInput> } };
      expectType(data, type);
      if (data.id !== undefined && data.id !== String(row.id)) {
        throw new ApiError(409, `The body is about ${type} ${data.id}, the URL about ${row.id}`, { pointer: '/data/id' });
      }
      const eventRef = data.relationships?.event?.data;
      if (eventRef && (Array.isArray(eventRef) || eventRef.id !== String(row.eventId))) {
        throw unprocessable(`A ${type} cannot move to another event`, relationshipPointer('event'));
      }
      const given = readAttributes(definition.attributes, data.attributes, { create: false });
      const values = definition.prepare ? definition.prepare(given, access.event, row) : given;
      const { columns, links } = await resolveRelationships(db, definition, data.relationships ?? {}, row.eventId);
      definition.validate?.({ ...row, ...values, ...columns });
      const updated = await db.transaction(async (tx) => {
        const [changed] = (await tx
          .update(table)
          .set({ ...values, ...columns, ...changeStamp(table) } as never)
          .where(eq(table.id, row.id))
          .returning()) as Row[];
        await writeLinks(tx, definition, row.id, links);
        await definition.afterChange?.(tx, changed!, 'update');
        if (definition.schedule !== false) await touchSchedule(tx, row.eventId);
        return changed!;
      }).catch((error: unknown) => {
        throw explainViolation(definition, error);
      });
      return respond(updated, access);
    },
  );

  app.delete(
    `/v1/${plural}/:id`,
    {
      schema: { summary: `Delete a ${type} (soft delete)`, tags, params: Params, response: { '4xx': ErrorDocument } },
    },
    async (request, reply) => {
      if (!request.user) throw unauthorized();
      const { row, access } = await find(request, request.params.id);
      if (!mayWrite(definition, access)) refuseWrite(request, true);
      await db.transaction(async (tx) => {
        const [deleted] = (await tx
          .update(table)
          .set({ deletedAt: new Date(), ...changeStamp(table) } as never)
          .where(eq(table.id, row.id))
          .returning()) as Row[];
        await definition.afterChange?.(tx, deleted!, 'delete');
        if (definition.schedule !== false) await touchSchedule(tx, row.eventId);
      });
      return reply.code(204).send(null as never);
    },
  );
}
