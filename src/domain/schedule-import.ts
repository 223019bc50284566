// Writes an imported schedule (src/import/model.ts) into an event: tracks, rooms, session types, speakers and
// sessions, all in one transaction, so an import is seen whole or not at all. Every record keeps its identity
// in the source (`source_id`: frab guid, iCalendar UID, or the name for tracks, rooms and types), so importing
// a newer version of the same schedule updates sessions in place (their SEQUENCE grows, as on any change),
// creates the new ones and withdraws, never deletes, the ones that disappeared. A dry run does all of it and
// rolls back, so its counts are exactly what a real run would do.
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/connection.ts';
import { microlocations, sessionSpeakers, sessionTypes, sessions, speakers, tracks } from '../db/schema/index.ts';
import type { ImportedSchedule, ImportedSession, Skipped } from '../import/model.ts';
import { touchSchedule } from './schedule-version.ts';

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  dryRun: boolean;
  format: string;
  sessions: Counts & { withdrawn: number };
  tracks: Counts;
  rooms: Counts;
  types: Counts;
  speakers: Counts;
  /** Entries not imported, with why: the parser's and the writer's. */
  skipped: Skipped[];
}

export interface ImportOptions {
  dryRun?: boolean;
  /** The user importing: creator of the new sessions. */
  creatorId?: number | null;
  /** Called as sessions are written: how many of how many. Inside the transaction it is not awaited. */
  onProgress?(done: number, total: number): void | Promise<void>;
}

/** Advisory lock namespace (pg_advisory_xact_lock(int, int)) of imports into one event. */
const IMPORT_LOCK = 0x6f65_0010;

/** Rows written per INSERT. */
const BATCH = 500;

class DryRun extends Error {
  readonly summary: ImportSummary;
  constructor(summary: ImportSummary) {
    super('dry run');
    this.summary = summary;
  }
}

/**
 * Sessions an earlier import brought that the source no longer has: withdrawn (a new SEQUENCE, so calendars
 * see the change), never deleted.
 */
export async function withdrawSessions(tx: Transaction, ids: number[], now: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    await tx
      .update(sessions)
      .set({ state: 'withdrawn', lastModifiedAt: now, sequence: sql`${sessions.sequence} + 1` })
      .where(inArray(sessions.id, ids.slice(i, i + 5000)));
  }
}

/** Source ids of the records an OES whole-event zip brought (domain/event-archive-import.ts). */
export const ARCHIVE_SOURCE = 'oes:';

export function isArchiveSource(sourceId: string | null): boolean {
  return sourceId !== null && sourceId.startsWith(ARCHIVE_SOURCE);
}

/**
 * A live row a schedule file may take by name: one the organizer made, or one an OES zip brought (which
 * keeps its zip identity, so the zip imported again still finds it).
 */
function adoptable(row: { sourceId: string | null; deletedAt: Date | null }): boolean {
  return !row.deletedAt && (!row.sourceId || isArchiveSource(row.sourceId));
}

const counts = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });

const groupKey = (name: string) => `name:${name.toLowerCase()}`;

type GroupTable = typeof tracks | typeof microlocations | typeof sessionTypes;

/**
 * The ids of the named tracks, rooms or types, by source id: a row imported before (revived if deleted since),
 * else a live row of the same name that the organizer made (adopted), else a new one.
 */
