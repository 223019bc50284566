// Export tasks when things go wrong (issue 5). On every backend: a job that keeps failing ends FAILURE
// with its message after its retries, and a task whose job is gone is never PENDING forever. On
// PostgreSQL, with real worker processes (`openevent worker`) sharing one database with an API that
// runs no jobs: a worker killed (SIGKILL) in the middle of an export leaves the task STARTED until its
// heartbeat lapses, then another worker runs the job again and the task ends SUCCESS with a complete
// file; and two workers given 50 exports run each job exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { currentBackend, signUp, startTestApp, testDatabase, type TestApp, type TestDatabase } from '../support/app.ts';
import { createPublishedEvent, type User } from '../support/schedule.ts';
import { exportFiles, exportTasks } from '../../src/db/schema/index.ts';
import { localStorageDir } from '../../src/storage/index.ts';
import {
  CALENDAR_FORMATS,
  download,
  exportAndDownload,
  pollTask,
  sleep,
  startExport,
  type TaskBody,
} from './support.ts';
import { insertSessions } from './seed.ts';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const taskId = (taskUrl: string) => taskUrl.slice('/v1/tasks/'.length);

describe('failing exports (every backend)', () => {
  let t: TestApp;
  let owner: User;

  let dataDir = '';
  beforeAll(async () => {
    // File storage cannot be created: `exports` in the data directory is a file, so every write fails.
    dataDir = mkdtempSync(join(tmpdir(), 'openevent-broken-'));
    writeFileSync(join(dataDir, 'exports'), 'not a directory');
    t = await startTestApp({ worker: true, env: { DATA_DIR: dataDir } });
    owner = await signUp(t);
  });

  it('ends a job that keeps failing as FAILURE with its message, after its retries', async () => {
    const ev = await createPublishedEvent(t, owner.token, { name: 'Unlucky Conf' });
    const taskUrl = await startExport(t, owner.token, ev.id, 'ical');
    const task = await pollTask(t, taskUrl, owner.token, 30_000);
    expect(task.state).toBe('FAILURE');
    expect(task.result!.error).toMatch(/^The export failed on the server; start it again/);
    // Server internals (paths, hosts) stay out of what the client reads.
    expect(task.result!.error).not.toContain(dataDir);
    const [row] = await t.database.connection.db.select().from(exportTasks).where(eq(exportTasks.id, taskId(taskUrl)));
    // The first run and its two retries.
    expect(row!.attempts).toBe(3);
    expect(row!.fileId).toBeNull();
  }, 40_000);

  it('reports a task whose job no longer exists as FAILURE, not PENDING forever', async () => {
    const ev = await createPublishedEvent(t, owner.token, { name: 'Orphan Conf' });
    const id = randomUUID();
    await t.database.connection.db
      .insert(exportTasks)
      .values({ id, userId: owner.id, eventId: Number(ev.id), format: 'xcal', jobId: randomUUID() });
    const response = await t.request({ method: 'GET', url: `/v1/tasks/${id}`, token: owner.token });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'FAILURE', result: { error: expect.stringMatching(/start it again/) } });
  });
});

