// Order status changes and check-in (issue 12): who may move an order to which status, and who checks
// attendees in when, decided before anything is written.
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidError } from '../../src/domain/errors.ts';
import { checkInStep } from '../../src/domain/attendees.ts';
import { actorOf, checkBuyerChanges, statusStep, type OrderActor } from '../../src/domain/order-changes.ts';
import type { EventAccess } from '../../src/domain/access.ts';
import type { Order, OrderStatus } from '../../src/domain/orders.ts';
import type { User } from '../../src/domain/users.ts';

const STATUSES: OrderStatus[] = ['pending', 'completed', 'cancelled', 'expired'];

/** The kind of error a call throws and where, or the value it returns. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (error instanceof ForbiddenError) return ['403', error.field];
    if (error instanceof InvalidError) return ['422', error.field];
    if (error instanceof ConflictError) return ['409', error.field];
    throw error;
  }
}

describe('order status transitions', () => {
  const step = (from: OrderStatus, to: OrderStatus | undefined, actor: OrderActor, paidVia?: string) => outcome(() => statusStep({ status: from }, { status: to, paidVia }, actor));

  it('organizers mark an order paid (saying how) or cancelled; nothing happens when the status is sent back unchanged', () => {
    expect(step('pending', 'completed', 'organizer', 'bank')).toBe('pay');
    expect(step('pending', 'completed', 'organizer')).toEqual(['422', { attribute: 'paid-via' }]);
    expect(step('pending', 'cancelled', 'organizer')).toBe('cancel');
    expect(step('completed', 'cancelled', 'organizer')).toBe('cancel');
    // Whether an expired or cancelled order can still be paid is decided against the stored status (confirmPayment).
    expect(step('expired', 'completed', 'organizer', 'bank')).toBe('pay');
    for (const status of STATUSES) {
      expect(step(status, status, 'organizer')).toBeNull();
      expect(step(status, undefined, 'organizer')).toBeNull();
      expect(step(status, status, 'buyer')).toBeNull();
    }
  });

  it('a buyer cancels their order while it is pending, and does nothing else to its status', () => {
    expect(step('pending', 'cancelled', 'buyer')).toBe('cancel');
    expect(step('completed', 'cancelled', 'buyer')).toEqual(['403', { attribute: 'status' }]);
    expect(step('expired', 'cancelled', 'buyer')).toEqual(['403', { attribute: 'status' }]);
    for (const from of STATUSES.filter((status) => status !== 'completed')) {
      expect(step(from, 'completed', 'buyer', 'bank'), from).toEqual(['403', { attribute: 'status' }]);
    }
  });

  it('only the server makes an order pending or expired: un-cancelling is refused to everyone', () => {
    for (const actor of ['organizer', 'buyer'] as const) {
      expect(step('cancelled', 'pending', actor)).toEqual(['422', { attribute: 'status' }]);
      expect(step('pending', 'expired', actor)).toEqual(['422', { attribute: 'status' }]);
      expect(step('expired', 'pending', actor)).toEqual(['422', { attribute: 'status' }]);
    }
  });

  it('a buyer may send the order’s notes and payment back unchanged, not change them', () => {
    const order = { orderNotes: 'Invoice to ACME', paidVia: null } as Order;
    expect(outcome(() => checkBuyerChanges(order, { orderNotes: 'Invoice to ACME', paidVia: null, status: 'cancelled' }))).toBeUndefined();
    expect(outcome(() => checkBuyerChanges(order, { orderNotes: 'Paid, promise' }))).toEqual(['403', { attribute: 'order-notes' }]);
    expect(outcome(() => checkBuyerChanges(order, { paidVia: 'bank' }))).toEqual(['403', { attribute: 'paid-via' }]);
  });

  it('organizers and admins change orders as organizers, the buyer as buyer, the rest of the team not at all', () => {
    const user = { id: 1, isAdmin: false } as User;
    const access = (canManage: boolean) => ({ canManage }) as EventAccess;
    expect(actorOf({ access: access(true), isBuyer: true, canSee: true }, user)).toBe('organizer');
    expect(actorOf({ access: null, isBuyer: false, canSee: true }, { ...user, isAdmin: true })).toBe('organizer');
    expect(actorOf({ access: access(false), isBuyer: true, canSee: true }, user)).toBe('buyer');
    expect(outcome(() => actorOf({ access: access(false), isBuyer: false, canSee: true }, user))).toEqual(['403', undefined]);
  });
});

describe('check-in rules', () => {
  const at = (orderStatus: OrderStatus, checkedIn: boolean, wanted: boolean | undefined, mayRegister: boolean) =>
    outcome(() => checkInStep({ orderStatus, checkedIn, wanted, mayRegister }));

  it('organizers and registrars check the holders of paid tickets in and out', () => {
    expect(at('completed', false, true, true)).toBe('check-in');
    expect(at('completed', true, false, true)).toBe('check-out');
    // Checked in again while in: still a check-in, which records no second time (see changeAttendee).
    expect(at('completed', true, true, true)).toBe('check-in');
    expect(at('completed', false, undefined, true)).toBeNull();
  });

  it('an unpaid order’s attendee does not check in yet, but may be checked out', () => {
    expect(at('pending', false, true, true)).toEqual(['422', { attribute: 'is-checked-in' }]);
    expect(at('pending', true, false, true)).toBe('check-out');
  });

  it('a buyer may send the flag back unchanged but not check anyone in or out', () => {
    expect(at('completed', false, false, false)).toBeNull();
    expect(at('completed', false, true, false)).toEqual(['403', undefined]);
    expect(at('completed', true, false, false)).toEqual(['403', undefined]);
  });

  it('attendees of an order that gave its tickets back no longer change', () => {
    for (const status of ['cancelled', 'expired'] as const) {
      expect(at(status, false, true, true)).toEqual(['409', undefined]);
      expect(at(status, false, undefined, false)).toEqual(['409', undefined]);
    }
  });
});
