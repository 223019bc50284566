// The tax of an order (sales-tax.ts), without a database: exact figures rounded once to the minor unit,
// a half to the even one, for prices that include the tax and prices it is added to.
import { describe, expect, it } from 'vitest';
import { discountedTicketTax, rateFraction, taxOn, taxedTotal, type SalesTax } from '../../src/domain/sales-tax.ts';

const gst = (included: boolean, rate = 18): SalesTax => ({ name: 'GST', rate, included });

describe('rateFraction', () => {
  it('reads the rate as the decimal the organizer wrote', () => {
    expect(rateFraction(18)).toEqual({ num: 18n, den: 1n });
    expect(rateFraction(7.25)).toEqual({ num: 725n, den: 100n });
    expect(rateFraction(1.23456789)).toEqual({ num: 123456789n, den: 100000000n });
    expect(rateFraction(1e-7)).toEqual({ num: 1n, den: 10000000n });
    expect(rateFraction(0)).toEqual({ num: 0n, den: 1n });
  });

  it('refuses what is no rate', () => {
    expect(() => rateFraction(-1)).toThrow(RangeError);
    expect(() => rateFraction(Number.NaN)).toThrow(RangeError);
  });
});

describe('taxOn and taxedTotal', () => {
  // OES's test figures: an order of 4441.30 at 18% GST.
  it('adds the tax on top when prices do not include it', () => {
    expect(taxedTotal(444130, gst(false))).toEqual({ taxMinor: 79943, totalMinor: 524073 });
  });

  it('shows the part of the price that is tax when prices include it, the total unchanged', () => {
    expect(taxedTotal(444130, gst(true))).toEqual({ taxMinor: 67749, totalMinor: 444130 });
  });

  it('charges nothing without a tax, and nothing on nothing', () => {
    expect(taxedTotal(444130, null)).toEqual({ taxMinor: 0, totalMinor: 444130 });
    expect(taxedTotal(0, gst(false))).toEqual({ taxMinor: 0, totalMinor: 0 });
  });

  it('rounds an exact half to the even minor unit, with no float error', () => {
    // 2.5 → 2 and 3.5 → 4 minor units. 1.15 × 10% is exactly 11.5 minor units (→ 12), though as a float
    // 0.115 is 0.11499…; 12.5 → 12.
    expect(taxOn(25, gst(false, 10))).toBe(2);
    expect(taxOn(35, gst(false, 10))).toBe(4);
    expect(taxOn(115, gst(false, 10))).toBe(12);
    expect(taxOn(125, gst(false, 10))).toBe(12);
    // 7.25% of 200 is 14.5 minor units.
    expect(taxOn(200, gst(false, 7.25))).toBe(14);
    expect(taxOn(600, gst(false, 7.25))).toBe(44);
  });

  it('refuses a total beyond what is kept exactly', () => {
    expect(() => taxedTotal(Number.MAX_SAFE_INTEGER - 10, gst(false))).toThrow('The order amount is too large');
  });
});

describe('discountedTicketTax', () => {
  it('is the tax of the price a percentage code leaves, taken unrounded', () => {
    // 456.30 at 10% off is 410.67; 18% of it 73.9206 (OES: 82.134 × 0.9).
    expect(discountedTicketTax(45630, { type: 'percent', valueScaled: 1000 }, gst(false))).toBe(7392);
    // Included: 410.67 × 18 / 118 = 62.6447…
    expect(discountedTicketTax(45630, { type: 'percent', valueScaled: 1000 }, gst(true))).toBe(6264);
  });

  it('is the tax of the price an amount code leaves, never below nothing', () => {
    // 100.00 less 30.00 is 70.00: 12.60 on top, or 10.68 of it included (70 × 18 / 118 = 10.677…).
    expect(discountedTicketTax(10000, { type: 'amount', valueScaled: 3000 }, gst(false))).toBe(1260);
    expect(discountedTicketTax(10000, { type: 'amount', valueScaled: 3000 }, gst(true))).toBe(1068);
    expect(discountedTicketTax(10000, { type: 'amount', valueScaled: 50000 }, gst(false))).toBe(0);
  });
});
