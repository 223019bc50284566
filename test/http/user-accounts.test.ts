// The `user` type as OES (app/api/schema/users.py) and its web client's user model have it: every
// attribute stored and returned, written where OES allows (admin flags by admins only), the computed
// is-user-* roles, soft DELETE by the account itself or an admin, blocking; new accounts verified at
// once while REQUIRE_EMAIL_VERIFICATION is off (the default).
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { createEvent, createPublishedEvent, signUpAdmin } from '../support/schedule.ts';
import { createOrder, createTicket } from '../support/tickets.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

/** Every attribute of open-event-frontend's app/models/user.js, dasherized as the client sends and reads them. */
const CLIENT_USER_ATTRIBUTES = [
  'email', 'is-verified', 'is-super-admin', 'is-blocked', 'is-profile-public', 'is-admin', 'is-user-owner',
  'is-user-organizer', 'is-user-coorganizer', 'is-user-track-organizer', 'is-user-moderator', 'is-user-registrar',
  'is-sales-admin', 'is-marketer', 'was-registered-with-order', 'first-name', 'last-name', 'public-name', 'details',
  'contact', 'language-prefrence', 'avatar-url', 'icon-image-url', 'small-image-url', 'thumbnail-image-url',
  'original-image-url', 'facebook-url', 'instagram-url', 'twitter-url', 'google-plus-url', 'facebook-id',
  'created-at', 'deleted-at', 'last-accessed-at', 'billing-contact-name', 'billing-phone', 'billing-country',
  'company', 'billing-address', 'billing-city', 'billing-zip-code', 'billing-tax-info', 'billing-additional-info',
  'billing-state', 'is-rocket-chat-registered',
];

const PROFILE = {
  'first-name': 'Ada',
  'last-name': 'Lovelace',
  'public-name': 'ada',
  details: 'Writes programs for engines that do not exist yet.',
  contact: '+44 20 0000 0000',
  'language-prefrence': 'en',
  'avatar-url': 'https://img.example.org/ada.png',
  'facebook-url': 'https://facebook.com/ada',
  'twitter-url': 'https://twitter.com/ada',
  'instagram-url': 'https://instagram.com/ada',
  'google-plus-url': 'https://plus.google.com/ada',
  'billing-contact-name': 'Ada Lovelace',
  'billing-phone': '+44 20 0000 0001',
  'billing-state': 'London',
  'billing-country': 'GB',
  'billing-tax-info': 'GB123',
  company: 'Analytical Engines Ltd',
  'billing-address': '12 St James Square',
  'billing-city': 'London',
  'billing-zip-code': 'SW1Y 4JH',
  'billing-additional-info': 'Ring twice',
  'is-profile-public': true,
};

const patchUser = (id: number | string, token: string, attributes: Record<string, unknown>) =>
  t.request({ method: 'PATCH', url: `/v1/users/${id}`, token, json: { data: { type: 'user', id: String(id), attributes } } });
const login = (email: string, password: string) =>
  t.request({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email, password }) });

describe('the user resource', () => {
  it('has every attribute of the client\'s user model, and a new account is verified (REQUIRE_EMAIL_VERIFICATION off)', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/users',
      // What the client's sign-up form posts (the signup-login journey).
      json: { data: { type: 'user', attributes: { email: 'model@example.org', password: 'a good password', 'was-registered-with-order': false } } },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body.data.attributes).sort()).toEqual([...CLIENT_USER_ATTRIBUTES].sort());
    expect(created.body.data.attributes).toMatchObject({
      'is-verified': true,
      'is-super-admin': false,
      'is-blocked': false,
      'is-sales-admin': false,
      'is-marketer': false,
      'was-registered-with-order': false,
      'is-user-organizer': false,
      'deleted-at': null,
    });
    const signedIn = await login('model@example.org', 'a good password');
    const me = await t.request({ method: 'GET', url: '/v1/users/me', token: signedIn.body.access_token });
    expect(me.body.data.attributes['last-accessed-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('stores and returns the profile a person writes, and takes back what the client sends on save', async () => {
    const user = await signUp(t);
    const patched = await patchUser(user.id, user.token, PROFILE);
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes).toMatchObject(PROFILE);
    // No image resizing here: every size is the avatar itself.
    expect(patched.body.data.attributes['thumbnail-image-url']).toBe(PROFILE['avatar-url']);

    // ember-data sends every attribute back on save, the read-only ones and `password: null` included.
    const read = await t.request({ method: 'GET', url: `/v1/users/${user.id}`, token: user.token });
    const echoed = await patchUser(user.id, user.token, { ...read.body.data.attributes, password: null, details: 'Changed.' });
    expect(echoed.status).toBe(200);
    expect(echoed.body.data.attributes).toMatchObject({ ...PROFILE, details: 'Changed.' });
  });

  it('refuses a link that is not http(s) with 422 naming the attribute', async () => {
    const user = await signUp(t);
    const response = await patchUser(user.id, user.token, { 'twitter-url': 'javascript:alert(1)' });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].source).toEqual({ pointer: '/data/attributes/twitter-url' });
  });

  it('computes is-user-owner from the events the user has a role on', async () => {
    const user = await signUp(t);
    await createEvent(t, user.token);
    const me = await t.request({ method: 'GET', url: '/v1/users/me', token: user.token });
    expect(me.body.data.attributes).toMatchObject({ 'is-user-owner': true, 'is-user-registrar': false });
  });
});

