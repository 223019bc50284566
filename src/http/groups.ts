// /v1/groups and /v1/user-follow-groups as OES has them: groups of events anyone reads (the home page
// lists the promoted ones with `include=user,follower`), made by verified users, changed and deleted
// by their owner and admins, promoted by admins only; signed-in users follow and unfollow them.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  FOLLOW_LIST,
  GROUP_LIST,
  createGroup,
  deleteGroup,
  findFollow,
  findGroup,
  followGroup,
  followersOf,
  groupEventsWhere,
  groupsByIds,
  listFollowersOfGroup,
  listFollowsOfUser,
  listGroups,
  unfollowGroup,
  updateGroup,
  usersByIds,
  type GroupInput,
  type GroupSocialLink,
} from '../domain/groups.ts';
import { eventListOrder, listVisibleEvents, readableEvent } from '../domain/events.ts';
import { UNPAGED_LIMIT, parseInclude, parseListQuery } from '../domain/list-query.ts';
import type { User } from '../domain/users.ts';

import { JSONAPI, collectionDocument, identifier, singleDocument, type ResourceIdentifier, type ResourceObject } from './jsonapi/document.ts';
import { notFound } from './jsonapi/errors.ts';
import { DeletedResponse, deletedDocument } from './jsonapi/deleted.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  Nullable,
  ToMany,
  ToOne,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { EventResource, eventDocuments, eventListQuery } from './events.ts';
import {
  FOLLOW_TYPE,
  FollowResource,
  GROUP_TYPE,
  GroupResource,
  followDocuments,
  groupDocuments,
  identifierOf,
  peopleResources,
  type GroupEvents,
} from './group-resources.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const Params = Type.Object({ id: IdString });
const IncludeQuery = Type.Object({ include: Type.Optional(Type.String()) }, { additionalProperties: true });
const Echo = Type.Optional(Type.Unknown());
const UrlText = Nullable(Type.String({ maxLength: 2000 }));

