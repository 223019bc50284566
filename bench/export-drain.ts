// Export queue drain: `node bench/export-drain.ts` (prints figures, then records them in BENCHMARKS.md under
// "Export queue drain"). Target (issue 15, item 2): a backlog of 50 exports on 2 worker slots finishes in at
// most twice the sum of the jobs' own times.
//
// On PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test), in a scratch database of its
// own. `openevent serve` (API and the worker's 2 export slots in one process). Ten organizers, each with an
// event of SESSIONS synthetic sessions, start the five calendar exports of their event all at once: 50
// exports queued within a moment. From the database's timestamps: the drain (first task queued → last task
// ended) and each job's own time (claimed by a worker, pg-boss `started_on` → its task ended: counting,
// rendering, storing, bookkeeping). Runs ROUNDS times, a session of every event edited between rounds so
// every export renders anew.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../src/db/connection.ts';
import { createUser } from '../src/domain/users.ts';
import { createEvent } from '../src/domain/events.ts';
import { touchSchedule } from '../src/domain/schedule-version.ts';
import { exportTasks } from '../src/db/schema/index.ts';
import { EVENT_TIMEZONE, freePort, inScratchDatabase, launch, median, recordSection, seed, serverEnv, sleep, waitFor } from './export-harness.ts';

const ORGANIZERS = 10;
const FORMATS = ['xcal', 'ical', 'jcal', 'pentabarf', 'frab-json'];
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SLOTS = 2;
const TARGET_RATIO = 2;

interface Round {
  drainMs: number;
  ownSumMs: number;
  ownMedianMs: number;
}

async function round(base: string, db: Database, organizers: { token: string; event: { id: number; identifier: string } }[]): Promise<Round> {
  // A new schedule version for every event: no export is answered from a stored file.
  for (const { event } of organizers) await touchSchedule(db, event.id);
  const starts = organizers.flatMap(({ token, event }) =>
    FORMATS.map(async (format) => {
      const response = await fetch(`${base}/v1/events/${event.identifier}/export/${format}`, { headers: { authorization: `JWT ${token}` } });
      if (response.status !== 202) throw new Error(`start ${format}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { task_url: string }).task_url.split('/').pop()!;
    }),
  );
  const ids = await Promise.all(starts);
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { rows } = (await db.execute(
      sql`SELECT count(*) FILTER (WHERE state IN ('PENDING', 'STARTED'))::int AS waiting, count(*) FILTER (WHERE state = 'FAILURE')::int AS failed
          FROM export_tasks WHERE id IN ${ids}`,
    )) as unknown as { rows: { waiting: number; failed: number }[] };
    if (rows[0]!.failed > 0) throw new Error(`${rows[0]!.failed} exports failed`);
    if (rows[0]!.waiting === 0) break;
    if (Date.now() > deadline) throw new Error('the backlog did not drain within five minutes');
    await sleep(100);
  }
  const tasks = await db
    .select({
      createdAt: exportTasks.createdAt,
      finishedAt: exportTasks.finishedAt,
      claimedAt: sql<Date>`(SELECT started_on FROM pgboss.job j WHERE j.id::text = ${exportTasks.jobId} AND j.name = 'export')`.mapWith(
        (value: string | Date) => new Date(value),
      ),
    })
    .from(exportTasks)
    .where(inArray(exportTasks.id, ids));
  const first = Math.min(...tasks.map((task) => task.createdAt.getTime()));
  const last = Math.max(...tasks.map((task) => task.finishedAt!.getTime()));
  const own = tasks.map((task) => task.finishedAt!.getTime() - task.claimedAt.getTime());
  return { drainMs: last - first, ownSumMs: own.reduce((a, b) => a + b, 0), ownMedianMs: median(own) };
}

// ---- main -----------------------------------------------------------------------------------------------------------

const SECRET = randomBytes(32).toString('base64url');
const rounds: Round[] = [];
let loadBefore = loadavg()[0]!;
let postgresVersion = 'unknown';
await inScratchDatabase(async (db, version) => {
  postgresVersion = version;
  const credentials: { email: string; password: string }[] = [];
  const events: { id: number; identifier: string }[] = [];
  for (let i = 0; i < ORGANIZERS; i++) {
    const login = { email: `drain-${i}-${Date.now()}@example.org`, password: 'bench password 1' };
    const user = await createUser(db, login);
    const event = await createEvent(db, user, {
      name: `Drain ${i}`,
      startsAt: new Date('2025-03-10T06:00:00Z'),
      endsAt: new Date('2025-03-12T20:00:00Z'),
      timezone: EVENT_TIMEZONE,
      state: 'published',
      schedulePublishedOn: new Date(),
    });
    await seed(db, event.id, SESSIONS);
    credentials.push(login);
    events.push({ id: event.id, identifier: event.identifier });
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  launch(['serve'], serverEnv(port, SECRET));
  await waitFor(`${base}/health`);
  await sleep(500);
  const organizers = [];
  for (const [i, login] of credentials.entries()) {
    const response = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
    if (response.status !== 200) throw new Error(`login: ${response.status} ${await response.text()}`);
    organizers.push({ token: ((await response.json()) as { access_token: string }).access_token, event: events[i]! });
  }
  loadBefore = loadavg()[0]!;
  // One round first, not counted: connections, JIT.
  await round(base, db, organizers);
  for (let r = 0; r < ROUNDS; r++) {
    const result = await round(base, db, organizers);
    rounds.push(result);
    console.log(
      `round ${r + 1}: drained in ${result.drainMs} ms; jobs' own time ${result.ownSumMs} ms in all (median ${result.ownMedianMs} ms); ratio ${(result.drainMs / result.ownSumMs).toFixed(2)}`,
    );
  }
});

// ---- record ---------------------------------------------------------------------------------------------------------

const loadAfter = loadavg()[0]!;
const cpu = cpus()[0]?.model ?? 'unknown';
const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
const ratio = median(rounds.map((r) => r.drainMs / r.ownSumMs));
const fmt = (ms: number) => ms.toLocaleString('en-US', { maximumFractionDigits: 0 });
const text = [
  '## Export queue drain',
  '',
  `Machine: ${nproc} cores (\`nproc\`), ${cpu}, Node ${process.version}, PostgreSQL ${postgresVersion}; 1-minute load average`,
  `${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after. Command: \`node bench/export-drain.ts\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
  `${ORGANIZERS} organizers each start the ${FORMATS.length} calendar exports of their own ${SESSIONS}-session event at once: a backlog of`,
  `${ORGANIZERS * FORMATS.length} exports on ${SLOTS} worker slots (\`openevent serve\`). Drain: first task queued → last task ended. A job's own time: claimed by`,
  `a worker → its task ended. ${ROUNDS} rounds after a warm-up, every event's schedule changed before each.`,
  '',
  '| round | drain ms | sum of the jobs\' own times ms | median job ms | drain ÷ sum |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rounds.map((r, i) => `| ${i + 1} | ${fmt(r.drainMs)} | ${fmt(r.ownSumMs)} | ${fmt(r.ownMedianMs)} | ${(r.drainMs / r.ownSumMs).toFixed(2)} |`),
  '',
  `Target: drain ≤ ${TARGET_RATIO}× the sum of the jobs' own times: **${ratio <= TARGET_RATIO ? 'met' : 'not met'}** (median ratio ${ratio.toFixed(2)}; with ${SLOTS} slots busy`,
  `throughout it would be 1/${SLOTS}).`,
  '',
];
console.log(`\n${text.join('\n')}`);
recordSection('## Export queue drain', text.join('\n'));
