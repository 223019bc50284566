// The call for speakers (OES's speakers-call): one live call per event, with its announcement, the
// dates between which speakers may submit, and its privacy. A public call is for anyone who may see
// the event; a private one only for the event's team and for whoever holds its hash (the link the
// organizers hand out). What a viewer may not see does not exist for them.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.ts';
import { speakersCalls } from '../../db/schema/index.ts';
import type { EventAccess } from '../access.ts';
import { ConflictError, InvalidError } from '../errors.ts';
import type { ChildModel, RowOf } from '../event-child/model.ts';

export type SpeakersCall = RowOf<typeof speakersCalls>;

export const SPEAKERS_CALL_PRIVACY = ['public', 'private'] as const;

export const speakersCallModel: ChildModel<typeof speakersCalls> = {
  type: 'speakers-call',
  table: speakersCalls,
  relationships: {},
  writers: 'managers',
  publicWhere: () => eq(speakersCalls.privacy, 'public'),
  defaultSort: () => [asc(speakersCalls.id)],
  // The call is not part of the schedule that calendars and exports publish.
  schedule: false,
  validate({ startsAt, endsAt, softEndsAt, privacy }) {
    if (privacy !== undefined && !(SPEAKERS_CALL_PRIVACY as readonly string[]).includes(privacy)) {
      throw new InvalidError('"privacy" must be public or private', { attribute: 'privacy' });
    }
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
      throw new InvalidError('ends-at should be after starts-at', { attribute: 'ends-at' });
    }
    if (softEndsAt && startsAt && endsAt && (softEndsAt.getTime() < startsAt.getTime() || softEndsAt.getTime() > endsAt.getTime())) {
      throw new InvalidError('soft-ends-at should be between starts-at and ends-at', { attribute: 'soft-ends-at' });
    }
  },
  constraintErrors: {
    speakers_calls_one_per_event: () => new ConflictError('Speakers Call already exists for this event', { relationship: 'event' }),
    speakers_calls_dates: () => new InvalidError('ends-at should be after starts-at', { attribute: 'ends-at' }),
  },
};

/** The event's live call, whoever asks. */
export async function liveCallOf(db: Queryable, eventId: number): Promise<SpeakersCall | null> {
  const [call] = await db
    .select()
    .from(speakersCalls)
    .where(and(eq(speakersCalls.eventId, eventId), isNull(speakersCalls.deletedAt)));
  return call ?? null;
}

/** Whether `hash` is the private call's own (compared whole; a missing hash never matches). */
export function holdsHash(call: SpeakersCall, hash: string | null): boolean {
  return call.hash !== null && hash !== null && call.hash === hash;
}

/** The event's call as this viewer may see it: the team always, others a public call or a private one with its hash. */
export async function visibleCallOf(db: Queryable, access: EventAccess, hash: string | null): Promise<SpeakersCall | null> {
  const call = await liveCallOf(db, access.event.id);
  if (!call) return null;
  if (access.isTeam || call.privacy === 'public' || holdsHash(call, hash)) return call;
  return null;
}
