// CSV exports of an event's orders and attendees for its organizers and registrars, through the same writer as the
// session and speaker CSVs (csv.ts): RFC 4180, UTF-8 with a BOM, and the same formula-injection guard, which
// matters more here since buyers type their own names and notes. Amounts arrive as fixed-point text in the order's
// currency ("12.50"), made from integer minor units by the caller, so no float ever touches money.
import { writeCsv, type CsvOptions, type RowSource } from './csv.ts';
import { formatLocalIso, zoneClock } from './local-time.ts';

export interface CsvOrderRow {
  identifier: string;
  createdAt: Date;
  status: string;
  paymentMode: string | null;
  paidVia: string | null;
  amount: string;
  currency: string | null;
  /** `2 × Early bird; 1 × Supporter` */
  tickets: string;
  quantity: number;
  buyerName: string;
  buyerEmail: string;
  country: string | null;
  orderNotes: string | null;
  completedAt: Date | null;
  expiresAt: Date | null;
}

export interface CsvAttendeeRow {
  orderIdentifier: string;
  orderCreatedAt: Date;
  orderStatus: string;
  ticket: string;
  ticketType: string;
  ticketPrice: string;
  currency: string | null;
  firstname: string;
  lastname: string;
  email: string;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  notes: string | null;
  isCheckedIn: boolean;
  checkinTimes: Date[];
}

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

export const ATTENDEE_COLUMNS = [
  'Order',
  'Order Date',
  'Order Status',
  'Ticket',
  'Ticket Type',
  'Ticket Price',
  'Currency',
  'First Name',
  'Last Name',
  'Email',
  'Address',
  'City',
  'State',
  'Country',
  'Notes',
  'Checked In',
  'Check-in Times',
] as const;

const orEmpty = (value: string | null): string => value ?? '';

/** Every time in the event's zone, ISO 8601 with its offset, as the session CSV writes them. */
function timeWriter(timezone: string) {
  const clock = zoneClock(timezone);
  return (at: Date | null) => (at ? formatLocalIso(clock, at.getTime()) : '');
}

export function serializeOrdersCsv(input: { timezone: string; orders: RowSource<CsvOrderRow> }, options: CsvOptions = {}): AsyncIterable<string> {
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

export function serializeAttendeesCsv(
  input: { timezone: string; attendees: RowSource<CsvAttendeeRow> },
  options: CsvOptions = {},
): AsyncIterable<string> {
  const time = timeWriter(input.timezone);
  return writeCsv(ATTENDEE_COLUMNS, input.attendees, (a) => [
    a.orderIdentifier,
    time(a.orderCreatedAt),
    a.orderStatus,
    a.ticket,
    a.ticketType,
    a.ticketPrice,
    orEmpty(a.currency),
    a.firstname,
    a.lastname,
    a.email,
    orEmpty(a.address),
    orEmpty(a.city),
    orEmpty(a.state),
    orEmpty(a.country),
    orEmpty(a.notes),
    a.isCheckedIn ? 'yes' : 'no',
    a.checkinTimes.map((at) => time(at)).join('; '),
  ], options);
}
