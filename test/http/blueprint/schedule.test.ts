// OES's API Blueprint for the schedule (issue 14): every action openevent has on tracks, microlocations,
// session types, sessions, favourite sessions and speakers, sent with the Blueprint's example request body
// (ids replaced by records made here) and answered with OES's status and its example response's shape —
// type, attribute keys, relationship names — and the values that follow from the request.
// Source: docs/api/blueprint/{tracks,microlocations}.apib, session/{session_type,sessions,favourite_sessions}.apib,
// speaker/speakers.apib of fossasia/open-event-server.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createPublishedEvent, createSession, get, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { expectDeleted, expectDocument, type BlueprintShape } from '../../support/blueprint.ts';

let t: TestApp;
let owner: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token);
});

const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, json?: unknown, token = owner.token) =>
  t.request({ method, url, token, ...(json !== undefined ? { json } : {}) });

const TRACK: BlueprintShape = {
  type: 'track',
  attributes: ['color', 'deleted-at', 'description', 'font-color', 'name'],
  relationships: ['event', 'sessions'],
};
const MICROLOCATION: BlueprintShape = {
  type: 'microlocation',
  attributes: ['deleted-at', 'floor', 'latitude', 'longitude', 'name', 'room'],
  relationships: ['event', 'sessions'],
};
const SESSION_TYPE: BlueprintShape = { type: 'session-type', attributes: ['deleted-at', 'length', 'name'], relationships: ['event', 'sessions'] };
const SESSION_ATTRIBUTES = [
  'audio-url', 'average-rating', 'comments', 'created-at', 'deleted-at', 'ends-at', 'is-mail-sent', 'language', 'last-modified-at',
  'level', 'long-abstract', 'short-abstract', 'signup-url', 'slides-url', 'starts-at', 'state', 'submitted-at', 'subtitle', 'title', 'video-url',
];
/** A single session (create, details, update) in OES's examples. */
const SESSION: BlueprintShape = { type: 'session', attributes: SESSION_ATTRIBUTES, relationships: ['creator', 'event', 'microlocation', 'session-type', 'track'] };
/** A session in OES's example lists. */
const SESSION_IN_LIST: BlueprintShape = { type: 'session', attributes: SESSION_ATTRIBUTES, relationships: ['event', 'microlocation', 'session-type', 'speakers', 'track'] };
const SPEAKER: BlueprintShape = {
  type: 'speaker',
  attributes: [
    'city', 'country', 'deleted-at', 'email', 'facebook', 'gender', 'github', 'heard-from', 'is-email-overridden', 'is-featured', 'linkedin',
    'long-biography', 'mobile', 'name', 'organisation', 'position', 'short-biography', 'speaking-experience', 'sponsorship-required', 'twitter', 'website',
  ],
  relationships: ['event', 'sessions', 'user'],
};
const FAVOURITE: BlueprintShape = { type: 'user-favourite-session', attributes: [], relationships: ['session', 'user'] };

/** A speaker's contact details are the event team's and the speaker's own (OES answers them to anyone). */
const SPEAKER_PRIVACY = { email: 'private to the event team and the speaker', mobile: 'private to the event team and the speaker' };

