// The work of one import, run by the import job on a worker (and by `openevent import`): parse the file with
// its format (src/import/), then write it into the event in one transaction (domain/schedule-import.ts). An
// import that creates its event parses first, so a file that cannot be read creates nothing, and the event is
// removed again if writing its schedule fails.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { events } from '../db/schema/index.ts';
import { findEvent } from '../domain/access.ts';
import { createEvent, type Event } from '../domain/events.ts';
import {
  finishImport,
  markImportProgress,
  markImportStarted,
  setImportEvent,
} from '../domain/imports.ts';
import { importSchedule, summaryForNewEvent, type ImportSummary } from '../domain/schedule-import.ts';
import { findUserById, type User } from '../domain/users.ts';
import { IMPORT_LIMITS, ImportError, type ImportedSchedule } from '../import/model.ts';
import { importFormatById, type ImportFormat } from '../import/registry.ts';
import type { FileStorage } from '../storage/index.ts';
import { importEventArchive } from '../domain/event-archive-import.ts';
import { readEventArchive } from '../import/event-archive.ts';
import { looksLikeZip } from '../import/zip.ts';

export interface ImportDeps {
  db: Database;
  storage: FileStorage;
}

export interface ImportRun {
  format: ImportFormat;
  bytes: Uint8Array;
  dryRun: boolean;
  onProgress?(done: number, total: number): void | Promise<void>;
}

/**
 * Whether the file is OES's whole-event zip to be read as such: a zip sent as `event-json`, or as `json`,
 * which is the name OES's own route gives it (`POST /v1/events/import/json`); a schedule format refuses a zip.
 */
function isArchive(run: ImportRun): boolean {
  if (run.bytes.byteLength === 0) throw new ImportError('The file is empty');
  const zip = looksLikeZip(run.bytes);
  if (run.format.archive && !zip) throw new ImportError("The file is not a zip archive; OES's whole-event export (event-json) is one");
  if (zip && !run.format.archive && run.format.id !== 'frab-json') {
    throw new ImportError(`This is a zip archive (OES’s whole-event export?); import it as event-json or json, not as ${run.format.id}`);
  }
  return zip;
}

/** Imports OES's whole-event zip into the event, or into a new event owned by `user` when `event` is null. */
async function importArchive(db: Database, user: User | null, event: Event | null, run: ImportRun): Promise<{ summary: ImportSummary; eventId: number | null }> {
  const archive = await readEventArchive(run.bytes);
  return importEventArchive(db, archive, user, event, { dryRun: run.dryRun, onProgress: run.onProgress });
}

/** Imports the file into an existing event. */
export async function importIntoEvent(db: Database, event: Event, run: ImportRun & { userId?: number | null }): Promise<ImportSummary> {
  if (isArchive(run)) {
    const user = run.userId ? await findUserById(db, run.userId) : null;
    return (await importArchive(db, user, event, run)).summary;
  }
  const schedule = run.format.parse(run.bytes, { defaultTimezone: event.timezone, window: { start: event.startsAt, end: event.endsAt } });
  return importSchedule(db, event.id, schedule, { dryRun: run.dryRun, creatorId: run.userId ?? null, onProgress: run.onProgress });
}

/** The event a schedule file describes: its title and zone, from its first session's start to its last's end. */
function newEventValues(schedule: ImportedSchedule) {
  if (schedule.sessions.length === 0) throw new ImportError('The file holds no sessions to create an event from');
  let start = Infinity;
  let end = -Infinity;
  for (const s of schedule.sessions) {
    start = Math.min(start, s.startsAt.getTime());
    end = Math.max(end, s.endsAt.getTime());
  }
  return {
    name: (schedule.title ?? 'Imported schedule').slice(0, 200),
    timezone: schedule.timezone ?? 'UTC',
    startsAt: new Date(start),
    endsAt: new Date(end),
  };
}

/** Creates an event from the file and imports the schedule into it; a dry run creates nothing. */
export async function importAsNewEvent(
  db: Database,
  owner: User,
  run: ImportRun & { onEvent?(event: Event): Promise<void> },
): Promise<{ summary: ImportSummary; event: Event | null }> {
  if (isArchive(run)) {
    const { summary, eventId } = await importArchive(db, owner, null, run);
    return { summary, event: eventId === null ? null : await findEvent(db, eventId) };
  }
  const schedule = run.format.parse(run.bytes, { defaultTimezone: 'UTC' });
  const values = newEventValues(schedule);
  if (run.dryRun) return { summary: summaryForNewEvent(schedule, true), event: null };
  const event = await createEvent(db, owner, values);
  await run.onEvent?.(event);
  try {
    const summary = await importSchedule(db, event.id, schedule, { creatorId: owner.id, onProgress: run.onProgress });
    return { summary, event };
  } catch (error) {
    await db.update(events).set({ deletedAt: new Date() }).where(eq(events.id, event.id));
    throw error;
  }
}

async function readAll(storage: FileStorage, key: string): Promise<Uint8Array> {
  const opened = await storage.open(key);
  if (!opened) throw new ImportError('The uploaded file is gone; upload it again');
  if (opened.size > IMPORT_LIMITS.maxBytes) {
    opened.stream.destroy();
    throw new ImportError('The file is too large');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const PROGRESS_INTERVAL_MS = 250;

/** Runs the task's import; `lastAttempt` says a failure now is final (else the job is retried). */
export async function runImportTask(deps: ImportDeps, taskId: string, lastAttempt: boolean): Promise<void> {
  const { db, storage } = deps;
  const task = await markImportStarted(db, taskId);
  if (!task) return;
  let writtenAt = -Infinity;
  const onProgress = async (done: number, total: number) => {
    const now = performance.now();
    if (now - writtenAt < PROGRESS_INTERVAL_MS && done < total) return;
    writtenAt = now;
    await markImportProgress(db, taskId, done, total);
  };
  const end = async () => storage.delete(task.storageKey).catch(() => {});
  try {
    const format = importFormatById(task.format);
    if (!format) throw new ImportError(`Unknown import format ${task.format}`);
    const bytes = await readAll(storage, task.storageKey);
    if (task.createsEvent) {
      const owner = await findUserById(db, task.userId);
      if (!owner) throw new ImportError('The account that started the import is gone');
      const { summary, event } = await importAsNewEvent(db, owner, {
        format,
        bytes,
        dryRun: task.dryRun,
        onProgress,
        onEvent: (created) => setImportEvent(db, taskId, created.id),
      });
      await finishImport(db, taskId, { state: 'SUCCESS', summary, eventId: event?.id ?? null });
    } else {
      const event = task.eventId === null ? null : await findEvent(db, task.eventId);
      if (!event || event.deletedAt) throw new ImportError('The event was deleted');
      const summary = await importIntoEvent(db, event, { format, bytes, dryRun: task.dryRun, userId: task.userId, onProgress });
      await finishImport(db, taskId, { state: 'SUCCESS', summary, eventId: event.id });
    }
    await end();
  } catch (error) {
    if (error instanceof ImportError) {
      await finishImport(db, taskId, { state: 'FAILURE', error: error.message });
      await end();
      return;
    }
    if (lastAttempt) {
      await finishImport(db, taskId, { state: 'FAILURE', error: 'The import failed on the server; nothing was changed. Try again later' });
      await end();
    }
    throw error;
  }
}
