// OES's whole-event zip (import/event-archive.ts) written into openevent: a new event owned by the importing
// user (`POST /v1/events/import/json`), or the records added to an event (`POST /v1/events/{ev}/import/json`),
// in one transaction, so the event is seen whole or not at all. Records are read by their database names, as
// the export writes them (domain/event-archive.ts): every column the table has is taken, bookkeeping (ids,
// times of creation and change, soft deletion, sold counts, links to users of the other server) is not, and
// keys the table does not have are listed in the summary. Ids inside the archive (a session's track, room and
// type, a speaker's sessions) are mapped to the new records' ids.
//
// Records keep where they came from, so the same zip imported again updates instead of adding: rooms, tracks,
// types, speakers and sessions carry `oes:<the archive event's identifier>:<file>:<id>` as their source id;
// sponsors and social links are matched by name, form fields by form and field, tickets by name (skipped: an
// import never changes what is on sale). Sessions of that archive missing from it are withdrawn, as the
// schedule formats do. A zip of the event itself (its identifier) matches its records by their own ids.
import { isDeepStrictEqual } from 'node:util';
import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { Column } from 'drizzle-orm';
import type { Database, Transaction } from '../db/connection.ts';
import {
  customForms,
  eventRoles,
  events,
  microlocations,
  SESSION_STATES,
  sessionSpeakers,
  sessionTypes,
  sessions,
  socialLinks,
  speakers,
  sponsors,
  TICKET_TYPES,
  tickets,
  speakersCalls,
  tracks,
} from '../db/schema/index.ts';
import { checkSessionCount, ImportError } from '../import/model.ts';
import { ARCHIVE_LISTS, type ArchiveList, type ArchiveRecord, type EventArchive } from '../import/event-archive.ts';
import type { Event } from './access.ts';
import { addDefaultAttendeeFields, builtInName, FORMS } from './custom-forms.ts';
import { checkClassification } from './event-classification.ts';
import { checkEventValues, keptValues, newIdentifier } from './events.ts';
import { DomainError } from './errors.ts';
import { ARCHIVE_SOURCE, withdrawSessions, type Counts, type ImportSummary } from './schedule-import.ts';
import { touchSchedule } from './schedule-version.ts';
import type { User } from './users.ts';

export interface ArchiveImportSummary extends ImportSummary {
  /** The event's own attributes: taken for a new event, kept as they are when importing into an event. */
  event: 'created' | 'kept';
  sponsors: Counts;
  socialLinks: Counts;
  forms: Counts;
  tickets: Counts;
  speakersCalls: Counts;
  /** Keys of the archive's records that openevent has no column for, as `file.key`. */
  ignoredKeys: string[];
}

type Table =
  | typeof events
  | typeof tracks
  | typeof microlocations
  | typeof sessionTypes
  | typeof speakers
  | typeof sessions
  | typeof sponsors
  | typeof socialLinks
  | typeof customForms
  | typeof tickets
  | typeof speakersCalls;

const TABLES: Record<ArchiveList, Table> = {
  social_links: socialLinks,
  forms: customForms,
  microlocations,
  sponsors,
  tracks,
  session_types: sessionTypes,
  speakers,
  sessions,
  tickets,
  speakers_calls: speakersCalls,
};

/** Not taken from the archive: the other server's ids, users and bookkeeping; an import's own identity. */
const NOT_TAKEN = new Set([
  'id', 'event_id', 'identifier', 'created_at', 'updated_at', 'deleted_at', 'last_modified_at', 'sequence', 'schedule_version',
  'schedule_updated_at', 'sold_count', 'source_id', 'creator_id', 'user_id', 'group_id',
]);
/** Handled apart: references to other records of the archive, and keys of other files. */
const REFERENCES: Partial<Record<ArchiveList | 'event', string[]>> = {
  sessions: ['track_id', 'microlocation_id', 'session_type_id', 'track', 'microlocation', 'session_type'],
  speakers: ['sessions'],
  event: ['social_links', 'event_type_id', 'event_topic_id', 'event_sub_topic_id'],
};

