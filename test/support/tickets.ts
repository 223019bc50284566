// Builders for the ticket and order tests (issue 7): tickets, create-order requests and order changes, over HTTP
// as a client sends them. Like the schedule builders, the create helpers throw with the server's answer when
// the request fails, so a broken fixture fails loudly.
import { sql, type SQL } from 'drizzle-orm';
import type { TestApp, TestResponse } from './app.ts';
import { body, eventId, expectStatus, rel, type EventRef, type Resource } from './schedule.ts';

let counter = 0;

/** A free ticket of 100 on sale now, unless the attributes say otherwise. */
export function ticketBody(ev: EventRef, attributes: Record<string, unknown> = {}) {
  return body('ticket', { name: `Ticket ${++counter}`, type: 'free', quantity: 100, ...attributes }, { event: rel('event', eventId(ev)) });
}

export function postTicket(t: TestApp, token: string, ev: EventRef, attributes: Record<string, unknown> = {}) {
  return t.request({ method: 'POST', url: '/v1/tickets', token, json: ticketBody(ev, attributes) });
}

export async function createTicket(t: TestApp, token: string, ev: EventRef, attributes: Record<string, unknown> = {}): Promise<Resource> {
  return expectStatus(await postTicket(t, token, ev, attributes), 201, 'POST /v1/tickets').body.data;
}

export function patchTicket(t: TestApp, token: string, ticket: Resource | string, attributes: Record<string, unknown>) {
  const id = typeof ticket === 'string' ? ticket : ticket.id;
  return t.request({ method: 'PATCH', url: `/v1/tickets/${id}`, token, json: { data: { type: 'ticket', id, attributes } } });
}

export interface Line {
  ticket: Resource | string;
  quantity: number;
  price?: number | string;
}

/** The create-order body: `{tickets: [{id, quantity, price?}], …extra}`. */
export function orderBody(lines: Line[], extra: Record<string, unknown> = {}) {
  return {
    tickets: lines.map(({ ticket, quantity, price }) => ({
      id: Number(typeof ticket === 'string' ? ticket : ticket.id),
      quantity,
      ...(price !== undefined ? { price } : {}),
    })),
    ...extra,
  };
}

/**
 * The create-order body OES's client sends from its public ticket list (issue 14): ticket ids as text
 * and each ticket's price, which the server ignores for all but donation tickets.
 */
export function oesOrderBody(lines: Line[], extra: Record<string, unknown> = {}) {
  return {
    tickets: lines.map(({ ticket, quantity, price }) => ({
      id: typeof ticket === 'string' ? ticket : ticket.id,
      quantity,
      price: price ?? (typeof ticket === 'string' ? 0 : (ticket.attributes.price ?? 0)),
    })),
    ...extra,
  };
}

export function postOesOrder(t: TestApp, token: string | undefined, lines: Line[], extra: Record<string, unknown> = {}): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/v1/orders/create-order', token, json: oesOrderBody(lines, extra) });
}

export function postOrder(t: TestApp, token: string | undefined, lines: Line[], extra: Record<string, unknown> = {}): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/v1/orders/create-order', token, json: orderBody(lines, extra) });
}

export async function createOrder(t: TestApp, token: string, lines: Line[], extra: Record<string, unknown> = {}): Promise<Resource> {
  return expectStatus(await postOrder(t, token, lines, extra), 201, 'create-order').body.data;
}

export function patchOrder(t: TestApp, token: string, order: Resource, attributes: Record<string, unknown>) {
  return t.request({
    method: 'PATCH',
    url: `/v1/orders/${order.attributes.identifier}`,
    token,
    json: { data: { type: 'order', id: order.id, attributes } },
  });
}

/**
 * The order form as OES's client sends it after create-order (issue 14): the order back with its new
 * status — completed for a free order, pending for a paid one — and the details given. Throws with the
 * server's answer when refused.
 */
export async function sendOrderForm(t: TestApp, token: string, order: Resource, attributes: Record<string, unknown> = {}): Promise<Resource> {
  const status = order.attributes.amount === 0 ? 'completed' : 'pending';
  return expectStatus(await patchOrder(t, token, order, { status, ...attributes }), 200, 'PATCH order (order form)').body.data;
}

/**
 * Makes the event offer these offline payment modes (OES's can-pay-by-bank, -cheque, can-pay-onsite), which
 * a paid order's form must choose from. Written to the database: the event's own attributes for them are
 * the event resource's part of issue 14.
 */
export async function offerPayments(t: TestApp, ev: EventRef, modes: ('bank' | 'cheque' | 'onsite')[]): Promise<void> {
  await queryRows(
    t,
    sql`UPDATE events SET can_pay_by_bank = ${modes.includes('bank')}, can_pay_by_cheque = ${modes.includes('cheque')},
        can_pay_onsite = ${modes.includes('onsite')} WHERE id = ${Number(eventId(ev))}`,
  );
}

/** The ticket as its organizers see it (with sold-count and available). */
export async function ticketAsTeam(t: TestApp, token: string, ticket: Resource | string): Promise<Resource> {
  const id = typeof ticket === 'string' ? ticket : ticket.id;
  return expectStatus(await t.request({ method: 'GET', url: `/v1/tickets/${id}`, token }), 200, 'GET ticket').body.data;
}

/** The `detail` of the first error. */
export const detail = (response: TestResponse): string => response.body?.errors?.[0]?.detail ?? '';
export const pointer = (response: TestResponse): string | undefined => response.body?.errors?.[0]?.source?.pointer;

/** An ISO instant `minutes` from now (negative: in the past). */
export const fromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** Rows of a raw query on the test database (both drivers answer `{rows}`). */
export async function queryRows<T = Record<string, unknown>>(t: TestApp, query: SQL): Promise<T[]> {
  const result = (await t.database.connection.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
