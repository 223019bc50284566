// OES's sign-in routes, plain JSON as OES answers them:
//   POST /auth/session and POST /v1/auth/login {"email" or "username", "password", "remember-me",
//     "include-in-response"} → {"access_token"} (+ "refresh_token" with remember-me and
//     include-in-response; with remember-me alone it comes as an HttpOnly cookie, refresh-cookie.ts)
//   POST /v1/auth/token/refresh (the refresh token as `Authorization: JWT <refresh token>`, as
//     `refresh_token` in the body, or as the cookie with X-CSRF-Token) → {"access_token"}
//   POST /v1/auth/fresh-login {"email","password"} of the signed-in user → {"access_token"}, a fresh one
//   POST /v1/auth/blacklist → {"success": true}; every token of the account issued before stops working
//   POST /v1/auth/logout → {"success": true}; the token sent with it, and its sign-in's refresh token, stop working
//   POST /v1/auth/verify-password {"password"} → {"result": true|false}
//   POST /v1/auth/change-password {"data": {"old-password","new-password"}} → the user, "password-changed"
// Login attempts are limited per address and email and per account (domain/users.ts), on both paths.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { changePassword, checkPassword } from '../domain/users.ts';
import { endEveryToken, freshLogIn, logIn, logOut, refreshAccess } from '../domain/sessions.ts';
import type { RefreshToken } from '../auth/tokens.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { badRequest, unauthorized } from './jsonapi/errors.ts';
import { requireUser, tokenOfHeader } from './auth.ts';
import { clearRefreshCookies, refreshCookieOf, setRefreshCookies, CSRF_COOKIE } from './refresh-cookie.ts';
import type { AppContext } from './context.ts';

const Password = Type.String({ maxLength: 1000 });
const Identification = Type.String({ maxLength: 254 });

const LoginBody = Type.Object(
  {
    email: Type.Optional(Identification),
    username: Type.Optional(Identification),
    password: Password,
    'remember-me': Type.Optional(Type.Boolean()),
    'include-in-response': Type.Optional(Type.Boolean()),
    remember_me: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Tokens = Type.Object({ access_token: Type.String(), refresh_token: Type.Optional(Type.String()) });

export async function loginRoutes(parent: FastifyInstance, { db, tokens, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  for (const url of ['/auth/session', '/v1/auth/login']) {
    app.post(
      url,
      {
        config: { plainJson: true },
        schema: {
          summary: 'Exchange email (or username) and password for an access token; with remember-me also a refresh token',
          tags: ['auth'],
          body: LoginBody,
          response: { 200: Tokens, '4xx': ErrorDocument },
        },
      },
      async (request, reply) => {
        const body = request.body;
        // OES takes `email`, and `username` as its web client sends it.
        const email = body.email || body.username;
        if (!email || !body.password) throw badRequest('username or password missing');
        const rememberMe = body['remember-me'] ?? body.remember_me ?? false;
        const signIn = await logIn(db, tokens, { email, password: body.password, address: request.ip, rememberMe }, config);
        if (!signIn.refreshToken) return { access_token: signIn.accessToken };
        if (body['include-in-response']) return { access_token: signIn.accessToken, refresh_token: signIn.refreshToken.token };
        setRefreshCookies(reply, config, signIn.refreshToken);
        return { access_token: signIn.accessToken };
      },
    );
  }

  /**
   * The refresh token of a request: in Authorization (OES's mobile way, and how its web client sends
   * it), in the body (ember-simple-auth-token's `refresh_token`), or as the cookie, which counts only
   * with the matching X-CSRF-Token.
   */
  async function refreshTokenOf(request: FastifyRequest): Promise<RefreshToken | null> {
    const fromHeader = tokenOfHeader(request.headers.authorization);
    const body = request.body as { refresh_token?: unknown } | null | undefined;
    const fromBody = typeof body?.refresh_token === 'string' ? body.refresh_token : null;
    const given = fromHeader ?? fromBody;
    if (given) return tokens.verifyRefresh(given);
    const cookie = refreshCookieOf(request);
    if (!cookie) return null;
    const claims = await tokens.verifyRefresh(cookie);
    const csrf = request.headers['x-csrf-token'];
    if (!claims || typeof csrf !== 'string' || csrf !== claims.csrf) return null;
    return claims;
  }

  app.post(
    '/v1/auth/token/refresh',
    {
      config: { plainJson: true, ownAuthorization: true },
      schema: {
        summary: 'A new access token for a refresh token (remember-me)',
        tags: ['auth'],
        response: { 200: Tokens, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const refresh = await refreshTokenOf(request);
      if (!refresh) throw unauthorized('Send a valid refresh token (Authorization: JWT <refresh token>, or the cookie with X-CSRF-Token)');
      return { access_token: await refreshAccess(db, tokens, refresh) };
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: 'End the access token sent with this request, and the refresh token of its sign-in',
        tags: ['auth'],
        response: { 200: Type.Object({ success: Type.Boolean() }), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const cookie = refreshCookieOf(request);
      // signedIn: the auth hook has checked the token and kept its claims.
      await logOut(db, request.accessToken!, cookie ? await tokens.verifyRefresh(cookie) : null);
      if (cookie || request.cookies[CSRF_COOKIE]) clearRefreshCookies(reply, config);
      return { success: true };
    },
  );

  app.post(
    '/v1/auth/fresh-login',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: "A fresh access token (as from a password login) for the signed-in user's own credentials",
        tags: ['auth'],
        body: Type.Object({ email: Type.Optional(Identification), username: Type.Optional(Identification), password: Password }),
        response: { 200: Tokens, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const email = request.body.email || request.body.username;
      if (!email || !request.body.password) throw badRequest('username or password missing');
      // signedIn: the auth hook has checked the token and kept its claims.
      const credentials = { email, password: request.body.password, address: request.ip };
      return { access_token: await freshLogIn(db, tokens, request.accessToken!, credentials, config) };
    },
  );

  app.post(
    '/v1/auth/blacklist',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: 'End every token of your account issued before now, this one included (sign out everywhere)',
        tags: ['auth'],
        response: { 200: Type.Object({ success: Type.Boolean() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await endEveryToken(db, requireUser(request).id);
      return { success: true };
    },
  );

  app.post(
    '/v1/auth/verify-password',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: "Check the signed-in user's password",
        tags: ['auth'],
        body: Type.Object({ password: Password }),
        response: { 200: Type.Object({ result: Type.Boolean() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      if (!request.body.password) throw badRequest('user or password missing');
      return { result: await checkPassword(db, requireUser(request), request.body.password, config) };
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