describe('tracks.apib', () => {
  it('create, details, update, the event’s list, a session’s track, delete', async () => {
    const created = await send('POST', '/v1/tracks', {
      data: {
        relationships: { event: { data: { type: 'event', id: ev.id } } },
        attributes: { name: 'Main Track', description: 'description', color: '#a04b4b' },
        type: 'track',
      },
    });
    const track = expectDocument(created, 201, TRACK);
    expect(track.attributes).toMatchObject({ name: 'Main Track', description: 'description', color: '#a04b4b', 'font-color': '#ffffff', 'deleted-at': null });
    expect(track.links).toEqual({ self: `/v1/tracks/${track.id}` });

    expectDocument(await get(t, `/v1/tracks/${track.id}`, owner.token), 200, TRACK);
    const updated = await send('PATCH', `/v1/tracks/${track.id}`, {
      data: { attributes: { name: 'Main Track', description: 'description', color: '#a04b4b' }, type: 'track', id: track.id },
    });
    expect(expectDocument(updated, 200, TRACK).attributes).toMatchObject({ name: 'Main Track', color: '#a04b4b', 'font-color': '#ffffff' });
    expectDocument(await get(t, `/v1/events/${ev.attributes.identifier}/tracks`), 200, TRACK);
    const session = await createSession(t, owner.token, ev, { state: 'accepted' }, { track });
    expect(expectDocument(await get(t, `/v1/sessions/${session.id}/track`), 200, TRACK).id).toBe(track.id);

    expectDeleted(await send('DELETE', `/v1/tracks/${track.id}`), 'DELETE track');
    expect((await get(t, `/v1/tracks/${track.id}`, owner.token)).status).toBe(404);
  });
});

describe('microlocations.apib', () => {
  it('create, details, update, the event’s list, a session’s microlocation, delete', async () => {
    const created = await send('POST', '/v1/microlocations', {
      data: {
        relationships: { event: { data: { type: 'event', id: ev.id } } },
        attributes: { name: 'microlocation-name', latitude: '45.00', longitude: '45.00', floor: '2', room: 'room1' },
        type: 'microlocation',
      },
    });
    const room = expectDocument(created, 201, MICROLOCATION);
    expect(room.attributes).toMatchObject({ name: 'microlocation-name', latitude: 45, longitude: 45, floor: 2, room: 'room1', 'deleted-at': null });

    expectDocument(await get(t, `/v1/microlocations/${room.id}`, owner.token), 200, MICROLOCATION);
    const updated = await send('PATCH', `/v1/microlocations/${room.id}`, {
      data: {
        attributes: { name: 'microlocation-name1', latitude: '46.00', longitude: '46.00', floor: '21', room: 'room11' },
        type: 'microlocation',
        id: room.id,
      },
    });
    expect(expectDocument(updated, 200, MICROLOCATION).attributes).toMatchObject({ name: 'microlocation-name1', latitude: 46, longitude: 46, floor: 21, room: 'room11' });
    expectDocument(await get(t, `/v1/events/${ev.attributes.identifier}/microlocations`), 200, MICROLOCATION);
    const session = await createSession(t, owner.token, ev, { state: 'accepted' }, { microlocation: room });
    expect(expectDocument(await get(t, `/v1/sessions/${session.id}/microlocation`), 200, MICROLOCATION).id).toBe(room.id);

    expectDeleted(await send('DELETE', `/v1/microlocations/${room.id}`), 'DELETE microlocation');
    expect((await get(t, `/v1/microlocations/${room.id}`, owner.token)).status).toBe(404);
  });
});

describe('session/session_type.apib', () => {
  it('create, details, update, the event’s list, a session’s type, delete', async () => {
    const created = await send('POST', '/v1/session-types', {
      data: { relationships: { event: { data: { type: 'event', id: ev.id } } }, attributes: { name: 'Workshop', length: '00:30' }, type: 'session-type' },
    });
    const type = expectDocument(created, 201, SESSION_TYPE);
    expect(type.attributes).toMatchObject({ name: 'Workshop', length: '00:30', 'deleted-at': null });

    expectDocument(await get(t, `/v1/session-types/${type.id}`, owner.token), 200, SESSION_TYPE);
    const updated = await send('PATCH', `/v1/session-types/${type.id}`, {
      data: { attributes: { name: 'Workshop 2', length: '01:30' }, type: 'session-type', id: type.id },
    });
    expect(expectDocument(updated, 200, SESSION_TYPE).attributes).toMatchObject({ name: 'Workshop 2', length: '01:30' });
    expectDocument(await get(t, `/v1/events/${ev.attributes.identifier}/session-types`), 200, SESSION_TYPE);
    const session = await createSession(t, owner.token, ev, { state: 'accepted' }, { sessionType: type });
    expect(expectDocument(await get(t, `/v1/sessions/${session.id}/session-type`), 200, SESSION_TYPE).id).toBe(type.id);

    expectDeleted(await send('DELETE', `/v1/session-types/${type.id}`), 'DELETE session type');
    expect((await get(t, `/v1/session-types/${type.id}`, owner.token)).status).toBe(404);
  });
});

