// An event's orders and attendees as lists for their CSV exports, read a page at a time by id, with amounts
// turned into fixed-point text of the order's currency here (money never becomes a float). The attendees are
// those the API lists: holders of tickets in pending and completed orders.
import { and, asc, count, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { keysetBatches } from '../db/paging.ts';
import { attendees, orderTickets, orders, tickets, users, type OrderStatus } from '../db/schema/index.ts';
import { formatMinor, minorDigits } from './money.ts';
import { HOLDING } from './orders.ts';

export interface OrderListRow {
  identifier: string;
  createdAt: Date;
  status: string;
  paymentMode: string | null;
  paidVia: string | null;
  amount: string;
  currency: string | null;
  /** `2 × Early bird; 1 × Supporter` */
  tickets: string;
  quantity: number;
  buyerName: string;
  buyerEmail: string;
  country: string | null;
  orderNotes: string | null;
  completedAt: Date | null;
  expiresAt: Date | null;
}

export interface AttendeeListRow {
  orderIdentifier: string;
  orderCreatedAt: Date;
  orderStatus: string;
  ticket: string;
  ticketType: string;
  ticketPrice: string;
  currency: string | null;
  firstname: string;
  lastname: string;
  email: string;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  notes: string | null;
  isCheckedIn: boolean;
  checkinTimes: Date[];
}


const PAGE_SIZE = 1000;

/** `all`, or one order status (the `status` of the export request). */
function ordersWhere(eventId: number, status: string): SQL {
  return and(eq(orders.eventId, eventId), status === 'all' ? undefined : eq(orders.status, status as OrderStatus))!;
}

const attendeesWhere = (eventId: number): SQL => and(eq(attendees.eventId, eventId), inArray(orders.status, [...HOLDING]))!;

export async function countOrderList(db: Queryable, eventId: number, status: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(orders).where(ordersWhere(eventId, status));
  return row!.n;
}

export async function countAttendeeList(db: Queryable, eventId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(attendees).innerJoin(orders, eq(orders.id, attendees.orderId)).where(attendeesWhere(eventId));
  return row!.n;
}

export async function* streamOrderList(
  db: Queryable,
  eventId: number,
  status: string,
  onPage?: (done: number) => void | Promise<void>,
): AsyncGenerator<OrderListRow> {
  let done = 0;
  const pages = keysetBatches(
    (after: number | null, limit) =>
      db
        .select({ order: orders, email: users.email, firstName: users.firstName, lastName: users.lastName })
        .from(orders)
        .innerJoin(users, eq(users.id, orders.userId))
        .where(and(ordersWhere(eventId, status), gt(orders.id, after ?? 0)))
        .orderBy(asc(orders.id))
        .limit(limit),
    (row) => row.order.id,
    PAGE_SIZE,
  );
  for await (const rows of pages) {
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
  }
}

export async function* streamAttendeeList(
  db: Queryable,
  eventId: number,
  onPage?: (done: number) => void | Promise<void>,
): AsyncGenerator<AttendeeListRow> {
  let done = 0;
  const pages = keysetBatches(
    (after: number | null, limit) =>
      db
        .select({ attendee: attendees, order: orders, ticket: tickets, unitPriceMinor: orderTickets.unitPriceMinor })
        .from(attendees)
        .innerJoin(orders, eq(orders.id, attendees.orderId))
        .innerJoin(tickets, eq(tickets.id, attendees.ticketId))
        .innerJoin(orderTickets, and(eq(orderTickets.orderId, attendees.orderId), eq(orderTickets.ticketId, attendees.ticketId)))
        .where(and(attendeesWhere(eventId), gt(attendees.id, after ?? 0)))
        .orderBy(asc(attendees.id))
        .limit(limit),
    (row) => row.attendee.id,
    PAGE_SIZE,
  );
  for await (const rows of pages) {
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
  }
}
