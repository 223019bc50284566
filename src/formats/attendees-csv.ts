// The attendees of an event (holders of tickets in unfinished and completed orders) as CSV for its organizers and
// registrars: a check-in list at the door. Same writer and formula guard as the order CSV.
import { Type } from 'typebox';
import { writeCsv, type CsvOptions, type RowSource } from '../calendar/csv.ts';
import { countAttendeeList, streamAttendeeList, type AttendeeListRow } from '../domain/order-lists.ts';
import type { ExportFormat } from './format.ts';
import { orEmpty, timeWriter } from './ticketing-csv-cells.ts';

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

export function serializeAttendeesCsv(
  input: { timezone: string; attendees: RowSource<AttendeeListRow> },
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

const NoOptions = Type.Object({}, { additionalProperties: false });

export const attendeesCsv: ExportFormat<typeof NoOptions> = {
  id: 'attendees-csv',
  title: 'the attendees as CSV, for organizers and registrars',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  start: { method: 'POST', path: 'attendees/csv', alsoGet: true },
  exportableBy: 'registrars',
  // Nothing versions attendees and check-ins: each export reads them as they are now.
  cacheable: false,
  fileName: (identifier) => `${identifier}-attendees.csv`,
  options: NoOptions,
  total: (db, event) => countAttendeeList(db, event.id),
  async render(db, event, { onProgress }) {
    return serializeAttendeesCsv({ timezone: event.timezone, attendees: streamAttendeeList(db, event.id, onProgress) });
  },
};