describe('session/sessions.apib and speaker/speakers.apib', () => {
  let track: Resource;
  let room: Resource;
  let type: Resource;
  let session: Resource;
  let speaker: Resource;

  beforeAll(async () => {
    const make = async (url: string, json: unknown) => {
      const response = await send('POST', url, json);
      if (response.status !== 201) throw new Error(`POST ${url}: ${response.text}`);
      return response.body.data as Resource;
    };
    const event = { data: { type: 'event', id: ev.id } };
    [track, room, type] = await Promise.all([
      make('/v1/tracks', { data: { relationships: { event }, attributes: { name: 'Main Track', description: 'description', color: '#a04b4b' }, type: 'track' } }),
      make('/v1/microlocations', { data: { relationships: { event }, attributes: { name: 'microlocation-name', latitude: '45.00', longitude: '45.00', floor: '2', room: 'room1' }, type: 'microlocation' } }),
      make('/v1/session-types', { data: { relationships: { event }, attributes: { name: 'Workshop', length: '00:30' }, type: 'session-type' } }),
    ]);
  });

  it('Create Sessions: 201 with every attribute of OES’s example, the request’s values and OES’s relationships', async () => {
    const created = await send('POST', '/v1/sessions', {
      data: {
        relationships: { event: { data: { type: 'event', id: ev.id } }, track: { data: { type: 'track', id: track.id } } },
        attributes: {
          title: 'Micropython Session',
          subtitle: 'Title',
          level: 'Expert',
          'short-abstract': 'Short Abstract',
          'long-abstract': 'The Long Abstract',
          comments: 'Comment',
          'starts-at': '2099-06-01T10:00:00.500127+00:00',
          'ends-at': '2099-06-01T11:00:00.500127+00:00',
          language: 'English',
          'slides-url': 'http://example.com/example',
          'video-url': 'http://example.com/example',
          'audio-url': 'http://example.com/example',
          'signup-url': 'http://example.com/example',
          state: 'accepted',
          'created-at': '2017-05-01T01:24:47.500127+00:00',
          'deleted-at': null,
          'submitted-at': '2017-05-01T01:24:47.500127+00:00',
          'is-mail-sent': false,
          'last-modified-at': '2017-05-01T01:24:47.500127+00:00',
        },
        type: 'session',
      },
    });
    session = expectDocument(created, 201, SESSION);
    expect(session.attributes).toMatchObject({
      title: 'Micropython Session',
      subtitle: 'Title',
      level: 'Expert',
      'short-abstract': 'Short Abstract',
      'long-abstract': 'The Long Abstract',
      comments: 'Comment',
      language: 'English',
      'slides-url': 'http://example.com/example',
      'signup-url': 'http://example.com/example',
      state: 'accepted',
      'deleted-at': null,
      'is-mail-sent': false,
      'average-rating': null,
    });
    // The request's instants (openevent keeps milliseconds, OES microseconds).
    expect(Date.parse(session.attributes['starts-at'])).toBe(Date.parse('2099-06-01T10:00:00.500Z'));
    expect(Date.parse(session.attributes['ends-at'])).toBe(Date.parse('2099-06-01T11:00:00.500Z'));
    // created-at is the server's, not the client's 2017.
    expect(session.attributes['created-at']).not.toContain('2017');
    expect(session.relationships!.track!.data).toEqual({ type: 'track', id: track.id });
    expect(session.relationships!.creator!.data).toEqual({ type: 'user', id: String(owner.id) });
  });

  it('Session Details and Update Session', async () => {
    expectDocument(await get(t, `/v1/sessions/${session.id}`, owner.token), 200, SESSION);
    const updated = await send('PATCH', `/v1/sessions/${session.id}`, {
      data: {
        attributes: {
          title: 'Micropython Session',
          level: 'Expert',
          'starts-at': '2099-06-01T10:00:00.500127+00:00',
          'ends-at': '2099-06-01T11:00:00.500127+00:00',
          'created-at': '2017-05-01T01:24:47.500127+00:00',
          'is-mail-sent': false,
        },
        type: 'session',
        id: session.id,
      },
    });
    const data = expectDocument(updated, 200, SESSION);
    expect(data.attributes).toMatchObject({ title: 'Micropython Session', level: 'Expert', 'is-mail-sent': false });
    expect(data.attributes['created-at']).toBe(session.attributes['created-at']);
  });

  it('Create Speaker with OES’s body: linked to the user and the session', async () => {
    const created = await send('POST', '/v1/speakers', {
      data: {
        type: 'speaker',
        relationships: {
          event: { data: { type: 'event', id: ev.id } },
          user: { data: { type: 'user', id: String(owner.id) } },
          sessions: { data: [{ type: 'session', id: session.id }] },
        },
        attributes: { name: 'firstSpeaker', email: 'firstSpeaker@gmail.com', website: 'https://firstSpeaker.com', city: 'Delhi', gender: 'Man', country: 'India' },
      },
    });
    speaker = expectDocument(created, 201, SPEAKER);
    expect(speaker.attributes).toMatchObject({
      name: 'firstSpeaker',
      email: 'firstSpeaker@gmail.com',
      website: 'https://firstSpeaker.com',
      city: 'Delhi',
      gender: 'Man',
      country: 'India',
      'is-featured': false,
      'deleted-at': null,
    });
    expect(speaker.relationships!.user!.data).toEqual({ type: 'user', id: String(owner.id) });
    expect(speaker.relationships!.sessions!.data).toEqual([{ type: 'session', id: session.id }]);
  });

  it('Speaker Details and Update Speaker; the team sees the contact details, strangers do not', async () => {
    expectDocument(await get(t, `/v1/speakers/${speaker.id}`, owner.token), 200, SPEAKER);
    expectDocument(await get(t, `/v1/speakers/${speaker.id}`), 200, SPEAKER, SPEAKER_PRIVACY, 'speaker read by a stranger');
    const updated = await send('PATCH', `/v1/speakers/${speaker.id}`, {
      data: {
        attributes: {
          name: 'firstSpeaker-Patched',
          email: 'firstSpeaker_Patched@gmail.com',
          website: 'https://firstSpeaker-Patched.com',
          city: 'Delhi',
          gender: 'Man',
          country: 'India',
        },
        type: 'speaker',
        id: speaker.id,
      },
    });
    expect(expectDocument(updated, 200, SPEAKER).attributes).toMatchObject({
      name: 'firstSpeaker-Patched',
      email: 'firstSpeaker_Patched@gmail.com',
      website: 'https://firstSpeaker-Patched.com',
    });
  });

  it('the session lists: under the event, a track, a session type, a microlocation and a speaker', async () => {
    await send('PATCH', `/v1/sessions/${session.id}`, {
      data: {
        type: 'session',
        id: session.id,
        relationships: { microlocation: { data: { type: 'microlocation', id: room.id } }, 'session-type': { data: { type: 'session-type', id: type.id } } },
      },
    });
    for (const url of [
      `/v1/events/${ev.attributes.identifier}/sessions`,
      `/v1/tracks/${track.id}/sessions`,
      `/v1/session-types/${type.id}/sessions`,
      `/v1/microlocations/${room.id}/sessions`,
      `/v1/speakers/${speaker.id}/sessions`,
    ]) {
      const list = expectDocument(await get(t, url, owner.token), 200, SESSION_IN_LIST, {}, url);
      expect(list.map((s: Resource) => s.id), url).toContain(session.id);
    }
  });

  it('the speaker lists: under the event, a session and a user', async () => {
    for (const [url, token] of [
      [`/v1/events/${ev.attributes.identifier}/speakers`, owner.token],
      [`/v1/sessions/${session.id}/speakers`, owner.token],
      [`/v1/users/${owner.id}/speakers`, owner.token],
    ] as const) {
      const list = expectDocument(await get(t, url, token), 200, SPEAKER, {}, url);
      expect(list.map((s: Resource) => s.id), url).toEqual([speaker.id]);
    }
    expectDocument(await get(t, `/v1/events/${ev.attributes.identifier}/speakers`), 200, SPEAKER, SPEAKER_PRIVACY, 'the public speaker list');
  });

  it('Session States and Sessions State Change Mails answer OES’s keys', async () => {
    const states = await get(t, '/v1/sessions/states');
    expect(states.status).toBe(200);
    expect(Object.keys(states.body).sort()).toEqual(['organizer', 'speaker']);
    const mails = await get(t, '/v1/sessions/mails', owner.token);
    expect(mails.status, mails.text).toBe(200);
    expect(Object.keys(mails.body)).toEqual(expect.arrayContaining(['accepted', 'canceled', 'confirmed', 'pending', 'recipient', 'rejected', 'withdrawn']));
  });

  it('Delete Speaker and Delete Session', async () => {
    expectDeleted(await send('DELETE', `/v1/speakers/${speaker.id}`), 'DELETE speaker');
    expect((await get(t, `/v1/speakers/${speaker.id}`, owner.token)).status).toBe(404);
    expectDeleted(await send('DELETE', `/v1/sessions/${session.id}`), 'DELETE session');
    expect((await get(t, `/v1/sessions/${session.id}`, owner.token)).status).toBe(404);
  });
});