/** The lists whose records carry the archive's identity in `source_id`. */
const IDENTIFIED = new Set<ArchiveList>(['microlocations', 'tracks', 'session_types', 'speakers', 'sessions']);
/** The lists matched by name: an event has one sponsor or social link of a name. */
const BY_NAME = new Set<ArchiveList>(['sponsors', 'social_links']);

/** Rows written per INSERT. */
const BATCH = 500;

class DryRun extends Error {
  readonly summary: ArchiveImportSummary;
  constructor(summary: ArchiveImportSummary) {
    super('dry run');
    this.summary = summary;
  }
}

const counts = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });

function what(file: string, record: ArchiveRecord): string {
  return record.id === undefined ? file : `${file}, record ${JSON.stringify(record.id)}`;
}

/** A record as the table's insert values: each column converted and checked; unknown keys noted. */
function valuesOf(table: Table, file: ArchiveList | 'event', record: ArchiveRecord, ignored: Set<string>): Record<string, unknown> {
  const columns = new Map<string, [string, Column]>();
  for (const [property, column] of Object.entries(getTableColumns(table)) as [string, Column][]) columns.set(column.name, [property, column]);
  const skip = new Set(REFERENCES[file] ?? []);
  checkChoices(file, record);
  const values: Record<string, unknown> = {};
  const wrong = (key: string, expected: string) =>
    new ImportError(`${what(file, record)}: "${key}" should be ${expected}, not ${JSON.stringify(record[key])?.slice(0, 60)}`);
  for (const [key, value] of Object.entries(record)) {
    if (NOT_TAKEN.has(key) || skip.has(key)) continue;
    const found = columns.get(key);
    if (!found) {
      ignored.add(`${file}.${key}`);
      continue;
    }
    const [property, column] = found;
    if (value === null || value === undefined) {
      // A required column left empty keeps its default; without one the record is refused below.
      if (!column.notNull) values[property] = null;
      continue;
    }
    switch (column.dataType) {
      case 'date': {
        const date = typeof value === 'string' ? new Date(value) : null;
        if (!date || Number.isNaN(date.getTime())) throw wrong(key, 'a date and time');
        values[property] = date;
        break;
      }
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong(key, 'a number');
        if (column.columnType !== 'PgDoublePrecision' && !Number.isInteger(value)) throw wrong(key, 'a whole number');
        values[property] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw wrong(key, 'true or false');
        values[property] = value;
        break;
      case 'string':
        if (typeof value !== 'string' && typeof value !== 'number') throw wrong(key, 'text');
        values[property] = String(value);
        break;
      default:
        values[property] = value;
    }
  }
  for (const [name, [property, column]] of columns) {
    if (column.notNull && !column.hasDefault && values[property] === undefined && !NOT_TAKEN.has(name) && !skip.has(name)) {
      throw new ImportError(`${what(file, record)}: "${name}" is missing`);
    }
  }
  return values;
}

/** Values openevent takes only from a list (its API's rules), checked before anything is written. */
const ONE_OF: Partial<Record<ArchiveList | 'event', Record<string, readonly string[]>>> = {
  event: { privacy: ['public', 'private'], state: ['draft', 'published'] },
  sessions: { state: SESSION_STATES },
  forms: { form: FORMS },
  tickets: { type: TICKET_TYPES },
};

function checkChoices(file: ArchiveList | 'event', record: ArchiveRecord): void {
  for (const [key, allowed] of Object.entries(ONE_OF[file] ?? {})) {
    const value = record[key];
    if (value !== undefined && value !== null && !allowed.includes(value as string)) {
      throw new ImportError(`${what(file, record)}: "${key}" should be one of ${allowed.join(', ')}, not ${JSON.stringify(value)?.slice(0, 60)}`);
    }
  }
}

/** A database refusal (bad value, broken constraint) of a record: the import's fault, said as such. */
function databaseRefusal(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause ?? (error as { code?: unknown; message?: unknown });
  const code = typeof cause?.code === 'string' ? cause.code : '';
  return /^2[23]/.test(code) ? String(cause.message) : null;
}

