// Email verification and password reset as OES, with mail delivered over SMTP to a server in this
// process: the link in each mail is followed the way OES's web client does (its /verify and
// /reset-password pages post the token back), and then the person signs in.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { signUpAdmin } from '../support/schedule.ts';
import { startInbox, linkIn, type Inbox } from '../support/smtp.ts';

let t: TestApp;
let inbox: Inbox;
// Each request comes from its own address (behind a trusted proxy), so the one-a-minute limit per
// address of these mails holds only where a test means it to.
let addressCounter = 0;
const newAddress = () => `203.0.113.${++addressCounter}`;

beforeAll(async () => {
  inbox = await startInbox();
  t = await startTestApp({ env: { SMTP_URL: inbox.url, REQUIRE_EMAIL_VERIFICATION: 'true', TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});

const freshEmail = () => `person-${randomBytes(4).toString('hex')}@example.org`;
const PASSWORD = 'correct horse battery';

function post(url: string, json: unknown, from = newAddress()) {
  return t.request({ method: 'POST', url, json, headers: { 'content-type': 'application/json', 'x-forwarded-for': from } });
}

async function register(email: string) {
  const response = await t.request({
    method: 'POST',
    url: '/v1/users',
    headers: { 'x-forwarded-for': newAddress() },
    json: { data: { type: 'user', attributes: { email, password: PASSWORD, 'was-registered-with-order': false } } },
  });
  expect(response.status).toBe(201);
  return response;
}

const login = (email: string, password: string) => post('/v1/auth/login', { email, password });

describe('email verification (REQUIRE_EMAIL_VERIFICATION on)', () => {
  it('mails a link to the client\'s /verify page; following it verifies the account, once', async () => {
    const email = freshEmail();
    const registered = await register(email);
    expect(registered.body.data.attributes['is-verified']).toBe(false);

    const mail = await inbox.waitFor(email, /Confirm your email/);
    // frontend-url defaults to PUBLIC_URL; the client's route is /verify?token=…
    const link = linkIn(mail, 'https://events.example.org/verify?token=');
    const token = link.searchParams.get('token')!;

    // An unverified account signs in, but cannot order (OES's client shows "functionality is limited").
    const signedIn = await login(email, PASSWORD);
    expect(signedIn.status).toBe(200);
    const order = await t.request({
      method: 'POST',
      url: '/v1/orders/create-order',
      token: signedIn.body.access_token,
      json: { tickets: [{ id: 1, quantity: 1 }] },
    });
    expect(order.status).toBe(403);
    expect(order.body.errors[0].detail).toMatch(/verify your email/i);

    // What the client's /verify page posts (OES Blueprint: Verify Email).
    const verified = await post('/v1/auth/verify-email', { data: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ message: 'Email Verified' });
    const me = await t.request({ method: 'GET', url: '/v1/users/me', token: signedIn.body.access_token });
    expect(me.body.data.attributes['is-verified']).toBe(true);

    const again = await post('/v1/auth/verify-email', { data: { token } });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].detail).toBe('Invalid Token');
  });

  it('refuses a made-up token with 400, and a sign-up that claims to be verified with 422', async () => {
    const bogus = await post('/v1/auth/verify-email', { data: { token: randomBytes(32).toString('base64url') } });
    expect(bogus.status).toBe(400);
    const claimed = await t.request({
      method: 'POST',
      url: '/v1/users',
      json: { data: { type: 'user', attributes: { email: freshEmail(), password: PASSWORD, 'is-verified': true } } },
    });
    expect(claimed.status).toBe(422);
    expect(claimed.body.errors[0].source).toEqual({ pointer: '/data/attributes/is-verified' });
  });

  it('resends a new link that works (OES Blueprint: Resend Email Verification), and answers an unknown email alike', async () => {
    const email = freshEmail();
    await register(email);
    await inbox.waitFor(email, /Confirm your email/);
    const before = inbox.received.length;

    const resent = await post('/v1/auth/resend-verification-email', { data: { email } });
    expect(resent.status).toBe(200);
    expect(resent.body).toEqual({ message: 'Verification email resent' });
    const unknown = await post('/v1/auth/resend-verification-email', { data: { email: freshEmail() } });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual(resent.body);

    await expect.poll(() => inbox.received.length).toBe(before + 1);
    const second = inbox.received.at(-1)!;
    expect(second.to).toEqual([email]);
    const token = linkIn(second, 'https://events.example.org/verify?token=').searchParams.get('token')!;
    expect((await post('/v1/auth/verify-email', { data: { token } })).status).toBe(200);
  });

  it('links to frontend-url when an admin sets it', async () => {
    const admin = await signUpAdmin(t);
    const set = await t.request({
      method: 'PATCH',
      url: '/v1/settings/1',
      token: admin.token,
      json: { data: { type: 'setting', id: '1', attributes: { 'frontend-url': 'https://app.example.net/' } } },
    });
    expect(set.status).toBe(200);
    try {
      const email = freshEmail();
      await register(email);
      const mail = await inbox.waitFor(email, /Confirm your email/);
      expect(linkIn(mail, 'https://app.example.net/verify?token=').searchParams.get('token')).toBeTruthy();
    } finally {
      await t.request({
        method: 'PATCH',
        url: '/v1/settings/1',
        token: admin.token,
        json: { data: { type: 'setting', id: '1', attributes: { 'frontend-url': null } } },
      });
    }
  });
});

describe('password reset', () => {
  it('mails a link to the client\'s /reset-password page; its token sets a new password, ends old tokens, and works once', async () => {
    const user = await signUp(t);
    const requested = await post('/v1/auth/reset-password', { data: { email: user.email } });
    expect(requested.status).toBe(200);
    expect(requested.body).toEqual({
      message: "If your email was registered with us, you'll get an email with reset link shortly",
      email: user.email,
    });

    const mail = await inbox.waitFor(user.email, /Reset your password/);
    const token = linkIn(mail, 'https://events.example.org/reset-password?token=').searchParams.get('token')!;

    // The client's reset form: PATCH auth/reset-password {data: {token, password}}.
    const tooShort = await t.request({ method: 'PATCH', url: '/v1/auth/reset-password', json: { data: { token, password: 'short' } } });
    expect(tooShort.status).toBe(422);
    const reset = await t.request({ method: 'PATCH', url: '/v1/auth/reset-password', json: { data: { token, password: 'a brand new password' } } });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ id: user.id, email: user.email, name: null });

    expect((await t.request({ method: 'GET', url: '/v1/users/me', token: user.token })).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await login(user.email, 'a brand new password')).status).toBe(200);

    const reused = await t.request({ method: 'PATCH', url: '/v1/auth/reset-password', json: { data: { token, password: 'yet another password' } } });
    expect(reused.status).toBe(404);
    expect((await login(user.email, 'yet another password')).status).toBe(401);
  });

  it('answers an unknown email exactly as a known one, and mails nothing', async () => {
    const before = inbox.received.length;
    const email = freshEmail();
    const response = await post('/v1/auth/reset-password', { data: { email } });
    expect(response.status).toBe(200);
    expect(response.body.message).toBe("If your email was registered with us, you'll get an email with reset link shortly");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inbox.received.slice(before).some((mail) => mail.to.includes(email))).toBe(false);
  });

  it('is throttled: once a minute from one address, three an hour for one email', async () => {
    const user = await signUp(t);
    const address = newAddress();
    expect((await post('/v1/auth/reset-password', { data: { email: user.email } }, address)).status).toBe(200);
    const sameAddress = await post('/v1/auth/reset-password', { data: { email: freshEmail() } }, address);
    expect(sameAddress.status).toBe(429);
    expect(Number(sameAddress.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post('/v1/auth/reset-password', { data: { email: user.email } })).status).toBe(200);
    expect((await post('/v1/auth/reset-password', { data: { email: user.email } })).status).toBe(200);
    expect((await post('/v1/auth/reset-password', { data: { email: user.email } })).status).toBe(429);
  });

  it('refuses a token that was never mailed with 404', async () => {
    const response = await t.request({
      method: 'PATCH',
      url: '/v1/auth/reset-password',
      json: { data: { token: randomBytes(32).toString('base64url'), password: 'a brand new password' } },
    });
    expect(response.status).toBe(404);
  });
});

