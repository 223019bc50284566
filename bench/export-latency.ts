// Export task latency: `node bench/export-latency.ts` (prints figures, then records them in BENCHMARKS.md
// under "Export tasks"). Targets: p50 under 500 ms for 1,000 sessions (issue 5); for a changed schedule, p50
// ≤ 300 ms for 10,000 sessions and ≤ 3 s for 100,000 with the exporting process's memory (RSS) < 64 MB above
// idle (issue 15, item 1).
//
// On PostgreSQL: the server of DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test, in a scratch
// database of its own (created, then dropped). Real processes, as operators run them:
//   - one process: `openevent serve` (API and worker share a process: an in-process wake-up);
//   - two processes: `openevent serve --no-worker` and `openevent worker` (LISTEN/NOTIFY wake-up).
// For a 1,000-, a 10,000- and a 100,000-session event (../shared/bench/synthetic-schedule.mjs, inserted straight
// into the tables), 20 xCal exports each (5 of 100,000): a session is edited before every export so the cache cannot
// answer, then the time from the export request to the poll that sees SUCCESS, polling every 50 ms as
// a client would. Then 20 exports of the unchanged schedule (answered from the stored file). Each
// export's time is split with the database's own timestamps: queued → claimed by a worker
// (pg-boss job started_on), claimed → task STARTED (counting), STARTED → SUCCESS (render and store),
// SUCCESS → seen by the client (polling).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../src/db/connection.ts';
import { createUser } from '../src/domain/users.ts';
import { createEvent } from '../src/domain/events.ts';
import { exportTasks } from '../src/db/schema/index.ts';
import {
  EVENT_TIMEZONE,
  inScratchDatabase,
  freePort,
  launch,
  median,
  percentile,
  recordSection,
  seed,
  serverEnv,
  sleep,
  stopAll,
  waitFor,
} from './export-harness.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const POLL_MS = 50;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
/** Runs per row for an event of n sessions: the 100,000-session rows take seconds each. */
const runsFor = (n: number) => (n >= 100_000 ? Math.min(RUNS, 5) : RUNS);
const FORMAT = 'xcal';
const TARGET_MS = 500;

// ---- measuring ------------------------------------------------------------------------------------------------------

interface Sample {
  total: number;
  /** The exporting process's peak RSS during this export, above its RSS when idle (started, no export yet), MB. */
  rss: number;
  /** Phases from the database's timestamps, ms. */
  claim: number;
  count: number;
  render: number;
  seen: number;
  taskId: string;
}


/** The resident memory of a process, MB, from /proc (Linux). */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

