// OES's /v1/auth routes, plain JSON as OES answers them:
//   POST /v1/auth/login {"email","password"} → {"access_token": "…"}
//   POST /v1/auth/logout → {"success": true}; the token sent with it stops working
//   POST /v1/auth/change-password {"data": {"old-password","new-password"}} → the user, "password-changed"
// Login attempts are limited per address and email and per account (domain/users.ts).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { changePassword } from '../domain/users.ts';
import { logIn, logOut } from '../domain/sessions.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const Password = Type.String({ maxLength: 1000 });

export async function loginRoutes(parent: FastifyInstance, { db, tokens, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/auth/login',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Exchange email and password for an access token',
        tags: ['auth'],
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), password: Password, remember_me: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ access_token: Type.String() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { email, password } = request.body;
      return { access_token: await logIn(db, tokens, { email, password, address: request.ip }, config) };
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: 'End the access token sent with this request',
        tags: ['auth'],
        response: { 200: Type.Object({ success: Type.Boolean() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      // signedIn: the auth hook has checked the token and kept its claims.
      await logOut(db, request.accessToken!);
      return { success: true };
    },
  );

  app.post(
    '/v1/auth/change-password',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: 'Change your password; every token issued before stops working',
        tags: ['auth'],
        body: Type.Object(
          {
            data: Type.Object({ 'old-password': Password, 'new-password': Password }, { additionalProperties: false }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            email: Type.String(),
            name: Type.Union([Type.String(), Type.Null()]),
            'password-changed': Type.Boolean(),
          }),
          '4xx': ErrorDocument,
        },
      },
    },
    async (request) => {
      const { data } = request.body;
      const user = await changePassword(
        db,
        requireUser(request),
        {
          current: data['old-password'],
          next: data['new-password'],
          fields: { current: { pointer: '/data/old-password' }, next: { pointer: '/data/new-password' } },
        },
        config,
      );
      const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
      return { id: user.id, email: user.email, name: name || null, 'password-changed': true };
    },
  );
}
