// Who may start an export, read a task and use a download link (issue 5): the event's owner,
// organizers, coorganizers and admins start exports; everyone else gets 404 (401 when not signed in);
// a task is visible to whoever started it and to admins; download links are signed, expire, and name
// a task, never a path.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import {
  createPublishedEvent,
  createEvent,
  createSession,
  expectStatus,
  grantRole,
  signUpAdmin,
  type Resource,
  type User,
} from '../support/schedule.ts';
import { LINK_LIFETIME_SECONDS, downloadPath } from '../../src/exports/links.ts';
import { queueExport } from '../../src/exports/tasks.ts';
import { formatById } from '../../src/formats/registry.ts';
import { exportTasks } from '../../src/db/schema/index.ts';
import {
  CALENDAR_FORMATS,
  UUID_V4,
  exportAndDownload,
  localPath,
  pollTask,
  requestStart,
  startExport,
  type ExportFormat,
} from './support.ts';

const ALL_FORMATS: ExportFormat[] = [...CALENDAR_FORMATS, 'sessions-csv', 'speakers-csv'];

let t: TestApp;
let owner: User;
let organizer: User;
let coorganizer: User;
let admin: User;
let stranger: User;
const outsiders: Record<string, User> = {};
let ev: Resource;
/** Every task id this file saw created. */
const taskIds: string[] = [];
const idOf = (taskUrl: string) => taskUrl.slice('/v1/tasks/'.length);

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  [owner, organizer, coorganizer, admin, stranger] = await Promise.all([signUp(t), signUp(t), signUp(t), signUpAdmin(t), signUp(t)]);
  ev = await createPublishedEvent(t, owner.token, { name: 'Guarded Conf' });
  await createSession(t, owner.token, ev, { title: 'Public talk', state: 'accepted', 'starts-at': '2026-02-01T09:00:00Z', 'ends-at': '2026-02-01T10:00:00Z' });
  await grantRole(t, owner.token, ev, organizer.id, 'organizer');
  await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
  for (const role of ['registrar', 'track_organizer', 'moderator'] as const) {
    outsiders[role] = await signUp(t);
    await grantRole(t, owner.token, ev, outsiders[role].id, role);
  }
  outsiders.stranger = stranger;
});

describe('starting an export', () => {
  it('needs a signed-in user: 401 without a token or with a bad one', async () => {
    for (const format of ALL_FORMATS) {
      expect((await requestStart(t, undefined, ev.id, format)).status, format).toBe(401);
      expect((await requestStart(t, 'not.a.token', ev.id, format)).status, format).toBe(401);
    }
  });

  it('is 404 for strangers, registrars, track organizers and moderators: the export does not exist for them', async () => {
    for (const [who, user] of Object.entries(outsiders)) {
      for (const format of ALL_FORMATS) {
        const response = await requestStart(t, user.token, ev.id, format, format.endsWith('csv') ? 'all' : undefined);
        expect(response.status, `${who} ${format}`).toBe(404);
        expect(response.body.errors?.[0]?.status, `${who} ${format}`).toBe('404');
      }
    }
    const n = await t.database.connection.db.$count(exportTasks, eq(exportTasks.eventId, Number(ev.id)));
    expect(n, 'no task was created for them').toBe(0);
  });

  it('is 404 for an event that does not exist, even for an admin', async () => {
    for (const key of ['999999', 'zzzzzzzz']) {
      expect((await requestStart(t, admin.token, key, 'xcal')).status, key).toBe(404);
    }
  });

  it('is 202 for the owner, organizers, coorganizers and admins, whose tasks end SUCCESS', async () => {
    for (const [who, user] of Object.entries({ owner, organizer, coorganizer, admin })) {
      for (const format of ['xcal', 'sessions-csv'] as const) {
        const taskUrl = await startExport(t, user.token, ev.attributes.identifier, format, format === 'sessions-csv' ? 'accepted' : undefined);
        taskIds.push(idOf(taskUrl));
        expect((await pollTask(t, taskUrl, user.token)).state, `${who} ${format}`).toBe('SUCCESS');
      }
    }
  });

  it('is 202 for the managers of an unpublished event too (exports hold unpublished data), 404 for others', async () => {
    const draft = await createEvent(t, owner.token, { name: 'Draft Conf' });
    await grantRole(t, owner.token, draft, organizer.id, 'organizer');
    taskIds.push(idOf(await startExport(t, organizer.token, draft.id, 'ical')));
    expect((await requestStart(t, stranger.token, draft.id, 'ical')).status).toBe(404);
  });
});

