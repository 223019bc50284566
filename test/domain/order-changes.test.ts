// Order status changes and check-in (issue 12): who may move an order to which status, and who checks
// attendees in when, decided before anything is written.
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidError } from '../../src/domain/errors.ts';
import { checkInStep } from '../../src/domain/attendees.ts';
import { actorOf, checkBilling, checkBuyerChanges, checkPaymentMode, statusStep, type OrderActor } from '../../src/domain/order-changes.ts';
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

describe('the order form (issue 14): an initializing order is finished by its buyer', () => {
  const step = (amountMinor: number, to: OrderStatus, actor: OrderActor) => outcome(() => statusStep({ status: 'initializing', amountMinor }, { status: to }, actor));

  it('a free order is completed, a paid one sent for payment (pending), by the buyer or an organizer', () => {
    for (const actor of ['buyer', 'organizer'] as const) {
      expect(step(0, 'completed', actor)).toBe('complete');
      expect(step(2500, 'pending', actor)).toBe('submit');
      expect(step(0, 'pending', actor)).toEqual(['422', { attribute: 'status' }]);
      expect(step(2500, 'cancelled', actor)).toBe('cancel');
    }
    // Only organizers mark a paid order completed, and they say how it was paid.
    expect(step(2500, 'completed', 'buyer')).toEqual(['403', { attribute: 'status' }]);
    expect(outcome(() => statusStep({ status: 'initializing', amountMinor: 2500 }, { status: 'completed', paidVia: 'onsite' }, 'organizer'))).toBe('pay');
  });

  it('a paid order goes for payment with a mode the event offers, never "free"', () => {
    const event = { canPayByBank: true, canPayByCheque: false, canPayOnsite: true };
    const mode = (amountMinor: number, chosen: string | null) => outcome(() => checkPaymentMode({ amountMinor }, chosen, event));
    expect(mode(100, 'bank')).toBeUndefined();
    expect(mode(100, 'onsite')).toBeUndefined();
    for (const chosen of ['cheque', 'paypal', 'free', null]) expect(mode(100, chosen), String(chosen)).toEqual(['422', { attribute: 'payment-mode' }]);
    expect(mode(0, 'free')).toBeUndefined();
    expect(outcome(() => checkPaymentMode({ amountMinor: 100 }, 'bank', null))).toEqual(['422', { attribute: 'payment-mode' }]);
  });

  it('billing, when enabled on a paid order, needs company, address, city, zip code and country', () => {
    const complete = { company: 'ACME', address: '1 Main St', city: 'Ghent', zipcode: '9000', country: 'BE' };
    expect(outcome(() => checkBilling({ amountMinor: 100, isBillingEnabled: true, ...complete }))).toBeUndefined();
    expect(outcome(() => checkBilling({ amountMinor: 100, isBillingEnabled: true, ...complete, zipcode: ' ' }))).toEqual(['422', { attribute: 'is-billing-enabled' }]);
    expect(outcome(() => checkBilling({ amountMinor: 100, isBillingEnabled: false }))).toBeUndefined();
    expect(outcome(() => checkBilling({ amountMinor: 0, isBillingEnabled: true }))).toBeUndefined();
  });

  it('the buyer changes the order’s details while it is unfinished, not after', () => {
    const order = (status: OrderStatus) => ({ status, company: null, paymentMode: null, orderNotes: null, paidVia: null }) as unknown as Order;
    expect(outcome(() => checkBuyerChanges(order('initializing'), { company: 'ACME', paymentMode: 'bank' }))).toBeUndefined();
    expect(outcome(() => checkBuyerChanges(order('pending'), { company: 'ACME' }))).toBeUndefined();
    expect(outcome(() => checkBuyerChanges(order('completed'), { company: 'ACME' }))).toEqual(['403', { attribute: 'company' }]);
    expect(outcome(() => checkBuyerChanges(order('completed'), { company: null }))).toBeUndefined();
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
