// Export tasks and the files they produce, as stored: the OES task flow (start, poll, download) and the
// files reused while the schedule they were made from is unchanged. A task ends exactly once (SUCCESS or
// FAILURE); a task whose job pg-boss gave up on is reported as FAILURE when read, so no task is PENDING
// forever. What a format is and who may export it is src/formats/; the flow around these rows (access,
// the job, rendering into storage) is src/exports/.
import { randomUUID } from 'node:crypto';
import { and, count, eq, inArray, isNotNull, lt, notInArray, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Queryable, Database, Transaction } from '../db/connection.ts';
import { exportFiles, exportTasks, type TaskState } from '../db/schema/index.ts';
import { accessFor, findEvent, rolesOf, type EventAccess } from './access.ts';
import { TooManyError } from './errors.ts';
import { findUserById } from './users.ts';

export type Task = typeof exportTasks.$inferSelect;
export type ExportFile = typeof exportFiles.$inferSelect;

export const EXPORT_QUEUE = 'export';
export const EXPORT_RETRY_LIMIT = 2;

/**
 * Unfinished tasks one user, and one event, may have at a time. Far above what a person clicks (the
 * e2e suite runs 50 exports of one organizer at once), low enough that a script cannot queue thousands.
 */
export const MAX_UNFINISHED_PER_USER = 50;
export const MAX_UNFINISHED_PER_EVENT = 20;
/** What a refused start is told to wait: about one export's time on a busy worker. */
const RETRY_AFTER_SECONDS = 30;

const UNFINISHED: TaskState[] = ['PENDING', 'STARTED'];

/**
 * The task's job is still in pg-boss's queue (schema `pgboss`, jobs/queue.ts): waiting, running or to be
 * retried. A task without one will never run: it is neither handed out again nor counted against the caps.
 */
const HAS_LIVE_JOB = sql`EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = ${EXPORT_QUEUE} AND j.id = ${exportTasks.jobId}::uuid AND j.state IN ('created', 'retry', 'active'))`;

/** Canonical JSON of a task's options, so `{a, b}` and `{b, a}` are the same export (the files' `variant`). */
export function optionsKey(options: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b))));
}

// Advisory lock namespaces (pg_advisory_xact_lock(int, int)) that make the reuse check and the caps race-free.
const USER_LOCK = 0x6f65_0001;
const EVENT_LOCK = 0x6f65_0002;

/**
 * Records a task unless the same export (same user, event, format and options) is already waiting or running,
 * in which case that task is the answer. Refuses with TooManyError when the user or the event already has
 * its cap of unfinished tasks. `sendJob` queues the task's job in the same transaction, so a task is never
 * left without one (the database going away between the two, say); `created` says whether it was called.
 */