export interface ArchiveImportOptions {
  dryRun?: boolean;
  onProgress?(done: number, total: number): void | Promise<void>;
}

/**
 * Writes the archive: into `target` when given (its own attributes stay; `user`, if any, creates its sessions),
 * else into a new event owned by `user`. Returns the summary and the event's id (null for a dry run of a new event).
 */
export async function importEventArchive(
  db: Database,
  archive: EventArchive,
  user: User | null,
  target: Event | null,
  options: ArchiveImportOptions = {},
): Promise<{ summary: ArchiveImportSummary; eventId: number | null }> {
  const summary: ArchiveImportSummary = {
    dryRun: !!options.dryRun,
    format: 'event-json',
    event: target ? 'kept' : 'created',
    sessions: { ...counts(), withdrawn: 0 },
    tracks: counts(),
    rooms: counts(),
    types: counts(),
    speakers: counts(),
    sponsors: counts(),
    socialLinks: counts(),
    forms: counts(),
    tickets: counts(),
    speakersCalls: counts(),
    skipped: [...archive.skipped],
    ignoredKeys: [],
  };
  const note = (where: string, reason: string) => summary.skipped.push({ where, reason });
  for (const list of archive.missing) if (list !== 'tickets' && list !== 'social_links' && list !== 'speakers_calls') note(list, 'the zip archive has no such file; nothing of it was imported');
  if (target) note('event', "the event's own attributes are kept; the archive's records were added to it, or updated where an earlier import of this archive brought them");
  const source = archiveSource(archive.event);
  if (!source) note('event', 'the archive\'s event has no identifier: its records carry no identity, so importing it again adds them again');
  const tally: Record<ArchiveList, Counts> = {
    social_links: summary.socialLinks,
    forms: summary.forms,
    microlocations: summary.rooms,
    sponsors: summary.sponsors,
    tracks: summary.tracks,
    session_types: summary.types,
    speakers: summary.speakers,
    sessions: summary.sessions,
    tickets: summary.tickets,
    speakers_calls: summary.speakersCalls,
  };
  checkSessionCount(archive.lists.sessions.length);
  const total = 1 + ARCHIVE_LISTS.reduce((n, list) => n + archive.lists[list].length, 0);
  const ignored = new Set<string>();
  let current = 'event';

  const run = async (tx: Transaction): Promise<number> => {
    if (!target && !user) throw new ImportError('A new event needs an owner');
    const eventId = target ? target.id : await createArchivedEvent(tx, archive.event, user!, ignored, note);
    const ids: Partial<Record<ArchiveList, Map<unknown, number>>> = {};
    const speakerSessions: { speakerId: number; sessions: unknown[]; where: string }[] = [];
    // Rows an earlier import of this archive brought (or, for the event's own zip, the rows themselves).
    const earlier = target ? await earlierRecords(tx, eventId, source, archive.event.identifier === target.identifier) : null;
    const matchedSpeakers: number[] = [];
    const now = new Date();

    // An event's form fields are one per form, field and form id: a field the event has is updated in place.
    const formKey = (f: { form: unknown; fieldIdentifier: unknown; formId: unknown }) => JSON.stringify([f.form, f.fieldIdentifier, f.formId ?? null]);
    const existingForms = new Map<string, number>();
    const ticketNames = new Set<string>();
    let hasCall = false;
    if (target) {
      const [call] = await tx.select({ id: speakersCalls.id }).from(speakersCalls).where(and(eq(speakersCalls.eventId, eventId), isNull(speakersCalls.deletedAt)));
      hasCall = call !== undefined;
      const rows = await tx
        .select({ id: customForms.id, form: customForms.form, fieldIdentifier: customForms.fieldIdentifier, formId: customForms.formId })
        .from(customForms)
        .where(and(eq(customForms.eventId, eventId), isNull(customForms.deletedAt)));
      for (const row of rows) existingForms.set(formKey(row), row.id);
      const names = await tx.select({ name: tickets.name }).from(tickets).where(and(eq(tickets.eventId, eventId), isNull(tickets.deletedAt)));
      for (const row of names) ticketNames.add(row.name);
    }

    for (const list of ARCHIVE_LISTS) {
      const table = TABLES[list];
      const map = new Map<unknown, number>();
      ids[list] = map;
      const rows: { record: ArchiveRecord; values: Record<string, unknown> }[] = [];
      for (let record of archive.lists[list]) {
        current = what(list, record);
        // OES's older zips carry form fields without their name: a built-in field's is OES's, else its identifier.
        if (list === 'forms' && (record.name === undefined || record.name === null) && typeof record.field_identifier === 'string') {
          record = { ...record, name: builtInName(String(record.form), record.field_identifier) ?? record.field_identifier };
        }
        const values = valuesOf(table, list, record, ignored);
        values.eventId = eventId;
        if (source && IDENTIFIED.has(list) && record.id !== undefined && record.id !== null) values.sourceId = `${source}:${list}:${String(record.id)}`;
        if (list === 'sessions') {
          // openevent and OES's export write `track_id`; OES's importer reads `track` (an id or `{id}`): both are taken.
          const refer = (key: string, to: ArchiveList) => {
            const alias = record[key.replace(/_id$/, '')];
            const old = record[key] ?? (alias !== null && typeof alias === 'object' ? (alias as { id?: unknown }).id : alias);
            if (old === null || old === undefined) return null;
            const id = ids[to]!.get(old);
            if (id === undefined) note(current, `its ${key} ${JSON.stringify(old)} is no record of "${to}" in the archive; left empty`);
            return id ?? null;
          };
          values.trackId = refer('track_id', 'tracks');
          values.microlocationId = refer('microlocation_id', 'microlocations');
          values.sessionTypeId = refer('session_type_id', 'session_types');
          values.creatorId = user?.id ?? null;
        }
        if (list === 'tickets' && target && ((values.priceMinor as number) > 0 || (values.minPriceMinor as number) > 0) && target.paymentCurrency !== archive.event.payment_currency) {
          // Prices are minor units of the event's currency: in another currency they would mean other amounts.
          note(current, `its price is in ${String(archive.event.payment_currency ?? 'no currency')}, the event's currency is ${target.paymentCurrency ?? 'not set'}; not imported`);
          continue;
        }
        if (list === 'tickets' && ticketNames.has(values.name as string)) {
          note(current, `the event already has a ticket named "${String(values.name)}"; not imported`);
          continue;
        }
        if (list === 'speakers_calls' && (hasCall || rows.length > 0)) {
          // An event has one call for speakers: the event's own (or the archive's first) stays.
          note(current, 'the event already has a call for speakers; not imported');
          continue;
        }
        if (list === 'forms') {
          const existing = existingForms.get(formKey(values as { form: unknown; fieldIdentifier: unknown; formId: unknown }));
          if (existing !== undefined) {
            await tx.update(customForms).set({ ...values, updatedAt: new Date() }).where(eq(customForms.id, existing));
            tally.forms.updated++;
            continue;
          }
        }
        const match = earlier?.find(list, record, values);
        if (match) {
          if (record.id !== undefined && record.id !== null) map.set(record.id, match.id);
          if (list === 'speakers') {
            matchedSpeakers.push(match.id);
            if (Array.isArray(record.sessions)) speakerSessions.push({ speakerId: match.id, sessions: record.sessions, where: current });
          }
          const changes = changedValues(match.row, values);
          if (match.row.deletedAt) changes.deletedAt = null;
          if (Object.keys(changes).length === 0) {
            tally[list].unchanged++;
            continue;
          }
          const t = table as typeof tracks;
          // A changed session is a new version of it for calendars (SEQUENCE), as in the schedule formats' import.
          const bump = list === 'sessions' ? { sequence: sql`${sessions.sequence} + 1`, lastModifiedAt: now } : {};
          await tx.update(t).set({ ...changes, ...bump, updatedAt: now } as Partial<typeof tracks.$inferInsert>).where(eq(t.id, match.id));
          tally[list].updated++;
          continue;
        }
        rows.push({ record, values });
      }
      // One INSERT a batch; RETURNING gives the rows in the order of the VALUES list.
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        current = `${list}, records ${JSON.stringify(batch[0]!.record.id)}…${JSON.stringify(batch.at(-1)!.record.id)}`;
        const t = table as typeof tracks;
        const created = (await tx
          .insert(t)
          .values(batch.map((row) => row.values) as (typeof tracks.$inferInsert)[])
          .returning({ id: t.id })) as { id: number }[];
        created.forEach(({ id }, k) => {
          const record = batch[k]!.record;
          if (record.id !== undefined && record.id !== null) map.set(record.id, id);
          if (list === 'speakers' && Array.isArray(record.sessions)) speakerSessions.push({ speakerId: id, sessions: record.sessions, where: what(list, record) });
        });
        tally[list].created += created.length;
      }
    }

    current = 'speakers: their sessions';
    const links = new Map<string, { sessionId: number; speakerId: number }>();
    for (const s of speakerSessions) {
      for (const old of s.sessions) {
        const sessionId = ids.sessions!.get(old);
        if (sessionId === undefined) {
          note(s.where, `its session ${JSON.stringify(old)} is not in the archive; not linked`);
          continue;
        }
        links.set(`${sessionId}:${s.speakerId}`, { sessionId, speakerId: s.speakerId });
      }
    }
    // A speaker the archive brought before is linked to the sessions the archive says now (links to the
    // event's other sessions stay).
    const archiveSessions = [...ids.sessions!.values()];
    for (let i = 0; i < matchedSpeakers.length && archiveSessions.length > 0; i += 5000) {
      await tx
        .delete(sessionSpeakers)
        .where(and(inArray(sessionSpeakers.speakerId, matchedSpeakers.slice(i, i + 5000)), inArray(sessionSpeakers.sessionId, archiveSessions)));
    }
    const linkList = [...links.values()];
    for (let i = 0; i < linkList.length; i += 2000) await tx.insert(sessionSpeakers).values(linkList.slice(i, i + 2000)).onConflictDoNothing();

    // Sessions an earlier import of this archive brought that it no longer has: withdrawn, kept for the record.
    if (earlier) {
      const kept = new Set(archiveSessions);
      const vanished = earlier.sessions.filter((row) => !kept.has(row.id) && !row.deletedAt && row.state !== 'withdrawn').map((row) => row.id);
      await withdrawSessions(tx, vanished, now);
      summary.sessions.withdrawn = vanished.length;
    }

    if (!target && !archive.lists.forms.some((f) => f.form === 'attendee')) await addDefaultAttendeeFields(tx, eventId);
    await touchSchedule(tx, eventId);
    summary.ignoredKeys = [...ignored].sort();
    if (options.dryRun) throw new DryRun(summary);
    return eventId;
  };

  await options.onProgress?.(0, total);
  let eventId: number;
  try {
    eventId = await db.transaction(run);
  } catch (error) {
    if (error instanceof DryRun) {
      await options.onProgress?.(total, total);
      return { summary: error.summary, eventId: target?.id ?? null };
    }
    if (error instanceof ImportError) throw error;
    if (error instanceof DomainError) throw new ImportError(`${current}: ${error.message}`);
    const refusal = databaseRefusal(error);
    if (refusal) throw new ImportError(`${current}: the record is refused: ${refusal}`);
    throw error;
  }
  await options.onProgress?.(total, total);
  return { summary, eventId };
}

