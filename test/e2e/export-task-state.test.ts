// What `GET /v1/tasks/{id}` says at each stage, as OES says it: WAITING while the export is queued and while
// it runs (OES's web client keeps polling only on WAITING and reports any other state as a failed export),
// with the progress as an extra field; then SUCCESS with `result.download_url`, or FAILURE with a message.
// The app runs no workers, so the test moves the task on itself with the worker's own steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { finish, markProgress, markStarted } from '../../src/domain/exports.ts';
import { runExportTask } from '../../src/exports/run.ts';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, expectStatus, type User } from '../support/schedule.ts';
import { startExport } from './support.ts';

describe('task state as OES publishes it', () => {
  let t: TestApp;
  let owner: User;
  let ev: string;

  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    owner = await signUp(t);
    ev = (await createPublishedEvent(t, owner.token, { name: 'Waiting Conf' })).id;
  });

  const read = async (taskUrl: string) => expectStatus(await t.request({ method: 'GET', url: taskUrl, token: owner.token }), 200, 'poll').body;
  const idOf = (taskUrl: string) => taskUrl.slice('/v1/tasks/'.length);

  it('says WAITING while queued and while running, with the progress, then SUCCESS with the download URL', async () => {
    const taskUrl = await startExport(t, owner.token, ev, 'xcal');
    expect(await read(taskUrl)).toEqual({ state: 'WAITING', progress: { done: 0, total: 0 } });

    const db = t.database.connection.db;
    await markStarted(db, idOf(taskUrl), 5);
    await markProgress(db, idOf(taskUrl), 2);
    expect(await read(taskUrl)).toEqual({ state: 'WAITING', progress: { done: 2, total: 5 } });

    const outcome = await runExportTask({ db, storage: t.storage, publicUrl: t.config.publicUrl }, idOf(taskUrl), false);
    expect(outcome).toBe('SUCCESS');
    expect(await read(taskUrl)).toEqual({
      state: 'SUCCESS',
      progress: { done: 0, total: 0 },
      result: { download_url: expect.stringMatching(/^https:\/\/events\.example\.org\/v1\/exports\/.+\/download\?expires=\d+&signature=/) },
    });
  });

  it('says FAILURE with the reason when the export fails', async () => {
    const taskUrl = await startExport(t, owner.token, ev, 'sessions-csv', 'accepted');
    await finish(t.database.connection.db, idOf(taskUrl), { state: 'FAILURE', error: 'The event was deleted' });
    expect(await read(taskUrl)).toEqual({ state: 'FAILURE', progress: { done: 0, total: 0 }, result: { error: 'The event was deleted' } });
  });
});
