// Session types: talk, workshop, keynote… with their usual length.
import { asc } from 'drizzle-orm';
import { sessionTypes } from '../../db/schema/index.ts';
import type { ChildModel } from '../event-child/model.ts';
import { detachSessions } from './detach-sessions.ts';
import { sessionModel } from './sessions.ts';

export const sessionTypeModel: ChildModel<typeof sessionTypes> = {
  type: 'session-type',
  table: sessionTypes,
  relationships: {
    sessions: { kind: 'inverse', column: 'sessionTypeId', target: () => sessionModel },
  },
  writers: 'managers',
  defaultSort: () => [asc(sessionTypes.position), asc(sessionTypes.id)],
  afterChange: (tx, row, change) => detachSessions(tx, 'sessionTypeId', row.id, change),
};
