// Telling speakers what became of their session: when an organizer changes its state with OES's
// `send-email` set, each speaker (and the event's owner) gets a mail through the app's mailer.
// And telling the organizers of a new proposal: when a speaker sends one through the call for
// speakers (a new pending session, or their draft submitted), the event's managers get a mail.
// And OES's notify action: an organizer mails a session's speakers by hand, with the state's template
// or their own subject and message.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { eventRoles, sessionSpeakers, sessions, speakers, users } from '../db/schema/index.ts';
import type { Database } from '../db/connection.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Site } from '../mail/account-mails.ts';
import { NOTIFY_TEMPLATES, newProposalMail, sessionStateMail, type MailTemplate } from '../mail/session-mails.ts';
import type { Event } from './access.ts';
import type { RowOf } from './event-child/model.ts';
import { findChild } from './event-child/read.ts';
import { InvalidError } from './errors.ts';
import { countAttempt } from './rate-limits.ts';
import { refuse } from './refusal.ts';
import { sessionModel } from './schedule/sessions.ts';
import type { User } from './users.ts';
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

/** One plain address, local@domain.tld: no spaces, no second address, nothing a mail header would read as more. */
const PLAIN_ADDRESS = /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+\.[^\s@,;:<>()[\]"\\]+$/;

/**
 * The bcc addresses as OES's client sends them (the field split at commas, so a trailing comma gives an
 * empty entry, which is dropped); anything else that is not one plain address is refused (422, at it).
 */
function checkedBcc(entries: string[]): string[] {
  const addresses: string[] = [];
  entries.forEach((entry, index) => {
    const address = entry.trim();
    if (!address) return;
    if (!PLAIN_ADDRESS.test(address)) throw new InvalidError(`"${address}" is not an email address`, { pointer: `/bcc/${index}` });
    addresses.push(address);
  });
  return addresses;
}

/** Notify requests one person may send in an hour. */
export const NOTIFY_PER_HOUR = 50;

/** What an organizer's notify request gives: each part empty or absent takes the state's template. */
export interface NotifyRequest {
  subject?: string | null;
  message?: string | null;
  /** Further addresses that get a copy (OES's bcc): each its own mail, so no one sees another's address. */
  bcc?: string[];
}

/**
 * OES's `POST /v1/sessions/{id}/notify`: mails the session's speakers (but those whose email the organizers
 * overrode) and the event's owner, as a state change does, with the session state's template or the
 * organizer's own subject and message, placeholders filled in; then a copy to each bcc address not
 * already mailed. Only the session's editors (the event's organizers and track organizers, admins)
 * may, NOTIFY_PER_HOUR times an hour (429); a session they may not see does not exist (404). Answers
 * the addresses mailed.
 */
export async function notifySession(db: Database, mailer: Mailer, site: Site, sessionId: number, user: User, request: NotifyRequest): Promise<string[]> {
  const { row, access } = await findChild(db, sessionModel, sessionId, user);
  if (!access.canEditSessions) refuse(user, true, "Only the event's organizers notify a session's speakers");
  const session = row as RowOf<typeof sessions>;
  const { recipient: _recipient, ...byState } = NOTIFY_TEMPLATES;
  const fallback: MailTemplate | undefined = (byState as Partial<Record<string, MailTemplate>>)[session.state];
  const subject = request.subject?.trim() ? request.subject : fallback?.subject;
  const message = request.message?.trim() ? request.message : fallback?.message;
  if (!subject) throw new InvalidError(`A session in state "${session.state}" has no mail template: give a "subject"`, { pointer: '/subject' });
  if (!message) throw new InvalidError(`A session in state "${session.state}" has no mail template: give a "message"`, { pointer: '/message' });

  const bcc = checkedBcc(request.bcc ?? []);
  // Each request mails up to 20 addresses of the organizer's choosing, in our name: bounded per person.
  await countAttempt(db, { key: `session-notify:${user.id}`, max: NOTIFY_PER_HOUR, windowSeconds: 60 * 60 });

  const recipients = await sessionStateRecipients(db, session.id, access.event.id);
  const seen = new Set(recipients.map((email) => email.toLowerCase()));
  for (const email of bcc) {
    if (seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    recipients.push(email);
  }
  const news = { eventName: access.event.name, eventIdentifier: access.event.identifier, sessionId: session.id, title: session.title, state: session.state };
  for (const to of recipients) {
    await mailer.send(sessionStateMail(site, { ...news, to }, { subject, message })!);
  }
  return recipients;
}
