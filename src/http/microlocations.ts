// Microlocations (/v1/microlocations): the rooms sessions take place in.
import { Type } from 'typebox';
import { microlocationModel } from '../domain/schedule/microlocations.ts';
import { Flag, Latitude, Longitude, Position, RequiredText, Text } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';

export const microlocationResource = eventChild({
  model: microlocationModel,
  plural: 'microlocations',
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
});
