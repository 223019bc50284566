// Selling tickets. No ticket is ever sold twice: an order is placed in one transaction that checks
// every rule, writes the order, and then takes its tickets with one atomic conditional update per
// ticket (`sold_count + q <= quantity`, on the ticket as it was checked), in ascending id order so two
// orders never wait on each other in a cycle. The database also refuses a `sold_count` above the
// `quantity`. Every path that gives tickets back (expiry, cancellation) goes through
// `releaseTickets`, locking in the same order.
//
// As in OES, every order starts `initializing`, free ones too: it holds its tickets while the buyer
// fills in the attendee form, and then the buyer finishes it (`finishOrder`): a free order becomes
// completed, a paid one `pending` with a payment mode the event offers. Unfinished orders (initializing
// or pending) hold their tickets until `expires_at`; `expireOrders` (the order-expiry job) gives back
// what was never finished or paid. `confirmPayment` is the one way an order becomes paid: organizers
// call it today (PATCH status completed), a card gateway's webhook would tomorrow. So that one buyer
// cannot hold a ticket's stock with orders they never pay, an event caps the tickets one buyer holds in
// unfinished paid orders (`max_pending_tickets_per_buyer`); buyers cancel their own unfinished orders
// (`cancelOrder` from UNFINISHED), which gives the tickets back at once.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lte, sql, sum } from 'drizzle-orm';
import type { Database, Queryable, Transaction } from '../db/connection.ts';
import { ORDER_STATUSES, attendees, events, orderTickets, orders, tickets, type OrderStatus } from '../db/schema/index.ts';
import { accessFor, rolesColumn, type Event, type EventAccess } from './access.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from './errors.ts';
import { minorDigits } from './money.ts';
import { accessCodeFor, checkCodeQuantity, checkedAccessCode, discountCodeFor, releaseCodeUses, takeCodeUses, usesLeft } from './codes.ts';
import { checkLine, checkNotHidden, checkPendingCap, orderAmount, planDiscount, refused, soldOut, unitPrice, type RequestPath } from './pricing.ts';
import { salesTaxOf, taxedTotal, taxOn } from './sales-tax.ts';
import type { Ticket } from './tickets.ts';
import type { User } from './users.ts';

export { ORDER_STATUSES, type OrderStatus };

/** How a buyer may say they will pay, in create-order (free orders are `free`). */
export const PAYMENT_MODES = ['bank', 'cheque', 'onsite', 'paypal', 'stripe'] as const;
/** Every payment mode OES knows, as an order's `payment-mode` may name it. */
export const OES_PAYMENT_MODES = ['free', 'stripe', 'paypal', 'bank', 'cheque', 'onsite', 'omise', 'alipay', 'paytm', 'invoice'] as const;

/** The payment modes a buyer may choose for a paid order: the offline ones the event offers (no card gateway yet). */
export function offeredPaymentModes(event: Pick<Event, 'canPayByBank' | 'canPayByCheque' | 'canPayOnsite'>): string[] {
  const modes: string[] = [];
  if (event.canPayByBank) modes.push('bank');
  if (event.canPayByCheque) modes.push('cheque');
  if (event.canPayOnsite) modes.push('onsite');
  return modes;
}
/** How a payment was confirmed: by an organizer (bank, cheque, onsite, other) or, later, a gateway. */
export const PAID_VIA = ['bank', 'cheque', 'onsite', 'paypal', 'stripe', 'other'] as const;

export type Order = typeof orders.$inferSelect;
export type Attendee = typeof attendees.$inferSelect;
export type OrderLine = typeof orderTickets.$inferSelect;

export interface LineRequest {
  ticketId: number;
  quantity: number;
  /** Donation tickets only: what the buyer gives per ticket, as a decimal (12.5 or "12.50"). */
  price?: number | string | null;
}

export interface AttendeeRequest {
  ticketId: number;
  firstname: string;
  lastname: string;
  email: string;
  address?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  attendeeNotes?: string | null;
}

export interface OrderRequest {
  buyer: User;
  lines: LineRequest[];
  /** One per ticket bought; when absent, each ticket gets the buyer as its attendee. */
  attendees?: AttendeeRequest[];
  /** The amount to charge instead of the computed one: honoured only when an organizer of the event orders. */
  amount?: number | string | null;
  paymentMode?: string | null;
  orderNotes?: string | null;
  country?: string | null;
  /** A discount code of the event: its id (OES's client sends the id) or the code itself. */
  discountCode?: string | number | null;
  /** An access code of the event, which unlocks its hidden tickets: its id or the code itself. */
  accessCode?: string | number | null;
}

