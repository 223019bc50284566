// Event roles over /v1/users-events-roles (issue 3): granting, listing, revoking, and transferring
// ownership so that an event always has exactly one owner. Since issue 11 (item 6) people join a team
// by accepting an invitation (role-invites.test.ts); a direct grant is for admins only, as in OES.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  GRANTABLE_ROLES,
  createEvent,
  expect422,
  get,
  grantRole,
  ids,
  inviteBody,
  registerUser,
  rel,
  roleBody,
  signUpAdmin,
  type Resource,
  type User,
  quickUser,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let admin: User;
let stranger: User;

beforeAll(async () => {
  t = await startTestApp();
  [owner, admin, stranger] = await Promise.all([quickUser(t), signUpAdmin(t), quickUser(t)]);
});

const grant = (token: string | undefined, ev: Resource | string, userId: number | string, role: string) =>
  t.request({ method: 'POST', url: '/v1/users-events-roles', token, json: roleBody(ev, userId, role) });

const revoke = (token: string | undefined, roleId: string) =>
  t.request({ method: 'DELETE', url: `/v1/users-events-roles/${roleId}`, token });

async function rolesOf(ev: Resource, token = owner.token): Promise<{ id: string; role: string; user: string }[]> {
  const response = await get(t, `/v1/events/${ev.id}/users-events-roles?page[size]=100`, token);
  expect(response.status, response.text).toBe(200);
  return response.body.data
    .map((r: Resource) => ({ id: r.id, role: r.attributes['role-name'], user: r.relationships!.user!.data.id }))
    .sort((a: any, b: any) => a.role.localeCompare(b.role) || a.user.localeCompare(b.user));
}

const owners = async (ev: Resource, token = owner.token) => (await rolesOf(ev, token)).filter((r) => r.role === 'owner').map((r) => r.user);