async function resolveGroups(
  tx: Transaction,
  table: GroupTable,
  eventId: number,
  wanted: Map<string, { name: string; color?: string | null }>,
  tally: Counts,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (wanted.size === 0) return ids;
  const rows = await tx
    .select({
      id: table.id,
      name: table.name,
      sourceId: table.sourceId,
      deletedAt: table.deletedAt,
      color: table === tracks ? tracks.color : sql<string | null>`NULL`,
    })
    .from(table)
    .where(eq(table.eventId, eventId));
  const bySource = new Map(rows.filter((r) => r.sourceId).map((r) => [r.sourceId!, r]));
  const byName = new Map(rows.filter((r) => adoptable(r)).map((r) => [groupKey(r.name), r]));
  let position = rows.length;
  for (const [key, want] of wanted) {
    const row = bySource.get(key) ?? byName.get(key);
    if (!row) {
      const [created] = await tx
        .insert(table)
        .values({ eventId, name: want.name, sourceId: key, position: position++, ...(table === tracks ? { color: want.color ?? null } : {}) })
        .returning({ id: table.id });
      ids.set(key, created!.id);
      tally.created++;
      continue;
    }
    ids.set(key, row.id);
    const changes: Record<string, unknown> = {};
    if (!row.sourceId) changes.sourceId = key;
    if (row.deletedAt) changes.deletedAt = null;
    if (row.name !== want.name) changes.name = want.name;
    if (table === tracks && want.color && row.color !== want.color) changes.color = want.color;
    if (Object.keys(changes).length === 0) {
      tally.unchanged++;
      continue;
    }
    await tx.update(table).set({ ...changes, updatedAt: new Date() }).where(eq(table.id, row.id));
    // Adopting an organizer's row of the same name is no change anyone sees.
    if (changes.deletedAt === null || changes.name || changes.color) tally.updated++;
    else tally.unchanged++;
  }
  return ids;
}

async function resolveSpeakers(
  tx: Transaction,
  eventId: number,
  wanted: Map<string, string>,
  tally: Counts,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (wanted.size === 0) return ids;
  const rows = await tx
    .select({ id: speakers.id, name: speakers.name, sourceId: speakers.sourceId, deletedAt: speakers.deletedAt })
    .from(speakers)
    .where(eq(speakers.eventId, eventId));
  const bySource = new Map(rows.filter((r) => r.sourceId).map((r) => [r.sourceId!, r]));
  const byName = new Map(rows.filter((r) => adoptable(r)).map((r) => [r.name.toLowerCase(), r]));
  const fresh: { sourceId: string; name: string }[] = [];
  for (const [sourceId, name] of wanted) {
    const row = bySource.get(sourceId) ?? byName.get(name.toLowerCase());
    if (!row) {
      fresh.push({ sourceId, name });
      continue;
    }
    byName.delete(row.name.toLowerCase());
    ids.set(sourceId, row.id);
    if (row.sourceId && !row.deletedAt && row.name === name) {
      tally.unchanged++;
      continue;
    }
    await tx
      .update(speakers)
      .set({ sourceId: isArchiveSource(row.sourceId) ? row.sourceId : sourceId, name, deletedAt: null, updatedAt: new Date() })
      .where(eq(speakers.id, row.id));
    if (row.deletedAt || row.name !== name) tally.updated++;
    else tally.unchanged++;
  }
  for (let i = 0; i < fresh.length; i += BATCH) {
    const created = await tx
      .insert(speakers)
      .values(fresh.slice(i, i + BATCH).map((s) => ({ eventId, name: s.name, sourceId: s.sourceId })))
      .returning({ id: speakers.id, sourceId: speakers.sourceId });
    for (const row of created) ids.set(row.sourceId!, row.id);
    tally.created += created.length;
  }
  return ids;
}

type SessionRow = typeof sessions.$inferSelect;

/** Sessions per INSERT or UPDATE (one JSON parameter each). */
const UPDATE_BATCH = 2000;

interface SessionUpdate {
  id: number;
  title: string;
  subtitle: string | null;
  shortAbstract: string | null;
  longAbstract: string | null;
  language: string | null;
  startsAt: Date;
  endsAt: Date;
  trackId: number | null;
  microlocationId: number | null;
  sessionTypeId: number | null;
  videoUrl: string | null;
  audioUrl: string | null;
  slidesUrl: string | null;
  state: string;
}

/** A session's imported values as the JSON records both batch statements read with jsonb_to_recordset. */
function sessionColumns(r: Omit<SessionUpdate, 'id'>) {
  return {
    title: r.title,
    subtitle: r.subtitle,
    short_abstract: r.shortAbstract,
    long_abstract: r.longAbstract,
    language: r.language,
    starts_at: r.startsAt.toISOString(),
    ends_at: r.endsAt.toISOString(),
    track_id: r.trackId,
    microlocation_id: r.microlocationId,
    session_type_id: r.sessionTypeId,
    video_url: r.videoUrl,
    audio_url: r.audioUrl,
    slides_url: r.slidesUrl,
    state: r.state,
  };
}

