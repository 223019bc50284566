// Events over /v1 (issue 3): create, read by id or identifier, update, list, soft delete, and the
// rules on their attributes (zone, dates, currency, read-only fields).
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  EVENT_DEFAULTS,
  body,
  createEvent,
  createPublishedEvent,
  createRoom,
  createSession,
  createSessionType,
  createSpeaker,
  createTrack,
  expect422,
  get,
  grantRole,
  ids,
  signUpAdmin,
  type Resource,
  type User,
  quickUser,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let stranger: User;
let admin: User;

beforeAll(async () => {
  t = await startTestApp();
  [owner, stranger, admin] = await Promise.all([quickUser(t), quickUser(t), signUpAdmin(t)]);
});

const EVENT_ATTRIBUTES = [
  'name',
  'identifier',
  'starts-at',
  'ends-at',
  'timezone',
  'description',
  'location-name',
  'online',
  'latitude',
  'longitude',
  'privacy',
  'state',
  'schedule-published-on',
  'created-at',
  'deleted-at',
  'ical-url',
  'xcal-url',
  'pentabarf-url',
  'searchable-location-name',
  'code-of-conduct',
  'refund-policy',
  'logo-url',
  'original-image-url',
  'external-event-url',
  'ticket-url',
  'owner-name',
  'owner-description',
  'has-owner-info',
  'is-map-shown',
  'is-sessions-speakers-enabled',
  'is-sponsors-enabled',
  'payment-currency',
];

const postEvent = (attributes: Record<string, unknown>, token = owner.token) =>
  t.request({ method: 'POST', url: '/v1/events', token, json: body('event', attributes) });

const patchEvent = (ev: Resource | string, attributes: Record<string, unknown>, token = owner.token) => {
  const id = typeof ev === 'string' ? ev : ev.id;
  return t.request({ method: 'PATCH', url: `/v1/events/${id}`, token, json: { data: { type: 'event', id, attributes } } });
};