describe('POST /v1/users-events-roles', () => {
  it('grants each grantable role to an existing user (an admin)', async () => {
    const ev = await createEvent(t, owner.token);
    for (const role of GRANTABLE_ROLES) {
      const userId = await registerUser(t);
      const response = await grant(admin.token, ev, userId, role);
      expect(response.status, response.text).toBe(201);
      expect(response.body.data).toMatchObject({
        type: 'users-events-roles',
        attributes: { 'role-name': role },
        relationships: { user: { data: { type: 'user', id: String(userId) } }, event: { links: { related: `/v1/users-events-roles/${response.body.data.id}/event` } } },
      });
      // The event by link only, as OES gives it: OES's client keys events by identifier.
      expect(response.body.data.relationships.event.data).toBeUndefined();
      expect(typeof response.body.data.id).toBe('string');
    }
    const roles = await rolesOf(ev);
    expect(roles.map((r) => r.role).sort()).toEqual(['coorganizer', 'moderator', 'organizer', 'owner', 'registrar', 'track_organizer']);
  });

  it('gives the granted user access: a registrar sees the draft event', async () => {
    const ev = await createEvent(t, owner.token);
    const user = await quickUser(t);
    expect((await get(t, `/v1/events/${ev.id}`, user.token)).status).toBe(404);
    await grantRole(t, owner.token, ev, user.id, 'registrar');
    expect((await get(t, `/v1/events/${ev.id}`, user.token)).status).toBe(200);
  });

  it('accepts the event by identifier in the relationship', async () => {
    const ev = await createEvent(t, owner.token);
    const userId = await registerUser(t);
    const response = await grant(admin.token, ev.attributes.identifier, userId, 'moderator');
    // OES's client names events by identifier: the grant lands on that event.
    expect(response.status).toBe(201);
    expect(response.body.data.relationships.event.data).toBeUndefined();
    const linkage = await get(t, `/v1/users-events-roles/${response.body.data.id}/relationships/event`, admin.token);
    expect(linkage.body.data).toEqual({ type: 'event', id: ev.id });
  });

  it('refuses an unknown role name with 422 and a pointer', async () => {
    const ev = await createEvent(t, owner.token);
    const userId = await registerUser(t);
    for (const role of ['superuser', 'Organizer', 'attendee', '']) {
      expect422(await grant(owner.token, ev, userId, role), '/data/attributes/role-name', role);
    }
  });

  it('refuses a user that does not exist with 422 on relationships.user', async () => {
    const ev = await createEvent(t, owner.token);
    expect422(await grant(admin.token, ev, 999999999, 'organizer'), '/data/relationships/user');
  });

  it('needs relationships.user, relationships.event and role-name', async () => {
    const ev = await createEvent(t, owner.token);
    const userId = await registerUser(t);
    const noUser = await t.request({
      method: 'POST',
      url: '/v1/users-events-roles',
      token: owner.token,
      json: { data: { type: 'users-events-role', attributes: { 'role-name': 'organizer' }, relationships: { event: rel('event', ev) } } },
    });
    expect(noUser.status).toBe(422);
    const noEvent = await t.request({
      method: 'POST',
      url: '/v1/users-events-roles',
      token: owner.token,
      json: { data: { type: 'users-events-role', attributes: { 'role-name': 'organizer' }, relationships: { user: rel('user', String(userId)) } } },
    });
    expect(noEvent.status).toBe(422);
    const noRole = await t.request({
      method: 'POST',
      url: '/v1/users-events-roles',
      token: owner.token,
      json: { data: { type: 'users-events-role', attributes: {}, relationships: { user: rel('user', String(userId)), event: rel('event', ev) } } },
    });
    expect422(noRole, '/data/attributes/role-name');
  });

  it('lets only an admin grant roles directly: the owner and organizers are sent to role-invites (403)', async () => {
    const ev = await createEvent(t, owner.token);
    const [organizer, coorganizer, registrar] = await Promise.all([quickUser(t), quickUser(t), quickUser(t)]);
    await grantRole(t, owner.token, ev, organizer.id, 'organizer');
    await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
    await grantRole(t, owner.token, ev, registrar.id, 'registrar');
    for (const token of [owner.token, organizer.token]) {
      const refused = await grant(token, ev, await registerUser(t), 'moderator');
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].detail).toContain('/v1/role-invites');
    }
    // Refused the same whether or not the user exists: a grant does not reveal accounts.
    expect((await grant(owner.token, ev, 999999999, 'moderator')).status).toBe(403);
    expect((await grant(admin.token, ev, await registerUser(t), 'moderator')).status).toBe(201);
    expect((await grant(coorganizer.token, ev, await registerUser(t), 'moderator')).status).toBe(403);
    expect((await grant(registrar.token, ev, await registerUser(t), 'moderator')).status).toBe(403);
    // The event is a draft: to a stranger it does not exist.
    expect((await grant(stranger.token, ev, stranger.id, 'organizer')).status).toBe(404);
    expect((await grant(undefined, ev, stranger.id, 'organizer')).status).toBe(401);
  });

  it('a stranger cannot grant themselves a role on a public event (403)', async () => {
    const ev = await createEvent(t, owner.token, { state: 'published' });
    expect((await grant(stranger.token, ev, stranger.id, 'organizer')).status).toBe(403);
    expect((await get(t, `/v1/events/${ev.id}/users-events-roles`, owner.token)).body.data).toHaveLength(1);
  });

  it('an organizer cannot make anyone the owner', async () => {
    const ev = await createEvent(t, owner.token);
    const organizer = await quickUser(t);
    await grantRole(t, owner.token, ev, organizer.id, 'organizer');
    expect((await grant(organizer.token, ev, organizer.id, 'owner')).status).toBe(403);
    expect(await owners(ev)).toEqual([String(owner.id)]);
  });
});