async function measure(
  base: string,
  token: string,
  db: Database,
  event: { id: number; identifier: string; n: number },
  exporter: { pid: number; idle: number },
  before: (run: number) => Promise<void>,
): Promise<Sample[]> {
  const headers = { authorization: `JWT ${token}` };
  const samples: { taskId: string; total: number; seenAt: number; rss: number }[] = [];
  const { pid, idle } = exporter;
  // One export first, not counted: connections, JIT, the first file.
  for (let run = -1; run < runsFor(event.n); run++) {
    await before(run);
    let peak = rssOf(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    const t0 = performance.now();
    const wall0 = Date.now();
    const started = await fetch(`${base}/v1/events/${event.identifier}/export/${FORMAT}`, { headers });
    if (started.status !== 202) throw new Error(`start: ${started.status} ${await started.text()}`);
    const { task_url: taskUrl } = (await started.json()) as { task_url: string };
    for (;;) {
      const response = await fetch(base + taskUrl, { headers });
      const task = (await response.json()) as { state: string; result?: { error?: string } };
      if (task.state === 'SUCCESS') break;
      if (task.state === 'FAILURE') throw new Error(`export failed: ${task.result?.error}`);
      if (performance.now() - t0 > 120_000) throw new Error('export took over two minutes');
      await sleep(POLL_MS);
    }
    const total = performance.now() - t0;
    clearInterval(sampler);
    if (run >= 0) samples.push({ taskId: taskUrl.split('/').pop()!, total, seenAt: wall0 + total, rss: peak - idle });
  }
  // The phases, from when the database says things happened.
  const rows = await db
    .select({
      id: exportTasks.id,
      createdAt: exportTasks.createdAt,
      startedAt: exportTasks.startedAt,
      finishedAt: exportTasks.finishedAt,
      claimedAt: sql<Date>`(SELECT started_on FROM pgboss.job j WHERE j.id::text = ${exportTasks.jobId} AND j.name = 'export')`.mapWith(
        (value: string | Date) => new Date(value),
      ),
    })
    .from(exportTasks)
    .where(inArray(exportTasks.id, samples.map((s) => s.taskId)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return samples.map((s) => {
    const row = byId.get(s.taskId)!;
    const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : NaN);
    return {
      taskId: s.taskId,
      total: s.total,
      rss: s.rss,
      claim: ms(row.createdAt, row.claimedAt),
      count: ms(row.claimedAt, row.startedAt),
      render: ms(row.startedAt, row.finishedAt),
      seen: s.seenAt - (row.finishedAt?.getTime() ?? NaN),
    };
  });
}

interface Result {
  mode: string;
  label: string;
  samples: Sample[];
}

type BenchEvent = { n: number; id: number; identifier: string; sessionIds: number[] };

async function runMode(mode: 'one process' | 'two processes', db: Database, credentials: { email: string; password: string }, events: BenchEvent[]) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = serverEnv(port, SECRET);
  // The process that renders the exports, whose memory is watched.
  const exporter = mode === 'one process' ? launch(['serve'], env) : (launch(['serve', '--no-worker'], env), launch(['worker'], env));
  await waitFor(`${base}/health`);
  // The worker process says nothing when ready: give it the time `serve` needed, plus a margin.
  await sleep(mode === 'two processes' ? 3000 : 500);
  // Log in through the API, as a client does.
  const login = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { access_token: token } = (await login.json()) as { access_token: string };
  // The exporting process idle: started and answering, no export yet.
  const watched = { pid: exporter.pid!, idle: rssOf(exporter.pid!) };
  const results: Result[] = [];
  for (const event of events) {
    let edits = 0;
    const edit = async () => {
      const id = event.sessionIds[edits % event.sessionIds.length]!;
      edits++;
      const response = await fetch(`${base}/v1/sessions/${id}`, {
        method: 'PATCH',
        headers: { authorization: `JWT ${token}`, 'content-type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: { type: 'session', id: String(id), attributes: { title: `Edited ${edits} for the bench` } } }),
      });
      if (response.status !== 200) throw new Error(`edit: ${response.status} ${await response.text()}`);
    };
    const changed = await measure(base, token, db, event, watched, edit);
    results.push({ mode, label: `${event.n.toLocaleString('en-US')} sessions, changed schedule`, samples: changed });
    report(results.at(-1)!);
    const cached = await measure(base, token, db, event, watched, async () => {});
    results.push({ mode, label: `${event.n.toLocaleString('en-US')} sessions, unchanged (cached file)`, samples: cached });
    report(results.at(-1)!);
  }
  await stopAll();
  return results;
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : '–');

function row(result: Result): string {
  const s = result.samples;
  const col = (pick: (x: Sample) => number) => fmt(median(s.map(pick)));
  return `| ${result.mode} | ${result.label} | **${fmt(median(s.map((x) => x.total)))}** | ${fmt(percentile(s.map((x) => x.total), 95))} | ${col((x) => x.claim)} | ${col((x) => x.count)} | ${col((x) => x.render)} | ${col((x) => x.seen)} | ${fmt(Math.max(...s.map((x) => x.rss)))} |`;
}

function report(result: Result) {
  console.log(row(result));
}

// ---- main -----------------------------------------------------------------------------------------------------------

const SECRET = randomBytes(32).toString('base64url');
const HEADER = [
  '| processes | export | p50 ms | p95 ms | queued → claimed | claimed → STARTED | STARTED → SUCCESS | SUCCESS → seen | RSS above idle, MB (max) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];

let results: Result[] = [];
let loadBefore = loadavg()[0]!;
let postgresVersion = 'unknown';
await inScratchDatabase(async (db, version) => {
  postgresVersion = version;
  const credentials = { email: `bench-${Date.now()}@example.org`, password: 'bench password 1' };
  const user = await createUser(db, credentials);
  const events: BenchEvent[] = [];
  for (const n of SIZES) {
    const days = Math.ceil(n / 200);
    const event = await createEvent(db, user, {
      name: `Export latency ${n}`,
      startsAt: new Date('2025-03-10T06:00:00Z'),
      endsAt: new Date(Date.parse('2025-03-10T20:00:00Z') + (days - 1) * 86_400_000),
      timezone: EVENT_TIMEZONE,
      state: 'published',
      schedulePublishedOn: new Date(),
    });
    const t0 = performance.now();
    const sessionIds = await seed(db, event.id, n);
    console.log(`seeded ${n} sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    events.push({ n, id: event.id, identifier: event.identifier, sessionIds });
  }
  // Statistics, as autovacuum gathers within a minute of a bulk insert: without them PostgreSQL plans the
  // export's page query as a scan and sort of the whole event per page.
  await db.execute(sql`ANALYZE`);
  loadBefore = loadavg()[0]!;
  console.log(HEADER.join('\n'));
  for (const mode of ['one process', 'two processes'] as const) results.push(...(await runMode(mode, db, credentials, events)));
});

// ---- record ---------------------------------------------------------------------------------------------------------

const cpu = cpus()[0]?.model ?? 'unknown';
const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
// BENCH_SIZES may leave the 1,000-session rows out: then that target is not reported.
const oneK = results.find((r) => r.mode === 'one process' && r.label === '1,000 sessions, changed schedule');
const oneKSplit = results.find((r) => r.mode === 'two processes' && r.label === '1,000 sessions, changed schedule');
const p50 = oneK ? median(oneK.samples.map((s) => s.total)) : NaN;
const p50Split = oneKSplit ? median(oneKSplit.samples.map((s) => s.total)) : NaN;
const section = [
  '## Export tasks',
  '',
  `Machine: ${nproc} cores (\`nproc\`), ${cpu}, Node ${process.version}, PostgreSQL ${postgresVersion}; load average ${loadBefore.toFixed(1)} when`,
  `the runs began (other work on the machine inflates every figure). Command: \`node bench/export-latency.ts\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
  `Time from the export request (\`GET /v1/events/{ev}/export/xcal\`) to the poll that sees \`SUCCESS\`, the client polling every ${POLL_MS} ms,`,
  `${RUNS} exports per row (${Math.min(RUNS, 5)} for 100,000 sessions) after one warm-up. Events from \`../shared/bench/synthetic-schedule.mjs\`. "Changed schedule": a session is`,
  'edited (PATCH over the API) before every export, so every export renders a new file; "unchanged": the stored file answers.',
  'The phase columns are medians, from database timestamps: queued → claimed is the worker wake-up (pg-boss `started_on`),',
  'claimed → STARTED counts the rows, STARTED → SUCCESS renders and stores the file, SUCCESS → seen is the client polling.',
  'RSS: the exporting process (the server, or the worker) sampled every 10 ms during each export; its peak above its RSS when idle',
  '(started, before its first export), the largest of the row.',
  '"One process" is `openevent serve` (jobs in-process); "two processes" is `serve --no-worker` plus `openevent worker` (LISTEN/NOTIFY).',
  '',
  ...HEADER,
  ...results.map(row),
  '',
  ...(oneK && oneKSplit
    ? [
        `Target: p50 < ${TARGET_MS} ms for 1,000 sessions: **${p50 < TARGET_MS ? 'met' : 'not met'}** in one process (${fmt(p50)} ms), ` +
          `**${p50Split < TARGET_MS ? 'met' : 'not met'}** with a separate worker (${fmt(p50Split)} ms).`,
      ]
    : []),
  ...[
    [10_000, 300],
    [100_000, 3_000],
  ].flatMap(([n, target]) => {
    const rows = results.filter((r) => r.label === `${n!.toLocaleString('en-US')} sessions, changed schedule`);
    if (rows.length === 0) return [];
    const said = rows.map((r) => {
      const p = median(r.samples.map((x) => x.total));
      const rss = Math.max(...r.samples.map((x) => x.rss));
      return `${r.mode} ${fmt(p)} ms (${p <= target! ? 'met' : 'not met'}), RSS +${fmt(rss)} MB (${rss < 64 ? 'met' : 'not met'})`;
    });
    return [`Target (issue 15): p50 ≤ ${target!.toLocaleString('en-US')} ms for ${n!.toLocaleString('en-US')} sessions, RSS < 64 MB above idle: ${said.join('; ')}.`];
  }),
  '',
  `Where the time goes: a queued job is claimed within ${fmt(Math.max(...results.map((r) => median(r.samples.map((s) => s.claim)))))} ms (median, worst row) in both set-ups, so`,
  'the wake-up is not polling-bound; rendering and storing the file is ' +
    results
      .filter((r) => r.label.endsWith('changed schedule'))
      .map((r) => `${fmt((100 * median(r.samples.map((s) => s.render))) / median(r.samples.map((s) => s.total)))} %`)
      .join(', ') +
    ' of the changed-schedule p50s (rows above, in order); a cached answer costs the fixed',
  'round trips plus, on average, half a polling interval.',
  '',
];
const text = section.join('\n');
console.log(`\n${text}`);
recordSection('## Export tasks', text);
