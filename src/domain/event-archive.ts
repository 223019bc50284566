// An event and everything it is made of, as plain records for OES's whole-event export (the zip of JSON
// files that `POST /v1/events/{ev}/export/json` makes and an import reads back). Records carry every
// column under its database name, which is OES's attribute name (`starts_at`, `track_id`), so a column
// added to a table is exported without touching this file; only the bookkeeping listed below is left out.
// Rows are read a batch at a time by id, so a large event never sits in memory whole.
import { and, asc, count, eq, getTableColumns, gt, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { keysetBatches } from '../db/paging.ts';
import { customForms, events, microlocations, sessionSpeakers, sessionTypes, sessions, socialLinks, speakers, speakersCalls, sponsors, tickets, tracks } from '../db/schema/index.ts';
import type { Event } from './access.ts';

export type ArchiveRecord = Record<string, unknown>;

/**
 * Each part of the archive under OES's name for its file, in the order OES writes them; then the
 * event's call for speakers (a list of at most one record, as every part), which OES's export leaves out.
 */
const PART_TABLES = {
  microlocations,
  sessions,
  speakers,
  tracks,
  session_types: sessionTypes,
  tickets,
  sponsors,
  speakers_calls: speakersCalls,
  // OES's name for the custom form fields' file.
  forms: customForms,
} as const;

export type ArchivePart = keyof typeof PART_TABLES;
export const ARCHIVE_PARTS = Object.keys(PART_TABLES) as ArchivePart[];

/**
 * Columns that say nothing about the event itself: soft deletion (deleted rows are not exported), the
 * cache keys of feeds and exports, and the sold count, which belongs to the orders (not exported: they
 * are sales and personal data) and would mean tickets sold to nobody in a copy of the event.
 */
const LEFT_OUT = new Set(['deleted_at', 'schedule_version', 'schedule_updated_at', 'sold_count']);

const BATCH_SIZE = 500;

type Table = (typeof PART_TABLES)[ArchivePart] | typeof events | typeof socialLinks;

/** Column property name → database name, for one table, without the columns left out. */
function exportedColumns(table: Table): [property: string, name: string][] {
  return Object.entries(getTableColumns(table))
    .map(([property, column]) => [property, column.name] as [string, string])
    .filter(([, name]) => !LEFT_OUT.has(name));
}

const columnsOf = new Map<Table, [string, string][]>();

/** A row as a record: database names, instants as ISO 8601 in UTC (as OES writes them, `+00:00`). */
function toRecord(table: Table, row: Record<string, unknown>): ArchiveRecord {
  let columns = columnsOf.get(table);
  if (!columns) columnsOf.set(table, (columns = exportedColumns(table)));
  const record: ArchiveRecord = {};
  for (const [property, name] of columns) {
    const value = row[property];
    record[name] = value instanceof Date ? value.toISOString().replace(/(\.000)?Z$/, '+00:00') : value;
  }
  return record;
}

/** The event's record, with its alive social links under `social_links`, where OES's importer reads them. */
export async function archivedEvent(db: Queryable, event: Event): Promise<ArchiveRecord> {
  const links = await db
    .select()
    .from(socialLinks)
    .where(and(eq(socialLinks.eventId, event.id), isNull(socialLinks.deletedAt)))
    .orderBy(asc(socialLinks.id));
  return { ...toRecord(events, event as unknown as Record<string, unknown>), social_links: links.map((row) => toRecord(socialLinks, row)) };
}

// Every part's table has these columns; drizzle cannot type a select over a union of tables, so the rows
// are read through one of them and converted by the real table's columns.
function alive(table: Table, eventId: number) {
  const t = table as typeof tracks;
  return and(eq(t.eventId, eventId), isNull(t.deletedAt));
}

/** How many records the archive holds: the event and every alive row of its parts. */
export async function countArchived(db: Queryable, eventId: number): Promise<number> {
  const counts = await Promise.all(
    ARCHIVE_PARTS.map(async (part) => {
      const table = PART_TABLES[part] as typeof tracks;
      const [row] = await db.select({ n: count() }).from(table).where(alive(table, eventId));
      return row!.n;
    }),
  );
  return 1 + counts.reduce((a, b) => a + b, 0);
}

/** The ids of the alive sessions each speaker speaks at, ascending (OES keeps them in `speakers[].sessions`). */
async function sessionsOfSpeakers(db: Queryable, speakerIds: number[]): Promise<Map<number, number[]>> {
  const rows = await db
    .select({ speakerId: sessionSpeakers.speakerId, sessionId: sessionSpeakers.sessionId })
    .from(sessionSpeakers)
    .innerJoin(sessions, eq(sessions.id, sessionSpeakers.sessionId))
    .where(and(inArray(sessionSpeakers.speakerId, speakerIds), isNull(sessions.deletedAt)))
    .orderBy(asc(sessionSpeakers.speakerId), asc(sessionSpeakers.sessionId));
  const bySpeaker = new Map<number, number[]>();
  for (const row of rows) {
    const list = bySpeaker.get(row.speakerId) ?? [];
    list.push(row.sessionId);
    bySpeaker.set(row.speakerId, list);
  }
  return bySpeaker;
}

/** One part's alive rows as records, by id, a batch at a time. */
export async function* archivedRows(db: Queryable, eventId: number, part: ArchivePart): AsyncGenerator<ArchiveRecord[]> {
  const table = PART_TABLES[part];
  const t = table as typeof tracks;
  const batches = keysetBatches(
    (after: number | null, limit) =>
      db
        .select()
        .from(t)
        .where(and(alive(table, eventId), after === null ? undefined : gt(t.id, after)))
        .orderBy(asc(t.id))
        .limit(limit) as unknown as Promise<Record<string, unknown>[]>,
    (row) => row.id as number,
    BATCH_SIZE,
  );
  for await (const rows of batches) {
    const records = rows.map((row) => toRecord(table, row));
    if (part === 'speakers') {
      const links = await sessionsOfSpeakers(db, records.map((record) => record.id as number));
      for (const record of records) record.sessions = links.get(record.id as number) ?? [];
    }
    yield records;
  }
}
