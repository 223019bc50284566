// The calendar every iCalendar-family format writes: VCALENDAR with its properties, the event's VTIMEZONE, then
// a VEVENT per exportable session, streamed. Sessions are read one at a time and the writer's sink hands out UTF-8
// chunks of ~64 KB as they fill, so memory stays flat however many sessions the source yields.
import { formatDurationMinutes } from './datetime.ts';
import type { CalendarInput, CalendarSession } from './model.ts';
import { isExportable } from './schedule.ts';
import { plainText } from './text.ts';
import { zoneRules, type ZoneRules } from './timezones.ts';
import { uidSuffix } from './urls.ts';
import { Repeats, writeSession, type EventContext } from './vevent.ts';
import type { CalendarWriter } from './writer.ts';

/** PRODID when the caller names no product (it should: the version belongs in it). */
export const DEFAULT_PRODID = '-//openevent//openevent//EN';

export async function* streamCalendar(
  input: CalendarInput,
  w: CalendarWriter,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { event } = input;
  // Everything that can reject the input (an unknown zone, invalid dates, a bad base URL) happens before the first
  // chunk.
  const zone = zoneRules(event.timezone, event.startsAt.getTime(), event.endsAt.getTime());
  if (!Number.isFinite(input.generatedAt.getTime())) throw new RangeError('generatedAt is not a valid date');
  const ctx: EventContext = {
    event,
    zone,
    tzParams: { tzid: zone.id },
    uidSuffix: uidSuffix(event, input.baseUrl),
    stamp: input.generatedAt.getTime(),
    repeats: new Repeats(),
  };
  const { ready } = w.sink;

  w.open();
  w.begin('vcalendar');
  writeCalendarProperties(w, input, zone);
  if (!zone.utc) writeTimezone(w, zone);

  const source = input.sessions;
  if (Symbol.asyncIterator in source) {
    for await (const session of source) {
      if (isExportable(session)) writeSession(w, ctx, session);
      while (ready.length > 0) yield ready.shift() as Uint8Array;
    }
  } else {
    // A plain loop for in-memory sources: `for await` would cost a microtask per session.
    for (const session of source as Iterable<CalendarSession>) {
      if (isExportable(session)) writeSession(w, ctx, session);
      while (ready.length > 0) yield ready.shift() as Uint8Array;
    }
  }

  w.end('vcalendar');
  w.close();
  w.sink.flush();
  while (ready.length > 0) yield ready.shift() as Uint8Array;
}

function writeCalendarProperties(w: CalendarWriter, input: CalendarInput, zone: ZoneRules): void {
  const { event } = input;
  w.property('version', '2.0');
  w.property('prodid', input.productId ?? DEFAULT_PRODID);
  w.property('calscale', 'GREGORIAN');
  w.property('method', 'PUBLISH');
  // NAME is RFC 7986; X-WR-CALNAME is what Apple, Google and Outlook read.
  w.property('name', event.name);
  w.property('x-wr-calname', event.name);
  if (event.description) w.property('x-wr-caldesc', plainText(event.description));
  w.property('x-wr-timezone', zone.id);
  const minutes = input.refreshIntervalMinutes;
  if (minutes !== undefined && Number.isFinite(minutes) && minutes >= 1) {
    const duration = formatDurationMinutes(Math.round(minutes));
    w.property('refresh-interval', duration);
    w.property('x-published-ttl', duration);
  }
}

function writeTimezone(w: CalendarWriter, zone: ZoneRules): void {
  w.begin('vtimezone');
  w.property('tzid', zone.id);
  for (const o of zone.observances) {
    w.begin(o.kind);
    w.dateTime('dtstart', o.start, false);
    if (o.rule) w.recur('rrule', o.rule);
    w.utcOffset('tzoffsetfrom', o.offsetFrom);
    w.utcOffset('tzoffsetto', o.offsetTo);
    w.end(o.kind);
  }
  w.end('vtimezone');
}
