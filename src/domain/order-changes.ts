// Changing an order after it is placed (PATCH /v1/orders/{identifier}). The buyer finishes their
// initializing order with the order form, as OES's client sends it (the attendees first, then the
// order): a free order becomes completed, a paid one pending with a payment mode the event offers, and
// with billing details when billing is enabled. The event's organizers (and admins) settle orders: mark
// them paid, saying how, or cancel them; they also keep notes and correct how a paid order was paid.
// The buyer may cancel their own order while it is unfinished, which gives its tickets back at once.
// Only the server makes an order expired.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { orders } from '../db/schema/index.ts';
import type { Event } from './access.ts';
import { ForbiddenError, InvalidError } from './errors.ts';
import {
  HOLDING,
  UNFINISHED,
  cancelOrder,
  confirmPayment,
  finishOrder,
  offeredPaymentModes,
  type Order,
  type OrderDetails,
  type OrderStatus,
} from './orders.ts';
import type { OrderView } from './order-records.ts';
import type { User } from './users.ts';

/** What a request asks to change; absent means "leave as is" (ember-data clients send every attribute back). */
export interface OrderChanges extends OrderDetails {
  status?: OrderStatus;
  paidVia?: string | null;
  orderNotes?: string | null;
}

/** Who changes the order: its event's organizers (admins among them), or its buyer. */
export type OrderActor = 'organizer' | 'buyer';

/**
 * What happens to the order's status: paid, cancelled, the order form sent (a free order completed,
 * a paid one pending), or nothing.
 */
export type StatusStep = 'pay' | 'cancel' | 'complete' | 'submit' | null;

/** The details the order form writes, by attribute: what a buyer may change while the order is unfinished. */
const DETAILS: Record<keyof OrderDetails, string> = {
  paymentMode: 'payment-mode',
  isBillingEnabled: 'is-billing-enabled',
  company: 'company',
  taxBusinessInfo: 'tax-business-info',
  address: 'address',
  city: 'city',
  state: 'state',
  zipcode: 'zipcode',
  country: 'country',
};

/** The details a request changes (those sent back unchanged left out). */
export function changedDetails(order: Order, changes: OrderChanges): OrderDetails {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(DETAILS) as (keyof OrderDetails)[]) {
    if (changes[key] !== undefined && changes[key] !== order[key]) changed[key] = changes[key];
  }
  return changed as OrderDetails;
}

/** OES asks billing details of a paid order when billing is enabled: company, address, city, zip code and country. */
export function checkBilling(order: Pick<Order, 'amountMinor'> & OrderDetails): void {
  if (!order.isBillingEnabled || order.amountMinor === 0) return;
  const missing = (['company', 'address', 'city', 'zipcode', 'country'] as const).filter((key) => !order[key]?.trim());
  if (missing.length) {
    throw new InvalidError(`Billing information incomplete: give ${missing.map((key) => `"${DETAILS[key]}"`).join(', ')}`, { attribute: 'is-billing-enabled' });
  }
}

/** A paid order goes for payment with a payment mode the event offers; a free one is never paid for. */
export function checkPaymentMode(order: Pick<Order, 'amountMinor'>, mode: string | null | undefined, event: Pick<Event, 'canPayByBank' | 'canPayByCheque' | 'canPayOnsite'> | null): void {
  if (order.amountMinor > 0 && mode === 'free') {
    throw new InvalidError('"payment-mode" cannot be free for an order with an amount above 0', { attribute: 'payment-mode' });
  }
  const offered = event ? offeredPaymentModes(event) : [];
  if (order.amountMinor > 0 && (!mode || !offered.includes(mode))) {
    const choice = offered.length ? `choose one of ${offered.join(', ')}` : 'this event takes no payments yet';
    throw new InvalidError(`${mode ? `"${mode}" is not a payment mode this event offers` : 'Say how you will pay'}: ${choice}`, { attribute: 'payment-mode' });
  }
}

/** The actor a viewer is: registrars and the rest of the team may read an order but not change it. */
export function actorOf(view: OrderView, user: User): OrderActor {
  if (view.access?.canManage || user.isAdmin) return 'organizer';
  if (view.isBuyer) return 'buyer';
  throw new ForbiddenError('Only the event’s organizers can change an order');
}

