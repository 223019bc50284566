// Hourly: export tasks and files older than the retention period go, with their stored bytes, and
// storage frees what interrupted writes left behind.
import { and, isNotNull, lt, notInArray } from 'drizzle-orm';
import type { JobDefinition } from './queue.ts';
import type { JobContext } from './context.ts';
import { exportFiles, exportTasks } from '../db/schema/index.ts';

export const EXPORT_CLEANUP_QUEUE = 'export-cleanup';

export async function cleanUpExports(context: JobContext, now = new Date()): Promise<{ tasks: number; files: number }> {
  const { db } = context.connection;
  const cutoff = new Date(now.getTime() - context.config.exportRetentionDays * 24 * 60 * 60 * 1000);
  const tasks = await db.delete(exportTasks).where(lt(exportTasks.createdAt, cutoff)).returning({ id: exportTasks.id });
  // Files still named by a task kept (a recent export of an old, unchanged schedule) stay.
  const kept = db.select({ id: exportTasks.fileId }).from(exportTasks).where(isNotNull(exportTasks.fileId));
  const files = await db
    .delete(exportFiles)
    .where(and(lt(exportFiles.createdAt, cutoff), notInArray(exportFiles.id, kept)))
    .returning({ key: exportFiles.storageKey });
  for (const file of files) await context.storage.delete(file.key);
  await context.storage.sweep(60 * 60 * 1000);
  return { tasks: tasks.length, files: files.length };
}

export function exportCleanupJob(context: JobContext): JobDefinition {
  return {
    name: EXPORT_CLEANUP_QUEUE,
    cron: '17 * * * *',
    queue: { retryLimit: 1 },
    run: () => cleanUpExports(context),
  };
}
