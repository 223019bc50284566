// The sessions and speakers CSV as OES's client starts them from its sessions and speakers pages:
// `POST /v1/events/{ev}/export/{sessions,speakers}/csv` with `{"status": <the page's state>}`. As OES, a
// speakers export for a state lists the speakers with a session in that state, and the speakers page
// "without session" (`without_session`) those with no session at all.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createEvent, createSession, createSpeaker, expectStatus, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { download, pollTask } from '../../e2e/support.ts';

let t: TestApp;
let owner: User;
let ev: Resource;

function start(subject: 'sessions' | 'speakers', body: Record<string, unknown>) {
  return t.request({ method: 'POST', url: `/v1/events/${ev.id}/export/${subject}/csv`, token: owner.token, json: body });
}

async function exportCsv(subject: 'sessions' | 'speakers', body: Record<string, unknown>): Promise<Record<string, string>[]> {
  const started = expectStatus(await start(subject, body), 202, `start ${subject} ${JSON.stringify(body)}`);
  const task = await pollTask(t, started.body.task_url, owner.token);
  expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
  const file = expectStatus(await download(t, task.result!.download_url!), 200, 'download');
  return parse(file.text, { bom: true, columns: true });
}

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  owner = await quickUser(t);
  ev = await createEvent(t, owner.token);
  const [ada, grace, , mary] = await Promise.all(
    ['Ada', 'Grace', 'Linus', 'Mary'].map((name) => createSpeaker(t, owner.token, ev, { name, email: `${name.toLowerCase()}@example.org` })),
  );
  await createSession(t, owner.token, ev, { title: 'Engines', state: 'accepted' }, { speakers: [ada!] });
  await createSession(t, owner.token, ev, { title: 'Compilers', state: 'rejected' }, { speakers: [grace!, ada!] });
  // Mary's only session is deleted: she has none.
  const gone = await createSession(t, owner.token, ev, { title: 'Gone', state: 'accepted' }, { speakers: [mary!] });
  expectStatus(await t.request({ method: 'DELETE', url: `/v1/sessions/${gone.id}`, token: owner.token }), 200, 'delete session');
});

describe('speakers CSV by the speakers page’s state', () => {
  it('all (the page without a state sends no status): every speaker', async () => {
    expect((await exportCsv('speakers', {})).map((r) => r['Speaker Name']).sort()).toEqual(['Ada', 'Grace', 'Linus', 'Mary']);
    expect((await exportCsv('speakers', { status: 'all' })).map((r) => r['Speaker Name']).sort()).toEqual(['Ada', 'Grace', 'Linus', 'Mary']);
  });

  it('a state: the speakers with a session in it, with those sessions', async () => {
    const accepted = await exportCsv('speakers', { status: 'accepted' });
    expect(accepted.map((r) => [r['Speaker Name'], r['Speaker Session(s)']])).toEqual([['Ada', 'Engines (accepted)']]);
    const rejected = await exportCsv('speakers', { status: 'rejected' });
    expect(rejected.map((r) => r['Speaker Name']).sort()).toEqual(['Ada', 'Grace']);
    expect(await exportCsv('speakers', { status: 'confirmed' })).toEqual([]);
  });

  it('without_session: the speakers with no session (a deleted one does not count)', async () => {
    const without = await exportCsv('speakers', { status: 'without_session' });
    expect(without.map((r) => [r['Speaker Name'], r['Speaker Session(s)']]).sort()).toEqual([
      ['Linus', ''],
      ['Mary', ''],
    ]);
  });

  it('refuses a status that is neither a session state nor without_session', async () => {
    const response = await start('speakers', { status: 'published' });
    expect(response.status).toBe(422);
    // Sessions have no "without session" page.
    expect((await start('sessions', { status: 'without_session' })).status).toBe(422);
  });
});

describe('sessions CSV by the sessions page’s state', () => {
  it('the sessions in that state, or all of them', async () => {
    expect((await exportCsv('sessions', { status: 'rejected' })).map((r) => r['Session Title'])).toEqual(['Compilers']);
    expect((await exportCsv('sessions', {})).map((r) => r['Session Title']).sort()).toEqual(['Compilers', 'Engines']);
  });
});