export interface PlacedOrder {
  order: Order;
  lines: OrderLine[];
  attendees: Attendee[];
}

/** The rules that need no database: at least one ticket, each listed once, attendees matching the quantities. */
function checkRequest(request: OrderRequest): LineRequest[] {
  const seen = new Set<number>();
  request.lines.forEach((line, index) => {
    if (seen.has(line.ticketId)) throw refused(`Ticket ${line.ticketId} is listed twice`, ['tickets', index, 'id']);
    seen.add(line.ticketId);
  });
  // OES clients list every ticket of the event, with 0 for those not bought.
  const lines = request.lines.filter((line) => line.quantity > 0);
  if (lines.length === 0) throw refused('Choose at least one ticket (a quantity above 0)', ['tickets']);
  if (request.attendees) {
    request.attendees.forEach((attendee, index) => {
      if (!lines.some((line) => line.ticketId === attendee.ticketId)) {
        throw refused(`Attendee ${index + 1} holds ticket ${attendee.ticketId}, which this order does not buy`, ['attendees', index, 'ticket']);
      }
    });
    for (const line of lines) {
      const holders = request.attendees.filter((attendee) => attendee.ticketId === line.ticketId).length;
      if (holders !== line.quantity) {
        throw refused(`${line.quantity} of ticket ${line.ticketId} bought but ${holders} attendees given for it: give one per ticket`, ['attendees']);
      }
    }
  }
  return lines;
}

/** A ticket changed (edited, deleted) between the checks and the sale: the order is tried again on the new ticket. */
class TicketChanged extends Error {
  override name = 'TicketChanged';
}

const ATTEMPTS = 3;

/**
 * Places an order, in one transaction: every rule is checked, the order, its lines and attendees are
 * written, and only then are the tickets taken, each by one atomic conditional update. Throws (and
 * keeps nothing) InvalidError when a rule is broken, ConflictError when not enough tickets are left.
 */
export async function placeOrder(db: Database, request: OrderRequest, now = new Date()): Promise<PlacedOrder> {
  // OES's web client disables "Order Now" for unverified accounts; the API holds the same line.
  if (!request.buyer.isVerified) throw new ForbiddenError('Verify your email address before placing an order');
  const lines = checkRequest(request);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => placeOnce(tx, request, lines, now));
    } catch (error) {
      if (!(error instanceof TicketChanged) || attempt === ATTEMPTS) throw error;
    }
  }
}

/** The first key of the advisory locks that make one buyer's orders in one event take turns; any fixed number. */
const PENDING_CAP_LOCK_CLASS = 7_401;

/** Orders not finished yet: the attendee form not sent (initializing) or the payment not confirmed (pending). */
export const UNFINISHED: readonly OrderStatus[] = ['initializing', 'pending'];

/**
 * How many tickets the buyer holds in the event's unfinished paid orders. Orders whose time is up count
 * no longer, though the expiry job may not have freed their tickets yet.
 */
export async function pendingTicketsOf(db: Queryable, buyerId: number, eventId: number, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ held: sum(orderTickets.quantity).mapWith(Number) })
    .from(orderTickets)
    .innerJoin(orders, eq(orders.id, orderTickets.orderId))
    .where(
      and(
        eq(orders.userId, buyerId),
        eq(orders.eventId, eventId),
        inArray(orders.status, [...UNFINISHED]),
        gt(orders.amountMinor, 0),
        gt(orders.expiresAt, now),
      ),
    );
  return row?.held ?? 0;
}

/** A ticket as read for the checks, with the exact text of its updated_at: the version the sale is made against. */
const versioned = { ticket: tickets, version: sql<string>`${tickets.updatedAt}::text` };

/** The tickets an order or a quote names, checked to be one living event's, and what the buyer may do in that event. */
export interface OrderTickets {
  event: Event;
  access: EventAccess;
  /** Each named ticket as read, with the version a sale is made against. */
  byId: Map<number, { ticket: Ticket; version: string }>;
  /** Decimals of the event's payment currency. */
  digits: number;
}

