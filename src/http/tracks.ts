// Tracks (/v1/tracks): the themes sessions belong to, with a colour for schedule displays.
import { Type } from 'typebox';
import { asc, eq, sql } from 'drizzle-orm';
import { sessions, tracks } from '../db/schema/index.ts';
import { Position, RequiredText, Text } from './resource/attributes.ts';
import type { EventChild } from './resource/event-child.ts';

export const trackResource: EventChild = {
  type: 'track',
  plural: 'tracks',
  table: tracks,
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
  writers: 'managers',
  defaultSort: () => [asc(tracks.position), asc(tracks.id)],
  afterChange: (tx, row, change) => detachSessions(tx, sessions.trackId, row.id, change),
};

/**
 * Sessions show their track, room and type in every calendar: a renamed one gives them a new
 * SEQUENCE, and a deleted one is taken off them (the session stays, without it).
 */
export async function detachSessions(
  tx: Parameters<NonNullable<EventChild['afterChange']>>[0],
  column: typeof sessions.trackId | typeof sessions.microlocationId | typeof sessions.sessionTypeId,
  id: number,
  change: 'update' | 'delete',
) {
  const key = column === sessions.trackId ? 'trackId' : column === sessions.microlocationId ? 'microlocationId' : 'sessionTypeId';
  await tx
    .update(sessions)
    .set({
      ...(change === 'delete' ? { [key]: null } : {}),
      sequence: sql`${sessions.sequence} + 1`,
      lastModifiedAt: new Date(),
    })
    .where(eq(column, id));
}
