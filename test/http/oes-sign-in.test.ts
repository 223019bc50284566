// Signing in as OES's web client and its mobile clients do (OES Blueprint: Authentication): the
// client's /auth/session with `username`, remember-me with the refresh token in the body or as a
// cookie, token refresh, logout ending the whole sign-in, verify-password.
import { describe, expect, it, beforeAll } from 'vitest';
import { decodeJwt } from 'jose';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

const json = { 'content-type': 'application/json' };
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  t.request({ method: 'POST', url, payload: JSON.stringify(body), headers: { ...json, ...headers } });
const me = (token: string) => t.request({ method: 'GET', url: '/v1/users/me', token });

function cookiesOf(response: { headers: Record<string, unknown> }): string[] {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
}
const cookieValue = (cookies: string[], name: string) => cookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0]!.slice(name.length + 1);

describe('POST /auth/session and /v1/auth/login', () => {
  it('take the web client\'s {"username","password"} at /auth/session and answer {"access_token"} with identity and exp', async () => {
    const user = await signUp(t);
    const response = await post('/auth/session', { username: user.email, password: user.password, 'remember-me': false, 'include-in-response': false });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(response.body)).toEqual(['access_token']);
    const claims = decodeJwt(response.body.access_token);
    expect(claims.identity).toBe(user.id);
    expect(claims.type).toBe('access');
    // Without remember-me an access token lasts a day, as OES's.
    expect(claims.exp! - claims.iat!).toBe(24 * 60 * 60);
    expect(cookiesOf(response)).toEqual([]);
    expect((await me(response.body.access_token)).body.data.id).toBe(String(user.id));
  });

  it('answer a missing email or password with 400 and wrong credentials with 401', async () => {
    const user = await signUp(t);
    expect((await post('/v1/auth/login', { password: user.password })).status).toBe(400);
    expect((await post('/auth/session', { username: user.email, password: '' })).status).toBe(400);
    expect((await post('/auth/session', { username: user.email, password: 'wrong password' })).status).toBe(401);
  });

  it('count /auth/session attempts against the same login limit as /v1/auth/login', async () => {
    const user = await signUp(t);
    const statuses = [];
    for (let i = 0; i < t.config.loginRateLimit; i++) {
      const url = i % 2 ? '/auth/session' : '/v1/auth/login';
      statuses.push((await post(url, { email: user.email, password: 'wrong password' })).status);
    }
    // signUp's own login counted as the first attempt.
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('with remember-me and include-in-response return a refresh token in the body (Blueprint: remember me for mobile)', async () => {
    const user = await signUp(t);
    const response = await post('/v1/auth/login', { email: user.email, password: user.password, 'remember-me': true, 'include-in-response': true });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['access_token', 'refresh_token']);
    expect(cookiesOf(response)).toEqual([]);
    const access = decodeJwt(response.body.access_token);
    // A remembered sign-in's access token is short (OES: 90 minutes); the refresh token renews it.
    expect(access.exp! - access.iat!).toBe(90 * 60);
    expect(decodeJwt(response.body.refresh_token)).toMatchObject({ identity: user.id, type: 'refresh' });
    // A refresh token is not an access token.
    expect((await me(response.body.refresh_token)).status).toBe(401);
  });

  it('with remember-me alone set the refresh token as an HttpOnly, Secure, SameSite cookie beside a readable CSRF cookie', async () => {
    const user = await signUp(t);
    const response = await post('/auth/session', { username: user.email, password: user.password, 'remember-me': true });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['access_token']);
    const cookies = cookiesOf(response);
    const refresh = cookies.find((c) => c.startsWith('refresh_token_cookie='))!;
    const csrf = cookies.find((c) => c.startsWith('csrf_refresh_token='))!;
    // PUBLIC_URL is https in the tests: the cookie never travels in clear.
    expect(refresh).toMatch(/; HttpOnly/);
    expect(refresh).toMatch(/; Secure/);
    expect(refresh).toMatch(/; SameSite=Strict/);
    expect(refresh).toMatch(/; Path=\/v1\/auth/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; Secure/);
  });

  it('over a plain-http PUBLIC_URL set the cookie without Secure, so a local setup works', async () => {
    const local = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1:8080' } });
    const user = await signUp(local);
    const response = await local.request({
      method: 'POST',
      url: '/auth/session',
      headers: json,
      payload: JSON.stringify({ username: user.email, password: user.password, 'remember-me': true }),
    });
    const refresh = cookiesOf(response).find((c) => c.startsWith('refresh_token_cookie='))!;
    expect(refresh).toMatch(/HttpOnly/);
    expect(refresh).not.toMatch(/Secure/);
    await local.close();
  });
});