describe('reading a task', () => {
  let taskUrl: string;
  beforeAll(async () => {
    taskUrl = await startExport(t, owner.token, ev.id, 'jcal');
    taskIds.push(idOf(taskUrl));
    await pollTask(t, taskUrl, owner.token);
  });

  it('is for the user who started it and admins', async () => {
    const mine = expectStatus(await t.request({ method: 'GET', url: taskUrl, token: owner.token }), 200, 'owner');
    const asAdmin = expectStatus(await t.request({ method: 'GET', url: taskUrl, token: admin.token }), 200, 'admin');
    expect(asAdmin.body.state).toBe('SUCCESS');
    expect(localPath(asAdmin.body.result.download_url).split('?')[0]).toBe(localPath(mine.body.result.download_url).split('?')[0]);
  });

  it('is 404 for anyone else, even another organizer of the same event; 401 without a token', async () => {
    for (const [who, user] of Object.entries({ organizer, coorganizer, ...outsiders })) {
      const response = await t.request({ method: 'GET', url: taskUrl, token: user.token });
      expect(response.status, who).toBe(404);
      expect(response.text, who).not.toContain('download_url');
    }
    expect((await t.request({ method: 'GET', url: taskUrl })).status).toBe(401);
  });

  it('is 404 for an unknown id and for anything that is not a UUID', async () => {
    for (const id of [
      randomUUID(),
      '00000000-0000-4000-8000-000000000000',
      // A UUID, but not version 4.
      idOf(taskUrl).replace(/^(.{14})4/, '$11'),
      'not-a-uuid',
      '1',
      '..%2F..%2Fetc%2Fpasswd',
      `${idOf(taskUrl)}x`,
    ]) {
      const response = await t.request({ method: 'GET', url: `/v1/tasks/${id}`, token: admin.token });
      expect(response.status, id).toBe(404);
    }
  });

  it('has a UUIDv4 id, different for every task', () => {
    expect(taskIds.length).toBeGreaterThanOrEqual(10);
    for (const id of taskIds) expect(id).toMatch(UUID_V4);
    expect(new Set(taskIds).size).toBe(taskIds.length);
  });
});

