// Tracks (/v1/tracks): the themes sessions belong to, with a colour for schedule displays.
import { Type } from 'typebox';
import type { RowOf } from '../domain/event-child/model.ts';
import { trackModel } from '../domain/schedule/tracks.ts';
import { Position, RequiredText, Text } from './resource/attributes.ts';
import { eventChild, type EventChild } from './resource/definition.ts';
import { sessionResource } from './sessions.ts';

/**
 * Black or white, whichever reads better on the track's colour: OES's rule (by the colour's
 * luminance), which its client uses for text on track labels. Computed, never stored.
 */
export function fontColorFor(color: string | null): string | null {
  const hex = color?.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  if (!hex) return null;
  const [r, g, b] = hex.slice(1).map((part) => parseInt(part, 16));
  const darkness = 1 - (0.299 * r! + 0.587 * g! + 0.114 * b!) / 255;
  return darkness < 0.5 ? '#000000' : '#ffffff';
}

export const trackResource: EventChild<typeof trackModel.table, 'fontColor'> = eventChild({
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
    'font-color': { column: 'fontColor', kind: 'text' },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: { sessions: () => sessionResource },
  computed: (row: RowOf<typeof trackModel.table>) => ({ fontColor: fontColorFor(row.color) }),
});