/** New sessions in one statement each batch; their ids by source id. */
async function insertSessions(
  tx: Transaction,
  eventId: number,
  rows: (Omit<SessionUpdate, 'id'> & { sourceId?: string | null })[],
  creatorId: number | null,
  now: Date,
): Promise<Map<string, number>> {
  const json = JSON.stringify(rows.map((r) => ({ source_id: r.sourceId, ...sessionColumns(r) })));
  const result = await tx.execute(sql`
    INSERT INTO sessions (event_id, creator_id, submitted_at, source_id, title, subtitle, short_abstract, long_abstract,
      language, starts_at, ends_at, track_id, microlocation_id, session_type_id, video_url, audio_url, slides_url, state)
    SELECT ${eventId}, ${creatorId}::integer, ${now.toISOString()}::timestamptz, v.source_id, v.title, v.subtitle,
      v.short_abstract, v.long_abstract, v.language, v.starts_at, v.ends_at, v.track_id, v.microlocation_id,
      v.session_type_id, v.video_url, v.audio_url, v.slides_url, v.state
    FROM jsonb_to_recordset(${json}::jsonb) AS v(
      source_id text, title text, subtitle text, short_abstract text, long_abstract text, language text,
      starts_at timestamptz, ends_at timestamptz, track_id integer, microlocation_id integer, session_type_id integer,
      video_url text, audio_url text, slides_url text, state text)
    RETURNING id, source_id`);
  // Both drivers answer with `rows` (node-postgres' result, PGlite's Results).
  const returned = (result as unknown as { rows: { id: number; source_id: string }[] }).rows;
  return new Map(returned.map((r) => [r.source_id, Number(r.id)]));
}

