// Importing over HTTP as an organizer (or an OES client) does it: upload a schedule file (as the body with its
// media type, or in a multipart form), get 202 and a task, poll it to SUCCESS with a summary of counts, or to
// FAILURE with a message that names the line; dry runs change nothing; a new event can be made from a file.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import { createEvent, expectStatus, type Resource } from '../support/schedule.ts';
import { sharedPath } from '../support/shared.ts';
import { pollTask } from '../e2e/support.ts';
import { cleanUpExports } from '../../src/jobs/export-cleanup.ts';

let t: TestApp;
let owner: Awaited<ReturnType<typeof signUp>>;
let event: Resource;

beforeAll(async () => {
  t = await startTestApp({ worker: true, pollSeconds: 1 });
  owner = await signUp(t);
  event = await createEvent(t, owner.token, { 'starts-at': '2019-08-20T00:00:00Z', 'ends-at': '2019-08-26T00:00:00Z', timezone: 'Europe/Berlin' });
});
afterAll(() => t?.close());

const sample = (name: string) => readFileSync(sharedPath('samples', name));

function upload(url: string, bytes: Buffer | string, contentType: string, token: string | undefined = owner.token) {
  return t.request({ method: 'POST', url, payload: bytes, headers: { 'content-type': contentType }, token });
}

async function importFile(url: string, bytes: Buffer | string, contentType: string) {
  const started = expectStatus(await upload(url, bytes, contentType), 202, `POST ${url}`);
  expect(started.body).toEqual({ task_url: expect.stringMatching(/^\/v1\/tasks\/[0-9a-f-]{36}$/) });
  expect(started.headers.location).toBe(started.body.task_url);
  return (await pollTask(t, started.body.task_url, owner.token)) as { state: string; progress: { done: number; total: number }; result?: any };
}

async function sessionCount(eventId: string): Promise<number> {
  const response = expectStatus(await t.request({ method: 'GET', url: `/v1/events/${eventId}/sessions?page[size]=1`, token: owner.token }), 200, 'sessions');
  return response.body.meta.count;
}

