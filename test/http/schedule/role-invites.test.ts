// Role invitations (issue 11, item 6; OES's role-invites): the owner and organizers invite an email
// address to a role, and only the person signed in with that address can accept (the role appears)
// or decline. The organizer never sees the invitation's hash, and no answer tells whether an account
// exists for the address.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, type TestApp, type TestResponse } from '../../support/app.ts';
import {
  createEvent,
  expect422,
  get,
  grantRole,
  inviteBody,
  roleBody,
  signUpAdmin,
  type Resource,
  type User,
  quickUser,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let organizer: User;
let admin: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, organizer, admin] = await Promise.all([quickUser(t), quickUser(t), signUpAdmin(t)]);
  ev = await createEvent(t, owner.token, { state: 'published' });
  await grantRole(t, owner.token, ev, organizer.id, 'organizer');
});

const inviteTo = (token: string | undefined, email: string, role: string, event: Resource = ev) =>
  t.request({ method: 'POST', url: '/v1/role-invites', token, json: inviteBody(event, email, role) });

const answer = (token: string | undefined, action: 'accept-invite' | 'decline-invite' | 'user', hash: string, prefix = '/v1/role-invites') =>
  t.request({ method: 'POST', url: `${prefix}/${action}`, token, json: { data: { token: hash } } });

/** The invitee's own view of their pending invitations, where the hash is. */
async function hashOf(invitee: User, inviteId: string): Promise<string> {
  const mine = await get(t, '/v1/users/me/role-invites', invitee.token);
  expect(mine.status, mine.text).toBe(200);
  const found = mine.body.data.find((i: Resource) => i.id === inviteId);
  expect(found, `invite ${inviteId} among ${mine.text}`).toBeDefined();
  return found.attributes.hash;
}

async function rolesOf(event: Resource, userId: number): Promise<string[]> {
  const response = await get(t, `/v1/events/${event.id}/users-events-roles?page[size]=100`, owner.token);
  expect(response.status, response.text).toBe(200);
  return response.body.data
    .filter((r: Resource) => r.relationships!.user!.data.id === String(userId))
    .map((r: Resource) => r.attributes['role-name'])
    .sort();
}