/**
 * Reads the tickets of `lines` and refuses (422, at the line) what no order may name: a ticket that
 * does not exist or was deleted, tickets of two events, an event that was deleted, is not published
 * or that `buyer` may not see. `preview`: the event's team may price the tickets of an unpublished
 * event (a quote, not a sale).
 */
export async function readOrderTickets(
  db: Queryable,
  lines: LineRequest[],
  buyer: User | null,
  at: (line: LineRequest, field?: string) => RequestPath,
  options: { preview?: boolean } = {},
): Promise<OrderTickets> {
  // One round trip: the tickets, their event, and the buyer's roles in it (every one of the buyer's orders asks).
  const read = await db
    .select({
      ...versioned,
      event: events,
      roles: rolesColumn(buyer, tickets.eventId),
    })
    .from(tickets)
    .innerJoin(events, eq(events.id, tickets.eventId))
    .where(inArray(tickets.id, lines.map((line) => line.ticketId)));
  const byId = new Map(read.map((row) => [row.ticket.id, row]));

  const first = byId.get(lines[0]!.ticketId)?.ticket;
  for (const line of lines) {
    const ticket = byId.get(line.ticketId)?.ticket;
    if (!ticket) throw refused(`No ticket ${line.ticketId}`, at(line, 'id'));
    if (ticket.deletedAt) throw refused(`Ticket ${ticket.id} has been deleted: it is no longer sold`, at(line, 'id'));
    if (first && ticket.eventId !== first.eventId) {
      throw refused(`Ticket ${ticket.id} is for another event than ticket ${first.id}: one order buys tickets of one event`, at(line, 'id'));
    }
  }
  const { event, roles } = byId.get(first!.id)!;
  const firstLine = lines[0]!;
  if (event.deletedAt) throw refused(`The event of ticket ${first!.id} has been deleted`, at(firstLine, 'id'));
  const access = accessFor(event, new Set(roles), buyer);
  if (event.state !== 'published' && !(options.preview && access.isTeam)) {
    throw refused(`The event of ticket ${first!.id} is not published: its tickets are not on sale yet`, at(firstLine, 'id'));
  }
  if (!access.canRead) throw refused(`Ticket ${first!.id} is for a private event: it is not on sale to the public`, at(firstLine, 'id'));
  return { event, access, byId, digits: minorDigits(event.paymentCurrency) };
}

