// Tickets: what an event sells. The rules a ticket must keep (a free ticket costs nothing, a paid one
// something, a donation lets buyers choose within a range; sales end after they start; max-order is at
// least min-order; the quantity never drops below what is sold), its prices between the decimals of
// the wire and the minor units kept in the database, and the rows the ticket routes read.
import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { TICKET_TYPES, tickets, type TicketType } from '../db/schema/index.ts';
import { eventAccess } from './access.ts';
import { ConflictError, InvalidError, NotFoundError } from './errors.ts';
import type { ChildModel } from './event-child/model.ts';
import { fromMinor, minorDigits, toMinor } from './money.ts';
import type { User } from './users.ts';

export { TICKET_TYPES, type TicketType };
export type Ticket = typeof tickets.$inferSelect;
/** The table tickets are kept in, as the resource definition names it. */
export type TicketTable = typeof tickets;

/** How a ticket type is priced: OES's client's "…Registration" types are priced as their plain type. */
export type Pricing = 'free' | 'paid' | 'donation';
export function pricingOf(type: TicketType): Pricing {
  switch (type) {
    case 'free':
    case 'freeRegistration':
      return 'free';
    case 'paid':
    case 'paidRegistration':
      return 'paid';
    case 'donation':
    case 'donationRegistration':
      return 'donation';
  }
}

/** What people outside the event's team see of its tickets (beyond "not deleted"): the non-hidden ones. */
export const publicTickets = (): SQL => eq(tickets.isHidden, false);

/** Tickets in the organizer's order, then by id. */
export const ticketsInOrder = (): SQL[] => [asc(tickets.position), asc(tickets.id)];

/** Decimal values as sent (`price`, `minPrice`, `maxPrice`: a number, decimal text or null). */
export type TicketPriceInput = Partial<Record<'price' | 'minPrice' | 'maxPrice', number | string | null>>;

/** Each decimal value, its attribute on the wire, and the minor-unit column it is kept in. */
const PRICES = [
  ['price', 'price', 'priceMinor'],
  ['minPrice', 'min-price', 'minPriceMinor'],
  ['maxPrice', 'max-price', 'maxPriceMinor'],
] as const;

/**
 * The values of a ticket write with its decimal prices turned into minor units of the event's
 * currency; a price with more decimals than the currency has (or negative) is refused at its
 * attribute. A null price is 0; a null min-price or max-price means no bound.
 */
export function pricesInMinorUnits(values: Record<string, unknown>, currency: string | null): Record<string, unknown> {
  const digits = minorDigits(currency);
  const converted: Record<string, unknown> = { ...values };
  for (const [key, attribute, column] of PRICES) {
    if (!(key in values)) continue;
    delete converted[key];
    const value = values[key] as number | string | null;
    if (value === null) {
      converted[column] = key === 'price' ? 0 : null;
      continue;
    }
    const minor = toMinor(value, digits);
    if (minor === null) {
      const inCurrency = currency ? ` (${currency})` : '';
      throw new InvalidError(`"${attribute}" must be an amount of 0 or more with at most ${digits} decimals${inCurrency}`, { attribute });
    }
    converted[column] = minor;
  }
  return converted;
}

/** A ticket's prices as the decimals clients read, and what is left to sell. */
export function ticketFigures(ticket: Pick<Ticket, 'priceMinor' | 'minPriceMinor' | 'maxPriceMinor' | 'quantity' | 'soldCount'>, currency: string | null) {
  const digits = minorDigits(currency);
  const money = (minor: number | null) => (minor === null ? null : fromMinor(minor, digits));
  return {
    price: money(ticket.priceMinor),
    minPrice: money(ticket.minPriceMinor),
    maxPrice: money(ticket.maxPriceMinor),
    available: Math.max(0, ticket.quantity - ticket.soldCount),
  };
}

/** What the rules read of a ticket as it would be after a write (the row merged with the changes). */
export interface TicketValues {
  type?: TicketType;
  priceMinor?: number | null;
  minPriceMinor?: number | null;
  maxPriceMinor?: number | null;
  salesStartsAt?: Date | null;
  salesEndsAt?: Date | null;
  minOrder?: number | null;
  maxOrder?: number | null;
  quantity?: number;
  /** Present on updates: the tickets held by pending and completed orders. */
  soldCount?: number;
}