/** The archive's event as a new event owned by `user`, with a fresh identifier. */
async function createArchivedEvent(
  tx: Transaction,
  record: ArchiveRecord,
  user: User,
  ignored: Set<string>,
  note: (where: string, reason: string) => void,
): Promise<number> {
  const values = keptValues(valuesOf(events, 'event', record, ignored) as typeof events.$inferInsert, user.isAdmin);
  checkEventValues(values);
  // The classification is the other server's list: kept where this server has the same entry.
  for (const [key, property] of [
    ['event_type_id', 'eventTypeId'],
    ['event_topic_id', 'eventTopicId'],
    ['event_sub_topic_id', 'eventSubTopicId'],
  ] as const) {
    const id = record[key];
    if (id === null || id === undefined) continue;
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new ImportError(`event: "${key}" should be a whole number`);
    try {
      await checkClassification(tx, { [property]: id });
      values[property] = id;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      note('event', `its ${key} ${id} is not one of this server's; left empty`);
    }
  }
  for (let attempt = 0; ; attempt++) {
    const [created] = await tx
      .insert(events)
      .values({ ...values, identifier: newIdentifier() })
      .onConflictDoNothing()
      .returning({ id: events.id });
    if (created) {
      await tx.insert(eventRoles).values({ userId: user.id, eventId: created.id, roleName: 'owner' });
      return created.id;
    }
    if (attempt >= 5) throw new Error('could not find a free event identifier');
  }
}

