// OES's whole-event zip read back: export a rich event with `POST /v1/events/{ev}/export/json`, import the zip
// through OES's `POST /v1/events/import/json` as a new event of another user, export that one too, and the two
// zips describe the same event (every record and attribute, with ids, owners and bookkeeping aside). The same
// zip goes into an existing event with `POST /v1/events/{ev}/import/json`. Hostile archives (a zip bomb, too
// many entries, a `../` name, no zip at all, no event file) end FAILURE with their reason, and nothing is written.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { createEvent, createPublishedEvent, createSpeaker, expectStatus, get, patch, type User } from '../support/schedule.ts';
import { createTicket } from '../support/tickets.ts';
import { buildExportEvent, localPath, pollTask, type ExportFixture } from './support.ts';

let t: TestApp;
let owner: User;
let importer: User;
let fx: ExportFixture;
let zip: Buffer;

function unzip(bytes: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, string>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

/** A zip of the given entries, made with yazl (compressed). */
function makeZip(entries: [name: string, content: string | Buffer][]): Promise<Buffer> {
  const z = new ZipFile();
  for (const [name, content] of entries) z.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

async function exportZip(ev: string, token: string): Promise<Buffer> {
  const started = expectStatus(
    await t.request({ method: 'POST', url: `/v1/events/${ev}/export/json`, token, headers: { 'content-type': 'application/json' }, payload: '{}' }),
    202,
    'start the event export',
  );
  const task = await pollTask(t, started.body.task_url, token);
  expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
  const download = await t.app.inject({ method: 'GET', url: localPath(task.result!.download_url!) });
  expect(download.statusCode).toBe(200);
  return download.rawPayload;
}

async function importZip(url: string, bytes: Buffer, token: string, contentType = 'application/zip') {
  const started = expectStatus(await t.request({ method: 'POST', url, payload: bytes, headers: { 'content-type': contentType }, token }), 202, `POST ${url}`);
  return (await pollTask(t, started.body.task_url, token)) as { state: string; progress: { done: number; total: number }; result?: any };
}

/** How many records of each kind the event has, as its team sees them. */
async function countsOf(ev: string, token = importer.token): Promise<Record<string, number>> {
  const kinds = ['sessions', 'speakers', 'tracks', 'microlocations', 'session-types', 'sponsors', 'social-links', 'tickets', 'custom-forms'];
  const counts: Record<string, number> = {};
  for (const kind of kinds) {
    const listed = expectStatus(await get(t, `/v1/events/${ev}/${kind}?page[size]=0`, token), 200, `${kind} of ${ev}`);
    counts[kind] = listed.body.data.length;
  }
  return counts;
}

/** The zip with its JSON files changed by `edit` (file name → parsed content). */
async function editedZip(bytes: Buffer, edit: (files: Map<string, any>) => void): Promise<Buffer> {
  const files = await unzip(bytes);
  const parsed = new Map<string, any>([...files].map(([name, text]) => [name, JSON.parse(text)]));
  edit(parsed);
  return makeZip([...parsed].map(([name, value]) => [name, JSON.stringify(value)]));
}

async function eventsOf(user: User): Promise<string[]> {
  const listed = expectStatus(await get(t, `/v1/users/${user.id}/events?page[size]=100`, user.token), 200, 'events of the user');
  return listed.body.data.map((e: any) => e.id).sort();
}

/** What the export says of the event, without what belongs to one server: ids, owners, bookkeeping. */
const LOCAL = new Set(['id', 'event_id', 'identifier', 'created_at', 'updated_at', 'last_modified_at', 'sequence', 'creator_id', 'user_id', 'source_id']);
function comparable(files: Map<string, string>) {
  const parse = (name: string) => JSON.parse(files.get(name)!);
  const strip = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([key]) => !LOCAL.has(key)));
  const names = (file: string) => new Map<number, string>(parse(file).map((r: any) => [r.id, r.name]));
  const [tracks, rooms, types] = [names('tracks'), names('microlocations'), names('session_types')];
  const titles = new Map<number, string>(parse('sessions').map((s: any) => [s.id, s.title]));
  const sorted = (records: Record<string, unknown>[]) => records.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const event = strip(parse('event'));
  event.social_links = sorted((event.social_links as any[]).map(strip));
  return {
    event,
    tracks: sorted(parse('tracks').map(strip)),
    microlocations: sorted(parse('microlocations').map(strip)),
    session_types: sorted(parse('session_types').map(strip)),
    sponsors: sorted(parse('sponsors').map(strip)),
    tickets: sorted(parse('tickets').map(strip)),
    forms: sorted(parse('forms').map(strip)),
    speakers_calls: sorted(parse('speakers_calls').map(strip)),
    speakers: sorted(parse('speakers').map((s: any) => ({ ...strip(s), sessions: s.sessions.map((id: number) => titles.get(id)).sort() }))),
    sessions: sorted(
      parse('sessions').map((s: any) => ({
        ...strip(s),
        track_id: s.track_id === null ? null : tracks.get(s.track_id),
        microlocation_id: s.microlocation_id === null ? null : rooms.get(s.microlocation_id),
        session_type_id: s.session_type_id === null ? null : types.get(s.session_type_id),
      })),
    ),
  };
}

