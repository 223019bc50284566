// Hourly: export (and import) tasks and files older than the retention period go, with their stored bytes, and
// storage frees what interrupted writes left behind.
import type { JobDefinition } from './queue.ts';
import type { JobContext } from './context.ts';
import { deleteExpired } from '../domain/exports.ts';
import { deleteExpiredImports } from '../domain/imports.ts';

export const EXPORT_CLEANUP_QUEUE = 'export-cleanup';

export async function cleanUpExports(context: JobContext, now = new Date()): Promise<{ tasks: number; files: number }> {
  const cutoff = new Date(now.getTime() - context.config.exportRetentionDays * 24 * 60 * 60 * 1000);
  const { tasks, storageKeys } = await deleteExpired(context.connection.db, cutoff);
  for (const key of storageKeys) await context.storage.delete(key);
  // Import tasks too, and any upload a task left (one whose job never ran).
  for (const key of await deleteExpiredImports(context.connection.db, cutoff)) await context.storage.delete(key);
  await context.storage.sweep(60 * 60 * 1000);
  return { tasks, files: storageKeys.length };
}

export function exportCleanupJob(context: JobContext): JobDefinition {
  return {
    name: EXPORT_CLEANUP_QUEUE,
    cron: '17 * * * *',
    queue: { retryLimit: 1 },
    run: () => cleanUpExports(context),
  };
}
