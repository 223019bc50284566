// A backlog of exports drains at the speed of its jobs (issue 15, item 2): a worker slot that finishes a
// job fetches the next at once, instead of sleeping out its poll first. The workers here poll once every
// ten minutes, so a backlog that ends within the test's time was fetched job after job, never by a poll;
// and the organizer's exports still ran one at a time (the per-organizer fairness). No timings asserted.
import { beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, type User } from '../support/schedule.ts';
import { exportTasks } from '../../src/db/schema/index.ts';
import { CALENDAR_FORMATS, pollTask, startExport } from './support.ts';
import { insertSessions } from './seed.ts';

const POLL_SECONDS = 600;

let t: TestApp;
let organizer: User;

beforeAll(async () => {
  t = await startTestApp({ worker: true, pollSeconds: POLL_SECONDS });
  organizer = await signUp(t);
});

describe('a backlog of exports', () => {
  it('runs job after job without waiting for a poll, one of an organizer at a time', async () => {
    const event = await createPublishedEvent(t, organizer.token, { name: 'Backlog Conf' });
    // Jobs long enough that the whole backlog is queued while the first still runs.
    await insertSessions(t.database.connection.db, Number(event.id), 1000);
    const taskUrls = await Promise.all(CALENDAR_FORMATS.map((format) => startExport(t, organizer.token, event.id, format)));
    // Every job after the first two could only be fetched by a poll (ten minutes away) without the fix;
    // the first is fetched on its NOTIFY, the second on the NOTIFYs that arrived while the first ran.
    for (const url of taskUrls) expect((await pollTask(t, url, organizer.token, 60_000)).state).toBe('SUCCESS');

    const rows = await t.database.connection.db
      .select()
      .from(exportTasks)
      .where(inArray(exportTasks.id, taskUrls.map((url) => url.slice('/v1/tasks/'.length))));
    const byStart = [...rows].sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(byStart[i - 1]!.finishedAt!.getTime());
  }, 120_000);
});
