// The mails of a completed order, sent once, when an order becomes completed (a free order's form sent,
// or an organizer marking a paid one paid): the buyer's confirmation, with what was bought, who holds
// the tickets and a link to the order page; and, as OES, one mail to each other address among the
// attendees with the tickets held there (addresses compared without regard to case, as mail does).
import type { Queryable } from '../db/connection.ts';
import type { Site } from '../mail/account-mails.ts';
import { attendeeTicketsMail, orderConfirmationMail } from '../mail/event-mails.ts';
import type { Mailer } from '../mail/mailer.ts';
import { findEvent, type Event } from './access.ts';
import { formatMinor, minorDigits } from './money.ts';
import { orderContents, type OrderContents } from './order-records.ts';
import type { Order } from './orders.ts';
import { ticketsByIds } from './tickets.ts';
import { findUserById, type User } from './users.ts';

/** Whether a change of an order completed it: the moment its buyer is sent the confirmation. */
export function completedBy(before: Pick<Order, 'status'>, after: Pick<Order, 'status'>): boolean {
  return before.status !== 'completed' && after.status === 'completed';
}

/** One address as mail compares it: `Ada@Example.org` and `ada@example.org ` are one person. */
const mailbox = (email: string) => email.trim().toLowerCase();

/** What the caller has already read of the order: not read again. */
export interface KnownOfOrder {
  event?: Event | null;
  buyer?: User | null;
  contents?: OrderContents;
}

/** Mails the buyer of a completed order its confirmation, and each other attendee address its tickets. */
export async function mailOrderConfirmation(db: Queryable, mailer: Mailer, order: Order, site: Site, known: KnownOfOrder = {}): Promise<void> {
  const [event, buyer, { attendees, lines }] = await Promise.all([
    known.event?.id === order.eventId ? known.event : findEvent(db, order.eventId),
    known.buyer?.id === order.userId ? known.buyer : findUserById(db, order.userId),
    known.contents ?? orderContents(db, [order.id]),
  ]);
  if (!event || !buyer) return;
  const names = new Map((await ticketsByIds(db, lines.map((line) => line.ticketId))).map((ticket) => [ticket.id, ticket.name]));
  const digits = minorDigits(order.currency);
  const ticketName = (ticketId: number) => names.get(ticketId) ?? `Ticket ${ticketId}`;
  const holderName = (attendee: { firstname: string; lastname: string }) => [attendee.firstname, attendee.lastname].filter(Boolean).join(' ');
  const money = (minor: number) => `${formatMinor(minor, digits)}${order.currency ? ` ${order.currency}` : ''}`;
  await mailer.send(
    orderConfirmationMail(site, buyer.email, event, {
      identifier: order.identifier,
      lines: lines.map((line) => ({
        name: ticketName(line.ticketId),
        quantity: line.quantity,
        unitPrice: line.unitPriceMinor > 0 ? money(line.unitPriceMinor) : null,
      })),
      total: order.amountMinor > 0 ? money(order.amountMinor) : null,
      discount: order.discountMinor > 0 ? money(order.discountMinor) : null,
      tax: order.taxName === null ? null : { name: order.taxName, rate: order.taxRate ?? 0, amount: money(order.taxMinor), included: order.taxIncluded === true },
      paidVia: order.paidVia,
      holders: attendees.map((attendee) => ({
        name: holderName(attendee),
        email: attendee.email,
        ticket: ticketName(attendee.ticketId),
      })),
    }),
  );

  // Each other address once, with every ticket held there, in the order the attendees were given.
  const others = new Map<string, { to: string; held: typeof attendees }>();
  for (const attendee of attendees) {
    const key = mailbox(attendee.email);
    if (!key || key === mailbox(buyer.email)) continue;
    const entry = others.get(key) ?? others.set(key, { to: attendee.email.trim(), held: [] }).get(key)!;
    entry.held.push(attendee);
  }
  const buyerName = [buyer.firstName, buyer.lastName].filter(Boolean).join(' ') || buyer.email;
  for (const { to, held } of others.values()) {
    await mailer.send(
      attendeeTicketsMail(site, to, event, {
        identifier: order.identifier,
        buyer: buyerName,
        tickets: held.map((attendee) => ({ holder: holderName(attendee), ticket: ticketName(attendee.ticketId) })),
        eventPage: `${site.frontendUrl}/e/${encodeURIComponent(event.identifier)}`,
      }),
    );
  }
}
