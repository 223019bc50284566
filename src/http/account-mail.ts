// OES's account mail routes, plain JSON as OES answers them:
//   POST /v1/auth/verify-email {"data":{"token"}} → {"message":"Email Verified"}; a bad token 400 "Invalid Token"
//   POST /v1/auth/resend-verification-email {"data":{"email"}} → {"message":"Verification email resent"}
//   POST /v1/auth/reset-password {"data":{"email"}} → {"message": "If your email was registered…", "email"}
//   PATCH /v1/auth/reset-password {"data":{"token","password"}} → {"id","email","name"}; a bad token 404
// The mails link to the web client's /verify and /reset-password pages under `frontend-url`.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requestPasswordReset, resendVerificationMail, resetPassword, verifyEmail } from '../domain/account-mail.ts';
import { siteIdentity } from '../domain/settings.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { badRequest, notFound } from './jsonapi/errors.ts';
import type { AppContext } from './context.ts';

const Token = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ maxLength: 254 });
const Message = Type.Object({ message: Type.String() });

/** `{"data": {...}}`, the envelope OES's auth routes take. */
const Data = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object({ data: Type.Object(properties) });

export async function accountMailRoutes(parent: FastifyInstance, { db, mailer, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const site = () => siteIdentity(db, { frontendUrl: config.publicUrl });
  const tags = ['auth'];

  app.post(
    '/v1/auth/verify-email',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Confirm an email address with the token mailed to it',
        tags,
        body: Data({ token: Token }),
        response: { 200: Message, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = await verifyEmail(db, request.body.data.token);
      if (!user) throw badRequest('Invalid Token');
      return { message: 'Email Verified' };
    },
  );

  app.post(
    '/v1/auth/resend-verification-email',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Mail a new verification link (the same answer whether or not the address has an unverified account)',
        tags,
        body: Data({ email: Email }),
        response: { 200: Message, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await resendVerificationMail(db, mailer, request.body.data.email, request.ip, await site());
      return { message: 'Verification email resent' };
    },
  );

  app.post(
    '/v1/auth/reset-password',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Mail a password reset link (the same answer whether or not the address has an account)',
        tags,
        body: Data({ email: Email }),
        response: { 200: Type.Object({ message: Type.String(), email: Type.String() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { email } = request.body.data;
      await requestPasswordReset(db, mailer, email, request.ip, await site());
      return { message: "If your email was registered with us, you'll get an email with reset link shortly", email };
    },
  );

  app.patch(
    '/v1/auth/reset-password',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Set a new password with the mailed reset token; every older access token stops working',
        tags,
        body: Data({ token: Token, password: Type.String({ maxLength: 1000 }) }),
        response: {
          200: Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
          '4xx': ErrorDocument,
        },
      },
    },
    async (request) => {
      const { token, password } = request.body.data;
      const user = await resetPassword(db, token, password, config);
      if (!user) throw notFound('User Not Found');
      const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
      return { id: user.id, email: user.email, name: name || null };
    },
  );
}
