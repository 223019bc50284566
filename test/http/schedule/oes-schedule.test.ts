// The schedule resources as OES answers them for its web client (issues 13 item 6 and 14 item 1):
// relationship links, related-resource and relationship routes, nested includes, page[size]=0, OES's
// input values and Blueprint example bodies, the attributes the client's models send, and the
// session dates, languages and states the public pages ask for.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  body,
  createPublishedEvent,
  createRoom,
  createSession,
  createSessionType,
  createSpeaker,
  createTrack,
  get,
  ids,
  quickUser,
  rel,
  type Resource,
  type User,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let visitor: User;
let ev: Resource;
let track: Resource;
let room: Resource;
let type: Resource;
let speaker: Resource;
let hiddenSpeaker: Resource;
let accepted: Resource;
let draft: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, visitor] = await Promise.all([quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token, { timezone: 'Asia/Tokyo' });
  [track, room, type] = await Promise.all([createTrack(t, owner.token, ev, { color: '#102030' }), createRoom(t, owner.token, ev), createSessionType(t, owner.token, ev)]);
  [speaker, hiddenSpeaker] = await Promise.all([createSpeaker(t, owner.token, ev, { name: 'Ada' }), createSpeaker(t, owner.token, ev, { name: 'Hidden' })]);
  // 16:30 UTC on the 9th is 01:30 on the 10th in Tokyo.
  accepted = await createSession(
    t,
    owner.token,
    ev,
    { state: 'accepted', 'starts-at': '2031-03-09T16:30:00Z', 'ends-at': '2031-03-09T17:30:00Z', language: 'English' },
    { track, microlocation: room, sessionType: type, speakers: [speaker] },
  );
  draft = await createSession(t, owner.token, ev, { state: 'draft', language: 'Klingon' }, { track, speakers: [hiddenSpeaker] });
});

const links = (plural: string, id: string, name: string) => ({
  self: `/v1/${plural}/${id}/relationships/${name}`,
  related: `/v1/${plural}/${id}/${name}`,
});

describe('relationships as OES gives them', () => {
  it('every relationship of a session has links; the event has no numeric linkage; features openevent lacks are empty', async () => {
    const { data } = (await get(t, `/v1/sessions/${accepted.id}`, owner.token)).body;
    const names = ['event', 'track', 'microlocation', 'session-type', 'speakers', 'creator', 'favourite', 'favourites', 'feedbacks', 'exhibitors', 'speaker-invites'];
    expect(Object.keys(data.relationships).sort()).toEqual(names.sort());
    for (const name of names) expect(data.relationships[name].links, name).toEqual(links('sessions', accepted.id, name));
    expect(data.relationships.event.data).toBeUndefined();
    expect(data.relationships.track.data).toEqual({ type: 'track', id: track.id });
    expect(data.relationships.creator.data).toEqual({ type: 'user', id: String(owner.id) });
    expect(data.relationships.feedbacks.data).toEqual([]);
    expect(data.relationships.exhibitors.data).toEqual([]);
    expect(data.relationships.favourite.data).toBeNull();
  });

  it('the public sees the creator as a link only, not who it is', async () => {
    const { data } = (await get(t, `/v1/sessions/${accepted.id}`)).body;
    expect(data.relationships.creator).toEqual({ links: links('sessions', accepted.id, 'creator') });
    expect((await get(t, `/v1/sessions/${accepted.id}/creator`)).status).toBe(404);
  });

  it('tracks, rooms and session types link their sessions and the event; rooms their (absent) video stream; speakers their user', async () => {
    for (const [plural, resource] of [['tracks', track], ['microlocations', room], ['session-types', type]] as const) {
      const { data } = (await get(t, `/v1/${plural}/${resource.id}`)).body;
      expect(data.relationships.event).toEqual({ links: links(plural, resource.id, 'event') });
      // The public sees the accepted session only.
      expect(data.relationships.sessions).toEqual({ data: [{ type: 'session', id: accepted.id }], links: links(plural, resource.id, 'sessions') });
    }
    const roomData = (await get(t, `/v1/microlocations/${room.id}`)).body.data;
    expect(roomData.relationships['video-stream'].data).toBeNull();
    const speakerData = (await get(t, `/v1/speakers/${speaker.id}`, owner.token)).body.data;
    expect(speakerData.relationships.user).toEqual({ data: null, links: links('speakers', speaker.id, 'user') });
    expect(Object.keys(speakerData.relationships).sort()).toEqual(['event', 'sessions', 'user']);
  });

  it("the viewer's favourite is linked and included", async () => {
    const marked = await t.request({
      method: 'POST',
      url: '/v1/user-favourite-sessions',
      token: visitor.token,
      json: { data: { type: 'user-favourite-session', relationships: { session: rel('session', accepted) } } },
    });
    expect(marked.status, marked.text).toBe(201);
    const mine = (await get(t, `/v1/sessions/${accepted.id}?include=favourite`, visitor.token)).body;
    expect(mine.data.relationships.favourite.data).toEqual({ type: 'user-favourite-session', id: marked.body.data.id });
    expect(mine.included).toEqual([expect.objectContaining({ type: 'user-favourite-session', id: marked.body.data.id })]);
    expect(mine.data.attributes['favourite-count']).toBe(1);
    // Someone else's mark is not anyone else's favourite.
    const others = (await get(t, `/v1/sessions/${accepted.id}?include=favourite`, owner.token)).body;
    expect(others.data.relationships.favourite.data).toBeNull();
    expect(others.included).toBeUndefined();
  });
});

