// OES's session notify action (POST /v1/sessions/{id}/notify), as the notify dialog of the organizers'
// sessions list sends it: only what the organizer changed of the state's template (`{}` when nothing),
// and `{"success": true}` back. The session's speakers (not those whose email the organizers overrode)
// and the event's owner are mailed, over SMTP to a server in this process; only the session's editors
// may send it; bad bodies are JSON:API errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { body, createPublishedEvent, grantRole, quickUser, rel, type Resource, type User } from '../support/schedule.ts';
import { startInbox, type Inbox } from '../support/smtp.ts';
import { NOTIFY_PER_HOUR } from '../../src/domain/session-mail.ts';

let t: TestApp;
let inbox: Inbox;
const FRONTEND = 'https://client.example.net';
const APP_NAME = 'Notify Fest';

let owner: User;
let organizer: User;
let trackOrganizer: User;
let registrar: User;
let moderator: User;
let stranger: User;
let speakerUser: User;
let ev: Resource;
let accepted: Resource;
let templates: Record<string, { subject: string; message: string }>;
let counter = 0;
const address = (name: string) => `${name}-${Date.now()}-${++counter}@speakers.example.org`;
let ada: string;
let hidden: string;

beforeAll(async () => {
  inbox = await startInbox();
  t = await startTestApp({ env: { SMTP_URL: inbox.url } });
  const admin = await quickUser(t, { admin: true });
  const changed = await t.request({ method: 'PATCH', url: '/v1/settings', token: admin.token, json: { data: { type: 'setting', id: '1', attributes: { 'frontend-url': FRONTEND, 'app-name': APP_NAME } } } });
  expect(changed.status, changed.text).toBe(200);
  [owner, organizer, trackOrganizer, registrar, moderator, stranger] = await Promise.all(Array.from({ length: 6 }, () => quickUser(t)));
  ev = await createPublishedEvent(t, owner.token, { name: 'Rust Days', 'is-sessions-speakers-enabled': true });
  for (const [user, role] of [[organizer, 'organizer'], [trackOrganizer, 'track_organizer'], [registrar, 'registrar'], [moderator, 'moderator']] as const) {
    await grantRole(t, owner.token, ev, user.id, role);
  }
  ada = address('ada');
  hidden = address('hidden');
  speakerUser = await quickUser(t);
  const speakerIds = [
    await speaker({ name: 'Ada Lovelace', email: ada }),
    // The organizers overrode this speaker's email: OES does not mail such a speaker.
    await speaker({ name: 'Hidden Speaker', email: hidden, 'is-email-overridden': true }),
  ];
  accepted = await session({ title: 'Engines', state: 'accepted' }, speakerIds);
  templates = (await t.request({ method: 'GET', url: '/v1/sessions/mails' })).body;
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});

async function speaker(attributes: Record<string, unknown>): Promise<string> {
  const response = await t.request({ method: 'POST', url: '/v1/speakers', token: owner.token, json: body('speaker', attributes, { event: rel('event', ev.id) }) });
  expect(response.status, response.text).toBe(201);
  return response.body.data.id;
}

async function session(attributes: Record<string, unknown>, speakerIds: string[]): Promise<Resource> {
  const response = await t.request({
    method: 'POST',
    url: '/v1/sessions',
    token: owner.token,
    json: body('session', attributes, { event: rel('event', ev.id), speakers: rel('speaker', speakerIds) }),
  });
  expect(response.status, response.text).toBe(201);
  return response.body.data;
}

