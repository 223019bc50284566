// Money conversion (issue 7): decimals in, integer minor units kept, the same decimals out, never a float error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor, fromMinor, minorDigits, toMinor } from '../../src/domain/money.ts';

describe('money', () => {
  it('knows each currency’s decimals', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD'), minorDigits(null)]).toEqual([2, 0, 3, 2]);
  });

  it('reads decimals exactly, refusing what the currency cannot hold', () => {
    expect(toMinor(12.5, 2)).toBe(1250);
    expect(toMinor(0.1, 2)).toBe(10);
    expect(toMinor(1.15, 2)).toBe(115); // 1.15 * 100 is 114.99999999999999 in floats
    expect(toMinor('19.90', 2)).toBe(1990);
    expect(toMinor('1.230', 2)).toBe(123);
    for (const bad of [12.345, -1, Number.NaN, Infinity, 1e21, '1e3', '', '12.', '.5', ' - 1']) expect(toMinor(bad, 2), String(bad)).toBeNull();
    expect(toMinor(1.5, 0)).toBeNull();
    expect(toMinor(Number.MAX_SAFE_INTEGER + 1, 0)).toBeNull();
  });

  it('round-trips every amount: minor → number → minor, and the text has the currency’s decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.integer({ min: 0, max: 3 }), (minor, digits) => {
        expect(toMinor(fromMinor(minor, digits), digits)).toBe(minor);
        const text = formatMinor(minor, digits);
        expect(toMinor(text, digits)).toBe(minor);
        expect(text.split('.')[1]?.length ?? 0).toBe(digits);
      }),
    );
  });
});
