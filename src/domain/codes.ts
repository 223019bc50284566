// Discount codes and access codes, as OES has them. An event's organizers make them; buyers never
// list them, they only check one code of an event (the ticket list's promotional code field) and use
// it in calculate-amount and create-order.
//
// A discount code takes an amount (off each ticket, at most its price) or a percentage off the
// tickets it names; it discounts at most `tickets-number` tickets in all. An access code unlocks the
// hidden tickets it names, for at most `tickets-number` tickets in all. Both count their uses in the
// order's transaction (`used_count`, with a CHECK against the limit, locked before any ticket row)
// and get them back when the order expires or is cancelled, exactly as tickets do (orders.ts).
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../db/connection.ts';
import { accessCodeTickets, accessCodeUnlocks, accessCodes, discountCodeTickets, discountCodes, tickets, type DiscountType } from '../db/schema/index.ts';
import { eventAccess, type Event } from './access.ts';
import { ConflictError, InvalidError, NotFoundError } from './errors.ts';
import { linkTable, type ChildModel, type ValuesOf } from './event-child/model.ts';
import { fromMinor, minorDigits, toMinor } from './money.ts';
import { ticketModel } from './tickets.ts';
import type { User } from './users.ts';

export type DiscountCode = typeof discountCodes.$inferSelect;
export type AccessCode = typeof accessCodes.$inferSelect;

/** The rules both kinds of code share: quantities and validity window as they would be after a write. */
function checkCodeValues(values: {
  minQuantity?: number | null;
  maxQuantity?: number | null;
  ticketsNumber?: number | null;
  usedCount?: number;
  validFrom?: Date | null;
  validTill?: Date | null;
}): void {
  const { minQuantity, maxQuantity, ticketsNumber } = values;
  if (minQuantity != null && maxQuantity != null && minQuantity > maxQuantity) {
    throw new InvalidError('min-quantity cannot be more than max-quantity', { attribute: 'min-quantity' });
  }
  if (ticketsNumber != null && maxQuantity != null && ticketsNumber < maxQuantity) {
    throw new InvalidError('tickets-number should be greater than max-quantity', { attribute: 'tickets-number' });
  }
  if (ticketsNumber != null && values.usedCount !== undefined && ticketsNumber < values.usedCount) {
    throw new InvalidError(`The code is already used on ${values.usedCount} tickets: tickets-number cannot go below that`, { attribute: 'tickets-number' });
  }
  if (values.validFrom && values.validTill && values.validFrom.getTime() > values.validTill.getTime()) {
    throw new InvalidError('valid_till should be after valid_from', { attribute: 'valid-till' });
  }
}

const usedMeanwhile = () => new ConflictError('The code was used meanwhile: tickets-number is below its uses now; reload and try again', { attribute: 'tickets-number' });

export const discountCodeModel: ChildModel<typeof discountCodes> = {
  type: 'discount-code',
  table: discountCodes,
  relationships: {
    tickets: { kind: 'many', link: linkTable(discountCodeTickets, 'discountCodeId', 'ticketId'), target: () => ticketModel },
  },
  writers: 'managers',
  schedule: false,
  // Nobody outside the event's team lists or reads codes by id: buyers check one by its code.
  publicWhere: () => sql`false`,
  defaultSort: () => [sql`${discountCodes.id}`],
  validate: (values) => {
    checkCodeValues(values);
    if (values.usedFor !== undefined && values.usedFor !== 'ticket') {
      throw new InvalidError('openevent has no event invoices to discount: an event’s discount codes are used-for "ticket"', { attribute: 'used-for' });
    }
  },
  onCreate: (user: User) => ({ marketerId: user.id }),
  constraintErrors: {
    discount_codes_event_code: () => new ConflictError('Discount Code already exists', { attribute: 'code' }),
    discount_codes_used_within_limit: usedMeanwhile,
  },
};