beforeAll(async () => {
  t = await startTestApp({ worker: true, pollSeconds: 1 });
  owner = await signUp(t);
  importer = await signUp(t);
  fx = await buildExportEvent(t, owner, {
    'payment-currency': 'EUR',
    description: '<p>Two days of talks</p>',
    'location-name': 'Brussels, ULB',
    latitude: 50.81,
    longitude: 4.38,
    privacy: 'public',
    'code-of-conduct': 'Be excellent',
    'is-sponsors-enabled': true,
  });
  const ev = fx.event.id;
  const rel = { event: { data: { type: 'event', id: ev } } };
  await createTicket(t, owner.token, fx.event, { name: 'Day pass', type: 'paid', price: 12.5, quantity: 40, 'max-order': 4 });
  await createTicket(t, owner.token, fx.event, { name: 'Free entry', type: 'free', quantity: 100, 'is-hidden': true });
  await createSpeaker(t, owner.token, fx.event, {
    name: 'Margaret Hamilton',
    email: 'margaret@example.org',
    'short-biography': 'Apollo software',
    'long-biography': 'Led the team that wrote the on-board flight software',
    website: 'https://example.org/mh',
    twitter: 'https://twitter.com/mh',
    organisation: 'MIT',
    position: 'Director',
    country: 'US',
    city: 'Boston',
    'photo-url': 'https://example.org/mh.jpg',
  });
  for (const [url, data] of [
    ['/v1/sponsors', { type: 'sponsor', attributes: { name: 'Fossasia', level: 1, type: 'Gold', url: 'http://example.com', description: 'Open tech', 'logo-url': 'http://example.com/l.png' }, relationships: rel }],
    ['/v1/social-links', { type: 'social-link', attributes: { name: 'Mastodon', link: 'https://social.example/@conf', identifier: 'mastodon' }, relationships: rel }],
    ['/v1/custom-forms', { type: 'custom-form', attributes: { form: 'speaker', type: 'text', 'field-identifier': 'organisation', 'is-required': true, 'is-included': true }, relationships: rel }],
    ['/v1/custom-forms', { type: 'custom-form', attributes: { form: 'session', type: 'text', 'field-identifier': 'level', name: 'Level', 'is-complex': true, 'is-included': true }, relationships: rel }],
    ['/v1/speakers-calls', { type: 'speakers-call', attributes: { announcement: '<p>Send us your talks</p>', 'starts-at': '2026-05-01T08:00:00Z', 'ends-at': '2026-06-15T22:00:00Z', privacy: 'private', hash: 'secret-link' }, relationships: rel }],
  ] as const) {
    expectStatus(await t.request({ method: 'POST', url, token: owner.token, json: { data } }), 201, `POST ${url}`);
  }
  await patch(t, owner.token, '/v1/events', 'event', ev, { 'is-sponsors-enabled': true });
  zip = await exportZip(fx.identifier, owner.token);
});
afterAll(() => t?.close());

