// The export flow end to end over HTTP, as an OES client drives it, defined once and run by
// export-flow.test.ts (local file storage) and export-flow-database.test.ts (STORAGE=database): build
// an event, publish it, start every export, poll, download, and check each file and its headers.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Element } from '@xmldom/xmldom';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { sharedDir } from '../support/shared.ts';
import { parseIcal, readBack, validateXcal, xcalChecks, xcalToJcal, type Jcal, type ReadCalendar } from '../calendar/support.ts';
import { children, childText, parseXml as parseFrabXml, validateSchedule } from '../calendar/frab-fixtures.ts';
import { frabJsonErrors } from '../calendar/frab-json-schema.ts';
import {
  CALENDAR_FORMATS,
  HOSTILE_TITLE,
  buildExportEvent,
  download,
  expectDownloadHeaders,
  exportAndDownload,
  requestStart,
  type ExportFixture,
  type ExportFormat,
} from './support.ts';
import type { User } from '../support/schedule.ts';

/** When each calendar session starts and ends (UTC ms), by title. */
const TIMES: Record<string, [number, number]> = {
  Opening: [Date.parse('2026-10-24T09:00:00Z'), Date.parse('2026-10-24T09:45:00Z')],
  'Across DST': [Date.parse('2026-10-25T00:30:00Z'), Date.parse('2026-10-25T02:00:00Z')],
  [HOSTILE_TITLE]: [Date.parse('2026-10-26T10:00:00Z'), Date.parse('2026-10-26T10:45:00Z')],
};

/** What a calendar read back says about its sessions, without what differs from one render to the next. */
function sessionsOf(calendar: ReadCalendar) {
  return calendar.sessions
    .map(({ summary, dtstart, dtend, location, categories, attendees, uid, status }) => ({
      summary, dtstart, dtend, location, categories, attendees: attendees.map((a) => a.cn), uid, status,
    }))
    .sort((a, b) => a.dtstart - b.dtstart);
}

function csvRecords(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF'), 'CSV starts with a BOM for spreadsheets').toBe(true);
  expect(text).toMatch(/\r\n/);
  return parseCsv(text, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: false });
}

