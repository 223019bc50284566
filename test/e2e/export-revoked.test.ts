// Access to an export follows the team as it is now (issue 11, item 10): a registrar whose role was removed
// can no longer poll the tasks they started, and the download links they were given stop working.
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, expectStatus, grantRole, type User } from '../support/schedule.ts';
import { download, pollTask } from './support.ts';

let t: TestApp;
let owner: User;
let registrar: User;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  owner = await signUp(t);
  registrar = await signUp(t);
});

describe('a registrar whose role was removed', () => {
  it('gets 404 for their task and their download link', async () => {
    const ev = await createPublishedEvent(t, owner.token, { name: 'Door Conf' });
    const role = await grantRole(t, owner.token, ev, registrar.id, 'registrar');
    const started = expectStatus(
      await t.request({ method: 'POST', url: `/v1/events/${ev.id}/export/attendees/csv`, token: registrar.token, headers: { 'content-type': 'application/json' }, payload: '{}' }),
      202,
      'start attendees export',
    );
    const taskUrl = started.body.task_url as string;
    const task = await pollTask(t, taskUrl, registrar.token);
    expect(task.state).toBe('SUCCESS');
    const link = task.result!.download_url!;
    expect((await download(t, link)).status).toBe(200);

    expectStatus(await t.request({ method: 'DELETE', url: `/v1/users-events-roles/${role.id}`, token: owner.token }), 200, 'remove the role');

    const poll = await t.request({ method: 'GET', url: taskUrl, token: registrar.token });
    expect(poll.status).toBe(404);
    expect(poll.text).not.toContain('download_url');
    const again = await download(t, link);
    expect(again.status).toBe(404);
    expect(again.text).not.toContain('Order');
  });

  it('keeps working while the role is held', async () => {
    const ev = await createPublishedEvent(t, owner.token, { name: 'Kept Conf' });
    await grantRole(t, owner.token, ev, registrar.id, 'registrar');
    const started = await t.request({ method: 'POST', url: `/v1/events/${ev.id}/export/orders/csv`, token: registrar.token, headers: { 'content-type': 'application/json' }, payload: '{}' });
    const task = await pollTask(t, started.body.task_url, registrar.token);
    expect(task.state).toBe('SUCCESS');
    expect((await download(t, task.result!.download_url!)).status).toBe(200);
  });
});
