// The one reader of client date-times (issue 11, items 12 and 13): dates that do not exist and years
// PostgreSQL cannot store are refused with a reason, never rolled over to another day.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysInMonth, INSTANT_PATTERN, readInstant } from '../../src/domain/instant.ts';

const at = (text: string) => readInstant(text).date?.toISOString();
const problem = (text: string) => readInstant(text).problem;

describe('readInstant', () => {
  it('reads RFC 3339 with Z or an offset, seconds and fractions optional', () => {
    expect(at('2019-02-28T10:00:00+01:00')).toBe('2019-02-28T09:00:00.000Z');
    expect(at('2019-02-28T10:00:00Z')).toBe('2019-02-28T10:00:00.000Z');
    expect(at('2019-02-28t10:00:00z')).toBe('2019-02-28T10:00:00.000Z');
    expect(at('2019-02-28 10:00-0530')).toBe('2019-02-28T15:30:00.000Z');
    expect(at('2019-02-28T10:00:00.123456789-00:00')).toBe('2019-02-28T10:00:00.123Z');
    expect(at('2019-02-28T10:00:00.5+14:00')).toBe('2019-02-27T20:00:00.500Z');
    expect(at('2019-12-31T23:30:00-01:00')).toBe('2020-01-01T00:30:00.000Z');
  });

  it('reads years below 100 as themselves, not as 19xx', () => {
    expect(at('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(at('0099-06-15T12:00:00Z')).toBe('0099-06-15T12:00:00.000Z');
    expect(at('9999-12-31T23:59:59Z')).toBe('9999-12-31T23:59:59.000Z');
  });

  it('refuses days that do not exist, with the month length', () => {
    expect(problem('2019-02-30T10:00:00+01:00')).toBe('is not a date that exists: February 2019 has 28 days');
    expect(problem('2019-02-29T10:00:00Z')).toMatch(/February 2019 has 28 days/);
    expect(at('2020-02-29T10:00:00Z')).toBe('2020-02-29T10:00:00.000Z');
    expect(problem('1900-02-29T10:00:00Z')).toMatch(/February 1900 has 28 days/);
    expect(at('2000-02-29T10:00:00Z')).toBe('2000-02-29T10:00:00.000Z');
    expect(problem('2021-04-31T10:00:00Z')).toMatch(/April 2021 has 30 days/);
    expect(problem('2021-01-00T10:00:00Z')).toMatch(/January 2021 has 31 days/);
  });

  it('refuses months, hours, minutes, seconds and offsets out of range', () => {
    expect(problem('2021-13-01T10:00:00Z')).toMatch(/month 13/);
    expect(problem('2021-00-01T10:00:00Z')).toMatch(/month 00/);
    expect(problem('2021-01-01T24:00:00Z')).toMatch(/hour 24/);
    expect(problem('2021-01-01T10:60:00Z')).toMatch(/minute 60/);
    expect(problem('2021-01-01T10:00:60Z')).toMatch(/second 60/);
    expect(problem('2021-01-01T10:00:00+24:00')).toMatch(/offset \+24:00/);
    expect(problem('2021-01-01T10:00:00-05:60')).toMatch(/offset -05:60/);
  });

  it('refuses year 0, years beyond 9999, naive times and other shapes', () => {
    expect(problem('0000-01-01T00:00:00Z')).toMatch(/year 0000/);
    for (const text of [
      '-271821-04-20T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '10000-01-01T00:00:00Z',
      '2021-01-01T10:00:00',
      '2021-01-01',
      '2021-1-01T10:00:00Z',
      '2021-01-01T10:00:00.Z',
      '2021-01-01T10:00:00.1234567890Z',
      '2021-01-01T10:00:00Z\n',
      ' 2021-01-01T10:00:00Z',
      'Fri, 01 Jan 2021 10:00:00 GMT',
      '',
    ]) {
      expect(problem(text), JSON.stringify(text)).toMatch(/must be an RFC 3339 date-time/);
    }
  });

  it('gives back every instant of years 1-9999 written in UTC (property)', () => {
    const min = new Date('0001-01-01T00:00:00Z').getTime();
    const max = new Date('9999-12-31T23:59:59.999Z').getTime();
    fc.assert(
      fc.property(fc.integer({ min, max }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(readInstant(text).date?.getTime()).toBe(ms);
      }),
    );
  });

  it('reads a local time with its offset as the instant the offset says (property)', () => {
    const parts = fc.record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    });
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(parts, ({ year, month, day, hour, minute, second, offset }) => {
        const sign = offset < 0 ? '-' : '+';
        const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
        expect(text).toMatch(new RegExp(INSTANT_PATTERN));
        const reading = readInstant(text);
        if (day > daysInMonth(year, month)) {
          expect(reading.problem).toMatch(/is not a date that exists/);
          return;
        }
        const local = new Date(0);
        local.setUTCFullYear(year, month - 1, day);
        local.setUTCHours(hour, minute, second, 0);
        expect(reading.date?.getTime()).toBe(local.getTime() - offset * 60_000);
        // The local calendar date is the one written: nothing was rolled over.
        const back = new Date(reading.date!.getTime() + offset * 60_000);
        expect([back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate()]).toEqual([year, month, day]);
      }),
    );
  });

  it('knows month lengths, leap years included', () => {
    expect([2019, 2020, 1900, 2000].map((year) => daysInMonth(year, 2))).toEqual([28, 29, 28, 29]);
    expect(Array.from({ length: 12 }, (_, i) => daysInMonth(2021, i + 1))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});
