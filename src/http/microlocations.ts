// Microlocations (/v1/microlocations): the rooms sessions take place in.
import { Type } from 'typebox';
import { asc } from 'drizzle-orm';
import { microlocations, sessions } from '../db/schema/index.ts';
import { Flag, Latitude, Longitude, Position, RequiredText, Text } from './resource/attributes.ts';
import type { EventChild } from './resource/event-child.ts';
import { detachSessions } from './tracks.ts';

export const microlocationResource: EventChild = {
  type: 'microlocation',
  plural: 'microlocations',
  table: microlocations,
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
    floor: { column: 'floor', kind: 'integer', input: Type.Union([Type.Integer({ minimum: -1000, maximum: 1000 }), Type.Null()]) },
    room: { column: 'room', kind: 'text', input: Text(500) },
    latitude: { column: 'latitude', kind: 'number', input: Latitude },
    longitude: { column: 'longitude', kind: 'number', input: Longitude },
    position: { column: 'position', kind: 'integer', input: Position },
    'hidden-in-scheduler': { column: 'hiddenInScheduler', kind: 'boolean', input: Flag },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
  writers: 'managers',
  defaultSort: () => [asc(microlocations.position), asc(microlocations.id)],
  afterChange: (tx, row, change) => detachSessions(tx, sessions.microlocationId, row.id, change),
};
