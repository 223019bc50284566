// The mails around a call for speakers, as OES sends them: the event's organizers hear of each new
// proposal a speaker sends (with a link to the session's page in the organizers' part of the web
// client, under the site's frontend-url); the templates of the state change mails are public at
// /v1/sessions/mails (OES's client shows them in its notify dialog), and the mails sent are exactly
// those templates filled in.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { body, createPublishedEvent, grantRole, quickUser, rel, type Resource, type Role, type User } from '../support/schedule.ts';
import { linkIn, startInbox, type Inbox } from '../support/smtp.ts';

let t: TestApp;
let inbox: Inbox;
const FRONTEND = 'https://client.example.net';
const APP_NAME = 'Rust CFP';

beforeAll(async () => {
  inbox = await startInbox();
  t = await startTestApp({ env: { SMTP_URL: inbox.url } });
  // The site's settings name where the web client is; mails link there.
  const admin = await quickUser(t, { admin: true });
  const changed = await t.request({ method: 'PATCH', url: '/v1/settings', token: admin.token, json: { data: { type: 'setting', id: '1', attributes: { 'frontend-url': FRONTEND, 'app-name': APP_NAME } } } });
  expect(changed.status, changed.text).toBe(200);
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});

const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

interface Team {
  ev: Resource;
  owner: User;
  members: Record<Exclude<Role, 'owner'>, User>;
}

/** A published event with an open call for speakers and a whole team. */
async function eventWithTeam(): Promise<Team> {
  const owner = await quickUser(t);
  const ev = await createPublishedEvent(t, owner.token, { name: 'Rust Days', 'starts-at': at(30), 'ends-at': at(31), 'is-sessions-speakers-enabled': true, 'is-cfs-enabled': true });
  const call = await t.request({
    method: 'POST',
    url: '/v1/speakers-calls',
    token: owner.token,
    json: body('speakers-call', { 'starts-at': at(-1), 'ends-at': at(10), privacy: 'public' }, { event: rel('event', ev.id) }),
  });
  expect(call.status, call.text).toBe(201);
  const members = {} as Team['members'];
  for (const role of ['organizer', 'coorganizer', 'track_organizer', 'registrar', 'moderator'] as const) {
    members[role] = await quickUser(t);
    await grantRole(t, owner.token, ev, members[role].id, role);
  }
  return { ev, owner, members };
}

async function speakerProfile(ev: Resource, attributes: Record<string, unknown> = {}): Promise<{ user: User; profile: Resource }> {
  const user = await quickUser(t);
  const profile = await t.request({ method: 'POST', url: '/v1/speakers', token: user.token, json: body('speaker', { name: 'Grace Hopper', ...attributes }, { event: rel('event', ev.id) }) });
  expect(profile.status, profile.text).toBe(201);
  return { user, profile: profile.body.data };
}

function postSession(token: string, ev: Resource, attributes: Record<string, unknown>, speakerIds: string[] = []) {
  return t.request({
    method: 'POST',
    url: '/v1/sessions',
    token,
    json: body('session', attributes, { event: rel('event', ev.id), ...(speakerIds.length ? { speakers: rel('speaker', speakerIds) } : {}) }),
  });
}

function patchSession(token: string, id: string, attributes: Record<string, unknown>) {
  return t.request({ method: 'PATCH', url: `/v1/sessions/${id}`, token, json: { data: { type: 'session', id, attributes } } });
}

/** The proposal mails received so far about this title. */
const proposalMails = (title: string) => inbox.received.filter((mail) => /new session proposal/i.test(mail.subject) && mail.subject.includes(title));

describe('a new proposal is mailed to the event\'s organizers', () => {
  it('when a speaker sends it: to the owner, organizers and coorganizers, with the speaker and a link to the session\'s page', async () => {
    const { ev, owner, members } = await eventWithTeam();
    const { user, profile } = await speakerProfile(ev, { 'short-biography': '<p>Wrote the first <b>compiler</b>.</p>' });
    // OES's client sends the state as null: a proposal for review.
    const sent = await postSession(user.token, ev, { title: 'Compilers for everyone', state: null, 'short-abstract': 'Why everyone should write one.' }, [profile.id]);
    expect(sent.status, sent.text).toBe(201);
    const id = sent.body.data.id;

    const mails = proposalMails('Compilers for everyone');
    const to = mails.flatMap((mail) => mail.to).sort();
    expect(to).toEqual([owner.email, members.organizer.email, members.coorganizer.email].sort());
    // The rest of the team and the speaker themselves are not told.
    for (const other of [members.track_organizer, members.registrar, members.moderator, user]) expect(to).not.toContain(other.email);

    const mail = await inbox.waitFor(owner.email, /Compilers for everyone/);
    expect(mail.subject).toContain('Rust Days');
    expect(mail.text).toContain('Grace Hopper');
    expect(mail.text).toContain(user.email);
    expect(mail.text).toContain('Wrote the first compiler.');
    expect(mail.text).toContain('Why everyone should write one.');
    // The organizers' page of this session, under the site's frontend-url, and their pending list.
    const link = linkIn(mail, `${FRONTEND}/events/`);
    expect(link.href).toBe(`${FRONTEND}/events/${ev.attributes.identifier}/session/${id}`);
    expect(mail.text).toContain(`${FRONTEND}/events/${ev.attributes.identifier}/sessions/pending`);
  });

  it('a draft is mailed when its speaker submits it, once; edits, the team\'s own sessions and state changes are not', async () => {
    const { ev, owner, members } = await eventWithTeam();
    const { user, profile } = await speakerProfile(ev);
    const draft = await postSession(user.token, ev, { title: 'Half-written talk', state: 'draft' }, [profile.id]);
    expect(draft.status, draft.text).toBe(201);
    expect(proposalMails('Half-written talk')).toEqual([]);

    const submitted = await patchSession(user.token, draft.body.data.id, { state: 'pending', title: 'Finished talk' });
    expect(submitted.status, submitted.text).toBe(200);
    await inbox.waitFor(owner.email, /Finished talk/);
    expect(proposalMails('Finished talk')).toHaveLength(3);

    // Editing the pending proposal, and the organizers reviewing it, are no new proposal.
    expect((await patchSession(user.token, draft.body.data.id, { 'short-abstract': 'Now with an abstract' })).status).toBe(200);
    expect((await patchSession(owner.token, draft.body.data.id, { state: 'accepted' })).status).toBe(200);
    expect((await patchSession(owner.token, draft.body.data.id, { state: 'pending' })).status).toBe(200);
    expect(proposalMails('Finished talk')).toHaveLength(3);

    // Sessions the team adds themselves are theirs already.
    const own = await postSession(members.track_organizer.token, ev, { title: 'Team keynote', state: 'pending' });
    expect(own.status, own.text).toBe(201);
    expect(proposalMails('Team keynote')).toEqual([]);
  });
});

