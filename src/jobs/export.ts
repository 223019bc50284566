// The export job: one per export task. pg-boss gives it to exactly one worker; a worker that dies
// stops heartbeating, so the job is retried elsewhere after `jobHeartbeatSeconds`, and the task ends
// SUCCESS then, or FAILURE after its last retry.
//
// Fairness: each job's group is the user who started it (exports/tasks.ts), and a worker runs one job
// per group at a time. An organizer who queues fifty exports takes one of the two slots; anyone else's
// export takes the other at once instead of waiting behind the fifty.
import type { JobDefinition } from './queue.ts';
import type { JobContext } from './context.ts';
import { EXPORT_QUEUE, EXPORT_RETRY_LIMIT } from '../domain/exports.ts';
import { runExportTask } from '../exports/run.ts';

export function exportJob(context: JobContext): JobDefinition<{ taskId: string }> {
  const deps = { db: context.connection.db, storage: context.storage, publicUrl: context.config.publicUrl };
  return {
    name: EXPORT_QUEUE,
    concurrency: 2,
    groupConcurrency: 1,
    queue: {
      retryLimit: EXPORT_RETRY_LIMIT,
      retryDelay: 1,
      heartbeatSeconds: context.config.jobHeartbeatSeconds,
      expireInSeconds: 60 * 60,
    },
    run: (job) => runExportTask(deps, job.data.taskId, job.retryCount >= EXPORT_RETRY_LIMIT),
  };
}
