// Session types (/v1/session-types): talk, workshop, keynote… with their usual length.
import { Type } from 'typebox';
import { asc } from 'drizzle-orm';
import { sessionTypes, sessions } from '../db/schema/index.ts';
import { Position, RequiredText } from './resource/attributes.ts';
import type { EventChild } from './resource/event-child.ts';
import { detachSessions } from './tracks.ts';

export const sessionTypeResource: EventChild = {
  type: 'session-type',
  plural: 'session-types',
  table: sessionTypes,
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
    length: {
      column: 'length',
      kind: 'text',
      input: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM' }),
    },
    position: { column: 'position', kind: 'integer', input: Position },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
  writers: 'managers',
  defaultSort: () => [asc(sessionTypes.position), asc(sessionTypes.id)],
  afterChange: (tx, row, change) => detachSessions(tx, sessions.sessionTypeId, row.id, change),
};
