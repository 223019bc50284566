// Sessions (/v1/sessions): the talks of the schedule. Track organizers may edit them as well as the
// event's managers; the public sees only accepted and confirmed ones, and never the comments.
import { Type } from 'typebox';
import { asc, inArray } from 'drizzle-orm';
import { SESSION_STATES, sessionSpeakers, sessions } from '../db/schema/index.ts';
import { Flag, RequiredText, Text, Url } from './resource/attributes.ts';
import { Instant } from './jsonapi/schemas.ts';
import { attributePointer, unprocessable } from './jsonapi/errors.ts';
import type { EventChild } from './resource/event-child.ts';
import { trackResource } from './tracks.ts';
import { microlocationResource } from './microlocations.ts';
import { sessionTypeResource } from './session-types.ts';
import { speakerResource } from './speakers.ts';

// The public sees the sessions the calendar library exports: one rule, so API and files agree.
import { PUBLISHED_SESSION_STATES } from '../calendar/schedule.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);

export const sessionResource: EventChild = {
  type: 'session',
  plural: 'sessions',
  table: sessions,
  attributes: {
    title: { column: 'title', kind: 'text', input: RequiredText(), required: true },
    subtitle: { column: 'subtitle', kind: 'text', input: Text() },
    'short-abstract': { column: 'shortAbstract', kind: 'text', input: Text() },
    'long-abstract': { column: 'longAbstract', kind: 'text', input: Text() },
    comments: { column: 'comments', kind: 'text', input: Text(), teamOnly: true },
    language: { column: 'language', kind: 'text', input: Text(100) },
    level: { column: 'level', kind: 'text', input: Text(100) },
    'starts-at': { column: 'startsAt', kind: 'instant', input: NullableInstant },
    'ends-at': { column: 'endsAt', kind: 'instant', input: NullableInstant },
    state: { column: 'state', kind: 'text', input: Type.Union(SESSION_STATES.map((state) => Type.Literal(state))) },
    'slides-url': { column: 'slidesUrl', kind: 'text', input: Url },
    'video-url': { column: 'videoUrl', kind: 'text', input: Url },
    'audio-url': { column: 'audioUrl', kind: 'text', input: Url },
    'signup-url': { column: 'signupUrl', kind: 'text', input: Url },
    'is-locked': { column: 'isLocked', kind: 'boolean', input: Flag },
    'is-mail-sent': { column: 'isMailSent', kind: 'boolean', input: Flag },
    'submitted-at': { column: 'submittedAt', kind: 'instant', input: NullableInstant },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'last-modified-at': { column: 'lastModifiedAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {
    track: { kind: 'one', column: 'trackId', target: () => trackResource },
    microlocation: { kind: 'one', column: 'microlocationId', target: () => microlocationResource },
    'session-type': { kind: 'one', column: 'sessionTypeId', target: () => sessionTypeResource },
    speakers: {
      kind: 'many',
      link: sessionSpeakers,
      own: sessionSpeakers.sessionId,
      other: sessionSpeakers.speakerId,
      target: () => speakerResource,
    },
  },
  writers: 'session-editors',
  publicWhere: () => inArray(sessions.state, [...PUBLISHED_SESSION_STATES]),
  defaultSort: () => [asc(sessions.startsAt), asc(sessions.id)],
  onCreate: (user) => ({ creatorId: user.id, submittedAt: new Date() }),
  validate(values) {
    const { startsAt, endsAt } = values as { startsAt: Date | null | undefined; endsAt: Date | null | undefined };
    if ((startsAt == null) !== (endsAt == null)) {
      throw unprocessable('"starts-at" and "ends-at" go together: give both or neither', attributePointer(startsAt == null ? 'starts-at' : 'ends-at'));
    }
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
      throw unprocessable('"ends-at" must be after "starts-at"', attributePointer('ends-at'));
    }
  },
};
