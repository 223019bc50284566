// OES's event groups and their followers (/v1/groups, /v1/user-follow-groups), as the web client's home
// page, group pages and my-groups pages use them: app/api/groups.py, user_follow_groups.py and their
// schemas, docs/api/blueprint/groups.apib.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { ensureAdmin } from '../../src/domain/users.ts';
import { createEvent, createPublishedEvent, expectStatus, rel, type Resource } from '../support/schedule.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let owner: Awaited<ReturnType<typeof signUp>>;
let stranger: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  await ensureAdmin(t.database.connection.db, admin.email, admin.password);
  owner = await signUp(t, { 'first-name': 'Grace', 'public-name': 'Grace H' });
  stranger = await signUp(t);
});

const groupBody = (attributes: Record<string, unknown>, relationships?: Record<string, unknown>, id?: string) => ({
  data: { type: 'group', ...(id ? { id } : {}), attributes, ...(relationships ? { relationships } : {}) },
});

async function makeGroup(token: string, attributes: Record<string, unknown> = {}, relationships?: Record<string, unknown>): Promise<Resource> {
  const response = await t.request({ method: 'POST', url: '/v1/groups', token, json: groupBody({ name: 'Berlin Meetups', ...attributes }, relationships) });
  return expectStatus(response, 201, 'POST /v1/groups').body.data;
}

const patchGroup = (id: string, token: string, attributes: Record<string, unknown>, relationships?: Record<string, unknown>) =>
  t.request({ method: 'PATCH', url: `/v1/groups/${id}`, token, json: groupBody(attributes, relationships, id) });

const follow = (groupId: string, token: string | undefined, userId?: number) =>
  t.request({
    method: 'POST',
    url: '/v1/user-follow-groups',
    token,
    json: { data: { type: 'user-follow-group', relationships: { group: rel('group', groupId), ...(userId ? { user: rel('user', userId) } : {}) } } },
  });

const HOME_QUERY = `/v1/groups?cache=true&filter=${encodeURIComponent('[{"name":"is-promoted","op":"eq","val":true}]')}&include=user,follower&page[size]=12&public=true`;

