// The work of one export task, run by the export job on a worker: read the schedule from the
// database, stream it through the format's serializer into file storage (atomically: temp name, then
// rename), and record the file, reused by later exports of the same unchanged schedule.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { events, exportFiles } from '../db/schema/index.ts';
import type { FileStorage } from '../storage/index.ts';
import { exportKind } from './kinds.ts';
import { finish, findTask, markProgress, markStarted, type Task } from './tasks.ts';

export type ExportFile = typeof exportFiles.$inferSelect;

/** A person-readable reason the export cannot be made; not worth retrying. */
export class ExportRefused extends Error {
  override name = 'ExportRefused';
}

/** Renders tried before giving up when the schedule keeps changing under the export. */
const RENDER_ATTEMPTS = 3;

export interface ExportDeps {
  db: Database;
  storage: FileStorage;
  publicUrl: string;
}

/** Canonical JSON of the options, so `{a, b}` and `{b, a}` are the same export. */
export function variantOf(options: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b))));
}

export function fileName(identifier: string, format: string, extension: string): string {
  // sessions-csv → <identifier>-sessions.csv, likewise speakers, orders and attendees.
  const suffix = format.endsWith('-csv') ? `-${format.slice(0, -'-csv'.length)}` : '';
  return `${identifier}${suffix}.${extension}`;
}

/**
 * Makes (or finds) the file for an event's schedule as it is now. The schedule version is read before
 * and after rendering: a change in between means the file may mix old and new, so it is made again.
 * Kinds that are not cacheable (orders, attendees) are made anew every time.
 */
export async function exportFile(
  deps: ExportDeps,
  eventId: number,
  format: string,
  options: Record<string, string>,
  onProgress?: (done: number) => void | Promise<void>,
): Promise<{ file: ExportFile; reused: boolean }> {
  const { db, storage } = deps;
  const kind = exportKind(format);
  if (!kind) throw new ExportRefused(`There is no export format "${format}"`);
  const variant = variantOf(options);
  for (let attempt = 1; ; attempt++) {
    const [event] = await db.select().from(events).where(eq(events.id, eventId));
    if (!event || event.deletedAt) throw new ExportRefused('The event was deleted');
    const same = and(
      eq(exportFiles.eventId, eventId),
      eq(exportFiles.format, format),
      eq(exportFiles.variant, variant),
      eq(exportFiles.scheduleVersion, event.scheduleVersion),
    );
    const cacheable = kind.cacheable !== false;
    const [cached] = cacheable ? await db.select().from(exportFiles).where(same) : [];
    if (cached && (await storage.stat(cached.storageKey))) return { file: cached, reused: true };

    const id = randomUUID();
    const storageKey = `${id}.${kind.extension}`;
    const content = await kind.render(db, event, { publicUrl: deps.publicUrl, options, onProgress });
    const stored = await storage.write(storageKey, content);
    const [after] = await db.select({ version: events.scheduleVersion }).from(events).where(eq(events.id, eventId));
    if (cacheable && after?.version !== event.scheduleVersion && attempt < RENDER_ATTEMPTS) {
      await storage.delete(storageKey);
      continue;
    }
    if (cached) await db.delete(exportFiles).where(eq(exportFiles.id, cached.id));
    const [file] = await db
      .insert(exportFiles)
      .values({
        id,
        eventId,
        format,
        // A file of a kind that is never reused gets a variant of its own, so it never clashes with an earlier one.
        variant: cacheable ? variant : variantOf({ ...options, file: id }),
        scheduleVersion: event.scheduleVersion,
        storageKey,
        fileName: fileName(event.identifier, format, kind.extension),
        mediaType: kind.mediaType,
        size: stored.size,
        sha256: stored.sha256,
      })
      .onConflictDoNothing()
      .returning();
    if (file) return { file, reused: false };
    // Another worker made the same file at the same moment: keep theirs.
    await storage.delete(storageKey);
    const [theirs] = await db.select().from(exportFiles).where(same);
    if (theirs) return { file: theirs, reused: true };
  }
}

/** Runs one attempt of a task; `lastAttempt` says whether a failure now ends the task. */
export async function runExportTask(deps: ExportDeps, taskId: string, lastAttempt: boolean): Promise<Task['state'] | 'gone'> {
  const task = await findTask(deps.db, taskId);
  if (!task) return 'gone';
  if (task.state === 'SUCCESS' || task.state === 'FAILURE') return task.state;
  try {
    const kind = exportKind(task.format);
    const [event] = await deps.db.select().from(events).where(eq(events.id, task.eventId));
    if (!kind) throw new ExportRefused(`There is no export format "${task.format}"`);
    if (!event || event.deletedAt) throw new ExportRefused('The event was deleted');
    const total = await kind.total(deps.db, event, task.options);
    await markStarted(deps.db, taskId, total);
    const { file } = await exportFile(deps, task.eventId, task.format, task.options, (done) => markProgress(deps.db, taskId, done));
    await finish(deps.db, taskId, { state: 'SUCCESS', fileId: file.id, done: total });
    return 'SUCCESS';
  } catch (error) {
    if (error instanceof ExportRefused || lastAttempt) {
      // Internal errors can name files and hosts: the task says what to do, the job record keeps the detail.
      const reason = error instanceof ExportRefused ? error.message : 'The export failed on the server; start it again, and tell the site admins if it keeps failing';
      await finish(deps.db, taskId, { state: 'FAILURE', error: reason });
      if (error instanceof ExportRefused) return 'FAILURE';
    }
    throw error;
  }
}