/** Changed sessions in one statement each batch: every value as imported, SEQUENCE and LAST-MODIFIED moved on. */
async function updateSessions(tx: Transaction, rows: SessionUpdate[], now: Date): Promise<void> {
  const json = JSON.stringify(rows.map((r) => ({ id: r.id, ...sessionColumns(r) })));
  await tx.execute(sql`
    UPDATE sessions AS s SET
      title = v.title, subtitle = v.subtitle, short_abstract = v.short_abstract, long_abstract = v.long_abstract,
      language = v.language, starts_at = v.starts_at, ends_at = v.ends_at, track_id = v.track_id,
      microlocation_id = v.microlocation_id, session_type_id = v.session_type_id, video_url = v.video_url,
      audio_url = v.audio_url, slides_url = v.slides_url, state = v.state,
      sequence = s.sequence + 1, last_modified_at = ${now.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${json}::jsonb) AS v(
      id integer, title text, subtitle text, short_abstract text, long_abstract text, language text,
      starts_at timestamptz, ends_at timestamptz, track_id integer, microlocation_id integer, session_type_id integer,
      video_url text, audio_url text, slides_url text, state text)
    WHERE s.id = v.id`);
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

export async function importSchedule(
  db: Database,
  eventId: number,
  schedule: ImportedSchedule,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    dryRun: !!options.dryRun,
    format: schedule.format,
    sessions: { ...counts(), withdrawn: 0 },
    tracks: counts(),
    rooms: counts(),
    types: counts(),
    speakers: counts(),
    skipped: [...schedule.skipped],
  };
  // One session per source identity: a second entry with the same guid or UID is skipped.
  const firstWhere = new Map<string, string>();
  const incoming: ImportedSession[] = [];
  for (const s of schedule.sessions) {
    const first = firstWhere.get(s.sourceId);
    if (first) {
      summary.skipped.push({ where: s.where, reason: `it has the same identity as ${first}` });
      continue;
    }
    firstWhere.set(s.sourceId, s.where);
    incoming.push(s);
  }

  const run = async (tx: Transaction) => {
    // Two imports into one event wait for each other: each sees the other's records.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK}, ${eventId})`);
    const trackWanted = new Map<string, { name: string; color?: string | null }>();
    for (const t of schedule.tracks) trackWanted.set(groupKey(t.name), { name: t.name, color: t.color });
    const roomWanted = new Map<string, { name: string }>();
    for (const r of schedule.rooms) roomWanted.set(groupKey(r), { name: r });
    const typeWanted = new Map<string, { name: string }>();
    const speakerWanted = new Map<string, string>();
    for (const s of incoming) {
      if (s.track && !trackWanted.has(groupKey(s.track))) trackWanted.set(groupKey(s.track), { name: s.track });
      if (s.room && !roomWanted.has(groupKey(s.room))) roomWanted.set(groupKey(s.room), { name: s.room });
      if (s.type && !typeWanted.has(groupKey(s.type))) typeWanted.set(groupKey(s.type), { name: s.type });
      for (const p of s.speakers) if (!speakerWanted.has(p.sourceId)) speakerWanted.set(p.sourceId, p.name);
    }
    // Rooms listed up front but used by no session of this file are created only when sessions use them.
    for (const key of [...roomWanted.keys()]) if (!incoming.some((s) => s.room && groupKey(s.room) === key)) roomWanted.delete(key);
    const trackIds = await resolveGroups(tx, tracks, eventId, trackWanted, summary.tracks);
    const roomIds = await resolveGroups(tx, microlocations, eventId, roomWanted, summary.rooms);
    const typeIds = await resolveGroups(tx, sessionTypes, eventId, typeWanted, summary.types);
    const speakerIds = await resolveSpeakers(tx, eventId, speakerWanted, summary.speakers);

    const existing = await tx.select().from(sessions).where(and(eq(sessions.eventId, eventId), isNotNull(sessions.sourceId)));
    const bySource = new Map(existing.map((row) => [row.sourceId!, row]));
    const existingSpeakers = new Map<number, number[]>();
    const existingIds = existing.map((row) => row.id);
    for (let i = 0; i < existingIds.length; i += 5000) {
      const links = await tx
        .select()
        .from(sessionSpeakers)
        .where(inArray(sessionSpeakers.sessionId, existingIds.slice(i, i + 5000)));
      for (const link of links) existingSpeakers.set(link.sessionId, [...(existingSpeakers.get(link.sessionId) ?? []), link.speakerId]);
    }

    const now = new Date();
    const fresh: { values: Omit<SessionUpdate, 'id'> & { sourceId: string }; speakers: number[] }[] = [];
    const relinks: { id: number; speakers: number[] }[] = [];
    const updates: SessionUpdate[] = [];
    let done = 0;
    for (const s of incoming) {
      const speakerList = [...new Set(s.speakers.map((p) => speakerIds.get(p.sourceId)!))];
      const row: SessionRow | undefined = bySource.get(s.sourceId);
      const values = {
        title: s.title,
        subtitle: s.subtitle,
        shortAbstract: s.abstract,
        longAbstract: s.description,
        language: s.language,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        trackId: s.track ? trackIds.get(groupKey(s.track))! : null,
        microlocationId: s.room ? roomIds.get(groupKey(s.room))! : null,
        sessionTypeId: s.type ? typeIds.get(groupKey(s.type))! : null,
        videoUrl: s.videoUrl,
        audioUrl: s.audioUrl,
        slidesUrl: s.slidesUrl,
      };
      if (!row) {
        fresh.push({
          values: { ...values, sourceId: s.sourceId, state: s.state },
          speakers: speakerList,
        });
      } else if (row.deletedAt) {
        summary.skipped.push({ where: s.where, reason: 'the session was deleted in this event after an earlier import; it is not brought back' });
      } else {
        // An organizer's confirmation stands when the source just says "accepted".
        const state = row.state === 'confirmed' && s.state === 'accepted' ? 'confirmed' : s.state;
        const changed: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(values) as [keyof typeof values, unknown][]) {
          const old = row[key] as unknown;
          const same = value instanceof Date || old instanceof Date ? sameTime(old as Date | null, value as Date | null) : old === value;
          if (!same) changed[key] = value;
        }
        if (row.state !== state) changed.state = state;
        const oldSpeakers = [...(existingSpeakers.get(row.id) ?? [])].sort((a, b) => a - b);
        const speakersChanged = oldSpeakers.join() !== [...speakerList].sort((a, b) => a - b).join();
        if (Object.keys(changed).length === 0 && !speakersChanged) summary.sessions.unchanged++;
        else {
          updates.push({ id: row.id, ...values, state });
          if (speakersChanged) relinks.push({ id: row.id, speakers: speakerList });
          summary.sessions.updated++;
        }
      }
      // Not awaited: on PGlite the one connection is this transaction's, and a progress write waits for its end.
      if (++done % BATCH === 0) void Promise.resolve(options.onProgress?.(done, incoming.length)).catch(() => {});
    }
    for (let i = 0; i < updates.length; i += UPDATE_BATCH) await updateSessions(tx, updates.slice(i, i + UPDATE_BATCH), now);
    for (let i = 0; i < fresh.length; i += UPDATE_BATCH) {
      const batch = fresh.slice(i, i + UPDATE_BATCH);
      const ids = await insertSessions(tx, eventId, batch.map((f) => f.values), options.creatorId ?? null, now);
      for (const f of batch) relinks.push({ id: ids.get(f.values.sourceId!)!, speakers: f.speakers });
      summary.sessions.created += batch.length;
    }
    const relinked = relinks.filter((r) => existingSpeakers.has(r.id)).map((r) => r.id);
    for (let i = 0; i < relinked.length; i += 5000) {
      await tx.delete(sessionSpeakers).where(inArray(sessionSpeakers.sessionId, relinked.slice(i, i + 5000)));
    }
    const links = relinks.flatMap((r) => r.speakers.map((speakerId) => ({ sessionId: r.id, speakerId })));
    for (let i = 0; i < links.length; i += 2000) await tx.insert(sessionSpeakers).values(links.slice(i, i + 2000));

    // Sessions an earlier import brought that this file no longer has: withdrawn, kept for the record.
    // An OES zip's sessions are the event's own records, not an earlier schedule file's: they stay.
    const vanished = existing
      .filter((row) => !firstWhere.has(row.sourceId!) && !isArchiveSource(row.sourceId) && !row.deletedAt && row.state !== 'withdrawn')
      .map((row) => row.id);
    await withdrawSessions(tx, vanished, now);
    summary.sessions.withdrawn = vanished.length;

    const g = [summary.tracks, summary.rooms, summary.types, summary.speakers, summary.sessions];
    if (g.some((c) => c.created || c.updated) || summary.sessions.withdrawn) await touchSchedule(tx, eventId);
    if (options.dryRun) throw new DryRun(summary);
  };

  await options.onProgress?.(0, incoming.length);
  try {
    await db.transaction(run);
  } catch (error) {
    if (error instanceof DryRun) {
      await options.onProgress?.(incoming.length, incoming.length);
      return error.summary;
    }
    throw error;
  }
  await options.onProgress?.(incoming.length, incoming.length);
  return summary;
}

