// An event's general statistics as OES gives them (event-statistics-general): its sessions by state,
// its speakers by the state of their sessions, speakers without a session, and its sponsors. Counted
// from the live rows on each request; for the event's owner, organizers and coorganizers (and admins).
import { and, count, countDistinct, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { SESSION_STATES, sessionSpeakers, sessions, speakers, sponsors } from '../db/schema/index.ts';
import { eventAccess, type Event } from './access.ts';
import { NotFoundError } from './errors.ts';
import { refuse } from './refusal.ts';
import type { User } from './users.ts';

type State = (typeof SESSION_STATES)[number];

export interface GeneralStatistics {
  event: Event;
  /** Live sessions by state (every state present, 0 where none). */
  sessionsByState: Record<State, number>;
  sessions: number;
  /** Speakers with a live session in each state, and how many speakers have any live session. */
  speakersByState: Record<State, number>;
  speakersWithSessions: number;
  speakersWithoutSession: number;
  sponsors: number;
}

/** The event's statistics, for its managers; others who may see the event are refused, the rest get 404. */
export async function generalStatistics(db: Queryable, key: string, user: User | null): Promise<GeneralStatistics> {
  const access = await eventAccess(db, key, user);
  if (!access?.canRead) throw new NotFoundError('Not found');
  if (!access.canManage) refuse(user, true, 'Co-organizer access is required.');
  return statisticsOf(db, access.event);
}

/** The statistics of an event whose viewer may see them (checked by the caller). */
export async function statisticsOf(db: Queryable, event: Event): Promise<GeneralStatistics> {
  const eventId = event.id;
  const zero = () => Object.fromEntries(SESSION_STATES.map((state) => [state, 0])) as Record<State, number>;

  const liveSessions = and(eq(sessions.eventId, eventId), isNull(sessions.deletedAt));
  const sessionsByState = zero();
  for (const row of await db.select({ state: sessions.state, n: count() }).from(sessions).where(liveSessions).groupBy(sessions.state)) {
    if (row.state in sessionsByState) sessionsByState[row.state as State] = Number(row.n);
  }

  const speakerOfLiveSession = and(eq(speakers.eventId, eventId), isNull(speakers.deletedAt), isNull(sessions.deletedAt));
  const speakersByState = zero();
  const byState = await db
    .select({ state: sessions.state, n: countDistinct(speakers.id) })
    .from(speakers)
    .innerJoin(sessionSpeakers, eq(sessionSpeakers.speakerId, speakers.id))
    .innerJoin(sessions, eq(sessions.id, sessionSpeakers.sessionId))
    .where(speakerOfLiveSession)
    .groupBy(sessions.state);
  for (const row of byState) {
    if (row.state in speakersByState) speakersByState[row.state as State] = Number(row.n);
  }
  const [withSessions] = await db
    .select({ n: countDistinct(speakers.id) })
    .from(speakers)
    .innerJoin(sessionSpeakers, eq(sessionSpeakers.speakerId, speakers.id))
    .innerJoin(sessions, eq(sessions.id, sessionSpeakers.sessionId))
    .where(speakerOfLiveSession);
  const [without] = await db
    .select({ n: count() })
    .from(speakers)
    .where(
      and(
        eq(speakers.eventId, eventId),
        isNull(speakers.deletedAt),
        notExists(
          db
            .select({ one: sql`1` })
            .from(sessionSpeakers)
            .innerJoin(sessions, eq(sessions.id, sessionSpeakers.sessionId))
            .where(and(eq(sessionSpeakers.speakerId, speakers.id), isNull(sessions.deletedAt))),
        ),
      ),
    );
  const [sponsorCount] = await db
    .select({ n: count() })
    .from(sponsors)
    .where(and(eq(sponsors.eventId, eventId), isNull(sponsors.deletedAt)));

  return {
    event,
    sessionsByState,
    sessions: Object.values(sessionsByState).reduce((sum, n) => sum + n, 0),
    speakersByState,
    speakersWithSessions: Number(withSessions?.n ?? 0),
    speakersWithoutSession: Number(without?.n ?? 0),
    sponsors: Number(sponsorCount?.n ?? 0),
  };
}