describe('GET /v1/events/{ev}/users-events-roles and /v1/users-events-roles/{id}', () => {
  let ev: Resource;
  let team: Record<string, User>;
  let roleIds: Record<string, string>;

  beforeAll(async () => {
    ev = await createEvent(t, owner.token, { state: 'published' });
    team = {};
    roleIds = {};
    await Promise.all(
      GRANTABLE_ROLES.map(async (role) => {
        team[role] = await quickUser(t);
        roleIds[role] = (await grantRole(t, owner.token, ev, team[role]!.id, role)).id;
      }),
    );
  });

  it('lists every role of the event for the owner, organizers, coorganizers and admins', async () => {
    for (const token of [owner.token, team.organizer!.token, team.coorganizer!.token, admin.token]) {
      const roles = await rolesOf(ev, token);
      expect(roles).toHaveLength(6);
    }
  });

  it('is not for the other roles, strangers or anonymous visitors', async () => {
    for (const role of ['track_organizer', 'registrar', 'moderator']) {
      const response = await get(t, `/v1/events/${ev.id}/users-events-roles`, team[role]!.token);
      expect(response.status, role).toBe(403);
    }
    expect([403, 404]).toContain((await get(t, `/v1/events/${ev.id}/users-events-roles`, stranger.token)).status);
    expect([401, 404]).toContain((await get(t, `/v1/events/${ev.id}/users-events-roles`)).status);
  });

  it('reads one role by id', async () => {
    const response = await get(t, `/v1/users-events-roles/${roleIds.registrar}`, team.organizer!.token);
    expect(response.status, response.text).toBe(200);
    expect(response.body.data).toMatchObject({
      type: 'users-events-roles',
      id: roleIds.registrar,
      attributes: { 'role-name': 'registrar' },
      relationships: { user: { data: { id: String(team.registrar!.id) } } },
    });
    const linkage = await get(t, response.body.data.relationships.event.links.self, team.organizer!.token);
    expect(linkage.body.data).toEqual({ type: 'event', id: ev.id });
    expect((await get(t, `/v1/users-events-roles/${roleIds.registrar}`, stranger.token)).status).toBeOneOf([403, 404]);
    expect((await get(t, '/v1/users-events-roles/999999999', owner.token)).status).toBe(404);
  });

  it('lists by identifier too, and filters by role-name', async () => {
    const filter = encodeURIComponent(JSON.stringify([{ name: 'role-name', op: 'eq', val: 'organizer' }]));
    const response = await get(t, `/v1/events/${ev.attributes.identifier}/users-events-roles?filter=${filter}`, owner.token);
    expect(response.status, response.text).toBe(200);
    expect(ids(response)).toEqual([roleIds.organizer]);
  });

  it('does not leak the team of another event', async () => {
    const other = await createEvent(t, team.organizer!.token);
    expect((await get(t, `/v1/events/${other.id}/users-events-roles`, owner.token)).status).toBe(404);
  });
});

describe('DELETE /v1/users-events-roles/{id}', () => {
  it('revokes a role: the user loses access', async () => {
    const ev = await createEvent(t, owner.token);
    const user = await quickUser(t);
    const role = await grantRole(t, owner.token, ev, user.id, 'organizer');
    expect((await get(t, `/v1/events/${ev.id}`, user.token)).status).toBe(200);
    const response = await revoke(owner.token, role.id);
    expect(response.status, response.text).toBe(200);
    expect((await get(t, `/v1/events/${ev.id}`, user.token)).status).toBe(404);
    expect((await rolesOf(ev)).map((r) => r.role)).toEqual(['owner']);
    expect((await get(t, `/v1/users-events-roles/${role.id}`, owner.token)).status).toBe(404);
    expect((await revoke(owner.token, role.id)).status).toBe(404);
  });

  it('never revokes the owner role (409), not even for an admin', async () => {
    const ev = await createEvent(t, owner.token);
    const [ownerRole] = await rolesOf(ev);
    expect(ownerRole!.role).toBe('owner');
    expect((await revoke(owner.token, ownerRole!.id)).status).toBe(409);
    expect((await revoke(admin.token, ownerRole!.id)).status).toBe(409);
    expect(await owners(ev)).toEqual([String(owner.id)]);
  });

  it('can be granted again after being revoked', async () => {
    const ev = await createEvent(t, owner.token);
    const userId = await registerUser(t);
    const role = await grantRole(t, owner.token, ev, userId, 'moderator');
    expect((await revoke(owner.token, role.id)).status).toBe(200);
    await grantRole(t, owner.token, ev, userId, 'moderator');
    expect((await grant(admin.token, ev, userId, 'moderator')).status).toBe(409);
  });

  it('is refused to roles without the right, and to anonymous visitors', async () => {
    const ev = await createEvent(t, owner.token, { state: 'published' });
    const registrar = await quickUser(t);
    await grantRole(t, owner.token, ev, registrar.id, 'registrar');
    const victim = await grantRole(t, owner.token, ev, await registerUser(t), 'moderator');
    expect((await revoke(registrar.token, victim.id)).status).toBe(403);
    expect((await revoke(undefined, victim.id)).status).toBe(401);
    expect([403, 404]).toContain((await revoke(stranger.token, victim.id)).status);
    expect((await rolesOf(ev)).map((r) => r.role)).toContain('moderator');
  });
});