const notify = (id: string, payload: unknown, token?: string) =>
  t.request({ method: 'POST', url: `/v1/sessions/${id}/notify`, token, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

/** The mails received while `run` ran. */
async function mailedDuring(run: () => Promise<unknown>): Promise<typeof inbox.received> {
  const before = inbox.received.length;
  await run();
  return inbox.received.slice(before);
}

const fill = (template: string, session: Resource) =>
  template.replace(/\{([a-z_]+)\}/g, (_whole, name: string) => ({
    session_name: session.attributes.title,
    session_link: `${FRONTEND}/e/${ev.attributes.identifier}/session/${session.id}`,
    session_cfs_link: `${FRONTEND}/e/${ev.attributes.identifier}/cfs/session/${session.id}`,
    session_state: session.attributes.state,
    event_name: 'Rust Days',
    event_link: `${FRONTEND}/e/${ev.attributes.identifier}`,
    app_name: APP_NAME,
    frontend_link: FRONTEND,
  })[name]!);

describe('POST /v1/sessions/{id}/notify', () => {
  it('with nothing changed ({}), mails the state’s template to the speakers and the owner, and answers {"success": true}', async () => {
    let response: Awaited<ReturnType<typeof notify>> | undefined;
    const mails = await mailedDuring(async () => {
      response = await notify(accepted.id, {}, organizer.token);
    });
    expect(response!.status, response!.text).toBe(200);
    expect(response!.headers['content-type']).toMatch(/^application\/json/);
    expect(response!.body).toEqual({ success: true });
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual([ada, owner.email].sort());
    const toAda = mails.find((mail) => mail.to.includes(ada))!;
    expect(toAda.subject).toBe(fill(templates.accepted!.subject, accepted));
    expect(toAda.subject).toBe('Your session "Engines" for Rust Days is now accepted');
    expect(toAda.text.replace(/\r\n/g, '\n')).toBe(fill(templates.accepted!.message, accepted).replaceAll('<br/>', '\n'));
    expect(mails.some((mail) => mail.to.includes(hidden))).toBe(false);
  });

  it('mails the organizer’s own subject and message (the dialog’s <br/> line breaks, placeholders filled), and a copy to each bcc address', async () => {
    const extra = address('reviewer');
    let response: Awaited<ReturnType<typeof notify>> | undefined;
    const mails = await mailedDuring(async () => {
      response = await notify(
        accepted.id,
        {
          subject: 'About {session_name}: your slot',
          message: 'Dear speaker,<br/>your talk is at 10:00.<br/><br/>See {event_link}',
          // As the dialog splits its field: a trailing comma leaves an empty entry; a speaker listed again gets one mail.
          bcc: [extra, ada.toUpperCase(), ''],
        },
        trackOrganizer.token,
      );
    });
    expect(response!.status, response!.text).toBe(200);
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual([ada, owner.email, extra].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe('About Engines: your slot');
      expect(mail.text.replace(/\r\n/g, '\n')).toBe(`Dear speaker,\nyour talk is at 10:00.\n\nSee ${FRONTEND}/e/${ev.attributes.identifier}`);
    }
  });

  it('an empty subject or message takes the template’s; a draft has its own template', async () => {
    const draft = await session({ title: 'Unfinished', state: 'draft' }, [await speaker({ name: 'Grace', email: address('grace') })]);
    const mails = await mailedDuring(async () => {
      expect((await notify(draft.id, { subject: '', message: 'Please finish it.' }, owner.token)).status).toBe(200);
    });
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toBe(fill(templates.draft!.subject, draft));
    expect(mails[0]!.text.trim()).toBe('Please finish it.');
  });

  it('only the session’s editors may: 401 anonymous, 403 for the rest of the team, its own speaker and strangers who see it', async () => {
    // speakerUser is this proposal's speaker (a speaker with their account's address): they see it, pending as it is.
    const own = await session({ title: 'My proposal', state: 'pending' }, [await speaker({ name: 'Self', email: speakerUser.email })]);
    expect((await t.request({ method: 'GET', url: `/v1/sessions/${own.id}`, token: speakerUser.token })).status).toBe(200);
    const mails = await mailedDuring(async () => {
      for (const id of [accepted.id, own.id]) {
        const anonymous = await notify(id, {});
        expect(anonymous.status).toBe(401);
        expect(anonymous.body.errors[0].status).toBe('401');
      }
      const refusals: [User, string][] = [[registrar, accepted.id], [moderator, accepted.id], [stranger, accepted.id], [speakerUser, accepted.id], [speakerUser, own.id], [registrar, own.id]];
      for (const [user, id] of refusals) {
        const refused = await notify(id, {}, user.token);
        expect(refused.status, refused.text).toBe(403);
        expect(refused.body.errors[0].detail).toBe("Only the event's organizers notify a session's speakers");
      }
    });
    expect(mails).toEqual([]);
  });

  it('404 for an unknown or deleted session, and for one the caller may not see', async () => {
    expect((await notify('999999', {}, owner.token)).status).toBe(404);
    const pending = await session({ title: 'Under review', state: 'pending' }, []);
    // Strangers do not see pending sessions: for them it does not exist.
    expect((await notify(pending.id, {}, stranger.token)).status).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/sessions/${pending.id}`, token: owner.token })).status).toBe(200);
    expect((await notify(pending.id, {}, owner.token)).status).toBe(404);
  });

  it('bad bodies are JSON:API errors, and mail nobody', async () => {
    const mails = await mailedDuring(async () => {
      const cases: [unknown, number, string?][] = [
        [{ subject: 'x'.repeat(251) }, 422, '/subject'],
        [{ message: 'x'.repeat(5001) }, 422, '/message'],
        [{ subject: 12 }, 422, '/subject'],
        [{ bcc: 'a@example.org' }, 422, '/bcc'],
        [{ bcc: ['not an address'] }, 422, '/bcc/0'],
        [{ bcc: ['a@example.org', 'b@example.org,c@example.org'] }, 422, '/bcc/1'],
        [{ bcc: Array.from({ length: 21 }, (_, i) => `r${i}@example.org`) }, 422, '/bcc'],
        [{ colour: 'red' }, 422],
      ];
      for (const [payload, status, pointer] of cases) {
        const response = await notify(accepted.id, payload, owner.token);
        expect(response.status, JSON.stringify(payload)).toBe(status);
        expect(response.body.errors[0].status).toBe(String(status));
        if (pointer) expect(response.body.errors.map((error: any) => error.source?.pointer), JSON.stringify(payload)).toContain(pointer);
      }
      const malformed = await t.request({ method: 'POST', url: `/v1/sessions/${accepted.id}/notify`, token: owner.token, payload: '{"subject":', headers: { 'content-type': 'application/json' } });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0].status).toBe('400');
    });
    expect(mails).toEqual([]);
  });

  it('holds each organizer to a number of notify requests an hour (429 with Retry-After), others unaffected', async () => {
    const busy = await quickUser(t);
    await grantRole(t, owner.token, ev, busy.id, 'coorganizer');
    const quiet = await session({ title: 'No speakers yet', state: 'accepted' }, []);
    for (let i = 0; i < NOTIFY_PER_HOUR; i++) expect((await notify(quiet.id, {}, busy.token)).status).toBe(200);
    const mails = await mailedDuring(async () => {
      const refused = await notify(quiet.id, {}, busy.token);
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].status).toBe('429');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });
    expect(mails).toEqual([]);
    expect((await notify(quiet.id, {}, organizer.token)).status).toBe(200);
  });
});
