// Wall-clock time in an IANA zone without an Intl call per session. The offsets come from timezones.ts (the same
// cached transitions the VTIMEZONE is built from), read at the start of each quarter hour of UTC time: every offset
// and transition of the tz database since 1972 falls on a quarter-hour boundary in UTC, so that is the offset of the
// whole quarter hour (an older transition off that grid takes effect here at the next quarter hour, as it always has).
import { zoneOffset } from './timezones.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const BUCKET = 15 * MINUTE;

export interface ZoneClock {
  readonly timeZone: string;
  /** UTC offset in minutes (east positive) at the instant `utcMs`. */
  offsetMinutes(utcMs: number): number;
  /** The instant at which the wall clock shows `localMs` (local time written as if it were UTC). In a DST gap
   *  the result is a nearby instant; in an overlap, one of the two. */
  toUtc(localMs: number): number;
}

export function zoneClock(timeZone: string): ZoneClock {
  // Throws RangeError for an unknown zone, before any output is written.
  const offsetSeconds = zoneOffset(timeZone);

  const offsetMinutes = (utcMs: number): number =>
    Math.round(offsetSeconds(Math.floor(utcMs / BUCKET) * BUCKET) / 60);

  const toUtc = (localMs: number): number => {
    const first = localMs - offsetMinutes(localMs) * MINUTE;
    const second = localMs - offsetMinutes(first) * MINUTE;
    // Near a transition the two guesses can differ; the one whose own offset maps back to localMs is right.
    if (second + offsetMinutes(second) * MINUTE === localMs) return second;
    return first;
  };

  return { timeZone, offsetMinutes, toUtc };
}

/** `+02:00`, `-04:00`, `+05:45`, `+00:00` (the form the frab schema and ISO 8601 accept). */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian; H. Hinnant's civil_from_days, no Date object). */
export function formatDayNumber(dayNumber: number): string {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Local wall-clock milliseconds (local time written as if it were UTC) of an instant. */
export function localMs(clock: ZoneClock, utcMs: number): number {
  return utcMs + clock.offsetMinutes(utcMs) * MINUTE;
}

/** `2019-08-21T11:00:00+02:00`: the instant in the zone's wall-clock time with its offset. */
export function formatLocalIso(clock: ZoneClock, utcMs: number): string {
  const offset = clock.offsetMinutes(utcMs);
  const local = utcMs + offset * MINUTE;
  const day = Math.floor(local / DAY);
  const t = Math.floor((local - day * DAY) / 1000);
  return `${formatDayNumber(day)}T${pad2(Math.floor(t / 3600))}:${pad2(Math.floor(t / 60) % 60)}:${pad2(t % 60)}${formatOffset(offset)}`;
}

export { DAY as DAY_MS, MINUTE as MINUTE_MS };
