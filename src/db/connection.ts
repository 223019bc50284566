// Opens the database: embedded PGlite in the data directory by default, or a PostgreSQL server (a
// connection pool) when DATABASE_URL is set. Everything above this file sees one Drizzle database and
// does not care which one it is.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A database or a transaction on it: what query helpers take, so they compose inside transactions. */
export type Queryable = Database | Transaction;

/**
 * PGlite keeps Postgres' defaults sized for a server (128 MB of shared buffers and more), all of it in
 * the WASM heap of our process. These keep an embedded server small; the bench reports what they cost.
 */
export const PGLITE_SETTINGS = [
  'shared_buffers=16MB',
  'work_mem=4MB',
  'maintenance_work_mem=16MB',
  'temp_buffers=4MB',
];

export type Connection =
  | { kind: 'pglite'; db: Database; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Database; pool: pg.Pool; url: string; close(): Promise<void> };

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  /** An already open PGlite (tests share one per worker); the caller keeps ownership. */
  pglite?: PGlite;
}

export async function openDatabase(options: OpenOptions): Promise<Connection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // A pool emits 'error' when an idle connection dies (server restart); without a listener that
    // would crash the process. The next query simply gets a fresh connection.
    pool.on('error', () => {});
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

export async function openPglite(dir: string | null, loadDataDir?: Blob): Promise<PGlite> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pglite = new PGlite({
    dataDir: dir ?? 'memory://',
    postgresqlconf: PGLITE_SETTINGS,
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await pglite.waitReady;
  return pglite;
}