describe('making and reading groups', () => {
  it('lets a signed-in user make a group they own, with OES’s attributes and relationships', async () => {
    const group = await makeGroup(owner.token, {
      about: 'Monthly talks',
      'logo-url': 'https://img.example.org/logo.png',
      'banner-url': 'https://img.example.org/banner.png',
      'social-links': [{ name: 'Website', link: 'https://meetup.example.org', is_custom: false }],
    });
    expect(group.type).toBe('group');
    expect(group.attributes).toMatchObject({
      name: 'Berlin Meetups',
      about: 'Monthly talks',
      'logo-url': 'https://img.example.org/logo.png',
      'banner-url': 'https://img.example.org/banner.png',
      'thumbnail-image-url': 'https://img.example.org/banner.png',
      'social-links': [{ name: 'Website', link: 'https://meetup.example.org', is_custom: false }],
      'is-promoted': false,
      'follower-count': 0,
      'deleted-at': null,
    });
    expect(group.attributes['created-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(group.relationships!.user).toEqual({
      links: { self: `/v1/groups/${group.id}/relationships/user`, related: `/v1/groups/${group.id}/user` },
      data: { type: 'user', id: String(owner.id) },
    });
    for (const name of ['events', 'roles', 'follower', 'followers']) expect(group.relationships![name]).toHaveProperty('links');
    const read = await t.request({ method: 'GET', url: `/v1/groups/${group.id}` });
    expect(read.status).toBe(200);
    expect(read.body.data.attributes.name).toBe('Berlin Meetups');
    // The team page's include: openevent has no group team roles, so `roles` is empty, truthfully.
    const team = await t.request({ method: 'GET', url: `/v1/groups/${group.id}?include=events,roles,user`, token: owner.token });
    expect(team.status).toBe(200);
    expect(team.body.data.relationships.roles.data).toEqual([]);
    expect(team.body.included).toEqual([expect.objectContaining({ type: 'user', id: String(owner.id), attributes: expect.objectContaining({ email: owner.email }) })]);
  });

  it('refuses anonymous and unverified makers, and a group without a name', async () => {
    const anonymous = await t.request({ method: 'POST', url: '/v1/groups', json: groupBody({ name: 'X' }) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].status).toBe('401');
    const unnamed = await t.request({ method: 'POST', url: '/v1/groups', token: owner.token, json: groupBody({ about: 'no name' }) });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.errors[0].source).toEqual({ pointer: '/data/attributes/name' });
    const badUrl = await t.request({ method: 'POST', url: '/v1/groups', token: owner.token, json: groupBody({ name: 'X', 'logo-url': 'javascript:alert(1)' }) });
    expect(badUrl.status).toBe(422);
    const badLink = await t.request({
      method: 'POST',
      url: '/v1/groups',
      token: owner.token,
      json: groupBody({ name: 'X', 'social-links': [{ name: 'Evil', link: 'javascript:alert(1)', is_custom: true }] }),
    });
    expect(badLink.status).toBe(422);
    expect(badLink.body.errors[0].source).toEqual({ pointer: '/data/attributes/social-links' });
    // The client's form adds an empty row before the person fills it in; saving it is not an error.
    const emptyRow = await makeGroup(owner.token, { name: 'Links later', 'social-links': [{ name: '', link: '', is_custom: true }] });
    expect(emptyRow.attributes['social-links']).toEqual([{ name: '', link: '', is_custom: true }]);
    const wrongType = await t.request({ method: 'POST', url: '/v1/groups', token: owner.token, json: { data: { type: 'event', attributes: { name: 'X' } } } });
    expect(wrongType.status).toBe(409);
    const unverified = await signUp(t);
    const unverify = await t.request({
      method: 'PATCH',
      url: `/v1/users/${unverified.id}`,
      token: admin.token,
      json: { data: { type: 'user', id: String(unverified.id), attributes: { 'is-verified': false } } },
    });
    expect(unverify.status).toBe(200);
    const refused = await t.request({ method: 'POST', url: '/v1/groups', token: unverified.token, json: groupBody({ name: 'Mine' }) });
    expect(refused.status).toBe(403);
  });

  it('answers 404 for a group that does not exist, and 400 for an include it cannot give', async () => {
    expect((await t.request({ method: 'GET', url: '/v1/groups/999999' })).status).toBe(404);
    const bad = await t.request({ method: 'GET', url: '/v1/groups?include=sponsors' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source).toEqual({ parameter: 'include' });
    const badFilter = await t.request({ method: 'GET', url: `/v1/groups?filter=${encodeURIComponent('[{"name":"is-promoted","op":"eq","val":"maybe"}]')}` });
    expect(badFilter.status).toBe(422);
  });

  it('lists a user’s own groups at /v1/users/{id}/groups', async () => {
    const mine = await makeGroup(stranger.token, { name: 'Stranger Things Club' });
    const list = await t.request({ method: 'GET', url: `/v1/users/${stranger.id}/groups`, token: stranger.token });
    expect(list.status).toBe(200);
    expect(list.body.data.map((group: Resource) => group.id)).toEqual([mine.id]);
  });
});