describe('related-resource and relationship routes', () => {
  it('follows a session to its track, room, type, speakers and event', async () => {
    expect((await get(t, `/v1/sessions/${accepted.id}/track`)).body.data).toMatchObject({ type: 'track', id: track.id });
    expect((await get(t, `/v1/sessions/${accepted.id}/microlocation`)).body.data).toMatchObject({ type: 'microlocation', id: room.id });
    expect((await get(t, `/v1/sessions/${accepted.id}/session-type`)).body.data).toMatchObject({ type: 'session-type', id: type.id });
    const speakers = await get(t, `/v1/sessions/${accepted.id}/speakers`);
    expect(ids(speakers)).toEqual([speaker.id]);
    expect(speakers.body.meta.count).toBe(1);
    const event = await get(t, `/v1/sessions/${accepted.id}/event`);
    expect(event.body.data).toMatchObject({ type: 'event', id: ev.id, attributes: { identifier: ev.attributes.identifier } });
    expect((await get(t, `/v1/sessions/${draft.id}/microlocation`, owner.token)).body.data).toBeNull();
  });

  it("lists a track's, room's, type's and speaker's sessions as the viewer may see them", async () => {
    expect(ids(await get(t, `/v1/tracks/${track.id}/sessions`)).sort()).toEqual([accepted.id]);
    expect(ids(await get(t, `/v1/tracks/${track.id}/sessions?sort=-title`, owner.token)).sort()).toEqual([accepted.id, draft.id].sort());
    expect(ids(await get(t, `/v1/microlocations/${room.id}/sessions`))).toEqual([accepted.id]);
    expect(ids(await get(t, `/v1/session-types/${type.id}/sessions`))).toEqual([accepted.id]);
    expect(ids(await get(t, `/v1/speakers/${speaker.id}/sessions`))).toEqual([accepted.id]);
    // A speaker of a draft session only does not exist for the public, nor do the routes through them.
    expect((await get(t, `/v1/speakers/${hiddenSpeaker.id}/sessions`)).status).toBe(404);
    const filtered = await get(t, `/v1/tracks/${track.id}/sessions?filter=${encodeURIComponent(JSON.stringify([{ name: 'state', op: 'eq', val: 'draft' }]))}`, owner.token);
    expect(ids(filtered)).toEqual([draft.id]);
  });

  it('answers the linkage alone under /relationships/', async () => {
    const one = await get(t, `/v1/sessions/${accepted.id}/relationships/track`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ data: { type: 'track', id: track.id }, links: links('sessions', accepted.id, 'track'), jsonapi: { version: '1.0' } });
    expect((await get(t, `/v1/sessions/${accepted.id}/relationships/speakers`)).body.data).toEqual([{ type: 'speaker', id: speaker.id }]);
    expect((await get(t, `/v1/tracks/${track.id}/relationships/sessions`, owner.token)).body.data.map((s: Resource) => s.id).sort()).toEqual(
      [accepted.id, draft.id].sort(),
    );
    expect((await get(t, `/v1/tracks/${track.id}/relationships/event`)).body.data).toEqual({ type: 'event', id: ev.id });
    expect((await get(t, `/v1/microlocations/${room.id}/video-stream`)).body.data).toBeNull();
    expect((await get(t, `/v1/sessions/${accepted.id}/feedbacks`)).body).toMatchObject({ data: [], meta: { count: 0 } });
  });
});