describe('POST /v1/events', () => {
  it('creates a draft public event with every attribute present, null where unset', async () => {
    const response = await postEvent({ ...EVENT_DEFAULTS, description: '<p>Two days of <b>talks</b></p>' });
    expect(response.status, response.text).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
    const data = response.body.data;
    expect(data.type).toBe('event');
    expect(typeof data.id).toBe('string');
    expect(data.id).toMatch(/^[1-9]\d*$/);
    expect(Object.keys(data.attributes)).toEqual(expect.arrayContaining(EVENT_ATTRIBUTES));
    expect(data.attributes).toMatchObject({
      name: EVENT_DEFAULTS.name,
      'starts-at': '2026-02-01T08:00:00Z',
      'ends-at': '2026-02-01T18:00:00Z',
      timezone: 'UTC',
      state: 'draft',
      privacy: 'public',
      description: '<p>Two days of <b>talks</b></p>',
      'location-name': null,
      latitude: null,
      longitude: null,
      'deleted-at': null,
      'payment-currency': null,
      'code-of-conduct': null,
      'logo-url': null,
    });
    expect(data.attributes.identifier).toMatch(/^[a-z0-9]{8}$/);
    expect(Date.parse(data.attributes['created-at'])).not.toBeNaN();
    for (const url of ['ical-url', 'xcal-url', 'pentabarf-url']) {
      const value = data.attributes[url];
      expect(value === null || /^https?:\/\//.test(value), `${url} is null or absolute: ${value}`).toBe(true);
    }
    expect(response.body.jsonapi).toEqual({ version: '1.0' });
  });

  it('makes the creator the owner', async () => {
    const ev = await createEvent(t, owner.token);
    const roles = await get(t, `/v1/events/${ev.id}/users-events-roles`, owner.token);
    expect(roles.status, roles.text).toBe(200);
    expect(roles.body.data).toHaveLength(1);
    expect(roles.body.data[0].attributes['role-name']).toBe('owner');
    expect(roles.body.data[0].relationships.user.data).toEqual({ type: 'user', id: String(owner.id) });
  });

  it('gives every event its own generated identifier and ignores one sent by the client', async () => {
    const a = await createEvent(t, owner.token, { identifier: 'abcdefgh' });
    const b = await createEvent(t, owner.token, { identifier: 'abcdefgh' });
    for (const ev of [a, b]) {
      expect(ev.attributes.identifier).toMatch(/^[a-z0-9]{8}$/);
      expect(ev.attributes.identifier).not.toBe('abcdefgh');
    }
    expect(a.attributes.identifier).not.toBe(b.attributes.identifier);
  });

  it('requires authentication', async () => {
    const response = await t.request({ method: 'POST', url: '/v1/events', json: body('event', EVENT_DEFAULTS) });
    expect(response.status).toBe(401);
  });

  it('requires name, starts-at and ends-at', async () => {
    for (const missing of ['name', 'starts-at', 'ends-at']) {
      const attributes: Record<string, unknown> = { ...EVENT_DEFAULTS };
      delete attributes[missing];
      expect422(await postEvent(attributes), `/data/attributes/${missing}`);
    }
    expect422(await postEvent({ ...EVENT_DEFAULTS, name: null }), '/data/attributes/name');
  });

  it('accepts IANA zones and refuses unknown ones with a pointer', async () => {
    const ok = await postEvent({ ...EVENT_DEFAULTS, timezone: 'Europe/Brussels' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.data.attributes.timezone).toBe('Europe/Brussels');
    for (const timezone of ['Mars/Olympus', 'Europe/Atlantis', '', 'UTC+25']) {
      expect422(await postEvent({ ...EVENT_DEFAULTS, timezone }), '/data/attributes/timezone', `timezone ${JSON.stringify(timezone)}`);
    }
  });

  it('refuses an end not after the start', async () => {
    const before = await postEvent({ ...EVENT_DEFAULTS, 'ends-at': '2026-01-31T08:00:00Z' });
    expect(before.status, before.text).toBe(422);
    const equal = await postEvent({ ...EVENT_DEFAULTS, 'ends-at': EVENT_DEFAULTS['starts-at'] });
    expect(equal.status, equal.text).toBe(422);
    expect(equal.body.errors[0].source.pointer).toMatch(/^\/data\/attributes\/(ends-at|starts-at)$/);
  });

  it('refuses a naive date-time (no offset) and nonsense dates', async () => {
    expect422(await postEvent({ ...EVENT_DEFAULTS, 'starts-at': '2026-02-01T08:00:00' }), '/data/attributes/starts-at');
    expect422(await postEvent({ ...EVENT_DEFAULTS, 'ends-at': '2026-02-01 18:00' }), '/data/attributes/ends-at');
    expect422(await postEvent({ ...EVENT_DEFAULTS, 'starts-at': 'tomorrow' }), '/data/attributes/starts-at');
    expect422(await postEvent({ ...EVENT_DEFAULTS, 'starts-at': '2026-13-45T08:00:00Z' }), '/data/attributes/starts-at');
  });

  it('converts input with an offset to UTC', async () => {
    const response = await postEvent({ ...EVENT_DEFAULTS, 'starts-at': '2026-02-01T10:30:00+01:00', 'ends-at': '2026-02-01T23:00:00-05:00' });
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.attributes['starts-at']).toBe('2026-02-01T09:30:00Z');
    expect(response.body.data.attributes['ends-at']).toBe('2026-02-02T04:00:00Z');
  });

  it('takes ISO 4217 currencies only', async () => {
    const ok = await postEvent({ ...EVENT_DEFAULTS, 'payment-currency': 'EUR' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.data.attributes['payment-currency']).toBe('EUR');
    for (const currency of ['eur', 'EURO', 'QQQ', '€', 'E1R', '']) {
      expect422(await postEvent({ ...EVENT_DEFAULTS, 'payment-currency': currency }), '/data/attributes/payment-currency', currency);
    }
  });

  it('validates state and privacy', async () => {
    expect422(await postEvent({ ...EVENT_DEFAULTS, state: 'live' }), '/data/attributes/state');
    expect422(await postEvent({ ...EVENT_DEFAULTS, privacy: 'secret' }), '/data/attributes/privacy');
    const ok = await postEvent({ ...EVENT_DEFAULTS, state: 'published', privacy: 'private' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.data.attributes).toMatchObject({ state: 'published', privacy: 'private' });
  });

  it('stores the descriptive attributes', async () => {
    const attributes = {
      ...EVENT_DEFAULTS,
      'location-name': 'Brussels, ULB',
      'searchable-location-name': 'Brussels',
      online: true,
      latitude: 50.8126,
      longitude: 4.3817,
      'code-of-conduct': 'Be excellent',
      'refund-policy': 'No refunds',
      'logo-url': 'https://example.org/logo.png',
      'original-image-url': 'https://example.org/big.png',
      'external-event-url': 'https://example.org',
      'ticket-url': 'https://example.org/tickets',
      'owner-name': 'FOSS Org',
      'owner-description': 'We run things',
      'has-owner-info': true,
      'is-map-shown': true,
      'is-sessions-speakers-enabled': true,
      'is-sponsors-enabled': true,
      'payment-currency': 'USD',
      'schedule-published-on': '2026-01-15T12:00:00Z',
    };
    const response = await postEvent(attributes);
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.attributes).toMatchObject(attributes);
    const again = await get(t, `/v1/events/${response.body.data.id}`, owner.token);
    expect(again.body.data.attributes).toMatchObject(attributes);
  });

  it('refuses wrong types with a pointer each, and no attribute it does not have', async () => {
    // `can-pay-by-paypal` and a latitude as decimal text ("50.1") were refused here until the event took
    // OES's attributes and value forms (issues 13 item 6, 14 item 1); text that is no number still is.
    // Names OES does not have (`colour`) were refused too until issue 14 item 1 asked that they be
    // ignored as OES ignores them: they are no problem of the body.
    const response = await postEvent({ ...EVENT_DEFAULTS, 'can-pay-by-pigeon': true, colour: 'red', online: 'yes', latitude: 'north', name: 42 });
    expect(response.status).toBe(422);
    const pointers = [...new Set(response.body.errors.map((e: any) => e.source?.pointer))].sort();
    expect(pointers).toEqual(['latitude', 'name', 'online'].map((name) => `/data/attributes/${name}`));
  });

  it('ignores attributes and relationships an event does not have, names them in meta, stores none', async () => {
    const response = await postEvent({ ...EVENT_DEFAULTS, 'can-pay-by-pigeon': true, colour: 'red' });
    expect(response.status, response.text).toBe(201);
    expect(response.body.meta).toEqual({ 'ignored-attributes': ['can-pay-by-pigeon', 'colour'] });
    expect(response.body.data.attributes).not.toHaveProperty('colour');
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/events/${response.body.data.id}`,
      token: owner.token,
      json: {
        data: {
          type: 'event',
          id: response.body.data.id,
          attributes: { colour: 'blue', name: 'Renamed' },
          relationships: { 'space-station': { data: { type: 'space-station', id: '1' } } },
        },
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.meta).toEqual({ 'ignored-attributes': ['colour'], 'ignored-relationships': ['space-station'] });
    expect(patched.body.data.relationships).not.toHaveProperty('space-station');
    const again = await get(t, `/v1/events/${response.body.data.id}`, owner.token);
    expect(again.body.data.attributes.name).toBe('Renamed');
    expect(again.text).not.toMatch(/colou?r|pigeon|space-station/);
  });

  it('answers a body of another resource type with 409', async () => {
    const response = await t.request({ method: 'POST', url: '/v1/events', token: owner.token, json: body('track', EVENT_DEFAULTS) });
    expect(response.status).toBe(409);
  });
});

describe('GET /v1/events/{ev}', () => {
  it('finds an event by numeric id and by identifier', async () => {
    const ev = await createEvent(t, owner.token);
    const byId = await get(t, `/v1/events/${ev.id}`, owner.token);
    const byIdentifier = await get(t, `/v1/events/${ev.attributes.identifier}`, owner.token);
    expect(byId.status).toBe(200);
    expect(byIdentifier.status).toBe(200);
    expect(byIdentifier.body.data).toEqual(byId.body.data);
    expect(byId.body.data.id).toBe(ev.id);
  });

  it('answers 404 for an unknown id or identifier', async () => {
    expect((await get(t, '/v1/events/999999999', owner.token)).status).toBe(404);
    expect((await get(t, '/v1/events/zzzzzzzz', owner.token)).status).toBe(404);
    expect((await get(t, '/v1/events/not-an-identifier', admin.token)).status).toBe(404);
  });

  it('shows a draft event to its owner and admins only', async () => {
    const ev = await createEvent(t, owner.token);
    expect((await get(t, `/v1/events/${ev.id}`)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.attributes.identifier}`)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.id}`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${ev.id}`, admin.token)).status).toBe(200);
  });

  it('shows a published public event to everyone, a published private one only to its team', async () => {
    const open = await createPublishedEvent(t, owner.token);
    expect((await get(t, `/v1/events/${open.id}`)).status).toBe(200);
    expect((await get(t, `/v1/events/${open.attributes.identifier}`, stranger.token)).status).toBe(200);
    const closed = await createPublishedEvent(t, owner.token, { privacy: 'private' });
    expect((await get(t, `/v1/events/${closed.id}`)).status).toBe(404);
    expect((await get(t, `/v1/events/${closed.id}`, stranger.token)).status).toBe(404);
    expect((await get(t, `/v1/events/${closed.id}`, owner.token)).status).toBe(200);
  });
});

