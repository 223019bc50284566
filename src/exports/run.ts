// The work of one export task, run by the export job on a worker (and by `openevent export`): read the
// data through the format, stream it into file storage (atomically: temp name, then rename), and record
// the file, reused by later exports of the same unchanged schedule.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/connection.ts';
import { findEvent } from '../domain/access.ts';
import {
  deleteFileRecord,
  findSameFile,
  findTask,
  finish,
  markProgress,
  markStarted,
  optionsKey,
  recordFile,
  type ExportFile,
  type Task,
} from '../domain/exports.ts';
import { formatById } from '../formats/registry.ts';
import type { FileStorage } from '../storage/index.ts';

/** A person-readable reason the export cannot be made; not worth retrying. */
export class ExportRefused extends Error {
  override name = 'ExportRefused';
}

/** Renders tried before giving up when the schedule keeps changing under the export. */
const RENDER_ATTEMPTS = 3;

/**
 * Progress is written at most this often: each write is a round trip the export waits for between two
 * pages, and a client polls a few times a second at most. The first page's is always written.
 */
const PROGRESS_INTERVAL_MS = 250;

function throttledProgress(db: Database, taskId: string): (done: number) => Promise<void> {
  let writtenAt = -Infinity;
  return async (done) => {
    const now = performance.now();
    if (now - writtenAt < PROGRESS_INTERVAL_MS) return;
    writtenAt = now;
    await markProgress(db, taskId, done);
  };
}

export interface ExportDeps {
  db: Database;
  storage: FileStorage;
  publicUrl: string;
}

async function liveEvent(db: Database, eventId: number) {
  const event = await findEvent(db, eventId);
  if (!event || event.deletedAt) throw new ExportRefused('The event was deleted');
  return event;
}

/**
 * Makes (or finds) the file for an event's data as it is now. The schedule version is read before and
 * after rendering: a change in between means the file may mix old and new, so it is made again. Formats
 * that are not cacheable (orders, attendees) are made anew every time.
 */
export async function exportFile(
  deps: ExportDeps,
  eventId: number,
  formatId: string,
  options: Record<string, string>,
  onProgress?: (done: number) => void | Promise<void>,
): Promise<{ file: ExportFile; reused: boolean }> {
  const { db, storage } = deps;
  const format = formatById(formatId);
  if (!format) throw new ExportRefused(`There is no export format "${formatId}"`);
  const variant = optionsKey(options);
  for (let attempt = 1; ; attempt++) {
    const event = await liveEvent(db, eventId);
    const key = { eventId, format: format.id, variant, scheduleVersion: event.scheduleVersion };
    const cached = format.cacheable ? await findSameFile(db, key) : null;
    if (cached && (await storage.stat(cached.storageKey))) return { file: cached, reused: true };

    const id = randomUUID();
    const storageKey = `${id}.${format.extension}`;
    const content = await format.render(db, event, { publicUrl: deps.publicUrl, options, onProgress });
    const stored = await storage.write(storageKey, content);
    const after = await findEvent(db, eventId);
    if (format.cacheable && after?.scheduleVersion !== event.scheduleVersion && attempt < RENDER_ATTEMPTS) {
      await storage.delete(storageKey);
      continue;
    }
    if (cached) await deleteFileRecord(db, cached.id);
    const file = await recordFile(db, {
      id,
      ...key,
      // A file that is never reused gets a variant of its own, so it never clashes with an earlier one.
      variant: format.cacheable ? variant : optionsKey({ ...options, file: id }),
      storageKey,
      fileName: format.fileName(event.identifier),
      mediaType: format.mediaType,
      size: stored.size,
      sha256: stored.sha256,
    });
    if (file) return { file, reused: false };
    // Another worker made the same file at the same moment: keep theirs.
    await storage.delete(storageKey);
    const theirs = await findSameFile(db, key);
    if (theirs) return { file: theirs, reused: true };
  }
}

/** Runs one attempt of a task; `lastAttempt` says whether a failure now ends the task. */
export async function runExportTask(deps: ExportDeps, taskId: string, lastAttempt: boolean): Promise<Task['state'] | 'gone'> {
  const task = await findTask(deps.db, taskId);
  if (!task) return 'gone';
  if (task.state === 'SUCCESS' || task.state === 'FAILURE') return task.state;
  try {
    const format = formatById(task.format);
    if (!format) throw new ExportRefused(`There is no export format "${task.format}"`);
    const event = await liveEvent(deps.db, task.eventId);
    const total = await format.total(deps.db, event, task.options);
    await markStarted(deps.db, taskId, total);
    const { file } = await exportFile(deps, task.eventId, task.format, task.options, throttledProgress(deps.db, taskId));
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
