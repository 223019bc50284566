// OES's whole-event export over HTTP, as OES's export page drives it: `POST /v1/events/{ev}/export/json`
// with the media flags as the body, poll the task, download the zip. The zip holds OES's files (event,
// microlocations, sessions, speakers, tracks, session_types, sponsors, forms, meta, plus tickets and the
// call for speakers), each
// parses as JSON, and the schedule they describe is the one the API serves: the import reads it back.
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { expectStatus, get, grantRole, patch, type User } from '../support/schedule.ts';
import { createTicket } from '../support/tickets.ts';
import { buildExportEvent, localPath, pollTask, type ExportFixture } from './support.ts';

const OES_BODY = { image: false, video: false, document: false, audio: false };
const FILES = ['event', 'microlocations', 'sessions', 'speakers', 'tracks', 'session_types', 'tickets', 'sponsors', 'speakers_calls', 'forms', 'meta'];

/** Every entry of a zip, its bytes checked against the CRC-32 the zip states. */
function unzip(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, string>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            const bytes = Buffer.concat(chunks);
            if (crc32(bytes) !== entry.crc32) return reject(new Error(`${entry.fileName}: CRC-32 mismatch`));
            entries.set(entry.fileName, bytes.toString('utf8'));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

interface ScheduleItem {
  title: string;
  state: string;
  startsAt: number | null;
  endsAt: number | null;
  track: string | null;
  room: string | null;
  type: string | null;
  speakers: string[];
  shortAbstract: string | null;
  comments: string | null;
}

const instant = (value: string | null) => (value === null ? null : Date.parse(value));

describe('whole-event export (POST /v1/events/{ev}/export/json)', () => {
  let t: TestApp;
  let owner: User;
  let fx: ExportFixture;
  let files: Map<string, string>;
  let task: Awaited<ReturnType<typeof pollTask>>;
  let download: Awaited<ReturnType<TestApp['app']['inject']>>;

  beforeAll(async () => {
    t = await startTestApp({ worker: true });
    owner = await signUp(t);
    fx = await buildExportEvent(t, owner, { 'payment-currency': 'EUR' });
    await createTicket(t, owner.token, fx.event, { name: 'Day pass', type: 'paid', price: 12.5, quantity: 40 });
    await patch(t, owner.token, '/v1/events', 'event', fx.event.id, { 'is-sponsors-enabled': true });
    const sponsor = { type: 'sponsor', attributes: { name: 'Fossasia', level: 1, type: 'Gold', url: 'http://example.com' }, relationships: { event: { data: { type: 'event', id: fx.event.id } } } };
    expectStatus(await t.request({ method: 'POST', url: '/v1/sponsors', token: owner.token, json: { data: sponsor } }), 201, 'sponsor');
    // A private call for speakers, and an earlier one deleted: only the live call is the event's.
    const call = (attributes: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/v1/speakers-calls', token: owner.token, json: { data: { type: 'speakers-call', attributes, relationships: { event: { data: { type: 'event', id: fx.event.id } } } } } });
    const earlier = expectStatus(await call({ announcement: 'Old call', 'starts-at': '2026-01-01T00:00:00Z', 'ends-at': '2026-02-01T00:00:00Z' }), 201, 'first call').body.data;
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/speakers-calls/${earlier.id}`, token: owner.token }), 200, 'delete the first call');
    expectStatus(
      await call({ announcement: '<p>Send us your talks</p>', 'starts-at': '2026-05-01T08:00:00Z', 'soft-ends-at': '2026-06-01T22:00:00Z', 'ends-at': '2026-06-15T22:00:00Z', privacy: 'private', hash: 'secret-link' }),
      201,
      'the call',
    );
    const started = expectStatus(
      await t.request({ method: 'POST', url: `/v1/events/${fx.identifier}/export/json`, token: owner.token, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(OES_BODY) }),
      202,
      'start the event export',
    );
    expect(started.body).toEqual({ task_url: expect.stringMatching(/^\/v1\/tasks\/[0-9a-f-]{36}$/) });
    task = await pollTask(t, started.body.task_url, owner.token);
    expect(task, JSON.stringify(task)).toMatchObject({ state: 'SUCCESS', result: { download_url: expect.any(String) } });
    download = await t.app.inject({ method: 'GET', url: localPath(task.result!.download_url!) });
    expect(download.statusCode).toBe(200);
    files = await unzip(download.rawPayload);
  });

  it("is a zip download named after the event, holding OES's files and tickets, each valid JSON", () => {
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${fx.identifier}-event.zip"`);
    expect(Number(download.headers['content-length'])).toBe(download.rawPayload.length);
    expect([...files.keys()].sort()).toEqual([...FILES].sort());
    for (const [name, text] of files) expect(() => JSON.parse(text), name).not.toThrow();
    expect(JSON.parse(files.get('sponsors')!)).toEqual([
      expect.objectContaining({ name: 'Fossasia', level: 1, type: 'Gold', url: 'http://example.com', description: null, logo_url: null }),
    ]);
    expect(Object.keys(JSON.parse(files.get('sponsors')!)[0]).slice(0, 7)).toEqual(['id', 'name', 'logo_url', 'level', 'type', 'url', 'description']);
    // Every event has the attendee form's three fixed fields.
    expect(JSON.parse(files.get('forms')!).map((f: any) => [f.form, f.field_identifier])).toEqual([
      ['attendee', 'firstname'],
      ['attendee', 'lastname'],
      ['attendee', 'email'],
    ]);
    expect(JSON.parse(files.get('event')!).social_links).toEqual([]);
    // The event's live call for speakers, whole (the private link's hash too: the file is the managers'), OES's column names.
    const calls = JSON.parse(files.get('speakers_calls')!);
    expect(calls).toEqual([
      {
        id: expect.any(Number),
        announcement: '<p>Send us your talks</p>',
        starts_at: '2026-05-01T08:00:00+00:00',
        soft_ends_at: '2026-06-01T22:00:00+00:00',
        ends_at: '2026-06-15T22:00:00+00:00',
        hash: 'secret-link',
        privacy: 'private',
        event_id: Number(fx.event.id),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    expect(Object.keys(calls[0]).slice(0, 3)).toEqual(['id', 'announcement', 'starts_at']);
    expect(JSON.parse(files.get('meta')!)).toEqual({ generator: expect.stringMatching(/^openevent /), root_url: 'https://events.example.org/' });
  });

  it('counts the event and each record in the task progress', () => {
    // The event, 2 tracks, 2 rooms, 2 types, 3 speakers, 8 alive sessions (the deleted one is not exported), 1 ticket, 1 sponsor,
    // 1 call, 3 form fields.
    expect(task.progress).toEqual({ done: 24, total: 24 });
  });

  it("writes OES's keys in OES's order, indented as OES writes them", () => {
    const event = JSON.parse(files.get('event')!);
    expect(Object.keys(event).slice(0, 4)).toEqual(['id', 'name', 'latitude', 'longitude']);
    expect(event).toMatchObject({
      id: Number(fx.event.id),
      identifier: fx.identifier,
      name: 'Export Conf',
      timezone: 'Europe/Brussels',
      starts_at: '2026-10-24T07:00:00+00:00',
      ends_at: '2026-10-26T17:00:00+00:00',
      state: 'published',
    });
    for (const internal of ['schedule_version', 'schedule_updated_at', 'deleted_at']) expect(event).not.toHaveProperty(internal);
    const tracks = JSON.parse(files.get('tracks')!);
    expect(Object.keys(tracks[0]).slice(0, 3)).toEqual(['id', 'name', 'color']);
    expect(files.get('tracks')!.startsWith('[\n    {\n        "id": ')).toBe(true);
    const sessions = JSON.parse(files.get('sessions')!);
    expect(Object.keys(sessions[0]).slice(0, 9)).toEqual([
      'id', 'title', 'subtitle', 'short_abstract', 'long_abstract', 'starts_at', 'ends_at', 'session_type_id', 'track_id',
    ]);
    const [ticket] = JSON.parse(files.get('tickets')!);
    expect(ticket).toMatchObject({ name: 'Day pass', type: 'paid', price_minor: 1250, quantity: 40 });
    expect(ticket).not.toHaveProperty('sold_count');
  });

  it('holds the schedule the API serves: every alive session with its times, track, room, type and speakers', async () => {
    const byId = (name: string) => new Map<number, any>(JSON.parse(files.get(name)!).map((r: any) => [r.id, r]));
    const [tracks, rooms, types] = [byId('tracks'), byId('microlocations'), byId('session_types')];
    const speakers = JSON.parse(files.get('speakers')!) as { name: string; email: string; sessions: number[] }[];
    const fromZip: ScheduleItem[] = JSON.parse(files.get('sessions')!).map((s: any) => ({
      title: s.title,
      state: s.state,
      startsAt: instant(s.starts_at),
      endsAt: instant(s.ends_at),
      track: s.track_id === null ? null : tracks.get(s.track_id).name,
      room: s.microlocation_id === null ? null : rooms.get(s.microlocation_id).name,
      type: s.session_type_id === null ? null : types.get(s.session_type_id).name,
      speakers: speakers.filter((p) => p.sessions.includes(s.id)).map((p) => p.name).sort(),
      shortAbstract: s.short_abstract,
      comments: s.comments,
    }));

    const listed = expectStatus(
      await get(t, `/v1/events/${fx.event.id}/sessions?include=track,microlocation,session-type,speakers&page[size]=100`, owner.token),
      200,
      'list sessions',
    ).body;
    const included = new Map<string, any>(listed.included.map((r: any) => [`${r.type}:${r.id}`, r]));
    const one = (rel: any) => (rel.data ? included.get(`${rel.data.type}:${rel.data.id}`).attributes.name : null);
    const fromApi: ScheduleItem[] = listed.data.map((s: any) => ({
      title: s.attributes.title,
      state: s.attributes.state,
      startsAt: instant(s.attributes['starts-at']),
      endsAt: instant(s.attributes['ends-at']),
      track: one(s.relationships.track),
      room: one(s.relationships.microlocation),
      type: one(s.relationships['session-type']),
      speakers: s.relationships.speakers.data.map((r: any) => included.get(`${r.type}:${r.id}`).attributes.name).sort(),
      shortAbstract: s.attributes['short-abstract'],
      comments: s.attributes.comments,
    }));

    const byTitle = (a: ScheduleItem, b: ScheduleItem) => a.title.localeCompare(b.title);
    expect(fromZip.map((s) => s.title).sort()).toEqual(fx.allTitles);
    expect(fromZip.sort(byTitle)).toEqual(fromApi.sort(byTitle));
    expect(fromZip.find((s) => s.title === 'Opening')).toMatchObject({ track: 'Web', room: 'Room A', type: 'Talk', speakers: ['Ada Lovelace'] });
    expect(speakers.find((p) => p.name === 'Ada Lovelace')).toMatchObject({ email: 'ada@example.org' });
  });

  it('is made anew for each request, the same content while nothing changes', async () => {
    const again = expectStatus(
      // By id this time, every flag left to its default.
      await t.request({ method: 'POST', url: `/v1/events/${fx.event.id}/export/json`, token: owner.token, headers: { 'content-type': 'application/json' }, payload: '{}' }),
      202,
      'start with the defaults',
    );
    const second = await pollTask(t, again.body.task_url, owner.token);
    expect(second.state).toBe('SUCCESS');
    const bytes = (await t.app.inject({ method: 'GET', url: localPath(second.result!.download_url!) })).rawPayload;
    expect(await unzip(bytes)).toEqual(files);
  });

  it('is for the event managers (co-organizers and up) only, and refuses flags OES does not have', async () => {
    const post = (token: string | undefined, payload: unknown = OES_BODY) =>
      t.request({ method: 'POST', url: `/v1/events/${fx.identifier}/export/json`, token, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    expect((await post(undefined)).status).toBe(401);
    const stranger = await signUp(t);
    expect((await post(stranger.token)).status).toBe(404);
    // OES: co-organizers and up. A registrar sees orders, not the whole event.
    const registrar = await signUp(t);
    await grantRole(t, owner.token, fx.event, registrar.id, 'registrar');
    expect((await post(registrar.token)).status).toBe(404);
    const coorganizer = await signUp(t);
    await grantRole(t, owner.token, fx.event, coorganizer.id, 'coorganizer');
    expect((await post(coorganizer.token)).status).toBe(202);
    const typo = await post(owner.token, { ...OES_BODY, imgae: true });
    expect(typo.status).toBeGreaterThanOrEqual(400);
    expect(typo.status).toBeLessThan(500);
  });
});
