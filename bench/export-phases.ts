// Where a 10,000-session export's time goes: `node bench/export-phases.ts` prints a table for BENCHMARKS.md
// ("Export path, phase by phase"; BENCH_LABEL names the code measured). Issue 15, item 1.
//
// On PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test), in a scratch database of its own,
// in this one process (no HTTP, no queue: the job's own work). For an event of BENCH_SESSIONS synthetic
// sessions (10,000), each measured ROUNDS times after a warm-up, medians:
//   - the whole task (runExportTask: count, mark started, read, serialize, hash and write the file, progress,
//     record the file, finish), the schedule changed before each so the file is made anew;
//   - its stages, each alone: reading the sessions as the export does (queries and row mapping, no
//     serializer); reading and serializing to nowhere; hashing and storing the finished bytes;
//   - the floors: the bare SELECTs of the same rows and of the event's speakers (two queries side by side,
//     no paging, rows left as pg returns them),
//     the bare serializer over the sessions already in memory, sha256 of the bytes alone, writing the bytes
//     to a file and fsyncing it.
// Bookkeeping is what the whole task takes beyond the stages.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createUser } from '../src/domain/users.ts';
import { createEvent } from '../src/domain/events.ts';
import { findEvent } from '../src/domain/access.ts';
import { touchSchedule } from '../src/domain/schedule-version.ts';
import { calendarInput, streamSessions } from '../src/domain/schedule-source.ts';
import { exportTasks } from '../src/db/schema/index.ts';
import type { CalendarSession } from '../src/calendar/model.ts';
import { runExportTask } from '../src/exports/run.ts';
import { formatById } from '../src/formats/registry.ts';
import { createLocalStorage } from '../src/storage/local.ts';
import { EVENT_TIMEZONE, admin, median, scratch, seed, urlOf } from './export-harness.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FORMAT = process.env.BENCH_FORMAT ?? 'xcal';
const LABEL = process.env.BENCH_LABEL ?? 'this code';

async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

async function drain(chunks: AsyncIterable<Uint8Array | string>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of chunks) out.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return out;
}

async function* replay(items: CalendarSession[]): AsyncGenerator<CalendarSession> {
  yield* items;
}

await admin((client) => client.query(`CREATE DATABASE ${scratch}`));
const loadBefore = loadavg();
const results: Record<string, number[]> = {};
const note = (name: string, ms: number) => (results[name] ??= []).push(ms);
let bytes = 0;
let postgresVersion = 'unknown';
try {
  const connection = await openDatabase({ databaseUrl: urlOf(scratch), dataDir: '', poolSize: 10 });
  await migrate(connection);
  const db = connection.db;
  if (connection.kind !== 'postgres') throw new Error('PostgreSQL only');
  postgresVersion = ((await db.execute(sql`SHOW server_version`)) as unknown as { rows: { server_version: string }[] }).rows[0]!.server_version;
  const user = await createUser(db, { email: `phases-${Date.now()}@example.org`, password: 'bench password 1' });
  const created = await createEvent(db, user, {
    name: 'Export phases',
    startsAt: new Date('2025-03-10T06:00:00Z'),
    endsAt: new Date(Date.parse('2025-03-10T20:00:00Z') + (Math.ceil(SESSIONS / 200) - 1) * 86_400_000),
    timezone: EVENT_TIMEZONE,
    state: 'published',
    schedulePublishedOn: new Date(),
  });
  await seed(db, created.id, SESSIONS);
  await db.execute(sql`VACUUM ANALYZE`);
  const format = formatById(FORMAT)!;
  const dir = mkdtempSync(join(tmpdir(), 'openevent-bench-phases-'));
  const storage = createLocalStorage({ dir });
  const deps = { db, storage, publicUrl: 'https://events.example.org' };

  for (let round = -1; round < ROUNDS; round++) {
    const record = round >= 0 ? note : () => {};
    // The whole task, on a changed schedule.
    await touchSchedule(db, created.id);
    const id = randomUUID();
    await db.insert(exportTasks).values({ id, userId: user.id, eventId: created.id, format: FORMAT, options: {}, jobId: randomUUID() });
    record('task', await time(() => runExportTask(deps, id, false)));

    const event = (await findEvent(db, created.id))!;
    // Stages alone.
    let sessions: CalendarSession[] = [];
    record('read', await time(async () => {
      sessions = [];
      for await (const session of streamSessions(db, event.id)) sessions.push(session);
    }));
    let output: Buffer[] = [];
    record('read+serialize', await time(async () => {
      output = await drain(await format.render(db, event, { publicUrl: deps.publicUrl, options: {} }));
    }));
    bytes = output.reduce((n, b) => n + b.length, 0);
    record('hash+write', await time(() => storage.write(`bench-${randomUUID()}.bin`, (async function* () { yield* output; })())));

    // Floors.
    record('floor: bare SELECT', await time(() =>
      Promise.all([
        connection.pool.query(
          `SELECT s.*, t.name AS track_name, t.color AS track_color, m.name AS room_name, ty.name AS type_name
             FROM sessions s
             LEFT JOIN tracks t ON t.id = s.track_id AND t.deleted_at IS NULL
             LEFT JOIN microlocations m ON m.id = s.microlocation_id AND m.deleted_at IS NULL
             LEFT JOIN session_types ty ON ty.id = s.session_type_id AND ty.deleted_at IS NULL
            WHERE s.event_id = $1 AND s.deleted_at IS NULL AND s.state IN ('accepted', 'confirmed')
              AND s.starts_at IS NOT NULL AND s.ends_at IS NOT NULL
            ORDER BY s.starts_at, s.id`,
          [event.id],
        ),
        connection.pool.query(
          `SELECT ss.session_id, sp.id, sp.name FROM sessions_speakers ss JOIN speakers sp ON sp.id = ss.speaker_id
            WHERE sp.event_id = $1 AND sp.deleted_at IS NULL`,
          [event.id],
        ),
      ]),
    ));
    const input = await calendarInput(db, event, { publicUrl: deps.publicUrl });
    record('floor: bare serializer', await time(() => drain(format.serialize!({ ...input, sessions: replay(sessions) }))));
    record('floor: sha256', await time(async () => {
      const hash = createHash('sha256');
      for (const chunk of output) hash.update(chunk);
      hash.digest();
    }));
    record('floor: file write + fsync', await time(async () => {
      const file = await open(join(dir, `floor-${round}`), 'w');
      for (const chunk of output) await file.write(chunk);
      await file.sync();
      await file.close();
    }));
  }
  await connection.close();
} finally {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)).catch(() => {});
}

