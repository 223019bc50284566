// Speakers. Outside the event's team a speaker exists only through a session the public schedule
// shows (and the HTTP layer hides their contact details).
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { sessionSpeakers, sessions, speakers } from '../../db/schema/index.ts';
import { PUBLISHED_SESSION_STATES } from '../../calendar/schedule.ts';
import { InvalidError } from '../errors.ts';
import { touchSessions } from '../schedule-version.ts';
import { linkTable, type ChildModel } from '../event-child/model.ts';
import { sessionModel } from './sessions.ts';
import { checkCallOpen, checkSpeakerWrite, ownSpeakersWhere } from './submissions.ts';

export const speakerModel: ChildModel<typeof speakers> = {
  type: 'speaker',
  table: speakers,
  relationships: {
    sessions: { kind: 'many', link: linkTable(sessionSpeakers, 'speakerId', 'sessionId'), target: () => sessionModel },
  },
  writers: 'managers',
  // A speaker answering the call for speakers creates their own profile and keeps it up to date.
  submissions: {
    mayCreate: (db, access, _user, hash) => checkCallOpen(db, access, hash, 'Speakers'),
    ownWhere: ownSpeakersWhere,
  },
  beforeWrite: checkSpeakerWrite,
  constraintErrors: { speakers_user_id_users_id_fk: () => new InvalidError('No such user', { relationship: 'user' }) },
  publicWhere: () =>
    sql`EXISTS (SELECT 1 FROM ${sessionSpeakers} JOIN ${sessions} ON ${sessions.id} = ${sessionSpeakers.sessionId} WHERE ${sessionSpeakers.speakerId} = ${speakers.id} AND ${and(
      isNull(sessions.deletedAt),
      inArray(sessions.state, [...PUBLISHED_SESSION_STATES]),
    )})`,
  defaultSort: () => [asc(speakers.name), asc(speakers.id)],
  async afterChange(tx, row) {
    // Speaker names appear in calendar entries: their sessions changed too.
    const linked = await tx.select({ id: sessionSpeakers.sessionId }).from(sessionSpeakers).where(eq(sessionSpeakers.speakerId, row.id));
    await touchSessions(tx, linked.map((link) => link.id));
  },
};
