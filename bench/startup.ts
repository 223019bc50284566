// Start time to a healthy /health, and idle RSS, of `openevent serve` (API + in-process worker):
// on PGlite (first start with initdb, then a warm start, then with 10,000 sessions in the database)
// and on PostgreSQL. Prints a table; targets: healthy within 10 s, idle RSS under 300 MB on PGlite.
//
//   node bench/startup.ts                       (PostgreSQL part uses BENCH_DATABASE_URL or the local server)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, openPglite } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createUser } from '../src/domain/users.ts';
import { createEvent } from '../src/domain/events.ts';
import { sessions } from '../src/db/schema/index.ts';

const cli = resolve(import.meta.dirname, '..', 'src', 'cli.ts');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function measure(label: string, env: Record<string, string>, port: number) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  let healthyMs = NaN;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) {
        healthyMs = performance.now() - started;
        break;
      }
    } catch {
      // not up yet
    }
    if (performance.now() - started > 60_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // Idle: let start-up garbage be collected and timers settle.
  await new Promise((r) => setTimeout(r, 3000));
  const idle = rssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  const row = { case: label, 'healthy (s)': (healthyMs / 1000).toFixed(2), 'idle RSS (MB)': idle.toFixed(0) };
  console.log(JSON.stringify(row));
  return row;
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
}

const rows = [];
const fresh = mkdtempSync(join(tmpdir(), 'openevent-bench-'));
rows.push(await measure('PGlite, first start (initdb + migrations)', { DATA_DIR: fresh }, 18101));
rows.push(await measure('PGlite, warm start', { DATA_DIR: fresh }, 18102));
const seeded = mkdtempSync(join(tmpdir(), 'openevent-bench-'));
await seed(seeded, null, 10_000);
rows.push(await measure('PGlite, warm, 10,000 sessions', { DATA_DIR: seeded }, 18103));

const database = `openevent_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
try {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  await seed(null, url.href, 10_000);
  rows.push(await measure('PostgreSQL, 10,000 sessions', { DATA_DIR: mkdtempSync(join(tmpdir(), 'openevent-bench-')), DATABASE_URL: url.href }, 18104));
} catch (error) {
  console.log(`PostgreSQL part skipped: ${(error as Error).message}`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await admin.end().catch(() => {});
}
console.table(rows);
