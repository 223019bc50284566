// Start time to a healthy /health, and idle RSS, of `openevent serve` (API + in-process worker):
// on PGlite (first start with initdb, then a warm start, then with 10,000 sessions in the database)
// and on PostgreSQL. Targets: healthy within 10 s, idle RSS under 300 MB on PGlite.
//
//   node bench/startup.ts              start-up cases, BENCH_RUNS times each (default 3), medians
//   node bench/startup.ts --settings   PGlite settings on 10,000 sessions: memory, and what they cost
//
// The PostgreSQL case uses BENCH_DATABASE_URL or the local server, in a scratch database it drops.
//
// Each server runs as `npm start` does (`node src/cli.ts serve`), with one addition: a preloaded
// snippet that prints process.memoryUsage() on SIGUSR2, so the table can say what the RSS is made of
// (JS heap, or `external`, where PGlite's WebAssembly memory and its in-memory files are counted).
// The CPU column is the server's user+system time until healthy, its children included (PGlite's
// first-start initdb runs in one): it moves less than wall time when the machine is busy.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, openPglite, PGLITE_SETTINGS } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createUser } from '../src/domain/users.ts';
import { createEvent } from '../src/domain/events.ts';
import { sessions } from '../src/db/schema/index.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'src', 'cli.ts');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SESSIONS = 10_000;
const MB = 1024 * 1024;
const CLOCK_TICKS = 100; // USER_HZ on Linux
/** Extra flags for the servers, e.g. BENCH_NODE_FLAGS=--wasm-dynamic-tiering to measure V8's default tiers. */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const MEMORY_PRELOAD =
  'data:text/javascript,' +
  encodeURIComponent(
    `process.on('SIGUSR2', () => process.stderr.write('BENCH_MEMORY ' + JSON.stringify(process.memoryUsage()) + '\\n'));`,
  );

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');

function procStatus(pid: number): { rssMb: number; cpuSeconds: number } {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  // Fields after the command name: state is field 3; utime, stime, cutime, cstime are 14-17.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  return { rssMb: rss, cpuSeconds: ticks / CLOCK_TICKS };
}

interface Sample {
  healthyS: number;
  cpuS: number;
  rssMb: number;
  memory: NodeJS.MemoryUsage | null;
}

