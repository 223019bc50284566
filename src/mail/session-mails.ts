// The mail speakers (and the event's owner) get when a session's state changes and the organizer
// asked for it (`send-email`), as OES sends it: what happened to which session of which event, and
// where to see it. Plain text, like the account mails.
import type { Mail } from './mailer.ts';
import type { Site } from './account-mails.ts';
import { htmlToPlainText } from '../calendar/plain-text.ts';

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

/** A speaker of a new proposal, as the organizers' mail lists them. */
export interface ProposalSpeaker {
  name: string;
  email: string | null;
  shortBiography: string | null;
}

export interface NewProposal {
  to: string;
  eventName: string;
  eventIdentifier: string;
  sessionId: number;
  title: string;
  shortAbstract: string | null;
  speakers: ProposalSpeaker[];
}

/**
 * The mail the event's organizers get when a speaker sends a proposal through the call for speakers,
 * as OES sends it: who proposed what, and where the organizers review it (the session's page in the
 * organizers' part of the web client, and the list of pending sessions).
 */
export function newProposalMail(site: Site, proposal: NewProposal): Mail {
  const eventPages = `${site.frontendUrl}/events/${proposal.eventIdentifier}`;
  const speakerLines = proposal.speakers.flatMap((speaker) => [
    `Speaker: ${speaker.name}${speaker.email ? ` <${speaker.email}>` : ''}`,
    ...(speaker.shortBiography?.trim() ? [`Biography: ${oneLine(speaker.shortBiography)}`] : []),
  ]);
  return {
    to: proposal.to,
    subject: `New session proposal for ${proposal.eventName}: "${proposal.title}"`,
    text: [
      `The call for speakers of ${proposal.eventName} on ${site.appName} has a new proposal.`,
      '',
      `Session: ${proposal.title}`,
      ...(proposal.shortAbstract?.trim() ? [`Abstract: ${oneLine(proposal.shortAbstract)}`] : []),
      ...speakerLines,
      '',
      'Read the proposal and its speakers:',
      `${eventPages}/session/${proposal.sessionId}`,
      '',
      'Accept or reject it from the pending sessions:',
      `${eventPages}/sessions/pending`,
    ].join('\n'),
  };
}

/** A rich-text field (the OES editors' HTML) as plain text on one line. */
function oneLine(text: string): string {
  return htmlToPlainText(text).replace(/\s+/g, ' ').trim();
}
