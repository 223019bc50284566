// /v1/event-types, /v1/event-topics and /v1/event-sub-topics as OES has them: lists anyone reads and
// admins write. Topics and their sub-topics link each other (`include=event-sub-topics` on topics,
// `include=event-topic` on sub-topics), as the event wizard asks for them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import * as classification from '../domain/event-classification.ts';
import type { EventSubTopic, EventTopic, EventType, ListQuery } from '../domain/event-classification.ts';
import type { User } from '../domain/users.ts';
import { JSONAPI, collectionDocument, singleDocument, type Relationship, type ResourceObject } from './jsonapi/document.ts';
import { parseInclude, parseListQuery } from '../domain/list-query.ts';
import { DeletedResponse, deletedDocument } from './jsonapi/deleted.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  Nullable,
  ToOne,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const Params = Type.Object({ id: IdString });
const Name = Type.String({ maxLength: 200 });
const Linkage = Type.Object({ type: Type.String(), id: Type.String() });
const RelationshipDocument = (data: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Array>) =>
  Type.Object({
    data,
    links: Type.Object({ self: Type.String(), related: Type.String() }),
    jsonapi: Type.Object({ version: Type.String() }),
  });
const IncludeQuery = Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true });

const links = (base: string, name: string): Relationship => ({
  links: { self: `${base}/relationships/${name}`, related: `${base}/${name}` },
});

export function typeResource(row: EventType): ResourceObject {
  const base = `/v1/event-types/${row.id}`;
  return {
    type: 'event-type',
    id: String(row.id),
    attributes: { name: row.name, slug: row.slug },
    relationships: { events: links(base, 'events') },
    links: { self: base },
  };
}

export function topicResource(row: EventTopic, subTopics?: EventSubTopic[]): ResourceObject {
  const base = `/v1/event-topics/${row.id}`;
  const subTopicLinks = links(base, 'event-sub-topics');
  return {
    type: 'event-topic',
    id: String(row.id),
    attributes: { name: row.name, slug: row.slug, 'system-image-url': row.systemImageUrl },
    relationships: {
      events: links(base, 'events'),
      'event-sub-topics': subTopics
        ? { ...subTopicLinks, data: subTopics.map((sub) => ({ type: 'event-sub-topic', id: String(sub.id) })) }
        : subTopicLinks,
    },
    links: { self: base },
  };
}

export function subTopicResource(row: EventSubTopic, withTopic = false): ResourceObject {
  const base = `/v1/event-sub-topics/${row.id}`;
  const topicLinks = links(base, 'event-topic');
  return {
    type: 'event-sub-topic',
    id: String(row.id),
    attributes: { name: row.name, slug: row.slug },
    relationships: {
      events: links(base, 'events'),
      'event-topic': withTopic ? { ...topicLinks, data: { type: 'event-topic', id: String(row.eventTopicId) } } : topicLinks,
      // OES's custom placeholders (stock images per sub-topic) are not an openevent feature: none here.
      'custom-placeholder': { data: null },
    },
    links: { self: base },
  };
}

const TypeResource = resourceObject('event-type', { name: Type.String(), slug: Type.String() }, ['events']);
const TopicResource = resourceObject(
  'event-topic',
  { name: Type.String(), slug: Type.String(), 'system-image-url': Nullable(Type.String()) },
  ['events', 'event-sub-topics'],
);
const SubTopicResource = resourceObject('event-sub-topic', { name: Type.String(), slug: Type.String() }, [
  'events',
  'event-topic',
  'custom-placeholder',
]);

// ember-data sends relationships it knows back on save; the server only reads `event-topic`.
const Echo = Type.Optional(Type.Unknown());
const TypeBody = resourceBody({ attributes: { name: Type.Optional(Name) }, readOnly: ['slug'], relationships: { events: Echo } });
const TopicBody = resourceBody({
  attributes: { name: Type.Optional(Name), 'system-image-url': Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) },
  readOnly: ['slug'],
  relationships: { events: Echo, 'event-sub-topics': Echo },
});
const SubTopicBody = resourceBody({
  attributes: { name: Type.Optional(Name) },
  readOnly: ['slug'],
  relationships: { 'event-topic': Type.Optional(ToOne('event-topic')), events: Echo, 'custom-placeholder': Echo, placeholder: Echo },
});

interface ListOf<Row> {
  rows: Row[];
  total: number;
}

/**
 * The five routes of one admin-managed list: GET list and one, POST, PATCH and DELETE. `serialize`
 * turns the rows of one answer into resources and their included resources.
 */
