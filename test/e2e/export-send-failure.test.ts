// An export whose job cannot be queued leaves no task behind that later starts would be handed. The
// queue refusing the job is made real with a trigger on pg-boss's job table that fails export inserts,
// as the database going away between the task and its job did; and a task that an earlier version
// left without a job is neither reused nor reported as waiting forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, createSession, type Resource, type User } from '../support/schedule.ts';
import { exportTasks } from '../../src/db/schema/index.ts';
import { pollTask, requestStart, startExport } from './support.ts';

let t: TestApp;
let owner: User;
let event: Resource;

const taskId = (taskUrl: string) => taskUrl.slice('/v1/tasks/'.length);

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  owner = await signUp(t);
  event = await createPublishedEvent(t, owner.token, { name: 'Unqueued Conf' });
  await createSession(t, owner.token, event, { title: 'The one talk', state: 'accepted', 'starts-at': '2026-02-01T10:00:00Z', 'ends-at': '2026-02-01T10:45:00Z' });
});

afterAll(async () => {
  await refuseExportJobs(false);
});

/** Makes pg-boss's insert of export jobs fail (or work again), in the database itself. */
async function refuseExportJobs(refuse: boolean) {
  const db = t.database.connection.db;
  if (!refuse) {
    await db.execute(sql`DROP TRIGGER IF EXISTS refuse_export_jobs ON pgboss.job`);
    return;
  }
  await db.execute(sql.raw(`
    CREATE OR REPLACE FUNCTION refuse_export_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name = 'export' THEN RAISE EXCEPTION 'export jobs refused by the test'; END IF;
      RETURN NEW;
    END $$`));
  await db.execute(sql`CREATE TRIGGER refuse_export_jobs BEFORE INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION refuse_export_jobs()`);
}

const tasksOfOwner = () =>
  t.database.connection.db
    .select()
    .from(exportTasks)
    .where(and(eq(exportTasks.userId, owner.id), eq(exportTasks.eventId, Number(event.id))));

describe('an export whose job cannot be queued', () => {
  it('leaves no task, and the next start runs a new one to SUCCESS', async () => {
    await refuseExportJobs(true);
    const refused = await requestStart(t, owner.token, event.id, 'ical');
    expect(refused.status).toBeGreaterThanOrEqual(500);
    // The task was written in the same transaction as the job: it went with it.
    expect(await tasksOfOwner()).toEqual([]);

    await refuseExportJobs(false);
    const taskUrl = await startExport(t, owner.token, event.id, 'ical');
    expect((await pollTask(t, taskUrl, owner.token, 30_000)).state).toBe('SUCCESS');
  }, 40_000);

  it('does not hand out a waiting task that has no job, and reports that task as FAILURE', async () => {
    // What the earlier version left when the database went away between the task and its job.
    const [dead] = await t.database.connection.db
      .insert(exportTasks)
      .values({ id: crypto.randomUUID(), userId: owner.id, eventId: Number(event.id), format: 'xcal', options: {}, jobId: null })
      .returning();
    const taskUrl = await startExport(t, owner.token, event.id, 'xcal');
    expect(taskId(taskUrl)).not.toBe(dead!.id);
    expect((await pollTask(t, taskUrl, owner.token, 30_000)).state).toBe('SUCCESS');

    const response = await t.request({ method: 'GET', url: `/v1/tasks/${dead!.id}`, token: owner.token });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'FAILURE', result: { error: expect.stringMatching(/start it again/) } });
  }, 40_000);
});
