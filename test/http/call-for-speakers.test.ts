// The call for speakers as OES and its web client have it: the event's speakers-call record, speakers
// submitting their profile and proposals through it (inside its dates, with its hash when private,
// with the fields the event's custom forms require), seeing and editing only their own, and the
// organizers' review with OES's state rules, mails when `send-email` is set, and the exported
// calendar that shows only accepted and confirmed sessions, with a new SEQUENCE on each change.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startTestApp, type TestApp, type TestResponse } from '../support/app.ts';
import {
  body,
  createPublishedEvent,
  createTrack,
  get,
  grantRole,
  ids,
  quickUser,
  rel,
  type Resource,
  type User,
} from '../support/schedule.ts';
import { startInbox, type Inbox } from '../support/smtp.ts';

let t: TestApp;
let inbox: Inbox;

beforeAll(async () => {
  inbox = await startInbox();
  t = await startTestApp({ env: { SMTP_URL: inbox.url } });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});

const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** A published event with sessions and speakers on, and its owner. */
async function cfsEvent(): Promise<{ owner: User; ev: Resource }> {
  const owner = await quickUser(t);
  const ev = await createPublishedEvent(t, owner.token, { 'starts-at': at(30), 'ends-at': at(31), 'is-sessions-speakers-enabled': true, 'is-cfs-enabled': true });
  return { owner, ev };
}

function postCall(token: string, ev: Resource, attributes: Record<string, unknown>) {
  return t.request({ method: 'POST', url: '/v1/speakers-calls', token, json: body('speakers-call', attributes, { event: rel('event', ev.id) }) });
}

async function openCall(owner: User, ev: Resource, attributes: Record<string, unknown> = {}): Promise<Resource> {
  const response = await postCall(owner.token, ev, { announcement: 'Send us your talks', 'starts-at': at(-1), 'ends-at': at(10), privacy: 'public', ...attributes });
  expect(response.status, response.text).toBe(201);
  return response.body.data;
}

function postSpeaker(token: string, ev: Resource, attributes: Record<string, unknown> = {}, query = '') {
  return t.request({ method: 'POST', url: `/v1/speakers${query}`, token, json: body('speaker', { name: 'Ada Speaker', ...attributes }, { event: rel('event', ev.id) }) });
}

function postSession(token: string, ev: Resource, attributes: Record<string, unknown> = {}, relationships: Record<string, unknown> = {}, query = '') {
  return t.request({
    method: 'POST',
    url: `/v1/sessions${query}`,
    token,
    json: body('session', { title: 'My proposal', ...attributes }, { event: rel('event', ev.id), ...relationships }),
  });
}

function patchSession(token: string, id: string, attributes: Record<string, unknown>, relationships?: Record<string, unknown>) {
  return t.request({ method: 'PATCH', url: `/v1/sessions/${id}`, token, json: { data: { type: 'session', id, attributes, ...(relationships ? { relationships } : {}) } } });
}

/** A speaker who has submitted a pending proposal with their own profile. */
async function submitted(ev: Resource, title = 'My proposal'): Promise<{ speaker: User; profile: Resource; session: Resource }> {
  const speaker = await quickUser(t);
  const profile = await postSpeaker(speaker.token, ev);
  expect(profile.status, profile.text).toBe(201);
  const session = await postSession(speaker.token, ev, { title, state: 'pending' }, { speakers: rel('speaker', [profile.body.data.id]) });
  expect(session.status, session.text).toBe(201);
  return { speaker, profile: profile.body.data, session: session.body.data };
}

function expectError(response: TestResponse, status: number, detail?: RegExp) {
  expect(response.status, response.text).toBe(status);
  expect(response.body.errors).toHaveLength(1);
  if (detail) expect(response.body.errors[0].detail).toMatch(detail);
}

