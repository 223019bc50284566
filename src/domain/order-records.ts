// Reading orders and their attendees. Who sees them: the buyer, the event's organizers and registrars,
// and admins; for anyone else they do not exist (404), so neither an order nor an event's sales leak.
// One order or attendee for a viewer, the lists (an event's orders and attendees, your own orders),
// and the rows an order's document relates to.
import { and, asc, count, desc, eq, exists, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { attendees, events, orderTickets, orders, tickets } from '../db/schema/index.ts';
import { accessFor, eventAccess, orderAccess, orderViewOf, rolesColumn, type EventAccess } from './access.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { refuse } from './refusal.ts';
import { HOLDING, type Attendee, type Order, type OrderLine } from './orders.ts';
import { findUserById, type User } from './users.ts';

/** The columns order lists filter and sort on, by key. */
export const orderColumns = getTableColumns(orders);
/** The columns attendee lists filter and sort on, by key. */
export const attendeeColumns = getTableColumns(attendees);
/** Lists of orders show the newest first; attendees in the order they were added. */
export const newestOrdersFirst = (): SQL[] => [desc(orders.id)];
export const attendeesInIdOrder = (): SQL[] => [asc(attendees.id)];

/** One page of a list: its filter and sort (built from the request) and where the page starts. */
export interface ListWindow {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

/** What a viewer may do with an order they may see. */
export interface OrderView {
  access: EventAccess | null;
  isBuyer: boolean;
  canSee: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC_ID = /^[1-9]\d{0,14}$/;

/** An order by identifier (or numeric id) and what the viewer may do with it; NotFoundError for those who may not see it. */
export async function orderForViewer(db: Queryable, key: string, user: User | null): Promise<{ order: Order; view: OrderView }> {
  const where = UUID.test(key) ? eq(orders.identifier, key.toLowerCase()) : NUMERIC_ID.test(key) ? eq(orders.id, Number(key)) : null;
  // One round trip: the order, its event and the viewer's roles in it (every order page and form asks).
  const [found] = where
    ? await db
        .select({ order: orders, event: events, roles: rolesColumn(user, orders.eventId) })
        .from(orders)
        .innerJoin(events, eq(events.id, orders.eventId))
        .where(where)
    : [];
  if (!found) throw new NotFoundError('Not found');
  const { order, event, roles } = found;
  // As eventAccess: a deleted event gives no access (its buyer still sees the order).
  const view = orderViewOf(order, user && !event.deletedAt ? accessFor(event, new Set(roles), user) : null, user);
  if (!view.canSee) throw new NotFoundError('Not found');
  return { order, view };
}

/** An attendee, their order, and what the viewer may do; NotFoundError for those who may not see them. */
export async function attendeeForViewer(db: Queryable, id: number, user: User | null): Promise<{ attendee: Attendee; order: Order; view: OrderView }> {
  const [found] = await db.select({ attendee: attendees, order: orders }).from(attendees).innerJoin(orders, eq(orders.id, attendees.orderId)).where(eq(attendees.id, id));
  const view = found ? await orderAccess(db, found.order, user) : null;
  if (!found || !view?.canSee) throw new NotFoundError('Not found');
  return { ...found, view };
}

/**
 * The event whose orders or attendees (`what`) the user asks for, when they may see them: its
 * organizers and registrars, and admins. The rest of its team is told no (403); for everyone else the
 * event's registry does not exist (404).
 */
export async function registryOf(db: Queryable, eventKey: string, user: User, what: string): Promise<EventAccess> {
  const access = await eventAccess(db, eventKey, user);
  if (!access?.canRegister) refuse(user, !!access?.isTeam, `Only the event's organizers and registrars see its ${what}`);
  return access;
}

function ordersWhere(db: Queryable, scope: SQL, window: ListWindow): Promise<Page<Order>> {
  const where = and(scope, window.where);
  return listPage(
    db.select().from(orders).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(orders).where(where),
  );
}

/** A page of the event's orders, of every status. */
export const listEventOrders = (db: Queryable, eventId: number, window: ListWindow) => ordersWhere(db, eq(orders.eventId, eventId), window);

/** Whose orders a viewer may list at /v1/users/{id}/orders: their own; admins anyone's. */
export async function orderBuyerFor(db: Queryable, viewer: User, userId: number): Promise<number> {
  if (viewer.id === userId) return userId;
  if (!viewer.isAdmin) throw new ForbiddenError('Only the user and admins see a user’s orders');
  if (!(await findUserById(db, userId))) throw new NotFoundError('User not found');
  return userId;
}

/** A page of the user's own orders, in every event. */
export const listOrdersOf = (db: Queryable, userId: number, window: ListWindow) => ordersWhere(db, eq(orders.userId, userId), window);

/** A page of the event's attendees: the holders of tickets of pending and completed orders (the others gave theirs back). */
export function listEventAttendees(db: Queryable, eventId: number, window: ListWindow): Promise<Page<Attendee>> {
  const holding = db.select({ id: orders.id }).from(orders).where(and(eq(orders.eventId, eventId), inArray(orders.status, [...HOLDING])));
  const where = and(eq(attendees.eventId, eventId), inArray(attendees.orderId, holding), window.where);
  return listPage(
    db.select().from(attendees).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(attendees).where(where),
  );
}

/** The attendees and ticket lines of orders, each in id order. */
/** The attendees and lines of orders, in id order. */
export interface OrderContents {
  attendees: Attendee[];
  lines: OrderLine[];
}

export async function orderContents(db: Queryable, orderIds: number[]): Promise<OrderContents> {
  if (orderIds.length === 0) return { attendees: [], lines: [] };
  const [people, lines] = await Promise.all([
    db.select().from(attendees).where(inArray(attendees.orderId, orderIds)).orderBy(asc(attendees.id)),
    db.select().from(orderTickets).where(inArray(orderTickets.orderId, orderIds)).orderBy(asc(orderTickets.ticketId)),
  ]);
  return { attendees: people, lines };
}

/** Orders by id, in id order. */
export async function ordersByIds(db: Queryable, ids: number[]): Promise<Order[]> {
  if (ids.length === 0) return [];
  return db.select().from(orders).where(inArray(orders.id, [...new Set(ids)])).orderBy(asc(orders.id));
}

/** Attendee lists filtered on their order (`{"name":"order","op":"has","val":…}`): attendees whose order matches `where`. */
export const attendeesWhoseOrder = (where: SQL | undefined): SQL =>
  sql`EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.id} = ${attendees.orderId} AND ${where ?? sql`TRUE`})`;

function attendeesWhere(db: Queryable, scope: SQL | undefined, window: ListWindow): Promise<Page<Attendee>> {
  const where = and(scope, window.where);
  return listPage(
    db.select().from(attendees).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(attendees).where(where),
  );
}

/** A page of one order's attendees, whatever its status (the order page shows them). */
export const listOrderAttendees = (db: Queryable, orderId: number, window: ListWindow) => attendeesWhere(db, eq(attendees.orderId, orderId), window);

/**
 * A page of the attendees holding a ticket, as `user` may see them: the event's organizers,
 * registrars and admins see all of them, a buyer those of their own orders (the order page asks per
 * ticket, filtered to its order). For anyone who bought none of it the list does not exist (404).
 */
export async function listTicketAttendees(db: Queryable, ticketId: number, user: User, window: ListWindow): Promise<Page<Attendee>> {
  const [ticket] = await db.select({ eventId: tickets.eventId }).from(tickets).where(eq(tickets.id, ticketId));
  const access = ticket ? await eventAccess(db, ticket.eventId, user) : null;
  const ofTicket = eq(attendees.ticketId, ticketId);
  if (access?.canRegister || (ticket && user.isAdmin)) return attendeesWhere(db, ofTicket, window);
  // The buyer's orders that bought this ticket (a fresh query each time: builders change as they are used).
  const own = () =>
    db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.userId, user.id), exists(db.select({ one: orderTickets.ticketId }).from(orderTickets).where(and(eq(orderTickets.orderId, orders.id), eq(orderTickets.ticketId, ticketId))))));
  const [bought] = ticket ? await own().limit(1) : [];
  if (!bought) throw new NotFoundError('Not found');
  return attendeesWhere(db, and(ofTicket, inArray(attendees.orderId, own())), window);
}

/** The event of an order its viewer may see, as they see it: its buyer sees it even once it is no longer public. */
export async function eventOfOrder(db: Queryable, order: Order, user: User | null): Promise<EventAccess> {
  const access = await eventAccess(db, order.eventId, user);
  if (!access) throw new NotFoundError('The event of this order has been deleted');
  return access;
}