describe('admin flags', () => {
  it('are refused (403) when anyone but an admin changes them, and ignored when sent back unchanged', async () => {
    const user = await signUp(t);
    for (const flag of ['is-verified', 'is-blocked', 'is-sales-admin', 'is-marketer']) {
      const current = flag === 'is-verified';
      const refused = await patchUser(user.id, user.token, { [flag]: !current });
      expect(refused.status, flag).toBe(403);
      expect(refused.body.errors[0].source).toEqual({ pointer: `/data/attributes/${flag}` });
      expect((await patchUser(user.id, user.token, { [flag]: current })).status, flag).toBe(200);
    }
  });

  it('are set by admins; is-admin and is-super-admin stay read-only', async () => {
    const admin = await signUpAdmin(t);
    const user = await signUp(t);
    const patched = await patchUser(user.id, admin.token, { 'is-sales-admin': true, 'is-marketer': 'true', 'is-admin': true, 'is-super-admin': true });
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes).toMatchObject({ 'is-sales-admin': true, 'is-marketer': true, 'is-admin': false, 'is-super-admin': false });
    const me = await t.request({ method: 'GET', url: '/v1/users/me', token: admin.token });
    // Admins made by `openevent create-admin` are OES's super admins.
    expect(me.body.data.attributes).toMatchObject({ 'is-admin': true, 'is-super-admin': true });
  });

  it('filter the admins\' user list, as OES\'s admin pages ask', async () => {
    const admin = await signUpAdmin(t);
    const marketer = await signUp(t);
    await patchUser(marketer.id, admin.token, { 'is-marketer': true });
    const filter = encodeURIComponent(JSON.stringify([{ name: 'is-marketer', op: 'eq', val: true }]));
    const list = await t.request({ method: 'GET', url: `/v1/users?filter=${filter}&page[size]=100`, token: admin.token });
    expect(list.status).toBe(200);
    const ids = list.body.data.map((user: { id: string }) => user.id);
    expect(ids).toContain(String(marketer.id));
    expect(ids).not.toContain(String(admin.id));
  });

  it('is-blocked: a blocked account can neither sign in nor use its tokens', async () => {
    const admin = await signUpAdmin(t);
    const user = await signUp(t);
    expect((await patchUser(user.id, admin.token, { 'is-blocked': true })).status).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v1/users/me', token: user.token })).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await patchUser(user.id, admin.token, { 'is-blocked': false })).status).toBe(200);
    expect((await login(user.email, user.password)).status).toBe(200);
  });
});

describe('DELETE /v1/users/{id}', () => {
  it('deletes your own account softly: OES\'s answer, its tokens end, and its email is free again', async () => {
    const user = await signUp(t);
    const response = await t.request({ method: 'DELETE', url: `/v1/users/${user.id}`, token: user.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    expect((await t.request({ method: 'GET', url: '/v1/users/me', token: user.token })).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    const again = await t.request({
      method: 'POST',
      url: '/v1/users',
      json: { data: { type: 'user', attributes: { email: user.email, password: 'a new account' } } },
    });
    expect(again.status).toBe(201);
  });

  it('lets admins delete others, and nobody else (404: others do not exist for you)', async () => {
    const admin = await signUpAdmin(t);
    const alice = await signUp(t);
    const bob = await signUp(t);
    expect((await t.request({ method: 'DELETE', url: `/v1/users/${bob.id}`, token: alice.token })).status).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/users/${bob.id}`, token: admin.token })).status).toBe(200);
    expect((await t.request({ method: 'GET', url: `/v1/users/${bob.id}`, token: admin.token })).status).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/users/${admin.id}`, token: alice.token })).status).toBe(404);
  });

  it('refuses (403) to delete someone on an event\'s team, as OES', async () => {
    const organizer = await signUp(t);
    await createEvent(t, organizer.token);
    const response = await t.request({ method: 'DELETE', url: `/v1/users/${organizer.id}`, token: organizer.token });
    expect(response.status).toBe(403);
    expect(response.body.errors[0].detail).toBe('Users associated with events cannot be deleted');
    expect((await t.request({ method: 'GET', url: '/v1/users/me', token: organizer.token })).status).toBe(200);
  });

  it('refuses (403) to delete a buyer holding an order for an event not yet over, as OES', async () => {
    const organizer = await signUp(t);
    const event = await createPublishedEvent(t, organizer.token, { 'starts-at': '2031-03-10T09:00:00Z', 'ends-at': '2031-03-11T18:00:00Z' });
    const ticket = await createTicket(t, organizer.token, event);
    const buyer = await signUp(t);
    await createOrder(t, buyer.token, [{ ticket, quantity: 1 }]);
    const response = await t.request({ method: 'DELETE', url: `/v1/users/${buyer.id}`, token: buyer.token });
    expect(response.status).toBe(403);
    expect(response.body.errors[0].detail).toBe('Users associated with orders cannot be deleted');
  });
});
