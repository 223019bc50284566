// Export files are reused while the schedule is unchanged and made again when it changes (issue 5), and
// the clean-up job deletes old tasks and files with their stored bytes. Run with files in a local
// directory and in the database.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { expectStatus, patch, type User } from '../support/schedule.ts';
import { exportFiles, exportTasks } from '../../src/db/schema/index.ts';
import { cleanUpExports } from '../../src/jobs/export-cleanup.ts';
import { buildExportEvent, download, exportAndDownload, pollTask, startExport, type ExportFixture } from './support.ts';

const DAY = 24 * 60 * 60 * 1000;

for (const storageKind of ['local', 'database'] as const) {
  describe(`export files in ${storageKind} storage`, () => {
    let t: TestApp;
    let owner: User;
    let fx: ExportFixture;
    let eventId: number;

    beforeAll(async () => {
      t = await startTestApp({ worker: true, env: { STORAGE: storageKind } });
      owner = await signUp(t);
      fx = await buildExportEvent(t, owner);
      eventId = Number(fx.event.id);
    });

    const db = () => t.database.connection.db;
    const taskRow = async (taskUrl: string) =>
      (await db().select().from(exportTasks).where(eq(exportTasks.id, taskUrl.slice('/v1/tasks/'.length))))[0]!;
    const fileCount = (format: string) =>
      db().$count(exportFiles, and(eq(exportFiles.eventId, eventId), eq(exportFiles.format, format)));
    const xcal = () => exportAndDownload(t, owner.token, fx.identifier, 'xcal');

    describe('caching', () => {
      it('renders the same export of an unchanged schedule once', async () => {
        const first = await xcal();
        const second = await xcal();
        expect(second.task.state).toBe('SUCCESS');
        expect(second.taskUrl).not.toBe(first.taskUrl);
        expect(second.response.headers.etag).toBe(first.response.headers.etag);
        expect(second.response.text).toBe(first.response.text);
        const [a, b] = [await taskRow(first.taskUrl), await taskRow(second.taskUrl)];
        expect(b.fileId).toBe(a.fileId);
        expect(await fileCount('xcal')).toBe(1);
        // The stored file is the one the download served.
        const [file] = await db().select().from(exportFiles).where(eq(exportFiles.id, a.fileId!));
        expect(`"${file!.sha256}"`).toBe(first.response.headers.etag);
        expect(file!.size).toBe(Buffer.byteLength(first.response.text));
      });

      it('makes one file for exports started at the same moment', async () => {
        const urls = await Promise.all([1, 2, 3, 4].map(() => startExport(t, owner.token, fx.identifier, 'jcal')));
        const tasks = await Promise.all(urls.map((url) => pollTask(t, url, owner.token)));
        expect(tasks.map((task) => task.state)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
        const rows = await Promise.all(urls.map(taskRow));
        expect(new Set(rows.map((row) => row.fileId)).size).toBe(1);
        expect(await fileCount('jcal')).toBe(1);
        const etags = await Promise.all(tasks.map(async (task) => (await download(t, task.result!.download_url!)).headers.etag));
        expect(new Set(etags).size).toBe(1);
      });

      it('keeps formats and CSV statuses apart', async () => {
        await exportAndDownload(t, owner.token, fx.identifier, 'sessions-csv', 'accepted');
        await exportAndDownload(t, owner.token, fx.identifier, 'sessions-csv', 'draft');
        await exportAndDownload(t, owner.token, fx.identifier, 'sessions-csv', 'accepted');
        expect(await fileCount('sessions-csv')).toBe(2);
      });

      it('makes a new file when a session is edited; the old link keeps serving the old file', async () => {
        const before = await xcal();
        await patch(t, owner.token, '/v1/sessions', 'session', fx.sessions.opening!.id, { title: 'Grand Opening' });
        const after = await xcal();
        expect(after.response.headers.etag).not.toBe(before.response.headers.etag);
        expect(after.response.text).toContain('Grand Opening');
        expect(after.response.text).not.toContain('<text>Opening</text>');
        expect(before.response.text).toContain('<text>Opening</text>');
        expect(await fileCount('xcal')).toBe(2);
        const old = await download(t, before.task.result!.download_url!);
        expect(old.headers.etag).toBe(before.response.headers.etag);
        expect(old.text).toBe(before.response.text);
      });

      it('makes a new file when a speaker, track, room, session type or the event changes, or a session goes', async () => {
        const changes: [string, () => Promise<unknown>, string | null][] = [
          ['speaker', () => patch(t, owner.token, '/v1/speakers', 'speaker', fx.speakers.ada.id, { name: 'Augusta Ada King' }), 'Augusta Ada King'],
          ['track', () => patch(t, owner.token, '/v1/tracks', 'track', fx.tracks.web.id, { name: 'Frontend' }), 'Frontend'],
          ['room', () => patch(t, owner.token, '/v1/microlocations', 'microlocation', fx.rooms.hallB.id, { name: 'Aula Magna' }), 'Aula Magna'],
          ['session type', () => patch(t, owner.token, '/v1/session-types', 'session-type', fx.types.workshop.id, { name: 'Hands-on' }), 'Hands-on'],
          ['event', () => patch(t, owner.token, '/v1/events', 'event', fx.event.id, { name: 'Export Conf Renamed' }), 'Export Conf Renamed'],
          ['deleted session', async () => expectStatus(await t.request({ method: 'DELETE', url: `/v1/sessions/${fx.sessions.dst!.id}`, token: owner.token }), 200, 'delete'), null],
        ];
        let previous = await xcal();
        for (const [what, change, text] of changes) {
          await change();
          const next = await xcal();
          expect(next.response.headers.etag, what).not.toBe(previous.response.headers.etag);
          if (text) expect(next.response.text, what).toContain(text);
          else expect(next.response.text, what).not.toContain('Across DST');
          previous = next;
        }
      });
    });

    describe('clean-up', () => {
      const context = () => ({ config: t.config, connection: t.database.connection, storage: t.storage });

      it('keeps what is younger than the retention period', async () => {
        const before = { tasks: await db().$count(exportTasks), files: await db().$count(exportFiles) };
        expect(await cleanUpExports(context())).toEqual({ tasks: 0, files: 0 });
        expect({ tasks: await db().$count(exportTasks), files: await db().$count(exportFiles) }).toEqual(before);
      });

      it('deletes old tasks and files with their bytes, but not a file a recent task still names', async () => {
        const kept = await exportAndDownload(t, owner.token, fx.identifier, 'ical');
        const keptRow = await taskRow(kept.taskUrl);
        // Everything but the last task is 10 days old; so are all files, the one it names included.
        const tenDaysAgo = new Date(Date.now() - 10 * DAY);
        await db().update(exportTasks).set({ createdAt: tenDaysAgo }).where(sql`${exportTasks.id} <> ${keptRow.id}`);
        await db().update(exportFiles).set({ createdAt: tenDaysAgo });
        const files = await db().select().from(exportFiles);
        const oldTasks = await db().select().from(exportTasks).where(sql`${exportTasks.id} <> ${keptRow.id}`);
        expect(files.length).toBeGreaterThan(5);

        const result = await cleanUpExports(context());
        expect(result).toEqual({ tasks: oldTasks.length, files: files.length - 1 });
        const left = await db().select().from(exportFiles);
        expect(left.map((f) => f.id)).toEqual([keptRow.fileId]);
        for (const file of files) {
          const stat = await t.storage.stat(file.storageKey);
          if (file.id === keptRow.fileId) expect(stat, file.storageKey).not.toBeNull();
          else expect(stat, file.storageKey).toBeNull();
        }
        expect(await db().$count(exportTasks, inArray(exportTasks.id, oldTasks.map((task) => task.id)))).toBe(0);
        // A deleted task is gone for its owner; the kept one still downloads.
        const gone = await t.request({ method: 'GET', url: `/v1/tasks/${oldTasks[0]!.id}`, token: owner.token });
        expect(gone.status).toBe(404);
        expect((await download(t, kept.task.result!.download_url!)).status).toBe(200);
      });

      it('deletes everything once it is all older than the retention period', async () => {
        const last = await exportAndDownload(t, owner.token, fx.identifier, 'pentabarf');
        const files = await db().select().from(exportFiles);
        const result = await cleanUpExports(context(), new Date(Date.now() + 365 * DAY));
        expect(result.files).toBe(files.length);
        expect(await db().$count(exportTasks)).toBe(0);
        expect(await db().$count(exportFiles)).toBe(0);
        for (const file of files) expect(await t.storage.stat(file.storageKey), file.storageKey).toBeNull();
        // The link still verifies, but its file is gone: 404 with a way forward, not a partial file.
        const response = await download(t, last.task.result!.download_url!);
        expect(response.status).toBe(404);
        expect(response.body.errors[0].detail).toMatch(/export again/);
        // And a new export works after a clean-up.
        const again = await exportAndDownload(t, owner.token, fx.identifier, 'pentabarf');
        expect(again.response.headers.etag).toBeDefined();
      });
    });
  });
}