describe('lists and includes as the public pages ask', () => {
  it('page[size]=0 answers every row on one page', async () => {
    const many = await Promise.all(Array.from({ length: 23 }, (_, n) => createTrack(t, owner.token, ev, { name: `Bulk ${n}` })));
    const all = await get(t, `/v1/events/${ev.id}/tracks?page[size]=0`);
    expect(all.status, all.text).toBe(200);
    expect(all.body.data.length).toBe(many.length + 1);
    expect(all.body.meta.count).toBe(many.length + 1);
    expect(all.body.links.next).toBeNull();
    // By identifier too, as OES's client asks.
    expect((await get(t, `/v1/events/${ev.attributes.identifier}/tracks?page[size]=0`)).body.data.length).toBe(many.length + 1);
  });

  it("speakers: is-featured as the text \"true\", sort=order, include=sessions.track", async () => {
    const featured = await createSpeaker(t, owner.token, ev, { name: 'Zed', 'is-featured': 'true', order: '1' });
    await t.request({ method: 'PATCH', url: `/v1/speakers/${speaker.id}`, token: owner.token, json: { data: { type: 'speaker', id: speaker.id, attributes: { order: 2 } } } });
    await t.request({
      method: 'PATCH',
      url: `/v1/sessions/${accepted.id}`,
      token: owner.token,
      json: { data: { type: 'session', id: accepted.id, relationships: { speakers: rel('speaker', [speaker, featured]) } } },
    });
    const filter = encodeURIComponent(JSON.stringify([{ name: 'is-featured', op: 'eq', val: 'true' }]));
    expect(ids(await get(t, `/v1/events/${ev.id}/speakers?filter=${filter}&page[size]=0`))).toEqual([featured.id]);
    const ordered = await get(t, `/v1/events/${ev.id}/speakers?sort=order&include=sessions.track&page[size]=0`);
    expect(ordered.status, ordered.text).toBe(200);
    expect(ids(ordered)).toEqual([featured.id, speaker.id]);
    const included = ordered.body.included.map((r: Resource) => `${r.type}:${r.id}`).sort();
    expect(included).toEqual([`session:${accepted.id}`, `track:${track.id}`].sort());
  });

  it('sessions: include=track,speakers,session-type,favourite,microlocation.video-stream and event', async () => {
    const list = await get(t, `/v1/events/${ev.id}/sessions?include=track,speakers,session-type,favourite,microlocation.video-stream&page[size]=0`);
    expect(list.status, list.text).toBe(200);
    const types = new Set(list.body.included.map((r: Resource) => r.type));
    expect([...types].sort()).toEqual(['microlocation', 'session-type', 'speaker', 'track']);
    const one = await get(t, `/v1/sessions/${accepted.id}?include=event,favourite`);
    expect(one.body.included).toEqual([expect.objectContaining({ type: 'event', id: ev.id })]);
    // include on every single-resource GET, nested too.
    expect((await get(t, `/v1/tracks/${track.id}?include=sessions.speakers`)).body.included.map((r: Resource) => r.type).sort()).toEqual(
      expect.arrayContaining(['session', 'speaker']),
    );
    expect((await get(t, `/v1/microlocations/${room.id}?include=video-stream,event`)).status).toBe(200);
  });

  it('sorts on the attributes OES allows', async () => {
    for (const [plural, sort] of [['sessions', '-starts-at,title,language'], ['speakers', 'name,-order,city'], ['tracks', '-position,color'], ['microlocations', 'floor,-name'], ['session-types', 'length']]) {
      const response = await get(t, `/v1/events/${ev.id}/${plural}?sort=${sort}`, owner.token);
      expect(response.status, `${plural} ${sort}: ${response.text}`).toBe(200);
    }
  });
});

