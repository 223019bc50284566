// Opens the database: embedded PGlite in the data directory by default, or a PostgreSQL server (a
// connection pool) when DATABASE_URL is set. Everything above this file sees one Drizzle database and
// does not care which one it is.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';
import { closeToOthers } from '../data-dir.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A database or a transaction on it: what query helpers take, so they compose inside transactions. */
export type Queryable = Database | Transaction;

/**
 * PGlite keeps Postgres' defaults sized for a server (128 MB of shared buffers and more), all of it in
 * the WASM heap of our process, and a WASM heap never shrinks: what Postgres touches once stays in our
 * RSS. Shared memory is touched whole at start (shared_buffers=128MB: 115 MB more RSS); the others
 * bound what one query or index build can take. What they cost (`node bench/startup.ts --settings`,
 * 10,000 sessions, figures in BENCHMARKS.md): nothing measurable on our queries. A table bigger than
 * the buffers is read through the operating system's page cache; a sort over 4 MB goes to a
 * temporary file (a 6 MB sort of every session was not slower for it).
 */
export const PGLITE_SETTINGS = [
  'shared_buffers=16MB',
  'work_mem=4MB',
  'maintenance_work_mem=16MB',
  'temp_buffers=4MB',
];

/**
 * How long a query waits for a connection (a new one, or a free one from a busy pool) before failing.
 * Generous: a connection is made in milliseconds, but a busy event loop handles its handshake late.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

export type Connection =
  | { kind: 'pglite'; db: Database; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Database; pool: pg.Pool; url: string; close(): Promise<void> };

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  /** PostgreSQL: how long a query may wait for a connection (CONNECT_TIMEOUT_MS); 0 waits forever. */
  connectTimeoutMs?: number;
  /** An already open PGlite (tests share one per worker); the caller keeps ownership. */
  pglite?: PGlite;
  /**
   * PostgreSQL only: the longest one statement may run, in milliseconds (0 or absent: no limit), so a
   * slow query cannot hold a pooled connection for long. PGlite ignores statement_timeout (its timers
   * cannot fire while a query runs on our thread); there the bounds on list parameters
   * (domain/list-query.ts) keep every query short instead.
   */
  statementTimeoutMs?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Connection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // While the database is away a request must fail fast (503) rather than queue for a connection
      // forever; keepalive notices a peer that vanished without closing the socket.
      connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      keepAlive: true,
      // Sent when each connection starts: it holds for every statement, in transactions too.
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    // A pool emits 'error' when an idle connection dies (server restart); without a listener that
    // would crash the process. The next query simply gets a fresh connection.
    pool.on('error', () => {});
    // Likewise a connection checked out between two queries (inside a transaction, say) that dies: it
    // emits 'error' with nobody listening. Its next query fails, and the pool drops it when released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = drizzlePostgres({ client: pool, schema }) as unknown as Database;
    await pool.query('SELECT 1');
    return { kind: 'postgres', db, pool, url: options.databaseUrl, close: () => pool.end() };
  }
  const owned = !options.pglite;
  const pglite = options.pglite ?? (await openPglite(join(options.dataDir, 'pglite')));
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Database;
  return {
    kind: 'pglite',
    db,
    pglite,
    close: async () => {
      if (owned && !pglite.closed) await pglite.close();
    },
  };
}

/** One round trip to the database: throws when it cannot be reached (health checks, waiting for it). */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.execute(sql`SELECT 1`);
}

/**
 * Resolves once the database answers again, or after `timeoutMs` (then the caller's own next attempt
 * reports the problem). Work that failed because the database went away waits here, so that its retry
 * runs when it can succeed instead of failing again at once.
 */
export async function waitForDatabase(connection: Connection, timeoutMs: number, intervalMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await pingDatabase(connection.db);
      return true;
    } catch {
      if (Date.now() + intervalMs > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export async function openPglite(
  dir: string | null,
  loadDataDir?: Blob,
  postgresqlconf: readonly string[] = PGLITE_SETTINGS,
): Promise<PGlite> {
  keepWasmOnBaselineCompiler();
  if (dir) {
    // Private to our user (and the umask, see data-dir.ts): the database holds password hashes and private data.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!loadDataDir && !existsSync(join(dir, 'PG_VERSION'))) await initdbInChildProcess(dir, postgresqlconf);
  }
  const pglite = new PGlite({
    dataDir: dir ?? 'memory://',
    postgresqlconf: [...postgresqlconf],
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await pglite.waitReady;
  // The WASM Postgres masks file modes with a umask of its own (022), not the process's: initdb's files
  // come out 0666 and the relcache files it writes as it starts 0644. Close them once it is up; the
  // table and WAL files it creates later are 0600.
  if (dir) closeToOthers(dir);
  return pglite;
}

/**
 * V8 runs WebAssembly as compiled by its baseline compiler (Liftoff), then recompiles the functions
 * that run a lot with its optimising compiler (TurboFan) on background threads. PGlite's functions are
 * huge (the parser, the executor) and optimising them takes hundreds of MB for seconds: the RSS went
 * to 800 MB while the migrations ran on a new database, and a start ended with 45-90 MB more idle RSS.
 * Kept on Liftoff, work done inside Postgres takes ~30% longer once V8 would have optimised it (a sort
 * of 10,000 rows: 200 ms instead of 155), an export of 10,000 sessions (mostly JavaScript) 3-13%; the
 * first runs are faster, as nothing is being compiled meanwhile.
 * Tiering flags on the command line win (`node --wasm-dynamic-tiering src/cli.ts serve` brings
 * TurboFan back). The flags act on WebAssembly compiled after they are set: PGlite's.
 */
function keepWasmOnBaselineCompiler() {
  if (process.execArgv.some((flag) => /^--(no[-_])?(liftoff|wasm[-_](dynamic[-_])?tier)/.test(flag))) return;
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  v8.setFlagsFromString('--no-wasm-tier-up');
}

const execFileAsync = promisify(execFile);

/**
 * Creates a new database directory (initdb) in a short-lived child process. In our process PGlite
 * would run initdb in a second WASM instance and copy the result over through in-memory tar files: the
 * RSS peaks near 1 GB, and even once all of it is garbage the process keeps 100-140 MB more than after
 * a warm start (freed native memory stays with the allocator). A child hands it all back as it exits,
 * for about a second more on the first start. Liftoff only there too: it halves the child's peak.
 */
async function initdbInChildProcess(dir: string, postgresqlconf: readonly string[]): Promise<void> {
  const script = `const { PGlite } = await import(process.argv[1]);
const pglite = await PGlite.create({ dataDir: process.argv[2], postgresqlconf: JSON.parse(process.argv[3]) });
await pglite.close();`;
  const pgliteUrl = import.meta.resolve('@electric-sql/pglite');
  try {
    await execFileAsync(
      process.execPath,
      ['--liftoff-only', '--input-type=module', '--eval', script, pgliteUrl, dir, JSON.stringify(postgresqlconf)],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`could not create the database in ${dir}: ${stderr?.trim() || (error as Error).message}`);
  }
}
