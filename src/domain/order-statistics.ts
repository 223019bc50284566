// Order statistics (OES's order-statistics-event and order-statistics-ticket): how many orders,
// tickets and how much money each order status holds, for an event's dashboard and per ticket. Who
// may read them is whoever may read the orders (registryOf): they are the same facts, summed.
import { and, count, eq, isNull, sql, sum } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { orderTickets, orders, tickets } from '../db/schema/index.ts';
import type { EventAccess } from './access.ts';
import { NotFoundError } from './errors.ts';
import { fromMinor, minorDigits } from './money.ts';
import { registryOf } from './order-records.ts';
import type { OrderStatus } from './orders.ts';
import type { User } from './users.ts';

/**
 * OES's order statuses; `draft` and `placed` never happen in openevent (no drafts, no gateways) and are
 * 0. As in OES, orders still `initializing` (the attendee form not sent yet) count in the total only.
 */
const STATUSES = ['draft', 'cancelled', 'pending', 'expired', 'placed', 'completed'] as const;

export type StatusCounts = Record<'total' | (typeof STATUSES)[number], number>;

export interface OrderStatistics {
  orders: StatusCounts;
  /** Tickets in orders of each status; for an event also `max`, the tickets it has on offer in all. */
  tickets: StatusCounts & { max?: number };
  /** Amounts of each status, as decimals of the event's currency. */
  sales: StatusCounts;
}

type ByStatus = { status: OrderStatus; orders: number; tickets: number; salesMinor: number }[];

function counts(rows: ByStatus, value: (row: ByStatus[number]) => number, scale = (n: number) => n): StatusCounts {
  const result = { total: 0, draft: 0, cancelled: 0, pending: 0, expired: 0, placed: 0, completed: 0 } as StatusCounts;
  let total = 0;
  for (const row of rows) {
    if (row.status !== 'initializing') result[row.status] = scale(value(row));
    total += value(row);
  }
  result.total = scale(total);
  return result;
}

function statistics(rows: ByStatus, currency: string | null): OrderStatistics {
  const digits = minorDigits(currency);
  return {
    orders: counts(rows, (row) => row.orders),
    tickets: counts(rows, (row) => row.tickets),
    sales: counts(rows, (row) => row.salesMinor, (minor) => fromMinor(minor, digits)),
  };
}

/** The statistics of the event's orders; sales are what the orders cost (an organizer's amount included). */
export async function eventOrderStatistics(db: Queryable, eventKey: string, user: User): Promise<{ access: EventAccess; statistics: OrderStatistics }> {
  const access = await registryOf(db, eventKey, user, 'order statistics');
  const eventId = access.event.id;
  const ticketsPerOrder = db
    .select({ orderId: orderTickets.orderId, quantity: sum(orderTickets.quantity).as('quantity') })
    .from(orderTickets)
    .groupBy(orderTickets.orderId)
    .as('ticket_counts');
  const [rows, [offered]] = await Promise.all([
    db
      .select({
        status: orders.status,
        orders: count().mapWith(Number),
        tickets: sql<number>`coalesce(sum(${ticketsPerOrder.quantity}), 0)`.mapWith(Number),
        salesMinor: sql<number>`coalesce(sum(${orders.amountMinor}), 0)`.mapWith(Number),
      })
      .from(orders)
      .leftJoin(ticketsPerOrder, eq(ticketsPerOrder.orderId, orders.id))
      .where(eq(orders.eventId, eventId))
      .groupBy(orders.status),
    db.select({ max: sql<number>`coalesce(sum(${tickets.quantity}), 0)`.mapWith(Number) }).from(tickets).where(and(eq(tickets.eventId, eventId), isNull(tickets.deletedAt))),
  ]);
  const result = statistics(rows, access.event.paymentCurrency);
  result.tickets.max = offered?.max ?? 0;
  return { access, statistics: result };
}

/** The statistics of one ticket's orders; sales are what its lines cost. */
export async function ticketOrderStatistics(db: Queryable, ticketId: number, user: User): Promise<OrderStatistics> {
  const [ticket] = await db.select({ eventId: tickets.eventId }).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw new NotFoundError('Not found');
  const access = await registryOf(db, String(ticket.eventId), user, 'order statistics');
  const rows = await db
    .select({
      status: orders.status,
      orders: count().mapWith(Number),
      tickets: sql<number>`coalesce(sum(${orderTickets.quantity}), 0)`.mapWith(Number),
      salesMinor: sql<number>`coalesce(sum(${orderTickets.quantity}::bigint * ${orderTickets.unitPriceMinor}), 0)`.mapWith(Number),
    })
    .from(orderTickets)
    .innerJoin(orders, eq(orders.id, orderTickets.orderId))
    .where(eq(orderTickets.ticketId, ticketId))
    .groupBy(orders.status);
  return statistics(rows, access.event.paymentCurrency);
}
