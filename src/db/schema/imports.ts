// Import tasks: a schedule file brought into an event (or into a new one) by a job, polled like an export task.
import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import type { TaskState } from './exports.ts';
import { events } from './schedule.ts';
import { users } from './users.ts';

export const importTasks = pgTable(
  'import_tasks',
  {
    /** UUIDv4: the task URL is the only handle on it. */
    id: uuid().primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** The event imported into; for an import that creates its event, set once it is created. */
    eventId: integer('event_id').references(() => events.id),
    /** The import format's id (src/import/registry.ts). */
    format: text().notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    createsEvent: boolean('creates_event').notNull().default(false),
    /** The uploaded file, in file storage until the task ends. */
    storageKey: text('storage_key').notNull(),
    state: text().$type<TaskState>().notNull().default('PENDING'),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    /** What the import did (domain/schedule-import.ts ImportSummary). */
    summary: jsonb().$type<Record<string, unknown>>(),
    error: text(),
    jobId: text('job_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
  },
  (table) => [index('import_tasks_created').on(table.createdAt)],
);
