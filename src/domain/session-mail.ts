// Telling speakers what became of their session: when an organizer changes its state with OES's
// `send-email` set, each speaker (and the event's owner) gets a mail through the app's mailer.
// And telling the organizers of a new proposal: when a speaker sends one through the call for
// speakers (a new pending session, or their draft submitted), the event's managers get a mail.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { eventRoles, sessionSpeakers, speakers, users } from '../db/schema/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Site } from '../mail/account-mails.ts';
import { newProposalMail, sessionStateMail } from '../mail/session-mails.ts';
import type { Event } from './access.ts';
import { MAILED_STATES, sessionStateRecipients } from './schedule/submissions.ts';

export interface StateChange {
  event: Event;
  session: { id: number; title: string; state: string };
  previousState: string;
  /** The request's `send-email`, as OES reads it (true or "true"). */
  sendEmail: unknown;
}

/** Mails the change if it is one OES mails about and the organizer asked; the number of mails sent. */
export async function mailStateChange(db: Queryable, mailer: Mailer, site: Site, change: StateChange): Promise<number> {
  const { event, session } = change;
  const asked = change.sendEmail === true || change.sendEmail === 'true';
  if (!asked || change.previousState === session.state || !MAILED_STATES.includes(session.state)) return 0;
  const recipients = await sessionStateRecipients(db, session.id, event.id);
  let sent = 0;
  for (const to of recipients) {
    const mail = sessionStateMail(site, { to, eventName: event.name, eventIdentifier: event.identifier, sessionId: session.id, title: session.title, state: session.state });
    if (!mail) continue;
    await mailer.send(mail);
    sent++;
  }
  return sent;
}

export interface Submission {
  event: Event;
  session: { id: number; title: string; state: string; shortAbstract: string | null };
  /** The state before the write; null for a new session. */
  previousState: string | null;
  /** Whether the writer is one of the event's session editors (false: a speaker through the call). */
  asWriter: boolean;
}

/**
 * Mails the event's managers (owner, organizers, coorganizers; each address once) when a speaker
 * sends a proposal for review: a new `pending` session, or their `draft` moved to `pending`. The
 * team's own sessions and a speaker's drafts and edits mail nobody. The number of mails sent.
 */
export async function mailNewProposal(db: Queryable, mailer: Mailer, site: Site, submission: Submission): Promise<number> {
  const { event, session } = submission;
  if (submission.asWriter || session.state !== 'pending' || submission.previousState === 'pending') return 0;
  const managers = await db
    .selectDistinct({ email: users.email })
    .from(eventRoles)
    .innerJoin(users, eq(users.id, eventRoles.userId))
    .where(and(eq(eventRoles.eventId, event.id), inArray(eventRoles.roleName, ['owner', 'organizer', 'coorganizer']), isNull(eventRoles.deletedAt), isNull(users.deletedAt)));
  const recipients = [...new Map(managers.map((row) => [row.email.toLowerCase(), row.email])).values()];
  if (!recipients.length) return 0;
  const proposed = await db
    .select({ name: speakers.name, email: speakers.email, shortBiography: speakers.shortBiography })
    .from(sessionSpeakers)
    .innerJoin(speakers, eq(speakers.id, sessionSpeakers.speakerId))
    .where(and(eq(sessionSpeakers.sessionId, session.id), isNull(speakers.deletedAt)))
    .orderBy(asc(speakers.name), asc(speakers.id));
  for (const to of recipients) {
    await mailer.send(
      newProposalMail(site, {
        to,
        eventName: event.name,
        eventIdentifier: event.identifier,
        sessionId: session.id,
        title: session.title,
        shortAbstract: session.shortAbstract,
        speakers: proposed,
      }),
    );
  }
  return recipients.length;
}
