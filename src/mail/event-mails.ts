// The mails about taking part in an event: the buyer's order confirmation, the tickets mailed to each
// attendee the buyer named (another address than the buyer's), and an invitation to an event's team. Plain text like the account mails, so each link is exactly what the reader sees; the
// links point at the web client's pages under `frontend-url` (OES's client routes /orders/{id}/view and
// /role-invites?token=…).
import type { Site } from './account-mails.ts';
import type { Mail } from './mailer.ts';

/** When and where an event is, as its mails state it. */
export interface EventFacts {
  name: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  locationName: string | null;
  online: boolean;
}

export interface ConfirmedOrder {
  identifier: string;
  /** Each ticket bought: its name, how many, and the price of one as text with its currency ("12.50 EUR"), or null when free. */
  lines: { name: string; quantity: number; unitPrice: string | null }[];
  /** The order's total as text with its currency, or null for a free order. */
  total: string | null;
  /** What a discount code took off, as text with its currency; null without one. */
  discount: string | null;
  /** The tax charged, as it was when the order was placed; null when the event charged none. */
  tax: { name: string; rate: number; amount: string; included: boolean } | null;
  paidVia: string | null;
  holders: { name: string; email: string; ticket: string }[];
}

/** One formatter per time zone: making one costs far more than formatting with it (a mail per order in a rush). */
const formats = new Map<string, Intl.DateTimeFormat>();

/** A moment in the event's own time zone, with the zone's name: "Tuesday 10 March 2031, 09:00 (Europe/Berlin)". */
function inZone(at: Date, timezone: string): string {
  let format = formats.get(timezone);
  if (!format) formats.set(timezone, (format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full', timeStyle: 'short' })));
  const text = format.format(at);
  return `${text.replace(' at ', ', ')} (${timezone})`;
}

function where(event: EventFacts): string {
  if (event.locationName) return event.locationName;
  return event.online ? 'Online' : 'To be announced';
}

/** The event as both order mails give it: its name, when (in its own zone) and where. */
function eventLines(event: EventFacts): string[] {
  return [event.name, `From: ${inZone(event.startsAt, event.timezone)}`, `To:   ${inZone(event.endsAt, event.timezone)}`, `Where: ${where(event)}`];
}

/** The order page of the web client, where the buyer sees the order and its tickets. */
export function orderPageLink(site: Site, identifier: string): string {
  return `${site.frontendUrl}/orders/${encodeURIComponent(identifier)}/view`;
}

export function orderConfirmationMail(site: Site, to: string, event: EventFacts, order: ConfirmedOrder): Mail {
  const tickets = order.lines.map((line) => `  ${line.quantity} × ${line.name}${line.unitPrice ? ` at ${line.unitPrice}` : ' (free)'}`);
  const holders = order.holders.map((holder) => `  ${holder.name ? `${holder.name} <${holder.email}>` : holder.email}: ${holder.ticket}`);
  return {
    to,
    subject: `Your order for ${event.name} is confirmed`,
    text: [
      `Thank you for your order on ${site.appName}. It is complete: your tickets are yours.`,
      '',
      ...eventLines(event),
      '',
      `Order ${order.identifier}`,
      ...tickets,
      ...(order.discount ? [`Discount: -${order.discount}`] : []),
      // Tax added on top is why the total is more than the tickets; tax included is said, not added.
      ...(order.tax ? [`${order.tax.included ? 'Of which ' : ''}${order.tax.name} (${order.tax.rate} %): ${order.tax.amount}`] : []),
      order.total ? `Total: ${order.total}${order.paidVia ? `, paid via ${order.paidVia}` : ''}` : 'Total: free',
      '',
      'Ticket holders:',
      ...holders,
      '',
      'Your order and its tickets:',
      orderPageLink(site, order.identifier),
    ].join('\n'),
  };
}

/** The tickets one person holds in someone else's order. */
export interface HeldTickets {
  identifier: string;
  /** Who ordered them: their name, or their email when they gave none. */
  buyer: string;
  /** Each ticket held at this address: the holder's name as the buyer gave it, and the ticket's name. */
  tickets: { holder: string; ticket: string }[];
  /** The event's public page in the web client. */
  eventPage: string;
}

/**
 * To an attendee whose tickets someone else bought (OES's "ticket purchased" mail to attendees): what
 * they hold, and when and where the event is. The order page is the buyer's alone, so it is not linked;
 * the event's page is.
 */
export function attendeeTicketsMail(site: Site, to: string, event: EventFacts, held: HeldTickets): Mail {
  const count = held.tickets.length;
  return {
    to,
    subject: `Your ${count === 1 ? 'ticket' : 'tickets'} for ${event.name}`,
    text: [
      `${held.buyer} ordered ${count === 1 ? 'a ticket' : `${count} tickets`} for you on ${site.appName}. The order is complete: ${count === 1 ? 'the ticket is' : 'they are'} yours.`,
      '',
      ...eventLines(event),
      '',
      `Your ${count === 1 ? 'ticket' : 'tickets'} (order ${held.identifier}):`,
      ...held.tickets.map((ticket) => `  ${ticket.ticket}${ticket.holder ? ` for ${ticket.holder}` : ''}`),
      '',
      'The event:',
      held.eventPage,
      '',
      `${held.buyer} manages the order: ask them about changes to it.`,
    ].join('\n'),
  };
}

/** How a role reads in a sentence ("a co-organizer"). */
const ROLE_WORDS: Record<string, string> = {
  owner: 'the owner',
  organizer: 'an organizer',
  coorganizer: 'a co-organizer',
  track_organizer: 'a track organizer',
  registrar: 'a registrar',
  moderator: 'a moderator',
  attendee: 'an attendee',
};

/** The web client's page that takes an invitation's token: it signs the invitee in (or up) and accepts. */
export function invitePageLink(site: Site, hash: string): string {
  return `${site.frontendUrl}/role-invites?token=${encodeURIComponent(hash)}`;
}

export function roleInviteMail(site: Site, to: string, invite: { roleName: string; hash: string }, event: EventFacts, invitedBy: string): Mail {
  const role = ROLE_WORDS[invite.roleName] ?? `a ${invite.roleName}`;
  return {
    to,
    subject: `Invitation to be ${role} of ${event.name}`,
    text: [
      `${invitedBy} invites you to be ${role} of ${event.name} on ${site.appName}.`,
      '',
      `${event.name}: ${inZone(event.startsAt, event.timezone)}, ${where(event)}`,
      '',
      `To accept, open this link and sign in (or sign up) with this email address, ${to}:`,
      invitePageLink(site, invite.hash),
      '',
      'If you do not want to join, ignore this mail: nothing changes unless you accept.',
    ].join('\n'),
  };
}
