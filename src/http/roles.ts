// Roles in an event (/v1/users-events-roles, OES's name): the team lists them, the owner and
// organizers revoke them. People join a team by accepting an invitation (role-invites.ts); a direct
// grant is for admins only, as in OES. The rules live in domain/roles.ts.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ROLE_NAMES,
  grantRoleAsAdmin,
  listRoles,
  readRole,
  revokeRole,
  roleListFields,
  roleListOrder,
  teamOfEvent,
  type Role,
  type RoleName,
} from '../domain/roles.ts';
import { JSONAPI, collectionDocument, identifier, instant, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { relationshipPointer, unprocessable } from './jsonapi/errors.ts';
import { deletedDocument, DeletedResponse } from './jsonapi/deleted.ts';
import { parseListQuery } from '../domain/list-query.ts';
import {
  ErrorDocument,
  IdString,
  LinkOnly,
  ListQuerystring,
  ToOne,
  collectionResponse,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import { roleInviteRoutes } from './role-invites.ts';
import type { AppContext } from './context.ts';
import { includedRoles, roleCatalogueRoutes, roleLinkage } from './role-catalogue.ts';
import { eventMembers, type EventAccess } from '../domain/events.ts';
import { eventAccess } from '../domain/access.ts';
import { findUserById } from '../domain/users.ts';
import { memberResources } from './event-relationships.ts';
import { eventResource } from './events.ts';

/**
 * The resources `include` asks for with these roles (or invitations): their users (as the team sees
 * them), their roles, the event.
 */
export async function roleIncludes(
  context: AppContext,
  access: EventAccess,
  include: readonly string[],
  rows: { roleName: string; userId?: number }[],
): Promise<ResourceObject[]> {
  const included: ResourceObject[] = [];
  if (include.includes('user') && rows.length) {
    const wanted = new Set(rows.map((row) => row.userId));
    const members = await eventMembers(context.db, access.event.id, [...new Set(rows.map((row) => row.roleName as RoleName))]);
    const users = [...new Map([...members.values()].flat().filter((user) => wanted.has(user.id)).map((user) => [user.id, user])).values()];
    included.push(...(await memberResources(context.db, users, access)));
  }
  if (include.includes('role')) included.push(...includedRoles(rows.map((row) => row.roleName)));
  if (include.includes('event') && rows.length) included.push(eventResource(access.event, access, context.config.publicUrl));
  return included;
}

/** OES's type for a role in an event; its web client writes it singular, which is taken too. */
export const USERS_EVENTS_ROLES = 'users-events-roles';
const TYPE = USERS_EVENTS_ROLES;
const CLIENT_TYPE = 'users-events-role';
const RoleResource = resourceObject(TYPE, { 'role-name': Type.String(), 'created-at': Type.String() }, ['user', 'event', 'role']);
/** What a role list or role can include, as OES's client asks (`include=user,role`). */
const ROLE_INCLUDES = ['user', 'role', 'event'];
const RoleBody = resourceBody({
  attributes: { 'role-name': Type.Optional(Type.Union(ROLE_NAMES.map((name) => Type.Literal(name)))) },
  // OES's `role` names the role by id; the role name says the same here, so a given role is not read.
  relationships: { user: ToOne('user'), event: ToOne('event'), role: LinkOnly },
  readOnly: ['created-at'],
  requireRelationships: true,
});

export function roleResource(role: Role): ResourceObject {
  const links = (name: string) => ({ self: `/v1/users-events-roles/${role.id}/relationships/${name}`, related: `/v1/users-events-roles/${role.id}/${name}` });
  return {
    type: TYPE,
    id: String(role.id),
    attributes: { 'role-name': role.roleName, 'created-at': instant(role.createdAt) },
    relationships: {
      user: { data: identifier('user', role.userId), links: links('user') },
      // Links only, as OES gives it (a numeric linkage splits the event in its client's store); the
      // relationship endpoint answers the linkage.
      event: { links: links('event') },
      role: { data: roleLinkage(role.roleName), links: links('role') },
    },
    links: { self: `/v1/users-events-roles/${role.id}` },
  };
}

export async function roleRoutes(parent: FastifyInstance, context: AppContext) {
  const { db } = context;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['roles'];
  const Params = Type.Object({ id: IdString });

  app.post(
    '/v1/users-events-roles',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Give a user a role in an event, without asking them (admins only; others use /v1/role-invites)',
        tags,
        body: RoleBody,
        response: { 201: singleResponse(RoleResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { data } = request.body;
      expectType(data, data.type === CLIENT_TYPE ? CLIENT_TYPE : TYPE);
      const eventKey = data.relationships.event.data?.id;
      const userId = data.relationships.user.data?.id;
      if (!eventKey) throw unprocessable('A relationship to the event is required', relationshipPointer('event'));
      if (!userId) throw unprocessable('A relationship to the user is required', relationshipPointer('user'));
      const roleName = data.attributes?.['role-name'] as RoleName | undefined;
      if (!roleName) throw unprocessable('"role-name" is required', { pointer: '/data/attributes/role-name' });
      const role = await grantRoleAsAdmin(db, user, { eventKey, userId, roleName });
      reply.code(201).header('location', `/v1/users-events-roles/${role.id}`);
      return singleDocument(roleResource(role));
    },
  );

  app.get(
    '/v1/events/:ev/users-events-roles',
    {
      schema: {
        summary: 'The roles of an event',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(RoleResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await teamOfEvent(db, request.params.ev, request.user);
      const query = parseListQuery(request.query, { fields: roleListFields, defaultSort: roleListOrder, includes: ROLE_INCLUDES });
      const { rows, total } = await listRoles(db, access, query);
      const included = await roleIncludes(context, access, query.include, rows);
      return collectionDocument(rows.map(roleResource), { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/users-events-roles/:id',
    { schema: { summary: 'One role', tags, params: Params, response: { 200: singleResponse(RoleResource), '4xx': ErrorDocument } } },
    async (request) => singleDocument(roleResource(await readRole(db, Number(request.params.id), request.user))),
  );

  app.delete(
    '/v1/users-events-roles/:id',
    { schema: { summary: 'Revoke a role', tags, params: Params, response: { 200: DeletedResponse, '4xx': ErrorDocument } } },
    async (request) => {
      await revokeRole(db, Number(request.params.id), request.user);
      return deletedDocument();
    },
  );

  // The related resources and linkage of a role's relationships (the links each role carries).
  const Related = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });
  for (const name of ['user', 'event', 'role'] as const) {
    app.get(
      `/v1/users-events-roles/:id/${name}`,
      { schema: { summary: `The ${name} of a role`, tags, params: Params, response: { 200: Related, '4xx': ErrorDocument } } },
      async (request) => {
        const role = await readRole(db, Number(request.params.id), request.user);
        const access = (await eventAccess(db, role.eventId, request.user))!;
        if (name === 'role') return singleDocument(includedRoles([role.roleName])[0]!);
        if (name === 'event') return singleDocument(eventResource(access.event, access, context.config.publicUrl));
        const [person] = await memberResources(db, [(await findUserById(db, role.userId))!], access);
        return singleDocument(person!);
      },
    );
    app.get(
      `/v1/users-events-roles/:id/relationships/${name}`,
      { schema: { summary: `Which ${name} a role links to`, tags, params: Params, response: { 200: Related, '4xx': ErrorDocument } } },
      async (request) => {
        const role = await readRole(db, Number(request.params.id), request.user);
        const relationship = roleResource(role).relationships![name]!;
        const data = name === 'event' ? identifier('event', role.eventId) : relationship.data;
        return { data, links: relationship.links, jsonapi: JSONAPI };
      },
    );
  }

  await parent.register(roleCatalogueRoutes);
  // Invitations are how roles are given: they belong with the roles.
  await parent.register(roleInviteRoutes, context);
}
