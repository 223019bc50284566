// Shared by the export end-to-end tests: start an export, poll its task, download the file, and an
// event whose schedule has every case the exports must tell apart (states, untimed, deleted, text
// that needs escaping, a session across a DST change).
import { expect } from 'vitest';
import type { TestApp, TestResponse } from '../support/app.ts';
import {
  createEvent,
  createRoom,
  createSession,
  createSessionType,
  createSpeaker,
  createTrack,
  expectStatus,
  publish,
  type Resource,
  type User,
} from '../support/schedule.ts';

/** Formats started with GET /v1/events/{ev}/export/<format>. */
export const CALENDAR_FORMATS = ['xcal', 'ical', 'jcal', 'pentabarf', 'frab-json'] as const;
export type CalendarFormat = (typeof CALENDAR_FORMATS)[number];
/** Formats started with POST /v1/events/{ev}/export/<subject>/csv. */
export type CsvFormat = 'sessions-csv' | 'speakers-csv';
export type ExportFormat = CalendarFormat | CsvFormat;

/** What each download must say in its headers (the file name is `<identifier><suffix>`). */
export const EXPECTED_HEADERS: Record<ExportFormat, { contentType: string; suffix: string }> = {
  xcal: { contentType: 'application/calendar+xml', suffix: '.xcs' },
  ical: { contentType: 'text/calendar; charset=utf-8', suffix: '.ics' },
  jcal: { contentType: 'application/calendar+json', suffix: '.jcal' },
  pentabarf: { contentType: 'application/xml', suffix: '.xml' },
  'frab-json': { contentType: 'application/json', suffix: '.json' },
  'sessions-csv': { contentType: 'text/csv; charset=utf-8', suffix: '-sessions.csv' },
  'speakers-csv': { contentType: 'text/csv; charset=utf-8', suffix: '-speakers.csv' },
};

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The request that starts an export, as a client sends it. */
export function startRequest(ev: string | number, format: ExportFormat, status?: string) {
  if (format === 'sessions-csv' || format === 'speakers-csv') {
    const subject = format === 'sessions-csv' ? 'sessions' : 'speakers';
    return {
      method: 'POST' as const,
      url: `/v1/events/${ev}/export/${subject}/csv`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(status === undefined ? {} : { status }),
    };
  }
  return { method: 'GET' as const, url: `/v1/events/${ev}/export/${format}` };
}

export function requestStart(t: TestApp, token: string | undefined, ev: string | number, format: ExportFormat, status?: string) {
  return t.request({ ...startRequest(ev, format, status), token });
}