async function memoryOf(child: ChildProcess, output: { text: string }): Promise<NodeJS.MemoryUsage | null> {
  const before = output.text.length;
  child.kill('SIGUSR2');
  for (let i = 0; i < 40; i++) {
    const match = /BENCH_MEMORY (\{.*\})\n/.exec(output.text.slice(before));
    if (match) return JSON.parse(match[1]!);
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

/** Starts `node src/cli.ts serve`, waits for a healthy /health, then for 3 s of idleness. */
async function startServer(env: Record<string, string>, port: number): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, '--import', MEMORY_PRELOAD, cli, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output = { text: '' };
  child.stderr!.on('data', (chunk) => (output.text += chunk));
  const exited = new Promise((r) => child.on('exit', r));
  let healthyS = NaN;
  let cpuS = NaN;
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.ok) {
          healthyS = (performance.now() - started) / 1000;
          cpuS = procStatus(child.pid!).cpuSeconds;
          break;
        }
      } catch {
        // not up yet
      }
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output.text}`);
      if (performance.now() - started > 120_000) throw new Error('server not healthy after 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Idle: timers settle (pg-boss polls and supervises), nothing else happens.
    await new Promise((r) => setTimeout(r, 3000));
    const { rssMb } = procStatus(child.pid!);
    const memory = await memoryOf(child, output);
    return { healthyS, cpuS, rssMb, memory };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function seed(dataDir: string | null, url: string | null, count: number) {
  const connection = url
    ? await openDatabase({ databaseUrl: url, dataDir: '' })
    : await openDatabase({ databaseUrl: null, dataDir: dataDir!, pglite: await openPglite(join(dataDir!, 'pglite')) });
  await migrate(connection);
  const user = await createUser(connection.db, { email: `bench${Date.now()}@example.org`, password: 'password1' });
  const event = await createEvent(connection.db, user, { name: 'Bench', startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-01-05T00:00:00Z') });
  for (let i = 0; i < count; i += 1000) {
    await connection.db.insert(sessions).values(
      Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        eventId: event.id,
        title: `Session ${i + j}`,
        shortAbstract: 'x'.repeat(300),
        state: 'accepted' as const,
        startsAt: new Date(Date.parse('2026-01-01T08:00:00Z') + (i + j) * 60_000),
        endsAt: new Date(Date.parse('2026-01-01T08:30:00Z') + (i + j) * 60_000),
      })),
    );
  }
  if (connection.kind === 'pglite') await connection.pglite.close();
  else await connection.close();
  return event.id;
}

function row(label: string, samples: Sample[]) {
  // The breakdown is the one of the run with the median RSS.
  const byRss = [...samples].sort((a, b) => a.rssMb - b.rssMb);
  const middle = byRss[Math.floor((byRss.length - 1) / 2)]!;
  const m = middle.memory;
  const result = {
    case: label,
    'healthy s': median(samples.map((s) => s.healthyS)).toFixed(2),
    'CPU s': median(samples.map((s) => s.cpuS)).toFixed(2),
    'idle RSS MB': median(samples.map((s) => s.rssMb)).toFixed(0),
    'JS heap used/total MB': m ? `${(m.heapUsed / MB).toFixed(0)}/${(m.heapTotal / MB).toFixed(0)}` : '?',
    'external MB': m ? (m.external / MB).toFixed(0) : '?',
    'arrayBuffers MB': m ? (m.arrayBuffers / MB).toFixed(0) : '?',
    runs: samples.map((s) => `${s.healthyS.toFixed(1)}s/${s.rssMb.toFixed(0)}MB`).join(' '),
  };
  console.log(JSON.stringify(result));
  return result;
}

async function startupCases() {
  console.log(`${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${load()}, ${RUNS} runs per case${NODE_FLAGS.length ? `, node ${NODE_FLAGS.join(' ')}` : ''}`);
  const rows = [];
  const scratch: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevent-bench-'));
    scratch.push(dir);
    return dir;
  };
  try {
    const first: Sample[] = [];
    const warm: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      const dir = temp();
      first.push(await startServer({ DATA_DIR: dir }, 18101));
      warm.push(await startServer({ DATA_DIR: dir }, 18102));
    }
    rows.push(row('PGlite, first start (initdb + migrations)', first));
    rows.push(row('PGlite, warm start', warm));

    const seeded = temp();
    await seed(seeded, null, SESSIONS);
    const withSessions: Sample[] = [];
    for (let run = 0; run < RUNS; run++) withSessions.push(await startServer({ DATA_DIR: seeded }, 18103));
    rows.push(row(`PGlite, warm, ${SESSIONS.toLocaleString('en')} sessions`, withSessions));

    const database = `openevent_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(serverUrl);
      url.pathname = `/${database}`;
      await seed(null, url.href, SESSIONS);
      const onServer: Sample[] = [];
      for (let run = 0; run < RUNS; run++) onServer.push(await startServer({ DATA_DIR: temp(), DATABASE_URL: url.href }, 18104));
      rows.push(row(`PostgreSQL, ${SESSIONS.toLocaleString('en')} sessions`, onServer));
    } catch (error) {
      console.log(`PostgreSQL part skipped: ${(error as Error).message}`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    }
  } finally {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load average after: ${load()}`);
  console.table(rows.map(({ runs: _runs, ...rest }) => rest));
}

// --- PGlite settings: memory and cost on 10,000 sessions -------------------------------------------

interface Candidate {
  label: string;
  settings: readonly string[];
  /** Node/V8 flags of the probe process. */
  nodeFlags?: string[];
}

/** PGLITE_SETTINGS with one setting changed. */
const replace = (setting: string) => [...PGLITE_SETTINGS.filter((s) => !s.startsWith(setting.split('=')[0]!)), setting];
const POSTGRES_DEFAULTS = ['shared_buffers=128MB', 'work_mem=4MB', 'maintenance_work_mem=64MB', 'temp_buffers=8MB'];
const CANDIDATES: Candidate[] = [
  { label: 'chosen: PGLITE_SETTINGS, WASM kept on Liftoff', settings: PGLITE_SETTINGS },
  { label: 'Postgres defaults (shared_buffers=128MB, maintenance_work_mem=64MB, temp_buffers=8MB)', settings: POSTGRES_DEFAULTS },
  { label: 'shared_buffers=8MB', settings: replace('shared_buffers=8MB') },
  { label: 'shared_buffers=32MB', settings: replace('shared_buffers=32MB') },
  { label: 'work_mem=16MB', settings: replace('work_mem=16MB') },
  // A tiering flag on the command line makes openPglite leave V8's WebAssembly tiers alone.
  { label: 'V8 default: Liftoff, then TurboFan for hot functions', settings: PGLITE_SETTINGS, nodeFlags: ['--wasm-dynamic-tiering'] },
  { label: 'TurboFan later (--wasm-tiering-budget=1e8, 8× the default)', settings: PGLITE_SETTINGS, nodeFlags: ['--wasm-tiering-budget=100000000'] },
];

interface ProbeResult {
  openMs: number;
  openRssMb: number;
  countMs: number[];
  exportMs: number[];
  sortMs: number[];
  sortMethod: string;
  busyRssMb: number;
  retainedRssMb: number;
  wasmHeapMb: number;
}

/** In a fresh process: open a copy of the seeded database with the given settings and query it. */
async function probe(source: string, eventId: number, settings: string[]): Promise<ProbeResult> {
  const { streamSessions } = await import('../src/domain/schedule-source.ts');
  const gc = (globalThis as { gc?: (options?: object) => void }).gc!;
  const dir = mkdtempSync(join(tmpdir(), 'openevent-probe-'));
  try {
    cpSync(source, dir, { recursive: true });
    const rss = () => process.memoryUsage().rss / MB;
    let started = performance.now();
    const pglite = await openPglite(join(dir, 'pglite'), undefined, settings);
    const openMs = performance.now() - started;
    const openRssMb = rss();
    const connection = await openDatabase({ databaseUrl: null, dataDir: dir, pglite });
    // Wall time of each of 6 runs; for the last 5, the process' CPU time too (background compiler threads
    // included), which a busy machine disturbs less.
    const timed = async (fn: () => Promise<unknown>) => {
      const times = [];
      let cpu = 0;
      for (let i = 0; i < 6; i++) {
        const cpuBefore = process.cpuUsage();
        started = performance.now();
        await fn();
        times.push(performance.now() - started);
        const used = process.cpuUsage(cpuBefore);
        if (i > 0) cpu += (used.user + used.system) / 1000 / 5;
      }
      return [...times, cpu];
    };
    const countMs = await timed(() => pglite.query('SELECT count(*) FROM sessions'));
    const exportMs = await timed(async () => {
      let n = 0;
      for await (const _ of streamSessions(connection.db, eventId)) n++;
      if (n !== SESSIONS) throw new Error(`exported ${n} sessions`);
    });
    // A sort of every row (about 4 MB to sort): in memory or on disk, depending on work_mem.
    const SORT = 'SELECT id, title, short_abstract FROM sessions ORDER BY short_abstract || title DESC';
    const sortMs = await timed(() => pglite.query(SORT));
    const plan = await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${SORT}`);
    const sortMethod = plan.rows.map((r) => r['QUERY PLAN']).find((line) => line.includes('Sort Method'))?.trim() ?? '?';
    const busyRssMb = rss();
    const wasmHeapMb = (pglite as unknown as { mod: { HEAPU8: Uint8Array } }).mod.HEAPU8.buffer.byteLength / MB;
    await new Promise((r) => setTimeout(r, 1000));
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const retainedRssMb = rss();
    await pglite.close();
    return { openMs, openRssMb, countMs, exportMs, sortMs, sortMethod, busyRssMb, retainedRssMb, wasmHeapMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runProbe(candidate: Candidate, source: string, eventId: number): Promise<ProbeResult> {
  const args = [...(candidate.nodeFlags ?? []), '--expose-gc', import.meta.filename, '--probe', source, String(eventId), JSON.stringify(candidate.settings)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  const code = await new Promise((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`probe ${candidate.label} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function settingsCases() {
  const rounds = Number(process.env.BENCH_RUNS ?? 3);
  console.log(`${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${load()}, ${rounds} rounds`);
  // BENCH_ONLY=regex picks candidates by label.
  const source = mkdtempSync(join(tmpdir(), 'openevent-bench-'));
  try {
    const eventId = await seed(source, null, SESSIONS);
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
    const candidates = CANDIDATES.filter((c) => !only || only.test(c.label));
    const results = new Map<Candidate, ProbeResult[]>(candidates.map((c) => [c, []]));
    // Rounds interleave the candidates, so a busy minute on the machine does not hit just one of them.
    for (let round = 0; round < rounds; round++) {
      for (const candidate of candidates) results.get(candidate)!.push(await runProbe(candidate, source, eventId));
    }
    const rows = candidates.map((candidate) => {
      const r = results.get(candidate)!;
      const m = (pick: (p: ProbeResult) => number) => median(r.map(pick));
      // First run of a query (code still cold) and the median of the 5 after it.
      // The last element is the mean CPU time of the 5 runs after the first.
      const q = (pick: (p: ProbeResult) => number[]) =>
        `${m((p) => pick(p)[0]!).toFixed(0)} / ${m((p) => median(pick(p).slice(1, 6))).toFixed(0)} (${m((p) => pick(p)[6]!).toFixed(0)})`;
      const result = {
        candidate: candidate.label,
        'open ms': m((p) => p.openMs).toFixed(0),
        'RSS open MB': m((p) => p.openRssMb).toFixed(0),
        'RSS busy MB': m((p) => p.busyRssMb).toFixed(0),
        'RSS after GC MB': m((p) => p.retainedRssMb).toFixed(0),
        'WASM heap MB': m((p) => p.wasmHeapMb).toFixed(0),
        'count ms first / then (CPU)': q((p) => p.countMs),
        'export 10k ms first / then (CPU)': q((p) => p.exportMs),
        'sort 10k ms first / then (CPU)': q((p) => p.sortMs),
        sort: r[0]!.sortMethod.replace('Sort Method: ', ''),
      };
      console.log(JSON.stringify(result));
      return result;
    });
    console.log(`load average after: ${load()}`);
    console.table(rows);
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === '--probe') {
  const [source, eventId, settings] = process.argv.slice(3);
  console.log(JSON.stringify(await probe(source!, Number(eventId), JSON.parse(settings!))));
  process.exit(0);
} else if (mode === '--settings') {
  await settingsCases();
} else {
  await startupCases();
}