export function defineExportFlow(env: Record<string, string>) {
  let t: TestApp;
  let owner: User;
  let fx: ExportFixture;

  beforeAll(async () => {
    t = await startTestApp({ worker: true, env });
    owner = await signUp(t);
    fx = await buildExportEvent(t, owner);
  });

  /** Exports, downloads and checks the headers (and a conditional GET); returns the body. */
  async function exported(format: ExportFormat, status?: string, ev: string = fx.identifier): Promise<string> {
    const { task, response } = await exportAndDownload(t, owner.token, ev, format, status);
    expect(task.progress.done).toBe(task.progress.total);
    const etag = expectDownloadHeaders(response, format, fx.identifier);
    const again = await download(t, task.result!.download_url!, { 'if-none-match': etag });
    expect(again.status, `${format}: If-None-Match with the ETag`).toBe(304);
    expect(again.text).toBe('');
    const stale = await download(t, task.result!.download_url!, { 'if-none-match': `"${'0'.repeat(64)}"` });
    expect(stale.status).toBe(200);
    expect(stale.text).toBe(response.text);
    // As a browser tab asks for it: the same bytes, length and strong ETag (a compressed copy would
    // need an ETag of its own).
    const browser = await download(t, task.result!.download_url!, { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html,*/*' });
    expect(browser.status).toBe(200);
    expect(browser.headers['content-encoding'], `${format}: served as stored`).toBeUndefined();
    expect(browser.headers['content-length']).toBe(response.headers['content-length']);
    expect(browser.headers.etag).toBe(etag);
    return response.text;
  }

  describe(`export flow (${env.STORAGE ?? 'local'} storage)`, () => {
    it('starts with 202, a Location and a task URL, and the task ends SUCCESS with its progress counted', async () => {
      const { task } = await exportAndDownload(t, owner.token, fx.event.id, 'ical');
      // The event by id or identifier: the same export.
      expect(task.progress).toEqual({ done: 3, total: 3 });
    });

    it.skipIf(!sharedDir)('xCal validates against RFC 6321 and holds exactly the published sessions', async () => {
      const xml = await exported('xcal');
      expect(xml.startsWith('<?xml')).toBe(true);
      expect(await validateXcal([xml])).toEqual([]);
      expect(xcalChecks(xml)).toEqual([]);
      const read = sessionsOf(readBack(xcalToJcal(xml)));
      expect(read.map((s) => s.summary).sort()).toEqual(fx.calendarTitles);
      for (const s of read) expect([s.dtstart, s.dtend], s.summary).toEqual(TIMES[s.summary!]);
    });

    it('iCalendar parses in ical.js with exactly the accepted and confirmed timed sessions, at the right instants', async () => {
      const ics = await exported('ical');
      expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      const read = sessionsOf(readBack(parseIcal(ics)));
      expect(read.map((s) => s.summary).sort()).toEqual(fx.calendarTitles);
      for (const s of read) expect([s.dtstart, s.dtend], s.summary).toEqual(TIMES[s.summary!]);
      expect(new Set(read.map((s) => s.uid)).size).toBe(3);
      const opening = read.find((s) => s.summary === 'Opening')!;
      expect(opening).toMatchObject({ location: 'Room A', categories: ['Web', 'Talk'], attendees: ['Ada Lovelace'], status: 'CONFIRMED' });
      const dst = read.find((s) => s.summary === 'Across DST')!;
      expect(dst.attendees.sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
      for (const absent of ['Draft talk', 'Pending talk', 'Rejected talk', 'Withdrawn talk', 'Deleted talk', 'Untimed accepted']) {
        expect(ics).not.toContain(absent);
      }
      expect(ics).not.toContain('organizers only');
      expect(ics).not.toContain('ada@example.org');
    });

    it('jCal says what the iCalendar says', async () => {
      const jcal = JSON.parse(await exported('jcal')) as Jcal;
      expect(jcal[0]).toBe('vcalendar');
      const ics = await exported('ical');
      expect(sessionsOf(readBack(jcal))).toEqual(sessionsOf(readBack(parseIcal(ics))));
    });

    it.skipIf(!sharedDir)('Pentabarf XML validates against the frab schema with the published sessions', async () => {
      const xml = await exported('pentabarf');
      const result = await validateSchedule(xml);
      expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
      expect(result.valid).toBe(true);
      const root = parseFrabXml(xml).documentElement!;
      const titles: string[] = [];
      for (const day of children(root as unknown as Element, 'day')) {
        for (const room of children(day, 'room')) for (const e of children(room, 'event')) titles.push(childText(e, 'title')!);
      }
      expect(titles.sort()).toEqual(fx.calendarTitles);
    });

    it('frab JSON holds the same sessions', async () => {
      const doc = JSON.parse(await exported('frab-json'));
      const titles: string[] = [];
      for (const day of doc.schedule.conference.days) {
        for (const events of Object.values(day.rooms) as { title: string }[][]) titles.push(...events.map((e) => e.title));
      }
      expect(titles.sort()).toEqual(fx.calendarTitles);
      expect(doc.schedule.conference.time_zone_name).toBe('Europe/Brussels');
    });

    it.skipIf(!sharedDir)('frab JSON validates against the C3VOC schedule JSON schema', async () => {
      const doc = JSON.parse(await exported('frab-json'));
      expect(frabJsonErrors(doc)).toEqual([]);
      // The event has no logo: left out, where it used to be null.
      expect(doc.schedule.conference).not.toHaveProperty('logo');
    });

    it('sessions CSV respects the requested status, with contact details and comments for organizers', async () => {
      const all = csvRecords(await exported('sessions-csv', 'all'));
      expect(all.map((r) => r['Session Title']).sort()).toEqual(fx.allTitles);
      const hostile = all.find((r) => r['Session Title'] === HOSTILE_TITLE)!;
      expect(hostile).toMatchObject({ Status: 'confirmed', Comment: 'organizers only', 'Speaker Emails': 'grace@example.org', 'Session Track': 'Web' });
      expect(hostile['Session Starts At']).toBe('2026-10-26T11:00:00+01:00');
      for (const status of ['accepted', 'confirmed', 'draft', 'rejected']) {
        const records = csvRecords(await exported('sessions-csv', status));
        expect(records.map((r) => r['Session Title']).sort(), status).toEqual([...fx.titlesByState[status]!].sort());
        expect(new Set(records.map((r) => r.Status)), status).toEqual(new Set([status]));
      }
      // No body means all, as in OES.
      const unspecified = csvRecords(await exported('sessions-csv'));
      expect(unspecified.map((r) => r['Session Title']).sort()).toEqual(fx.allTitles);
      const canceled = csvRecords(await exported('sessions-csv', 'canceled'));
      expect(canceled).toEqual([]);
    });

    it('speakers CSV: every speaker, or as OES those with a session of the requested status (with those sessions)', async () => {
      const all = csvRecords(await exported('speakers-csv', 'all'));
      expect(all.map((r) => r['Speaker Name']).sort()).toEqual(['Ada Lovelace', 'Grace Hopper', 'Linus T']);
      const ada = all.find((r) => r['Speaker Name'] === 'Ada Lovelace')!;
      // A cell starting with + is a formula to a spreadsheet: written with a leading quote.
      expect(ada).toMatchObject({ 'Speaker Email': 'ada@example.org', 'Speaker Mobile': "'+32 2 123 45 67" });
      expect(ada['Speaker Session(s)'].split('; ').sort()).toEqual(['Across DST (confirmed)', 'Opening (accepted)']);
      const accepted = csvRecords(await exported('speakers-csv', 'accepted'));
      const byName = Object.fromEntries(accepted.map((r) => [r['Speaker Name'], r['Speaker Session(s)']]));
      expect(byName).toEqual({ 'Ada Lovelace': 'Opening (accepted)' });
      const rejected = csvRecords(await exported('speakers-csv', 'rejected'));
      expect(rejected.map((r) => [r['Speaker Name'], r['Speaker Session(s)']])).toEqual([['Linus T', 'Rejected talk (rejected)']]);
      // OES's speakers page "without session": those with no session at all (here every speaker has one).
      expect(csvRecords(await exported('speakers-csv', 'without_session'))).toEqual([]);
    });

    it('refuses a CSV status that is not a session state, and an unknown format', async () => {
      for (const status of ['published', 'ALL', '']) {
        const response = await requestStart(t, owner.token, fx.identifier, 'sessions-csv', status);
        expect(response.status, status).toBeGreaterThanOrEqual(400);
        expect(response.status, status).toBeLessThan(500);
        expect(response.status, status).not.toBe(202);
      }
      const unknown = await t.request({ method: 'GET', url: `/v1/events/${fx.identifier}/export/pdf`, token: owner.token });
      expect([400, 404]).toContain(unknown.status);
    });

    it('gives each format and status a file of its own', async () => {
      // Exported here rather than read from the tests above: some of those skip without ../shared.
      const exports: [ExportFormat, string | undefined][] = [
        ...CALENDAR_FORMATS.map((format): [ExportFormat, undefined] => [format, undefined]),
        ['sessions-csv', 'all'],
        ['sessions-csv', 'accepted'],
        ['speakers-csv', 'all'],
        ['sessions-csv', undefined],
      ];
      const etags = new Map<string, string>();
      for (const [format, status] of exports) {
        const { response } = await exportAndDownload(t, owner.token, fx.identifier, format, status);
        etags.set(`${format}:${status ?? ''}`, expectDownloadHeaders(response, format, fx.identifier));
      }
      const expected = [...CALENDAR_FORMATS.map((f) => `${f}:`), 'sessions-csv:all', 'sessions-csv:accepted', 'speakers-csv:all'];
      for (const key of expected) expect(etags.has(key), key).toBe(true);
      const distinct = new Set([...etags.entries()].filter(([key]) => key !== 'sessions-csv:').map(([, etag]) => etag));
      expect(distinct.size).toBe(etags.size - 1);
      // "all" and no status are the same export.
      expect(etags.get('sessions-csv:')).toBe(etags.get('sessions-csv:all'));
    });
  });

  return { app: () => t };
}
