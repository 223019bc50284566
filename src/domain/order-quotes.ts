// What an order would cost, before it is placed (OES's calculate-amount): the ticket list shows it
// while the buyer chooses. It reads and prices the tickets with the very functions create-order uses
// (readOrderTickets, unitPrice, orderAmount), so a quote and the order placed from it agree to the
// cent. A quote holds nothing and refuses only what could never be ordered or priced (an unknown,
// deleted or hidden ticket, another event's, a donation out of range); the sales window, min and
// max order and what is left are create-order's to refuse. It needs no account: the public ticket
// list asks before anyone signs in. A discount code is applied as create-order applies it (the same
// planDiscount over the uses left), and an access code lets its hidden tickets be priced; unlike
// create-order, a quote does not hold a code to its min and max quantity (OES's client prices each of a
// code's tickets once to show its discount). The event's tax (sales-tax.ts) is charged on what is left
// after the discount, as create-order charges it; openevent has no ticket fees: they are 0, as OES
// answers for an event without them.
import type { Database } from '../db/connection.ts';
import { InvalidError } from './errors.ts';
import { fromMinor } from './money.ts';
import { readOrderTickets, type LineRequest } from './orders.ts';
import { accessCodeFor, checkedAccessCode, discountCodeFor, usesLeft } from './codes.ts';
import { checkNotHidden, lineDiscount, orderAmount, planDiscount, refused, unitPrice, type RequestPath } from './pricing.ts';
import { discountedTicketTax, salesTaxOf, taxOn, taxedTotal } from './sales-tax.ts';
import { pricingOf } from './tickets.ts';
import type { User } from './users.ts';

export interface QuoteLine {
  id: number;
  name: string;
  /** What one ticket costs: its price, or for a donation ticket what the buyer gives. */
  price: number;
  quantity: number;
  discount: QuoteDiscount | null;
  ticket_fee: number;
  sub_total: number;
  /** The tax of one ticket at its full price (contained in it, or added to it). */
  ticket_tax: number;
  /** The tax of one ticket at its discounted price; 0 without a discount. */
  discounted_tax: number;
}

/** The order's tax, as OES says it: its name and rate, whether prices include it, and the amount. */
export interface QuoteTax {
  included: boolean;
  amount: number;
  percent: number;
  name: string;
}

/** What a discount code takes off a line, as OES says it (amounts in the currency's decimals). */
export interface QuoteDiscount {
  code: string;
  /** Of one ticket's price. */
  percent: number;
  /** Off one ticket. */
  amount: number;
  /** Off the line: the tickets the code's uses left still cover. */
  total: number;
  type: string;
  warning?: string;
}

/** OES's calculate-amount answer; amounts are decimals of the event's payment currency. */
export interface Quote {
  /** After the discount, before tax that prices do not include. */
  sub_total: number;
  /** What the buyer pays: sub_total, plus the tax when prices do not include it. */
  total: number;
  discount: number;
  /** Null when the event charges no tax. */
  tax: QuoteTax | null;
  tickets: QuoteLine[];
}

export interface QuoteRequest {
  lines: LineRequest[];
  /** A discount code of the event: its id or the code itself. */
  discountCode?: string | number | null;
  /** An access code of the event: its hidden tickets may be priced with it. */
  accessCode?: string | number | null;
  /** OES's discount_verify: a code with no uses left is refused rather than priced without its discount. */
  discountVerify?: boolean;
}