async function placeOnce(tx: Transaction, request: OrderRequest, lines: LineRequest[], now: Date): Promise<PlacedOrder> {
  const indexOf = new Map(request.lines.map((line, index) => [line.ticketId, index]));
  const at = (line: LineRequest, field?: string): RequestPath => ['tickets', indexOf.get(line.ticketId)!, ...(field ? [field] : [])];

  // Everything is read and checked before any ticket row is locked: the lock is held only for the
  // sale itself, so sales of one ticket queue behind each other as briefly as possible.
  const { event, access, byId, digits } = await readOrderTickets(tx, lines, request.buyer, at);
  const given = (code: string | number | null | undefined) => (code == null || code === '' ? null : code);
  const discountGiven = given(request.discountCode);
  const hiddenIds = access.canManage ? [] : lines.filter((line) => byId.get(line.ticketId)!.ticket.isHidden).map((line) => line.ticketId);
  const accessGiven = given(request.accessCode) ?? (await checkedAccessCode(tx, request.buyer, event.id, hiddenIds));
  // An access code unlocks its hidden tickets: read here for the line rules, locked and read again below.
  const unlocking = accessGiven === null ? null : await accessCodeFor(tx, event, accessGiven, now, false);

  const unitPrices = new Map<number, number>();
  for (const line of lines) {
    const { ticket } = byId.get(line.ticketId)!;
    // Organizers see hidden tickets and may sell them (at the door, say); others only with an access code naming them.
    checkLine(ticket, line.quantity, { now, mayOrderHidden: access.canManage || !!unlocking?.ticketIds.has(ticket.id) }, at(line));
    unitPrices.set(ticket.id, unitPrice(ticket, line.price, digits, at(line)));
  }
  const priced = lines.map((line) => ({ ticketId: line.ticketId, unitMinor: unitPrices.get(line.ticketId)!, quantity: line.quantity }));
  const fullAmount = orderAmount(priced, digits);

  // An unpaid order holds its tickets: one buyer may hold only so many of an event's at once. The
  // event's organizers are not held to it (they sell at the door, and set the limit). The lock makes
  // two orders of one buyer take turns from here to commit, so both cannot pass the check on the
  // same count; different buyers never wait on each other. It is taken before the codes' rows and the
  // tickets' (always in that order: buyer, discount code, access code, tickets), whenever the order
  // could be paid before its discount.
  const capped = fullAmount > 0 && !access.canManage;
  if (capped) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${PENDING_CAP_LOCK_CLASS}::integer, hashtext(${`${request.buyer.id}:${event.id}`}))`);
  }

  // The codes' uses are counted one order at a time: each code's row stays locked until commit.
  const orderTicketIds = lines.map((line) => line.ticketId);
  const discount = discountGiven === null ? null : await discountCodeFor(tx, event, discountGiven, orderTicketIds, now, true);
  const unlocked = accessGiven === null ? null : await accessCodeFor(tx, event, accessGiven, now, true);
  let accessUses = 0;
  if (unlocked) {
    for (const line of lines) checkNotHidden(byId.get(line.ticketId)!.ticket, access.canManage || unlocked.ticketIds.has(line.ticketId), at(line));
    const covered = lines.filter((line) => unlocked.ticketIds.has(line.ticketId));
    accessUses = covered.reduce((sum, line) => sum + line.quantity, 0);
    checkCodeQuantity(unlocked.code, accessUses, '/access_code', 'access code');
    const left = usesLeft(unlocked.code);
    if (accessUses > left) {
      const first = byId.get(covered[0]!.ticketId)!.ticket;
      throw new InvalidError(`Access code for ticket ${first.name} is exhausted, only ${left} quantity is available`, { pointer: '/access_code' });
    }
  }
  let discountUses = 0;
  let discountMinor = 0;
  if (discount) {
    const applicable = lines.filter((line) => discount.ticketIds.has(line.ticketId)).reduce((sum, line) => sum + line.quantity, 0);
    checkCodeQuantity(discount.code, applicable, '/discount_code', 'discount code');
    const left = usesLeft(discount.code);
    if (left === 0) throw new InvalidError('Discount tickets sold out.', { pointer: '/discount_code' });
    const plan = planDiscount(priced, discount.code, discount.ticketIds, left);
    discountUses = plan.uses;
    discountMinor = plan.totalMinor;
  }
  // As OES: the discount comes off first, the event's tax is charged on the rest; an organizer's own
  // amount replaces the whole (tax included).
  const salesTax = await salesTaxOf(tx, event);
  const { totalMinor, taxMinor: computedTax } = taxedTotal(fullAmount - discountMinor, salesTax);
  const ownAmount = access.canManage && request.amount != null;
  const amount = ownAmount ? orderAmount(priced, digits, request.amount) : totalMinor;
  // Kept with the order as charged, so its mails and records say the tax even after the event's rate changes.
  const tax = !salesTax
    ? { taxMinor: 0, taxName: null, taxRate: null, taxIncluded: null }
    : ownAmount
      ? { taxMinor: taxOn(amount, { ...salesTax, included: true }), taxName: salesTax.name, taxRate: salesTax.rate, taxIncluded: true }
      : { taxMinor: computedTax, taxName: salesTax.name, taxRate: salesTax.rate, taxIncluded: salesTax.included };
  const free = amount === 0;
  if (capped && !free) {
    const asked = lines.reduce((sum, line) => sum + line.quantity, 0);
    checkPendingCap(await pendingTicketsOf(tx, request.buyer.id, event.id, now), asked, event.maxPendingTicketsPerBuyer);
  }

  // Only once every rule holds: is there enough left? So a 409 always means "otherwise fine, sold out".
  // Sold out as read is answered at once, writing nothing; the sale below decides every other case.
  for (const line of lines) {
    const { ticket } = byId.get(line.ticketId)!;
    if (line.quantity > ticket.quantity - ticket.soldCount) throw soldOut(ticket, line.quantity, at(line));
  }

  // New rows nobody else can see yet: written before any ticket is locked. The foreign keys to the
  // tickets take KEY SHARE locks, which never wait on the sales of other orders (NO KEY UPDATE).
  const [order] = await tx
    .insert(orders)
    .values({
      identifier: randomUUID(),
      eventId: event.id,
      userId: request.buyer.id,
      // Free or not, the buyer finishes the order after the attendee form (finishOrder).
      status: 'initializing',
      amountMinor: amount,
      currency: event.paymentCurrency,
      paymentMode: request.paymentMode ?? (free ? 'free' : null),
      orderNotes: request.orderNotes ?? null,
      country: request.country ?? null,
      discountCodeId: discount?.code.id ?? null,
      discountUses,
      discountMinor,
      accessCodeId: unlocked?.code.id ?? null,
      accessUses,
      ...tax,
      expiresAt: new Date(now.getTime() + event.orderExpiryTime * 60_000),
      completedAt: null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const orderLines = await tx
    .insert(orderTickets)
    .values(lines.map((line) => ({ orderId: order!.id, ticketId: line.ticketId, quantity: line.quantity, unitPriceMinor: unitPrices.get(line.ticketId)! })))
    .returning();
  if (discount) await takeCodeUses(tx, 'discount', discount.code.id, discountUses);
  if (unlocked) await takeCodeUses(tx, 'access', unlocked.code.id, accessUses);
  const holders: AttendeeRequest[] =
    request.attendees ??
    lines.flatMap((line) =>
      Array.from({ length: line.quantity }, () => ({
        ticketId: line.ticketId,
        firstname: request.buyer.firstName ?? '',
        lastname: request.buyer.lastName ?? '',
        email: request.buyer.email,
      })),
    );
  const created = await tx
    .insert(attendees)
    .values(holders.map(({ ticketId, ...holder }) => ({ ...holder, ticketId, orderId: order!.id, eventId: event.id, createdAt: now, updatedAt: now })))
    .returning();

  // The sale: per ticket, in ascending id order (so two orders never wait on each other in a cycle),
  // one atomic update that takes the row lock and counts the tickets only if enough are left and the
  // ticket is still the one checked above. Waiting for another sale of the same ticket, PostgreSQL
  // evaluates the condition again on the row as that sale left it. The lock is held until commit.
  for (const line of [...lines].sort((a, b) => a.ticketId - b.ticketId)) {
    const { version } = byId.get(line.ticketId)!;
    const [taken] = await tx
      .update(tickets)
      .set({ soldCount: sql`${tickets.soldCount} + ${line.quantity}` })
      .where(
        and(
          eq(tickets.id, line.ticketId),
          isNull(tickets.deletedAt),
          sql`${tickets.updatedAt} = ${version}::timestamptz`,
          sql`${tickets.soldCount} + ${line.quantity} <= ${tickets.quantity}`,
        ),
      )
      .returning({ id: tickets.id });
    if (taken) continue;
    const [current] = await tx.select(versioned).from(tickets).where(eq(tickets.id, line.ticketId));
    if (!current || current.version !== version || current.ticket.deletedAt) throw new TicketChanged();
    throw soldOut(current.ticket, line.quantity, at(line));
  }
  return { order: order!, lines: orderLines, attendees: created };
}

/**
 * Gives back the code uses and tickets the orders held, locking the codes' rows and then the tickets'
 * in ascending id order, as placeOrder does.
 */
async function releaseTickets(tx: Transaction, orderIds: number[]): Promise<void> {
  await releaseCodeUses(
    tx,
    await tx
      .select({ discountCodeId: orders.discountCodeId, discountUses: orders.discountUses, accessCodeId: orders.accessCodeId, accessUses: orders.accessUses })
      .from(orders)
      .where(inArray(orders.id, orderIds)),
  );
  const held = await tx
    .select({ ticketId: orderTickets.ticketId, quantity: sum(orderTickets.quantity).mapWith(Number) })
    .from(orderTickets)
    .where(inArray(orderTickets.orderId, orderIds))
    .groupBy(orderTickets.ticketId)
    .orderBy(asc(orderTickets.ticketId));
  for (const { ticketId, quantity } of held) {
    await tx.update(tickets).set({ soldCount: sql`${tickets.soldCount} - ${quantity}` }).where(eq(tickets.id, ticketId));
  }
}

const EXPIRY_BATCH = 500;

/**
 * Expires the unfinished orders whose time is up at `now` and frees their tickets; returns how many.
 * Batches skip orders another transaction holds (one being paid or cancelled right now): those are
 * decided by that transaction, or by the next run.
 */
export async function expireOrders(db: Database, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(and(inArray(orders.status, [...UNFINISHED]), lte(orders.expiresAt, now)))
        .orderBy(asc(orders.id))
        .limit(EXPIRY_BATCH)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      const ids = due.map((order) => order.id);
      await tx.update(orders).set({ status: 'expired', updatedAt: now }).where(inArray(orders.id, ids));
      await releaseTickets(tx, ids);
      return ids.length;
    });
    total += expired;
    if (expired < EXPIRY_BATCH) return total;
  }
}

async function currentOrder(db: Queryable, orderId: number): Promise<Order> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new NotFoundError(`No order ${orderId}`);
  return order;
}

/** A status change the order's status no longer allows (409, at `status`). */
const stateConflict = (detail: string) => new ConflictError(detail, { attribute: 'status' });

export interface OrderChange {
  order: Order;
  /** False when the order already was in the asked state (a payment confirmed twice, say). */
  changed: boolean;
}

/**
 * The seam where payment is confirmed: organizers (bank transfer, cash at the door) and, later, a card
 * gateway's webhook. An unfinished order becomes completed and keeps its tickets; confirming a completed
 * order again changes nothing (gateways retry). An order the expiry job or an organizer already let go
 * cannot be paid: its tickets may be someone else's by now.
 */
export async function confirmPayment(db: Queryable, orderId: number, via: string, now = new Date()): Promise<OrderChange> {
  const [order] = await db
    .update(orders)
    .set({ status: 'completed', paidVia: via, completedAt: now, expiresAt: null, updatedAt: now })
    .where(and(eq(orders.id, orderId), inArray(orders.status, [...UNFINISHED])))
    .returning();
  if (order) return { order, changed: true };
  const current = await currentOrder(db, orderId);
  if (current.status === 'completed') return { order: current, changed: false };
  throw stateConflict(`The order is ${current.status}: its tickets were given back, so it can no longer be paid`);
}

/** Orders that hold tickets: cancelling gives them back. */
export const HOLDING: readonly OrderStatus[] = ['initializing', 'pending', 'completed'];

/** Details of an order its buyer gives with the order form: billing and how they will pay. */
export interface OrderDetails {
  paymentMode?: string | null;
  isBillingEnabled?: boolean;
  company?: string | null;
  taxBusinessInfo?: string | null;
  address?: string | null;
  city?: string | null;
  state?: string | null;
  zipcode?: string | null;
  country?: string | null;
}

/**
 * The buyer sends the order form: an initializing order becomes completed (free) or pending (paid,
 * waiting for its payment), with the details given. The status is checked in the statement that
 * changes it, so an order that expired meanwhile (its tickets given back) is not finished: 409.
 */
export async function finishOrder(db: Queryable, orderId: number, to: 'completed' | 'pending', details: OrderDetails, now = new Date()): Promise<Order> {
  const finished = to === 'completed' ? { status: 'completed' as const, completedAt: now, expiresAt: null } : { status: 'pending' as const };
  const [order] = await db
    .update(orders)
    .set({ ...details, ...finished, updatedAt: now })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'initializing'), to === 'completed' ? eq(orders.amountMinor, 0) : gt(orders.amountMinor, 0)))
    .returning();
  if (order) return order;
  const current = await currentOrder(db, orderId);
  throw stateConflict(`The order is ${current.status} now: it can no longer be ${to === 'completed' ? 'completed' : 'sent for payment'} here`);
}

/**
 * Cancels an order and gives its tickets back, in one transaction. Organizers cancel unfinished and
 * completed orders; a buyer only unfinished ones (`from: UNFINISHED`): the status is checked in the same
 * statement that changes it, so an order paid meanwhile is not cancelled. Cancelling a cancelled order
 * again changes nothing.
 */
export async function cancelOrder(db: Database, orderId: number, now = new Date(), from: readonly OrderStatus[] = HOLDING): Promise<OrderChange> {
  return db.transaction(async (tx) => {
    const [order] = await tx
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: now, expiresAt: null, updatedAt: now })
      .where(and(eq(orders.id, orderId), inArray(orders.status, [...from])))
      .returning();
    if (order) {
      await releaseTickets(tx, [order.id]);
      return { order, changed: true };
    }
    const current = await currentOrder(tx, orderId);
    if (current.status === 'cancelled') return { order: current, changed: false };
    if (HOLDING.includes(current.status)) throw stateConflict(`The order is ${current.status} now: it can no longer be cancelled here`);
    throw stateConflict(`The order is ${current.status}: its tickets were already given back`);
  });
}