describe('what OES takes in requests', () => {
  it("takes OES's Blueprint example bodies", async () => {
    const session = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: owner.token,
      json: {
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
      },
    });
    expect(session.status, session.text).toBe(201);
    expect(session.body.data.attributes).toMatchObject({ title: 'Micropython Session', level: 'Expert', state: 'accepted', 'average-rating': null });
    expect(session.body.data.relationships.track.links).toEqual(links('sessions', session.body.data.id, 'track'));

    const room = await t.request({
      method: 'POST',
      url: '/v1/microlocations',
      token: owner.token,
      json: {
        data: {
          relationships: { event: { data: { type: 'event', id: ev.id } } },
          attributes: { name: 'microlocation-name', latitude: '45.00', longitude: '45.00', floor: '2', room: 'room1' },
          type: 'microlocation',
        },
      },
    });
    expect(room.status, room.text).toBe(201);
    expect(room.body.data.attributes).toMatchObject({ latitude: 45, longitude: 45, floor: 2, room: 'room1' });

    const speaker = await t.request({
      method: 'POST',
      url: '/v1/speakers',
      token: owner.token,
      json: {
        data: {
          type: 'speaker',
          relationships: {
            event: { data: { type: 'event', id: ev.id } },
            user: { data: { type: 'user', id: String(owner.id) } },
            sessions: { data: [{ type: 'session', id: session.body.data.id }] },
          },
          attributes: { name: 'firstSpeaker', email: 'firstSpeaker@gmail.com', website: 'https://firstSpeaker.com', city: 'Delhi', gender: 'Man', country: 'India' },
        },
      },
    });
    expect(speaker.status, speaker.text).toBe(201);
    expect(speaker.body.data.relationships.user.data).toEqual({ type: 'user', id: String(owner.id) });
    expect(speaker.body.data.relationships.sessions.data).toEqual([{ type: 'session', id: session.body.data.id }]);
    const user = await get(t, `/v1/speakers/${speaker.body.data.id}?include=user`, owner.token);
    expect(user.body.included).toEqual([expect.objectContaining({ type: 'user', id: String(owner.id) })]);
  });

  it("accepts, stores and answers every attribute OES's client sends for a session, with null for unset ones", async () => {
    const attributes = {
      title: 'Everything',
      state: null,
      website: 'https://talk.example.org',
      twitter: 'https://twitter.com/talk',
      facebook: 'https://facebook.com/talk',
      github: 'https://github.com/talk',
      gitlab: 'https://gitlab.com/talk',
      linkedin: 'https://linkedin.com/in/talk',
      instagram: 'https://instagram.com/talk',
      mastodon: 'https://mastodon.social/@talk',
      slides: [{ name: 'Slides', link: 'https://talk.example.org/slides.pdf' }],
      'complex-field-values': { 'best-time': 'morning' },
      'send-email': 'true',
      'average-rating': 0,
      'favourite-count': 0,
      'is-locked': 'false',
      'starts-at': null,
      'ends-at': null,
    };
    const created = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: owner.token,
      json: body('session', attributes, { event: rel('event', ev.attributes.identifier), creator: rel('user', String(owner.id)) }),
    });
    expect(created.status, created.text).toBe(201);
    const { 'send-email': _sent, 'average-rating': _rating, 'favourite-count': _count, ...stored } = attributes;
    const read = (await get(t, `/v1/sessions/${created.body.data.id}`, owner.token)).body.data.attributes;
    // state null on create is the default, as OES takes it.
    expect(read).toMatchObject({ ...stored, state: 'draft', 'is-locked': false });
    expect(read).not.toHaveProperty('send-email');
  });

  it('accepts the speaker, track and room attributes of the client, booleans and numbers as text', async () => {
    const speakerAttributes = {
      name: 'Grace',
      'thumbnail-image-url': 'https://img.example.org/t.png',
      'small-image-url': 'https://img.example.org/s.png',
      'icon-image-url': 'https://img.example.org/i.png',
      'speaking-experience': 'Keynotes since 1990',
      location: 'Arlington',
      facebook: 'https://facebook.com/grace',
      mastodon: 'https://mastodon.social/@grace',
      instagram: 'https://instagram.com/grace',
      'is-email-overridden': 'true',
      'heard-from': 'Friend',
      order: '5',
      'complex-field-values': { tshirt: 'M' },
      'speaker-positions': { cobol: 'author' },
      'is-featured': false,
    };
    const created = await createSpeaker(t, owner.token, ev, speakerAttributes, { user: rel('user', String(visitor.id)) });
    const read = (await get(t, `/v1/speakers/${created.id}`, owner.token)).body.data;
    expect(read.attributes).toMatchObject({ ...speakerAttributes, 'is-email-overridden': true, order: 5 });
    expect(read.relationships.user.data).toEqual({ type: 'user', id: String(visitor.id) });
    const noUser = await t.request({
      method: 'POST',
      url: '/v1/speakers',
      token: owner.token,
      json: body('speaker', { name: 'Nobody' }, { event: rel('event', ev), user: rel('user', '999999') }),
    });
    expect(noUser.status, noUser.text).toBe(422);
    expect(noUser.body.errors[0].source).toEqual({ pointer: '/data/relationships/user' });

    const lightTrack = await createTrack(t, owner.token, ev, { color: '#f0f0f0', 'font-color': '#123456', position: '4' });
    expect(lightTrack.attributes).toMatchObject({ 'font-color': '#000000', position: 4 });
    expect((await get(t, `/v1/tracks/${track.id}`)).body.data.attributes['font-color']).toBe('#ffffff');

    const chatRoom = await createRoom(t, owner.token, ev, { 'is-chat-enabled': 'true', 'is-global-event-room': true, floor: null, position: null });
    expect(chatRoom.attributes).toMatchObject({ 'is-chat-enabled': true, 'is-global-event-room': true, floor: null, position: 0, 'chat-room-name': null });
    const typeWithNulls = await createSessionType(t, owner.token, ev, { position: null });
    expect(typeWithNulls.attributes.position).toBe(0);
  });

  it('takes the event named by its identifier when the client saves a resource back', async () => {
    const response = await t.request({
      method: 'PATCH',
      url: `/v1/tracks/${track.id}`,
      token: owner.token,
      json: { data: { type: 'track', id: track.id, attributes: { name: 'Renamed' }, relationships: { event: rel('event', ev.attributes.identifier) } } },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes.name).toBe('Renamed');
  });
});