describe('PATCH /v1/events/{ev}', () => {
  it('updates attributes, by id or identifier, and leaves the rest alone', async () => {
    const ev = await createEvent(t, owner.token, { description: 'old', 'location-name': 'Ghent' });
    const patched = await patchEvent(ev, { description: 'new', timezone: 'America/New_York' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.attributes).toMatchObject({ description: 'new', timezone: 'America/New_York', 'location-name': 'Ghent', name: ev.attributes.name });
    const byIdentifier = await t.request({
      method: 'PATCH',
      url: `/v1/events/${ev.attributes.identifier}`,
      token: owner.token,
      json: { data: { type: 'event', id: ev.id, attributes: { 'location-name': null } } },
    });
    expect(byIdentifier.status, byIdentifier.text).toBe(200);
    expect(byIdentifier.body.data.attributes['location-name']).toBeNull();
  });

  it('accepts every attribute sent back unchanged (as ember-data does) and ignores read-only ones', async () => {
    const ev = await createEvent(t, owner.token);
    const attributes = { ...ev.attributes, name: 'Renamed', identifier: 'zzzzzzzz', 'created-at': '2000-01-01T00:00:00Z', 'ical-url': 'https://evil.example/x.ics' };
    const patched = await patchEvent(ev, attributes);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.attributes.name).toBe('Renamed');
    expect(patched.body.data.attributes.identifier).toBe(ev.attributes.identifier);
    expect(patched.body.data.attributes['created-at']).toBe(ev.attributes['created-at']);
    expect(patched.body.data.attributes['ical-url']).toBe(ev.attributes['ical-url']);
    expect((await get(t, `/v1/events/zzzzzzzz`, owner.token)).status).toBe(404);
  });

  it('checks the end against the stored start when only one of them changes', async () => {
    const ev = await createEvent(t, owner.token);
    expect((await patchEvent(ev, { 'ends-at': '2026-01-01T00:00:00Z' })).status).toBe(422);
    expect((await patchEvent(ev, { 'starts-at': '2026-03-01T00:00:00Z' })).status).toBe(422);
    const moved = await patchEvent(ev, { 'starts-at': '2026-03-01T00:00:00Z', 'ends-at': '2026-03-02T00:00:00Z' });
    expect(moved.status, moved.text).toBe(200);
  });

  it('refuses an invalid zone, a naive date, a bad currency, an unknown attribute', async () => {
    const ev = await createEvent(t, owner.token);
    expect422(await patchEvent(ev, { timezone: 'Mars/Olympus' }), '/data/attributes/timezone');
    expect422(await patchEvent(ev, { 'ends-at': '2026-02-01T20:00:00' }), '/data/attributes/ends-at');
    expect422(await patchEvent(ev, { 'payment-currency': 'XXXX' }), '/data/attributes/payment-currency');
    expect422(await patchEvent(ev, { name: '' }), '/data/attributes/name');
    // `paypal-email` is OES's and accepted since issue 14 item 1. An attribute OES lacks was refused here
    // until that item asked it be ignored as OES ignores it: it changes nothing and is named in meta.
    const ignored = await patchEvent(ev, { 'paypal-password': 'a@b.c' });
    expect(ignored.status, ignored.text).toBe(200);
    expect(ignored.body.meta).toEqual({ 'ignored-attributes': ['paypal-password'] });
    const unchanged = await get(t, `/v1/events/${ev.id}`, owner.token);
    expect(unchanged.body.data.attributes).toMatchObject({ timezone: 'UTC', 'ends-at': '2026-02-01T18:00:00Z', 'payment-currency': null });
  });

  it('answers 404 for an unknown event and 409 for a mismatched type', async () => {
    expect((await patchEvent('999999999', { name: 'x' })).status).toBe(404);
    const ev = await createEvent(t, owner.token);
    const wrongType = await t.request({
      method: 'PATCH',
      url: `/v1/events/${ev.id}`,
      token: owner.token,
      json: { data: { type: 'session', id: ev.id, attributes: { name: 'x' } } },
    });
    expect(wrongType.status).toBe(409);
  });

  it('publishes: a published public event appears for everyone', async () => {
    const ev = await createEvent(t, owner.token);
    expect((await get(t, `/v1/events/${ev.id}`)).status).toBe(404);
    const published = await patchEvent(ev, { state: 'published' });
    expect(published.status, published.text).toBe(200);
    expect(published.body.data.attributes.state).toBe('published');
    expect((await get(t, `/v1/events/${ev.id}`)).status).toBe(200);
  });
});

