// An event's time zone for the calendar exports: the VTIMEZONE that describes it, and wall-clock times by
// arithmetic. The UTC offsets come from the runtime's IANA data through Intl, probed once per zone and year and
// cached, so the VTIMEZONE and every local DATE-TIME are derived from the same offsets and cannot disagree. This is
// the library's one source of zone offsets: local-time.ts (the frab and CSV exports) reads them through `zoneOffset`.
//
// A VTIMEZONE covers a window of whole years around the event (a year before its first day to a year after its
// last), and a DATE-TIME is written with TZID only where a reader gets it right from that VTIMEZONE alone:
// inside the window and not on a wall-clock time that happens twice when clocks go back (RFC 5545 reads that as
// the first occurrence, ical.js as standard time). Anything else is written in UTC, which every reader gets right.
import type { Recur } from './design.ts';

const DAY_MS = 86_400_000;

interface Transition {
  /** The instant (UTC ms) from which `to` applies. */
  at: number;
  /** UTC offsets in seconds, east positive. */
  from: number;
  to: number;
}

export interface Observance {
  kind: 'standard' | 'daylight';
  /** Onset as wall-clock time in the offset before it (how DTSTART is written), ms "as if UTC". */
  start: number;
  offsetFrom: number;
  offsetTo: number;
  /** A yearly rule, when every onset in the window follows one; otherwise this observance has one onset. */
  rule: Recur | null;
}

export interface ZoneRules {
  /** The IANA name as the caller gave it: the organizer's choice, never ICU's older alias for it. */
  readonly id: string;
  /** UTC itself: times are written with `Z` and no VTIMEZONE is needed. */
  readonly utc: boolean;
  readonly observances: readonly Observance[];
  /** The wall-clock time of an instant written as if it were UTC, or NaN where it must be written in UTC. */
  wallTime(ms: number): number;
}

interface Year {
  /** The offset at 00:00 UTC on Jan 1. */
  offset: number;
  /** Transitions with `at` in (Jan 1 of the year, Jan 1 of the next year]. */
  transitions: Transition[];
}

interface Zone {
  id: string;
  format: Intl.DateTimeFormat;
  years: Map<number, Year>;
}

const zones = new Map<string, Zone>();
const rulesCache = new Map<string, ZoneRules>();

const UTC_NAMES = /^(?:Etc\/)?(?:UTC|UCT|GMT|Universal|Zulu|Greenwich)(?:[+-]?0)?$/;

function zone(timeZone: string): Zone {
  let z = zones.get(timeZone);
  if (!z) {
    // Throws RangeError for a name the runtime does not know, before anything is written.
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // The caller's name, not resolvedOptions(): ICU answers some zones by their old alias
    // (Asia/Kolkata as Asia/Calcutta), and TZID must match the zone the organizer chose.
    z = { id: timeZone, format, years: new Map() };
    zones.set(timeZone, z);
  }
  return z;
}

/** The zone's UTC offset in seconds at an instant (whole seconds), from Intl. */
function offsetAt(z: Zone, ms: number): number {
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  for (const part of z.format.formatToParts(ms)) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value); break;
      case 'minute': minute = Number(part.value); break;
      case 'second': second = Number(part.value); break;
    }
  }
  return (Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(ms / 1000) * 1000) / 1000;
}

/** Probes a day apart, then bisects to the second: offsets never change twice within a day in the IANA data. */
function yearOf(z: Zone, year: number): Year {
  const cached = z.years.get(year);
  if (cached) return cached;
  const list: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let cursor = Date.UTC(year, 0, 1);
  const startOffset = offsetAt(z, cursor);
  let offset = startOffset;
  while (cursor < end) {
    const probe = Math.min(cursor + DAY_MS, end);
    if (offsetAt(z, probe) === offset) {
      cursor = probe;
      continue;
    }
    let lo = cursor;
    let hi = probe;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(z, mid) === offset) lo = mid;
      else hi = mid;
    }
    const to = offsetAt(z, hi);
    list.push({ at: hi, from: offset, to });
    offset = to;
    cursor = hi;
  }
  const result = { offset: startOffset, transitions: list };
  z.years.set(year, result);
  return result;
}

