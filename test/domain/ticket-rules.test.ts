// Ticket rules (issue 12): prices from the wire's decimals into the currency's minor units and back,
// and the rules a ticket keeps, each refused at the attribute at fault.
import { describe, expect, it } from 'vitest';
import { InvalidError } from '../../src/domain/errors.ts';
import { checkTicket, pricesInMinorUnits, pricingOf, ticketFigures, type TicketValues } from '../../src/domain/tickets.ts';

function refusal(run: () => unknown): { message: string; field: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidError) return { message: error.message, field: error.field };
    throw error;
  }
  throw new Error('expected an InvalidError');
}

describe('prices in minor units', () => {
  it('turns each decimal price into the minor units of the event’s currency', () => {
    expect(pricesInMinorUnits({ name: 'A', price: 12.5, minPrice: '0.10', maxPrice: null }, 'EUR')).toEqual({
      name: 'A',
      priceMinor: 1250,
      minPriceMinor: 10,
      maxPriceMinor: null,
    });
    expect(pricesInMinorUnits({ price: 1500 }, 'JPY')).toEqual({ priceMinor: 1500 });
    expect(pricesInMinorUnits({ price: 1.234 }, 'KWD')).toEqual({ priceMinor: 1234 });
    // No price given: nothing to change. A null price is 0.
    expect(pricesInMinorUnits({ quantity: 5 }, 'EUR')).toEqual({ quantity: 5 });
    expect(pricesInMinorUnits({ price: null }, 'EUR')).toEqual({ priceMinor: 0 });
  });

  it('refuses more decimals than the currency has, at the attribute', () => {
    expect(refusal(() => pricesInMinorUnits({ price: 1.5 }, 'JPY'))).toEqual({
      message: '"price" must be an amount of 0 or more with at most 0 decimals (JPY)',
      field: { attribute: 'price' },
    });
    expect(refusal(() => pricesInMinorUnits({ maxPrice: '1.005' }, null))).toEqual({
      message: '"max-price" must be an amount of 0 or more with at most 2 decimals',
      field: { attribute: 'max-price' },
    });
  });

  it('reads back as the decimals clients sent, with what is left to sell', () => {
    const row = { priceMinor: 710, minPriceMinor: null, maxPriceMinor: 10_000, quantity: 10, soldCount: 12 };
    expect(ticketFigures(row, 'EUR')).toEqual({ price: 7.1, minPrice: null, maxPrice: 100, available: 0 });
    expect(ticketFigures({ ...row, soldCount: 3 }, 'JPY')).toMatchObject({ price: 710, available: 7 });
  });
});

describe('the rules a ticket keeps', () => {
  const ok: TicketValues[] = [
    { type: 'free', priceMinor: 0, quantity: 10 },
    { type: 'paid', priceMinor: 1, quantity: 10 },
    { type: 'donation', priceMinor: 0, minPriceMinor: 100, maxPriceMinor: 100, quantity: 10 },
    { type: 'paid', priceMinor: 500, minOrder: 5, maxOrder: 5, quantity: 10, soldCount: 10 },
    { type: 'free', salesStartsAt: new Date('2030-01-01T00:00:00Z'), salesEndsAt: new Date('2030-01-01T00:00:01Z') },
  ];
  it('holds for tickets that keep them', () => {
    for (const values of ok) expect(() => checkTicket(values), JSON.stringify(values)).not.toThrow();
  });

  it('refuses each broken rule at its attribute', () => {
    const cases: [TicketValues, string, string][] = [
      [{ type: 'free', priceMinor: 100 }, 'price', 'A free ticket has the price 0'],
      [{ type: 'paid', priceMinor: 0 }, 'price', 'A paid ticket needs a price above 0'],
      [{ type: 'paid' }, 'price', 'A paid ticket needs a price above 0'],
      [{ type: 'donation', priceMinor: 5 }, 'price', 'A donation ticket has no fixed price: buyers choose between "min-price" and "max-price"'],
      [{ type: 'donation', minPriceMinor: 500, maxPriceMinor: 499 }, 'max-price', '"max-price" must be at least "min-price"'],
      [
        { type: 'free', salesStartsAt: new Date('2030-01-02T00:00:00Z'), salesEndsAt: new Date('2030-01-02T00:00:00Z') },
        'sales-ends-at',
        '"sales-ends-at" must be after "sales-starts-at"',
      ],
      [{ type: 'free', minOrder: 11 }, 'max-order', '"max-order" (10) must be at least "min-order" (11)'],
      [{ type: 'free', minOrder: 3, maxOrder: 2 }, 'max-order', '"max-order" (2) must be at least "min-order" (3)'],
      [{ type: 'free', quantity: 4, soldCount: 5 }, 'quantity', '5 of these tickets are sold or held by pending orders: the quantity cannot go below that'],
    ];
    for (const [values, attribute, message] of cases) {
      expect(refusal(() => checkTicket(values)), JSON.stringify(values)).toEqual({ message, field: { attribute } });
    }
  });
});

describe('OES’s client’s registration types (issue 14)', () => {
  it('are priced as their plain type', () => {
    expect(['freeRegistration', 'paidRegistration', 'donationRegistration'].map((type) => pricingOf(type as TicketValues['type'] & string))).toEqual(['free', 'paid', 'donation']);
    expect(() => checkTicket({ type: 'freeRegistration', priceMinor: 500 })).toThrow(InvalidError);
    expect(() => checkTicket({ type: 'paidRegistration', priceMinor: 0 })).toThrow(InvalidError);
    expect(() => checkTicket({ type: 'donationRegistration', priceMinor: 0, minPriceMinor: 100, maxPriceMinor: 50 })).toThrow(InvalidError);
    expect(() => checkTicket({ type: 'paidRegistration', priceMinor: 500 })).not.toThrow();
  });
});