describe('GET /v1/events', () => {
  let draft: Resource, open: Resource, closed: Resource, othersDraft: Resource, teamDraft: Resource, deleted: Resource;
  let teamMember: User;

  beforeAll(async () => {
    const other = await quickUser(t);
    teamMember = await quickUser(t);
    [draft, open, closed, othersDraft, teamDraft, deleted] = await Promise.all([
      createEvent(t, owner.token, { name: 'list-draft' }),
      createPublishedEvent(t, owner.token, { name: 'list-open' }),
      createPublishedEvent(t, owner.token, { name: 'list-closed', privacy: 'private' }),
      createEvent(t, other.token, { name: 'list-others-draft' }),
      createEvent(t, other.token, { name: 'list-team-draft' }),
      createPublishedEvent(t, owner.token, { name: 'list-deleted' }),
    ]);
    await grantRole(t, other.token, teamDraft, teamMember.id, 'registrar');
    const gone = await t.request({ method: 'DELETE', url: `/v1/events/${deleted.id}`, token: owner.token });
    expect(gone.status, gone.text).toBe(200);
  });

  const listAll = async (token?: string) => {
    const filter = encodeURIComponent(JSON.stringify([{ name: 'name', op: 'like', val: 'list-%' }]));
    const response = await get(t, `/v1/events?page[size]=100&filter=${filter}`, token);
    expect(response.status, response.text).toBe(200);
    return ids(response).sort();
  };

  it('shows anonymous visitors and strangers published public events only', async () => {
    expect(await listAll()).toEqual([open.id]);
    expect(await listAll(stranger.token)).toEqual([open.id]);
  });

  it('adds the events where the signed-in user has a role', async () => {
    expect(await listAll(owner.token)).toEqual([draft.id, open.id, closed.id].sort());
    expect(await listAll(teamMember.token)).toEqual([open.id, teamDraft.id].sort());
  });

  it('shows admins every event that is not deleted', async () => {
    expect(await listAll(admin.token)).toEqual([draft.id, open.id, closed.id, othersDraft.id, teamDraft.id].sort());
  });

  it('pages, sorts and filters', async () => {
    const filter = encodeURIComponent(JSON.stringify([{ name: 'name', op: 'like', val: 'list-%' }]));
    const page = await get(t, `/v1/events?page[size]=2&page[number]=1&sort=-name&filter=${filter}`, admin.token);
    expect(page.status, page.text).toBe(200);
    expect(page.body.meta.count).toBe(5);
    expect(page.body.data.map((e: Resource) => e.attributes.name)).toEqual(['list-team-draft', 'list-others-draft']);
    expect(page.body.links.next).toContain('page%5Bnumber%5D=2');
    const published = encodeURIComponent(JSON.stringify([{ name: 'state', op: 'eq', val: 'published' }, { name: 'name', op: 'like', val: 'list-%' }]));
    const onlyPublished = await get(t, `/v1/events?filter=${published}`, owner.token);
    expect(ids(onlyPublished).sort()).toEqual([open.id, closed.id].sort());
  });

  it('every listed event carries all attributes', async () => {
    const response = await get(t, '/v1/events?page[size]=100');
    for (const ev of response.body.data) expect(Object.keys(ev.attributes)).toEqual(expect.arrayContaining(EVENT_ATTRIBUTES));
  });
});

