// Order pricing (issue 12): the rules of one order line and the price of an order, without a database.
// Money is integer minor units of the event's currency; a broken rule is an InvalidError pointing at
// the line's field, not enough left a ConflictError.
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidError } from '../../src/domain/errors.ts';
import { checkLine, checkPendingCap, lineDiscount, orderAmount, planDiscount, soldOut, unitPrice, type SaleTicket } from '../../src/domain/pricing.ts';

const now = new Date('2030-05-01T10:00:00Z');

function ticket(overrides: Partial<SaleTicket> = {}): SaleTicket {
  return {
    id: 7,
    name: 'Standard',
    type: 'paid',
    priceMinor: 1250,
    minPriceMinor: null,
    maxPriceMinor: null,
    quantity: 100,
    soldCount: 0,
    salesStartsAt: null,
    salesEndsAt: null,
    minOrder: 1,
    maxOrder: 10,
    isHidden: false,
    ...overrides,
  };
}

/** The error a call throws, for its kind, message and pointer. */
function thrown(run: () => unknown): InvalidError | ConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidError || error instanceof ConflictError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const line = ['tickets', 2];

describe('checkLine: may this ticket be sold now, in this quantity', () => {
  const options = { now, mayOrderHidden: false };

  it('sells within the window and between min-order and max-order', () => {
    const limited = ticket({ minOrder: 2, maxOrder: 3, salesStartsAt: new Date('2030-05-01T09:00:00Z'), salesEndsAt: new Date('2030-05-01T11:00:00Z') });
    expect(() => checkLine(limited, 2, options, line)).not.toThrow();
    expect(() => checkLine(limited, 3, options, line)).not.toThrow();
  });

  it('refuses before the sales start and from the moment they end, at the line’s id', () => {
    const early = thrown(() => checkLine(ticket({ salesStartsAt: new Date('2030-05-01T10:00:01Z') }), 1, options, line));
    expect(early).toBeInstanceOf(InvalidError);
    expect(early.message).toBe('Sales of "Standard" start at 2030-05-01T10:00:01Z');
    expect(early.field).toEqual({ pointer: '/tickets/2/id' });
    // The end is exclusive: at the very instant sales end, nothing more is sold.
    const ended = thrown(() => checkLine(ticket({ salesEndsAt: now }), 1, options, line));
    expect(ended.message).toBe('Sales of "Standard" ended at 2030-05-01T10:00:00Z');
    expect(() => checkLine(ticket({ salesStartsAt: now }), 1, options, line)).not.toThrow();
  });

  it('refuses below min-order and above max-order, at the line’s quantity', () => {
    const limited = ticket({ minOrder: 2, maxOrder: 3 });
    const few = thrown(() => checkLine(limited, 1, options, line));
    expect([few.message, few.field]).toEqual(['"Standard" is sold at least 2 at a time; 1 asked', { pointer: '/tickets/2/quantity' }]);
    const many = thrown(() => checkLine(limited, 4, options, line));
    expect([many.message, many.field]).toEqual(['"Standard" is sold at most 3 per order; 4 asked', { pointer: '/tickets/2/quantity' }]);
  });

  it('sells a hidden ticket only to those who may (the event’s organizers)', () => {
    const hidden = ticket({ isHidden: true });
    expect(thrown(() => checkLine(hidden, 1, options, line)).message).toBe('Ticket 7 is hidden: it cannot be ordered');
    expect(() => checkLine(hidden, 1, { now, mayOrderHidden: true }, line)).not.toThrow();
  });
});

describe('unitPrice: what one ticket costs, in minor units', () => {
  it('is the ticket’s own price for free and paid tickets, whatever the buyer sends', () => {
    expect(unitPrice(ticket({ type: 'free', priceMinor: 0 }), 99, 2, line)).toBe(0);
    expect(unitPrice(ticket(), '0.01', 2, line)).toBe(1250);
  });

  it('is the buyer’s choice for a donation, read exactly in the currency’s decimals', () => {
    const donation = ticket({ type: 'donation', priceMinor: 0, minPriceMinor: 500, maxPriceMinor: 10_000 });
    expect(unitPrice(donation, 12.34, 2, line)).toBe(1234);
    expect(unitPrice(donation, '5', 2, line)).toBe(500);
    expect(unitPrice(donation, 100, 2, line)).toBe(10_000);
    expect(unitPrice(ticket({ type: 'donation', priceMinor: 0, minPriceMinor: 500 }), 1500, 0, line)).toBe(1500);
  });

  it('refuses a donation without a price, outside its range or with too many decimals, at the line’s price', () => {
    const donation = ticket({ type: 'donation', priceMinor: 0, minPriceMinor: 500, maxPriceMinor: 10_000 });
    const cases: [number | string | null | undefined, string][] = [
      [undefined, '"Standard" is a donation ticket: give a "price" of 0 or more with at most 2 decimals'],
      [null, '"Standard" is a donation ticket: give a "price" of 0 or more with at most 2 decimals'],
      [1.005, '"Standard" is a donation ticket: give a "price" of 0 or more with at most 2 decimals'],
      [4.99, '"Standard" takes at least its "min-price"'],
      [100.01, '"Standard" takes at most its "max-price"'],
    ];
    for (const [given, message] of cases) {
      const error = thrown(() => unitPrice(donation, given, 2, line));
      expect([error.message, error.field], String(given)).toEqual([message, { pointer: '/tickets/2/price' }]);
    }
  });
});

