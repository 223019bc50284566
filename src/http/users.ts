// Users over /v1 (OES paths): register, read yourself, update your own profile.
// Admin rights are never granted here: `is-admin` is read-only (see `openevent create-admin`).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import { createUser, DuplicateEmailError, findUserById, MIN_PASSWORD_LENGTH, type User } from '../domain/users.ts';
import { hashPassword } from '../auth/passwords.ts';
import { attributesOf, collectionDocument, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { parseListQuery, type ListSpec } from './jsonapi/query.ts';
import { attributePointer, conflict, forbidden, notFound, unprocessable } from './jsonapi/errors.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  collectionResponse,
  Nullable,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const Name = Nullable(Type.String({ maxLength: 200 }));
const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ maxLength: 1000 });

const UserAttributes = {
  email: Type.String(),
  'first-name': Nullable(Type.String()),
  'last-name': Nullable(Type.String()),
  'is-admin': Type.Boolean(),
  'created-at': Type.String(),
};
const UserResource = resourceObject('user', UserAttributes);
const READ_ONLY = ['is-admin', 'created-at', 'deleted-at'];

const USER_LIST: ListSpec = {
  fields: {
    id: { column: users.id, kind: 'integer' },
    email: { column: users.email, kind: 'text' },
    'first-name': { column: users.firstName, kind: 'text' },
    'last-name': { column: users.lastName, kind: 'text' },
    'is-admin': { column: users.isAdmin, kind: 'boolean' },
    'created-at': { column: users.createdAt, kind: 'instant' },
  },
  defaultSort: [asc(users.id)],
};

export function userResource(user: User): ResourceObject {
  return {
    type: 'user',
    id: String(user.id),
    attributes: attributesOf(user, ['email', 'firstName', 'lastName', 'isAdmin', 'createdAt']),
    links: { self: `/v1/users/${user.id}` },
  };
}

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw unprocessable(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long`, attributePointer('password'));
  }
}

export async function userRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/users',
    {
      schema: {
        summary: 'Register a user',
        tags: ['users'],
        body: resourceBody({
          attributes: {
            email: Email,
            password: Password,
            'first-name': Type.Optional(Name),
            'last-name': Type.Optional(Name),
          },
          readOnly: READ_ONLY,
        }),
        response: { 201: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const { data } = request.body;
      expectType(data, 'user');
      const attributes = data.attributes;
      if (!attributes?.email) throw unprocessable('"email" is required', attributePointer('email'));
      if (attributes.password === undefined) throw unprocessable('"password" is required', attributePointer('password'));
      checkPassword(attributes.password);
      try {
        const user = await createUser(db, {
          email: attributes.email,
          password: attributes.password,
          firstName: attributes['first-name'] ?? null,
          lastName: attributes['last-name'] ?? null,
        });
        return reply.code(201).header('location', `/v1/users/${user.id}`).send(singleDocument(userResource(user)));
      } catch (error) {
        if (error instanceof DuplicateEmailError) throw conflict(error.message, attributePointer('email'));
        throw error;
      }
    },
  );

  app.get(
    '/v1/users',
    {
      schema: {
        summary: 'All users (admins only)',
        tags: ['users'],
        querystring: ListQuerystring,
        response: { 200: collectionResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const me = requireUser(request);
      if (!me.isAdmin) throw forbidden('Only admins can list users');
      const query = parseListQuery(request.query, USER_LIST);
      const where = and(isNull(users.deletedAt), query.where);
      const [rows, [total]] = await Promise.all([
        db.select().from(users).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
        db.select({ n: count() }).from(users).where(where),
      ]);
      return collectionDocument(rows.map(userResource), { count: total!.n, page: query.page, url: request.url });
    },
  );

  app.get(
    '/v1/users/me',
    {
      schema: {
        summary: 'The signed-in user',
        tags: ['users'],
        response: { 200: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => singleDocument(userResource(requireUser(request))),
  );

  app.get(
    '/v1/users/:id',
    {
      schema: {
        summary: 'A user (yourself, or anyone for admins)',
        tags: ['users'],
        params: Type.Object({ id: IdString }),
        response: { 200: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const me = requireUser(request);
      const id = Number(request.params.id);
      // Other people's accounts are not there for you: 404, so ids don't reveal who exists.
      if (id !== me.id && !me.isAdmin) throw notFound();
      const user = await findUserById(db, id);
      if (!user) throw notFound();
      return singleDocument(userResource(user));
    },
  );

  app.patch(
    '/v1/users/:id',
    {
      schema: {
        summary: 'Update your profile or password',
        tags: ['users'],
        params: Type.Object({ id: IdString }),
        body: resourceBody({
          attributes: {
            'first-name': Type.Optional(Name),
            'last-name': Type.Optional(Name),
            password: Type.Optional(Password),
            email: Type.Optional(Type.Unknown()),
          },
          readOnly: READ_ONLY,
        }),
        response: { 200: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const me = requireUser(request);
      const id = Number(request.params.id);
      if (id !== me.id && !me.isAdmin) throw notFound();
      expectType(request.body.data, 'user');
      const attributes = request.body.data.attributes ?? {};
      const changes: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
      if (attributes['first-name'] !== undefined) changes.firstName = attributes['first-name'];
      if (attributes['last-name'] !== undefined) changes.lastName = attributes['last-name'];
      if (attributes.password !== undefined) {
        checkPassword(attributes.password);
        changes.passwordHash = await hashPassword(attributes.password);
      }
      const [user] = await db.update(users).set(changes).where(eq(users.id, id)).returning();
      if (!user || user.deletedAt) throw notFound();
      return singleDocument(userResource(user));
    },
  );
}