/** Starts an export and checks the 202 answer; returns the task URL. */
export async function startExport(t: TestApp, token: string, ev: string | number, format: ExportFormat, status?: string): Promise<string> {
  const response = expectStatus(await requestStart(t, token, ev, format, status), 202, `start ${format} export`);
  expect(response.body).toEqual({ task_url: expect.stringMatching(/^\/v1\/tasks\//) });
  expect(response.headers.location).toBe(response.body.task_url);
  const id = response.body.task_url.slice('/v1/tasks/'.length);
  expect(id, 'task ids are UUIDv4').toMatch(UUID_V4);
  return response.body.task_url;
}

export interface TaskBody {
  state: 'WAITING' | 'SUCCESS' | 'FAILURE';
  progress: { done: number; total: number };
  result?: { download_url?: string; error?: string };
}

/** Polls a task every 25 ms until it ends (SUCCESS or FAILURE), checking every answer on the way. */
export async function pollTask(t: TestApp, taskUrl: string, token: string, timeoutMs = 20_000): Promise<TaskBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = expectStatus(await t.request({ method: 'GET', url: taskUrl, token }), 200, `poll ${taskUrl}`);
    const body = response.body as TaskBody;
    expect(['WAITING', 'SUCCESS', 'FAILURE']).toContain(body.state);
    expect(body.progress.done).toBeLessThanOrEqual(Math.max(body.progress.total, body.progress.done));
    if (body.state === 'SUCCESS' || body.state === 'FAILURE') return body;
    if (Date.now() > deadline) throw new Error(`task ${taskUrl} still ${body.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The path and query of a download URL (the app is reached with inject, not over the network). */
export function localPath(downloadUrl: string): string {
  const url = new URL(downloadUrl);
  return url.pathname + url.search;
}

export function download(t: TestApp, downloadUrl: string, headers: Record<string, string> = {}): Promise<TestResponse> {
  return t.request({ method: 'GET', url: localPath(downloadUrl), headers });
}

/** Start, poll to SUCCESS, download: the whole flow. Returns the task and the 200 download. */
export async function exportAndDownload(t: TestApp, token: string, ev: string | number, format: ExportFormat, status?: string) {
  const taskUrl = await startExport(t, token, ev, format, status);
  const task = await pollTask(t, taskUrl, token);
  expect(task, JSON.stringify(task)).toMatchObject({ state: 'SUCCESS', result: { download_url: expect.any(String) } });
  const response = expectStatus(await download(t, task.result!.download_url!), 200, `download ${format}`);
  return { taskUrl, task, response };
}

/** Asserts the download headers the issue asks for; returns the ETag. */
export function expectDownloadHeaders(response: TestResponse, format: ExportFormat, identifier: string): string {
  const expected = EXPECTED_HEADERS[format];
  expect(response.headers['content-type'], format).toBe(expected.contentType);
  expect(response.headers['content-disposition'], format).toBe(`attachment; filename="${identifier}${expected.suffix}"`);
  // Strong: no W/ prefix; the SHA-256 of the bytes.
  expect(response.headers.etag, format).toMatch(/^"[0-9a-f]{64}"$/);
  expect(Number(response.headers['content-length']), format).toBe(Buffer.byteLength(response.text, 'utf8'));
  return response.headers.etag as string;
}

// ---- the event ----------------------------------------------------------------------------------------------------

export interface ExportFixture {
  event: Resource;
  identifier: string;
  /** Session titles by what the exports must contain. */
  calendarTitles: string[];
  allTitles: string[];
  titlesByState: Record<string, string[]>;
  speakers: { ada: Resource; grace: Resource; linus: Resource };
  tracks: { web: Resource; data: Resource };
  rooms: { roomA: Resource; hallB: Resource };
  types: { talk: Resource; workshop: Resource };
  sessions: Record<string, Resource>;
}

export const HOSTILE_TITLE = 'Q&A: <Calendars>, "feeds" & ]]> more';

/**
 * An event in Europe/Brussels over the October 2026 DST change, with two tracks, rooms and types, three
 * speakers and sessions in every state, one untimed and one deleted; published. Calendar exports hold
 * exactly the timed accepted/confirmed sessions that are not deleted.
 */
export async function buildExportEvent(t: TestApp, owner: User, attributes: Record<string, unknown> = {}): Promise<ExportFixture> {
  const token = owner.token;
  const event = await createEvent(t, token, {
    name: 'Export Conf',
    'starts-at': '2026-10-24T07:00:00Z',
    'ends-at': '2026-10-26T17:00:00Z',
    timezone: 'Europe/Brussels',
    ...attributes,
  });
  const web = await createTrack(t, token, event, { name: 'Web', color: '#336699' });
  const data = await createTrack(t, token, event, { name: 'Data & Science', color: '#993366' });
  const roomA = await createRoom(t, token, event, { name: 'Room A' });
  const hallB = await createRoom(t, token, event, { name: 'Hall B' });
  const talk = await createSessionType(t, token, event, { name: 'Talk', length: '00:45' });
  const workshop = await createSessionType(t, token, event, { name: 'Workshop', length: '01:30' });
  const ada = await createSpeaker(t, token, event, { name: 'Ada Lovelace', email: 'ada@example.org', mobile: '+32 2 123 45 67' });
  const grace = await createSpeaker(t, token, event, { name: 'Grace Hopper', email: 'grace@example.org', organisation: 'Navy' });
  const linus = await createSpeaker(t, token, event, { name: 'Linus T', email: 'linus@example.org' });

  const at = (iso: string, minutes: number) => ({ 'starts-at': iso, 'ends-at': new Date(Date.parse(iso) + minutes * 60_000).toISOString() });
  const specs: [key: string, attributes: Record<string, unknown>, links: Parameters<typeof createSession>[4]][] = [
    ['opening', { title: 'Opening', state: 'accepted', ...at('2026-10-24T09:00:00Z', 45), 'short-abstract': '<p>About <b>it</b></p>' },
      { track: web, microlocation: roomA, sessionType: talk, speakers: [ada] }],
    // 02:30 local on 25 October happens twice in Brussels.
    ['dst', { title: 'Across DST', state: 'confirmed', ...at('2026-10-25T00:30:00Z', 90) },
      { track: data, microlocation: hallB, sessionType: workshop, speakers: [ada, grace] }],
    ['hostile', { title: HOSTILE_TITLE, state: 'confirmed', ...at('2026-10-26T10:00:00Z', 45), comments: 'organizers only' },
      { track: web, microlocation: hallB, sessionType: talk, speakers: [grace] }],
    // Accepted, but not placed in time yet: in the CSV, not in calendars.
    ['untimed', { title: 'Untimed accepted', state: 'accepted' }, { track: data }],
    ['draft', { title: 'Draft talk', state: 'draft', ...at('2026-10-25T10:00:00Z', 45) }, { speakers: [linus] }],
    ['pending', { title: 'Pending talk', state: 'pending', ...at('2026-10-25T11:00:00Z', 45) }, {}],
    ['rejected', { title: 'Rejected talk', state: 'rejected', ...at('2026-10-25T12:00:00Z', 45) }, { speakers: [linus] }],
    ['withdrawn', { title: 'Withdrawn talk', state: 'withdrawn', ...at('2026-10-25T13:00:00Z', 45) }, {}],
    ['deleted', { title: 'Deleted talk', state: 'accepted', ...at('2026-10-25T14:00:00Z', 45) }, { speakers: [ada] }],
  ];
  const sessions: Record<string, Resource> = {};
  for (const [key, attrs, links] of specs) sessions[key] = await createSession(t, token, event, attrs, links);
  expectStatus(await t.request({ method: 'DELETE', url: `/v1/sessions/${sessions.deleted!.id}`, token }), 200, 'delete session');
  const published = await publish(t, token, event);

  const alive = specs.filter(([key]) => key !== 'deleted');
  const titlesByState: Record<string, string[]> = {};
  for (const [, attrs] of alive) (titlesByState[attrs.state as string] ??= []).push(attrs.title as string);
  return {
    event: published,
    identifier: published.attributes.identifier,
    calendarTitles: ['Opening', 'Across DST', HOSTILE_TITLE].sort(),
    allTitles: alive.map(([, attrs]) => attrs.title as string).sort(),
    titlesByState,
    speakers: { ada, grace, linus },
    tracks: { web, data },
    rooms: { roomA, hallB },
    types: { talk, workshop },
    sessions,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
