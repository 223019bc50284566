// DATE-TIME, UTC-OFFSET and DURATION values by arithmetic: no Date object and no Intl call per value. iCalendar
// writes the basic ISO 8601 form (20250310T080000), xCal and jCal the extended one (2025-03-10T08:00:00).
import { formatDayNumber } from './local-time.ts';
import { bytes, type ByteSink } from './sink.ts';

const DAY_SECONDS = 86_400;
const PAD2 = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

// A schedule spans a few days: each day's date is formatted and encoded once per form. Bounded so a pathological
// input (every session on another day) cannot grow it without limit.
const extendedDays = new Map<number, Uint8Array>();
const basicDays = new Map<number, Uint8Array>();
const DAY_CACHE_LIMIT = 4096;

function dayBytes(day: number, basic: boolean): Uint8Array {
  const cache = basic ? basicDays : extendedDays;
  let b = cache.get(day);
  if (b === undefined) {
    const s = formatDayNumber(day);
    b = bytes(basic ? s.replaceAll('-', '') : s);
    if (cache.size >= DAY_CACHE_LIMIT) cache.clear();
    cache.set(day, b);
  }
  return b;
}

const ZERO = 48;

/**
 * A DATE-TIME written straight into the sink (room for 20 bytes must be reserved). `ms` is either a UTC instant
 * (`utc`, written with Z) or a wall-clock time written as if it were UTC (see `ZoneRules.wallTime`); the value
 * has whole seconds (sub-second parts are cut, as DATE-TIME cannot carry them).
 */
export function writeDateTime(sink: ByteSink, ms: number, basic: boolean, utc: boolean): void {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / DAY_SECONDS);
  const t = seconds - day * DAY_SECONDS;
  sink.put(dayBytes(day, basic));
  const buf = sink.buf;
  let pos = sink.pos;
  const h = (t / 3600) | 0;
  const m = ((t / 60) | 0) % 60;
  const s = t % 60;
  buf[pos++] = 84; // T
  buf[pos++] = ZERO + ((h / 10) | 0);
  buf[pos++] = ZERO + (h % 10);
  if (!basic) buf[pos++] = 58; // :
  buf[pos++] = ZERO + ((m / 10) | 0);
  buf[pos++] = ZERO + (m % 10);
  if (!basic) buf[pos++] = 58;
  buf[pos++] = ZERO + ((s / 10) | 0);
  buf[pos++] = ZERO + (s % 10);
  if (utc) buf[pos++] = 90; // Z
  sink.pos = pos;
}

/** `+01:00` / `+0100`; seconds only when the offset has some (historical local mean times). */
export function formatUtcOffset(offsetSeconds: number, basic: boolean): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const sep = basic ? '' : ':';
  const secs = abs % 60;
  return `${sign}${PAD2[Math.floor(abs / 3600)] ?? Math.floor(abs / 3600)}${sep}${PAD2[Math.floor(abs / 60) % 60]}${
    secs ? sep + PAD2[secs] : ''
  }`;
}

/** A positive whole number of minutes as a DURATION: `P1D`, `PT1H`, `PT1H30M`. */
export function formatDurationMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const time = h || m ? `T${h ? `${h}H` : ''}${m ? `${m}M` : ''}` : '';
  return `P${days ? `${days}D` : ''}${time}`;
}