describe('GET /v1/sessions/mails', () => {
  const MAILED = ['pending', 'accepted', 'confirmed', 'rejected', 'canceled', 'withdrawn'];

  it('gives anyone a subject and a message per state, with OES\'s placeholders and <br/> line breaks', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/sessions/mails' });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const { recipient, ...states } = response.body;
    expect(recipient).toBe('Speaker');
    // Every state a row of the client's sessions list can have: draft too (its dialog reads the row's state).
    expect(Object.keys(states).sort()).toEqual([...MAILED, 'draft'].sort());
    for (const state of MAILED) {
      const { subject, message } = states[state];
      expect(subject, state).toContain('{session_name}');
      expect(subject, state).toContain('{event_name}');
      expect(message, state).toContain('<br/>');
      expect(message, state).not.toContain('\n');
      // Only the placeholders OES's client documents in its dialog, and the call-for-speakers link.
      const used = [...`${subject} ${message}`.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1]);
      for (const name of used) {
        expect(['session_name', 'session_link', 'session_cfs_link', 'session_state', 'event_name', 'event_link', 'app_name', 'frontend_link'], `${state}: {${name}}`).toContain(name);
      }
    }
    // Each state says something of its own.
    expect(new Set(MAILED.map((state) => states[state].message)).size).toBe(MAILED.length);
  });

  it('the state change mails are these templates, filled in for the session', async () => {
    const { templates, speaker, session, owner, ev } = await (async () => {
      const team = await eventWithTeam();
      const { user, profile } = await speakerProfile(team.ev);
      const sent = await postSession(user.token, team.ev, { title: 'Zürich "live"' }, [profile.id]);
      expect(sent.status, sent.text).toBe(201);
      const mails = (await t.request({ method: 'GET', url: '/v1/sessions/mails' })).body;
      return { templates: mails, speaker: user, session: sent.body.data, owner: team.owner, ev: team.ev };
    })();
    const identifier = ev.attributes.identifier as string;
    const fill = (template: string, state: string) =>
      template.replace(/\{([a-z_]+)\}/g, (_whole, name: string) => ({
        session_name: 'Zürich "live"',
        session_link: `${FRONTEND}/e/${identifier}/session/${session.id}`,
        session_cfs_link: `${FRONTEND}/e/${identifier}/cfs/session/${session.id}`,
        session_state: state,
        event_name: 'Rust Days',
        event_link: `${FRONTEND}/e/${identifier}`,
        app_name: APP_NAME,
        frontend_link: FRONTEND,
      })[name]!);
    // Through the organizers' states, each change mailed (send-email), every mailed state once.
    for (const state of ['accepted', 'confirmed', 'canceled', 'withdrawn', 'rejected']) {
      const before = inbox.received.length;
      const moved = await patchSession(owner.token, session.id, { state, 'send-email': true });
      expect(moved.status, moved.text).toBe(200);
      const mine = inbox.received.slice(before).filter((mail) => mail.to.includes(speaker.email));
      expect(mine, state).toHaveLength(1);
      expect(mine[0]!.subject, state).toBe(fill(templates[state].subject, state));
      expect(mine[0]!.text.replace(/\r\n/g, '\n'), state).toBe(fill(templates[state].message, state).replaceAll('<br/>', '\n'));
      // The owner gets the same mail.
      expect(inbox.received.slice(before).filter((mail) => mail.to.includes(owner.email)).map((mail) => mail.subject)).toEqual([mine[0]!.subject]);
    }
    // Back to pending is not one of the changes OES mails, template or not.
    const before = inbox.received.length;
    expect((await patchSession(owner.token, session.id, { state: 'pending', 'send-email': true })).status).toBe(200);
    expect(inbox.received.slice(before)).toEqual([]);
  });
});
