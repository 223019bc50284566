// The rules of one order line and the price of an order, without the database: may this ticket be
// sold now in this quantity, what does one cost (fixed for free and paid tickets, the buyer's choice
// within range for donations), and what does the order cost in all. Money is integer minor units.
// placeOrder (orders.ts) applies them inside its transaction; they are here so they read, and are
// tested, on their own.
import { ConflictError, InvalidError, type Field } from './errors.ts';
import { MAX_MINOR, roundHalfEven, toMinor } from './money.ts';
import { pricingOf, type TicketType } from './tickets.ts';

/** Where in the create-order request a problem is: `['tickets', 0, 'quantity']`. */
export type RequestPath = (string | number)[];

export const pointerTo = (path: RequestPath): Field => ({ pointer: '/' + path.join('/') });

/** A broken rule of the order, pointing at what broke it (422). */
export const refused = (detail: string, path: RequestPath) => new InvalidError(detail, pointerTo(path));

/** How a discount code discounts: `amount` minor units off each ticket (at most its price), or `percent` in hundredths of a percent. */
export interface DiscountTerms {
  type: 'amount' | 'percent';
  valueScaled: number;
}

/**
 * What a discount takes off `quantity` tickets of `unitMinor` each, in minor units. An amount is taken
 * off each ticket, never more than its price. A percentage is taken off the line (unit × quantity × p),
 * rounded to the nearest minor unit, a half to the even one: OES rounds the line's discount to the
 * currency's cents with Python's round(), which is half-to-even; here it is exact, with no float error.
 */
export function lineDiscount(terms: DiscountTerms, unitMinor: number, quantity: number): number {
  if (quantity <= 0 || unitMinor <= 0) return 0;
  if (terms.type === 'amount') return Math.min(terms.valueScaled, unitMinor) * quantity;
  return roundHalfEven(BigInt(unitMinor) * BigInt(quantity) * BigInt(terms.valueScaled), 10_000n);
}

/** One line of a discounted order: how many of its tickets the code discounts, and by how much in all. */
export interface DiscountedLine {
  /** The code names this line's ticket. */
  applies: boolean;
  discountedQuantity: number;
  discountMinor: number;
}

/**
 * Spreads a discount code over an order's lines, in their order: each ticket the code names uses one
 * of the `left` uses while any are left (OES counts a use per ticket, free ones too); tickets beyond
 * them are sold at full price (`partial`).
 */
export function planDiscount(
  lines: { ticketId: number; quantity: number; unitMinor: number }[],
  terms: DiscountTerms,
  codeTickets: ReadonlySet<number>,
  left: number,
): { lines: DiscountedLine[]; uses: number; totalMinor: number; partial: boolean } {
  let remaining = left;
  let uses = 0;
  let totalMinor = 0;
  let partial = false;
  const planned = lines.map((line) => {
    if (!codeTickets.has(line.ticketId) || line.quantity <= 0) return { applies: codeTickets.has(line.ticketId), discountedQuantity: 0, discountMinor: 0 };
    const discountedQuantity = Math.min(line.quantity, remaining);
    if (discountedQuantity < line.quantity) partial = true;
    remaining -= discountedQuantity;
    uses += discountedQuantity;
    const discountMinor = lineDiscount(terms, line.unitMinor, discountedQuantity);
    totalMinor += discountMinor;
    return { applies: true, discountedQuantity, discountMinor };
  });
  return { lines: planned, uses, totalMinor, partial };
}