describe('POST /v1/events/{ev}/import/{format}', () => {
  it('imports frab JSON sent as the body, then a dry run of the same file reports everything unchanged', async () => {
    const dry = await importFile(`/v1/events/${event.id}/import/frab-json?dry_run=true`, sample('frab-camp2019.json'), 'application/json');
    expect(dry.state).toBe('SUCCESS');
    expect(dry.result.summary).toMatchObject({ dryRun: true, sessions: { created: 79 } });
    expect(await sessionCount(event.id)).toBe(0);

    const task = await importFile(`/v1/events/${event.id}/import/frab-json`, sample('frab-camp2019.json'), 'application/json');
    expect(task).toMatchObject({ state: 'SUCCESS', progress: { done: 79, total: 79 }, result: { id: event.id } });
    expect(task.result.summary).toMatchObject({ dryRun: false, format: 'frab-json', sessions: { created: 79, updated: 0, withdrawn: 0 }, skipped: [] });
    expect(task.result.summary.rooms.created).toBeGreaterThan(0);
    expect(await sessionCount(event.id)).toBe(79);

    const again = await importFile(`/v1/events/${event.id}/import/frab-json?dry_run=true`, sample('frab-camp2019.json'), 'application/json');
    expect(again.result.summary.sessions).toEqual({ created: 0, updated: 0, unchanged: 79, withdrawn: 0 });
  });

  it('takes the file from a multipart form', async () => {
    const other = await createEvent(t, owner.token, { 'starts-at': '2020-12-13T00:00:00Z', 'ends-at': '2020-12-16T00:00:00Z' });
    const boundary = 'XyZboundary42';
    const form = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="democon.json"\r\nContent-Type: application/json\r\n\r\n`),
      sample('pretalx-democon.json'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const task = await importFile(`/v1/events/${other.id}/import/json`, form, `multipart/form-data; boundary=${boundary}`);
    expect(task.result.summary.sessions.created).toBe(36);
    expect(await sessionCount(other.id)).toBe(36);
  });

  it('ends FAILURE with a message naming the line for malformed and hostile files, and writes nothing', async () => {
    const empty = await createEvent(t, owner.token);
    const cases: [string, string, string, RegExp][] = [
      ['pentabarf', '<schedule>\n<day>\n</schedule>', 'application/xml', /not well-formed XML.*line 3/],
      ['pentabarf', '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<schedule>&b;</schedule>', 'application/xml', /declares a DTD/],
      ['xcal', '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<icalendar>&e;</icalendar>', 'application/calendar+xml', /declares a DTD/],
      ['ical', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;TZID=Mars/Base:20260201T100000\r\nDTEND;TZID=Mars/Base:20260201T110000\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 'text/calendar', /Unknown time zone "Mars\/Base"/],
      ['frab-json', '{"schedule": {', 'application/json', /not valid JSON/],
      ['ical', '<schedule/>', 'text/calendar', /Not iCalendar/],
      ['frab-json', 'PK\u0003\u0004 zipped', 'application/zip', /zip archive/],
    ];
    for (const [format, text, type, message] of cases) {
      const task = await importFile(`/v1/events/${empty.id}/import/${format}`, text, type);
      expect(task.state, text).toBe('FAILURE');
      expect(task.result.error).toMatch(message);
    }
    expect(await sessionCount(empty.id)).toBe(0);
  });

  it('refuses a file over the size limit, an unknown format, an empty body', async () => {
    const big = await upload(`/v1/events/${event.id}/import/frab-json`, Buffer.alloc(21 * 1024 * 1024, 32), 'application/json');
    expect(big.status).toBe(413);
    expect(big.body.errors).toBeDefined();
    const unknown = await upload(`/v1/events/${event.id}/import/docx`, 'x', 'application/octet-stream');
    expect([400, 404]).toContain(unknown.status);
    const empty = await upload(`/v1/events/${event.id}/import/ical`, '', 'text/calendar');
    expect(empty.status).toBe(422);
  });

  it('is for the event’s organizers: others get 404, anonymous callers 401', async () => {
    const stranger = await signUp(t);
    expect((await upload(`/v1/events/${event.id}/import/frab-json`, sample('pretalx-democon.json'), 'application/json', stranger.token)).status).toBe(404);
    const anonymous = await t.request({ method: 'POST', url: `/v1/events/${event.id}/import/frab-json`, payload: sample('pretalx-democon.json'), headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
  });

  it('keeps someone else’s import task from the one who did not start it', async () => {
    const started = expectStatus(await upload(`/v1/events/${event.id}/import/frab-json?dry_run=true`, sample('pretalx-democon.json'), 'application/json'), 202, 'start');
    const stranger = await signUp(t);
    expect((await t.request({ method: 'GET', url: started.body.task_url, token: stranger.token })).status).toBe(404);
    await pollTask(t, started.body.task_url, owner.token);
  });
});

describe('POST /v1/events/import/{source_type}', () => {
  it('creates a new event owned by the uploader from 31C3’s frab XML', async () => {
    const task = await importFile('/v1/events/import/xml', sample('frab-31c3.xml'), 'application/xml');
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary.sessions.created).toBe(138);
    const created = expectStatus(await t.request({ method: 'GET', url: `/v1/events/${task.result.id}`, token: owner.token }), 200, 'event');
    expect(created.body.data.attributes.name).toBe('31. Chaos Communication Congress');
    expect(created.body.data.attributes['starts-at']).toBe('2014-12-27T10:00:00Z');
    expect(await sessionCount(task.result.id)).toBe(138);
  });

  it('refuses a recurring iCalendar entry there: no event dates to expand it within', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:r\r\nSUMMARY:Standup\r\nDTSTART:20260201T090000Z\r\nDTEND:20260201T091500Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const task = await importFile('/v1/events/import/ical', ics, 'text/calendar');
    expect(task.state).toBe('FAILURE');
    expect(task.result.error).toMatch(/recurring entry.*UID r/);
  });
});

describe('clean-up', () => {
  it('forgets import tasks past the retention period', async () => {
    const task = await importFile(`/v1/events/${event.id}/import/frab-json?dry_run=true`, sample('pretalx-democon.json'), 'application/json');
    expect(task.state).toBe('SUCCESS');
    const started = expectStatus(await upload(`/v1/events/${event.id}/import/frab-json?dry_run=true`, sample('pretalx-democon.json'), 'application/json'), 202, 'start');
    await pollTask(t, started.body.task_url, owner.token);
    const later = new Date(Date.now() + (t.config.exportRetentionDays + 1) * 24 * 60 * 60 * 1000);
    await cleanUpExports({ config: t.config, connection: t.database.connection, storage: t.storage }, later);
    expect((await t.request({ method: 'GET', url: started.body.task_url, token: owner.token })).status).toBe(404);
  });
});
