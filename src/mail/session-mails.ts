// The mail speakers (and the event's owner) get when a session's state changes and the organizer
// asked for it (`send-email`), as OES sends it: a subject and a message per state, with placeholders
// (`{session_name}`, `{event_name}`, …) filled in for the session. The same templates are what
// `GET /v1/sessions/mails` answers, which OES's client shows organizers in its notify dialog. Messages
// break lines with `<br/>` as OES's do (the client turns them into line breaks); the mail is plain text.
// And the mail the event's organizers get of a speaker's new proposal.
import type { Mail } from './mailer.ts';
import type { Site } from './account-mails.ts';
import { htmlToPlainText } from '../calendar/plain-text.ts';

export interface MailTemplate {
  subject: string;
  message: string;
}

/** What the placeholders of the templates stand for. */
export const SESSION_MAIL_PLACEHOLDERS = [
  'session_name', // the session's title
  'session_link', // its public page
  'session_cfs_link', // its page under the call for speakers, where its speakers see its state
  'session_state',
  'event_name',
  'event_link', // the event's public page
  'app_name',
  'frontend_link', // the web client's home page
] as const;

const SUBJECT = 'Your session "{session_name}" for {event_name} is now {session_state}';

/** A message: a greeting, what happened, where to see it. Lines joined with `<br/>`, as OES's. */
function message(...news: string[]): string {
  return [
    'Hello,',
    '',
    'This is an automatic message from {app_name} about your session "{session_name}" for {event_name}.',
    '',
    ...news,
    '',
    'You can see your submission and its state, signed in, on its page: {session_cfs_link}',
    'The event: {event_link}',
    '',
    'Thank you.',
    '{frontend_link}',
  ].join('<br/>');
}

/** The templates per state, as OES's session state change mails: a state without one is never mailed. */
export const SESSION_STATE_MAILS: { recipient: 'Speaker' } & Record<'pending' | 'accepted' | 'confirmed' | 'rejected' | 'canceled' | 'withdrawn', MailTemplate> = {
  recipient: 'Speaker',
  pending: {
    subject: SUBJECT,
    message: message('We have received it. The organizers and their reviewers will look at it; until they decide, it is "pending".'),
  },
  accepted: {
    subject: SUBJECT,
    message: message(
      'Congratulations: the organizers have accepted it. They will put it into the schedule.',
      'If they ask you to, please confirm with them that you will take part.',
    ),
  },
  confirmed: {
    subject: SUBJECT,
    message: message('Congratulations: your session is confirmed.', 'Please tell the organizers if anything about your participation changes.'),
  },
  rejected: {
    subject: SUBJECT,
    message: message('We are sorry: the organizers could not accept it this time.', 'If you have questions about their decision, please contact them.'),
  },
  canceled: {
    subject: SUBJECT,
    message: message('The organizers have canceled it.', 'If you have questions about this change, please contact them.'),
  },
  withdrawn: {
    subject: SUBJECT,
    message: message('It has been withdrawn and will not be part of the schedule.', 'If this is not what you expected, please contact the organizers.'),
  },
};

/**
 * What the organizers' notify dialog offers for a session still in draft. OES's client renders that dialog
 * for every row of its sessions list and reads the template of the row's state, drafts included (without
 * one it throws). A state change to draft is never mailed: this is only for a message sent by hand.
 */
export const NOTIFY_TEMPLATES = {
  ...SESSION_STATE_MAILS,
  draft: {
    subject: 'Your session "{session_name}" for {event_name}',
    message: message('It is still a draft: it goes to the organizers for review once it is submitted.'),
  },
};

const { recipient: _recipient, ...templates } = SESSION_STATE_MAILS;
const TEMPLATES_BY_STATE = new Map<string, MailTemplate>(Object.entries(templates));

/** A template with its placeholders filled in; an unknown placeholder is left as written. */
export function fillTemplate(template: string, values: Partial<Record<(typeof SESSION_MAIL_PLACEHOLDERS)[number], string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as keyof typeof values]! : whole));
}

export interface SessionStateNews {
  to: string;
  eventName: string;
  eventIdentifier: string;
  sessionId: number;
  title: string;
  state: string;
}

/**
 * The mail of a state change, from its state's template (null for a state without one: draft), or from
 * `template`, an organizer's own subject and message (the notify dialog's), placeholders filled alike.
 */
export function sessionStateMail(site: Site, news: SessionStateNews, template: MailTemplate | undefined = TEMPLATES_BY_STATE.get(news.state)): Mail | null {
  if (!template) return null;
  const eventLink = `${site.frontendUrl}/e/${news.eventIdentifier}`;
  const values = {
    session_name: news.title,
    session_link: `${eventLink}/session/${news.sessionId}`,
    session_cfs_link: `${eventLink}/cfs/session/${news.sessionId}`,
    session_state: news.state,
    event_name: news.eventName,
    event_link: eventLink,
    app_name: site.appName,
    frontend_link: site.frontendUrl,
  };
  return {
    to: news.to,
    // A subject is one line, whatever the title holds.
    subject: fillTemplate(template.subject, values).replace(/\s+/g, ' ').trim(),
    text: fillTemplate(template.message, values).replace(/<br\s*\/?>/gi, '\n'),
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