describe('session/favourite_sessions.apib', () => {
  it('Create a Favourite Session with OES’s body, Get Details, List All Favourite Sessions of an User, Delete it', async () => {
    const session = await createSession(t, owner.token, ev, { state: 'accepted' });
    const fan = await quickUser(t);
    const created = await send('POST', '/v1/user-favourite-sessions', { data: { type: 'user-favourite-session', relationships: { session: { data: { id: session.id, type: 'session' } } } } }, fan.token);
    const favourite = expectDocument(created, 201, FAVOURITE);
    expect(favourite.relationships.session.data).toEqual({ type: 'session', id: session.id });
    expect(favourite.relationships.user.data).toEqual({ type: 'user', id: String(fan.id) });

    // Get Details and List All Favourite Sessions of an User: your own only.
    expect(expectDocument(await get(t, `/v1/user-favourite-sessions/${favourite.id}`, fan.token), 200, FAVOURITE).id).toBe(favourite.id);
    const mine = expectDocument(await get(t, `/v1/users/${fan.id}/user-favourite-sessions`, fan.token), 200, FAVOURITE);
    expect(mine.map((f: Resource) => f.id)).toEqual([favourite.id]);
    expect((await get(t, `/v1/user-favourite-sessions/${favourite.id}`, owner.token)).status).toBe(404);
    expect((await get(t, `/v1/users/${fan.id}/user-favourite-sessions`, owner.token)).status).toBe(404);
    expect((await get(t, `/v1/users/${fan.id}/user-favourite-sessions`)).status).toBe(401);

    expectDeleted(await send('DELETE', `/v1/user-favourite-sessions/${favourite.id}`, undefined, fan.token), 'DELETE favourite');
    expect((await get(t, `/v1/user-favourite-sessions/${favourite.id}`, fan.token)).status).toBe(404);
    expect((await get(t, '/v1/users/me/favourite-sessions', fan.token)).body.data).toEqual([]);
  });
});