/** Prices `lines` for `buyer` (null: anonymous). Throws InvalidError, at the line, for what no order could buy. */
export async function quoteOrder(db: Database, request: QuoteRequest, buyer: User | null): Promise<Quote> {
  const { lines } = request;
  if (lines.length === 0) throw refused('List at least one ticket', ['tickets']);
  const at = (line: LineRequest, field?: string): RequestPath => ['tickets', lines.indexOf(line), ...(field ? [field] : [])];
  const seen = new Set<number>();
  for (const line of lines) {
    if (seen.has(line.ticketId)) throw refused(`Ticket ${line.ticketId} is listed twice`, at(line, 'id'));
    seen.add(line.ticketId);
  }

  const { event, access, byId, digits } = await readOrderTickets(db, lines, buyer, at, { preview: true });
  const given = (code: string | number | null | undefined) => (code == null || code === '' ? null : code);
  const discountGiven = given(request.discountCode);
  const hiddenIds = access.canManage ? [] : lines.filter((line) => byId.get(line.ticketId)!.ticket.isHidden).map((line) => line.ticketId);
  const accessGiven = given(request.accessCode) ?? (buyer ? await checkedAccessCode(db, buyer, event.id, hiddenIds) : null);
  const now = new Date();
  const unlocked = accessGiven === null ? null : await accessCodeFor(db, event, accessGiven, now, false);
  const priced = lines.map((line) => {
    const { ticket } = byId.get(line.ticketId)!;
    checkNotHidden(ticket, access.canManage || !!unlocked?.ticketIds.has(ticket.id), at(line));
    // A line of 0 (the client lists tickets not chosen) costs nothing, whatever a donation would be.
    const unitMinor = line.quantity > 0 ? unitPrice(ticket, line.price, digits, at(line)) : pricingOf(ticket.type) === 'donation' ? 0 : ticket.priceMinor;
    return { ticket, ticketId: ticket.id, quantity: line.quantity, unitMinor, totalMinor: orderAmount([{ unitMinor, quantity: line.quantity }], digits) };
  });
  const fullMinor = orderAmount(priced, digits);
  const money = (minor: number) => fromMinor(minor, digits);

  // As OES: the code must name one of the tickets listed, chosen or not yet (the client prices the list before any is chosen).
  const chosen = priced.map((line) => line.ticketId);
  const discount = discountGiven === null ? null : await discountCodeFor(db, event, discountGiven, chosen, now, false);
  let plan: ReturnType<typeof planDiscount> | null = null;
  if (discount) {
    const left = usesLeft(discount.code);
    if (left === 0 && request.discountVerify) throw new InvalidError('Discount tickets sold out.', { pointer: '/discount_sold_out' });
    plan = planDiscount(priced, discount.code, discount.ticketIds, left);
  }
  const discountOf = (index: number): QuoteDiscount | null => {
    const line = priced[index]!;
    const planned = plan?.lines[index];
    if (!discount || !planned?.applies || pricingOf(line.ticket.type) === 'free') return null;
    const offOne = lineDiscount(discount.code, line.unitMinor, 1);
    const percent = discount.code.type === 'percent' ? discount.code.valueScaled / 100 : line.unitMinor > 0 ? Math.round((offOne / line.unitMinor) * 10_000) / 100 : 0;
    return {
      code: discount.code.code,
      percent,
      amount: money(offOne),
      total: money(planned.discountMinor),
      type: discount.code.type,
      ...(plan!.partial ? { warning: 'Your order not fully discount due to discount code usage is exhausted.' } : {}),
    };
  };
  const discountMinor = plan?.totalMinor ?? 0;
  const tax = await salesTaxOf(db, event);
  const { taxMinor, totalMinor } = taxedTotal(fullMinor - discountMinor, tax);
  const discountedTax = (index: number) => {
    const line = priced[index]!;
    return tax && discount && discountOf(index) ? money(discountedTicketTax(line.unitMinor, discount.code, tax)) : 0;
  };
  return {
    sub_total: money(fullMinor - discountMinor),
    total: money(totalMinor),
    discount: money(discountMinor),
    tax: tax && { included: tax.included, amount: money(taxMinor), percent: tax.rate, name: tax.name },
    tickets: priced.map(({ ticket, quantity, unitMinor, totalMinor: lineMinor }, index) => ({
      id: ticket.id,
      name: ticket.name,
      price: money(unitMinor),
      quantity,
      discount: discountOf(index),
      ticket_fee: 0,
      sub_total: money(lineMinor - (plan?.lines[index]?.discountMinor ?? 0)),
      ticket_tax: tax ? money(taxOn(unitMinor, tax)) : 0,
      discounted_tax: discountedTax(index),
    })),
  };
}
