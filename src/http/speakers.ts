// Speakers (/v1/speakers). Their email and phone number are for the event's team only: the public
// sees speakers of published sessions, without contact details.
import { Type } from 'typebox';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { sessionSpeakers, sessions, speakers } from '../db/schema/index.ts';
import { touchSessions } from '../domain/schedule-version.ts';
import { Flag, RequiredText, Text, Url } from './resource/attributes.ts';
import type { EventChild } from './resource/event-child.ts';
import { sessionResource } from './sessions.ts';
import { PUBLISHED_SESSION_STATES } from '../calendar/schedule.ts';

export const speakerResource: EventChild = {
  type: 'speaker',
  plural: 'speakers',
  table: speakers,
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
    email: { column: 'email', kind: 'text', input: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]), teamOnly: true },
    mobile: { column: 'mobile', kind: 'text', input: Text(100), teamOnly: true },
    'photo-url': { column: 'photoUrl', kind: 'text', input: Url },
    'short-biography': { column: 'shortBiography', kind: 'text', input: Text() },
    'long-biography': { column: 'longBiography', kind: 'text', input: Text() },
    organisation: { column: 'organisation', kind: 'text', input: Text(500) },
    position: { column: 'position', kind: 'text', input: Text(500) },
    country: { column: 'country', kind: 'text', input: Text(200) },
    city: { column: 'city', kind: 'text', input: Text(200) },
    gender: { column: 'gender', kind: 'text', input: Text(100) },
    website: { column: 'website', kind: 'text', input: Url },
    twitter: { column: 'twitter', kind: 'text', input: Text(500) },
    github: { column: 'github', kind: 'text', input: Text(500) },
    linkedin: { column: 'linkedin', kind: 'text', input: Text(500) },
    'is-featured': { column: 'isFeatured', kind: 'boolean', input: Flag },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {
    sessions: {
      kind: 'many',
      link: sessionSpeakers,
      own: sessionSpeakers.speakerId,
      other: sessionSpeakers.sessionId,
      target: () => sessionResource,
    },
  },
  writers: 'managers',
  // Outside the team, a speaker exists only through a session the public schedule shows.
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