/**
 * The zone's UTC offset in seconds (east positive) at any instant, from the same cached transitions as the
 * VTIMEZONE. Throws RangeError for a name the runtime does not know, and for an instant that is not a valid date.
 * Remembers the stretch of constant offset it last answered from, so instants in order cost a comparison each.
 */
export function zoneOffset(timeZone: string): (ms: number) => number {
  const z = zone(timeZone);
  if (UTC_NAMES.test(z.id)) return () => 0;
  // The stretch [from, until) has `offset`; empty until the first lookup.
  let from = 0;
  let until = 0;
  let offset = 0;
  return (ms: number): number => {
    if (ms >= from && ms < until) return offset;
    const year = new Date(ms).getUTCFullYear();
    // Date.UTC reads years 0 to 99 as 19xx, and the next Jan 1 of the last year a Date holds is NaN: such instants
    // (and an invalid one, for which Intl throws) go straight to Intl.
    if (!(year >= 100 && year < 275760)) return offsetAt(z, ms);
    const y = yearOf(z, year);
    from = Date.UTC(year, 0, 1);
    until = Date.UTC(year + 1, 0, 1);
    offset = y.offset;
    for (const t of y.transitions) {
      if (t.at > ms) {
        until = t.at;
        break;
      }
      from = t.at;
      offset = t.to;
    }
    return offset;
  };
}

/**
 * The rules for an event held from `startMs` to `endMs`: cached per zone and window, so a feed regenerated every
 * few minutes does not probe Intl again.
 */
export function zoneRules(timeZone: string, startMs: number, endMs: number): ZoneRules {
  const z = zone(timeZone);
  const first = new Date(Math.min(startMs, endMs)).getUTCFullYear() - 1;
  const last = new Date(Math.max(startMs, endMs)).getUTCFullYear() + 1;
  if (!Number.isFinite(first) || !Number.isFinite(last)) throw new RangeError('event dates are not valid dates');
  const key = `${z.id}|${first}|${last}`;
  let rules = rulesCache.get(key);
  if (!rules) {
    rules = buildRules(z, first, last);
    rulesCache.set(key, rules);
  }
  return rules;
}

function buildRules(z: Zone, firstYear: number, lastYear: number): ZoneRules {
  // Probe a year more on each side: the first onset then precedes the covered window (ical.js reads times before
  // a zone's first onset as UTC), and the last observances know what follows them.
  const scanStart = Date.UTC(firstYear - 1, 0, 1);
  const startOffset = offsetAt(z, scanStart);
  const transitions: Transition[] = [];
  for (let y = firstYear - 1; y <= lastYear + 1; y++) transitions.push(...yearOf(z, y).transitions);

  if (transitions.length === 0 && startOffset === 0 && UTC_NAMES.test(z.id)) {
    return { id: z.id, utc: true, observances: [], wallTime: () => Number.NaN };
  }

  // Segment i has offset offsets[i] from starts[i] on.
  const starts = [scanStart, ...transitions.map((t) => t.at)];
  const offsets = [startOffset, ...transitions.map((t) => t.to)];
  const coverStart = Date.UTC(firstYear, 0, 1);
  const coverEnd = Date.UTC(lastYear + 1, 0, 1);
  const n = starts.length;
  let hint = 0;

  const wallTime = (ms: number): number => {
    if (!(ms >= coverStart && ms < coverEnd)) return Number.NaN;
    let i = hint;
    if (ms < starts[i] || (i + 1 < n && ms >= starts[i + 1])) {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= ms) lo = mid;
        else hi = mid - 1;
      }
      i = hint = lo;
    }
    const wall = ms + offsets[i] * 1000;
    // Wall times that occur twice: the last stretch before clocks go back, and the first one after.
    if (i + 1 < n && offsets[i + 1] < offsets[i] && wall >= starts[i + 1] + offsets[i + 1] * 1000) return Number.NaN;
    if (i > 0 && offsets[i - 1] > offsets[i] && wall < starts[i] + offsets[i - 1] * 1000) return Number.NaN;
    return wall;
  };

  return {
    id: z.id,
    utc: false,
    observances:
      yearlyRules(transitions, firstYear - 1, lastYear + 1) ?? listedOnsets(transitions, scanStart, startOffset),
    wallTime,
  };
}

