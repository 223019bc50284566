// The tax an event charges on its tickets, as OES's calculate-amount and create-order charge it: when
// the event has tax on (`is-tax-enabled`) and a tax record, the rate applies to what the order costs
// after its discount. Prices either include the tax (the total stays, the tax is the part of it that is
// tax: amount × rate / (100 + rate)) or not (the tax, amount × rate / 100, is added on top). Each
// ticket's line also says its tax and, under a discount code, the tax of its discounted price.
//
// Money is integer minor units. OES computes in floats and rounds each figure to the currency's cents
// with Python's round(); here each figure is computed exactly, as a fraction, and rounded once to the
// nearest minor unit, a half to the even one, so there is no float error to disagree about.
import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { taxes } from '../db/schema/index.ts';
import type { Event } from './access.ts';
import { MAX_MINOR, roundHalfEven } from './money.ts';
import { refused, type DiscountTerms } from './pricing.ts';

/** The tax an order of the event is charged. `rate` is a percentage (18 for 18%). */
export interface SalesTax {
  name: string;
  rate: number;
  included: boolean;
}

/** The event's tax, or null when it charges none (tax off, or no live tax record). */
export async function salesTaxOf(db: Queryable, event: Pick<Event, 'id' | 'isTaxEnabled'>): Promise<SalesTax | null> {
  if (!event.isTaxEnabled) return null;
  const [row] = await db
    .select({ name: taxes.name, rate: taxes.rate, included: taxes.isTaxIncludedInPrice })
    .from(taxes)
    .where(and(eq(taxes.eventId, event.id), isNull(taxes.deletedAt)));
  return row ?? null;
}

/** A non-negative fraction, numerator over denominator. */
interface Fraction {
  num: bigint;
  den: bigint;
}

/**
 * The rate as the exact decimal it was written as (18 → 18/1, 7.25 → 725/100): a double's shortest
 * decimal text, which is what the organizer typed, read without float error (exponents included:
 * 1e-7 → 1/10000000).
 */
export function rateFraction(rate: number): Fraction {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(rate));
  if (!match || !Number.isFinite(rate) || rate < 0) throw new RangeError(`Not a tax rate: ${rate}`);
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? 0) - fraction.length;
  const digits = BigInt(match[1]! + fraction);
  return exponent >= 0 ? { num: digits * 10n ** BigInt(exponent), den: 1n } : { num: digits, den: 10n ** BigInt(-exponent) };
}

/** The exact tax on an amount (a fraction of minor units). */
function exactTax(amount: Fraction, tax: SalesTax): Fraction {
  const rate = rateFraction(tax.rate);
  // Excluded: amount × r/100. Included: the tax part of amount, amount × r/(100 + r).
  const den = tax.included ? 100n * rate.den + rate.num : 100n * rate.den;
  return { num: amount.num * rate.num, den: amount.den * den };
}

/** The tax on `amountMinor`, in minor units, rounded as OES rounds it. */
export function taxOn(amountMinor: number, tax: SalesTax): number {
  const { num, den } = exactTax({ num: BigInt(amountMinor), den: 1n }, tax);
  return roundHalfEven(num, den);
}

/** What an order of `subTotalMinor` (after its discount) is charged in all, and how much of it is tax. */
export function taxedTotal(subTotalMinor: number, tax: SalesTax | null): { taxMinor: number; totalMinor: number } {
  if (!tax) return { taxMinor: 0, totalMinor: subTotalMinor };
  const taxMinor = taxOn(subTotalMinor, tax);
  const totalMinor = tax.included ? subTotalMinor : subTotalMinor + taxMinor;
  if (totalMinor > MAX_MINOR) throw refused('The order amount is too large', ['tickets']);
  return { taxMinor, totalMinor };
}

/**
 * The tax of one ticket of `unitMinor` once a discount code has taken its share off (OES's
 * `discounted_tax`): the tax on the exact discounted price, an amount off at most the price, a
 * percentage off taken unrounded.
 */
export function discountedTicketTax(unitMinor: number, terms: DiscountTerms, tax: SalesTax): number {
  const price = BigInt(unitMinor);
  const discounted: Fraction =
    terms.type === 'amount'
      ? { num: price - BigInt(Math.min(terms.valueScaled, unitMinor)), den: 1n }
      : { num: price * BigInt(Math.max(0, 10_000 - terms.valueScaled)), den: 10_000n };
  const { num, den } = exactTax(discounted, tax);
  return roundHalfEven(num, den);
}
