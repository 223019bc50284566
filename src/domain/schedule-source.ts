// An event's published schedule as the calendar library's input model, for schedule exports and live
// feeds: the sessions stream in pages by (starts_at, id), so a 100,000-session export holds one page in
// memory at a time. The PRODID names this server's version, which the pure calendar library cannot read.
import { and, asc, count, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { events, microlocations, sessionSpeakers, sessionTypes, sessions, speakers, tracks } from '../db/schema/index.ts';
import type { CalendarEvent, CalendarInput, CalendarSession, CalendarSpeaker } from '../calendar/model.ts';
import { PUBLISHED_SESSION_STATES } from '../calendar/schedule.ts';
import { version } from '../version.ts';

type EventRow = typeof events.$inferSelect;

const PAGE_SIZE = 1000;

/** iCalendar PRODID: who made the file. */
export const PRODUCT_ID = `-//openevent//openevent ${version}//EN`;

/** Narrows a schedule to some tracks, rooms, speakers or sessions (feed filters). */
export interface ScheduleFilter {
  trackIds?: number[];
  roomIds?: number[];
  speakerIds?: number[];
  sessionIds?: number[];
}

export function calendarEvent(event: EventRow, publicUrl: string): CalendarEvent {
  return {
    id: event.id,
    identifier: event.identifier,
    name: event.name,
    timezone: event.timezone,
    description: event.description,
    locationName: event.locationName,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    logoUrl: event.logoUrl,
    url: `${publicUrl}/e/${event.identifier}`,
  };
}

/**
 * What an export may contain: published states, alive, with a time slot, and the filter. The
 * calendar library applies the same rule again (isExportable); filtering here keeps pages full.
 */
function exportedSessions(eventId: number, filter: ScheduleFilter): SQL {
  return and(
    eq(sessions.eventId, eventId),
    isNull(sessions.deletedAt),
    inArray(sessions.state, [...PUBLISHED_SESSION_STATES]),
    isNotNull(sessions.startsAt),
    isNotNull(sessions.endsAt),
    filter.trackIds ? inArray(sessions.trackId, filter.trackIds) : undefined,
    filter.roomIds ? inArray(sessions.microlocationId, filter.roomIds) : undefined,
    filter.sessionIds ? inArray(sessions.id, filter.sessionIds) : undefined,
    filter.speakerIds
      ? sql`EXISTS (SELECT 1 FROM ${sessionSpeakers} WHERE ${sessionSpeakers.sessionId} = ${sessions.id} AND ${inArray(sessionSpeakers.speakerId, filter.speakerIds)})`
      : undefined,
  )!;
}

export async function countExportedSessions(db: Queryable, eventId: number, filter: ScheduleFilter = {}): Promise<number> {
  const [row] = await db.select({ n: count() }).from(sessions).where(exportedSessions(eventId, filter));
  return row!.n;
}

/** Where the previous page ended: its last session's start, as PostgreSQL wrote it (exact to the microsecond). */
type Cursor = { startsAt: string; id: number };

/** A session row as the page query returns it: instants as epoch milliseconds, speakers added after. */
interface PageRow {
  id: number;
  title: string;
  subtitle: string | null;
  short_abstract: string | null;
  long_abstract: string | null;
  language: string | null;
  level: string | null;
  state: string;
  starts_at_key: string;
  starts_at: number;
  ends_at: number;
  created_at: number;
  last_modified_at: number;
  sequence: number;
  slides_url: string | null;
  video_url: string | null;
  audio_url: string | null;
  track_id: number | null;
  track_name: string | null;
  track_color: string | null;
  room_id: number | null;
  room_name: string | null;
  type_id: number | null;
  type_name: string | null;
}

interface SpeakerRow {
  session_id: number;
  id: number;
  name: string;
}

/**
 * Epoch milliseconds, rounded down as a timestamp parsed into a Date is: the rows come without any
 * timestamp parsing, and numbers are the cheapest thing to make a Date from.
 */
const epochMs = (column: SQL) => sql`floor(extract(epoch FROM ${column}) * 1000)::float8`;

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * One page of exported sessions with everything a calendar needs: the sessions with their track, room
 * and type, then the page's speakers by an index lookup on its ids. Raw SQL on purpose: this is the
 * export's hot path, and Drizzle's nested-object row mapping cost more than the queries (BENCHMARKS.md,
 * "Export path"). Kept to plain index lookups so that the plan stays good on tables not yet analyzed
 * (a freshly imported schedule): one statement with the speakers aggregated per page was planned as a
 * rescan per session there, seconds per page.
 */
async function fetchPage(
  db: Queryable,
  eventId: number,
  filter: ScheduleFilter,
  after: Cursor | null,
  limit: number,
): Promise<{ rows: PageRow[]; speakers: Map<number, CalendarSpeaker[]> }> {
  // The plain >= lets the (event_id, starts_at) index skip what earlier pages read; the OR then breaks
  // ties between sessions that start together.
  const afterCursor = after
    ? sql`${sessions.startsAt} >= ${after.startsAt}::timestamptz
          AND (${sessions.startsAt} > ${after.startsAt}::timestamptz OR (${sessions.startsAt} = ${after.startsAt}::timestamptz AND ${sessions.id} > ${after.id}))`
    : undefined;
  const rows = rowsOf<PageRow>(
    await db.execute(sql`
      SELECT ${sessions.id} AS id, ${sessions.title} AS title, ${sessions.subtitle} AS subtitle,
             ${sessions.shortAbstract} AS short_abstract, ${sessions.longAbstract} AS long_abstract,
             ${sessions.language} AS language, ${sessions.level} AS level, ${sessions.state} AS state,
             ${sessions.startsAt}::text AS starts_at_key,
             ${epochMs(sql`${sessions.startsAt}`)} AS starts_at, ${epochMs(sql`${sessions.endsAt}`)} AS ends_at,
             ${epochMs(sql`${sessions.createdAt}`)} AS created_at, ${epochMs(sql`${sessions.lastModifiedAt}`)} AS last_modified_at,
             ${sessions.sequence} AS sequence, ${sessions.slidesUrl} AS slides_url, ${sessions.videoUrl} AS video_url,
             ${sessions.audioUrl} AS audio_url,
             ${tracks.id} AS track_id, ${tracks.name} AS track_name, ${tracks.color} AS track_color,
             ${microlocations.id} AS room_id, ${microlocations.name} AS room_name,
             ${sessionTypes.id} AS type_id, ${sessionTypes.name} AS type_name
        FROM ${sessions}
        LEFT JOIN ${tracks} ON ${tracks.id} = ${sessions.trackId} AND ${tracks.deletedAt} IS NULL
        LEFT JOIN ${microlocations} ON ${microlocations.id} = ${sessions.microlocationId} AND ${microlocations.deletedAt} IS NULL
        LEFT JOIN ${sessionTypes} ON ${sessionTypes.id} = ${sessions.sessionTypeId} AND ${sessionTypes.deletedAt} IS NULL
       WHERE ${and(exportedSessions(eventId, filter), afterCursor)}
       ORDER BY ${sessions.startsAt}, ${sessions.id}
       LIMIT ${limit}`),
  );
  const speakersBySession = new Map<number, CalendarSpeaker[]>();
  if (rows.length === 0) return { rows, speakers: speakersBySession };
  const ids = `{${rows.map((row) => row.id).join(',')}}`;
  const speakerRows = rowsOf<SpeakerRow>(
    await db.execute(sql`
      SELECT ${sessionSpeakers.sessionId} AS session_id, ${speakers.id} AS id, ${speakers.name} AS name
        FROM ${sessionSpeakers}
        JOIN ${speakers} ON ${speakers.id} = ${sessionSpeakers.speakerId} AND ${speakers.deletedAt} IS NULL
       WHERE ${sessionSpeakers.sessionId} = ANY(${ids}::int[])
       ORDER BY ${speakers.name}, ${speakers.id}`),
  );
  for (const row of speakerRows) {
    const list = speakersBySession.get(row.session_id);
    if (list) list.push({ id: row.id, name: row.name });
    else speakersBySession.set(row.session_id, [{ id: row.id, name: row.name }]);
  }
  return { rows, speakers: speakersBySession };
}

function calendarSession(row: PageRow, speakerList: CalendarSpeaker[] | undefined): CalendarSession {
  return {
    id: row.id,
    title: row.title,
    subtitle: row.subtitle,
    shortAbstract: row.short_abstract,
    longAbstract: row.long_abstract,
    language: row.language,
    level: row.level,
    state: row.state as CalendarSession['state'],
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    deletedAt: null,
    createdAt: new Date(row.created_at),
    lastModifiedAt: new Date(row.last_modified_at),
    sequence: row.sequence,
    slidesUrl: row.slides_url,
    videoUrl: row.video_url,
    audioUrl: row.audio_url,
    track: row.track_id != null ? { id: row.track_id, name: row.track_name!, color: row.track_color } : null,
    room: row.room_id != null ? { id: row.room_id, name: row.room_name! } : null,
    sessionType: row.type_id != null ? { id: row.type_id, name: row.type_name! } : null,
    speakers: speakerList ?? [],
  };
}

/**
 * The exported sessions in start order, a page at a time; `onPage` reports progress. The next page is
 * asked for as soon as one arrives, so PostgreSQL reads it while this one is serialized: two pages in
 * memory at most.
 */
export async function* streamSessions(
  db: Queryable,
  eventId: number,
  filter: ScheduleFilter = {},
  onPage?: (sessionsSoFar: number) => void | Promise<void>,
): AsyncGenerator<CalendarSession> {
  const page = (after: Cursor | null) => {
    const rows = fetchPage(db, eventId, filter, after, PAGE_SIZE);
    // Handled when awaited below; this keeps a read left behind by a consumer that stopped early from
    // being an unhandled rejection.
    rows.catch(() => {});
    return rows;
  };
  let seen = 0;
  let next = page(null);
  for (;;) {
    const { rows, speakers: speakersBySession } = await next;
    const last = rows.at(-1);
    const more = rows.length === PAGE_SIZE;
    if (more) next = page({ startsAt: last!.starts_at_key, id: last!.id });
    for (const row of rows) yield calendarSession(row, speakersBySession.get(row.id));
    seen += rows.length;
    if (rows.length) await onPage?.(seen);
    if (!more) return;
  }
}

export interface SourceOptions {
  publicUrl: string;
  generatedAt?: Date;
  filter?: ScheduleFilter;
  refreshIntervalMinutes?: number;
  onPage?: (sessionsSoFar: number) => void | Promise<void>;
}

/** The calendar library's input for an event, its sessions read lazily as the serializer asks. */
export async function calendarInput(db: Queryable, event: EventRow, options: SourceOptions): Promise<CalendarInput> {
  const [trackRows, roomRows] = await Promise.all([
    db
      .select({ id: tracks.id, name: tracks.name, color: tracks.color })
      .from(tracks)
      .where(and(eq(tracks.eventId, event.id), isNull(tracks.deletedAt)))
      .orderBy(asc(tracks.position), asc(tracks.id)),
    db
      .select({ id: microlocations.id, name: microlocations.name })
      .from(microlocations)
      .where(and(eq(microlocations.eventId, event.id), isNull(microlocations.deletedAt)))
      .orderBy(asc(microlocations.position), asc(microlocations.id)),
  ]);
  return {
    event: calendarEvent(event, options.publicUrl),
    sessions: streamSessions(db, event.id, options.filter, options.onPage),
    tracks: trackRows,
    rooms: roomRows,
    generatedAt: options.generatedAt ?? new Date(),
    baseUrl: options.publicUrl,
    refreshIntervalMinutes: options.refreshIntervalMinutes,
    scheduleVersion: String(event.scheduleVersion),
    productId: PRODUCT_ID,
  };
}

/** A published, not deleted session: what `/v1/sessions/{id}.ics` serves (its event's visibility aside). */
export async function findPublishedSession(db: Queryable, id: number): Promise<{ id: number; eventId: number } | null> {
  const [session] = await db
    .select({ id: sessions.id, eventId: sessions.eventId })
    .from(sessions)
    .where(and(eq(sessions.id, id), isNull(sessions.deletedAt), inArray(sessions.state, [...PUBLISHED_SESSION_STATES])));
  return session ?? null;
}

/**
 * The filter with only ids of this event's tracks, rooms, speakers and sessions (deleted ones included,
 * as sessions may still name them): the same schedule as the filter given, so the same bytes, but a made-up
 * id no longer makes a filter of its own. A list left empty stays a filter that matches nothing.
 */
export async function normalizeFilter(db: Queryable, eventId: number, filter: ScheduleFilter): Promise<ScheduleFilter> {
  const keep = async (table: typeof tracks | typeof microlocations | typeof speakers | typeof sessions, ids: number[] | undefined) => {
    if (ids === undefined || ids.length === 0) return ids;
    const rows = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.eventId, eventId), inArray(table.id, ids)))
      .orderBy(asc(table.id));
    return rows.map((row) => row.id);
  };
  const [trackIds, roomIds, speakerIds, sessionIds] = await Promise.all([
    keep(tracks, filter.trackIds),
    keep(microlocations, filter.roomIds),
    keep(speakers, filter.speakerIds),
    keep(sessions, filter.sessionIds),
  ]);
  return { trackIds, roomIds, speakerIds, sessionIds };
}
