// Sessions: the talks of the schedule. Track organizers may edit them as well as the event's
// managers; the public sees only the states the calendar exports publish, so API and files agree.
import { asc, inArray } from 'drizzle-orm';
import { sessionSpeakers, sessions } from '../../db/schema/index.ts';
import { PUBLISHED_SESSION_STATES } from '../../calendar/schedule.ts';
import { InvalidError } from '../errors.ts';
import { linkTable, type ChildModel } from '../event-child/model.ts';
import { microlocationModel } from './microlocations.ts';
import { sessionTypeModel } from './session-types.ts';
import { speakerModel } from './speakers.ts';
import { trackModel } from './tracks.ts';
import { checkCallOpen, checkSessionWrite, ownSessionsWhere } from './submissions.ts';

export const sessionModel: ChildModel<typeof sessions> = {
  type: 'session',
  table: sessions,
  relationships: {
    track: { kind: 'one', column: 'trackId', target: () => trackModel },
    microlocation: { kind: 'one', column: 'microlocationId', target: () => microlocationModel },
    'session-type': { kind: 'one', column: 'sessionTypeId', target: () => sessionTypeModel },
    speakers: { kind: 'many', link: linkTable(sessionSpeakers, 'sessionId', 'speakerId'), target: () => speakerModel },
  },
  writers: 'session-editors',
  publicWhere: () => inArray(sessions.state, [...PUBLISHED_SESSION_STATES]),
  // Speakers propose sessions through the call for speakers and keep seeing and editing their own.
  submissions: {
    mayCreate: (db, access, _user, hash) => checkCallOpen(db, access, hash, 'Sessions'),
    ownWhere: ownSessionsWhere,
  },
  beforeWrite: checkSessionWrite,
  defaultSort: () => [asc(sessions.startsAt), asc(sessions.id)],
  onCreate: (user) => ({ creatorId: user.id, submittedAt: new Date() }),
  validate({ startsAt, endsAt }) {
    if ((startsAt == null) !== (endsAt == null)) {
      throw new InvalidError('"starts-at" and "ends-at" go together: give both or neither', {
        attribute: startsAt == null ? 'starts-at' : 'ends-at',
      });
    }
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
      throw new InvalidError('"ends-at" must be after "starts-at"', { attribute: 'ends-at' });
    }
  },
};
export { SESSION_STATES } from '../../db/schema/index.ts';
