// Roles in an event (/v1/users-events-roles, OES's name). The owner and organizers grant and revoke
// organizer, coorganizer, track_organizer, registrar and moderator; only the owner (or an admin)
// hands over ownership, and an event always has exactly one owner.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLE_NAMES, eventRoles, events, type RoleName } from '../db/schema/index.ts';
import { eventAccess, type EventAccess } from '../domain/access.ts';
import { findUserById } from '../domain/users.ts';
import { collectionDocument, identifier, instant, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { conflict, forbidden, notFound, relationshipPointer, unauthorized, unprocessable } from './jsonapi/errors.ts';
import { parseListQuery } from './jsonapi/query.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  ToOne,
  collectionResponse,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

type Role = typeof eventRoles.$inferSelect;

const TYPE = 'users-events-role';
const RoleResource = resourceObject(TYPE, { 'role-name': Type.String(), 'created-at': Type.String() }, ['user', 'event']);
const RoleBody = resourceBody({
  attributes: { 'role-name': Type.Optional(Type.Union(ROLE_NAMES.map((name) => Type.Literal(name)))) },
  relationships: { user: ToOne('user'), event: ToOne('event') },
  readOnly: ['created-at'],
  requireRelationships: true,
});

function roleResource(role: Role): ResourceObject {
  return {
    type: TYPE,
    id: String(role.id),
    attributes: { 'role-name': role.roleName, 'created-at': instant(role.createdAt) },
    relationships: { user: { data: identifier('user', role.userId) }, event: { data: identifier('event', role.eventId) } },
    links: { self: `/v1/users-events-roles/${role.id}` },
  };
}

/** Who may grant and revoke: the owner, organizers and admins (not co-organizers). */
function canGrant(access: EventAccess): boolean {
  return access.isAdmin || access.roles.has('owner') || access.roles.has('organizer');
}

/** 401 when anonymous, 403 for people who can see the event, 404 for events they cannot. */
function refuse(request: FastifyRequest, access: EventAccess | null, action: string): never {
  if (!request.user) throw unauthorized();
  if (access?.canRead) throw forbidden(`Only the owner and organizers can ${action}`);
  throw notFound();
}

export async function roleRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['roles'];
  const Params = Type.Object({ id: IdString });

  async function findRole(request: FastifyRequest, id: string) {
    const [role] = await db.select().from(eventRoles).where(and(eq(eventRoles.id, Number(id)), isNull(eventRoles.deletedAt)));
    const access = role ? await eventAccess(db, role.eventId, request.user) : null;
    if (!role || !access) throw notFound();
    return { role, access };
  }

  app.post(
    '/v1/users-events-roles',
    {
      schema: {
        summary: 'Give a user a role in an event (role-name owner transfers ownership)',
        tags,
        body: RoleBody,
        response: { 201: singleResponse(RoleResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      if (!request.user) throw unauthorized();
      const { data } = request.body;
      expectType(data, TYPE);
      const eventId = data.relationships.event.data?.id;
      const userId = data.relationships.user.data?.id;
      if (!eventId) throw unprocessable('A relationship to the event is required', relationshipPointer('event'));
      if (!userId) throw unprocessable('A relationship to the user is required', relationshipPointer('user'));
      const roleName = data.attributes?.['role-name'] as RoleName | undefined;
      if (!roleName) throw unprocessable('"role-name" is required', { pointer: '/data/attributes/role-name' });

      const access = await eventAccess(db, eventId, request.user);
      if (!access || !canGrant(access)) refuse(request, access, 'grant roles');
      if (roleName === 'owner' && !access.isAdmin && !access.roles.has('owner')) {
        throw forbidden('Only the owner can hand over ownership');
      }
      const user = /^\d{1,15}$/.test(userId) ? await findUserById(db, Number(userId)) : null;
      if (!user) throw unprocessable(`No user ${userId}`, relationshipPointer('user'));

      const role = await db.transaction(async (tx) => {
        // Grants to one event happen one at a time: two concurrent ownership transfers would each
        // retire the owner they saw, and the second would then collide with the first's new owner.
        await tx.select({ id: events.id }).from(events).where(eq(events.id, access.event.id)).for('update');
        if (roleName === 'owner' && !access.isAdmin) {
          const [stillOwner] = await tx
            .select({ id: eventRoles.id })
            .from(eventRoles)
            .where(and(eq(eventRoles.eventId, access.event.id), eq(eventRoles.userId, request.user!.id), eq(eventRoles.roleName, 'owner'), isNull(eventRoles.deletedAt)));
          if (!stillOwner) throw forbidden('Only the owner can hand over ownership');
        }
        const held = await tx
          .select()
          .from(eventRoles)
          .where(and(eq(eventRoles.eventId, access.event.id), eq(eventRoles.userId, user.id), eq(eventRoles.roleName, roleName), isNull(eventRoles.deletedAt)));
        if (held.length) throw conflict(`User ${user.id} is already ${roleName} of this event`);
        if (roleName === 'owner') {
          // Hand over: the old owner stays on the team as an organizer, and the new one takes their place.
          const [previous] = await tx
            .update(eventRoles)
            .set({ deletedAt: new Date() })
            .where(and(eq(eventRoles.eventId, access.event.id), eq(eventRoles.roleName, 'owner'), isNull(eventRoles.deletedAt)))
            .returning();
          if (previous) {
            await tx
              .insert(eventRoles)
              .values({ userId: previous.userId, eventId: access.event.id, roleName: 'organizer' })
              .onConflictDoNothing();
          }
        }
        const [created] = await tx.insert(eventRoles).values({ userId: user.id, eventId: access.event.id, roleName }).returning();
        return created!;
      });
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
      const access = await eventAccess(db, request.params.ev, request.user);
      if (!access?.canManage) refuse(request, access, 'see the roles');
      const query = parseListQuery(request.query, {
        fields: {
          id: { column: eventRoles.id, kind: 'integer' },
          'role-name': { column: eventRoles.roleName, kind: 'text' },
          'created-at': { column: eventRoles.createdAt, kind: 'instant' },
        },
        defaultSort: [asc(eventRoles.id)],
      });
      const where = and(eq(eventRoles.eventId, access.event.id), isNull(eventRoles.deletedAt), query.where);
      const [rows, [total]] = await Promise.all([
        db.select().from(eventRoles).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
        db.select({ n: count() }).from(eventRoles).where(where),
      ]);
      return collectionDocument(rows.map(roleResource), { count: total!.n, page: query.page, url: request.url });
    },
  );

  app.get(
    '/v1/users-events-roles/:id',
    { schema: { summary: 'One role', tags, params: Params, response: { 200: singleResponse(RoleResource), '4xx': ErrorDocument } } },
    async (request) => {
      const { role, access } = await findRole(request, request.params.id);
      // Your own role you may always see; other people's only as a manager of the event.
      if (role.userId !== request.user?.id && !access.canManage) refuse(request, access, 'see the roles');
      return singleDocument(roleResource(role));
    },
  );

  app.delete(
    '/v1/users-events-roles/:id',
    { schema: { summary: 'Revoke a role', tags, params: Params, response: { '4xx': ErrorDocument } } },
    async (request, reply) => {
      const { role, access } = await findRole(request, request.params.id);
      if (!canGrant(access)) refuse(request, access, 'revoke roles');
      if (role.roleName === 'owner') throw conflict('An event always has an owner: hand over ownership instead of revoking it');
      await db.update(eventRoles).set({ deletedAt: new Date() }).where(eq(eventRoles.id, role.id));
      return reply.code(204).send(null as never);
    },
  );
}
