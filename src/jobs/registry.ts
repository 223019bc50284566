// Every kind of job the workers run. A new job is a file in jobs/ and a line here.
import type { JobContext } from './context.ts';
import type { JobDefinition } from './queue.ts';
import { exportJob } from './export.ts';
import { exportCleanupJob } from './export-cleanup.ts';
import { importJob } from './import.ts';
import { orderExpiryJob } from './order-expiry.ts';

export function allJobs(context: JobContext): JobDefinition<any>[] {
  return [exportJob(context), exportCleanupJob(context), orderExpiryJob(context), importJob(context)];
}