// ---- worker processes ----------------------------------------------------------------------------------------------

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `openevent worker` on the test database; resolves once it says it is running. */
async function startWorker(env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['src/cli.ts', 'worker'], {
    cwd: projectRoot,
    env: { ...process.env, JOB_HEARTBEAT_SECONDS: '10', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes('worker running')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited at start: ${output}`);
    if (Date.now() > deadline) throw new Error(`worker did not start: ${output}`);
    await sleep(50);
  }
  return { child, output: () => output, exited };
}

async function stopWorker(worker: Worker, signal: NodeJS.Signals = 'SIGTERM') {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  await worker.exited;
}

describe.skipIf(currentBackend() !== 'postgres')(
  'worker processes on one PostgreSQL (needs TEST_DATABASE_URL: PGlite is one process)',
  () => {
    let database: TestDatabase;
    let api: TestApp;
    /** A second API on the same database, with files in the database (for the two-worker test). */
    let apiDb: TestApp | undefined;
    let owner: User;
    const workers: Worker[] = [];
    /** What every process needs to agree on: the database, the secret that signs links, the public URL. */
    let shared: Record<string, string>;

    beforeAll(async () => {
      database = await testDatabase();
      const dataDir = mkdtempSync(join(tmpdir(), 'openevent-faults-'));
      // The API runs no jobs: only the worker processes do.
      api = await startTestApp({ database, env: { DATA_DIR: dataDir } });
      shared = {
        DATABASE_URL: database.url!,
        SECRET_KEY: api.config.secretKey,
        PUBLIC_URL: api.config.publicUrl,
        DATA_DIR: dataDir,
      };
      owner = await signUp(api);
    });

    afterAll(async () => {
      for (const worker of workers) await stopWorker(worker, 'SIGKILL');
      await apiDb?.close();
      await api?.close();
      await database?.drop();
    });

    const spawnWorker = async (env: Record<string, string> = {}) => {
      const worker = await startWorker({ ...shared, ...env });
      workers.push(worker);
      return worker;
    };
    const db = () => database.connection.db;
    const row = async (id: string) => (await db().select().from(exportTasks).where(eq(exportTasks.id, id)))[0]!;

    it('finishes the export of a worker killed in the middle of it, after its heartbeat lapses', async () => {
      const N = 10_000;
      const ev = await createPublishedEvent(api, owner.token, { name: 'Big Conf', 'starts-at': '2026-06-01T06:00:00Z', 'ends-at': '2026-06-30T20:00:00Z' });
      await insertSessions(db(), Number(ev.id), N);

      const first = await spawnWorker();
      const taskUrl = await startExport(api, owner.token, ev.id, 'ical');
      const id = taskId(taskUrl);
      // Mid-export: started, some pages read, not done.
      let body: TaskBody;
      for (const deadline = Date.now() + 20_000; ; await sleep(10)) {
        body = (await api.request({ method: 'GET', url: taskUrl, token: owner.token })).body;
        if (body.state === 'WAITING' && body.progress.done > 0) break;
        if (body.state === 'SUCCESS' || body.state === 'FAILURE') throw new Error(`export ended before it could be interrupted: ${JSON.stringify(body)}`);
        if (Date.now() > deadline) throw new Error(`export never got going: ${JSON.stringify(body)}\n${first.output()}`);
      }
      expect(body.progress.total).toBe(N);
      expect(body.progress.done).toBeLessThan(N);
      await stopWorker(first, 'SIGKILL');
      expect(first.child.signalCode).toBe('SIGKILL');

      // The killed run left the task STARTED, with no file to serve.
      const killed = await row(id);
      expect(killed).toMatchObject({ state: 'STARTED', attempts: 1, fileId: null });
      expect(await db().$count(exportFiles, eq(exportFiles.eventId, Number(ev.id)))).toBe(0);
      expect((await api.request({ method: 'GET', url: taskUrl, token: owner.token })).body.state).toBe('WAITING');

      const second = await spawnWorker();
      const done = await pollTask(api, taskUrl, owner.token, 60_000).catch((error) => {
        throw new Error(`${error.message}\nworker output:\n${second.output()}`);
      });
      expect(done.state, JSON.stringify(done)).toBe('SUCCESS');
      expect(done.progress).toEqual({ done: N, total: N });
      expect((await row(id)).attempts).toBeGreaterThanOrEqual(2);

      // The file is complete: every session is in it, and its bytes are the ones the ETag names.
      const response = await download(api, done.result!.download_url!);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe(`"${createHash('sha256').update(response.text).digest('hex')}"`);
      expect(response.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
      const calendar = new ICAL.Component(ICAL.parse(response.text));
      const titles = calendar.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary') as string);
      expect(titles.length).toBe(N);
      expect(new Set(titles).size).toBe(N);
      // Only the finished file is in storage (the killed run's temporary file may remain, under a name no key has).
      const stored = readdirSync(localStorageDir(shared.DATA_DIR!)).filter((name) => !name.startsWith('.'));
      expect(stored).toHaveLength(1);
      await stopWorker(second);
    }, 90_000);

    it('runs each of 50 export jobs exactly once with two workers, and every task ends SUCCESS', async () => {
      // Files in the database: the workers share nothing with the API but PostgreSQL.
      apiDb = await startTestApp({ database, env: { STORAGE: 'database' } });
      const app = apiDb;
      const env = (name: string) => ({ STORAGE: 'database', DATA_DIR: mkdtempSync(join(tmpdir(), `openevent-${name}-`)) });
      const pair = [await spawnWorker(env('w1')), await spawnWorker(env('w2'))];

      // 10 events × 5 formats: 50 different files, so no export is answered from the cache.
      const events = [];
      for (let i = 0; i < 10; i++) {
        const ev = await createPublishedEvent(app, owner.token, { name: `Parallel Conf ${i}` });
        await insertSessions(db(), Number(ev.id), 300, { titlePrefix: `Conf ${i} session` });
        events.push(ev);
      }
      const taskUrls = await Promise.all(
        events.flatMap((ev) => CALENDAR_FORMATS.map((format) => startExport(app, owner.token, ev.id, format))),
      );
      expect(taskUrls).toHaveLength(50);
      const ids = taskUrls.map(taskId);

      for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
        const unfinished = await db().$count(exportTasks, sql`${exportTasks.id} IN ${ids} AND ${exportTasks.state} IN ('PENDING', 'STARTED')`);
        if (unfinished === 0) break;
        if (Date.now() > deadline) throw new Error(`${unfinished} tasks unfinished\n${pair.map((w) => w.output()).join('\n')}`);
      }
      const rows = await db().select().from(exportTasks).where(inArray(exportTasks.id, ids));
      expect(rows.map((r) => r.state)).toEqual(Array(50).fill('SUCCESS'));
      // Each task was started exactly once...
      expect(rows.map((r) => r.attempts)).toEqual(Array(50).fill(1));
      // ...by one job, which pg-boss completed without a retry.
      const jobs = await db().execute<{ state: string; retry_count: number; n: number }>(
        sql`SELECT state, retry_count, count(*)::int AS n FROM pgboss.job WHERE name = 'export' AND id::text IN ${rows.map((r) => r.jobId!)} GROUP BY state, retry_count`,
      );
      expect((jobs as unknown as { rows: unknown[] }).rows ?? jobs).toEqual([{ state: 'completed', retry_count: 0, n: 50 }]);
      // One file per task, all different, each served whole.
      expect(new Set(rows.map((r) => r.fileId)).size).toBe(50);
      for (const [i, taskUrl] of taskUrls.entries()) {
        const task = await pollTask(app, taskUrl, owner.token);
        const response = await download(app, task.result!.download_url!);
        expect(response.status, taskUrl).toBe(200);
        expect(response.headers.etag).toBe(`"${createHash('sha256').update(response.text).digest('hex')}"`);
        expect(response.text, taskUrl).toContain(`Conf ${Math.floor(i / 5)} session 300`);
      }
      // An export of an unchanged schedule again: answered from the stored file, by one of the workers.
      const again = await exportAndDownload(app, owner.token, events[0]!.id, 'xcal');
      expect(await db().$count(exportFiles, eq(exportFiles.eventId, Number(events[0]!.id)))).toBe(5);
      expect(again.response.status).toBe(200);
      for (const worker of pair) await stopWorker(worker);
      for (const worker of pair) expect(worker.output()).not.toMatch(/error/i);
    }, 90_000);
  },
);
