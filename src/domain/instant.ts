// The one reader of date-times a client sends (bodies, filters, query parameters). JavaScript's Date
// parser rolls impossible dates over (2019-02-30 becomes March 2) and takes years PostgreSQL cannot
// store, so each part is checked here and the instant is built from the checked parts.
//
// Accepted: RFC 3339 with `Z` or an offset, `T`, `t` or a space between date and time, seconds
// optional (OES clients send `2025-06-01T09:30+02:00`), an offset with or without its colon, years
// 0001-9999. A naive local time is refused: without an offset it names no instant.

/** The grammar as a JSON-schema pattern, so request schemas and the OpenAPI document say the same. */
export const INSTANT_PATTERN =
  '^(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(?:([Zz])|([+-])(\\d{2}):?(\\d{2}))$';

/** The longest text the grammar matches; anything longer is refused before the pattern runs. */
export const INSTANT_MAX_LENGTH = 35;

const GRAMMAR = new RegExp(INSTANT_PATTERN);

export const EXAMPLE_INSTANT = '2025-06-01T09:30:00+02:00';

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export type InstantReading = { date: Date; problem?: undefined } | { date?: undefined; problem: string };

/**
 * Reads a client's date-time. `problem` completes a sentence about the value ("… is not a date that
 * exists: February 2019 has 28 days"), for the caller to put in front of the name of the field.
 */
export function readInstant(text: string): InstantReading {
  const match = text.length <= INSTANT_MAX_LENGTH ? GRAMMAR.exec(text) : null;
  if (!match) return { problem: `must be an RFC 3339 date-time with Z or an offset, like ${EXAMPLE_INSTANT}` };
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, offsetHours = '0', offsetMinutes = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (year < 1) return { problem: 'has year 0000; years go from 0001 to 9999' };
  if (month < 1 || month > 12) return { problem: `has month ${mo}; months go from 01 to 12` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return { problem: `is not a date that exists: ${MONTHS[month - 1]} ${year} has ${days} days` };
  }
  if (hour > 23) return { problem: `has hour ${h}; hours go from 00 to 23` };
  if (minute > 59) return { problem: `has minute ${mi}; minutes go from 00 to 59` };
  // RFC 3339 allows a leap second (:60), but no clock we talk to can show one: refused like :61.
  if (second > 59) return { problem: `has second ${s}; seconds go from 00 to 59` };
  const offset = Number(offsetHours) * 60 + Number(offsetMinutes);
  if (!zulu && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) {
    return { problem: `has offset ${sign}${offsetHours}:${offsetMinutes}; offsets go from -23:59 to +23:59` };
  }
  // Built from the parts (Date.UTC would read years below 100 as 19xx); sub-millisecond digits dropped.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  date.setTime(date.getTime() - (sign === '-' ? -offset : offset) * 60_000);
  return { date };
}
