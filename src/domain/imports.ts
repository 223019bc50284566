// Import tasks as stored: recorded with their job in one transaction, started, told their progress, ended
// once (SUCCESS with the import's summary, FAILURE with a message). A task whose job pg-boss gave up on is
// reported as FAILURE when read, as export tasks are.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, Queryable, Transaction } from '../db/connection.ts';
import { importTasks, type TaskState } from '../db/schema/index.ts';
import type { ImportSummary } from './schedule-import.ts';

export type ImportTask = typeof importTasks.$inferSelect;

export const IMPORT_QUEUE = 'import';
export const IMPORT_RETRY_LIMIT = 1;

const UNFINISHED: TaskState[] = ['PENDING', 'STARTED'];

export async function recordImportTask(
  db: Database,
  request: { userId: number; eventId: number | null; format: string; dryRun: boolean; createsEvent: boolean },
  store: (taskId: string) => Promise<string>,
  sendJob: (tx: Transaction, taskId: string) => Promise<string>,
): Promise<ImportTask> {
  const id = randomUUID();
  const storageKey = await store(id);
  return db.transaction(async (tx) => {
    const jobId = await sendJob(tx, id);
    const [task] = await tx.insert(importTasks).values({ id, ...request, storageKey, jobId }).returning();
    return task!;
  });
}

export async function findImportTask(db: Queryable, id: string): Promise<ImportTask | null> {
  const [task] = await db.select().from(importTasks).where(eq(importTasks.id, id));
  return task ?? null;
}

export async function markImportStarted(db: Queryable, id: string): Promise<ImportTask | null> {
  const [task] = await db
    .update(importTasks)
    .set({ state: 'STARTED', startedAt: new Date(), progressDone: 0 })
    .where(and(eq(importTasks.id, id), inArray(importTasks.state, UNFINISHED)))
    .returning();
  return task ?? null;
}

export async function markImportProgress(db: Queryable, id: string, done: number, total: number): Promise<void> {
  await db.update(importTasks).set({ progressDone: done, progressTotal: total }).where(and(eq(importTasks.id, id), eq(importTasks.state, 'STARTED')));
}

export async function setImportEvent(db: Queryable, id: string, eventId: number): Promise<void> {
  await db.update(importTasks).set({ eventId }).where(eq(importTasks.id, id));
}

export async function finishImport(
  db: Queryable,
  id: string,
  outcome: { state: 'SUCCESS'; summary: ImportSummary; eventId: number | null } | { state: 'FAILURE'; error: string },
): Promise<boolean> {
  const ended = await db
    .update(importTasks)
    .set(
      outcome.state === 'SUCCESS'
        ? { state: 'SUCCESS', summary: outcome.summary as unknown as Record<string, unknown>, eventId: outcome.eventId, finishedAt: new Date() }
        : { state: 'FAILURE', error: outcome.error, finishedAt: new Date() },
    )
    .where(and(eq(importTasks.id, id), inArray(importTasks.state, UNFINISHED)))
    .returning({ id: importTasks.id });
  return ended.length === 1;
}

/** The task as it stands; one whose job pg-boss gave up on ends here as a FAILURE. */
export async function currentImportTask(db: Queryable, boss: PgBoss | null, task: ImportTask): Promise<ImportTask> {
  if (!UNFINISHED.includes(task.state) || !boss) return task;
  const job = task.jobId ? await boss.getJobById(IMPORT_QUEUE, task.jobId) : null;
  if (job && job.state !== 'failed' && job.state !== 'cancelled') return task;
  await finishImport(db, task.id, { state: 'FAILURE', error: 'The import stopped before it could finish and will not be retried; start it again' });
  return (await findImportTask(db, task.id)) ?? task;
}

/** Forgets import tasks older than `cutoff`; returns the storage keys of their uploads (gone already unless the job never ran). */
export async function deleteExpiredImports(db: Queryable, cutoff: Date): Promise<string[]> {
  const gone = await db.delete(importTasks).where(lt(importTasks.createdAt, cutoff)).returning({ key: importTasks.storageKey });
  return gone.map((row) => row.key);
}
