// Telling speakers what became of their session: when an organizer changes its state with OES's
// `send-email` set, each speaker (and the event's owner) gets a mail through the app's mailer.
import type { Queryable } from '../db/connection.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Site } from '../mail/account-mails.ts';
import { sessionStateMail } from '../mail/session-mails.ts';
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
  for (const to of recipients) {
    await mailer.send(
      sessionStateMail(site, { to, eventName: event.name, eventIdentifier: event.identifier, sessionId: session.id, title: session.title, state: session.state }),
    );
  }
  return recipients.length;
}
