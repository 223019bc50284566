// The job queue: pg-boss on the same database as everything else, PGlite included (pg-boss ships the
// adapter that sends parameterless multi-statement SQL through PGlite's exec). API processes only
// send jobs; worker processes also run them. Queues opt in to LISTEN/NOTIFY so a queued export wakes a
// worker at once instead of at its next poll.
import { PgBoss, fromPglite, type Job, type QueueOptions } from 'pg-boss';
import { waitForDatabase, type Connection } from '../db/connection.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';

/**
 * The longest a job that failed because the database went away waits for it to answer before its
 * failure is handed to pg-boss. Without the wait its retries run (and fail) while the database is still
 * away, and a job can use them all up in one outage; and pg-boss could not even record the failure.
 */
const DATABASE_WAIT_MS = 60_000;

/** One kind of job: its queue settings and what runs it. Each lives in its own file under jobs/. */
export interface JobDefinition<Data extends object = object> {
  name: string;
  queue?: QueueOptions;
  /** Jobs of this kind one worker process runs at the same time. */
  concurrency?: number;
  /**
   * Jobs of one group (pg-boss `group.id` given when sending) one worker process runs at the same time;
   * the fetch skips groups at their limit, so other groups' jobs get the remaining slots.
   */
  groupConcurrency?: number;
  /** Cron expression (UTC) for jobs the queue schedules itself, e.g. nightly clean-ups. */
  cron?: string;
  run(job: Job<Data>): Promise<unknown>;
}

export interface QueueHandle {
  boss: PgBoss;
  /** Starts running the given jobs in this process. */
  startWorkers(definitions: readonly JobDefinition<any>[]): Promise<void>;
  stop(): Promise<void>;
}

export interface QueueOptionsForStart {
  /** Whether this process runs maintenance and schedules (worker processes do, API-only ones don't). */
  supervise: boolean;
  /** Queues that must exist before anything is sent to them. */
  definitions: readonly JobDefinition<any>[];
  /**
   * How often the supervisor looks for jobs whose worker stopped heartbeating (and runs maintenance);
   * the jobs' heartbeat interval, so a dead worker's job is retried within about twice that.
   */
  superviseSeconds?: number;
  /**
   * How often an idle worker looks for jobs that sent no NOTIFY (retries, jobs of a group that was at its
   * limit); 2 s unless a test needs to tell a poll from the fetch that follows a finished job.
   */
  pollSeconds?: number;
  onError?(error: Error): void;
}

export async function startQueue(connection: Connection, options: QueueOptionsForStart): Promise<QueueHandle> {
  const common = {
    schema: 'pgboss',
    supervise: options.supervise,
    schedule: options.supervise,
    useListenNotify: true,
    // Every instance registering itself adds writes nobody reads here.
    registerInstance: false,
    ...(options.superviseSeconds
      ? { superviseIntervalSeconds: options.superviseSeconds, monitorIntervalSeconds: options.superviseSeconds }
      : {}),
  };
  const boss =
    connection.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(connection.pglite), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: connection.url, max: 4 });
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  for (const definition of options.definitions) {
    const settings = { ...definition.queue, notify: true };
    await boss.createQueue(definition.name, settings);
    // createQueue leaves an existing queue as it was first made: worker processes bring it up to their
    // settings (JOB_HEARTBEAT_SECONDS changed since, say), which jobs take when they are sent.
    if (options.supervise) await boss.updateQueue(definition.name, settings);
  }

  const pollSeconds = options.pollSeconds ?? 2;
  /**
   * A slot that just finished a job looks for the next one at once, instead of sleeping out its poll
   * first: a backlog drains at the speed of its jobs. pg-boss skips a worker's next wait when it was
   * notified during its job; the one that ran the job fetches after it released the job's group, so
   * the per-group limit holds. Idle slots of the queue look too (one query; they skip the groups at
   * their limit, as ever).
   */
  const fetchAgain = (queue: string) => {
    for (const worker of boss.getWipData()) if (worker.name === queue) boss.notifyWorker(worker.id);
  };
  const workerIds: string[] = [];
  return {
    boss,
    async startWorkers(definitions) {
      for (const definition of definitions) {
        const id = await boss.work(
          definition.name,
          {
            batchSize: 1,
            localConcurrency: definition.concurrency ?? 1,
            ...(definition.groupConcurrency ? { localGroupConcurrency: definition.groupConcurrency } : {}),
            pollingIntervalSeconds: pollSeconds,
            // With NOTIFY on, pg-boss polls only every 30 s by default; but retries (after a failure or
            // a dead worker's lapsed heartbeat) send no NOTIFY, and would wait for that poll.
            notifyPollingIntervalSeconds: pollSeconds,
          },
          async ([job]) => {
            try {
              return await definition.run(job!);
            } catch (error) {
              if (isDatabaseUnavailable(error)) await waitForDatabase(connection, DATABASE_WAIT_MS);
              throw error;
            } finally {
              fetchAgain(definition.name);
            }
          },
        );
        workerIds.push(id);
        if (definition.cron) await boss.schedule(definition.name, definition.cron);
      }
    },
    async stop() {
      // graceful: running jobs finish (or hit the timeout) before the connection goes away.
      await boss.stop({ graceful: true, close: connection.kind === 'postgres', timeout: 30_000 });
    },
  };
}
