// Sessions (/v1/sessions): the talks of the schedule. Track organizers may edit them as well as the
// event's managers; the public sees only published ones, and never the comments.
import { Type } from 'typebox';
import { SESSION_STATES, sessionModel } from '../domain/schedule/sessions.ts';
import { Instant } from './jsonapi/schemas.ts';
import { Flag, RequiredText, Text, Url } from './resource/attributes.ts';
import { eventChild, type EventChild } from './resource/definition.ts';
import { microlocationResource } from './microlocations.ts';
import { sessionTypeResource } from './session-types.ts';
import { speakerResource } from './speakers.ts';
import { trackResource } from './tracks.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);

export const sessionResource: EventChild<typeof sessionModel.table> = eventChild({
  model: sessionModel,
  plural: 'sessions',
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
    track: () => trackResource,
    microlocation: () => microlocationResource,
    'session-type': () => sessionTypeResource,
    speakers: () => speakerResource,
  },
});