describe('changing, promoting and deleting', () => {
  it('lets only the owner and admins change or delete a group', async () => {
    const group = await makeGroup(owner.token, { name: 'Rust Hamburg' });
    const byStranger = await patchGroup(group.id, stranger.token, { name: 'Taken over' });
    expect(byStranger.status).toBe(403);
    expect(byStranger.body.errors[0].status).toBe('403');
    const byOwner = await patchGroup(group.id, owner.token, { name: 'Rust Hamburg e.V.', about: null });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.data.attributes).toMatchObject({ name: 'Rust Hamburg e.V.', about: null });
    const byAdmin = await patchGroup(group.id, admin.token, { about: 'Checked by the site' });
    expect(byAdmin.status).toBe(200);
    const otherId = await patchGroup(group.id, owner.token, { name: 'x' }).then(() =>
      t.request({ method: 'PATCH', url: `/v1/groups/${group.id}`, token: owner.token, json: groupBody({ name: 'x' }, undefined, '1234567') }),
    );
    expect(otherId.status).toBe(409);

    expect((await t.request({ method: 'DELETE', url: `/v1/groups/${group.id}`, token: stranger.token })).status).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/v1/groups/${group.id}` })).status).toBe(401);
    const deleted = await t.request({ method: 'DELETE', url: `/v1/groups/${group.id}`, token: owner.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    expect((await t.request({ method: 'GET', url: `/v1/groups/${group.id}` })).status).toBe(404);
    const other = await makeGroup(owner.token, { name: 'Deleted by admin' });
    expect((await t.request({ method: 'DELETE', url: `/v1/groups/${other.id}`, token: admin.token })).status).toBe(200);
  });

  it('keeps is-promoted for admins: an owner’s value is ignored, an admin’s kept', async () => {
    const selfPromoted = await makeGroup(owner.token, { name: 'Self promoter', 'is-promoted': true });
    expect(selfPromoted.attributes['is-promoted']).toBe(false);
    const ownerTry = await patchGroup(selfPromoted.id, owner.token, { 'is-promoted': true });
    expect(ownerTry.status).toBe(200);
    expect(ownerTry.body.data.attributes['is-promoted']).toBe(false);
    const promoted = await patchGroup(selfPromoted.id, admin.token, { 'is-promoted': true });
    expect(promoted.body.data.attributes['is-promoted']).toBe(true);
    // The owner's next save (ember-data sends every attribute back) does not undo the admin's choice.
    const ownerSave = await patchGroup(selfPromoted.id, owner.token, { name: 'Self promoter', 'is-promoted': false });
    expect(ownerSave.body.data.attributes['is-promoted']).toBe(true);
  });
});

describe('the home page after sign-in', () => {
  let promoted: Resource;
  let plain: Resource;
  let viewer: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    promoted = await makeGroup(owner.token, { name: 'Promoted on the home page' });
    expectStatus(await patchGroup(promoted.id, admin.token, { 'is-promoted': true }), 200, 'promote');
    plain = await makeGroup(owner.token, { name: 'Not promoted' });
    viewer = await signUp(t);
  });

  it('answers the client’s exact query anonymously: promoted groups only, owners included without email', async () => {
    const response = await t.request({ method: 'GET', url: HOME_QUERY });
    expect(response.status).toBe(200);
    const ids = response.body.data.map((group: Resource) => group.id);
    expect(ids).toContain(promoted.id);
    expect(ids).not.toContain(plain.id);
    expect(response.body.data.every((group: Resource) => group.attributes['is-promoted'] === true)).toBe(true);
    const group = response.body.data.find((one: Resource) => one.id === promoted.id);
    expect(group.relationships.follower.data).toBeNull();
    const person = response.body.included.find((one: Resource) => one.type === 'user' && one.id === String(owner.id));
    expect(person.attributes).toMatchObject({ 'first-name': 'Grace', 'public-name': 'Grace H' });
    expect(person.attributes).not.toHaveProperty('email');
  });

  it('answers it signed in with the viewer’s own follow as `follower`, and counts followers', async () => {
    const followed = await follow(promoted.id, viewer.token, viewer.id);
    expect(followed.status).toBe(201);
    expect(followed.body.data).toMatchObject({
      type: 'user-follow-group',
      relationships: { group: { data: { type: 'group', id: promoted.id } }, user: { data: { type: 'user', id: String(viewer.id) } } },
    });
    const mine = await t.request({ method: 'GET', url: HOME_QUERY, token: viewer.token });
    expect(mine.status).toBe(200);
    const group = mine.body.data.find((one: Resource) => one.id === promoted.id);
    expect(group.attributes['follower-count']).toBe(1);
    expect(group.relationships.follower.data).toEqual({ type: 'user-follow-group', id: followed.body.data.id });
    expect(mine.body.included).toContainEqual(expect.objectContaining({ type: 'user-follow-group', id: followed.body.data.id }));
    // Someone else sees the count, not a follow of theirs.
    const theirs = await t.request({ method: 'GET', url: HOME_QUERY, token: stranger.token });
    const seen = theirs.body.data.find((one: Resource) => one.id === promoted.id);
    expect(seen.attributes['follower-count']).toBe(1);
    expect(seen.relationships.follower.data).toBeNull();
  });

  it('links a user’s events, groups and followed groups from the user, as the client follows them by link', async () => {
    const me = await t.request({ method: 'GET', url: `/v1/users/${viewer.id}`, token: viewer.token });
    expect(me.body.data.relationships['followed-groups'].links.related).toBe(`/v1/users/${viewer.id}/followed-groups`);
    expect(me.body.data.relationships.groups.links.related).toBe(`/v1/users/${viewer.id}/groups`);
    // The group's events page lists the person's own events through this one.
    expect(me.body.data.relationships.events.links.related).toBe(`/v1/users/${viewer.id}/events`);
  });

  it('lists the groups one follows at /v1/users/{id}/followed-groups, for that user only', async () => {
    const list = await t.request({ method: 'GET', url: `/v1/users/${viewer.id}/followed-groups?include=group,user`, token: viewer.token });
    expect(list.status).toBe(200);
    expect(list.body.meta.count).toBe(1);
    expect(list.body.data[0].relationships.group.data).toEqual({ type: 'group', id: promoted.id });
    expect(list.body.included).toContainEqual(expect.objectContaining({ type: 'group', id: promoted.id }));
    expect(list.body.included).toContainEqual(expect.objectContaining({ type: 'user', id: String(viewer.id) }));
    expect((await t.request({ method: 'GET', url: `/v1/users/${viewer.id}/followed-groups`, token: stranger.token })).status).toBe(403);
    expect((await t.request({ method: 'GET', url: `/v1/users/${viewer.id}/followed-groups` })).status).toBe(401);
    // The my-groups "following" page asks the groups list the same question.
    const filter = encodeURIComponent(JSON.stringify([{ name: 'followers', op: 'any', val: { name: 'user', op: 'has', val: { name: 'id', op: 'eq', val: String(viewer.id) } } }]));
    const following = await t.request({ method: 'GET', url: `/v1/groups?include=follower,user,events&filter=${filter}`, token: viewer.token });
    expect(following.status).toBe(200);
    expect(following.body.data.map((group: Resource) => group.id)).toEqual([promoted.id]);
  });

  it('refuses following twice (409), a missing group (422 / 404) and anonymous followers (401)', async () => {
    const again = await follow(promoted.id, viewer.token);
    expect(again.status).toBe(409);
    expect(again.body.errors[0].source).toEqual({ pointer: '/data/relationships/group' });
    const none = await t.request({ method: 'POST', url: '/v1/user-follow-groups', token: viewer.token, json: { data: { type: 'user-follow-group', relationships: {} } } });
    expect(none.status).toBe(422);
    expect((await follow('999999', viewer.token)).status).toBe(404);
    expect((await follow(promoted.id, undefined)).status).toBe(401);
  });

  it('unfollows: only the follower may, and the count goes down', async () => {
    const other = await signUp(t);
    const followed = await follow(plain.id, other.token);
    expect(followed.status).toBe(201);
    const id = followed.body.data.id;
    const followers = await t.request({ method: 'GET', url: `/v1/groups/${plain.id}/followers?include=user`, token: owner.token });
    expect(followers.status).toBe(200);
    expect(followers.body.data.map((row: Resource) => row.id)).toEqual([id]);
    // The group's owner sees followers' emails (the follow dialog says so); others do not.
    expect(followers.body.included[0].attributes.email).toBe(other.email);
    const asStranger = await t.request({ method: 'GET', url: `/v1/groups/${plain.id}/followers?include=user`, token: stranger.token });
    expect(asStranger.body.included[0].attributes).not.toHaveProperty('email');
    expect((await t.request({ method: 'DELETE', url: `/v1/user-follow-groups/${id}`, token: stranger.token })).status).toBe(403);
    expect((await t.request({ method: 'GET', url: `/v1/groups/${plain.id}` })).body.data.attributes['follower-count']).toBe(1);
    const gone = await t.request({ method: 'DELETE', url: `/v1/user-follow-groups/${id}`, token: other.token });
    expect(gone.status).toBe(200);
    expect(gone.body.meta.message).toBe('Object successfully deleted');
    expect((await t.request({ method: 'GET', url: `/v1/groups/${plain.id}` })).body.data.attributes['follower-count']).toBe(0);
    expect((await t.request({ method: 'DELETE', url: `/v1/user-follow-groups/${id}`, token: other.token })).status).toBe(404);
  });
});

describe('a group’s events', () => {
  let group: Resource;
  let published: Resource;
  let draft: Resource;

  beforeAll(async () => {
    published = await createPublishedEvent(t, owner.token, { name: 'Published meetup' });
    draft = await createEvent(t, owner.token, { name: 'Secret draft meetup' });
    group = await makeGroup(owner.token, { name: 'With events' }, { events: rel('event', [published, draft]) });
  });

  it('shows strangers only the published public events, the owner all of them', async () => {
    const anonymous = await t.request({ method: 'GET', url: `/v1/groups/${group.id}/events` });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data.map((event: Resource) => event.id)).toEqual([published.id]);
    expect(anonymous.text).not.toContain('Secret draft meetup');
    const included = await t.request({ method: 'GET', url: `/v1/groups/${group.id}?include=events`, token: stranger.token });
    expect(included.body.data.relationships.events.data).toEqual([{ type: 'event', id: published.id }]);
    expect(included.text).not.toContain('Secret draft meetup');
    const linkage = await t.request({ method: 'GET', url: `/v1/groups/${group.id}/relationships/events` });
    expect(linkage.body.data).toEqual([{ type: 'event', id: published.id }]);
    const own = await t.request({ method: 'GET', url: `/v1/groups/${group.id}/events`, token: owner.token });
    expect(own.body.data.map((event: Resource) => event.id).sort()).toEqual([published.id, draft.id].sort());
  });

  it('gives the event its group, with the group’s followers when included', async () => {
    const viaEvent = await t.request({ method: 'GET', url: `/v1/events/${published.id}/group` });
    expect(viaEvent.status).toBe(200);
    expect(viaEvent.body.data.id).toBe(group.id);
    const fan = await signUp(t);
    expectStatus(await follow(group.id, fan.token), 201, 'follow');
    const event = await t.request({ method: 'GET', url: `/v1/events/${published.id}?include=group,group.followers,group.followers.user` });
    expect(event.status).toBe(200);
    expect(event.body.data.relationships.group.data).toEqual({ type: 'group', id: group.id });
    const types = event.body.included.map((one: Resource) => one.type);
    expect(types).toEqual(expect.arrayContaining(['group', 'user-follow-group', 'user']));
    expect(event.text).not.toContain(fan.email);
    const linkage = await t.request({ method: 'GET', url: `/v1/events/${published.id}/relationships/group` });
    expect(linkage.body.data).toEqual({ type: 'group', id: group.id });
    // The draft is no more visible through its group than it is on its own.
    expect((await t.request({ method: 'GET', url: `/v1/events/${draft.id}/group` })).status).toBe(404);
    const ungrouped = await createPublishedEvent(t, owner.token, { name: 'Alone' });
    const none = await t.request({ method: 'GET', url: `/v1/events/${ungrouped.id}/group` });
    expect(none.status).toBe(200);
    expect(none.body.data).toBeNull();
  });

  it('lets only owners of an event put it in a group, and organizers set a group they own', async () => {
    const theirs = await createEvent(t, stranger.token, { name: 'Not yours' });
    const refused = await t.request({ method: 'POST', url: '/v1/groups', token: owner.token, json: groupBody({ name: 'Grabby' }, { events: rel('event', [theirs]) }) });
    expect(refused.status).toBe(403);
    const addByPatch = await patchGroup(group.id, owner.token, {}, { events: rel('event', [published, draft, theirs]) });
    expect(addByPatch.status).toBe(403);

    // Through the event: its organizers may set a group they own, not someone else's.
    const strangersGroup = await makeGroup(stranger.token, { name: 'Stranger’s group' });
    const setOwn = await t.request({
      method: 'PATCH',
      url: `/v1/events/${theirs.id}`,
      token: stranger.token,
      json: { data: { type: 'event', id: theirs.id, relationships: { group: rel('group', strangersGroup) } } },
    });
    expect(setOwn.status).toBe(200);
    expect((await t.request({ method: 'GET', url: `/v1/events/${theirs.id}/group`, token: stranger.token })).body.data.id).toBe(strangersGroup.id);
    const setOthers = await t.request({
      method: 'PATCH',
      url: `/v1/events/${theirs.id}`,
      token: stranger.token,
      json: { data: { type: 'event', id: theirs.id, relationships: { group: rel('group', group) } } },
    });
    expect(setOthers.status).toBe(403);
    expect(setOthers.body.errors[0].source).toEqual({ pointer: '/data/relationships/group' });
    const missing = await t.request({
      method: 'PATCH',
      url: `/v1/events/${theirs.id}`,
      token: stranger.token,
      json: { data: { type: 'event', id: theirs.id, relationships: { group: rel('group', '999999') } } },
    });
    expect(missing.status).toBe(422);

    // Taking an event out: the group's list is replaced as a whole.
    const removed = await patchGroup(group.id, owner.token, {}, { events: rel('event', [draft]) });
    expect(removed.status).toBe(200);
    const own = await t.request({ method: 'GET', url: `/v1/groups/${group.id}/events`, token: owner.token });
    expect(own.body.data.map((event: Resource) => event.id)).toEqual([draft.id]);
    const none = await t.request({ method: 'GET', url: `/v1/events/${published.id}/group` });
    expect(none.body.data).toBeNull();
  });
});
