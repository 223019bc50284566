// A real server for one test file: a private copy of the migrated test database (PGlite or
// PostgreSQL, per the vitest project running the file), the job queue, and the Fastify app.
// Tests drive it with app.inject(); tests inside a file share it and keep apart by their own data.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject, afterAll } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { openDatabase, openPglite, type Connection } from '../../src/db/connection.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { startQueue, type QueueHandle } from '../../src/jobs/queue.ts';
import { allJobs } from '../../src/jobs/registry.ts';
import { tokenService } from '../../src/auth/tokens.ts';
import { buildApp } from '../../src/app.ts';
import { createStorage } from '../../src/storage/index.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import type { FileStorage } from '../../src/storage/index.ts';
import { databaseNameOf, databaseUrlFor } from './postgres.ts';

export type Backend = 'pglite' | 'postgres';

export function currentBackend(): Backend {
  return process.env.OPENEVENT_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase {
  connection: Connection;
  /** For PostgreSQL: the URL of this file's own database (child processes connect to it). */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh copy of the migrated template database for the current backend. */
export async function testDatabase(): Promise<TestDatabase> {
  if (currentBackend() === 'pglite') {
    const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const pglite = await openPglite(null, dump);
    const connection = await openDatabase({ databaseUrl: null, dataDir: '', pglite });
    return { connection, url: null, drop: () => pglite.close() };
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error('the postgres project runs only when TEST_DATABASE_URL is set');
  const name = `openevent_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = databaseUrlFor(template, 'postgres');
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    // The copy fails while anyone is connected to the template (another run's global setup building
    // it): wait for them a little.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${databaseNameOf(template)}`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(template, name);
  const connection = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 20 });
  return {
    connection,
    url,
    async drop() {
      await connection.close();
      const cleanup = new pg.Client({ connectionString: server });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: TestDatabase;
  queue: QueueHandle;
  storage: FileStorage;
  /** app.inject with a JSON body sent as application/vnd.api+json and parsed back. */
  request(options: InjectOptions & { token?: string; json?: unknown }): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'openevent-data-')),
    SECRET_KEY: 'test-secret-key-of-at-least-32-characters',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://events.example.org',
    ...overrides,
  });
}

// Apps still open when the file's tests are done. Closed by a hook registered here, when the test file
// imports this module: an afterAll registered from inside beforeAll (where files start their app) is
// never run by vitest, which left the app, its queue and its PostgreSQL database behind.
const openApps = new Set<TestApp>();
afterAll(async () => {
  for (const app of [...openApps]) await app.close();
});

/**
 * Starts the app for this test file and closes it after the file's tests. `worker: true` also runs
 * the job workers in-process, as `openevent serve` does by default. `database` reuses a database the
 * caller made with testDatabase() (and drops itself), e.g. one that worker child processes share.
 * `pollSeconds` sets how often idle workers poll (2 s by default).
 */
export async function startTestApp(
  options: { worker?: boolean; env?: Record<string, string>; database?: TestDatabase; pollSeconds?: number } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const database = options.database ?? (await testDatabase());
  const { connection } = database;
  const storage = createStorage(config, connection);
  const jobs = allJobs({ config, connection, storage });
  const queue = await startQueue(connection, { supervise: !!options.worker, definitions: jobs, superviseSeconds: config.jobHeartbeatSeconds, pollSeconds: options.pollSeconds });
  if (options.worker) await queue.startWorkers(jobs);
  // Mail goes to SMTP_URL when a test sets it (an in-process SMTP server), else to DATA_DIR/outbox.
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log: { info() {}, error() {} } });
  const app = await buildApp({ config, connection, db: connection.db, tokens: tokenService(config.secretKey), boss: queue.boss, storage, mailer });
  await app.ready();

  const testApp: TestApp = {
    app,
    config,
    database,
    queue,
    storage,
    async request({ token, json, headers, ...rest }) {
      const response = await app.inject({
        ...rest,
        headers: {
          ...(json !== undefined ? { 'content-type': 'application/vnd.api+json' } : {}),
          ...(token ? { authorization: `JWT ${token}` } : {}),
          ...headers,
        },
        ...(json !== undefined ? { payload: JSON.stringify(json) } : {}),
      } as InjectOptions);
      let body: unknown = undefined;
      try {
        body = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body, text: response.body };
    },
    async close() {
      if (!openApps.delete(testApp)) return;
      await app.close();
      await queue.stop();
      if (!options.database) await database.drop();
    },
  };
  openApps.add(testApp);
  return testApp;
}

let emailCounter = 0;

/** Registers a user with a unique email and logs in; returns the id and token. */
export async function signUp(t: TestApp, attributes: Record<string, unknown> = {}) {
  const email = `user${++emailCounter}-${randomBytes(3).toString('hex')}@example.org`;
  const password = 'correct horse battery';
  const created = await t.request({
    method: 'POST',
    url: '/v1/users',
    json: { data: { type: 'user', attributes: { email, password, ...attributes } } },
  });
  if (created.status !== 201) throw new Error(`sign-up failed: ${created.text}`);
  const login = await t.request({ method: 'POST', url: '/v1/auth/login', json: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
  return { id: Number(created.body.data.id), email, password, token: login.body.access_token as string };
}
