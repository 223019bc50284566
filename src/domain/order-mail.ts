// The buyer's order confirmation: mailed once, when an order becomes completed (a free order's form
// sent, or an organizer marking a paid one paid), with what was bought, who holds the tickets and a
// link to the order page.
import type { Queryable } from '../db/connection.ts';
import type { Site } from '../mail/account-mails.ts';
import { orderConfirmationMail } from '../mail/event-mails.ts';
import type { Mailer } from '../mail/mailer.ts';
import { findEvent } from './access.ts';
import { formatMinor, minorDigits } from './money.ts';
import { orderContents } from './order-records.ts';
import type { Order } from './orders.ts';
import { ticketsByIds } from './tickets.ts';
import { findUserById } from './users.ts';

/** Whether a change of an order completed it: the moment its buyer is sent the confirmation. */
export function completedBy(before: Pick<Order, 'status'>, after: Pick<Order, 'status'>): boolean {
  return before.status !== 'completed' && after.status === 'completed';
}

/** Mails the buyer of a completed order its confirmation. */
export async function mailOrderConfirmation(db: Queryable, mailer: Mailer, order: Order, site: Site): Promise<void> {
  const [event, buyer, { attendees, lines }] = await Promise.all([findEvent(db, order.eventId), findUserById(db, order.userId), orderContents(db, [order.id])]);
  if (!event || !buyer) return;
  const names = new Map((await ticketsByIds(db, lines.map((line) => line.ticketId))).map((ticket) => [ticket.id, ticket.name]));
  const digits = minorDigits(order.currency);
  const money = (minor: number) => `${formatMinor(minor, digits)}${order.currency ? ` ${order.currency}` : ''}`;
  await mailer.send(
    orderConfirmationMail(site, buyer.email, event, {
      identifier: order.identifier,
      lines: lines.map((line) => ({
        name: names.get(line.ticketId) ?? `Ticket ${line.ticketId}`,
        quantity: line.quantity,
        unitPrice: line.unitPriceMinor > 0 ? money(line.unitPriceMinor) : null,
      })),
      total: order.amountMinor > 0 ? money(order.amountMinor) : null,
      paidVia: order.paidVia,
      holders: attendees.map((attendee) => ({
        name: [attendee.firstname, attendee.lastname].filter(Boolean).join(' '),
        email: attendee.email,
        ticket: names.get(attendee.ticketId) ?? `Ticket ${attendee.ticketId}`,
      })),
    }),
  );
}