/** Daylight time: the offset rises into it and falls out of it (or the data ends first). Only a label for
 *  readers: the offsets are what give the times. */
function isDaylight(transitions: Transition[], i: number): boolean {
  const t = transitions[i];
  const next = transitions[i + 1];
  return t.to > t.from && (next === undefined || next.to < t.to);
}

/**
 * Every onset listed, one observance each, after one that states the offset at the start of the window: right for
 * any zone, however irregular its history. Not grouped with RDATE: ical.js (Thunderbird) ignores an observance's
 * DTSTART when it has RDATEs, and reads only the first value of each RDATE.
 */
function listedOnsets(transitions: Transition[], scanStart: number, startOffset: number): Observance[] {
  const anchor: Observance = {
    kind: transitions.length > 0 && transitions[0].to < startOffset ? 'daylight' : 'standard',
    start: scanStart + startOffset * 1000,
    offsetFrom: startOffset,
    offsetTo: startOffset,
    rule: null,
  };
  return [
    anchor,
    ...transitions.map((t, i): Observance => ({
      kind: isDaylight(transitions, i) ? 'daylight' : 'standard',
      start: t.at + t.from * 1000,
      offsetFrom: t.from,
      offsetTo: t.to,
      rule: null,
    })),
  ];
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The classic two observances with yearly rules, when each of them happens once a year in the same month, on the
 *  same weekday of the same week and at the same time, in every probed year: what every client handles best. */
function yearlyRules(transitions: Transition[], firstYear: number, lastYear: number): Observance[] | null {
  const years = lastYear - firstYear + 1;
  if (transitions.length !== 2 * years) return null;
  const groups = new Map<string, { observance: Observance; nth: Set<number>; last: boolean; years: Set<number> }>();
  for (let i = 0; i < transitions.length; i++) {
    const t = transitions[i];
    const onset = t.at + t.from * 1000;
    const date = new Date(onset);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const day = date.getUTCDate();
    const weekday = date.getUTCDay();
    const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const kind = isDaylight(transitions, i) ? 'daylight' : 'standard';
    const key = `${kind}|${t.from}|${t.to}|${month}|${weekday}|${onset % DAY_MS}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        observance: { kind, start: onset, offsetFrom: t.from, offsetTo: t.to, rule: null },
        nth: new Set(),
        last: true,
        years: new Set(),
      };
      groups.set(key, group);
    }
    group.nth.add(Math.ceil(day / 7));
    group.last &&= day > daysInMonth - 7;
    group.years.add(year);
  }
  if (groups.size !== 2) return null;
  const observances: Observance[] = [];
  for (const { observance, nth, last, years: seen } of groups.values()) {
    if (seen.size !== years) return null;
    const weekday = WEEKDAYS[new Date(observance.start).getUTCDay()];
    // "Last Sunday" where every onset is in the month's last week (the usual rule), else a fixed week.
    const week = last ? -1 : nth.size === 1 ? [...nth][0] : 0;
    if (week === 0 || week === 5) return null;
    const bymonth = new Date(observance.start).getUTCMonth() + 1;
    observance.rule = { freq: 'YEARLY', byday: `${week}${weekday}`, bymonth };
    observances.push(observance);
  }
  return observances.sort((a, b) => a.start - b.start);
}
