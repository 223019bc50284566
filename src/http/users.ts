// Users over /v1 (OES paths and attributes): register, read yourself, update your own profile (a new
// password with the current one as `old-password`), delete your account. The rules are in
// domain/users.ts; this file is the HTTP shape. Admin rights are never granted here: `is-admin` is
// read-only (see `openevent create-admin`); the other admin flags (`is-verified`, `is-blocked`,
// `is-sales-admin`, `is-marketer`) are changed by admins only.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  deleteUser,
  isEmailTaken,
  listUsers,
  registerUser,
  roleFlagsOf,
  updateUser,
  userFor,
  PROFILE_COLUMNS,
  USER_LIST,
  type AdminFlags,
  type Profile,
  type ProfileColumn,
  type User,
  type UserRoleFlags,
} from '../domain/users.ts';
import { announceEmailChange, sendVerificationMail } from '../domain/account-mail.ts';
import { siteIdentity } from '../domain/settings.ts';
import { attributesOf, collectionDocument, instant, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { parseListQuery } from '../domain/list-query.ts';
import { attributePointer, unprocessable } from './jsonapi/errors.ts';
import { deletedDocument, DeletedResponse } from './jsonapi/deleted.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  collectionResponse,
  Nullable,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ maxLength: 1000 });
const Text = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));
/** OES's boolean fields take "true"/"false" as well; null means "not given". */
const Flag = Type.Optional(Nullable(Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')])));
const flagValue = (value: boolean | 'true' | 'false' | null | undefined) =>
  value === null || value === undefined ? undefined : value === true || value === 'true';

const dasherize = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const BOOLEAN_PROFILE: readonly ProfileColumn[] = ['isProfilePublic', 'wasRegisteredWithOrder'];
const LONG_TEXT: readonly ProfileColumn[] = ['details', 'billingAdditionalInfo', 'billingAddress'];

/** The attributes a person may send about themselves, by OES name. */
const PROFILE_ATTRIBUTES = Object.fromEntries(
  PROFILE_COLUMNS.map((column) => [
    dasherize(column),
    BOOLEAN_PROFILE.includes(column) ? Flag : Text(LONG_TEXT.includes(column) ? 10_000 : 2_000),
  ]),
) as Record<string, TSchema>;

const ADMIN_FLAGS = ['isVerified', 'isBlocked', 'isSalesAdmin', 'isMarketer'] as const;

/** Sent by OES's client with every save, computed or kept by the server: accepted and ignored. */
const READ_ONLY = [
  'is-admin',
  'is-super-admin',
  'is-user-owner',
  'is-user-organizer',
  'is-user-coorganizer',
  'is-user-track-organizer',
  'is-user-moderator',
  'is-user-registrar',
  'is-rocket-chat-registered',
  'facebook-id',
  'original-image-url',
  'thumbnail-image-url',
  'small-image-url',
  'icon-image-url',
  'created-at',
  'deleted-at',
  'last-accessed-at',
];

const StringOrNull = Nullable(Type.String());
const UserAttributes = {
  email: Type.String(),
  ...Object.fromEntries(PROFILE_COLUMNS.map((column) => [dasherize(column), BOOLEAN_PROFILE.includes(column) ? Type.Boolean() : StringOrNull])),
  'is-admin': Type.Boolean(),
  'is-super-admin': Type.Boolean(),
  'is-verified': Type.Boolean(),
  'is-blocked': Type.Boolean(),
  'is-sales-admin': Type.Boolean(),
  'is-marketer': Type.Boolean(),
  'is-user-owner': Type.Boolean(),
  'is-user-organizer': Type.Boolean(),
  'is-user-coorganizer': Type.Boolean(),
  'is-user-track-organizer': Type.Boolean(),
  'is-user-moderator': Type.Boolean(),
  'is-user-registrar': Type.Boolean(),
  'is-rocket-chat-registered': Type.Boolean(),
  'facebook-id': StringOrNull,
  'original-image-url': StringOrNull,
  'thumbnail-image-url': StringOrNull,
  'small-image-url': StringOrNull,
  'icon-image-url': StringOrNull,
  'created-at': Type.String(),
  'deleted-at': StringOrNull,
  'last-accessed-at': StringOrNull,
};
/** The user's relationships the web client follows by link (its home, my-groups and My Sessions pages). */
const USER_RELATIONSHIPS = ['events', 'groups', 'followed-groups', 'sessions', 'speakers'] as const;
const UserResource = resourceObject('user', UserAttributes, USER_RELATIONSHIPS);

export function userResource(user: User, roles: UserRoleFlags): ResourceObject {
  return {
    type: 'user',
    id: String(user.id),
    attributes: {
      ...attributesOf(user, ['email', ...PROFILE_COLUMNS, 'isAdmin', 'isSuperAdmin', 'isVerified', 'isBlocked', 'isSalesAdmin', 'isMarketer']),
      'is-user-owner': roles.owner,
      'is-user-organizer': roles.organizer,
      'is-user-coorganizer': roles.coorganizer,
      'is-user-track-organizer': roles.track_organizer,
      'is-user-moderator': roles.moderator,
      'is-user-registrar': roles.registrar,
      // No chat and no social login here; no image resizing either, so every size is the avatar itself.
      'is-rocket-chat-registered': false,
      'facebook-id': null,
      'original-image-url': user.avatarUrl,
      'thumbnail-image-url': user.avatarUrl,
      'small-image-url': user.avatarUrl,
      'icon-image-url': user.avatarUrl,
      'created-at': instant(user.createdAt),
      'deleted-at': instant(user.deletedAt),
      'last-accessed-at': instant(user.lastAccessedAt),
    },
    relationships: Object.fromEntries(
      USER_RELATIONSHIPS.map((name) => [name, { links: { self: `/v1/users/${user.id}/relationships/${name}`, related: `/v1/users/${user.id}/${name}` } }]),
    ),
    links: { self: `/v1/users/${user.id}` },
  };
}

async function userResources(db: AppContext['db'], users: User[]): Promise<ResourceObject[]> {
  const roles = await roleFlagsOf(db, users.map((user) => user.id));
  return users.map((user) => userResource(user, roles.get(user.id)!));
}

const userDocument = async (db: AppContext['db'], user: User) => singleDocument((await userResources(db, [user]))[0]!);

function profileOf(attributes: Record<string, unknown>): Profile {
  const profile: Record<string, unknown> = {};
  for (const column of PROFILE_COLUMNS) {
    const value = attributes[dasherize(column)];
    if (value === undefined) continue;
    if (BOOLEAN_PROFILE.includes(column)) {
      const flag = flagValue(value as boolean | 'true' | 'false' | null);
      if (flag !== undefined) profile[column] = flag;
    } else {
      profile[column] = value;
    }
  }
  return profile as Profile;
}

export async function userRoutes(parent: FastifyInstance, { db, config, mailer }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/users',
    {
      schema: {
        summary: 'Register a user (verified at once, or after the mailed link with REQUIRE_EMAIL_VERIFICATION)',
        tags: ['users'],
        body: resourceBody({
          attributes: {
            email: Email,
            password: Password,
            ...PROFILE_ATTRIBUTES,
            'is-verified': Flag,
            'is-blocked': Flag,
            'is-sales-admin': Flag,
            'is-marketer': Flag,
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
      // OES refuses a self-verified sign-up; the other flags are for admins to set later.
      if (flagValue(attributes['is-verified'])) {
        throw unprocessable('You are not allowed to submit this field', attributePointer('is-verified'));
      }
      const user = await registerUser(
        db,
        { ...profileOf(attributes), email: attributes.email, password: attributes.password },
        request.ip,
        config,
      );
      if (!user.isVerified) await sendVerificationMail(db, mailer, user, await siteIdentity(db, { frontendUrl: config.publicUrl }));
      return reply.code(201).header('location', `/v1/users/${user.id}`).send(await userDocument(db, user));
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
      return collectionDocument(await userResources(db, rows), { count: total, page: query.page, url: request.url });
    },
  );

  // OES's client asks this before offering login or sign-up (guest checkout, role invitations).
  for (const url of ['/v1/users/check_email', '/v1/users/checkEmail']) {
    app.post(
      url,
      {
        config: { plainJson: true },
        schema: {
          summary: 'Whether an account has this email (counted against the registration limit per address)',
          tags: ['users'],
          body: Type.Object({ email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))) }),
          response: { 200: Type.Object({ exists: Type.Boolean() }), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const { email } = request.body;
        if (!email) throw unprocessable('Email field missing', { pointer: '/email' });
        return { exists: await isEmailTaken(db, email, request.ip, config) };
      },
    );
  }

  app.get(
    '/v1/users/user-details/get-user-id',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: "The signed-in user's id (the token's identity)",
        tags: ['users'],
        response: { 200: Type.Object({ user_id: Type.Integer() }), '4xx': ErrorDocument },
      },
    },
    async (request) => ({ user_id: requireUser(request).id }),
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
    async (request) => userDocument(db, requireUser(request)),
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
    async (request) => userDocument(db, await userFor(db, requireUser(request), Number(request.params.id))),
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Update your profile or password (a new password needs the current one as old-password); admins also the admin flags',
        tags: ['users'],
        params: Type.Object({ id: IdString }),
        body: resourceBody({
          attributes: {
            ...PROFILE_ATTRIBUTES,
            'is-verified': Flag,
            'is-blocked': Flag,
            'is-sales-admin': Flag,
            'is-marketer': Flag,
            password: Type.Optional(Nullable(Password)),
            'old-password': Type.Optional(Nullable(Password)),
            email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
          },
          readOnly: READ_ONLY,
        }),
        response: { 200: singleResponse(UserResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      expectType(request.body.data, 'user');
      expectSameId(request.body.data, 'user', request.params.id);
      const attributes = request.body.data.attributes ?? {};
      const flags: AdminFlags = {};
      for (const flag of ADMIN_FLAGS) {
        const value = flagValue((attributes as Record<string, unknown>)[dasherize(flag)] as boolean | 'true' | 'false' | null | undefined);
        if (value !== undefined) flags[flag] = value;
      }
      const me = requireUser(request);
      const before = await userFor(db, me, Number(request.params.id));
      const user = await updateUser(
        db,
        me,
        before.id,
        {
          profile: profileOf(attributes),
          flags,
          ...(typeof attributes.email === 'string' && {
            email: {
              email: attributes.email,
              // signedIn: the auth hook kept the token's claims.
              freshSignIn: request.accessToken!.fresh,
              requireVerification: config.requireEmailVerification,
            },
          }),
          // OES's client sends `password: null` with every profile save: only a value is a change.
          ...(typeof attributes.password === 'string' && {
            password: {
              current: attributes['old-password'] ?? undefined,
              next: attributes.password,
              fields: { current: { attribute: 'old-password' }, next: { attribute: 'password' } },
            },
          }),
        },
        config,
      );
      if (user.email !== before.email) {
        await announceEmailChange(db, mailer, user, before.email, await siteIdentity(db, { frontendUrl: config.publicUrl }));
      }
      return userDocument(db, user);
    },
  );

  app.delete(
    '/v1/users/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Delete an account (yourself, or anyone for admins); its tokens stop working',
        tags: ['users'],
        params: Type.Object({ id: IdString }),
        response: { 200: DeletedResponse, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await deleteUser(db, requireUser(request), Number(request.params.id));
      return deletedDocument();
    },
  );
}