export const accessCodeModel: ChildModel<typeof accessCodes> = {
  type: 'access-code',
  table: accessCodes,
  relationships: {
    tickets: { kind: 'many', link: linkTable(accessCodeTickets, 'accessCodeId', 'ticketId'), target: () => ticketModel },
  },
  writers: 'managers',
  schedule: false,
  publicWhere: () => sql`false`,
  defaultSort: () => [sql`${accessCodes.id}`],
  validate: (values: ValuesOf<typeof accessCodes>) => checkCodeValues(values),
  onCreate: (user: User) => ({ marketerId: user.id }),
  constraintErrors: {
    access_codes_event_code: () => new ConflictError('Access code already exists', { attribute: 'code' }),
    access_codes_used_within_limit: usedMeanwhile,
  },
  // OES: an access code unlocks hidden tickets; naming a public one is refused.
  checkRelationships: async (db, given) => {
    const ids = given.get('tickets');
    if (!ids?.length) return;
    const shown = await db.select({ id: tickets.id }).from(tickets).where(and(inArray(tickets.id, ids), eq(tickets.isHidden, false)));
    if (shown.length) {
      throw new ConflictError(`Ticket with id ${shown[0]!.id} is public. Access code cannot be applied to public tickets`, { relationship: 'tickets' });
    }
  },
};

/**
 * A discount code's `value` as clients read it: a decimal of the event's currency for `amount`, a
 * percentage for `percent`. Stored scaled: minor units, or hundredths of a percent.
 */
export function discountValue(code: Pick<DiscountCode, 'type' | 'valueScaled'>, currency: string | null): number {
  return code.type === 'percent' ? code.valueScaled / 100 : fromMinor(code.valueScaled, minorDigits(currency));
}

/** A request's `value` and `type` (with the row's where the request leaves one out) as the stored columns. */
export function discountValueColumns(values: Record<string, unknown>, event: Event, row: DiscountCode | null): Record<string, unknown> {
  if (!('value' in values) && !('type' in values)) return values;
  const { value: given, ...rest } = values;
  const type = (values.type ?? row?.type ?? 'amount') as DiscountType;
  const value = given !== undefined ? given : row ? discountValue(row, event.paymentCurrency) : undefined;
  if (value === undefined || value === null) throw new InvalidError('Give the discount’s "value"', { attribute: 'value' });
  if (type === 'percent') {
    const hundredths = toMinor(value as number | string, 2, 10_000);
    if (hundredths === null) throw new InvalidError('A percent discount’s "value" is between 0 and 100, with at most 2 decimals', { attribute: 'value' });
    return { ...rest, type, valueScaled: hundredths };
  }
  const digits = minorDigits(event.paymentCurrency);
  const minor = toMinor(value as number | string, digits);
  if (minor === null) throw new InvalidError(`An amount discount’s "value" is 0 or more with at most ${digits} decimals`, { attribute: 'value' });
  return { ...rest, type, valueScaled: minor };
}

