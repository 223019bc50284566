// jCal (RFC 7265, iCalendar as JSON) into the import model: ical.js reads jCal as it is.
import { calendarComponent, calendarSchedule } from './calendar.ts';
import { parseJsonText } from './json.ts';
import { decodeText, type ImportedSchedule, type ParseOptions } from './model.ts';

export function parseJCal(input: Uint8Array | string, options: ParseOptions): ImportedSchedule {
  const json = parseJsonText(decodeText(input));
  return calendarSchedule(calendarComponent(json, 'jcal'), 'jcal', options);
}