describe('ownership transfer', () => {
  /** The owner (or whoever `token` is) offers ownership by invitation; `heir` accepts it. */
  async function offer(token: string, ev: Resource, heir: User) {
    return t.request({ method: 'POST', url: '/v1/role-invites', token, json: inviteBody(ev, heir.email, 'owner') });
  }
  async function acceptAs(heir: User, inviteId: string) {
    const mine = await get(t, '/v1/users/me/role-invites', heir.token);
    const hash = mine.body.data.find((i: Resource) => i.id === inviteId)?.attributes.hash ?? 'gone';
    return t.request({ method: 'POST', url: '/v1/role-invites/accept-invite', token: heir.token, json: { data: { token: hash } } });
  }

  it('the owner makes another user the owner and becomes an organizer', async () => {
    const first = await quickUser(t);
    const second = await quickUser(t);
    const ev = await createEvent(t, first.token);
    const offered = await offer(first.token, ev, second);
    expect(offered.status, offered.text).toBe(201);
    expect(offered.body.data.attributes['role-name']).toBe('owner');
    expect(await owners(ev, first.token)).toEqual([String(first.id)]);
    const accepted = await acceptAs(second, offered.body.data.id);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toMatchObject({ role: 'owner', event: Number(ev.id), email: second.email });
    const roles = await rolesOf(ev, second.token);
    expect(roles.filter((r) => r.role === 'owner').map((r) => r.user)).toEqual([String(second.id)]);
    expect(roles.filter((r) => r.user === String(first.id)).map((r) => r.role)).toEqual(['organizer']);
    // The new owner holds the powers: only they can transfer again.
    expect((await offer(first.token, ev, first)).status).toBe(403);
    const back = await offer(second.token, ev, first);
    expect(back.status).toBe(201);
    expect((await acceptAs(first, back.body.data.id)).status).toBe(200);
    expect(await owners(ev, first.token)).toEqual([String(first.id)]);
  });

  it('to a user who already has another role of the event', async () => {
    const ev = await createEvent(t, owner.token);
    const coorganizer = await quickUser(t);
    await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
    await grantRole(t, owner.token, ev, coorganizer.id, 'owner');
    expect(await owners(ev)).toEqual([String(coorganizer.id)]);
    // Giving it back works as well, and there is still exactly one owner.
    await grantRole(t, coorganizer.token, ev, owner.id, 'owner');
    expect(await owners(ev)).toEqual([String(owner.id)]);
  });

  it('an admin may transfer ownership', async () => {
    const ev = await createEvent(t, owner.token);
    const heir = await registerUser(t);
    expect((await grant(admin.token, ev, heir, 'owner')).status).toBe(201);
    expect(await owners(ev)).toEqual([String(heir)]);
  });

  it('making the owner the owner again changes nothing', async () => {
    const ev = await createEvent(t, owner.token);
    const response = await grant(admin.token, ev, owner.id, 'owner');
    expect([200, 201, 409]).toContain(response.status);
    const offered = await offer(owner.token, ev, owner);
    expect(offered.status, offered.text).toBe(201);
    expect((await acceptAs(owner, offered.body.data.id)).status).toBe(200);
    expect(await owners(ev)).toEqual([String(owner.id)]);
  });

  it('a new ownership offer replaces the pending one', async () => {
    const ev = await createEvent(t, owner.token);
    const [early, late] = await Promise.all([quickUser(t), quickUser(t)]);
    const first = await offer(owner.token, ev, early);
    const second = await offer(owner.token, ev, late);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await acceptAs(early, first.body.data.id)).status).toBe(404);
    expect((await acceptAs(late, second.body.data.id)).status).toBe(200);
    expect(await owners(ev)).toEqual([String(late.id)]);
  });

  it('concurrent transfers still leave exactly one owner', async () => {
    const ev = await createEvent(t, owner.token);
    const heirs = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
    const results = await Promise.all(heirs.map((heir) => grant(admin.token, ev, heir, 'owner')));
    for (const result of results) expect([201, 403, 409]).toContain(result.status);
    const roles = await rolesOf(ev, admin.token);
    expect(roles.filter((r) => r.role === 'owner')).toHaveLength(1);
  });

  it('only the latest ownership offer can be accepted, even when every heir accepts at once', async () => {
    const ev = await createEvent(t, owner.token);
    const heirs = await Promise.all([quickUser(t), quickUser(t), quickUser(t)]);
    // Each offer replaces the pending one, so collect each heir's hash as soon as it is made.
    const hashes: string[] = [];
    for (const heir of heirs) {
      const offered = await offer(owner.token, ev, heir);
      const mine = await get(t, '/v1/users/me/role-invites', heir.token);
      hashes.push(mine.body.data.find((i: Resource) => i.id === offered.body.data.id).attributes.hash);
    }
    const results = await Promise.all(
      heirs.map((heir, i) => t.request({ method: 'POST', url: '/v1/role-invites/accept-invite', token: heir.token, json: { data: { token: hashes[i] } } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404]);
    const roles = await rolesOf(ev, admin.token);
    expect(roles.filter((r) => r.role === 'owner').map((r) => r.user)).toEqual([String(heirs[2]!.id)]);
  });
});