/** The ids of the live tickets a code names. */
async function codeTickets(db: Queryable, kind: 'discount' | 'access', codeId: number): Promise<number[]> {
  const rows =
    kind === 'discount'
      ? await db
          .select({ id: discountCodeTickets.ticketId })
          .from(discountCodeTickets)
          .innerJoin(tickets, eq(tickets.id, discountCodeTickets.ticketId))
          .where(and(eq(discountCodeTickets.discountCodeId, codeId), isNull(tickets.deletedAt)))
      : await db
          .select({ id: accessCodeTickets.ticketId })
          .from(accessCodeTickets)
          .innerJoin(tickets, eq(tickets.id, accessCodeTickets.ticketId))
          .where(and(eq(accessCodeTickets.accessCodeId, codeId), isNull(tickets.deletedAt)));
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Whether `now` is within the code's window; without valid-till a code holds until the event ends (OES). */
function inWindow(code: { validFrom: Date | null; validTill: Date | null }, event: Pick<Event, 'endsAt'>, now: Date): boolean {
  const till = code.validTill ?? event.endsAt;
  return (!code.validFrom || code.validFrom.getTime() <= now.getTime()) && now.getTime() <= till.getTime();
}

/** A code as a request names it: its id (a number, or digits as text), or the code itself (any case). */
function codeWhere(table: typeof discountCodes | typeof accessCodes, eventId: number, given: string | number) {
  const text = String(given).trim();
  const byId = /^\d{1,9}$/.test(text) ? eq(table.id, Number(text)) : undefined;
  return and(eq(table.eventId, eventId), isNull(table.deletedAt), byId ?? sql`lower(${table.code}) = lower(${text})`);
}

/** A discount code applied to an order: the code as read (locked, in an order's transaction) and its tickets. */
export interface AppliedCode<C> {
  code: C;
  ticketIds: Set<number>;
}

const invalidDiscount = () => new InvalidError('Invalid Discount Code', { pointer: '/discount_code' });
const invalidAccess = () => new InvalidError('Invalid Access Code', { pointer: '/access_code' });

/**
 * The discount code an order or quote names, checked as OES checks it: the event's, active, within
 * its window, naming at least one of the order's tickets (else 422 "Invalid Discount Code").
 * `lock`: in an order's transaction, the code row is locked until commit, so its uses are counted
 * one order at a time (before any ticket row is locked, as everywhere).
 */
export async function discountCodeFor(
  db: Queryable,
  event: Event,
  given: string | number,
  orderTicketIds: number[],
  now: Date,
  lock: boolean,
): Promise<AppliedCode<DiscountCode>> {
  const query = db.select().from(discountCodes).where(codeWhere(discountCodes, event.id, given));
  const [code] = lock ? await query.for('update') : await query;
  if (!code || !code.isActive || !inWindow(code, event, now)) throw invalidDiscount();
  const ticketIds = new Set(await codeTickets(db, 'discount', code.id));
  if (!orderTicketIds.some((id) => ticketIds.has(id))) throw invalidDiscount();
  return { code, ticketIds };
}

/** The access code an order names, checked as a discount code is (else 422 "Invalid Access Code"); locked likewise. */
export async function accessCodeFor(db: Queryable, event: Event, given: string | number, now: Date, lock: boolean): Promise<AppliedCode<AccessCode>> {
  const query = db.select().from(accessCodes).where(codeWhere(accessCodes, event.id, given));
  const [code] = lock ? await query.for('update') : await query;
  if (!code || !code.isActive || !inWindow(code, event, now)) throw invalidAccess();
  return { code, ticketIds: new Set(await codeTickets(db, 'access', code.id)) };
}

/** Refuses an order whose tickets under the code fall outside its min-quantity..max-quantity. */
export function checkCodeQuantity(code: Pick<DiscountCode, 'minQuantity' | 'maxQuantity'>, quantity: number, pointer: string, name: string): void {
  if (quantity < code.minQuantity || (code.maxQuantity != null && code.maxQuantity >= 0 && quantity > code.maxQuantity)) {
    const range = code.maxQuantity != null ? `between ${code.minQuantity} and ${code.maxQuantity}` : `at least ${code.minQuantity}`;
    throw new InvalidError(`This ${name} applies to orders of ${range} of its tickets; ${quantity} chosen`, { pointer });
  }
}

/** How many more tickets a code may be used on (Infinity without a limit). */
export function usesLeft(code: { ticketsNumber: number | null; usedCount: number }): number {
  return code.ticketsNumber == null ? Infinity : Math.max(0, code.ticketsNumber - code.usedCount);
}

/** Counts `uses` more uses of the code, in the order's transaction (the row is locked; the CHECK backs the limit). */
export async function takeCodeUses(tx: Transaction, kind: 'discount' | 'access', codeId: number, uses: number): Promise<void> {
  if (uses === 0) return;
  const table = kind === 'discount' ? discountCodes : accessCodes;
  await tx.update(table).set({ usedCount: sql`${table.usedCount} + ${uses}` }).where(eq(table.id, codeId));
}

/** Gives back the uses let-go orders took, discount codes then access codes, each in ascending id order (the order placeOrder locks them in). */
export async function releaseCodeUses(
  tx: Transaction,
  released: { discountCodeId: number | null; discountUses: number; accessCodeId: number | null; accessUses: number }[],
): Promise<void> {
  for (const kind of ['discount', 'access'] as const) {
    const byCode = new Map<number, number>();
    for (const order of released) {
      const id = kind === 'discount' ? order.discountCodeId : order.accessCodeId;
      const uses = kind === 'discount' ? order.discountUses : order.accessUses;
      if (id != null && uses > 0) byCode.set(id, (byCode.get(id) ?? 0) + uses);
    }
    const table = kind === 'discount' ? discountCodes : accessCodes;
    for (const [id, uses] of [...byCode].sort((a, b) => a[0] - b[0])) {
      await tx.update(table).set({ usedCount: sql`${table.usedCount} - ${uses}` }).where(eq(table.id, id));
    }
  }
}

/**
 * The code of an event a buyer checks (the ticket list's promotional code field), by the code itself:
 * anyone who may see the event may check one. 404 for no such code; 422 when it is not active or not
 * within its window. With the live tickets it names (hidden ones too: that is what an access code unlocks).
 */
export async function checkCode(
  db: Queryable,
  kind: 'discount' | 'access',
  eventKey: string,
  code: string,
  user: User | null,
  now = new Date(),
): Promise<{ row: DiscountCode | AccessCode; event: Event; ticketIds: number[] }> {
  const access = await eventAccess(db, eventKey, user);
  if (!access?.canRead) throw new NotFoundError('Not found');
  const table = kind === 'discount' ? discountCodes : accessCodes;
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.eventId, access.event.id), isNull(table.deletedAt), sql`lower(${table.code}) = lower(${code})`));
  const name = kind === 'discount' ? 'Discount Code' : 'Access Code';
  if (!row) throw new NotFoundError(`${name}: not found`, { parameter: 'code' });
  if (!row.isActive) throw new InvalidError(`${name} is not active`, { parameter: 'code' });
  if (!inWindow(row, access.event, now)) throw new InvalidError(`${name} is not active in current time frame`, { parameter: 'code' });
  // OES's client unlocks hidden tickets with the code it checked but sends no code with the order: the
  // signed-in buyer's checked codes are remembered, and an order of hidden tickets without a code uses them.
  if (kind === 'access' && user) {
    await db
      .insert(accessCodeUnlocks)
      .values({ userId: user.id, accessCodeId: row.id, unlockedAt: now })
      .onConflictDoUpdate({ target: [accessCodeUnlocks.userId, accessCodeUnlocks.accessCodeId], set: { unlockedAt: now } });
  }
  return { row, event: access.event, ticketIds: await codeTickets(db, kind, row.id) };
}

