// Tracks (/v1/tracks): the themes sessions belong to, with a colour for schedule displays.
import { Type } from 'typebox';
import { trackModel } from '../domain/schedule/tracks.ts';
import { Position, RequiredText, Text } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';

export const trackResource = eventChild({
  model: trackModel,
  plural: 'tracks',
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
    description: { column: 'description', kind: 'text', input: Text() },
    color: {
      column: 'color',
      kind: 'text',
      input: Type.Union([Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb' }), Type.Null()]),
    },
    position: { column: 'position', kind: 'integer', input: Position },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
});