function adminList<Row extends { id: number }, Input>(
  app: FastifyInstance,
  options: {
    path: string;
    type: string;
    label: string;
    resource: ReturnType<typeof resourceObject>;
    body: TSchema;
    listSpec: Parameters<typeof parseListQuery>[1];
    list(query: ListQuery): Promise<ListOf<Row>>;
    find(id: number): Promise<Row>;
    create(user: User, input: Input): Promise<Row>;
    update(user: User, id: number, input: Input): Promise<Row>;
    remove(user: User, id: number): Promise<void>;
    input(data: { attributes?: Record<string, unknown>; relationships?: Record<string, unknown> }): Input;
    serialize(rows: Row[], include: string[]): Promise<{ data: ResourceObject[]; included: ResourceObject[] }>;
  },
) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = [options.path.slice('/v1/'.length)];
  const one = async (row: Row, include: string[]) => {
    const { data, included } = await options.serialize([row], include);
    return singleDocument(data[0]!, { included });
  };
  const body = (request: FastifyRequest) =>
    (request.body as { data: { type: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, unknown> } }).data;

  typed.get(
    options.path,
    {
      schema: {
        summary: `All ${options.label}s`,
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(options.resource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, options.listSpec);
      const { rows, total } = await options.list(query);
      const { data, included } = await options.serialize(rows, query.include);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  typed.get(
    `${options.path}/:id`,
    {
      schema: {
        summary: `One ${options.label}`,
        tags,
        params: Params,
        querystring: IncludeQuery,
        response: { 200: singleResponse(options.resource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const include = parseInclude(request.query, options.listSpec.includes);
      return one(await options.find(Number(request.params.id)), include);
    },
  );

  typed.post(
    options.path,
    {
      config: { signedIn: true },
      schema: {
        summary: `Add a ${options.label} (admins only)`,
        tags,
        body: options.body,
        response: { 201: singleResponse(options.resource), '4xx': ErrorDocument },
      },
    },
    async (request, reply: FastifyReply) => {
      const data = body(request);
      expectType(data, options.type);
      const row = await options.create(requireUser(request), options.input(data));
      return reply.code(201).header('location', `${options.path}/${row.id}`).send(await one(row, []));
    },
  );

  typed.patch(
    `${options.path}/:id`,
    {
      config: { signedIn: true },
      schema: {
        summary: `Change a ${options.label} (admins only)`,
        tags,
        params: Params,
        body: options.body,
        response: { 200: singleResponse(options.resource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const data = body(request);
      expectType(data, options.type);
      expectSameId(data, options.type, request.params.id);
      return one(await options.update(requireUser(request), Number(request.params.id), options.input(data)), []);
    },
  );

  typed.delete(
    `${options.path}/:id`,
    {
      config: { signedIn: true },
      schema: {
        summary: `Delete a ${options.label} (admins only)`,
        tags,
        params: Params,
        response: { 200: DeletedResponse, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await options.remove(requireUser(request), Number(request.params.id));
      return deletedDocument();
    },
  );
}

function relatedId(relationships: Record<string, unknown> | undefined, name: string): number | undefined {
  const data = (relationships?.[name] as { data?: { id: string } | null } | undefined)?.data;
  if (data === undefined) return undefined;
  // A sub-topic cannot lose its topic; a null or non-numeric id names no topic.
  return data && /^\d{1,15}$/.test(data.id) ? Number(data.id) : 0;
}

export async function eventClassificationRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  adminList<EventType, { name?: string }>(app, {
    path: '/v1/event-types',
    type: 'event-type',
    label: 'event type',
    resource: TypeResource,
    body: TypeBody,
    listSpec: classification.EVENT_TYPE_LIST,
    list: (query) => classification.listEventTypes(db, query),
    find: (id) => classification.findEventType(db, id),
    create: (user, input) => classification.createEventType(db, user, input),
    update: (user, id, input) => classification.updateEventType(db, user, id, input),
    remove: (user, id) => classification.deleteEventType(db, user, id),
    input: (data) => ({ name: data.attributes?.name as string | undefined }),
    serialize: async (rows) => ({ data: rows.map((row) => typeResource(row)), included: [] }),
  });

  const serializeTopics = async (rows: EventTopic[], include: string[]) => {
    if (!include.includes('event-sub-topics')) return { data: rows.map((row) => topicResource(row)), included: [] };
    const subTopics = await classification.subTopicsOf(db, rows.map((row) => row.id));
    return {
      data: rows.map((row) => topicResource(row, subTopics.filter((sub) => sub.eventTopicId === row.id))),
      included: subTopics.map((sub) => subTopicResource(sub, true)),
    };
  };

  adminList<EventTopic, classification.TopicInput>(app, {
    path: '/v1/event-topics',
    type: 'event-topic',
    label: 'event topic',
    resource: TopicResource,
    body: TopicBody,
    listSpec: classification.EVENT_TOPIC_LIST,
    list: (query) => classification.listEventTopics(db, query),
    find: (id) => classification.findEventTopic(db, id),
    create: (user, input) => classification.createEventTopic(db, user, input),
    update: (user, id, input) => classification.updateEventTopic(db, user, id, input),
    remove: (user, id) => classification.deleteEventTopic(db, user, id),
    input: (data) => ({
      name: data.attributes?.name as string | undefined,
      systemImageUrl: data.attributes?.['system-image-url'] as string | null | undefined,
    }),
    serialize: serializeTopics,
  });

  const serializeSubTopics = async (rows: EventSubTopic[], include: string[]) => {
    if (!include.includes('event-topic')) return { data: rows.map((row) => subTopicResource(row)), included: [] };
    const topics = await classification.topicsByIds(db, rows.map((row) => row.eventTopicId));
    return { data: rows.map((row) => subTopicResource(row, true)), included: topics.map((topic) => topicResource(topic)) };
  };

  adminList<EventSubTopic, classification.SubTopicInput>(app, {
    path: '/v1/event-sub-topics',
    type: 'event-sub-topic',
    label: 'event sub-topic',
    resource: SubTopicResource,
    body: SubTopicBody,
    listSpec: classification.EVENT_SUB_TOPIC_LIST,
    list: (query) => classification.listEventSubTopics(db, query),
    find: (id) => classification.findEventSubTopic(db, id),
    create: (user, input) => classification.createEventSubTopic(db, user, input),
    update: (user, id, input) => classification.updateEventSubTopic(db, user, id, input),
    remove: (user, id) => classification.deleteEventSubTopic(db, user, id),
    input: (data) => ({
      name: data.attributes?.name as string | undefined,
      eventTopicId: relatedId(data.relationships, 'event-topic'),
    }),
    serialize: serializeSubTopics,
  });

  app.get(
    '/v1/event-topics/:id/event-sub-topics',
    {
      schema: {
        summary: 'The sub-topics of an event topic',
        tags: ['event-topics'],
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(SubTopicResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, classification.EVENT_SUB_TOPIC_LIST);
      const { rows, total } = await classification.listEventSubTopics(db, query, Number(request.params.id));
      const { data, included } = await serializeSubTopics(rows, query.include);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/event-topics/:id/relationships/event-sub-topics',
    {
      schema: {
        summary: 'Which sub-topics an event topic has (linkage only)',
        tags: ['event-topics'],
        params: Params,
        response: { 200: RelationshipDocument(Type.Array(Linkage)), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const topic = await classification.findEventTopic(db, Number(request.params.id));
      const subTopics = await classification.subTopicsOf(db, [topic.id]);
      const base = `/v1/event-topics/${topic.id}`;
      return {
        data: subTopics.map((sub) => ({ type: 'event-sub-topic', id: String(sub.id) })),
        links: { self: `${base}/relationships/event-sub-topics`, related: `${base}/event-sub-topics` },
        jsonapi: JSONAPI,
      };
    },
  );

  app.get(
    '/v1/event-sub-topics/:id/relationships/event-topic',
    {
      schema: {
        summary: 'Which event topic a sub-topic belongs to (linkage only)',
        tags: ['event-sub-topics'],
        params: Params,
        response: { 200: RelationshipDocument(Linkage), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const subTopic = await classification.findEventSubTopic(db, Number(request.params.id));
      const base = `/v1/event-sub-topics/${subTopic.id}`;
      return {
        data: { type: 'event-topic', id: String(subTopic.eventTopicId) },
        links: { self: `${base}/relationships/event-topic`, related: `${base}/event-topic` },
        jsonapi: JSONAPI,
      };
    },
  );

  app.get(
    '/v1/event-sub-topics/:id/event-topic',
    {
      schema: {
        summary: 'The event topic of a sub-topic',
        tags: ['event-sub-topics'],
        params: Params,
        querystring: IncludeQuery,
        response: { 200: singleResponse(TopicResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const include = parseInclude(request.query, classification.EVENT_TOPIC_LIST.includes);
      const subTopic = await classification.findEventSubTopic(db, Number(request.params.id));
      const { data, included } = await serializeTopics([await classification.findEventTopic(db, subTopic.eventTopicId)], include);
      return singleDocument(data[0]!, { included });
    },
  );
}