describe('the speakers-call record', () => {
  it('is created, read, changed and deleted by the organizers, one per event (409 for a second)', async () => {
    const { owner, ev } = await cfsEvent();
    // None yet: 404, as OES (its wizard creates the call on that answer).
    expectError(await get(t, `/v1/events/${ev.id}/speakers-call`), 404);
    const call = await openCall(owner, ev, { hash: 'abc-123', 'soft-ends-at': at(5) });
    expect(call.type).toBe('speakers-call');
    expect(call.attributes).toMatchObject({ announcement: 'Send us your talks', privacy: 'public', hash: 'abc-123' });
    expect((call as any).relationships.event.links.related).toBe(`/v1/speakers-calls/${call.id}/event`);

    expectError(await postCall(owner.token, ev, { 'starts-at': at(1), 'ends-at': at(2) }), 409, /already exists/);

    // By event id and by identifier, and the event's relationship and include.
    for (const key of [ev.id, ev.attributes.identifier]) {
      const read = await get(t, `/v1/events/${key}/speakers-call`);
      expect(read.status, read.text).toBe(200);
      expect(read.body.data.id).toBe(call.id);
      // The hash is the private link's key: the public does not get it.
      expect(read.body.data.attributes).not.toHaveProperty('hash');
    }
    const withCall = await get(t, `/v1/events/${ev.id}?include=speakers-call`);
    expect(withCall.body.data.relationships['speakers-call'].data).toEqual({ type: 'speakers-call', id: call.id });
    expect(withCall.body.included.map((x: Resource) => `${x.type}:${x.id}`)).toContain(`speakers-call:${call.id}`);
    expect((await get(t, `/v1/speakers-calls/${call.id}/event`)).body.data.id).toBe(ev.id);

    const changed = await t.request({
      method: 'PATCH',
      url: `/v1/speakers-calls/${call.id}`,
      token: owner.token,
      json: { data: { type: 'speakers-call', id: call.id, attributes: { announcement: 'Extended!', 'ends-at': at(20) } } },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.data.attributes.announcement).toBe('Extended!');

    const backwards = await t.request({
      method: 'PATCH',
      url: `/v1/speakers-calls/${call.id}`,
      token: owner.token,
      json: { data: { type: 'speakers-call', id: call.id, attributes: { 'ends-at': at(-3) } } },
    });
    expectError(backwards, 422);
    expect(backwards.body.errors[0].source.pointer).toBe('/data/attributes/ends-at');

    const deleted = await t.request({ method: 'DELETE', url: `/v1/speakers-calls/${call.id}`, token: owner.token });
    expect(deleted.status, deleted.text).toBe(200);
    expectError(await get(t, `/v1/events/${ev.id}/speakers-call`), 404);
    // Gone, a new call may be made.
    await openCall(owner, ev);
  });

  it('is written by the organizers only, and needs its dates', async () => {
    const { owner, ev } = await cfsEvent();
    const stranger = await quickUser(t);
    const trackOrganizer = await quickUser(t);
    await grantRole(t, owner.token, ev, trackOrganizer.id, 'track_organizer');
    expectError(await postCall(stranger.token, ev, { 'starts-at': at(-1), 'ends-at': at(1) }), 403);
    expectError(await postCall(trackOrganizer.token, ev, { 'starts-at': at(-1), 'ends-at': at(1) }), 403);
    const missing = await postCall(owner.token, ev, { 'starts-at': at(-1) });
    expectError(missing, 422);
    expect(missing.body.errors[0].source.pointer).toBe('/data/attributes/ends-at');
    const call = await openCall(owner, ev);
    const patchAs = (token: string) =>
      t.request({ method: 'PATCH', url: `/v1/speakers-calls/${call.id}`, token, json: { data: { type: 'speakers-call', id: call.id, attributes: { announcement: 'mine' } } } });
    expectError(await patchAs(stranger.token), 403);
    expect((await t.request({ method: 'DELETE', url: `/v1/speakers-calls/${call.id}`, token: stranger.token })).status).toBe(403);
  });

  it('takes what OES\'s web client sends: its own hash, null for unset dates, unknown attributes named in meta', async () => {
    const { owner, ev } = await cfsEvent();
    const response = await postCall(owner.token, ev, {
      announcement: null,
      'starts-at': at(-3),
      'soft-ends-at': null,
      'ends-at': at(-2),
      privacy: 'public',
      hash: '6f1c2a4e-4a4c-4bb4-9d59-0c7b6f0f8f11',
      'starts-at-date': 'ignored',
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.attributes).toMatchObject({ hash: '6f1c2a4e-4a4c-4bb4-9d59-0c7b6f0f8f11', 'soft-ends-at': null });
    expect(JSON.stringify(response.body.meta)).toContain('starts-at-date');
  });

  it('private: only the team and holders of its hash see it; event lists never show it', async () => {
    const { owner, ev } = await cfsEvent();
    const call = await openCall(owner, ev, { privacy: 'private', hash: undefined });
    const hash = call.attributes.hash as string;
    expect(hash).toMatch(/^[0-9a-f-]{36}$/);
    const stranger = await quickUser(t);
    expectError(await get(t, `/v1/events/${ev.id}/speakers-call`), 404);
    expectError(await get(t, `/v1/events/${ev.id}/speakers-call`, stranger.token), 404);
    expectError(await get(t, `/v1/events/${ev.id}/speakers-call?hash=wrong`), 404);
    expectError(await get(t, `/v1/speakers-calls/${call.id}`, stranger.token), 404);
    const withHash = await get(t, `/v1/events/${ev.id}/speakers-call?hash=${hash}`);
    expect(withHash.status, withHash.text).toBe(200);
    expect(withHash.body.data.attributes).toMatchObject({ privacy: 'private', hash });
    expect((await get(t, `/v1/events/${ev.id}/speakers-call`, owner.token)).body.data.attributes.hash).toBe(hash);
    const included = await get(t, `/v1/events/${ev.id}?include=speakers-call`, stranger.token);
    expect(included.body.data.relationships['speakers-call'].data).toBeNull();
    expect(included.body.included ?? []).toEqual([]);
    const filter = encodeURIComponent(JSON.stringify([{ name: 'speakers-call', op: 'has', val: { name: 'privacy', op: 'eq', val: 'private' } }]));
    expect(ids(await get(t, `/v1/events?filter=${filter}&page[size]=100`))).not.toContain(ev.id);
  });

  it('the home page finds events with an open public call through `speakers-call has`', async () => {
    const { owner, ev } = await cfsEvent();
    const without = await cfsEvent();
    await openCall(owner, ev, { announcement: 'Open now' });
    const now = new Date().toISOString();
    const filter = encodeURIComponent(
      JSON.stringify([
        { name: 'speakers-call', op: 'has', val: { name: 'privacy', op: 'eq', val: 'public' } },
        { name: 'speakers-call', op: 'has', val: { name: 'starts-at', op: 'le', val: now } },
        { name: 'speakers-call', op: 'has', val: { name: 'ends-at', op: 'ge', val: now } },
      ]),
    );
    const listed = ids(await get(t, `/v1/events?filter=${filter}&page[size]=100`));
    expect(listed).toContain(ev.id);
    expect(listed).not.toContain(without.ev.id);
  });
});

describe('submitting through the call', () => {
  it('a signed-in user creates their profile and a proposal while the call is open', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const { speaker, profile, session } = await submitted(ev);
    // Their profile carries their account and email, whatever they sent.
    expect(profile.attributes.email).toBe(speaker.email);
    const asTeam = await get(t, `/v1/speakers/${profile.id}?include=user`, owner.token);
    expect(asTeam.body.data.relationships.user.data).toEqual({ type: 'user', id: String(speaker.id) });
    expect(session.attributes.state).toBe('pending');
    // A draft first, submitted later: draft → pending is the speaker's move.
    // Sent without a state (the web client sends null), a proposal is up for review.
    const unset = await postSession(speaker.token, ev, { title: 'No state', state: null });
    expect(unset.body.data.attributes.state, unset.text).toBe('pending');
    const draft = await postSession(speaker.token, ev, { title: 'Still writing', state: 'draft' });
    expect(draft.status, draft.text).toBe(201);
    expect(draft.body.data.attributes.state).toBe('draft');
    const sent = await patchSession(speaker.token, draft.body.data.id, { state: 'pending', title: 'Written' });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.data.attributes).toMatchObject({ state: 'pending', title: 'Written' });
  });

  it('refuses anonymous users, closed or future calls, events without a call or with sessions off', async () => {
    const { owner, ev } = await cfsEvent();
    const user = await quickUser(t);
    expectError(await postSession(user.token, ev), 403, /no call for speakers/);
    const call = await openCall(owner, ev, { 'starts-at': at(1), 'ends-at': at(3) });
    expectError(await postSession(user.token, ev), 403, /not opened yet/);
    expectError(await postSpeaker(user.token, ev), 403, /not opened yet/);
    await t.request({
      method: 'PATCH',
      url: `/v1/speakers-calls/${call.id}`,
      token: owner.token,
      json: { data: { type: 'speakers-call', id: call.id, attributes: { 'starts-at': at(-5), 'ends-at': at(-1) } } },
    });
    expectError(await postSession(user.token, ev), 403, /closed/);
    expectError(await postSession('', ev), 401);
    const off = await cfsEvent();
    await t.request({ method: 'PATCH', url: `/v1/events/${off.ev.id}`, token: off.owner.token, json: { data: { type: 'event', id: off.ev.id, attributes: { 'is-sessions-speakers-enabled': false } } } });
    await openCall(off.owner, off.ev);
    expectError(await postSession(user.token, off.ev), 403, /Sessions are disabled for this Event/);
    expectError(await postSpeaker(user.token, off.ev), 403, /Speakers are disabled for this Event/);
  });

  it('a private call takes submissions only with its hash', async () => {
    const { owner, ev } = await cfsEvent();
    const call = await openCall(owner, ev, { privacy: 'private', hash: 'the-secret-link' });
    const user = await quickUser(t);
    expectError(await postSpeaker(user.token, ev), 403, /private/);
    expectError(await postSpeaker(user.token, ev, {}, '?hash=guess'), 403, /private/);
    const profile = await postSpeaker(user.token, ev, {}, `?hash=${call.attributes.hash}`);
    expect(profile.status, profile.text).toBe(201);
    expectError(await postSession(user.token, ev), 403, /private/);
    expect((await postSession(user.token, ev, {}, { speakers: rel('speaker', [profile.body.data.id]) }, '?hash=the-secret-link')).status).toBe(201);
  });

  it('the event\'s custom forms decide the required fields, for speakers and sessions (422 naming them)', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const field = (form: string, identifier: string, extra: Record<string, unknown> = {}) =>
      t.request({
        method: 'POST',
        url: '/v1/custom-forms',
        token: owner.token,
        json: body('custom-form', { form, 'field-identifier': identifier, type: 'text', 'is-required': true, 'is-included': true, ...extra }, { event: rel('event', ev.id) }),
      });
    for (const response of [
      await field('session', 'shortAbstract'),
      await field('session', 'track'),
      await field('speaker', 'shortBiography'),
      await field('speaker', 'tshirt', { name: 'T-shirt size' }),
      // Not included in the form: not required, even if marked so.
      await field('session', 'level', { 'is-included': false }),
    ]) {
      expect(response.status, response.text).toBe(201);
    }
    const user = await quickUser(t);
    const noBio = await postSpeaker(user.token, ev);
    expectError(noBio, 422, /Missing required fields.*Short Biography.*T-shirt size/);
    expect(noBio.body.errors[0].source.pointer).toBe('/data/attributes');
    expectError(await postSpeaker(user.token, ev, { 'short-biography': 'Hacker', 'complex-field-values': { tshirt: null } }), 422, /T-shirt size/);
    const profile = await postSpeaker(user.token, ev, { 'short-biography': 'Hacker', 'complex-field-values': { tshirt: 'L' } });
    expect(profile.status, profile.text).toBe(201);
    const links = { speakers: rel('speaker', [profile.body.data.id]) };
    expectError(await postSession(user.token, ev, { 'short-abstract': '  ' }, links), 422, /Short Abstract/);
    // The track is a relationship: the client requires it, as with OES.
    const ok = await postSession(user.token, ev, { 'short-abstract': 'About it' }, links);
    expect(ok.status, ok.text).toBe(201);
    // A speaker's edit keeps to the form too.
    expectError(await patchSession(user.token, ok.body.data.id, { 'short-abstract': null }), 422, /Short Abstract/);
  });

  it('a speaker may not schedule, accept, lock or borrow someone else\'s profile', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const other = await submitted(ev);
    const speaker = await quickUser(t);
    const profile = (await postSpeaker(speaker.token, ev)).body.data;
    expectError(await postSession(speaker.token, ev, { state: 'accepted' }), 403, /from "draft" to "accepted"/);
    const borrowed = await postSession(speaker.token, ev, {}, { speakers: rel('speaker', [profile.id, other.profile.id]) });
    expectError(borrowed, 404);
    // Times, room and lock are the organizers': dropped from a speaker's request.
    const track = await createTrack(t, owner.token, ev);
    const session = await postSession(speaker.token, ev, { 'starts-at': at(30), 'ends-at': at(30.1), 'is-locked': true }, { track: rel('track', track.id), speakers: rel('speaker', [profile.id]) });
    expect(session.status, session.text).toBe(201);
    expect(session.body.data.attributes).toMatchObject({ 'starts-at': null, 'ends-at': null, 'is-locked': false });
    // Overriding their email is the organizers' too; a second profile in the same event is refused.
    expectError(await postSpeaker(speaker.token, ev, { 'is-email-overridden': true }), 403, /Organizer access required/);
    expectError(await postSpeaker(speaker.token, ev), 403, /already exists/);
  });
});