describe('inviting', () => {
  it('answers 201 with the invitation, pending and without its hash', async () => {
    const invitee = await quickUser(t);
    const response = await inviteTo(organizer.token, invitee.email, 'registrar');
    expect(response.status, response.text).toBe(201);
    expect(response.headers.location).toBe(`/v1/role-invites/${response.body.data.id}`);
    expect(response.body.data).toMatchObject({
      type: 'role-invite',
      attributes: { email: invitee.email, 'role-name': 'registrar', status: 'pending' },
      relationships: { event: { links: { related: `/v1/role-invites/${response.body.data.id}/event` } } },
    });
    // The event by link only, as OES gives it: OES's client keys events by identifier.
    expect(response.body.data.relationships.event.data).toBeUndefined();
    expect(response.body.data.attributes).not.toHaveProperty('hash');
    // Nobody is on the team before they accept.
    expect(await rolesOf(ev, invitee.id)).toEqual([]);
    expect((await get(t, `/v1/events/${ev.id}/users-events-roles`, invitee.token)).status).toBe(403);

    for (const token of [owner.token, organizer.token]) {
      const list = await get(t, `/v1/events/${ev.id}/role-invites`, token);
      expect(list.status, list.text).toBe(200);
      const listed = list.body.data.find((i: Resource) => i.id === response.body.data.id);
      expect(listed.attributes).toMatchObject({ email: invitee.email, status: 'pending' });
      expect(listed.attributes).not.toHaveProperty('hash');
      const one = await get(t, `/v1/role-invites/${response.body.data.id}`, token);
      expect(one.status).toBe(200);
      expect(one.body.data.attributes).not.toHaveProperty('hash');
    }
  });

  it('answers the same whether or not an account exists for the address, or already holds the role', async () => {
    const existing = await quickUser(t);
    await grantRole(t, owner.token, ev, existing.id, 'moderator');
    const nobody = `nobody-${Date.now()}@example.org`;
    const shape = (response: TestResponse) => ({
      status: response.status,
      keys: Object.keys(response.body.data.attributes).sort(),
      attributes: { ...response.body.data.attributes, email: undefined, 'created-at': undefined },
      // The linkage (the links carry each invitation's own id).
      relationships: Object.fromEntries(Object.entries(response.body.data.relationships).map(([name, value]: [string, any]) => [name, value.data])),
      headers: Object.keys(response.headers).sort(),
    });
    const forAccount = await inviteTo(organizer.token, existing.email, 'coorganizer');
    const forNobody = await inviteTo(organizer.token, nobody, 'coorganizer');
    const forHolder = await inviteTo(organizer.token, existing.email, 'moderator');
    const forNobodyAsModerator = await inviteTo(organizer.token, nobody, 'moderator');
    expect(shape(forAccount)).toEqual(shape(forNobody));
    expect(shape(forHolder)).toEqual(shape(forNobodyAsModerator));
    // The organizer cannot learn it from a direct grant either: refused alike for any user id.
    const grantExisting = await t.request({ method: 'POST', url: '/v1/users-events-roles', token: organizer.token, json: roleBody(ev, existing.id, 'moderator') });
    const grantNobody = await t.request({ method: 'POST', url: '/v1/users-events-roles', token: organizer.token, json: roleBody(ev, 999999999, 'moderator') });
    expect([grantExisting.status, grantNobody.status]).toEqual([403, 403]);
    expect(grantExisting.body).toEqual(grantNobody.body);
  });

  it('matches the address without regard to case', async () => {
    const invitee = await quickUser(t);
    const response = await inviteTo(owner.token, invitee.email.toUpperCase(), 'moderator');
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.attributes.email).toBe(invitee.email);
    expect((await answer(invitee.token, 'accept-invite', await hashOf(invitee, response.body.data.id))).status).toBe(200);
    expect(await rolesOf(ev, invitee.id)).toEqual(['moderator']);
  });

  it('refuses a second pending invitation to the same address and role (409)', async () => {
    const email = `twice-${Date.now()}@example.org`;
    expect((await inviteTo(owner.token, email, 'moderator')).status).toBe(201);
    const again = await inviteTo(organizer.token, email.toUpperCase(), 'moderator');
    expect(again.status).toBe(409);
    expect(again.body.errors[0].source).toEqual({ pointer: '/data/attributes/email' });
    expect((await inviteTo(owner.token, email, 'registrar')).status).toBe(201);
  });

  it('validates the address, the role name and the event', async () => {
    expect422(await inviteTo(owner.token, 'not an address', 'moderator'), '/data/attributes/email');
    expect422(await inviteTo(owner.token, 'x@example.org', 'attendee'), '/data/attributes/role-name');
    expect422(await inviteTo(owner.token, 'x@example.org', 'Organizer'), '/data/attributes/role-name');
    const noEmail = await t.request({
      method: 'POST',
      url: '/v1/role-invites',
      token: owner.token,
      json: { data: { type: 'role-invite', attributes: { 'role-name': 'moderator' }, relationships: { event: { data: { type: 'event', id: ev.id } } } } },
    });
    expect422(noEmail, '/data/attributes/email');
    const unknownEvent = await t.request({ method: 'POST', url: '/v1/role-invites', token: owner.token, json: inviteBody('999999999', 'x@example.org', 'moderator') });
    expect(unknownEvent.status).toBe(404);
    // OES clients send a `role` relationship as well; it is accepted and the name decides.
    const withRole = await t.request({
      method: 'POST',
      url: '/v1/role-invites',
      token: owner.token,
      json: { data: { ...inviteBody(ev, `role-${Date.now()}@example.org`, 'moderator').data, relationships: { event: { data: { type: 'event', id: ev.id } }, role: { data: { type: 'role', id: '5' } } } } },
    });
    expect(withRole.status, withRole.text).toBe(201);
  });

  it('is for the owner, organizers and admins only', async () => {
    const draft = await createEvent(t, owner.token);
    const [coorganizer, registrar, stranger] = await Promise.all([quickUser(t), quickUser(t), quickUser(t)]);
    await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
    await grantRole(t, owner.token, ev, registrar.id, 'registrar');
    expect((await inviteTo(admin.token, `a-${Date.now()}@example.org`, 'moderator')).status).toBe(201);
    expect((await inviteTo(coorganizer.token, 'c@example.org', 'moderator')).status).toBe(403);
    expect((await inviteTo(registrar.token, 'r@example.org', 'moderator')).status).toBe(403);
    expect((await inviteTo(stranger.token, stranger.email, 'organizer')).status).toBe(403);
    expect((await inviteTo(stranger.token, stranger.email, 'organizer', draft)).status).toBe(404);
    expect((await inviteTo(undefined, 'anon@example.org', 'organizer')).status).toBe(401);
    // Ownership is the owner's (or an admin's) to offer.
    expect((await inviteTo(organizer.token, organizer.email, 'owner')).status).toBe(403);
    expect((await get(t, `/v1/events/${ev.id}/role-invites`, registrar.token)).status).toBe(403);
    expect((await get(t, `/v1/events/${ev.id}/role-invites`, stranger.token)).status).toBe(403);
    expect((await get(t, `/v1/events/${draft.id}/role-invites`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.id}/role-invites`)).status).toBe(401);
  });
});

describe('answering', () => {
  it('the invitee sees the invitation with its hash and accepts it: the role appears', async () => {
    const invitee = await quickUser(t);
    const invited = (await inviteTo(organizer.token, invitee.email, 'track_organizer')).body.data;
    const mine = await get(t, '/v1/users/me/role-invites', invitee.token);
    expect(mine.body.data.map((i: Resource) => i.id)).toEqual([invited.id]);
    const hash = mine.body.data[0].attributes.hash;
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await get(t, `/v1/role-invites/${invited.id}`, invitee.token)).body.data.attributes.hash).toBe(hash);

    // OES's look-up by hash, used by a sign-up or answer page.
    const looked = await answer(undefined, 'user', hash, '/v1/role_invites');
    expect(looked.status, looked.text).toBe(200);
    expect(looked.body).toMatchObject({ email: invitee.email, role: 'track_organizer', event: Number(ev.id), status: 'pending' });

    const accepted = await answer(invitee.token, 'accept-invite', hash);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.headers['content-type']).toMatch(/^application\/json/);
    expect(accepted.body).toMatchObject({
      email: invitee.email,
      event: Number(ev.id),
      event_identifier: ev.attributes.identifier,
      role: 'track_organizer',
      status: 'accepted',
    });
    expect(await rolesOf(ev, invitee.id)).toEqual(['track_organizer']);
    expect((await get(t, `/v1/role-invites/${invited.id}`, organizer.token)).body.data.attributes.status).toBe('accepted');
    expect((await get(t, '/v1/users/me/role-invites', invitee.token)).body.data).toEqual([]);
    // Answered once: no second acceptance, no decline, no withdrawal.
    expect((await answer(invitee.token, 'accept-invite', hash)).status).toBe(409);
    expect((await answer(invitee.token, 'decline-invite', hash)).status).toBe(409);
    expect((await t.request({ method: 'DELETE', url: `/v1/role-invites/${invited.id}`, token: owner.token })).status).toBe(409);
  });

  it('accepts under OES’s path too', async () => {
    const invitee = await quickUser(t);
    const invited = (await inviteTo(owner.token, invitee.email, 'moderator')).body.data;
    expect((await answer(invitee.token, 'accept-invite', await hashOf(invitee, invited.id), '/v1/role_invites')).status).toBe(200);
    expect(await rolesOf(ev, invitee.id)).toEqual(['moderator']);
  });

  it('the invitee declines: no role, and it cannot be accepted afterwards', async () => {
    const invitee = await quickUser(t);
    const invited = (await inviteTo(organizer.token, invitee.email, 'registrar')).body.data;
    const hash = await hashOf(invitee, invited.id);
    const declined = await answer(invitee.token, 'decline-invite', hash);
    expect(declined.status, declined.text).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', role: 'registrar' });
    expect(await rolesOf(ev, invitee.id)).toEqual([]);
    expect((await get(t, `/v1/role-invites/${invited.id}`, organizer.token)).body.data.attributes.status).toBe('declined');
    expect((await answer(invitee.token, 'accept-invite', hash)).status).toBe(409);
    expect(await rolesOf(ev, invitee.id)).toEqual([]);
    // Declining does not block a fresh invitation.
    expect((await inviteTo(organizer.token, invitee.email, 'registrar')).status).toBe(201);
  });

  it('nobody but the invitee can accept or decline, even holding the hash', async () => {
    const invitee = await quickUser(t);
    const other = await quickUser(t);
    const invited = (await inviteTo(organizer.token, invitee.email, 'organizer')).body.data;
    const hash = await hashOf(invitee, invited.id);
    for (const token of [other.token, organizer.token, owner.token, admin.token]) {
      expect((await answer(token, 'accept-invite', hash)).status).toBe(403);
      expect((await answer(token, 'decline-invite', hash)).status).toBe(403);
    }
    expect((await answer(undefined, 'accept-invite', hash)).status).toBe(401);
    expect(await rolesOf(ev, other.id)).toEqual([]);
    expect(await rolesOf(ev, invitee.id)).toEqual([]);
    // The invitee does not see it in anyone else's list, and others cannot read it.
    expect((await get(t, '/v1/users/me/role-invites', other.token)).body.data).toEqual([]);
    expect((await get(t, `/v1/role-invites/${invited.id}`, other.token)).status).toBe(403);
    // Still open for the invitee.
    expect((await answer(invitee.token, 'accept-invite', hash)).status).toBe(200);
    expect(await rolesOf(ev, invitee.id)).toEqual(['organizer']);
  });

  it('a hash that names no invitation is 404', async () => {
    const user = await quickUser(t);
    for (const action of ['accept-invite', 'decline-invite', 'user'] as const) {
      expect((await answer(user.token, action, 'no-such-hash')).status).toBe(404);
    }
    const bad = await t.request({ method: 'POST', url: '/v1/role-invites/accept-invite', token: user.token, json: { data: {} } });
    expect(bad.status).toBe(422);
  });

  it('an invitation to a deleted event is gone', async () => {
    const event = await createEvent(t, owner.token);
    const invitee = await quickUser(t);
    const invited = (await inviteTo(owner.token, invitee.email, 'moderator', event)).body.data;
    const hash = await hashOf(invitee, invited.id);
    expect((await t.request({ method: 'DELETE', url: `/v1/events/${event.id}`, token: owner.token })).status).toBe(200);
    expect((await get(t, '/v1/users/me/role-invites', invitee.token)).body.data).toEqual([]);
    expect((await answer(invitee.token, 'accept-invite', hash)).status).toBe(404);
  });
});

describe('withdrawing', () => {
  it('the owner or an organizer withdraws a pending invitation; its hash then leads nowhere', async () => {
    const invitee = await quickUser(t);
    const invited = (await inviteTo(owner.token, invitee.email, 'moderator')).body.data;
    const hash = await hashOf(invitee, invited.id);
    const coorganizer = await quickUser(t);
    await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
    expect((await t.request({ method: 'DELETE', url: `/v1/role-invites/${invited.id}`, token: coorganizer.token })).status).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/v1/role-invites/${invited.id}`, token: invitee.token })).status).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/v1/role-invites/${invited.id}`, token: organizer.token })).status).toBe(200);
    expect((await get(t, `/v1/role-invites/${invited.id}`, owner.token)).status).toBe(404);
    expect((await answer(invitee.token, 'accept-invite', hash)).status).toBe(404);
    expect(await rolesOf(ev, invitee.id)).toEqual([]);
  });
});
