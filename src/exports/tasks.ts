// The export flow of Open Event Server around the stored tasks: start an export (or join the same one
// already waiting), read a task, and find the file behind a download link. Who may export a format is
// the format's to say; the starter's standing on the event is checked again on every poll and download,
// so someone whose role was removed loses the tasks they started.
import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Database } from '../db/connection.ts';
import { eventAccess, type EventAccess } from '../domain/access.ts';
import { NotFoundError, UnavailableError } from '../domain/errors.ts';
import {
  EXPORT_QUEUE,
  currentTask,
  findFile,
  findTask,
  recordTask,
  starterAccess,
  type ExportFile,
  type Task,
} from '../domain/exports.ts';
import type { User } from '../domain/users.ts';
import type { ExportFormat, FormatOptions } from '../formats/format.ts';
import { formatById } from '../formats/registry.ts';

export function mayExport(access: EventAccess, format: ExportFormat): boolean {
  return format.exportableBy === 'registrars' ? access.canRegister : access.canManage;
}

/**
 * Queues the export, or answers with the identical one (same user, event, format, options) already waiting
 * or running. Jobs carry their starter as pg-boss group, so one organizer's many exports take one worker slot
 * at a time and leave the others to everyone else (see jobs/export.ts).
 */
export async function queueExport(
  db: Database,
  boss: PgBoss,
  request: { userId: number; eventId: number; format: ExportFormat; options: FormatOptions },
): Promise<Task> {
  const { task } = await recordTask(db, { ...request, format: request.format.id }, async (tx, taskId) => {
    // In the task's transaction: both are written, or neither (and on PGlite, whose one connection the
    // transaction holds, a send outside it would wait for the transaction's end, and so forever).
    // (Our Database type spans both drivers, so its execute() result is untyped: hence the cast.)
    const db = fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);
    const jobId = await boss.send(EXPORT_QUEUE, { taskId }, { group: { id: `user-${request.userId}` }, db });
    if (!jobId) throw new Error('pg-boss did not queue the export job');
    return jobId;
  });
  return task;
}

/** An export started by a user over the API: refused as not existing for anyone but those the format allows. */
export async function startExport(
  db: Database,
  boss: PgBoss | null,
  request: { user: User; event: string; format: ExportFormat; options: FormatOptions },
): Promise<Task> {
  const access = await eventAccess(db, request.event, request.user);
  // Exports hold unpublished data: for anyone but those allowed the export does not exist.
  if (!access || !mayExport(access, request.format)) throw new NotFoundError('Not found');
  if (!boss) throw new UnavailableError('Exports are unavailable: this server has no job queue');
  return queueExport(db, boss, { userId: request.user.id, eventId: access.event.id, format: request.format, options: request.options });
}

async function starterMayStillExport(db: Database, task: Task): Promise<boolean> {
  const format = formatById(task.format);
  const access = await starterAccess(db, task);
  return !!format && !!access && mayExport(access, format);
}

/** The task as its starter (or an admin) sees it now; someone else's task does not exist for you. */
export async function readTask(db: Database, boss: PgBoss | null, id: string, user: User): Promise<Task> {
  const task = await findTask(db, id);
  if (!task || (task.userId !== user.id && !user.isAdmin)) throw new NotFoundError('No such task');
  if (!user.isAdmin && !(await starterMayStillExport(db, task))) throw new NotFoundError('No such task');
  return currentTask(db, boss, task);
}

/**
 * The file behind a (validly signed) download link, while its task's starter may still export it: a link
 * handed out before their role was removed stops working. Null when the task has no file (any more).
 */
export async function fileOfTask(db: Database, id: string): Promise<ExportFile | null> {
  const task = await findTask(db, id);
  if (!task?.fileId) return null;
  if (!(await starterMayStillExport(db, task))) throw new NotFoundError('No such download');
  return findFile(db, task.fileId);
}
