// An event's published schedule as the calendar library's input model, for schedule exports and live
// feeds: the sessions stream in pages by (starts_at, id), so a 100,000-session export holds one page in
// memory at a time. The PRODID names this server's version, which the pure calendar library cannot read.
import { and, asc, count, eq, gt, gte, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { keysetBatches } from '../db/paging.ts';
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

async function speakersOf(db: Queryable, sessionIds: number[]): Promise<Map<number, CalendarSpeaker[]>> {
  const bySession = new Map<number, CalendarSpeaker[]>();
  if (sessionIds.length === 0) return bySession;
  const rows = await db
    .select({ sessionId: sessionSpeakers.sessionId, id: speakers.id, name: speakers.name })
    .from(sessionSpeakers)
    .innerJoin(speakers, eq(speakers.id, sessionSpeakers.speakerId))
    .where(and(inArray(sessionSpeakers.sessionId, sessionIds), isNull(speakers.deletedAt)))
    .orderBy(asc(speakers.name), asc(speakers.id));
  for (const row of rows) {
    const list = bySession.get(row.sessionId) ?? [];
    list.push({ id: row.id, name: row.name });
    bySession.set(row.sessionId, list);
  }
  return bySession;
}

type Cursor = { startsAt: Date; id: number };

function fetchPage(db: Queryable, eventId: number, filter: ScheduleFilter, after: Cursor | null, limit: number) {
  return db
    .select({
      session: sessions,
      track: { id: tracks.id, name: tracks.name, color: tracks.color },
      room: { id: microlocations.id, name: microlocations.name },
      type: { id: sessionTypes.id, name: sessionTypes.name },
    })
    .from(sessions)
    .leftJoin(tracks, and(eq(tracks.id, sessions.trackId), isNull(tracks.deletedAt)))
    .leftJoin(microlocations, and(eq(microlocations.id, sessions.microlocationId), isNull(microlocations.deletedAt)))
    .leftJoin(sessionTypes, and(eq(sessionTypes.id, sessions.sessionTypeId), isNull(sessionTypes.deletedAt)))
    .where(
      and(
        exportedSessions(eventId, filter),
        // The plain >= lets the (event_id, starts_at) index skip what earlier pages read; the OR
        // then breaks ties between sessions that start together.
        after
          ? and(
              gte(sessions.startsAt, after.startsAt),
              or(gt(sessions.startsAt, after.startsAt), and(eq(sessions.startsAt, after.startsAt), gt(sessions.id, after.id))),
            )
          : undefined,
      ),
    )
    .orderBy(asc(sessions.startsAt), asc(sessions.id))
    .limit(limit);
}

/** The exported sessions in start order, a page at a time; `onPage` reports progress. */
export async function* streamSessions(
  db: Queryable,
  eventId: number,
  filter: ScheduleFilter = {},
  onPage?: (sessionsSoFar: number) => void | Promise<void>,
): AsyncGenerator<CalendarSession> {
  let seen = 0;
  const pages = keysetBatches(
    (after: Cursor | null, limit) => fetchPage(db, eventId, filter, after, limit),
    (row): Cursor => ({ startsAt: row.session.startsAt!, id: row.session.id }),
    PAGE_SIZE,
  );
  for await (const rows of pages) {
    const names = await speakersOf(db, rows.map((row) => row.session.id));
    for (const { session, track, room, type } of rows) {
      yield {
        id: session.id,
        title: session.title,
        subtitle: session.subtitle,
        shortAbstract: session.shortAbstract,
        longAbstract: session.longAbstract,
        language: session.language,
        level: session.level,
        state: session.state,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        deletedAt: session.deletedAt,
        createdAt: session.createdAt,
        lastModifiedAt: session.lastModifiedAt,
        sequence: session.sequence,
        slidesUrl: session.slidesUrl,
        videoUrl: session.videoUrl,
        audioUrl: session.audioUrl,
        track: track?.id != null ? track : null,
        room: room?.id != null ? room : null,
        sessionType: type?.id != null ? type : null,
        speakers: names.get(session.id) ?? [],
      };
    }
    seen += rows.length;
    await onPage?.(seen);
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