const SocialLink = Type.Object(
  { name: Type.String({ maxLength: 1000 }), link: Type.String({ maxLength: 2000 }), is_custom: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const GroupBody = resourceBody({
  attributes: {
    name: Type.Optional(Type.String({ maxLength: 1000 })),
    about: Type.Optional(Nullable(Type.String({ maxLength: 100_000 }))),
    'social-links': Type.Optional(Nullable(Type.Array(SocialLink, { maxItems: 100 }))),
    'logo-url': Type.Optional(UrlText),
    'banner-url': Type.Optional(UrlText),
    'is-promoted': Type.Optional(Nullable(Type.Boolean())),
  },
  readOnly: ['thumbnail-image-url', 'follower-count', 'created-at', 'modified-at', 'deleted-at'],
  // ember-data sends the owner and echoes links; only `events` is written.
  relationships: { events: Type.Optional(ToMany('event')), user: Echo, roles: Echo, follower: Echo, followers: Echo },
});

const FollowBody = resourceBody({
  attributes: {},
  readOnly: ['created-at'],
  relationships: { group: Type.Optional(ToOne(GROUP_TYPE)), user: Echo },
});

const Linkage = Type.Object({ type: Type.String(), id: Type.String() });
const LinkageDocument = Type.Object({
  data: Type.Union([Linkage, Type.Array(Linkage), Type.Null()]),
  links: Type.Object({ self: Type.String(), related: Type.String() }),
  jsonapi: Type.Object({ version: Type.String() }),
});
/** A to-one related resource that may be absent (an event without a group): `data: null`. */
const MaybeGroup: TSchema = Type.Object({
  data: Type.Union([GroupResource, Type.Null()]),
  included: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  links: Type.Optional(Type.Object({ self: Type.String() })),
  jsonapi: Type.Object({ version: Type.String() }),
});
const PersonResource = resourceObject('user', {});

type Body = { data: { type: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, { data?: unknown } | undefined> } };

function groupInput(data: Body['data']): GroupInput {
  const a = data.attributes ?? {};
  const events = data.relationships?.events?.data as { id: string }[] | undefined;
  return {
    name: a.name as string | undefined,
    about: a.about as string | null | undefined,
    socialLinks: a['social-links'] as GroupSocialLink[] | null | undefined,
    logoUrl: a['logo-url'] as string | null | undefined,
    bannerUrl: a['banner-url'] as string | null | undefined,
    isPromoted: (a['is-promoted'] as boolean | null | undefined) ?? undefined,
    // An id that is not a number names no event the user owns: refused as such.
    eventIds: events?.map((event) => (/^[1-9]\d{0,9}$/.test(event.id) ? Number(event.id) : 0)),
  };
}

export async function groupRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['groups'];

  /** `include=events`: the groups' events this viewer may see. */
  const eventsOf =
    (viewer: User | null): GroupEvents =>
    async (groupIds) => {
      const { rows } = await listVisibleEvents(db, viewer, { where: groupEventsWhere(groupIds), orderBy: eventListOrder, limit: UNPAGED_LIMIT, offset: 0 });
      const { data } = await eventDocuments(db, rows, [], config.publicUrl);
      const ids = new Map<number, ResourceIdentifier[]>();
      rows.forEach((access, index) => {
        const groupId = access.event.groupId!;
        ids.set(groupId, [...(ids.get(groupId) ?? []), identifierOf(data[index]!)]);
      });
      return { ids, included: data };
    };
  const documents = (rows: Awaited<ReturnType<typeof listGroups>>['rows'], viewer: User | null, include: readonly string[]) =>
    groupDocuments(db, rows, viewer, include, eventsOf(viewer));
  const one = async (group: Awaited<ReturnType<typeof findGroup>>, viewer: User | null, include: readonly string[] = []) => {
    const { data, included } = await documents([group], viewer, include);
    return singleDocument(data[0]!, { included });
  };

  app.get(
    '/v1/groups',
    {
      schema: {
        summary: 'All groups (anyone): filter `is-promoted`, `name`…, include user, follower, followers, events',
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(GroupResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, GROUP_LIST);
      const { rows, total } = await listGroups(db, query);
      const { data, included } = await documents(rows, request.user, query.include);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/users/:id/groups',
    {
      schema: {
        summary: 'The groups a user owns',
        tags,
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(GroupResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, GROUP_LIST);
      const { rows, total } = await listGroups(db, query, Number(request.params.id));
      const { data, included } = await documents(rows, request.user, query.include);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.post(
    '/v1/groups',
    {
      config: { signedIn: true },
      schema: { summary: 'Make a group (you own it); `events` must be events you own', tags, body: GroupBody, response: { 201: singleResponse(GroupResource), '4xx': ErrorDocument } },
    },
    async (request, reply) => {
      const { data } = request.body as Body;
      expectType(data, GROUP_TYPE);
      const user = requireUser(request);
      const group = await createGroup(db, user, groupInput(data));
      reply.code(201).header('location', `/v1/groups/${group.id}`);
      return one(group, user);
    },
  );

  app.get(
    '/v1/groups/:id',
    { schema: { summary: 'One group', tags, params: Params, querystring: IncludeQuery, response: { 200: singleResponse(GroupResource), '4xx': ErrorDocument } } },
    async (request) => {
      const include = parseInclude(request.query, GROUP_LIST.includes);
      return one(await findGroup(db, Number(request.params.id)), request.user, include);
    },
  );

  app.patch(
    '/v1/groups/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Change a group (its owner and admins; `is-promoted` admins only)',
        tags,
        params: Params,
        body: GroupBody,
        response: { 200: singleResponse(GroupResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { data } = request.body as Body;
      expectType(data, GROUP_TYPE);
      expectSameId(data, GROUP_TYPE, request.params.id);
      const user = requireUser(request);
      return one(await updateGroup(db, user, Number(request.params.id), groupInput(data)), user);
    },
  );

  app.delete(
    '/v1/groups/:id',
    {
      config: { signedIn: true },
      schema: { summary: 'Delete a group (its owner and admins); its events stay', tags, params: Params, response: { 200: DeletedResponse, '4xx': ErrorDocument } },
    },
    async (request) => {
      await deleteGroup(db, requireUser(request), Number(request.params.id));
      return deletedDocument();
    },
  );

  app.get(
    '/v1/groups/:id/events',
    {
      schema: {
        summary: 'The events of a group you can see (published public ones, and your own)',
        tags,
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(EventResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const group = await findGroup(db, Number(request.params.id));
      const query = eventListQuery(request.query as Record<string, unknown>);
      const { rows, total } = await listVisibleEvents(db, request.user, { ...query, where: groupEventsWhere([group.id], query.where) });
      const { data, included } = await eventDocuments(db, rows, query.include, config.publicUrl);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/groups/:id/user',
    { schema: { summary: 'The owner of a group', tags, params: Params, response: { 200: singleResponse(PersonResource), '4xx': ErrorDocument } } },
    async (request) => {
      const group = await findGroup(db, Number(request.params.id));
      const [owner] = await peopleResources(db, await usersByIds(db, [group.userId]), request.user);
      if (!owner) throw notFound('No such user');
      return singleDocument(owner);
    },
  );

  app.get(
    '/v1/groups/:id/relationships/:name',
    {
      schema: {
        summary: 'Which resources one of a group’s relationships links to (events, user, roles, followers)',
        tags,
        params: Type.Object({ id: IdString, name: Type.String({ maxLength: 64 }) }),
        response: { 200: LinkageDocument, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { name } = request.params;
      const group = await findGroup(db, Number(request.params.id));
      const base = `/v1/groups/${group.id}`;
      const related = { events: 'events', user: 'user', roles: 'users-groups-roles', followers: 'followers' } as Record<string, string>;
      if (!Object.hasOwn(related, name)) throw notFound(`Groups have no relationship "${name}" to list here`);
      let data: ResourceIdentifier | ResourceIdentifier[] | null;
      if (name === 'user') data = identifier('user', group.userId);
      else if (name === 'followers') data = (await followersOf(db, [group.id])).map((row) => identifier(FOLLOW_TYPE, row.id)!);
      else if (name === 'events') data = (await eventsOf(request.user)([group.id])).ids.get(group.id) ?? [];
      // openevent has no group roles (OES's users-groups-roles): there are none to link.
      else data = [];
      return { data, links: { self: `${base}/relationships/${name}`, related: `${base}/${related[name]}` }, jsonapi: JSONAPI };
    },
  );

  app.get(
    '/v1/events/:ev/group',
    {
      schema: {
        summary: 'The group an event is shown under (`data: null` when none)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: IncludeQuery,
        response: { 200: MaybeGroup, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const include = parseInclude(request.query, GROUP_LIST.includes);
      const access = await readableEvent(db, request.params.ev, request.user);
      if (access.event.groupId === null) return { data: null, jsonapi: JSONAPI };
      return one(await findGroup(db, access.event.groupId), request.user, include);
    },
  );

  // ---- Following

  const groupResourcesFor = (viewer: User | null) => async (ids: number[]) => (await documents(await groupsByIds(db, ids), viewer, [])).data;

  app.post(
    '/v1/user-follow-groups',
    {
      config: { signedIn: true },
      schema: { summary: 'Follow a group', tags: ['user-follow-groups'], body: FollowBody, response: { 201: singleResponse(FollowResource), '4xx': ErrorDocument } },
    },
    async (request, reply) => {
      const { data } = request.body as Body;
      expectType(data, FOLLOW_TYPE);
      const group = data.relationships?.group?.data as { id: string } | null | undefined;
      const follow = await followGroup(db, requireUser(request), group?.id);
      reply.code(201).header('location', `/v1/user-follow-groups/${follow.id}`);
      return singleDocument((await followDocuments(db, [follow], request.user, [], groupResourcesFor(request.user))).data[0]!);
    },
  );

  app.get(
    '/v1/user-follow-groups/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'One follow of a group',
        tags: ['user-follow-groups'],
        params: Params,
        querystring: IncludeQuery,
        response: { 200: singleResponse(FollowResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const include = parseInclude(request.query, FOLLOW_LIST.includes);
      const follow = await findFollow(db, Number(request.params.id));
      const { data, included } = await followDocuments(db, [follow], request.user, include, groupResourcesFor(request.user));
      return singleDocument(data[0]!, { included });
    },
  );

  app.get(
    '/v1/user-follow-groups/:id/group',
    {
      config: { signedIn: true },
      schema: { summary: 'The group of a follow', tags: ['user-follow-groups'], params: Params, querystring: IncludeQuery, response: { 200: singleResponse(GroupResource), '4xx': ErrorDocument } },
    },
    async (request) => {
      const include = parseInclude(request.query, GROUP_LIST.includes);
      const follow = await findFollow(db, Number(request.params.id));
      return one(await findGroup(db, follow.groupId), request.user, include);
    },
  );

  app.delete(
    '/v1/user-follow-groups/:id',
    {
      config: { signedIn: true },
      schema: { summary: 'Unfollow a group (your own follow only)', tags: ['user-follow-groups'], params: Params, response: { 200: DeletedResponse, '4xx': ErrorDocument } },
    },
    async (request) => {
      await unfollowGroup(db, requireUser(request), Number(request.params.id));
      return deletedDocument();
    },
  );

  app.get(
    '/v1/users/:id/followed-groups',
    {
      config: { signedIn: true },
      schema: {
        summary: 'The groups you follow (yours only); include group, user',
        tags: ['user-follow-groups'],
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(FollowResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, FOLLOW_LIST);
      const user = requireUser(request);
      const { rows, total } = await listFollowsOfUser(db, user, Number(request.params.id), query);
      const { data, included } = await followDocuments(db, rows, user, query.include, groupResourcesFor(user));
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/groups/:id/followers',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Who follows a group (signed-in users; emails for the group’s owner and admins)',
        tags: ['user-follow-groups'],
        params: Params,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(FollowResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, FOLLOW_LIST);
      const user = requireUser(request);
      const group = await findGroup(db, Number(request.params.id));
      const { rows, total } = await listFollowersOfGroup(db, group.id, query);
      // The follow dialog tells followers they share their email with the group's owner: the owner sees it.
      const { data, included } = await followDocuments(db, rows, user, query.include, groupResourcesFor(user), group.userId === user.id);
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );
}
