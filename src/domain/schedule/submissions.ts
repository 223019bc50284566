// Speakers answering the call for speakers: a signed-in user outside the event's team creates their
// speaker profile and session proposals while the event's call is open (a private call only with its
// hash), sees and changes their own and nobody else's, and moves their sessions only as OES lets a
// speaker (submit a draft, withdraw). The event's custom forms decide which fields are required.
// The team's writes pass the same state rules on their side (OES's organizer transitions).
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.ts';
import { customForms, eventRoles, sessionSpeakers, sessions, speakers, users } from '../../db/schema/index.ts';
import type { EventAccess } from '../access.ts';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors.ts';
import type { RowOf, ValuesOf, WriteCheck } from '../event-child/model.ts';
import type { User } from '../users.ts';
import { SESSION_STATE_CHANGES } from './session-facets.ts';
import { holdsHash, liveCallOf } from './speakers-calls.ts';

type SessionStateName = keyof typeof SESSION_STATE_CHANGES.organizer;

/** Speaker profiles that are this user's: linked to their account, or (a verified account) under their email. */
export function ownSpeakersWhere(user: User): SQL {
  const byAccount = eq(speakers.userId, user.id);
  if (!user.isVerified) return byAccount;
  return sql`(${byAccount} OR lower(${speakers.email}) = ${user.email.toLowerCase()})`;
}

/** Sessions that are this user's: they submitted it, or one of its speakers is theirs. */
export function ownSessionsWhere(user: User): SQL {
  return sql`(${sessions.creatorId} = ${user.id} OR EXISTS (SELECT 1 FROM ${sessionSpeakers} JOIN ${speakers} ON ${speakers.id} = ${sessionSpeakers.speakerId} WHERE ${sessionSpeakers.sessionId} = ${sessions.id} AND ${isNull(speakers.deletedAt)} AND ${ownSpeakersWhere(user)}))`;
}

/**
 * Refuses a submission to the event unless its call for speakers is open now: sessions and speakers
 * enabled, a live call, its hash for a private call, between its start and its end.
 */
export async function checkCallOpen(db: Queryable, access: EventAccess, hash: string | null, what: 'Sessions' | 'Speakers'): Promise<void> {
  if (!access.event.isSessionsSpeakersEnabled) throw new ForbiddenError(`${what} are disabled for this Event`);
  const call = await liveCallOf(db, access.event.id);
  if (!call) throw new ForbiddenError('This event has no call for speakers');
  if (call.privacy === 'private' && !holdsHash(call, hash)) {
    throw new ForbiddenError('The call for speakers is private: submit through its link (hash)', { parameter: 'hash' });
  }
  const now = Date.now();
  if (now < call.startsAt.getTime()) throw new ForbiddenError('The call for speakers has not opened yet');
  if (now > call.endsAt.getTime()) throw new ForbiddenError('The call for speakers has closed');
}

/**
 * OES's check of the event's custom form: every included, required field must have a value — a
 * built-in field in the record's column, an organizer's own field in complex-field-values.
 * Relationship fields (track, session type) are the client's to require, as in OES.
 */
export async function checkRequiredFields(db: Queryable, form: 'session' | 'speaker', eventId: number, record: Record<string, unknown>, excluded: readonly string[] = []): Promise<void> {
  const fields = await db
    .select()
    .from(customForms)
    .where(and(eq(customForms.eventId, eventId), eq(customForms.form, form), eq(customForms.isIncluded, true), eq(customForms.isRequired, true), isNull(customForms.deletedAt)));
  const complex = (record.complexFieldValues ?? null) as Record<string, unknown> | null;
  const missing: string[] = [];
  for (const field of fields) {
    const identifier = field.fieldIdentifier;
    if (excluded.includes(identifier) || RELATIONSHIP_FIELDS.has(identifier)) continue;
    const value = field.isComplex ? complex?.[identifier] : Object.hasOwn(record, identifier) ? record[identifier] : undefined;
    if (field.isComplex ? value === undefined || value === null : !present(value)) missing.push(field.name);
  }
  if (missing.length) {
    throw new InvalidError(`Missing required fields ${JSON.stringify(missing)}`, { pointer: '/data/attributes' });
  }
}

const RELATIONSHIP_FIELDS = new Set(['track', 'sessionType']);