describe('a speaker\'s own proposals', () => {
  it('are theirs to read and edit, under the event and under /v1/users/{id}; nobody else\'s are', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const mine = await submitted(ev, 'Mine');
    const theirs = await submitted(ev, 'Theirs');
    const stranger = await quickUser(t);

    // Own session and profile, whole (email too); the other speaker's do not exist for them.
    const read = await get(t, `/v1/sessions/${mine.session.id}?include=speakers`, mine.speaker.token);
    expect(read.status, read.text).toBe(200);
    expect(read.body.included[0].attributes.email).toBe(mine.speaker.email);
    expectError(await get(t, `/v1/sessions/${theirs.session.id}`, mine.speaker.token), 404);
    expectError(await get(t, `/v1/speakers/${theirs.profile.id}`, mine.speaker.token), 404);
    expectError(await get(t, `/v1/sessions/${mine.session.id}`, stranger.token), 404);
    expectError(await get(t, `/v1/sessions/${mine.session.id}`), 404);
    expectError(await patchSession(mine.speaker.token, theirs.session.id, { title: 'Hijacked' }), 404);

    // The event's lists show a speaker their own proposals and nothing else that is unpublished.
    const list = await get(t, `/v1/events/${ev.id}/sessions?include=speakers`, mine.speaker.token);
    expect(ids(list)).toEqual([mine.session.id]);
    expect(ids(await get(t, `/v1/events/${ev.id}/sessions`))).toEqual([]);
    expect(ids(await get(t, `/v1/events/${ev.id}/speakers`, stranger.token))).toEqual([]);
    // The call page looks up "my profile" by email; another's email finds nothing.
    const byEmail = (email: string) => encodeURIComponent(JSON.stringify([{ name: 'email', op: 'eq', val: email }]));
    expect(ids(await get(t, `/v1/events/${ev.id}/speakers?filter=${byEmail(mine.speaker.email)}`, mine.speaker.token))).toEqual([mine.profile.id]);
    expect(ids(await get(t, `/v1/events/${ev.id}/speakers?filter=${byEmail(theirs.speaker.email)}`, mine.speaker.token))).toEqual([]);
    const anyOf = (email: string) => encodeURIComponent(JSON.stringify([{ name: 'speakers', op: 'any', val: { name: 'email', op: 'eq', val: email } }]));
    expect(ids(await get(t, `/v1/events/${ev.id}/sessions?filter=${anyOf(theirs.speaker.email)}`, mine.speaker.token))).toEqual([]);

    for (const path of ['/v1/users/me/sessions', `/v1/users/${mine.speaker.id}/sessions`]) {
      const own = await get(t, `${path}?include=event`, mine.speaker.token);
      expect(own.status, own.text).toBe(200);
      expect(ids(own)).toEqual([mine.session.id]);
      expect(own.body.included.map((x: Resource) => x.type)).toContain('event');
    }
    expect(ids(await get(t, '/v1/users/me/speakers', mine.speaker.token))).toEqual([mine.profile.id]);
    // The web client's My Sessions page follows the user's `sessions` link.
    const me = await get(t, '/v1/users/me', mine.speaker.token);
    const link = me.body.data.relationships.sessions.links.related as string;
    expect(link).toBe(`/v1/users/${mine.speaker.id}/sessions`);
    expect(ids(await get(t, link, mine.speaker.token))).toEqual([mine.session.id]);
    expectError(await get(t, `/v1/users/${theirs.speaker.id}/sessions`, mine.speaker.token), 403);
    const upcoming = encodeURIComponent(JSON.stringify([{ name: 'event', op: 'has', val: { name: 'starts-at', op: 'ge', val: new Date().toISOString() } }]));
    expect(ids(await get(t, `/v1/users/me/sessions?filter=${upcoming}&sort=starts-at`, mine.speaker.token))).toEqual([mine.session.id]);

    const edited = await patchSession(mine.speaker.token, mine.session.id, { title: 'Mine, better' });
    expect(edited.status, edited.text).toBe(200);
    // The organizers see everyone's.
    expect(ids(await get(t, `/v1/events/${ev.id}/sessions`, owner.token)).sort()).toEqual([mine.session.id, theirs.session.id].sort());
  });
});