const DEFAULT_MIN_ORDER = 1;
const DEFAULT_MAX_ORDER = 10;

/** Refuses a ticket that breaks a rule, at the attribute at fault. */
export function checkTicket(values: TicketValues): void {
  const check = (condition: boolean, detail: string, attribute: string) => {
    if (!condition) throw new InvalidError(detail, { attribute });
  };
  const price = values.priceMinor ?? 0;
  const pricing = values.type && pricingOf(values.type);
  if (pricing === 'free') check(price === 0, 'A free ticket has the price 0', 'price');
  if (pricing === 'paid') check(price > 0, 'A paid ticket needs a price above 0', 'price');
  if (pricing === 'donation') {
    check(price === 0, 'A donation ticket has no fixed price: buyers choose between "min-price" and "max-price"', 'price');
  }
  if (values.minPriceMinor != null && values.maxPriceMinor != null) {
    check(values.maxPriceMinor >= values.minPriceMinor, '"max-price" must be at least "min-price"', 'max-price');
  }
  if (values.salesStartsAt && values.salesEndsAt) {
    check(values.salesEndsAt.getTime() > values.salesStartsAt.getTime(), '"sales-ends-at" must be after "sales-starts-at"', 'sales-ends-at');
  }
  const minOrder = values.minOrder ?? DEFAULT_MIN_ORDER;
  const maxOrder = values.maxOrder ?? DEFAULT_MAX_ORDER;
  check(maxOrder >= minOrder, `"max-order" (${maxOrder}) must be at least "min-order" (${minOrder})`, 'max-order');
  if (values.soldCount !== undefined && values.quantity !== undefined) {
    check(
      values.quantity >= values.soldCount,
      `${values.soldCount} of these tickets are sold or held by pending orders: the quantity cannot go below that`,
      'quantity',
    );
  }
}

/** Tickets as a resource of their event: organizers write them; the public sees the non-hidden ones. */
export const ticketModel: ChildModel<typeof tickets> = {
  type: 'ticket',
  table: tickets,
  relationships: {},
  writers: 'managers',
  // Tickets are not in calendars and exports: writing one leaves the schedule version alone.
  schedule: false,
  publicWhere: publicTickets,
  defaultSort: ticketsInOrder,
  validate: checkTicket,
  constraintErrors: {
    tickets_event_name: () => new InvalidError('This event already has a ticket with that name', { attribute: 'name' }),
    // The quantity was checked against the tickets sold, and more were sold before the change landed.
    tickets_sold_within_quantity: () =>
      new ConflictError('Tickets were sold meanwhile: the new quantity is below the tickets sold; reload and try again', { attribute: 'quantity' }),
  },
};

/** Tickets by id, in id order (deleted ones too: an order keeps what it bought). */
export async function ticketsByIds(db: Queryable, ids: number[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  return db.select().from(tickets).where(inArray(tickets.id, [...new Set(ids)])).orderBy(asc(tickets.id));
}

/** How many of a ticket are left to sell (OES's tickets/availability). */
export interface Availability {
  id: number;
  name: string;
  quantity: number;
  available: number;
}

/**
 * What is left of each ticket of the event that `user` may see (the team: hidden ones too), in the
 * organizer's order. The public ticket list reads it to cap its quantity choices. NotFoundError when
 * the event is not visible to them.
 */
export async function ticketAvailability(db: Queryable, eventKey: string, user: User | null): Promise<Availability[]> {
  const access = await eventAccess(db, eventKey, user);
  if (!access?.canRead) throw new NotFoundError('Not found');
  const rows = await db
    .select({ id: tickets.id, name: tickets.name, quantity: tickets.quantity, soldCount: tickets.soldCount })
    .from(tickets)
    .where(and(eq(tickets.eventId, access.event.id), isNull(tickets.deletedAt), access.isTeam ? undefined : publicTickets()))
    .orderBy(...ticketsInOrder());
  return rows.map(({ soldCount, ...ticket }) => ({ ...ticket, available: Math.max(0, ticket.quantity - soldCount) }));
}