describe('changing the email (PATCH /v1/users/{id} email)', () => {
  it('needs a fresh sign-in, tells the old address, and has the new one confirmed through its link', async () => {
    const user = await signUp(t);
    const remembered = await post('/v1/auth/login', { email: user.email, password: user.password, 'remember-me': true, 'include-in-response': true });
    const renewed = (await post('/v1/auth/token/refresh', { refresh_token: remembered.body.refresh_token })).body.access_token;
    const next = freshEmail();
    const patch = (token: string) =>
      t.request({ method: 'PATCH', url: `/v1/users/${user.id}`, token, json: { data: { type: 'user', id: String(user.id), attributes: { email: next } } } });

    // A token renewed by a refresh token is not enough (OES: a fresh token is required).
    expect((await patch(renewed)).status).toBe(401);

    const changed = await patch(user.token);
    expect(changed.status).toBe(200);
    expect(changed.body.data.attributes).toMatchObject({ email: next, 'is-verified': false });

    const notice = await inbox.waitFor(user.email, /email on .* was changed/);
    expect(notice.text).toContain(next);
    const link = linkIn(await inbox.waitFor(next, /Confirm your email/), 'https://events.example.org/verify?token=');
    expect((await post('/v1/auth/verify-email', { data: { token: link.searchParams.get('token') } })).status).toBe(200);

    expect((await login(user.email, user.password)).status).toBe(401);
    const signedIn = await login(next, user.password);
    expect(signedIn.status).toBe(200);
    const me = await t.request({ method: 'GET', url: '/v1/users/me', token: signedIn.body.access_token });
    expect(me.body.data.attributes).toMatchObject({ email: next, 'is-verified': true });
  });

  it('refuses an address another account has with 409', async () => {
    const user = await signUp(t);
    const other = await signUp(t);
    const response = await t.request({
      method: 'PATCH',
      url: `/v1/users/${user.id}`,
      token: user.token,
      json: { data: { type: 'user', id: String(user.id), attributes: { email: other.email.toUpperCase() } } },
    });
    expect(response.status).toBe(409);
    expect(response.body.errors[0].source).toEqual({ pointer: '/data/attributes/email' });
  });
});
