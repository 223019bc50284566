// The iCalendar family of this library (xCal, iCalendar, jCal) by id: each serializer with the media type and
// file extension its RFC gives. Pure like the rest of calendar/. The server's list of export formats (what it
// offers, to whom, as which feed) is src/formats/registry.ts, which takes these three from here.
import { serializeIcal } from './ical.ts';
import { serializeJcal } from './jcal.ts';
import type { CalendarInput } from './model.ts';
import { serializeXcal } from './xcal.ts';

/** Writes a whole document as UTF-8 chunks of ~64 KB, reading the sessions as it goes (`Readable.from(…)` makes
 *  it a Node stream). */
export type CalendarSerializer = (input: CalendarInput) => AsyncIterable<Uint8Array>;

export interface CalendarFormat {
  /** Content-Type of the document. */
  mediaType: string;
  /** File name extension, without the dot. */
  extension: string;
  serialize: CalendarSerializer;
}

export const calendarFormats = {
  xcal: { mediaType: 'application/calendar+xml', extension: 'xcs', serialize: serializeXcal },
  ical: { mediaType: 'text/calendar; charset=utf-8', extension: 'ics', serialize: serializeIcal },
  jcal: { mediaType: 'application/calendar+json', extension: 'jcal', serialize: serializeJcal },
} satisfies Record<string, CalendarFormat>;

export type CalendarFormatId = keyof typeof calendarFormats;

export function isCalendarFormatId(id: string): id is CalendarFormatId {
  return Object.hasOwn(calendarFormats, id);
}

/** The whole document as one string: for tests, small feeds and anything else that needs it at once. */
export async function renderToString(format: CalendarFormatId, input: CalendarInput): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  for await (const chunk of calendarFormats[format].serialize(input)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