// ---- report ---------------------------------------------------------------------------------------------------------

const loadAfter = loadavg();
const m = (name: string) => median(results[name]!);
const task = m('task');
const read = m('read');
const serialize = m('read+serialize') - read;
const store = m('hash+write');
const bookkeeping = task - m('read+serialize') - store;
const fmt = (ms: number) => ms.toFixed(0);
const rows = [
  ['read the sessions (queries + row mapping)', read, m('floor: bare SELECT'), 'bare SELECTs of all the rows and speakers at once'],
  ['serialize', serialize, m('floor: bare serializer'), 'the serializer over sessions in memory'],
  ['hash + write the file', store, m('floor: sha256') + m('floor: file write + fsync'), 'sha256 alone + a file write and fsync'],
  ['bookkeeping (task rows, schedule version, file record, progress)', bookkeeping, NaN, ''],
];
const cpu = cpus()[0]?.model ?? 'unknown';
const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
const text = [
  `### ${FORMAT}, ${SESSIONS.toLocaleString('en-US')} sessions: ${LABEL}`,
  '',
  `Machine: ${nproc} cores, ${cpu}, Node ${process.version}, PostgreSQL ${postgresVersion}; load average (1, 5, 15 min)`,
  `${loadBefore.map((l) => l.toFixed(1)).join(', ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(', ')} after. \`node bench/export-phases.ts\` (${new Date().toISOString().slice(0, 10)}), median of ${ROUNDS} after a warm-up; file ${(bytes / 1e6).toFixed(1)} MB.`,
  '',
  `| phase | ms | floor ms | floor |`,
  '| --- | ---: | ---: | --- |',
  ...rows.map(([name, ms, floor, what]) => `| ${name} | ${fmt(ms as number)} | ${Number.isNaN(floor) ? '–' : fmt(floor as number)} | ${what} |`),
  `| **the whole task** | **${fmt(task)}** | ${fmt(m('floor: bare SELECT') + m('floor: bare serializer') + m('floor: sha256') + m('floor: file write + fsync'))} | sum of the floors |`,
  '',
];
console.log(text.join('\n'));
console.log(Object.entries(results).map(([k, v]) => `${k}: ${v.map(fmt).join(' ')}`).join('\n'));
