// What can be exported, and how each is rendered from the database: the calendar formats (through the
// calendar library's registry), the Pentabarf/frab schedules, the organizers' CSV files, and the order
// and attendee lists. Export tasks, the CLI and the feeds pick a kind here and nowhere else.
import type { Queryable } from '../db/connection.ts';
import type { events } from '../db/schema/index.ts';
import { calendarFormats } from '../calendar/formats.ts';
import { serializePentabarf } from '../calendar/pentabarf.ts';
import { serializeFrabJson } from '../calendar/frab-json.ts';
import { serializeSessionsCsv, serializeSpeakersCsv } from '../calendar/csv.ts';
import type { CalendarInput } from '../calendar/model.ts';
import { calendarInput, countExportedSessions } from '../db/queries/calendar-source.ts';
import { countCsvSessions, countCsvSpeakers, streamCsvSessions, streamCsvSpeakers } from '../db/queries/csv-source.ts';
import { serializeAttendeesCsv, serializeOrdersCsv } from '../calendar/ticketing-csv.ts';
import { countCsvAttendees, countCsvOrders, streamCsvAttendees, streamCsvOrders } from '../db/queries/ticketing-csv-source.ts';

type EventRow = typeof events.$inferSelect;

export interface RenderOptions {
  publicUrl: string;
  /** Kind-specific choices, e.g. `{status: 'accepted'}` for CSV. */
  options: Record<string, string>;
  /** Called as rows are read, with how many so far. */
  onProgress?(done: number): void | Promise<void>;
  generatedAt?: Date;
}

export interface ExportKind {
  id: string;
  mediaType: string;
  extension: string;
  /**
   * False for exports not made of the schedule (orders, attendees): nothing versions that data, so each
   * export is rendered anew rather than reused while the schedule version stays the same. Default true.
   */
  cacheable?: boolean;
  /** How many rows the export will read: the task's progress total. */
  total(db: Queryable, event: EventRow, options: Record<string, string>): Promise<number>;
  render(db: Queryable, event: EventRow, options: RenderOptions): Promise<AsyncIterable<Uint8Array | string>>;
}

function fromCalendar(
  id: string,
  mediaType: string,
  extension: string,
  serialize: (input: CalendarInput) => AsyncIterable<Uint8Array | string>,
): ExportKind {
  return {
    id,
    mediaType,
    extension,
    total: (db, event) => countExportedSessions(db, event.id),
    async render(db, event, { publicUrl, onProgress, generatedAt }) {
      return serialize(await calendarInput(db, event, { publicUrl, onPage: onProgress, generatedAt }));
    },
  };
}

export const exportKinds: Record<string, ExportKind> = {
  xcal: fromCalendar('xcal', calendarFormats.xcal.mediaType, calendarFormats.xcal.extension, calendarFormats.xcal.serialize),
  ical: fromCalendar('ical', calendarFormats.ical.mediaType, calendarFormats.ical.extension, calendarFormats.ical.serialize),
  jcal: fromCalendar('jcal', calendarFormats.jcal.mediaType, calendarFormats.jcal.extension, calendarFormats.jcal.serialize),
  pentabarf: fromCalendar('pentabarf', 'application/xml', 'xml', (input) => serializePentabarf(input)),
  'frab-json': fromCalendar('frab-json', 'application/json', 'json', (input) => serializeFrabJson(input)),
  'sessions-csv': {
    id: 'sessions-csv',
    mediaType: 'text/csv; charset=utf-8',
    extension: 'csv',
    total: (db, event, options) => countCsvSessions(db, event.id, options.status ?? 'all'),
    async render(db, event, { options, onProgress }) {
      return serializeSessionsCsv({
        timezone: event.timezone,
        sessions: streamCsvSessions(db, event.id, options.status ?? 'all', onProgress),
      });
    },
  },
  'speakers-csv': {
    id: 'speakers-csv',
    mediaType: 'text/csv; charset=utf-8',
    extension: 'csv',
    total: (db, event) => countCsvSpeakers(db, event.id),
    async render(db, event, { options, onProgress }) {
      return serializeSpeakersCsv({ speakers: streamCsvSpeakers(db, event.id, options.status ?? 'all', onProgress) });
    },
  },
  'orders-csv': {
    id: 'orders-csv',
    mediaType: 'text/csv; charset=utf-8',
    extension: 'csv',
    cacheable: false,
    total: (db, event, options) => countCsvOrders(db, event.id, options.status ?? 'all'),
    async render(db, event, { options, onProgress }) {
      return serializeOrdersCsv({ timezone: event.timezone, orders: streamCsvOrders(db, event.id, options.status ?? 'all', onProgress) });
    },
  },
  'attendees-csv': {
    id: 'attendees-csv',
    mediaType: 'text/csv; charset=utf-8',
    extension: 'csv',
    cacheable: false,
    total: (db, event) => countCsvAttendees(db, event.id),
    async render(db, event, { onProgress }) {
      return serializeAttendeesCsv({ timezone: event.timezone, attendees: streamCsvAttendees(db, event.id, onProgress) });
    },
  },
};

export function exportKind(id: string): ExportKind | null {
  return Object.hasOwn(exportKinds, id) ? exportKinds[id]! : null;
}