describe('download links', () => {
  let taskId: string;
  let good: string;
  let goodBody: string;
  beforeAll(async () => {
    const { taskUrl, task, response } = await exportAndDownload(t, owner.token, ev.id, 'ical');
    taskId = idOf(taskUrl);
    good = localPath(task.result!.download_url!);
    goodBody = response.text;
  });

  const withQuery = (path: string, change: (q: URLSearchParams) => void) => {
    const [pathname, query] = path.split('?');
    const q = new URLSearchParams(query);
    change(q);
    return `${pathname}?${q}`;
  };
  const get = (url: string) => t.request({ method: 'GET', url });

  it('work in a plain browser tab (no header needed) and expire an hour after the task was read', async () => {
    const response = await get(good);
    expect(response.status).toBe(200);
    expect(response.text).toBe(goodBody);
    const expires = Number(new URLSearchParams(good.split('?')[1]).get('expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan((LINK_LIFETIME_SECONDS - 60) * 1000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(LINK_LIFETIME_SECONDS * 1000);
    expect(good).toMatch(/^\/v1\/exports\/[0-9a-f-]{36}\/download\?expires=\d+&signature=[\w-]+$/);
  });

  it('are 404 with a tampered signature, expiry or task id', async () => {
    const signature = new URLSearchParams(good.split('?')[1]).get('signature')!;
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    const other = await exportAndDownload(t, owner.token, ev.id, 'xcal');
    const otherPath = localPath(other.task.result!.download_url!);
    for (const [what, url] of [
      ['flipped signature', withQuery(good, (q) => q.set('signature', flipped))],
      ['truncated signature', withQuery(good, (q) => q.set('signature', signature.slice(0, -1)))],
      ['empty signature', withQuery(good, (q) => q.set('signature', ''))],
      ['later expiry', withQuery(good, (q) => q.set('expires', String(Number(q.get('expires')) + 86_400)))],
      ['expiry not a number', withQuery(good, (q) => q.set('expires', 'never'))],
      ['another task\'s signature', withQuery(good, (q) => q.set('signature', new URLSearchParams(otherPath.split('?')[1]).get('signature')!))],
      ['another task id', good.replace(taskId, idOf(other.taskUrl))],
      ['signed with another key', downloadPath('another-secret-key-of-at-least-32-characters', taskId)],
    ] as const) {
      const response = await get(url);
      expect(response.status, what).toBe(404);
      expect(response.text, what).not.toContain('BEGIN:VCALENDAR');
    }
  });

  it('are 410 once expired (and 404, not 410, when an expired link is also forged)', async () => {
    const expired = downloadPath(t.config.secretKey, taskId, Date.now() - (LINK_LIFETIME_SECONDS + 60) * 1000);
    const response = await get(expired);
    expect(response.status).toBe(410);
    expect(response.body.errors[0].detail).toMatch(/expired/i);
    const forged = withQuery(expired, (q) => q.set('signature', 'A'.repeat(43)));
    expect((await get(forged)).status).toBe(404);
  });

  it('are refused without a signature or expiry (4xx), and never read a path from the request', async () => {
    for (const url of [
      good.split('?')[0]!,
      withQuery(good, (q) => q.delete('signature')),
      withQuery(good, (q) => q.delete('expires')),
      `/v1/exports/..%2F..%2Fetc%2Fpasswd/download${good.slice(good.indexOf('?'))}`,
      `/v1/exports/${taskId}.ics/download${good.slice(good.indexOf('?'))}`,
      '/v1/exports/../../../etc/passwd',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.status, url).toBeLessThan(500);
      expect(response.text, url).not.toContain('root:');
    }
  });

  it('are 404 for a correctly signed id that has no file (unknown task, unfinished task)', async () => {
    expect((await get(downloadPath(t.config.secretKey, randomUUID()))).status).toBe(404);
  });
});

describe('a deleted event', () => {
  let doomed: Resource;
  beforeAll(async () => {
    doomed = await createPublishedEvent(t, owner.token, { name: 'Doomed Conf' });
    await createSession(t, owner.token, doomed, { title: 'Last talk', state: 'accepted', 'starts-at': '2026-02-01T09:00:00Z', 'ends-at': '2026-02-01T10:00:00Z' });
  });

  it('cannot be exported: 404 at start, for its owner and for admins', async () => {
    const victim = await createPublishedEvent(t, owner.token, { name: 'Gone Conf' });
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/events/${victim.id}`, token: owner.token }), 200, 'delete event');
    for (const user of [owner, admin]) {
      for (const format of ALL_FORMATS) expect((await requestStart(t, user.token, victim.id, format)).status, format).toBe(404);
    }
  });

  it('ends a task whose event was deleted before its job ran as FAILURE, with a message a person can act on', async () => {
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/events/${doomed.id}`, token: owner.token }), 200, 'delete event');
    // As if the export had been started just before the delete: the task and its job exist.
    const task = await queueExport(t.database.connection.db, t.queue.boss, {
      userId: owner.id,
      eventId: Number(doomed.id),
      format: formatById('xcal')!,
      options: {},
    });
    taskIds.push(task.id);
    const ended = await pollTask(t, `/v1/tasks/${task.id}`, owner.token);
    expect(ended).toEqual({ state: 'FAILURE', progress: expect.any(Object), result: { error: 'The event was deleted' } });
  });

  it('ends an export raced by a delete either way, never left PENDING', async () => {
    const raced = await createPublishedEvent(t, owner.token, { name: 'Raced Conf' });
    const taskUrl = await startExport(t, owner.token, raced.id, 'ical');
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/events/${raced.id}`, token: owner.token }), 200, 'delete event');
    const ended = await pollTask(t, taskUrl, owner.token);
    if (ended.state === 'FAILURE') expect(ended.result!.error).toBe('The event was deleted');
    else expect(ended.state).toBe('SUCCESS');
    const link = await t.request({ method: 'GET', url: downloadPath(t.config.secretKey, idOf(taskUrl)) });
    expect(link.status).toBe(ended.state === 'SUCCESS' ? 200 : 404);
  });
});
