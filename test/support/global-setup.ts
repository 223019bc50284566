// Runs once before the suite: builds a migrated database with pg-boss's schema for each backend, so
// every test file starts from a copy in well under a second instead of running initdb and migrations.
// PGlite: a dump of the data directory, loaded into a fresh in-memory instance per file.
// PostgreSQL (when TEST_DATABASE_URL is set): a template database, copied per file with CREATE DATABASE.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, openPglite } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { allJobs } from '../../src/jobs/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { createStorage } from '../../src/storage/index.ts';
import { randomBytes } from 'node:crypto';
import { templateNameFor, databaseUrlFor } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

async function prepare(connection: Awaited<ReturnType<typeof openDatabase>>) {
  await migrate(connection);
  const config = loadConfig({ DATA_DIR: join(tmpdir(), 'openevent-test-config'), SECRET_KEY: 'x'.repeat(32) });
  const storage = createStorage(config, connection);
  const queue = await startQueue(connection, { supervise: false, definitions: allJobs({ config, connection, storage }) });
  await queue.stop();
}

async function pgliteTemplate(dir: string): Promise<string> {
  const pglite = await openPglite(null);
  const connection = await openDatabase({ databaseUrl: null, dataDir: dir, pglite });
  await prepare(connection);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = join(dir, 'pglite-template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return file;
}

const TEMPLATE_DATABASE = templateNameFor(process.pid, randomBytes(3).toString('hex'));

async function dropTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function postgresTemplate(serverUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(serverUrl, TEMPLATE_DATABASE);
  // No connection timeout: PGlite's template is built at the same time in this process, and its
  // WASM holds the event loop long enough that a connection handshake can take many seconds.
  const connection = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 2, connectTimeoutMs: 0 });
  try {
    await prepare(connection);
  } finally {
    await connection.close();
  }
  return url;
}

export default async function setup(project: TestProject) {
  // The project runs on the Node 24 of the `node` devDependency (npm puts it first on PATH): on the
  // system's older Node the TypeScript sources cannot run, and every test would fail for that reason.
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(`tests need Node 24 (the node devDependency); this is ${process.version}: run them through npm test`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'openevent-test-'));
  const serverUrl = process.env.TEST_DATABASE_URL || null;
  const [pgliteFile, postgresUrl] = await Promise.all([
    pgliteTemplate(dir),
    serverUrl ? postgresTemplate(serverUrl) : Promise.resolve(null),
  ]);
  project.provide('pgliteTemplate', pgliteFile);
  project.provide('postgresTemplate', postgresUrl);
  console.log(
    `[backends] PGlite: yes; PostgreSQL: ${
      serverUrl ? `yes (${serverUrl.replace(/\/\/[^@]*@/, '//')})` : 'SKIPPED — TEST_DATABASE_URL is not set'
    }`,
  );
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (serverUrl) await dropTemplate(serverUrl).catch(() => {});
  };
}
