// The import flow around the stored tasks: an organizer's upload is kept in file storage and a job queued for
// it, in one go; the task is polled at the export tasks' URL. Only the event's organizers (and admins) may
// import into it; anyone signed in may import into a new event of their own.
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Database } from '../db/connection.ts';
import { importTasks } from '../db/schema/index.ts';
import { eventAccess } from '../domain/access.ts';
import { InvalidError, NotFoundError, TooManyError, UnavailableError } from '../domain/errors.ts';
import { IMPORT_QUEUE, currentImportTask, findImportTask, recordImportTask, type ImportTask } from '../domain/imports.ts';
import type { User } from '../domain/users.ts';
import type { ImportFormat } from '../import/registry.ts';
import type { FileStorage } from '../storage/index.ts';

/** Imports one person may have waiting or running at once. */
export const MAX_UNFINISHED_IMPORTS_PER_USER = 5;

export async function startImport(
  db: Database,
  boss: PgBoss | null,
  storage: FileStorage,
  request: { user: User; event: string | null; format: ImportFormat; bytes: Uint8Array; dryRun: boolean },
): Promise<ImportTask> {
  let eventId: number | null = null;
  if (request.event !== null) {
    const access = await eventAccess(db, request.event, request.user);
    // The schedule's unpublished parts are the organizers' business: for anyone else there is nothing here.
    if (!access || !access.canManage) throw new NotFoundError('Not found');
    eventId = access.event.id;
  }
  if (!boss) throw new UnavailableError('Imports are unavailable: this server has no job queue');
  if (request.bytes.byteLength === 0) throw new InvalidError('The request has no file: send it as the body, or as a multipart form field');
  const [unfinished] = await db
    .select({ n: count() })
    .from(importTasks)
    .where(and(eq(importTasks.userId, request.user.id), inArray(importTasks.state, ['PENDING', 'STARTED'])));
  if (unfinished!.n >= MAX_UNFINISHED_IMPORTS_PER_USER) {
    throw new TooManyError(`You have ${unfinished!.n} imports waiting or running; start another once they have finished`, 30);
  }
  return recordImportTask(
    db,
    { userId: request.user.id, eventId, format: request.format.id, dryRun: request.dryRun, createsEvent: request.event === null },
    async (taskId) => {
      const key = `import-${taskId}.upload`;
      await storage.write(key, [request.bytes]);
      return key;
    },
    async (tx, taskId) => {
      const txDb = fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);
      const jobId = await boss.send(IMPORT_QUEUE, { taskId }, { group: { id: `user-${request.user.id}` }, db: txDb });
      if (!jobId) throw new Error('pg-boss did not queue the import job');
      return jobId;
    },
  );
}

/** The import task as its starter (or an admin) sees it now; null when there is no such import task. */
export async function readImportTask(db: Database, boss: PgBoss | null, id: string, user: User): Promise<ImportTask | null> {
  const task = await findImportTask(db, id);
  if (!task) return null;
  if (task.userId !== user.id && !user.isAdmin) throw new NotFoundError('No such task');
  return currentImportTask(db, boss, task);
}
