// Session types (/v1/session-types): talk, workshop, keynote… with their usual length.
import { Type } from 'typebox';
import { sessionTypeModel } from '../domain/schedule/session-types.ts';
import { Position, RequiredText } from './resource/attributes.ts';
import { eventChild, type EventChild } from './resource/definition.ts';
import { sessionResource } from './sessions.ts';

export const sessionTypeResource: EventChild<typeof sessionTypeModel.table> = eventChild({
  model: sessionTypeModel,
  plural: 'session-types',
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
  relationships: { sessions: () => sessionResource },
});