describe('orderAmount: what the order costs', () => {
  it('sums the lines exactly in minor units (no float error)', () => {
    // 2 × 12.50 + 3 × 7.10 = 46.30; in floats 3 * 7.1 is 21.299999999999997.
    expect(orderAmount([{ unitMinor: 1250, quantity: 2 }, { unitMinor: 710, quantity: 3 }], 2)).toBe(4630);
    expect(orderAmount([{ unitMinor: 0, quantity: 5 }], 2)).toBe(0);
  });

  it('takes an organizer’s amount instead, in the currency’s decimals', () => {
    expect(orderAmount([{ unitMinor: 1250, quantity: 2 }], 2, '20.00')).toBe(2000);
    expect(orderAmount([{ unitMinor: 1250, quantity: 2 }], 2, 0)).toBe(0);
    expect(orderAmount([{ unitMinor: 1250, quantity: 2 }], 0, 15)).toBe(15);
    const error = thrown(() => orderAmount([{ unitMinor: 1250, quantity: 2 }], 2, 1.234));
    expect([error.message, error.field]).toEqual(['"amount" must be 0 or more with at most 2 decimals', { pointer: '/amount' }]);
  });

  it('refuses an amount beyond what is kept exactly, rather than rounding it', () => {
    const error = thrown(() => orderAmount([{ unitMinor: 2 ** 52, quantity: 10_000 }], 2));
    expect([error.message, error.field]).toEqual(['The order amount is too large', { pointer: '/tickets' }]);
  });
});

describe('soldOut and the per-buyer cap', () => {
  it('says how many are left, as a conflict at the line’s quantity', () => {
    const none = soldOut(ticket({ quantity: 5, soldCount: 5 }), 1, line);
    expect(none).toBeInstanceOf(ConflictError);
    expect([none.message, none.field]).toEqual(['"Standard" is sold out', { pointer: '/tickets/2/quantity' }]);
    expect(soldOut(ticket({ quantity: 5, soldCount: 4 }), 2, line).message).toBe('Only 1 of "Standard" is left; 2 asked');
    expect(soldOut(ticket({ quantity: 5, soldCount: 2 }), 4, line).message).toBe('Only 3 of "Standard" are left; 4 asked');
  });

  it('lets a buyer hold up to the limit in unpaid orders, and names the limit past it', () => {
    expect(() => checkPendingCap(10, 10, 20)).not.toThrow();
    expect(() => checkPendingCap(0, 20, 20)).not.toThrow();
    const error = thrown(() => checkPendingCap(20, 1, 20));
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.message).toBe(
      'This event lets one buyer hold at most 20 tickets in unpaid orders ("max-pending-tickets-per-buyer"); you hold 20 and this order asks 1 more: pay or cancel a pending order first',
    );
    expect(error.field).toEqual({ pointer: '/tickets' });
    expect(thrown(() => checkPendingCap(0, 6, 5)).message).toMatch(/you hold 0 and this order asks 6 more/);
  });
});

describe('lineDiscount and planDiscount: what a discount code takes off, in minor units', () => {
  const percent = (value: number) => ({ type: 'percent' as const, valueScaled: value * 100 });
  it('an amount comes off each ticket, never more than its price', () => {
    expect(lineDiscount({ type: 'amount', valueScaled: 500 }, 1999, 3)).toBe(1500);
    expect(lineDiscount({ type: 'amount', valueScaled: 5000 }, 1999, 2)).toBe(3998);
    expect(lineDiscount({ type: 'amount', valueScaled: 500 }, 0, 2)).toBe(0);
  });
  it('a percentage comes off the line, rounded to the minor unit with an exact half to the even one', () => {
    expect(lineDiscount(percent(15), 1999, 3)).toBe(900); // 899.55
    expect(lineDiscount(percent(12.5), 20, 1)).toBe(2); // 2.5 → 2
    expect(lineDiscount(percent(12.5), 20, 3)).toBe(8); // 7.5 → 8
    expect(lineDiscount(percent(12.5), 60, 1)).toBe(8); // 7.5 → 8
    expect(lineDiscount(percent(33.33), 100, 1)).toBe(33); // 33.33
    expect(lineDiscount(percent(100), 1999, 2)).toBe(3998);
    // No float error on large amounts: 10 % of 9 007 199 254 740 99.1 → exact.
    expect(lineDiscount(percent(10), 900_719_925_474_099, 1)).toBe(90_071_992_547_410);
  });
  it('spreads the uses left over the lines the code names, in order; the rest pay in full', () => {
    const lines = [
      { ticketId: 1, quantity: 2, unitMinor: 1000 },
      { ticketId: 2, quantity: 3, unitMinor: 500 },
      { ticketId: 3, quantity: 1, unitMinor: 800 },
    ];
    const plan = planDiscount(lines, percent(50), new Set([1, 2]), 3);
    expect(plan).toMatchObject({ uses: 3, totalMinor: 1000 + 250, partial: true });
    expect(plan.lines.map((line) => line.discountedQuantity)).toEqual([2, 1, 0]);
    expect(planDiscount(lines, percent(50), new Set([1, 2]), Infinity)).toMatchObject({ uses: 5, totalMinor: 1750, partial: false });
  });
});
