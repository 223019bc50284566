// Changing an order after it is placed (PATCH /v1/orders/{identifier}). The event's organizers (and
// admins) settle orders: mark them paid, saying how, or cancel them; they also keep notes and correct
// how a paid order was paid. The buyer may cancel their own order while it is pending, which gives its
// tickets back at once; nothing else of an order is theirs to change. Only the server makes an order
// pending or expired.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { orders } from '../db/schema/index.ts';
import { ForbiddenError, InvalidError } from './errors.ts';
import { HOLDING, cancelOrder, confirmPayment, type Order, type OrderStatus } from './orders.ts';
import type { OrderView } from './order-records.ts';
import type { User } from './users.ts';

/** What a request asks to change; absent means "leave as is" (ember-data clients send every attribute back). */
export interface OrderChanges {
  status?: OrderStatus;
  paidVia?: string | null;
  orderNotes?: string | null;
}

/** Who changes the order: its event's organizers (admins among them), or its buyer. */
export type OrderActor = 'organizer' | 'buyer';

/** What happens to the order's status: paid, cancelled, or nothing. */
export type StatusStep = 'pay' | 'cancel' | null;

/** The actor a viewer is: registrars and the rest of the team may read an order but not change it. */
export function actorOf(view: OrderView, user: User): OrderActor {
  if (view.access?.canManage || user.isAdmin) return 'organizer';
  if (view.isBuyer) return 'buyer';
  throw new ForbiddenError('Only the event’s organizers can change an order');
}

/** Refuses what a buyer may not change: an attribute sent back unchanged is fine. */
export function checkBuyerChanges(order: Order, changes: OrderChanges): void {
  if (changes.orderNotes !== undefined && changes.orderNotes !== order.orderNotes) {
    throw new ForbiddenError('Only the event’s organizers keep notes on an order', { attribute: 'order-notes' });
  }
  if (changes.paidVia !== undefined && changes.paidVia !== order.paidVia) {
    throw new ForbiddenError('Only the event’s organizers say how an order was paid', { attribute: 'paid-via' });
  }
}

/** The status change a request asks for, and whether this actor may make it from the order's status. */
export function statusStep(order: Pick<Order, 'status'>, changes: OrderChanges, actor: OrderActor): StatusStep {
  const wanted = changes.status;
  if (wanted === undefined || wanted === order.status) return null;
  if (wanted === 'completed') {
    if (actor === 'buyer') throw new ForbiddenError('Only the event’s organizers mark an order paid', { attribute: 'status' });
    if (!changes.paidVia) throw new InvalidError('Say how the order was paid: "paid-via" (bank, cheque, onsite, …)', { attribute: 'paid-via' });
    return 'pay';
  }
  if (wanted === 'cancelled') {
    if (actor === 'buyer' && order.status !== 'pending') {
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
  let current = order;
  if (step === 'pay') current = (await confirmPayment(db, order.id, changes.paidVia!)).order;
  // A buyer's cancel holds only while the order is still pending when it lands (not paid meanwhile).
  if (step === 'cancel') current = (await cancelOrder(db, order.id, new Date(), actor === 'buyer' ? ['pending'] : HOLDING)).order;
  if (actor === 'buyer') return current;

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
  const [updated] = await db.update(orders).set({ ...update, updatedAt: new Date() }).where(eq(orders.id, order.id)).returning();
  return updated!;
}
