// The export flow end to end over HTTP, as an OES client drives it: build an event, publish it,
// start each export, poll the task, download the file, and check the file and the headers.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import ICAL from 'ical.js';

let t: TestApp;
let owner: Awaited<ReturnType<typeof signUp>>;
let ev: { id: string; identifier: string };

async function create(type: string, path: string, attributes: Record<string, unknown>, relationships: Record<string, unknown> = {}) {
  const response = await t.request({
    method: 'POST',
    url: `/v1/${path}`,
    token: owner.token,
    json: { data: { type, attributes, relationships: { event: { data: { type: 'event', id: ev.id } }, ...relationships } } },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.data as { id: string };
}

async function poll(taskUrl: string, token: string) {
  for (let i = 0; i < 200; i++) {
    const response = await t.request({ method: 'GET', url: taskUrl, token });
    expect(response.status, response.text).toBe(200);
    if (response.body.state === 'SUCCESS' || response.body.state === 'FAILURE') return response.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('task did not finish');
}

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  owner = await signUp(t);
  const created = await t.request({
    method: 'POST',
    url: '/v1/events',
    token: owner.token,
    json: { data: { type: 'event', attributes: { name: 'Export Conf', 'starts-at': '2026-10-24T08:00:00Z', 'ends-at': '2026-10-26T18:00:00Z', timezone: 'Europe/Brussels' } } },
  });
  ev = { id: created.body.data.id, identifier: created.body.data.attributes.identifier };
  const track = await create('track', 'tracks', { name: 'Web', color: '#336699' });
  const room = await create('microlocation', 'microlocations', { name: 'Room A' });
  const type = await create('session-type', 'session-types', { name: 'Talk', length: '00:45' });
  const speaker = await create('speaker', 'speakers', { name: 'Ada', email: 'ada@example.org' });
  const rel = (t: string, id: string) => ({ data: { type: t, id } });
  for (const [title, state, start] of [
    ['Opening', 'accepted', '2026-10-24T09:00:00Z'],
    ['Across DST', 'confirmed', '2026-10-25T00:30:00Z'],
    ['Draft talk', 'draft', '2026-10-25T10:00:00Z'],
    ['Rejected talk', 'rejected', '2026-10-25T11:00:00Z'],
  ] as const) {
    await create(
      'session',
      'sessions',
      { title, state, 'starts-at': start, 'ends-at': new Date(Date.parse(start) + 45 * 60_000).toISOString(), 'short-abstract': '<p>About <b>it</b></p>' },
      { track: rel('track', track.id), microlocation: rel('microlocation', room.id), 'session-type': rel('session-type', type.id), speakers: { data: [{ type: 'speaker', id: speaker.id }] } },
    );
  }
  await t.request({ method: 'PATCH', url: `/v1/events/${ev.id}`, token: owner.token, json: { data: { type: 'event', id: ev.id, attributes: { state: 'published' } } } });
});

describe('export flow', () => {
  it('exports iCalendar: 202 with a task URL, then SUCCESS with a download that parses', async () => {
    const started = await t.request({ method: 'GET', url: `/v1/events/${ev.identifier}/export/ical`, token: owner.token });
    expect(started.status).toBe(202);
    expect(started.body.task_url).toMatch(/^\/v1\/tasks\/[0-9a-f-]{36}$/);
    expect(started.headers.location).toBe(started.body.task_url);
    const task = await poll(started.body.task_url, owner.token);
    expect(task.state).toBe('SUCCESS');
    expect(task.progress).toEqual({ done: 2, total: 2 });
    const url = new URL(task.result.download_url);
    const download = await t.request({ method: 'GET', url: url.pathname + url.search });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${ev.identifier}.ics"`);
    expect(download.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Number(download.headers['content-length'])).toBe(Buffer.byteLength(download.text));
    const calendar = new ICAL.Component(ICAL.parse(download.text));
    const titles = calendar.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary'));
    expect(titles.sort()).toEqual(['Across DST', 'Opening']);
  });
});