describe('DELETE /v1/events/{ev}', () => {
  it('soft-deletes the event and hides everything under it, for everyone', async () => {
    const ev = await createPublishedEvent(t, owner.token);
    const [track, room, type, speaker] = await Promise.all([
      createTrack(t, owner.token, ev),
      createRoom(t, owner.token, ev),
      createSessionType(t, owner.token, ev),
      createSpeaker(t, owner.token, ev),
    ]);
    const session = await createSession(t, owner.token, ev, { state: 'accepted' }, { speakers: [speaker] });
    const gone = await t.request({ method: 'DELETE', url: `/v1/events/${ev.attributes.identifier}`, token: owner.token });
    expect(gone.status, gone.text).toBe(200);
    expect(gone.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    for (const token of [undefined, owner.token, admin.token]) {
      expect((await get(t, `/v1/events/${ev.id}`, token)).status).toBe(404);
      expect((await get(t, `/v1/events/${ev.attributes.identifier}`, token)).status).toBe(404);
      for (const [plural, child] of [
        ['tracks', track],
        ['microlocations', room],
        ['session-types', type],
        ['speakers', speaker],
        ['sessions', session],
      ] as const) {
        expect((await get(t, `/v1/${plural}/${child.id}`, token)).status, `${plural} ${token ? 'signed in' : 'anonymous'}`).toBe(404);
        expect((await get(t, `/v1/events/${ev.id}/${plural}`, token)).status, `list ${plural}`).toBe(404);
      }
    }
    expect(ids(await get(t, '/v1/events?page[size]=100', admin.token))).not.toContain(ev.id);
    expect((await t.request({ method: 'DELETE', url: `/v1/events/${ev.id}`, token: owner.token })).status).toBe(404);
    const patched = await patchEvent(ev, { name: 'zombie' });
    expect(patched.status).toBe(404);
    const child = await t.request({
      method: 'POST',
      url: '/v1/tracks',
      token: owner.token,
      json: body('track', { name: 'late' }, { event: { data: { type: 'event', id: ev.id } } }),
    });
    expect(child.status).toBe(404);
  });

  it('keeps the identifier taken: a new event never reuses it', async () => {
    const ev = await createEvent(t, owner.token);
    await t.request({ method: 'DELETE', url: `/v1/events/${ev.id}`, token: owner.token });
    const fresh = await createEvent(t, owner.token);
    expect(fresh.attributes.identifier).not.toBe(ev.attributes.identifier);
  });
});
