// What the export benchmarks share: a scratch PostgreSQL database of their own (created, then dropped),
// `openevent` processes started as operators run them, and events of synthetic sessions inserted straight
// into the tables (../shared/bench/synthetic-schedule.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { touchSchedule } from '../src/domain/schedule-version.ts';
import { loadSynthetic } from './synthetic.ts';
import { microlocations, sessionSpeakers, sessionTypes, sessions, speakers, tracks } from '../src/db/schema/index.ts';

export const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'src', 'cli.ts');
const synthetic = await loadSynthetic();
export const EVENT_TIMEZONE = synthetic.EVENT.timezone;

// ---- the scratch database -------------------------------------------------------------------------------------------

export const serverUrl = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
export const scratch = `openevent_bench_export_${process.pid}_${randomBytes(3).toString('hex')}`;
export const urlOf = (database: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.href;
};
export async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlOf('postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs a benchmark in the scratch database, migrated, and always leaves the server as it found it: the
 * processes it launched stopped and the database dropped, on success, failure or Ctrl-C.
 */
export async function inScratchDatabase<T>(run: (db: Database, postgresVersion: string) => Promise<T>): Promise<T> {
  await admin((client) => client.query(`CREATE DATABASE ${scratch}`));
  const cleanUp = async () => {
    await stopAll().catch(() => {});
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)).catch(() => {});
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const connection = await openDatabase({ databaseUrl: urlOf(scratch), dataDir: '', poolSize: 4 });
    try {
      await migrate(connection);
      const version = (await connection.db.execute(sql`SHOW server_version`)) as unknown as { rows: { server_version: string }[] };
      return await run(connection.db, version.rows[0]!.server_version);
    } finally {
      await connection.close();
    }
  } finally {
    await cleanUp();
  }
}

// ---- processes ------------------------------------------------------------------------------------------------------

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

const children: ChildProcess[] = [];
export function launch(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}
export async function stopAll() {
  await Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    ),
  );
}

export async function waitFor(url: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---- seeding --------------------------------------------------------------------------------------------------------

/** The synthetic sessions as rows of our tables: tracks, rooms, types and speakers by name. */
export async function seed(db: Database, eventId: number, n: number): Promise<number[]> {
  const rows = synthetic.generateSessions(n);
  const ids = async <T extends typeof tracks | typeof microlocations | typeof sessionTypes | typeof speakers>(table: T, names: string[]) => {
    const unique = [...new Set(names)];
    const out = new Map<string, number>();
    for (let i = 0; i < unique.length; i += 1000) {
      const batch = unique.slice(i, i + 1000);
      const inserted = (await db
        .insert(table)
        .values(batch.map((name) => ({ eventId, name })) as never)
        .returning({ id: table.id, name: table.name })) as { id: number; name: string }[];
      for (const row of inserted) out.set(row.name, row.id);
    }
    return out;
  };
  const trackIds = await ids(tracks, rows.map((r) => r.track));
  const roomIds = await ids(microlocations, rows.map((r) => r.room));
  const typeIds = await ids(sessionTypes, rows.map((r) => r.type));
  const speakerIds = await ids(speakers, rows.flatMap((r) => r.speakers));
  const sessionIds: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    const inserted = await db
      .insert(sessions)
      .values(
        batch.map((r) => ({
          eventId,
          title: r.title,
          shortAbstract: r.abstract,
          state: 'confirmed' as const,
          startsAt: r.startsAt,
          endsAt: r.endsAt,
          trackId: trackIds.get(r.track)!,
          microlocationId: roomIds.get(r.room)!,
          sessionTypeId: typeIds.get(r.type)!,
        })),
      )
      .returning({ id: sessions.id });
    const links = inserted.flatMap(({ id }, k) =>
      [...new Set(batch[k]!.speakers)].map((name) => ({ sessionId: id, speakerId: speakerIds.get(name)! })),
    );
    await db.insert(sessionSpeakers).values(links);
    sessionIds.push(...inserted.map((row) => row.id));
  }
  await touchSchedule(db, eventId);
  return sessionIds;
}

/** The environment of an `openevent` process on the scratch database, listening on `port`. */
export function serverEnv(port: number, secret: string): Record<string, string> {
  const base = `http://127.0.0.1:${port}`;
  return {
    DATABASE_URL: urlOf(scratch),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'openevent-bench-export-')),
    SECRET_KEY: secret,
    LOG_LEVEL: 'warn',
  };
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
export const median = (values: number[]) => percentile(values, 50);

export { recordSection } from './record.ts';