/**
 * The access code an order of hidden tickets uses when it names none: the one the buyer checked most
 * recently (GET /v1/events/{ev}/access-codes/{code}) among the event's live codes naming every hidden
 * ticket of the order; null when there is none (the order is then refused as before). Its validity
 * and uses are checked as for a code the order names.
 */
export async function checkedAccessCode(db: Queryable, buyer: User, eventId: number, hiddenTicketIds: number[]): Promise<number | null> {
  if (hiddenTicketIds.length === 0) return null;
  const checked = await db
    .select({ id: accessCodes.id })
    .from(accessCodeUnlocks)
    .innerJoin(accessCodes, eq(accessCodes.id, accessCodeUnlocks.accessCodeId))
    .where(and(eq(accessCodeUnlocks.userId, buyer.id), eq(accessCodes.eventId, eventId), isNull(accessCodes.deletedAt), eq(accessCodes.isActive, true)))
    .orderBy(desc(accessCodeUnlocks.unlockedAt));
  for (const { id } of checked) {
    const covered = new Set(await codeTickets(db, 'access', id));
    if (hiddenTicketIds.every((ticketId) => covered.has(ticketId))) return id;
  }
  return null;
}

/**
 * For each of these tickets, the ids of the live codes of a kind that name it (a ticket's
 * `discount-codes` and `access-codes`, as OES links them), in id order.
 */
export async function codeIdsOfTickets(db: Queryable, kind: 'discount' | 'access', ticketIds: readonly number[]): Promise<Map<number, number[]>> {
  const found = new Map<number, number[]>(ticketIds.map((id) => [id, []]));
  if (ticketIds.length === 0) return found;
  const rows =
    kind === 'discount'
      ? await db
          .select({ ticketId: discountCodeTickets.ticketId, codeId: discountCodes.id })
          .from(discountCodeTickets)
          .innerJoin(discountCodes, eq(discountCodes.id, discountCodeTickets.discountCodeId))
          .where(and(inArray(discountCodeTickets.ticketId, [...ticketIds]), isNull(discountCodes.deletedAt)))
          .orderBy(discountCodes.id)
      : await db
          .select({ ticketId: accessCodeTickets.ticketId, codeId: accessCodes.id })
          .from(accessCodeTickets)
          .innerJoin(accessCodes, eq(accessCodes.id, accessCodeTickets.accessCodeId))
          .where(and(inArray(accessCodeTickets.ticketId, [...ticketIds]), isNull(accessCodes.deletedAt)))
          .orderBy(accessCodes.id);
  for (const row of rows) found.get(row.ticketId)?.push(row.codeId);
  return found;
}
