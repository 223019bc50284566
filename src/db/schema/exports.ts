// Export tasks (the OES task flow: start, poll, download) and the files they produce, reused while the
// schedule they were made from is unchanged.
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events } from './schedule.ts';
import { users } from './users.ts';

export const TASK_STATES = ['PENDING', 'STARTED', 'SUCCESS', 'FAILURE'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const exportTasks = pgTable(
  'export_tasks',
  {
    /** UUIDv4: the task URL is the only handle on it, so it must not be guessable. */
    id: uuid().primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    format: text().notNull(),
    /** What else selects the content, e.g. `{"status":"accepted"}` for CSV exports. */
    options: jsonb().$type<Record<string, string>>().notNull().default({}),
    state: text().$type<TaskState>().notNull().default('PENDING'),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    fileId: uuid('file_id').references(() => exportFiles.id),
    error: text(),
    jobId: text('job_id'),
    /** How many times a worker started the job: 1 unless a worker died or the job was retried. */
    attempts: integer().notNull().default(0),
    createdAt: instant('created_at').notNull().defaultNow(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
  },
  (table) => [index('export_tasks_created').on(table.createdAt)],
);

export const exportFiles = pgTable(
  'export_files',
  {
    id: uuid().primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    format: text().notNull(),
    /** Canonical JSON of the task options: part of what makes two exports the same. */
    variant: text().notNull(),
    scheduleVersion: integer('schedule_version').notNull(),
    /** Key in file storage; never taken from a request. */
    storageKey: text('storage_key').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('export_files_same_export').on(table.eventId, table.format, table.variant, table.scheduleVersion),
    index('export_files_created').on(table.createdAt),
  ],
);