/** What the sale rules read of a ticket. */
export interface SaleTicket {
  id: number;
  name: string;
  type: TicketType;
  priceMinor: number;
  minPriceMinor: number | null;
  maxPriceMinor: number | null;
  quantity: number;
  soldCount: number;
  salesStartsAt: Date | null;
  salesEndsAt: Date | null;
  minOrder: number;
  maxOrder: number;
  isHidden: boolean;
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

/** Refuses a hidden ticket to anyone but the event's organizers (who sell those at the door, say). */
export function checkNotHidden(ticket: Pick<SaleTicket, 'id' | 'isHidden'>, mayOrderHidden: boolean, path: RequestPath): void {
  if (ticket.isHidden && !mayOrderHidden) throw refused(`Ticket ${ticket.id} is hidden: it cannot be ordered`, [...path, 'id']);
}

/**
 * Refuses a line that may not be sold: a hidden ticket (only the event's organizers sell those, at
 * the door say), outside the sales window, or fewer than min-order or more than max-order at once.
 * `path` is the line's place in the request.
 */
export function checkLine(ticket: SaleTicket, quantity: number, options: { now: Date; mayOrderHidden: boolean }, path: RequestPath): void {
  checkNotHidden(ticket, options.mayOrderHidden, path);
  const name = `"${ticket.name}"`;
  if (ticket.salesStartsAt && options.now < ticket.salesStartsAt) {
    throw refused(`Sales of ${name} start at ${iso(ticket.salesStartsAt)}`, [...path, 'id']);
  }
  if (ticket.salesEndsAt && options.now >= ticket.salesEndsAt) {
    throw refused(`Sales of ${name} ended at ${iso(ticket.salesEndsAt)}`, [...path, 'id']);
  }
  if (quantity < ticket.minOrder) {
    throw refused(`${name} is sold at least ${ticket.minOrder} at a time; ${quantity} asked`, [...path, 'quantity']);
  }
  if (quantity > ticket.maxOrder) {
    throw refused(`${name} is sold at most ${ticket.maxOrder} per order; ${quantity} asked`, [...path, 'quantity']);
  }
}

/**
 * What one ticket of a line costs, in minor units: the ticket's price, or for a donation ticket what
 * the buyer gives (`given`, a decimal), which must lie within its min-price and max-price.
 */
export function unitPrice(ticket: SaleTicket, given: number | string | null | undefined, digits: number, path: RequestPath): number {
  if (pricingOf(ticket.type) !== 'donation') return ticket.priceMinor;
  const name = `"${ticket.name}"`;
  const chosen = given == null ? null : toMinor(given, digits);
  if (chosen === null) {
    throw refused(`${name} is a donation ticket: give a "price" of 0 or more with at most ${digits} decimals`, [...path, 'price']);
  }
  if (chosen < (ticket.minPriceMinor ?? 0)) throw refused(`${name} takes at least its "min-price"`, [...path, 'price']);
  if (ticket.maxPriceMinor !== null && chosen > ticket.maxPriceMinor) throw refused(`${name} takes at most its "max-price"`, [...path, 'price']);
  return chosen;
}

/**
 * The order's amount in minor units: the sum of its lines, or `override` (a decimal) when an
 * organizer sets it. Summed as bigints, so a huge order is refused rather than rounded.
 */
export function orderAmount(lines: { unitMinor: number; quantity: number }[], digits: number, override?: number | string | null): number {
  let amount = lines.reduce((sum, line) => sum + BigInt(line.unitMinor) * BigInt(line.quantity), 0n);
  if (override != null) {
    const chosen = toMinor(override, digits);
    if (chosen === null) throw refused(`"amount" must be 0 or more with at most ${digits} decimals`, ['amount']);
    amount = BigInt(chosen);
  }
  if (amount > BigInt(MAX_MINOR)) throw refused('The order amount is too large', ['tickets']);
  return Number(amount);
}

/** Not enough left of a ticket for an otherwise fine line (409), saying how many are. */
export function soldOut(ticket: Pick<SaleTicket, 'name' | 'quantity' | 'soldCount'>, quantity: number, path: RequestPath): ConflictError {
  const left = Math.max(0, ticket.quantity - ticket.soldCount);
  const detail = left === 0 ? `"${ticket.name}" is sold out` : `Only ${left} of "${ticket.name}" ${left === 1 ? 'is' : 'are'} left; ${quantity} asked`;
  return new ConflictError(detail, pointerTo([...path, 'quantity']));
}

/**
 * Refuses a pending order that would make its buyer hold more than `limit` tickets of the event in
 * unpaid orders (`held` already, `asked` in this order): one buyer must not hold a ticket's whole stock
 * while never paying.
 */
export function checkPendingCap(held: number, asked: number, limit: number): void {
  if (held + asked <= limit) return;
  throw refused(
    `This event lets one buyer hold at most ${limit} tickets in unpaid orders ("max-pending-tickets-per-buyer"); ` +
      `you hold ${held} and this order asks ${asked} more: pay or cancel a pending order first`,
    ['tickets'],
  );
}