describe("OES's whole-event zip imported (POST /v1/events/import/json)", () => {
  it('creates a new event of the importing user holding everything the export carries', async () => {
    const before = await eventsOf(importer);
    const task = await importZip('/v1/events/import/json', zip, importer.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    const created = task.result.id as string;
    expect(created).not.toBe(fx.event.id);
    expect(await eventsOf(importer)).toEqual([...before, created].sort());
    expect(task.result.summary).toMatchObject({
      dryRun: false,
      format: 'event-json',
      event: 'created',
      sessions: { created: 8 },
      tracks: { created: 2 },
      rooms: { created: 2 },
      types: { created: 2 },
      speakers: { created: 4 },
      sponsors: { created: 1 },
      socialLinks: { created: 1 },
      tickets: { created: 2 },
      forms: { created: 5 },
      speakersCalls: { created: 1 },
      skipped: [],
      ignoredKeys: [],
    });
    // The event, 8 sessions, 2 tracks, rooms and types, 4 speakers, 1 sponsor, 1 link, 2 tickets, 5 form fields, 1 call.
    expect(task.progress).toEqual({ done: 29, total: 29 });

    const event = expectStatus(await get(t, `/v1/events/${created}?include=owner`, importer.token), 200, 'the new event');
    expect(event.body.data.attributes).toMatchObject({ name: 'Export Conf', timezone: 'Europe/Brussels', 'location-name': 'Brussels, ULB' });
    expect(event.body.data.attributes.identifier).not.toBe(fx.identifier);

    const again = await unzip(await exportZip(created, importer.token));
    const original = await unzip(zip);
    const source = comparable(original);
    // The comparison is of rich records: the details the export carries are there to compare.
    expect(source.speakers).toContainEqual(expect.objectContaining({ name: 'Margaret Hamilton', city: 'Boston', long_biography: expect.any(String), sessions: [] }));
    expect(source.speakers).toContainEqual(expect.objectContaining({ name: 'Ada Lovelace', sessions: ['Across DST', 'Opening'] }));
    expect(source.sessions).toContainEqual(expect.objectContaining({ title: 'Across DST', state: 'confirmed', track_id: 'Data & Science', microlocation_id: 'Hall B', session_type_id: 'Workshop' }));
    expect(source.event).toMatchObject({ name: 'Export Conf', code_of_conduct: 'Be excellent', latitude: 50.81, payment_currency: 'EUR', social_links: [expect.objectContaining({ name: 'Mastodon' })] });
    expect(source.tickets).toContainEqual(expect.objectContaining({ name: 'Day pass', price_minor: 1250, max_order: 4 }));
    expect(source.forms).toHaveLength(5);
    expect(comparable(again)).toEqual(source);
  });

  it('adds the records to an existing event through POST /v1/events/{ev}/import/json, keeping its own attributes', async () => {
    const target = await createEvent(t, importer.token, { name: 'Target', 'payment-currency': 'EUR' });
    const task = await importZip(`/v1/events/${target.id}/import/json`, zip, importer.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.id).toBe(target.id);
    expect(task.result.summary).toMatchObject({
      event: 'kept',
      sessions: { created: 8 },
      speakers: { created: 4 },
      tickets: { created: 2 },
      // The target's own three attendee fields are the archive's: updated in place, not doubled.
      forms: { created: 2, updated: 3 },
      // The target had no call for speakers: it gets the archive's.
      speakersCalls: { created: 1 },
    });
    const event = expectStatus(await get(t, `/v1/events/${target.id}`, importer.token), 200, 'target');
    expect(event.body.data.attributes.name).toBe('Target');
    const sessions = expectStatus(await get(t, `/v1/events/${target.id}/sessions?page[size]=0`, importer.token), 200, 'sessions');
    expect(sessions.body.meta.count).toBe(8);
    const forms = expectStatus(await get(t, `/v1/events/${target.id}/custom-forms?page[size]=0`, importer.token), 200, 'forms');
    expect(forms.body.data).toHaveLength(5);
    // A second import into it keeps its one call, with a note, and finds every record it brought: nothing doubles.
    const again = await importZip(`/v1/events/${target.id}/import/json`, zip, importer.token);
    expect(again.state, JSON.stringify(again)).toBe('SUCCESS');
    expect(again.result.summary.speakersCalls).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(again.result.summary.skipped).toContainEqual({ where: expect.stringMatching(/^speakers_calls/), reason: 'the event already has a call for speakers; not imported' });
    expect(again.result.summary).toMatchObject({
      sessions: { created: 0, updated: 0, unchanged: 8, withdrawn: 0 },
      tracks: { created: 0, updated: 0, unchanged: 2 },
      rooms: { created: 0, updated: 0, unchanged: 2 },
      types: { created: 0, updated: 0, unchanged: 2 },
      speakers: { created: 0, updated: 0, unchanged: 4 },
      sponsors: { created: 0, updated: 0, unchanged: 1 },
      socialLinks: { created: 0, updated: 0, unchanged: 1 },
      tickets: { created: 0 },
      forms: { created: 0 },
    });
    expect(await countsOf(target.id)).toEqual({ sessions: 8, speakers: 4, tracks: 2, microlocations: 2, 'session-types': 2, sponsors: 1, 'social-links': 1, tickets: 2, 'custom-forms': 5 });
  });

  it('leaves out priced tickets when the event counts money in another currency, with a note', async () => {
    const target = await createEvent(t, importer.token, { name: 'Dollars', 'payment-currency': 'USD' });
    const task = await importZip(`/v1/events/${target.id}/import/zip`, zip, importer.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary.tickets).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(task.result.summary.skipped).toContainEqual({ where: expect.stringMatching(/^tickets, record \d+$/), reason: "its price is in EUR, the event's currency is USD; not imported" });
    const listed = expectStatus(await get(t, `/v1/events/${target.id}/tickets`, importer.token), 200, 'tickets');
    expect(listed.body.data.map((x: any) => x.attributes.name)).toEqual(['Free entry']);
  });

  it('reports a dry run without writing anything', async () => {
    const before = await eventsOf(importer);
    const task = await importZip('/v1/events/import/event-json?dry_run=true', zip, importer.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.id).toBeUndefined();
    expect(task.result.summary).toMatchObject({ dryRun: true, sessions: { created: 8 }, tickets: { created: 2 } });
    expect(await eventsOf(importer)).toEqual(before);
  });

  it('notes media files inside the zip as not imported, and keys it does not know', async () => {
    const files = await unzip(zip);
    const event = { ...JSON.parse(files.get('event')!), favourite_colour: 'green' };
    const entries: [string, string | Buffer][] = [...files].map(([name, text]) => [name, name === 'event' ? JSON.stringify(event) : text]);
    entries.push(['images/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47])]);
    const task = await importZip('/v1/events/import/json', await makeZip(entries), importer.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary.skipped).toEqual([{ where: 'zip archive', reason: expect.stringMatching(/1 other file .*images\/logo\.png.* not imported/) }]);
    expect(task.result.summary.ignoredKeys).toEqual(['event.favourite_colour']);
  });
});

describe('the same zip imported again', () => {
  it('updates what changed, adds what is new and withdraws what the archive no longer has', async () => {
    const target = await createPublishedEvent(t, importer.token, { name: 'Re-imported', 'payment-currency': 'EUR' });
    expect((await importZip(`/v1/events/${target.id}/import/json`, zip, importer.token)).state).toBe('SUCCESS');
    const changed = await editedZip(zip, (files) => {
      const list = files.get('sessions') as any[];
      const [first, second] = list;
      first.title = 'Opening, renamed';
      list.splice(list.indexOf(second), 1);
      list.push({ ...second, id: 999_999, title: 'A late addition' });
      const track = (files.get('tracks') as any[])[0];
      track.color = '#123456';
      (files.get('sponsors') as any[])[0].description = 'Open tech, since 2009';
      // The renamed session's speakers now include Margaret Hamilton, who had none.
      for (const speaker of files.get('speakers') as any[]) if (speaker.name === 'Margaret Hamilton') speaker.sessions = [first.id];
    });
    const before = expectStatus(await get(t, `/v1/events/${target.id}/sessions?page[size]=0&include=speakers`, importer.token), 200, 'sessions');
    const task = await importZip(`/v1/events/${target.id}/import/json`, changed, importer.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary).toMatchObject({
      sessions: { created: 1, updated: 1, unchanged: 6, withdrawn: 1 },
      tracks: { created: 0, updated: 1, unchanged: 1 },
      sponsors: { created: 0, updated: 1, unchanged: 0 },
      speakers: { created: 0, updated: 0, unchanged: 4 },
    });
    const after = expectStatus(await get(t, `/v1/events/${target.id}/sessions?page[size]=0&include=speakers`, importer.token), 200, 'sessions');
    expect(after.body.data).toHaveLength(9);
    const titles = after.body.data.map((x: any) => x.attributes.title);
    expect(titles).toContain('Opening, renamed');
    expect(titles).toContain('A late addition');
    expect(titles).not.toContain('Opening');
    const renamed = after.body.data.find((x: any) => x.attributes.title === 'Opening, renamed');
    // Same record, updated in place.
    expect(before.body.data.map((x: any) => x.id)).toContain(renamed.id);
    const speakerNames = (after.body.included ?? [])
      .filter((x: any) => x.type === 'speaker' && renamed.relationships.speakers.data.some((r: any) => r.id === x.id))
      .map((x: any) => x.attributes.name)
      .sort();
    expect(speakerNames).toEqual(['Ada Lovelace', 'Margaret Hamilton']);
    const withdrawnBefore = new Set(before.body.data.filter((x: any) => x.attributes.state === 'withdrawn').map((x: any) => x.id));
    const withdrawn = after.body.data.filter((x: any) => x.attributes.state === 'withdrawn' && !withdrawnBefore.has(x.id));
    expect(withdrawn.map((x: any) => x.attributes.title)).toEqual([before.body.data.find((x: any) => x.id === withdrawn[0]?.id)?.attributes.title]);
    expect(withdrawn).toHaveLength(1);
    const sponsors = expectStatus(await get(t, `/v1/events/${target.id}/sponsors`, importer.token), 200, 'sponsors');
    expect(sponsors.body.data.map((x: any) => x.attributes.description)).toEqual(['Open tech, since 2009']);

    // The calendar sees the renamed session as a new version of the same event.
    const ics = await t.app.inject({ method: 'GET', url: `/v1/sessions/${renamed.id}.ics` });
    expect(ics.statusCode).toBe(200);
    expect(ics.body).toContain('SUMMARY:Opening\\, renamed');
    expect(ics.body).toMatch(/SEQUENCE:[1-9]/);
  });

  it('finds the records of an event it created when imported into that event', async () => {
    const task = await importZip('/v1/events/import/json', zip, importer.token);
    const created = task.result.id as string;
    const again = await importZip(`/v1/events/${created}/import/json`, zip, importer.token);
    expect(again.state, JSON.stringify(again)).toBe('SUCCESS');
    expect(again.result.summary).toMatchObject({
      sessions: { created: 0, updated: 0, unchanged: 8, withdrawn: 0 },
      speakers: { created: 0, unchanged: 4 },
      tracks: { created: 0, unchanged: 2 },
      sponsors: { created: 0, unchanged: 1 },
    });
    expect((await countsOf(created)).sessions).toBe(8);
  });

  it('says so when the archive gives its records no identity (no event identifier), and adds them again', async () => {
    const anonymous = await editedZip(zip, (files) => delete files.get('event').identifier);
    const target = await createEvent(t, importer.token, { name: 'No identity', 'payment-currency': 'EUR' });
    await importZip(`/v1/events/${target.id}/import/json`, anonymous, importer.token);
    const again = await importZip(`/v1/events/${target.id}/import/json`, anonymous, importer.token);
    expect(again.result.summary.skipped).toContainEqual({
      where: 'event',
      reason: "the archive's event has no identifier: its records carry no identity, so importing it again adds them again",
    });
    expect(again.result.summary.sessions).toMatchObject({ created: 8, unchanged: 0 });
    expect((await countsOf(target.id)).sessions).toBe(16);
  });

  it("keeps the zip's sessions when a schedule file is imported into the same event afterwards", async () => {
    const target = await createEvent(t, importer.token, { name: 'Zip then calendar', 'payment-currency': 'EUR' });
    await importZip(`/v1/events/${target.id}/import/json`, zip, importer.token);
    const ics = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', 'UID:late-talk@example.org', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260602T100000Z', 'DTEND:20260602T110000Z', 'SUMMARY:From a calendar', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    const task = await importZip(`/v1/events/${target.id}/import/ical`, Buffer.from(ics), importer.token, 'text/calendar');
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary.sessions).toEqual({ created: 1, updated: 0, unchanged: 0, withdrawn: 0 });
    expect((await countsOf(target.id)).sessions).toBe(9);
    // And the zip imported again still finds its own sessions.
    const again = await importZip(`/v1/events/${target.id}/import/json`, zip, importer.token);
    expect(again.result.summary.sessions).toEqual({ created: 0, updated: 0, unchanged: 8, withdrawn: 0 });
  });

  it("matches an event's own zip by its records' ids: restoring it doubles nothing", async () => {
    const before = await countsOf(fx.event.id, owner.token);
    const task = await importZip(`/v1/events/${fx.event.id}/import/json`, zip, owner.token);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary).toMatchObject({
      sessions: { created: 0, updated: 0, unchanged: 8, withdrawn: 0 },
      speakers: { created: 0, updated: 0, unchanged: 4 },
      tracks: { created: 0, updated: 0, unchanged: 2 },
      rooms: { created: 0, updated: 0, unchanged: 2 },
      types: { created: 0, updated: 0, unchanged: 2 },
      sponsors: { created: 0, updated: 0, unchanged: 1 },
    });
    expect(await countsOf(fx.event.id, owner.token)).toEqual(before);
  });
});

describe("OES's own zip", () => {
  it('is read as OES writes it and as its client uploads it: multipart, `track` for the track, Python dates, social links in the event', async () => {
    const oes: [string, string][] = [
      ['event', JSON.stringify({ id: 12, identifier: '8a3f2c1d', name: 'OES Summit', starts_at: '2026-03-01 09:00:00+00:00', ends_at: '2026-03-02 18:00:00+00:00', timezone: 'Asia/Singapore', privacy: 'public', social_links: [{ id: 1, name: 'Twitter', link: 'https://twitter.com/oes' }] })],
      ['tracks', JSON.stringify([{ id: 5, name: 'Open Hardware', color: '#00aa00', font_color: '#ffffff' }])],
      ['microlocations', JSON.stringify([{ id: 9, name: 'Hall 1', floor: 2 }])],
      ['session_types', JSON.stringify([{ id: 3, name: 'Keynote', length: '01:00' }])],
      ['speakers', JSON.stringify([{ id: 4, name: 'Hong Phuc', email: 'hp@example.org', country: 'SG' }])],
      ['sessions', JSON.stringify([{ id: 77, title: 'Welcome', state: 'accepted', starts_at: '2026-03-01 10:00:00+00:00', ends_at: '2026-03-01 11:00:00+00:00', track: { id: 5 }, microlocation: 9, session_type: { id: 3 } }])],
      ['sponsors', '[]'],
      ['forms', JSON.stringify([{ id: 1, form: 'speaker', field_identifier: 'shortBiography', type: 'paragraph', is_required: true, is_included: true, is_fixed: false }])],
      ['meta', JSON.stringify({ root_url: 'https://eventyay.com/' })],
    ];
    const boundary = 'oesBoundary7';
    const form = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="event.zip"\r\nContent-Type: application/zip\r\n\r\n`),
      await makeZip(oes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const task = await importZip('/v1/events/import/json', form, importer.token, `multipart/form-data; boundary=${boundary}`);
    expect(task.state, JSON.stringify(task)).toBe('SUCCESS');
    expect(task.result.summary).toMatchObject({ sessions: { created: 1 }, socialLinks: { created: 1 }, skipped: [], ignoredKeys: ['tracks.font_color'] });
    const ev = task.result.id;
    const event = expectStatus(await get(t, `/v1/events/${ev}`, importer.token), 200, 'event');
    expect(event.body.data.attributes).toMatchObject({ name: 'OES Summit', timezone: 'Asia/Singapore', 'starts-at': '2026-03-01T09:00:00Z' });
    const listed = expectStatus(await get(t, `/v1/events/${ev}/sessions?include=track,microlocation,session-type`, importer.token), 200, 'sessions');
    const [session] = listed.body.data;
    expect(session.attributes).toMatchObject({ title: 'Welcome', 'starts-at': '2026-03-01T10:00:00Z' });
    const included = new Map<string, any>(listed.body.included.map((r: any) => [`${r.type}:${r.id}`, r.attributes.name]));
    expect([
      included.get(`track:${session.relationships.track.data.id}`),
      included.get(`microlocation:${session.relationships.microlocation.data.id}`),
      included.get(`session-type:${session.relationships['session-type'].data.id}`),
    ]).toEqual(['Open Hardware', 'Hall 1', 'Keynote']);
    const forms = expectStatus(await get(t, `/v1/events/${ev}/custom-forms?page[size]=0`, importer.token), 200, 'forms');
    expect(forms.body.data.map((f: any) => [f.attributes.form, f.attributes['field-identifier'], f.attributes.name])).toEqual([
      ['speaker', 'shortBiography', 'Short Biography'],
      // OES's zip had no attendee form: the event has the fields every event starts with.
      ['attendee', 'firstname', 'First Name'],
      ['attendee', 'lastname', 'Last Name'],
      ['attendee', 'email', 'Email'],
    ]);
    const links = expectStatus(await get(t, `/v1/events/${ev}/social-links`, importer.token), 200, 'links');
    expect(links.body.data.map((l: any) => l.attributes.link)).toEqual(['https://twitter.com/oes']);
  });
});

describe('hostile or wrong archives', () => {
  const eventFile = JSON.stringify({ name: 'X', starts_at: '2026-01-01T10:00:00+00:00', ends_at: '2026-01-02T10:00:00+00:00', timezone: 'UTC' });

  async function refused(bytes: Buffer, message: RegExp, route = '/v1/events/import/json') {
    const before = await eventsOf(importer);
    const task = await importZip(route, bytes, importer.token);
    expect(task.state, JSON.stringify(task)).toBe('FAILURE');
    expect(task.result.error).toMatch(message);
    expect(await eventsOf(importer)).toEqual(before);
  }

  it('refuses a zip bomb (an entry inflating a thousand times its size)', async () => {
    await refused(await makeZip([['event', eventFile], ['sessions', Buffer.alloc(5 * 1024 * 1024, 0x20)]]), /"sessions" inflates \d+ times its size/);
  });

  it('refuses an entry larger than an import reads', async () => {
    await refused(await makeZip([['event', eventFile], ['sessions', Buffer.alloc(21 * 1024 * 1024, 0x20)]]), /"sessions" inflates to \d+ bytes, more than/);
  });

  it('refuses a zip of too many entries', async () => {
    const many: [string, string][] = Array.from({ length: 2001 }, (_, i) => [`images/${i}.png`, 'x']);
    await refused(await makeZip([['event', eventFile], ...many]), /holds 2002 entries, more than the 2000/);
  });

  it('refuses names that climb out of the archive', async () => {
    const made = await makeZip([['event', eventFile], ['aa/sessions', '[]']]);
    // yazl will not write such a name; the same bytes with the name changed, in both headers.
    const bad = Buffer.from(made.toString('latin1').replaceAll('aa/sessions', '../sessions'), 'latin1');
    await refused(bad, /"\.\.\/sessions" has a path that climbs out of the archive/);
    const absolute = Buffer.from(made.toString('latin1').replaceAll('aa/sessions', '/a/sessions'), 'latin1');
    await refused(absolute, /"\/a\/sessions" has an absolute path/);
  });

  it('refuses a file that is not a zip, sent as the whole-event format', async () => {
    await refused(Buffer.from('{"event": {}}'), /not a zip archive/, '/v1/events/import/event-json');
    await refused(Buffer.from('PK\u0003\u0004 truncated'), /not a readable zip archive/);
  });

  it('refuses a zip without the event file, and bad records, naming them', async () => {
    await refused(await makeZip([['sessions', '[]'], ['tracks', '[]']]), /no "event" file/);
    await refused(await makeZip([['event', '{"name": '], ['sessions', '[]']]), /"event" in the zip archive is not valid JSON/);
    await refused(await makeZip([['event', eventFile], ['sessions', '[{"id": 7, "title": "T", "starts_at": "soon"}]']]), /sessions, record 7: "starts_at" should be a date and time/);
    await refused(await makeZip([['event', eventFile], ['tracks', '[{"id": 3}]']]), /tracks, record 3: "name" is missing/);
    await refused(await makeZip([['event', eventFile], ['tickets', '[{"id": 1, "name": "T", "type": "gift", "quantity": 1}]']]), /tickets, record 1: "type" should be one of free, paid/);
    await refused(await makeZip([['event', JSON.stringify({ ...JSON.parse(eventFile), timezone: 'Mars/Base' })]]), /"Mars\/Base" is not an IANA time zone/);
    // A record the database refuses (fewer tickets than none sold): the event that was being made is gone with it.
    await refused(await makeZip([['event', eventFile], ['tickets', '[{"id": 1, "name": "T", "type": "free", "quantity": -1}]']]), /tickets, records 1…1: the record is refused/);
  });
});
