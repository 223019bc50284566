// iCalendar (.ics, RFC 5545) into the import model, read by ical.js.
import { calendarComponent, calendarSchedule, parseIcsText } from './calendar.ts';
import { decodeText, type ImportedSchedule, type ParseOptions } from './model.ts';

export function parseICalendar(input: Uint8Array | string, options: ParseOptions): ImportedSchedule {
  return calendarSchedule(calendarComponent(parseIcsText(decodeText(input)), 'ical'), 'ical', options);
}
