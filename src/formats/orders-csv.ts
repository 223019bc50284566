// The orders of an event as CSV for its organizers and registrars: every order, or those of one status. Written
// through the session CSVs' writer (RFC 4180, UTF-8 with a BOM, the formula-injection guard, which matters more
// here since buyers type their own names and notes). Amounts arrive as fixed-point text in the order's currency
// ("12.50"), made from integer minor units by the domain, so no float ever touches money.
import { Type } from 'typebox';
import { writeCsv, type CsvOptions, type RowSource } from '../calendar/csv.ts';
import { ORDER_STATUSES } from '../db/schema/index.ts';
import { countOrderList, streamOrderList, type OrderListRow } from '../domain/order-lists.ts';
import type { ExportFormat } from './format.ts';
import { orEmpty, timeWriter } from './ticketing-csv-cells.ts';

export const ORDER_COLUMNS = [
  'Order',
  'Order Date',
  'Status',
  'Payment Mode',
  'Paid Via',
  'Amount',
  'Currency',
  'Tickets',
  'Quantity',
  'Buyer Name',
  'Buyer Email',
  'Country',
  'Order Notes',
  'Completed At',
  'Expires At',
] as const;

export function serializeOrdersCsv(input: { timezone: string; orders: RowSource<OrderListRow> }, options: CsvOptions = {}): AsyncIterable<string> {
  const time = timeWriter(input.timezone);
  return writeCsv(ORDER_COLUMNS, input.orders, (o) => [
    o.identifier,
    time(o.createdAt),
    o.status,
    orEmpty(o.paymentMode),
    orEmpty(o.paidVia),
    o.amount,
    orEmpty(o.currency),
    o.tickets,
    String(o.quantity),
    o.buyerName,
    o.buyerEmail,
    orEmpty(o.country),
    orEmpty(o.orderNotes),
    time(o.completedAt),
    time(o.expiresAt),
  ], options);
}


const OrderStatusOption = Type.Object(
  {
    status: Type.Optional(
      Type.Union(['all', ...ORDER_STATUSES].map((status) => Type.Literal(status)), {
        default: 'all',
        description: 'Only the orders in this status; all when left out',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ordersCsv: ExportFormat<typeof OrderStatusOption> = {
  id: 'orders-csv',
  title: 'the orders as CSV, for organizers and registrars',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  start: { method: 'POST', path: 'orders/csv', alsoGet: true },
  exportableBy: 'registrars',
  // Nothing versions orders: each export reads them as they are now.
  cacheable: false,
  fileName: (identifier) => `${identifier}-orders.csv`,
  options: OrderStatusOption,
  total: (db, event, options) => countOrderList(db, event.id, options.status ?? 'all'),
  async render(db, event, { options, onProgress }) {
    return serializeOrdersCsv({ timezone: event.timezone, orders: streamOrderList(db, event.id, options.status ?? 'all', onProgress) });
  },
};
