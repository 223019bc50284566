// What an order would cost, before it is placed (OES's calculate-amount): the ticket list shows it
// while the buyer chooses. It reads and prices the tickets with the very functions create-order uses
// (readOrderTickets, unitPrice, orderAmount), so a quote and the order placed from it agree to the
// cent. A quote holds nothing and refuses only what could never be ordered or priced (an unknown,
// deleted or hidden ticket, another event's, a donation out of range); the sales window, min and
// max order and what is left are create-order's to refuse. It needs no account: the public ticket
// list asks before anyone signs in. openevent has no taxes, fees or discount codes yet: they are 0 and
// null here, as OES answers for an event without them.
import type { Database } from '../db/connection.ts';
import { InvalidError } from './errors.ts';
import { fromMinor } from './money.ts';
import { readOrderTickets, type LineRequest } from './orders.ts';
import { checkNotHidden, orderAmount, refuseCodes, refused, unitPrice, type RequestPath } from './pricing.ts';
import { pricingOf } from './tickets.ts';
import type { User } from './users.ts';

export interface QuoteLine {
  id: number;
  name: string;
  /** What one ticket costs: its price, or for a donation ticket what the buyer gives. */
  price: number;
  quantity: number;
  discount: null;
  ticket_fee: number;
  sub_total: number;
  ticket_tax: number;
  discounted_tax: number;
}

/** OES's calculate-amount answer; amounts are decimals of the event's payment currency. */
export interface Quote {
  sub_total: number;
  total: number;
  discount: number;
  tax: null;
  tickets: QuoteLine[];
}

export interface QuoteRequest {
  lines: LineRequest[];
  /** A discount or access code the buyer entered: not supported yet, so refused rather than ignored. */
  discountCode?: unknown;
  accessCode?: unknown;
}

/** Prices `lines` for `buyer` (null: anonymous). Throws InvalidError, at the line, for what no order could buy. */
export async function quoteOrder(db: Database, request: QuoteRequest, buyer: User | null): Promise<Quote> {
  refuseCodes(request);
  const { lines } = request;
  if (lines.length === 0) throw refused('List at least one ticket', ['tickets']);
  const at = (line: LineRequest, field?: string): RequestPath => ['tickets', lines.indexOf(line), ...(field ? [field] : [])];
  const seen = new Set<number>();
  for (const line of lines) {
    if (seen.has(line.ticketId)) throw refused(`Ticket ${line.ticketId} is listed twice`, at(line, 'id'));
    seen.add(line.ticketId);
  }

  const { access, byId, digits } = await readOrderTickets(db, lines, buyer, at, { preview: true });
  const priced = lines.map((line) => {
    const { ticket } = byId.get(line.ticketId)!;
    checkNotHidden(ticket, access.canManage, at(line));
    // A line of 0 (the client lists tickets not chosen) costs nothing, whatever a donation would be.
    const unitMinor = line.quantity > 0 ? unitPrice(ticket, line.price, digits, at(line)) : pricingOf(ticket.type) === 'donation' ? 0 : ticket.priceMinor;
    return { ticket, quantity: line.quantity, unitMinor, totalMinor: orderAmount([{ unitMinor, quantity: line.quantity }], digits) };
  });
  const totalMinor = orderAmount(priced, digits);
  const money = (minor: number) => fromMinor(minor, digits);
  return {
    sub_total: money(totalMinor),
    total: money(totalMinor),
    discount: 0,
    tax: null,
    tickets: priced.map(({ ticket, quantity, unitMinor, totalMinor: lineMinor }) => ({
      id: ticket.id,
      name: ticket.name,
      price: money(unitMinor),
      quantity,
      discount: null,
      ticket_fee: 0,
      sub_total: money(lineMinor),
      ticket_tax: 0,
      discounted_tax: 0,
    })),
  };
}
