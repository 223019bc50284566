// Tracks: the themes sessions belong to, with a colour for schedule displays.
import { asc } from 'drizzle-orm';
import { tracks } from '../../db/schema/index.ts';
import type { ChildModel } from '../event-child/model.ts';
import { detachSessions } from './detach-sessions.ts';
import { sessionModel } from './sessions.ts';

export const trackModel: ChildModel<typeof tracks> = {
  type: 'track',
  table: tracks,
  relationships: {
    sessions: { kind: 'inverse', column: 'trackId', target: () => sessionModel },
  },
  writers: 'managers',
  defaultSort: () => [asc(tracks.position), asc(tracks.id)],
  afterChange: (tx, row, change) => detachSessions(tx, 'trackId', row.id, change),
};
