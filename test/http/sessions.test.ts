// When an access token stops working: after a password change (PATCH with old-password, or OES's
// change-password), after a logout, and never working without an expiry.
import { describe, expect, it, beforeAll } from 'vitest';
import { SignJWT } from 'jose';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

const me = (token: string) => t.request({ method: 'GET', url: '/v1/users/me', token });
const login = (email: string, password: string) => t.request({ method: 'POST', url: '/v1/auth/login', json: { email, password } });
const patchPassword = (user: { id: number; token: string }, attributes: Record<string, unknown>) =>
  t.request({
    method: 'PATCH',
    url: `/v1/users/${user.id}`,
    token: user.token,
    json: { data: { type: 'user', id: String(user.id), attributes } },
  });
const changePassword = (token: string, data: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/v1/auth/change-password', token, json: { data } });

describe('PATCH /v1/users/{id} with a new password', () => {
  it('refuses it without the current password, and with a wrong one, leaving the password as it was', async () => {
    const user = await signUp(t);
    const without = await patchPassword(user, { password: 'taken over 123' });
    expect(without.status).toBe(422);
    expect(without.body.errors[0].source).toEqual({ pointer: '/data/attributes/old-password' });
    const wrong = await patchPassword(user, { password: 'taken over 123', 'old-password': 'a guess at it' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0]).toMatchObject({ detail: 'The current password is wrong', source: { pointer: '/data/attributes/old-password' } });
    expect((await login(user.email, 'taken over 123')).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(200);
    expect((await me(user.token)).status).toBe(200);
  });

  it('ends every token issued before the change, and new logins work', async () => {
    const user = await signUp(t);
    const second = (await login(user.email, user.password)).body.access_token as string;
    const changed = await patchPassword(user, { password: 'a brand new one', 'old-password': user.password });
    expect(changed.status).toBe(200);
    for (const token of [user.token, second]) {
      const refused = await me(token);
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].detail).toMatch(/log in again/);
    }
    expect((await login(user.email, user.password)).status).toBe(401);
    const fresh = await login(user.email, 'a brand new one');
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.access_token)).status).toBe(200);
  });

  it('leaves tokens alone when only the name changes', async () => {
    const user = await signUp(t);
    expect((await patchPassword(user, { 'first-name': 'Ada' })).status).toBe(200);
    expect((await me(user.token)).status).toBe(200);
  });
});

describe('POST /v1/auth/change-password (OES)', () => {
  it('changes the password for the old one, answers as OES does, and ends older tokens', async () => {
    const user = await signUp(t, { 'first-name': 'Grace', 'last-name': 'Hopper' });
    const response = await changePassword(user.token, { 'old-password': user.password, 'new-password': 'compiler 1952' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ id: user.id, email: user.email, name: 'Grace Hopper', 'password-changed': true });
    expect((await me(user.token)).status).toBe(401);
    expect((await login(user.email, 'compiler 1952')).status).toBe(200);
  });

  it('refuses a wrong old password, an unchanged one, a short one, and anonymous callers', async () => {
    const user = await signUp(t);
    const wrong = await changePassword(user.token, { 'old-password': 'not my password', 'new-password': 'whatever 1234' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].source).toEqual({ pointer: '/data/old-password' });
    const same = await changePassword(user.token, { 'old-password': user.password, 'new-password': user.password });
    expect(same.status).toBe(422);
    expect(same.body.errors[0].source).toEqual({ pointer: '/data/new-password' });
    const short = await changePassword(user.token, { 'old-password': user.password, 'new-password': 'short' });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].source).toEqual({ pointer: '/data/new-password' });
    const anonymous = await t.request({ method: 'POST', url: '/v1/auth/change-password', json: { data: { 'old-password': 'x', 'new-password': 'y' } } });
    expect(anonymous.status).toBe(401);
    // None of these changed anything.
    expect((await me(user.token)).status).toBe(200);
  });
});

describe('POST /v1/auth/logout', () => {
  it('ends the token it was sent with, and only that one', async () => {
    const user = await signUp(t);
    const other = (await login(user.email, user.password)).body.access_token as string;
    const response = await t.request({ method: 'POST', url: '/v1/auth/logout', token: user.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true });
    expect((await me(user.token)).status).toBe(401);
    expect((await t.request({ method: 'POST', url: '/v1/auth/logout', token: user.token })).status).toBe(401);
    expect((await me(other)).status).toBe(200);
  });

  it('needs a token', async () => {
    expect((await t.request({ method: 'POST', url: '/v1/auth/logout' })).status).toBe(401);
  });
});

describe('tokens without an expiry', () => {
  it('are refused, even when signed with our key and carrying every other claim', async () => {
    const user = await signUp(t);
    const key = new TextEncoder().encode(t.config.secretKey);
    const claims = { identity: user.id, ver: 1 };
    const sign = (expires: boolean) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(String(user.id)).setIssuer('openevent').setJti(crypto.randomUUID()).setIssuedAt();
      return (expires ? jwt.setExpirationTime('1h') : jwt).sign(key);
    };
    // The same token with an expiry is good: only the missing `exp` makes the difference.
    expect((await me(await sign(true))).status).toBe(200);
    expect((await me(await sign(false))).status).toBe(401);
  });
});
