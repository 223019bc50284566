// Users over /v1 (OES paths): register, read yourself, update your own profile (a new password with
// the current one as `old-password`). The rules are in domain/users.ts; this file is the HTTP shape.
// Admin rights are never granted here: `is-admin` is read-only (see `openevent create-admin`).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { listUsers, registerUser, updateUser, userFor, USER_LIST, type User } from '../domain/users.ts';
import { attributesOf, collectionDocument, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { parseListQuery } from './jsonapi/query.ts';
import { attributePointer, unprocessable } from './jsonapi/errors.ts';
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

export function userResource(user: User): ResourceObject {
  return {
    type: 'user',
    id: String(user.id),
    attributes: attributesOf(user, ['email', 'firstName', 'lastName', 'isAdmin', 'createdAt']),
    links: { self: `/v1/users/${user.id}` },
  };
}

export async function userRoutes(parent: FastifyInstance, { db, config }: AppContext) {
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
      const user = await registerUser(
        db,
        {
          email: attributes.email,
          password: attributes.password,
          firstName: attributes['first-name'] ?? null,
          lastName: attributes['last-name'] ?? null,
        },
        request.ip,
        config,
      );
      return reply.code(201).header('location', `/v1/users/${user.id}`).send(singleDocument(userResource(user)));
    },
  );

  app.get(
    '/v1/users',
    {
      config: { signedIn: true },
      schema: {
        summary: 'All users (admins only)',
        tags: ['users'],
        querystring: ListQuerystring,
        response: { 200: collectionResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, USER_LIST);
      const { rows, total } = await listUsers(db, requireUser(request), query);
      return collectionDocument(rows.map(userResource), { count: total, page: query.page, url: request.url });
    },
  );

  app.get(
    '/v1/users/me',
    {
      config: { signedIn: true },
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
      config: { signedIn: true },
      schema: {
        summary: 'A user (yourself, or anyone for admins)',
        tags: ['users'],
        params: Type.Object({ id: IdString }),
        response: { 200: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => singleDocument(userResource(await userFor(db, requireUser(request), Number(request.params.id)))),
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Update your profile or password (a new password needs the current one as old-password)',
        tags: ['users'],
        params: Type.Object({ id: IdString }),
        body: resourceBody({
          attributes: {
            'first-name': Type.Optional(Name),
            'last-name': Type.Optional(Name),
            password: Type.Optional(Password),
            'old-password': Type.Optional(Password),
            email: Type.Optional(Type.Unknown()),
          },
          readOnly: READ_ONLY,
        }),
        response: { 200: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      expectType(request.body.data, 'user');
      const attributes = request.body.data.attributes ?? {};
      const user = await updateUser(
        db,
        requireUser(request),
        Number(request.params.id),
        {
          firstName: attributes['first-name'],
          lastName: attributes['last-name'],
          ...(attributes.password !== undefined && {
            password: {
              current: attributes['old-password'],
              next: attributes.password,
              fields: { current: { attribute: 'old-password' }, next: { attribute: 'password' } },
            },
          }),
        },
        config,
      );
      return singleDocument(userResource(user));
    },
  );
}
