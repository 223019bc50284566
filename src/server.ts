// Starting and stopping a process: open the database, migrate, start the job queue (and workers),
// serve HTTP, and on SIGTERM/SIGINT drain in-flight requests and running jobs before exiting.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type Connection } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { startQueue, type QueueHandle } from './jobs/queue.ts';
import { allJobs } from './jobs/registry.ts';
import { createStorage } from './storage/index.ts';
import { tokenService } from './auth/tokens.ts';
import { createMailer } from './mail/mailer.ts';
import { buildApp } from './app.ts';

export interface Running {
  connection: Connection;
  queue: QueueHandle;
  app: FastifyInstance | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  http: boolean;
  worker: boolean;
  /** Called with a one-line note on progress (the CLI prints it). */
  log?(message: string): void;
}

export async function start(config: Config, options: StartOptions): Promise<Running> {
  const log = options.log ?? (() => {});
  const connection = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
  let queue: QueueHandle | null = null;
  let app: FastifyInstance | null = null;
  try {
    await migrate(connection);
    const storage = createStorage(config, connection);
    const jobs = allJobs({ config, connection, storage });
    queue = await startQueue(connection, {
      supervise: options.worker,
      definitions: jobs,
      superviseSeconds: config.jobHeartbeatSeconds,
      onError: (error) => log(`job queue: ${error.message}`),
    });
    if (options.worker) await queue.startWorkers(jobs);
    if (options.http) {
      // Mail is sent only while requests are served, so the app's logger exists by then.
      const mailer = createMailer({
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        dataDir: config.dataDir,
        log: { info: (object, message) => app?.log.info(object, message), error: (object, message) => app?.log.error(object, message) },
      });
      app = await buildApp({
        config,
        connection,
        db: connection.db,
        tokens: tokenService(config.secretKey),
        boss: queue.boss,
        storage,
        mailer,
      });
      await app.listen({ port: config.port, host: config.host });
    }
  } catch (error) {
    await app?.close().catch(() => {});
    await queue?.stop().catch(() => {});
    await connection.close().catch(() => {});
    throw error;
  }

  releaseStartupGarbage();

  let stopping: Promise<void> | null = null;
  const running: Running = {
    connection,
    queue,
    app,
    stop() {
      // Order matters: stop taking requests and let in-flight ones finish, then let running jobs
      // finish, and only then close the database they all use.
      stopping ??= (async () => {
        await app?.close();
        await queue!.stop();
        await connection.close();
      })();
      return stopping;
    },
  };
  return running;
}

/**
 * Start-up leaves ~170 MB of garbage on the JS heap (PGlite or not): Node parses drizzle-orm's 180 KB
 * package.json `exports` again for each of its ~450 ES modules as it loads them (~80 MB), and the
 * migrations and PGlite's start add more. The young generation grows to 128 MB for it, and nothing
 * collects it while the process idles, so the idle RSS carried it all. One full, memory-reducing
 * collection once we are up frees it and shrinks the young generation back (it grows again under
 * load). It takes ~150 ms, as the port opens. Node has no API for it, hence `--expose-gc` read by a
 * throwaway context; if that ever stops working we only lose the saving.
 */
function releaseStartupGarbage() {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as (options: object) => void;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    // no saving, no harm
  }
}
