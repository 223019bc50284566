// Exports of different organizers stay fair (issue 11, item 2): one organizer's flood of exports takes one
// worker slot at a time, so another organizer's export waits behind at most one of them, not all. Asserted
// on the order the tasks started in, not on timings.
import { beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { signUp, startTestApp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, type User } from '../support/schedule.ts';
import { exportTasks } from '../../src/db/schema/index.ts';
import { pollTask, startExport, type ExportFormat } from './support.ts';
import { insertSessions } from './seed.ts';

let t: TestApp;
let flooder: User;
let other: User;

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  flooder = await signUp(t);
  other = await signUp(t);
});

const idOf = (taskUrl: string) => taskUrl.slice('/v1/tasks/'.length);

describe('exports of different organizers', () => {
  it("run another organizer's export after at most one of a flood's exports", async () => {
    // Big enough that the flood is still queued when the other export arrives.
    const big = await createPublishedEvent(t, flooder.token, { name: 'Flood Conf' });
    await insertSessions(t.database.connection.db, Number(big.id), 3000);
    const small = await createPublishedEvent(t, other.token, { name: 'Small Conf' });

    const flood: [ExportFormat, string?][] = [
      ['xcal'], ['ical'], ['jcal'], ['pentabarf'], ['frab-json'],
      ['sessions-csv', 'all'], ['sessions-csv', 'accepted'], ['sessions-csv', 'confirmed'],
      ['speakers-csv', 'all'], ['speakers-csv', 'accepted'], ['speakers-csv', 'confirmed'], ['speakers-csv', 'draft'],
    ];
    const floodUrls: string[] = [];
    for (const [format, status] of flood) floodUrls.push(await startExport(t, flooder.token, big.id, format, status));
    const otherUrl = await startExport(t, other.token, small.id, 'xcal');
    expect((await pollTask(t, otherUrl, other.token, 60_000)).state).toBe('SUCCESS');
    for (const url of floodUrls) expect((await pollTask(t, url, flooder.token, 120_000)).state).toBe('SUCCESS');

    const rows = await t.database.connection.db
      .select()
      .from(exportTasks)
      .where(inArray(exportTasks.id, [...floodUrls, otherUrl].map(idOf)));
    const theirs = rows.find((row) => row.id === idOf(otherUrl))!;
    const floodRows = rows.filter((row) => row.id !== theirs.id);
    // The flood was still waiting when the other export was queued: the test means something.
    const startedLater = floodRows.filter((row) => row.startedAt! > theirs.createdAt);
    expect(startedLater.length).toBeGreaterThanOrEqual(3);
    // Yet of those, at most one started before it.
    const jumpedAhead = startedLater.filter((row) => row.startedAt! < theirs.startedAt!);
    expect(jumpedAhead.length).toBeLessThanOrEqual(1);
    // And the flood itself ran one at a time (one slot per organizer), in the order it was queued.
    const byStart = [...floodRows].sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(byStart[i - 1]!.finishedAt!.getTime());
  }, 180_000);
});