function present(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Drops the columns a submitter may not set (OES drops a speaker's room quietly as well). */
function dropAll<T extends Record<string, unknown>>(values: T, keys: readonly string[]) {
  for (const key of keys) delete values[key];
}

/** The given ids that are not this user's own rows of `table`. */
async function notOwn(db: Queryable, table: typeof sessions | typeof speakers, ids: number[], own: SQL): Promise<number[]> {
  if (!ids.length) return [];
  const found = await db.select({ id: table.id }).from(table).where(and(inArray(table.id, ids), isNull(table.deletedAt), own));
  const known = new Set(found.map((row) => row.id));
  return ids.filter((id) => !known.has(id));
}

/** OES's state machine: who (organizer or speaker) may move a session from one state to another. */
export function checkStateChange(from: string, to: string, side: 'organizer' | 'speaker'): void {
  if (from === to) return;
  const allowed = (SESSION_STATE_CHANGES[side] as Record<string, Record<string, boolean>>)[from] ?? {};
  if (!allowed[to]) throw new ForbiddenError(`You cannot change a session state from "${from}" to "${to}"`, { attribute: 'state' });
}

/** Columns of a session only the team sets: where and when it is scheduled, its lock. */
const TEAM_SESSION_COLUMNS = ['microlocationId', 'startsAt', 'endsAt', 'isLocked', 'isMailSent'] as const;

/** The rules of every session write, by the team or by a speaker. */
export async function checkSessionWrite(db: Queryable, write: WriteCheck<typeof sessions>): Promise<void> {
  const { access, user, row, values, relationships, asWriter } = write;
  // Organizers (owner, organizer, admins) may edit a locked session; the rest of the team and speakers may not.
  const isOrganizer = access.isAdmin || access.roles.has('owner') || access.roles.has('organizer') || access.roles.has('coorganizer');
  if (!asWriter) {
    dropAll(values, TEAM_SESSION_COLUMNS);
    relationships.delete('microlocation');
    const speakerIds = relationships.get('speakers');
    if (speakerIds) {
      const others = await notOwn(db, speakers, speakerIds, ownSpeakersWhere(user));
      if (others.length) throw new NotFoundError(`Speaker: ${others.join(', ')} not found`, { relationship: 'speakers' });
    }
  }
  if (row === null) {
    // A proposal sent without a state is up for review (OES's model default); `draft` keeps it the speaker's.
    if (!asWriter && (values.state === undefined || values.state === null)) values.state = 'pending';
    const state = (values.state ?? 'draft') as SessionStateName;
    // A speaker proposes: a draft, or a proposal for review. Nothing else is theirs to decide.
    if (!asWriter && state !== 'draft' && state !== 'pending') checkStateChange('draft', state, 'speaker');
    await checkRequiredFields(db, 'session', access.event.id, values);
    return;
  }
  if (row.isLocked && !isOrganizer) throw new ForbiddenError('Locked sessions cannot be edited', { attribute: 'is-locked' });
  if (values.state !== undefined && values.state !== null) checkStateChange(row.state, values.state, asWriter ? 'organizer' : 'speaker');
  // Organizers edit without the form's rules, as in OES; a speaker's edit must still fill the form.
  if (!asWriter) await checkRequiredFields(db, 'session', access.event.id, { ...row, ...values });
}

/** Columns of a speaker only the team sets. */
const TEAM_SPEAKER_COLUMNS = ['isFeatured', 'order', 'userId'] as const;

/** The rules of every speaker write, by the team or by the speaker themselves. */
export async function checkSpeakerWrite(db: Queryable, write: WriteCheck<typeof speakers>): Promise<void> {
  const { access, user, row, values, relationships, asWriter } = write;
  if (!asWriter) {
    if (values.isEmailOverridden) throw new ForbiddenError('Organizer access required to override email', { attribute: 'is-email-overridden' });
    dropAll(values, TEAM_SPEAKER_COLUMNS);
    // A speaker's profile carries their own account's email (OES sets it so for everyone but organizers).
    if (row === null) {
      values.email = user.email;
      values.userId = user.id;
    } else {
      delete values.email;
    }
    const sessionIds = relationships.get('sessions');
    if (sessionIds) {
      const others = await notOwn(db, sessions, sessionIds, ownSessionsWhere(user));
      if (others.length) throw new NotFoundError(`Session: ${others.join(', ')} not found`, { relationship: 'sessions' });
    }
    if (row === null) {
      const [taken] = await db
        .select({ id: speakers.id })
        .from(speakers)
        .where(and(eq(speakers.eventId, access.event.id), isNull(speakers.deletedAt), sql`lower(${speakers.email}) = ${user.email.toLowerCase()}`));
      if (taken) throw new ForbiddenError('Speaker with this Email ID already exists');
    }
  }
  const record: ValuesOf<typeof speakers> = row === null ? values : { ...row, ...values };
  if (row === null || !asWriter) {
    await checkRequiredFields(db, 'speaker', access.event.id, record, record.email ? [] : ['email']);
  }
}

export type { RowOf };

/** The states whose change OES mails about (when the organizer says `send-email`). */
export const MAILED_STATES: readonly string[] = ['accepted', 'rejected', 'confirmed', 'canceled', 'withdrawn'];

/**
 * Who hears of a session's state change: its speakers (unless the organizer overrode their email)
 * and the event's owner, each address once.
 */
export async function sessionStateRecipients(db: Queryable, sessionId: number, eventId: number): Promise<string[]> {
  const speakerMails = await db
    .select({ email: speakers.email })
    .from(sessionSpeakers)
    .innerJoin(speakers, eq(speakers.id, sessionSpeakers.speakerId))
    .where(and(eq(sessionSpeakers.sessionId, sessionId), isNull(speakers.deletedAt), eq(speakers.isEmailOverridden, false)));
  const owners = await db
    .select({ email: users.email })
    .from(eventRoles)
    .innerJoin(users, eq(users.id, eventRoles.userId))
    .where(and(eq(eventRoles.eventId, eventId), eq(eventRoles.roleName, 'owner'), isNull(eventRoles.deletedAt), isNull(users.deletedAt)));
  const all = [...speakerMails, ...owners].map((row) => row.email).filter((email): email is string => !!email);
  const seen = new Set<string>();
  return all.filter((email) => {
    const key = email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