export async function recordTask(
  db: Database,
  request: { userId: number; eventId: number; format: string; options: Record<string, string> },
  sendJob: (tx: Transaction, taskId: string) => Promise<string>,
): Promise<{ task: Task; created: boolean }> {
  return db.transaction(async (tx) => {
    // Always user then event, so two starts never wait on each other's second lock.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${USER_LOCK}, ${request.userId})`);
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK}, ${request.eventId})`);
    const unfinished = and(inArray(exportTasks.state, UNFINISHED), HAS_LIVE_JOB);
    const [same] = await tx
      .select()
      .from(exportTasks)
      .where(
        and(
          unfinished,
          eq(exportTasks.userId, request.userId),
          eq(exportTasks.eventId, request.eventId),
          eq(exportTasks.format, request.format),
          sql`${exportTasks.options} = ${JSON.stringify(request.options)}::jsonb`,
        ),
      )
      .orderBy(exportTasks.createdAt)
      .limit(1);
    if (same) return { task: same, created: false };
    const [[byUser], [byEvent]] = await Promise.all([
      tx.select({ n: count() }).from(exportTasks).where(and(unfinished, eq(exportTasks.userId, request.userId))),
      tx.select({ n: count() }).from(exportTasks).where(and(unfinished, eq(exportTasks.eventId, request.eventId))),
    ]);
    if (byUser!.n >= MAX_UNFINISHED_PER_USER) {
      throw new TooManyError(
        `You have ${byUser!.n} exports waiting or running, the most one person may have; start more once some have finished`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (byEvent!.n >= MAX_UNFINISHED_PER_EVENT) {
      throw new TooManyError(
        `This event has ${byEvent!.n} exports waiting or running, the most one event may have; start more once some have finished`,
        RETRY_AFTER_SECONDS,
      );
    }
    const id = randomUUID();
    const jobId = await sendJob(tx, id);
    const [task] = await tx
      .insert(exportTasks)
      .values({ id, userId: request.userId, eventId: request.eventId, format: request.format, options: request.options, jobId })
      .returning();
    return { task: task!, created: true };
  });
}

export async function findTask(db: Queryable, id: string): Promise<Task | null> {
  const [task] = await db.select().from(exportTasks).where(eq(exportTasks.id, id));
  return task ?? null;
}

/**
 * What the task's starter may do with its event now: roles are read afresh, so a registrar whose role was
 * removed loses the task. The event's deletion is left out on purpose: the task itself then ends FAILURE (or
 * keeps the file it made before), which is what its starter is told.
 */
export async function starterAccess(db: Queryable, task: Task): Promise<EventAccess | null> {
  const [user, event] = await Promise.all([findUserById(db, task.userId), findEvent(db, task.eventId)]);
  if (!user || !event) return null;
  return accessFor({ ...event, deletedAt: null }, await rolesOf(db, user.id, event.id), user);
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
 * the last attempt, say), or that has no job at all (recorded by a version that sent the job after the
 * task's transaction, when the send failed), ends here as a FAILURE, so a client polling it gets an answer.
 */
export async function currentTask(db: Queryable, boss: PgBoss | null, task: Task): Promise<Task> {
  if (!UNFINISHED.includes(task.state) || !boss) return task;
  const job = task.jobId ? await boss.getJobById(EXPORT_QUEUE, task.jobId) : null;
  const gaveUp = !job || job.state === 'failed' || job.state === 'cancelled';
  if (!gaveUp) return task;
  await finish(db, task.id, { state: 'FAILURE', error: 'The export stopped before it could finish and will not be retried; start it again' });
  return (await findTask(db, task.id)) ?? task;
}

// ---- files ------------------------------------------------------------------------------------------------------

export interface FileKey {
  eventId: number;
  format: string;
  variant: string;
  scheduleVersion: number;
}

const sameExport = (key: FileKey) =>
  and(
    eq(exportFiles.eventId, key.eventId),
    eq(exportFiles.format, key.format),
    eq(exportFiles.variant, key.variant),
    eq(exportFiles.scheduleVersion, key.scheduleVersion),
  );

export async function findFile(db: Queryable, id: string): Promise<ExportFile | null> {
  const [file] = await db.select().from(exportFiles).where(eq(exportFiles.id, id));
  return file ?? null;
}

/** The file already made for this export of this schedule version, if any. */
export async function findSameFile(db: Queryable, key: FileKey): Promise<ExportFile | null> {
  const [file] = await db.select().from(exportFiles).where(sameExport(key));
  return file ?? null;
}

/** Records a made file; null when another worker recorded the same export first (theirs is kept). */
export async function recordFile(db: Queryable, file: typeof exportFiles.$inferInsert): Promise<ExportFile | null> {
  const [row] = await db.insert(exportFiles).values(file).onConflictDoNothing().returning();
  return row ?? null;
}

export async function deleteFileRecord(db: Queryable, id: string): Promise<void> {
  await db.delete(exportFiles).where(eq(exportFiles.id, id));
}

/**
 * Forgets tasks and files older than `cutoff`; returns the storage keys of the files, whose bytes the
 * caller deletes. Files still named by a task kept (a recent export of an old, unchanged schedule) stay.
 */
export async function deleteExpired(db: Queryable, cutoff: Date): Promise<{ tasks: number; storageKeys: string[] }> {
  const tasks = await db.delete(exportTasks).where(lt(exportTasks.createdAt, cutoff)).returning({ id: exportTasks.id });
  const kept = db.select({ id: exportTasks.fileId }).from(exportTasks).where(isNotNull(exportTasks.fileId));
  const files = await db
    .delete(exportFiles)
    .where(and(lt(exportFiles.createdAt, cutoff), notInArray(exportFiles.id, kept)))
    .returning({ key: exportFiles.storageKey });
  return { tasks: tasks.length, storageKeys: files.map((file) => file.key) };
}
