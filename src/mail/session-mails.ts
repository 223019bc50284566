// The mail speakers (and the event's owner) get when a session's state changes and the organizer
// asked for it (`send-email`), as OES sends it: what happened to which session of which event, and
// where to see it. Plain text, like the account mails.
import type { Mail } from './mailer.ts';
import type { Site } from './account-mails.ts';

/** What each state tells the speaker, after OES's session state mails. */
const HEADLINES: Record<string, string> = {
  accepted: 'Congratulations! Your submission has been accepted.',
  confirmed: 'Your session is confirmed.',
  rejected: 'Your submission was not accepted.',
  canceled: 'Your session has been canceled.',
  withdrawn: 'The session has been withdrawn.',
  pending: 'Your submission is pending review.',
};

export interface SessionStateNews {
  to: string;
  eventName: string;
  eventIdentifier: string;
  sessionId: number;
  title: string;
  state: string;
}

export function sessionStateMail(site: Site, news: SessionStateNews): Mail {
  const link = `${site.frontendUrl}/e/${news.eventIdentifier}/cfs/session/${news.sessionId}`;
  return {
    to: news.to,
    subject: `Your session "${news.title}" for ${news.eventName} is now ${news.state}`,
    text: [
      HEADLINES[news.state] ?? `The session is now ${news.state}.`,
      '',
      `Event: ${news.eventName}`,
      `Session: ${news.title}`,
      `State: ${news.state}`,
      '',
      `See it on ${site.appName}:`,
      link,
    ].join('\n'),
  };
}
