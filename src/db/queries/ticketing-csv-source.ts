// Reads an event's orders and attendees for their CSV exports, a page at a time by id, with amounts turned into
// fixed-point text of the order's currency here (money never becomes a float). The attendees are those the API
// lists: holders of tickets in pending and completed orders.
import { and, asc, count, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { Queryable } from '../connection.ts';
import { attendees, orderTickets, orders, tickets, users, type OrderStatus } from '../schema/index.ts';
import { formatMinor, minorDigits } from '../../domain/money.ts';
import type { CsvAttendeeRow, CsvOrderRow } from '../../calendar/ticketing-csv.ts';

const PAGE_SIZE = 1000;
const HOLDING: OrderStatus[] = ['pending', 'completed'];

/** `all`, or one order status (the `status` of the export request). */
function ordersWhere(eventId: number, status: string): SQL {
  return and(eq(orders.eventId, eventId), status === 'all' ? undefined : eq(orders.status, status as OrderStatus))!;
}

const attendeesWhere = (eventId: number): SQL => and(eq(attendees.eventId, eventId), inArray(orders.status, HOLDING))!;

export async function countCsvOrders(db: Queryable, eventId: number, status: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(orders).where(ordersWhere(eventId, status));
  return row!.n;
}

export async function countCsvAttendees(db: Queryable, eventId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(attendees).innerJoin(orders, eq(orders.id, attendees.orderId)).where(attendeesWhere(eventId));
  return row!.n;
}

export async function* streamCsvOrders(
  db: Queryable,
  eventId: number,
  status: string,
  onPage?: (done: number) => void | Promise<void>,
): AsyncGenerator<CsvOrderRow> {
  let afterId = 0;
  let done = 0;
  for (;;) {
    const rows = await db
      .select({ order: orders, email: users.email, firstName: users.firstName, lastName: users.lastName })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(and(ordersWhere(eventId, status), gt(orders.id, afterId)))
      .orderBy(asc(orders.id))
      .limit(PAGE_SIZE);
    if (rows.length === 0) return;
    const lines = await db
      .select({ orderId: orderTickets.orderId, quantity: orderTickets.quantity, name: tickets.name })
      .from(orderTickets)
      .innerJoin(tickets, eq(tickets.id, orderTickets.ticketId))
      .where(inArray(orderTickets.orderId, rows.map((row) => row.order.id)))
      .orderBy(asc(orderTickets.ticketId));
    for (const { order, email, firstName, lastName } of rows) {
      const bought = lines.filter((line) => line.orderId === order.id);
      yield {
        identifier: order.identifier,
        createdAt: order.createdAt,
        status: order.status,
        paymentMode: order.paymentMode,
        paidVia: order.paidVia,
        amount: formatMinor(order.amountMinor, minorDigits(order.currency)),
        currency: order.currency,
        tickets: bought.map((line) => `${line.quantity} × ${line.name}`).join('; '),
        quantity: bought.reduce((sum, line) => sum + line.quantity, 0),
        buyerName: [firstName, lastName].filter(Boolean).join(' '),
        buyerEmail: email,
        country: order.country,
        orderNotes: order.orderNotes,
        completedAt: order.completedAt,
        expiresAt: order.expiresAt,
      };
    }
    done += rows.length;
    await onPage?.(done);
    afterId = rows.at(-1)!.order.id;
    if (rows.length < PAGE_SIZE) return;
  }
}

export async function* streamCsvAttendees(
  db: Queryable,
  eventId: number,
  onPage?: (done: number) => void | Promise<void>,
): AsyncGenerator<CsvAttendeeRow> {
  let afterId = 0;
  let done = 0;
  for (;;) {
    const rows = await db
      .select({ attendee: attendees, order: orders, ticket: tickets, unitPriceMinor: orderTickets.unitPriceMinor })
      .from(attendees)
      .innerJoin(orders, eq(orders.id, attendees.orderId))
      .innerJoin(tickets, eq(tickets.id, attendees.ticketId))
      .innerJoin(orderTickets, and(eq(orderTickets.orderId, attendees.orderId), eq(orderTickets.ticketId, attendees.ticketId)))
      .where(and(attendeesWhere(eventId), gt(attendees.id, afterId)))
      .orderBy(asc(attendees.id))
      .limit(PAGE_SIZE);
    if (rows.length === 0) return;
    for (const { attendee, order, ticket, unitPriceMinor } of rows) {
      yield {
        orderIdentifier: order.identifier,
        orderCreatedAt: order.createdAt,
        orderStatus: order.status,
        ticket: ticket.name,
        ticketType: ticket.type,
        // What this attendee's ticket cost in their order (a donation's own amount), not today's price.
        ticketPrice: formatMinor(unitPriceMinor, minorDigits(order.currency)),
        currency: order.currency,
        firstname: attendee.firstname,
        lastname: attendee.lastname,
        email: attendee.email,
        address: attendee.address,
        city: attendee.city,
        state: attendee.state,
        country: attendee.country,
        notes: attendee.attendeeNotes,
        isCheckedIn: attendee.isCheckedIn,
        checkinTimes: attendee.checkinTimes,
      };
    }
    done += rows.length;
    await onPage?.(done);
    afterId = rows.at(-1)!.attendee.id;
    if (rows.length < PAGE_SIZE) return;
  }
}