describe('what the session pages ask besides', () => {
  it("lists the days with accepted sessions in the event's zone, and the languages", async () => {
    const dates = await get(t, `/v1/events/${ev.attributes.identifier}/sessions/dates`);
    expect(dates.status).toBe(200);
    expect(dates.headers['content-type']).toMatch(/^application\/json/);
    // The Blueprint example session of an earlier test is accepted on 2099-06-01 too; the draft has no day.
    expect(dates.body).toEqual(['2031-03-10', '2099-06-01']);
    expect((await get(t, `/v1/events/${ev.id}/sessions/languages`)).body).toEqual(['English']);
    expect((await get(t, `/v1/events/${ev.id}/sessions/languages`, owner.token)).body).toEqual(['English', 'Klingon']);
  });

  it("answers OES's session state map", async () => {
    const states = await get(t, '/v1/sessions/states');
    expect(states.status).toBe(200);
    expect(states.body.speaker).toEqual({
      draft: { pending: true },
      pending: { withdrawn: true },
      accepted: { withdrawn: true },
      confirmed: { withdrawn: true },
      rejected: { withdrawn: true },
      canceled: { withdrawn: true },
      withdrawn: {},
    });
    expect(states.body.organizer.pending).toEqual({ withdrawn: true, accepted: true, rejected: true, confirmed: true });
    expect(states.body.organizer.draft).toEqual({});
  });
});