describe('POST /v1/auth/token/refresh', () => {
  async function remembered(includeInResponse: boolean) {
    const user = await signUp(t);
    const response = await post('/v1/auth/login', { email: user.email, password: user.password, 'remember-me': true, 'include-in-response': includeInResponse });
    return { user, response, cookies: cookiesOf(response) };
  }

  it('renews the access token from the refresh token in Authorization (Blueprint: refresh for mobile, and how the web client sends it)', async () => {
    const { user, response } = await remembered(true);
    const refreshed = await post('/v1/auth/token/refresh', { refresh_token: response.body.refresh_token }, { authorization: `JWT ${response.body.refresh_token}` });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(['access_token']);
    expect(decodeJwt(refreshed.body.access_token)).toMatchObject({ identity: user.id, type: 'access' });
    expect((await me(refreshed.body.access_token)).status).toBe(200);
  });

  it('renews from the refresh token in the body alone', async () => {
    const { response } = await remembered(true);
    const refreshed = await post('/v1/auth/token/refresh', { refresh_token: response.body.refresh_token });
    expect(refreshed.status).toBe(200);
  });

  it('renews from the cookie only with the matching X-CSRF-Token (Blueprint: refresh for web)', async () => {
    const { cookies } = await remembered(false);
    const cookie = `refresh_token_cookie=${cookieValue(cookies, 'refresh_token_cookie')}`;
    const csrf = cookieValue(cookies, 'csrf_refresh_token')!;
    const withoutCsrf = await t.request({ method: 'POST', url: '/v1/auth/token/refresh', headers: { cookie } });
    expect(withoutCsrf.status).toBe(401);
    const wrongCsrf = await t.request({ method: 'POST', url: '/v1/auth/token/refresh', headers: { cookie, 'x-csrf-token': 'not-it' } });
    expect(wrongCsrf.status).toBe(401);
    const refreshed = await t.request({ method: 'POST', url: '/v1/auth/token/refresh', headers: { cookie, 'x-csrf-token': csrf } });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.access_token)).status).toBe(200);
  });

  it('refuses an access token, and nothing at all, with 401', async () => {
    const user = await signUp(t);
    expect((await post('/v1/auth/token/refresh', {}, { authorization: `JWT ${user.token}` })).status).toBe(401);
    expect((await t.request({ method: 'POST', url: '/v1/auth/token/refresh' })).status).toBe(401);
  });

  it('lets the browser preflight X-CSRF-Token from an allowed origin, with credentials', async () => {
    const cors = await startTestApp({ env: { CORS_ORIGINS: 'http://127.0.0.1:4200' } });
    const preflight = await cors.request({
      method: 'OPTIONS',
      url: '/v1/auth/token/refresh',
      headers: {
        origin: 'http://127.0.0.1:4200',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-csrf-token',
      },
    });
    expect(preflight.status).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/x-csrf-token/i);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    await cors.close();
  });
});

describe('the end of a remembered sign-in', () => {
  it('logout ends the access token, the refresh token, and every access token renewed from it; and clears the cookies', async () => {
    const user = await signUp(t);
    const login = await post('/v1/auth/login', { email: user.email, password: user.password, 'remember-me': true, 'include-in-response': true });
    const refresh = login.body.refresh_token;
    const renewed = (await post('/v1/auth/token/refresh', { refresh_token: refresh })).body.access_token;

    const logout = await t.request({ method: 'POST', url: '/v1/auth/logout', token: login.body.access_token });
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ success: true });
    expect((await me(login.body.access_token)).status).toBe(401);
    expect((await me(renewed)).status).toBe(401);
    expect((await post('/v1/auth/token/refresh', { refresh_token: refresh })).status).toBe(401);
    // The account itself is fine: the other sign-in still works.
    expect((await me(user.token)).status).toBe(200);
  });

  it('logout with the refresh cookie ends that refresh token and clears both cookies', async () => {
    const user = await signUp(t);
    const login = await post('/v1/auth/login', { email: user.email, password: user.password, 'remember-me': true });
    const cookies = cookiesOf(login);
    const cookie = `refresh_token_cookie=${cookieValue(cookies, 'refresh_token_cookie')}`;
    const csrf = cookieValue(cookies, 'csrf_refresh_token')!;
    const logout = await t.request({ method: 'POST', url: '/v1/auth/logout', token: user.token, headers: { cookie } });
    expect(logout.status).toBe(200);
    const cleared = cookiesOf(logout);
    expect(cleared.find((c) => c.startsWith('refresh_token_cookie='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(cleared.find((c) => c.startsWith('csrf_refresh_token='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    const refreshed = await t.request({ method: 'POST', url: '/v1/auth/token/refresh', headers: { cookie, 'x-csrf-token': csrf } });
    expect(refreshed.status).toBe(401);
  });

  it('a password change ends the refresh token', async () => {
    const user = await signUp(t);
    const login = await post('/v1/auth/login', { email: user.email, password: user.password, 'remember-me': true, 'include-in-response': true });
    const changed = await post(
      '/v1/auth/change-password',
      { data: { 'old-password': user.password, 'new-password': 'a different password' } },
      { authorization: `JWT ${user.token}` },
    );
    expect(changed.status).toBe(200);
    expect((await post('/v1/auth/token/refresh', { refresh_token: login.body.refresh_token })).status).toBe(401);
  });
});

describe('POST /v1/auth/verify-password', () => {
  it('says whether the password is the signed-in user\'s (Blueprint body)', async () => {
    const user = await signUp(t);
    const right = await post('/v1/auth/verify-password', { password: user.password }, { authorization: `JWT ${user.token}` });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ result: true });
    const wrong = await post('/v1/auth/verify-password', { password: 'not the password' }, { authorization: `JWT ${user.token}` });
    expect(wrong.body).toEqual({ result: false });
    expect((await post('/v1/auth/verify-password', { password: user.password })).status).toBe(401);
  });
});