describe('review', () => {
  it('organizers move states as OES allows; speakers only submit and withdraw; each side is refused the rest', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const trackOrganizer = await quickUser(t);
    await grantRole(t, owner.token, ev, trackOrganizer.id, 'track_organizer');
    const { speaker, session } = await submitted(ev);
    const move = async (token: string, state: string) => (await patchSession(token, session.id, { state })).status;

    expect(await move(speaker.token, 'accepted')).toBe(403);
    expect(await move(speaker.token, 'confirmed')).toBe(403);
    expect(await move(owner.token, 'accepted')).toBe(200);
    expect(await move(speaker.token, 'pending')).toBe(403);
    expect(await move(trackOrganizer.token, 'confirmed')).toBe(200);
    expect(await move(owner.token, 'draft')).toBe(403);
    const refused = await patchSession(owner.token, session.id, { state: 'draft' });
    expect(refused.body.errors[0]).toMatchObject({ detail: 'You cannot change a session state from "confirmed" to "draft"', source: { pointer: '/data/attributes/state' } });
    expect(await move(speaker.token, 'withdrawn')).toBe(200);
    // Withdrawn is final for the speaker; organizers may still bring it back.
    expect(await move(speaker.token, 'pending')).toBe(403);
    expect(await move(owner.token, 'pending')).toBe(200);
    expect(await move(owner.token, 'rejected')).toBe(200);
    // A draft is the speaker's to submit, not the organizers' to decide (OES).
    const draft = (await postSession(speaker.token, ev, { title: 'Draft', state: 'draft' })).body.data;
    expect((await patchSession(owner.token, draft.id, { state: 'accepted' })).status).toBe(403);
    // A locked session: organizers still edit it; its speaker may not.
    expect((await patchSession(owner.token, session.id, { 'is-locked': true })).status).toBe(200);
    expectError(await patchSession(speaker.token, session.id, { title: 'Changed' }), 403, /Locked sessions cannot be edited/);
  });

  it('mails the speakers and the owner when send-email is set, and only then', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const { speaker, session } = await submitted(ev, 'Rust in space');
    const quiet = await patchSession(owner.token, session.id, { state: 'accepted', 'send-email': false });
    expect(quiet.status, quiet.text).toBe(200);
    const confirmed = await patchSession(owner.token, session.id, { state: 'confirmed', 'send-email': true });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.data.attributes).not.toHaveProperty('send-email');
    const mail = await inbox.waitFor(speaker.email, /confirmed/);
    expect(mail.text).toContain('Rust in space');
    expect(mail.text).toContain(`/e/${ev.attributes.identifier}/cfs/session/${session.id}`);
    await inbox.waitFor(owner.email, /confirmed/);
    // The quiet acceptance sent nothing.
    expect(inbox.received.filter((m) => m.to.includes(speaker.email) && /accepted/.test(m.subject))).toEqual([]);
  });

  it('only accepted and confirmed sessions reach the calendar, with a new SEQUENCE on each change', async () => {
    const { owner, ev } = await cfsEvent();
    await openCall(owner, ev);
    const { session } = await submitted(ev, 'Proposal in review');
    // Scheduling is the organizers'.
    const scheduled = await patchSession(owner.token, session.id, { 'starts-at': at(30), 'ends-at': at(30.05) });
    expect(scheduled.status, scheduled.text).toBe(200);
    await t.request({ method: 'PATCH', url: `/v1/events/${ev.id}`, token: owner.token, json: { data: { type: 'event', id: ev.id, attributes: { 'schedule-published-on': at(-1) } } } });
    const calendar = async () => (await get(t, `/v1/events/${ev.attributes.identifier}.ics`)).text;
    const sequenceOf = (ics: string) => Number(/SEQUENCE:(\d+)/.exec(ics)?.[1]);
    expect(await calendar()).not.toContain('Proposal in review');
    const acceptedSession = await patchSession(owner.token, session.id, { state: 'accepted' });
    expect(acceptedSession.body.data.attributes, acceptedSession.text).toMatchObject({ state: 'accepted', 'starts-at': expect.any(String) });
    const accepted = await calendar();
    expect(accepted).toContain('Proposal in review');
    const first = sequenceOf(accepted);
    await patchSession(owner.token, session.id, { state: 'confirmed' });
    expect(sequenceOf(await calendar())).toBe(first + 1);
    await patchSession(owner.token, session.id, { state: 'canceled' });
    expect(await calendar()).not.toContain('Proposal in review');
  });
});

