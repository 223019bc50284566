// Importing schedules (issue 16): the 31C3 frab XML and a synthetic 10,000-session frab JSON, parsed and written
// into an event on PostgreSQL (BENCH_DATABASE_URL, or the local server, in a scratch database it drops); then the
// same file again (everything unchanged) and once more with every title changed (everything updated).
// Prints parse and write times (median of BENCH_RUNS, default 3) and the process's peak RSS.
//
//   node bench/import.ts
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { events } from '../src/db/schema/index.ts';
import { importSchedule } from '../src/domain/schedule-import.ts';
import { parseFrabJson } from '../src/import/frab-json.ts';
import { parseFrabXml } from '../src/import/frab-xml.ts';

const serverUrl = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = resolve(import.meta.dirname, '..');

function synthetic(count: number, titleSuffix = ''): string {
  const rooms: Record<string, unknown[]> = {};
  for (let i = 0; i < count; i++) {
    const room = `Room ${i % 20}`;
    const day = Math.floor(i / 2000);
    const slot = Math.floor((i % 2000) / 20);
    const start = new Date(Date.UTC(2027, 6, 1 + day, 6, 0) + slot * 10 * 60_000);
    (rooms[room] ??= []).push({
      guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      id: i + 1,
      date: start.toISOString().replace('.000Z', '+00:00'),
      start: start.toISOString().slice(11, 16),
      duration: '00:10',
      room,
      title: `Session ${i} — ünïcødé${titleSuffix}`,
      subtitle: '',
      track: `Track ${i % 12}`,
      type: i % 3 ? 'lecture' : 'workshop',
      language: 'en',
      abstract: 'An abstract of a few words. '.repeat(4),
      description: 'A longer description. '.repeat(12),
      persons: [{ id: i % 4000, public_name: `Speaker ${i % 4000}` }, { id: (i * 7) % 4000, public_name: `Speaker ${(i * 7) % 4000}` }],
      links: [],
      attachments: [],
    });
  }
  return JSON.stringify({ schedule: { version: '1', conference: { title: 'Synthetic', time_zone_name: 'UTC', days: [{ index: 1, date: '2027-07-01', rooms }] } } });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const scratch = `openevent_bench_import_${process.pid}`;
const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};
await admin(`CREATE DATABASE ${scratch}`);
const url = new URL(serverUrl);
url.pathname = `/${scratch}`;
const connection = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
try {
  await migrate(connection);
  const { db } = connection;
  const newEvent = async () =>
    (await db.insert(events).values({ identifier: Math.random().toString(36).slice(2, 10), name: 'Bench', startsAt: new Date('2014-12-27T00:00:00Z'), endsAt: new Date('2027-07-10T00:00:00Z') }).returning())[0]!;

  const cases: { name: string; parse: () => ReturnType<typeof parseFrabJson>; again?: () => ReturnType<typeof parseFrabJson> }[] = [
    { name: '31C3 frab XML (138 sessions)', parse: () => parseFrabXml(readFileSync(resolve(root, '../shared/samples/frab-31c3.xml')), { defaultTimezone: 'Europe/Berlin' }) },
  ];
  const big = synthetic(10_000);
  const bigChanged = synthetic(10_000, ' (v2)');
  cases.push({ name: 'synthetic frab JSON (10,000 sessions)', parse: () => parseFrabJson(big, { defaultTimezone: 'UTC' }), again: () => parseFrabJson(bigChanged, { defaultTimezone: 'UTC' }) });

  console.log(`Machine: ${cpus().length} cores, Node ${process.version}; load average ${loadavg()[0]!.toFixed(1)}; ${RUNS} runs, medians.`);
  console.log(`Synthetic file: ${(big.length / 1024 / 1024).toFixed(1)} MB`);
  console.log('| file | parse ms | first import ms | re-import, unchanged ms | re-import, all titles changed ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    const parse: number[] = [];
    const first: number[] = [];
    const same: number[] = [];
    const changed: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const event = await newEvent();
      let t = performance.now();
      const schedule = c.parse();
      parse.push(performance.now() - t);
      t = performance.now();
      await importSchedule(db, event.id, schedule);
      first.push(performance.now() - t);
      t = performance.now();
      const s2 = await importSchedule(db, event.id, c.parse());
      same.push(performance.now() - t);
      if (s2.sessions.unchanged !== schedule.sessions.length) throw new Error('re-import was not idempotent');
      if (c.again) {
        const next = c.again();
        t = performance.now();
        await importSchedule(db, event.id, next);
        changed.push(performance.now() - t);
      }
    }
    console.log(`| ${c.name} | ${median(parse).toFixed(0)} | ${median(first).toFixed(0)} | ${median(same).toFixed(0)} | ${changed.length ? median(changed).toFixed(0) : '–'} |`);
  }
  console.log(`Peak RSS of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await connection.close();
  await admin(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
}