/** What importing the schedule into a new, empty event would do: everything is created. */
export function summaryForNewEvent(schedule: ImportedSchedule, dryRun: boolean): ImportSummary {
  const seen = new Set<string>();
  const skipped = [...schedule.skipped];
  const sessionsKept: ImportedSession[] = [];
  for (const s of schedule.sessions) {
    if (seen.has(s.sourceId)) skipped.push({ where: s.where, reason: 'it has the same identity as an earlier entry' });
    else {
      seen.add(s.sourceId);
      sessionsKept.push(s);
    }
  }
  const distinct = (values: (string | null)[]) => new Set(values.filter((v): v is string => !!v).map(groupKey)).size;
  const created = (n: number): Counts => ({ created: n, updated: 0, unchanged: 0 });
  return {
    dryRun,
    format: schedule.format,
    sessions: { ...created(sessionsKept.length), withdrawn: 0 },
    tracks: created(distinct([...schedule.tracks.map((t) => t.name), ...sessionsKept.map((s) => s.track)])),
    rooms: created(distinct(sessionsKept.map((s) => s.room))),
    types: created(distinct(sessionsKept.map((s) => s.type))),
    speakers: created(new Set(sessionsKept.flatMap((s) => s.speakers.map((p) => p.sourceId))).size),
    skipped,
  };
}
