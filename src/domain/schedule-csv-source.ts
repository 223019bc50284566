// Reads sessions and speakers for the organizers' CSV exports, a page at a time by id. Unlike calendar
// exports these hold every state (or the one asked for) and the team-only fields: contact details and
// comments. Only organizers can start them.
import { and, asc, count, eq, exists, gt, inArray, isNull, not, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { keysetBatches } from '../db/paging.ts';
import { microlocations, sessionSpeakers, sessionTypes, sessions, speakers, tracks } from '../db/schema/index.ts';
import type { CsvSessionRow, CsvSpeakerRow } from '../calendar/csv.ts';

const PAGE_SIZE = 1000;

/** `all`, or one session state: which sessions a CSV export holds (OES's `status` body field). */
export type CsvStatus = string;
/** The speakers' CSV also takes OES's `without_session`: the speakers with no session at all. */
export const WITHOUT_SESSION = 'without_session';

function sessionsWhere(eventId: number, status: CsvStatus): SQL {
  return and(
    eq(sessions.eventId, eventId),
    isNull(sessions.deletedAt),
    status === 'all' ? undefined : eq(sessions.state, status as never),
  )!;
}

export async function countCsvSessions(db: Queryable, eventId: number, status: CsvStatus): Promise<number> {
  const [row] = await db.select({ n: count() }).from(sessions).where(sessionsWhere(eventId, status));
  return row!.n;
}

/**
 * The speakers a CSV export lists, as OES picks them: all of the event's, those with a session in the
 * state asked for, or (`without_session`) those with none.
 */
function speakersWhere(db: Queryable, eventId: number, status: CsvStatus): SQL {
  const live = and(eq(speakers.eventId, eventId), isNull(speakers.deletedAt));
  if (status === 'all') return live!;
  const theirSessions = (where: SQL | undefined) =>
    exists(
      db
        .select({ one: sessionSpeakers.speakerId })
        .from(sessionSpeakers)
        .innerJoin(sessions, eq(sessions.id, sessionSpeakers.sessionId))
        .where(and(eq(sessionSpeakers.speakerId, speakers.id), isNull(sessions.deletedAt), where)),
    );
  if (status === WITHOUT_SESSION) return and(live, not(theirSessions(undefined)))!;
  return and(live, theirSessions(eq(sessions.state, status as never)))!;
}

export async function countCsvSpeakers(db: Queryable, eventId: number, status: CsvStatus = 'all'): Promise<number> {
  const [row] = await db.select({ n: count() }).from(speakers).where(speakersWhere(db, eventId, status));
  return row!.n;
}

export async function* streamCsvSessions(
  db: Queryable,
  eventId: number,
  status: CsvStatus,
  onPage?: (done: number) => void | Promise<void>,
): AsyncGenerator<CsvSessionRow> {
  let done = 0;
  const pages = keysetBatches(
    (after: number | null, limit) =>
      db
        .select({ session: sessions, track: tracks.name, room: microlocations.name, type: sessionTypes.name })
        .from(sessions)
        .leftJoin(tracks, and(eq(tracks.id, sessions.trackId), isNull(tracks.deletedAt)))
        .leftJoin(microlocations, and(eq(microlocations.id, sessions.microlocationId), isNull(microlocations.deletedAt)))
        .leftJoin(sessionTypes, and(eq(sessionTypes.id, sessions.sessionTypeId), isNull(sessionTypes.deletedAt)))
        .where(and(sessionsWhere(eventId, status), gt(sessions.id, after ?? 0)))
        .orderBy(asc(sessions.id))
        .limit(limit),
    (row) => row.session.id,
    PAGE_SIZE,
  );
  for await (const rows of pages) {
    const people = await db
      .select({ sessionId: sessionSpeakers.sessionId, name: speakers.name, email: speakers.email })
      .from(sessionSpeakers)
      .innerJoin(speakers, eq(speakers.id, sessionSpeakers.speakerId))
      .where(and(inArray(sessionSpeakers.sessionId, rows.map((row) => row.session.id)), isNull(speakers.deletedAt)))
      .orderBy(asc(speakers.name), asc(speakers.id));
    for (const { session, track, type } of rows) {
      yield {
        title: session.title,
        state: session.state,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        speakers: people.filter((p) => p.sessionId === session.id).map(({ name, email }) => ({ name, email })),
        track,
        shortAbstract: session.shortAbstract,
        longAbstract: session.longAbstract,
        comments: session.comments,
        createdAt: session.createdAt,
        level: session.level,
        sessionType: type,
        language: session.language,
        slidesUrl: session.slidesUrl,
        audioUrl: session.audioUrl,
        videoUrl: session.videoUrl,
      };
    }
    done += rows.length;
    await onPage?.(done);
  }
}

/** Speakers with their sessions; `status` narrows which speakers, and which of their sessions, are listed. */
export async function* streamCsvSpeakers(
  db: Queryable,
  eventId: number,
  status: CsvStatus,
  onPage?: (done: number) => void | Promise<void>,
): AsyncGenerator<CsvSpeakerRow> {
  let done = 0;
  const pages = keysetBatches(
    (after: number | null, limit) =>
      db
        .select()
        .from(speakers)
        .where(and(speakersWhere(db, eventId, status), gt(speakers.id, after ?? 0)))
        .orderBy(asc(speakers.id))
        .limit(limit),
    (row) => row.id,
    PAGE_SIZE,
  );
  for await (const rows of pages) {
    const talks = await db
      .select({ speakerId: sessionSpeakers.speakerId, title: sessions.title, state: sessions.state })
      .from(sessionSpeakers)
      .innerJoin(sessions, eq(sessions.id, sessionSpeakers.sessionId))
      .where(and(inArray(sessionSpeakers.speakerId, rows.map((row) => row.id)), sessionsWhere(eventId, status === WITHOUT_SESSION ? 'all' : status)))
      .orderBy(asc(sessions.startsAt), asc(sessions.id));
    for (const speaker of rows) {
      yield {
        name: speaker.name,
        email: speaker.email,
        mobile: speaker.mobile,
        organisation: speaker.organisation,
        position: speaker.position,
        city: speaker.city,
        country: speaker.country,
        sessions: talks.filter((talk) => talk.speakerId === speaker.id).map(({ title, state }) => ({ title, state })),
      };
    }
    done += rows.length;
    await onPage?.(done);
  }
}