/** Refuses what a buyer may not change: an attribute sent back unchanged is fine, the order form's details while it is unfinished. */
export function checkBuyerChanges(order: Order, changes: OrderChanges): void {
  const [detail] = Object.keys(changedDetails(order, changes)) as (keyof OrderDetails)[];
  if (detail && !UNFINISHED.includes(order.status)) {
    throw new ForbiddenError(`The order is ${order.status}: its details can no longer be changed`, { attribute: DETAILS[detail] });
  }
  if (changes.orderNotes !== undefined && changes.orderNotes !== order.orderNotes) {
    throw new ForbiddenError('Only the event’s organizers keep notes on an order', { attribute: 'order-notes' });
  }
  if (changes.paidVia !== undefined && changes.paidVia !== order.paidVia) {
    throw new ForbiddenError('Only the event’s organizers say how an order was paid', { attribute: 'paid-via' });
  }
}

/**
 * The status change a request asks for, and whether this actor may make it from the order's status
 * (and amount: an initializing free order is completed by its buyer, a paid one sent for payment).
 */
export function statusStep(order: Pick<Order, 'status'> & { amountMinor?: number }, changes: OrderChanges, actor: OrderActor): StatusStep {
  const wanted = changes.status;
  if (wanted === undefined || wanted === order.status) return null;
  const free = order.amountMinor === 0;
  if (order.status === 'initializing' && wanted === 'completed' && free) return 'complete';
  if (order.status === 'initializing' && wanted === 'pending') {
    if (free) throw new InvalidError('A free order is completed, not sent for payment: send "status": "completed"', { attribute: 'status' });
    return 'submit';
  }
  if (wanted === 'completed') {
    if (actor === 'buyer') throw new ForbiddenError('Only the event’s organizers mark an order paid', { attribute: 'status' });
    if (!changes.paidVia) throw new InvalidError('Say how the order was paid: "paid-via" (bank, cheque, onsite, …)', { attribute: 'paid-via' });
    return 'pay';
  }
  if (wanted === 'cancelled') {
    if (actor === 'buyer' && !UNFINISHED.includes(order.status)) {
      throw new ForbiddenError(`The order is ${order.status}: you may cancel your order while it is pending; ask the event’s organizers otherwise`, {
        attribute: 'status',
      });
    }
    return 'cancel';
  }
  throw new InvalidError(`An order can be marked completed or cancelled; "${wanted}" is the server’s to set`, { attribute: 'status' });
}

/** Applies a PATCH to an order for this viewer and returns the order as it now is. */
export async function changeOrder(db: Database, order: Order, view: OrderView, user: User, changes: OrderChanges): Promise<Order> {
  const actor = actorOf(view, user);
  const step = statusStep(order, changes, actor);
  if (actor === 'buyer') checkBuyerChanges(order, changes);
  const details = changedDetails(order, changes);
  checkBilling({ ...order, ...details });
  if (step === 'submit') checkPaymentMode(order, details.paymentMode ?? order.paymentMode, view.access?.event ?? null);
  else if (details.paymentMode === 'free') checkPaymentMode(order, 'free', null);

  let current = order;
  if (step === 'complete' || step === 'submit') {
    current = await finishOrder(db, order.id, step === 'complete' ? 'completed' : 'pending', details);
  } else if (Object.keys(details).length) {
    [current] = (await db.update(orders).set({ ...details, updatedAt: new Date() }).where(eq(orders.id, order.id)).returning()) as [Order];
  }
  if (step === 'pay') current = (await confirmPayment(db, order.id, changes.paidVia!)).order;
  // A buyer's cancel holds only while the order is still unfinished when it lands (not paid meanwhile).
  if (step === 'cancel') current = (await cancelOrder(db, order.id, new Date(), actor === 'buyer' ? UNFINISHED : HOLDING)).order;
  if (actor === 'buyer') return current;
  return settle(db, current, changes);
}


/** What only organizers change: their notes, and how a completed order was paid. */
async function settle(db: Database, current: Order, changes: OrderChanges): Promise<Order> {
  const update: Partial<Order> = {};
  if (changes.orderNotes !== undefined) update.orderNotes = changes.orderNotes;
  if (changes.paidVia !== undefined && changes.paidVia !== current.paidVia) {
    // A correction of how a completed order was paid; anything else about payment goes through the status.
    if (current.status !== 'completed' || !changes.paidVia) {
      throw new InvalidError('"paid-via" says how a completed order was paid: send it with "status": "completed"', { attribute: 'paid-via' });
    }
    update.paidVia = changes.paidVia;
  }
  if (Object.keys(update).length === 0) return current;
  const [updated] = await db.update(orders).set({ ...update, updatedAt: new Date() }).where(eq(orders.id, current.id)).returning();
  return updated!;
}
