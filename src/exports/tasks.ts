// Export tasks as their owners see them: started by the API, advanced by the export job, read by
// polling. A task ends exactly once (SUCCESS or FAILURE); a task whose job pg-boss gave up on is
// reported as FAILURE when read, so no task is PENDING forever.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Queryable } from '../db/connection.ts';
import { exportTasks, type TaskState } from '../db/schema/index.ts';
import type { ExportKind } from './kinds.ts';

export type Task = typeof exportTasks.$inferSelect;

export const EXPORT_QUEUE = 'export';
export const EXPORT_RETRY_LIMIT = 2;

const UNFINISHED: TaskState[] = ['PENDING', 'STARTED'];

export async function startExport(
  db: Queryable,
  boss: PgBoss,
  request: { userId: number; eventId: number; kind: ExportKind; options: Record<string, string> },
): Promise<Task> {
  const [task] = await db
    .insert(exportTasks)
    .values({ id: randomUUID(), userId: request.userId, eventId: request.eventId, format: request.kind.id, options: request.options })
    .returning();
  const jobId = await boss.send(EXPORT_QUEUE, { taskId: task!.id });
  await db.update(exportTasks).set({ jobId }).where(eq(exportTasks.id, task!.id));
  return { ...task!, jobId };
}

export async function findTask(db: Queryable, id: string): Promise<Task | null> {
  const [task] = await db.select().from(exportTasks).where(eq(exportTasks.id, id));
  return task ?? null;
}

/** Marks the task started (again, after a retry) and counts the attempt. */
export async function markStarted(db: Queryable, id: string, total: number): Promise<Task | null> {
  const [task] = await db
    .update(exportTasks)
    .set({ state: 'STARTED', startedAt: new Date(), progressDone: 0, progressTotal: total, attempts: sql`${exportTasks.attempts} + 1` })
    .where(and(eq(exportTasks.id, id), inArray(exportTasks.state, UNFINISHED)))
    .returning();
  return task ?? null;
}

export async function markProgress(db: Queryable, id: string, done: number): Promise<void> {
  await db.update(exportTasks).set({ progressDone: done }).where(and(eq(exportTasks.id, id), eq(exportTasks.state, 'STARTED')));
}

/** Ends the task; false when it had already ended (it ends once). */
export async function finish(
  db: Queryable,
  id: string,
  outcome: { state: 'SUCCESS'; fileId: string; done: number } | { state: 'FAILURE'; error: string },
): Promise<boolean> {
  const ended = await db
    .update(exportTasks)
    .set(
      outcome.state === 'SUCCESS'
        ? { state: 'SUCCESS', fileId: outcome.fileId, progressDone: outcome.done, progressTotal: outcome.done, finishedAt: new Date() }
        : { state: 'FAILURE', error: outcome.error, finishedAt: new Date() },
    )
    .where(and(eq(exportTasks.id, id), inArray(exportTasks.state, UNFINISHED)))
    .returning({ id: exportTasks.id });
  return ended.length === 1;
}

/**
 * The task as it stands. An unfinished task whose job pg-boss has failed for good (its worker died on
 * the last attempt, say) ends here as a FAILURE, so a client polling it gets an answer.
 */
export async function currentTask(db: Queryable, boss: PgBoss | null, task: Task): Promise<Task> {
  if (!UNFINISHED.includes(task.state) || !task.jobId || !boss) return task;
  const job = await boss.getJobById(EXPORT_QUEUE, task.jobId);
  const gaveUp = !job || job.state === 'failed' || job.state === 'cancelled';
  if (!gaveUp) return task;
  await finish(db, task.id, { state: 'FAILURE', error: 'The export stopped before it could finish and will not be retried; start it again' });
  return (await findTask(db, task.id)) ?? task;
}
