// Microlocations: the rooms sessions take place in.
import { asc } from 'drizzle-orm';
import { microlocations } from '../../db/schema/index.ts';
import type { ChildModel } from '../event-child/model.ts';
import { detachSessions } from './detach-sessions.ts';
import { sessionModel } from './sessions.ts';

export const microlocationModel: ChildModel<typeof microlocations> = {
  type: 'microlocation',
  table: microlocations,
  relationships: {
    sessions: { kind: 'inverse', column: 'microlocationId', target: () => sessionModel },
  },
  writers: 'managers',
  defaultSort: () => [asc(microlocations.position), asc(microlocations.id)],
  afterChange: (tx, row, change) => detachSessions(tx, 'microlocationId', row.id, change),
};