/** `oes:<identifier>` of the archive's event, the prefix of its records' source ids; null without an identifier. */
function archiveSource(event: ArchiveRecord): string | null {
  const identifier = event.identifier;
  if ((typeof identifier !== 'string' && typeof identifier !== 'number') || String(identifier).trim() === '') return null;
  return `${ARCHIVE_SOURCE}${String(identifier)}`;
}

type Row = Record<string, unknown> & { id: number; deletedAt?: Date | null };
interface Match {
  id: number;
  row: Row;
}

/**
 * The event's rows an earlier import of this archive brought, found by source id (or, for a zip of the event
 * itself, by their own ids), and its sponsors and social links by name.
 */
async function earlierRecords(tx: Transaction, eventId: number, source: string | null, ownZip: boolean) {
  const bySource = new Map<string, Row>();
  const byId = new Map<string, Map<number, Row>>();
  const byName = new Map<string, Map<string, Row>>();
  let archiveSessions: Row[] = [];
  for (const list of IDENTIFIED) {
    const table = TABLES[list] as typeof tracks;
    if (source) {
      const prefix = `${source}:${list}:`;
      const rows = (await tx
        .select()
        .from(table)
        .where(and(eq(table.eventId, eventId), sql`left(${table.sourceId}, ${prefix.length}) = ${prefix}`))) as Row[];
      for (const row of rows) bySource.set(row.sourceId as string, row);
      if (list === 'sessions') archiveSessions = rows;
    }
    if (ownZip) {
      const rows = (await tx.select().from(table).where(eq(table.eventId, eventId))) as Row[];
      byId.set(list, new Map(rows.map((row) => [row.id, row])));
    }
  }
  for (const list of BY_NAME) {
    const table = TABLES[list] as typeof sponsors;
    const rows = (await tx.select().from(table).where(and(eq(table.eventId, eventId), isNull(table.deletedAt)))) as Row[];
    const names = new Map<string, Row>();
    for (const row of rows) if (!names.has(row.name as string)) names.set(row.name as string, row);
    byName.set(list, names);
  }
  return {
    /** Sessions that came from this archive before: the ones it no longer has are withdrawn. */
    sessions: archiveSessions,
    find(list: ArchiveList, record: ArchiveRecord, values: Record<string, unknown>): Match | null {
      let row: Row | undefined;
      if (IDENTIFIED.has(list)) {
        row = typeof values.sourceId === 'string' ? bySource.get(values.sourceId) : undefined;
        if (!row && typeof record.id === 'number') row = byId.get(list)?.get(record.id);
      } else if (BY_NAME.has(list)) {
        const names = byName.get(list)!;
        row = names.get(values.name as string);
        // Two records of one name in the archive: the second is a record of its own.
        names.delete(values.name as string);
      }
      return row ? { id: row.id, row } : null;
    },
  };
}

/** What an update changes in a row the archive brought before: its values that differ, bookkeeping aside. */
function changedValues(row: Row, values: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'eventId' || key === 'sourceId' || key === 'creatorId') continue;
    if (!isDeepStrictEqual(row[key] ?? null, value ?? null)) changes[key] = value;
  }
  return changes;
}
