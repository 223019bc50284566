// The import job: one per import task, run by one worker; a file that cannot be read ends the task at once
// (FAILURE with the parser's message), anything else is retried once.
import type { JobDefinition } from './queue.ts';
import type { JobContext } from './context.ts';
import { IMPORT_QUEUE, IMPORT_RETRY_LIMIT } from '../domain/imports.ts';
import { runImportTask } from '../imports/run.ts';

export function importJob(context: JobContext): JobDefinition<{ taskId: string }> {
  const deps = { db: context.connection.db, storage: context.storage };
  return {
    name: IMPORT_QUEUE,
    concurrency: 1,
    groupConcurrency: 1,
    queue: {
      retryLimit: IMPORT_RETRY_LIMIT,
      retryDelay: 1,
      heartbeatSeconds: context.config.jobHeartbeatSeconds,
      expireInSeconds: 60 * 60,
    },
    run: (job) => runImportTask(deps, job.data.taskId, job.retryCount >= IMPORT_RETRY_LIMIT),
  };
}
