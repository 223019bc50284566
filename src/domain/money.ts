// Money: integer minor units of a currency (cents), never floats. Clients send and read decimal
// amounts as OES does (12.5); these convert exactly, through the decimal text of the number, with the
// currency's own number of decimals (JPY 0, EUR 2, KWD 3).

/** Decimals of an event without a payment currency. */
export const DEFAULT_MINOR_DIGITS = 2;

/** Largest amount kept in minor units: exact as a JavaScript number and in a bigint column. */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;

const digitsByCurrency = new Map<string, number>();

/** How many decimals the currency has (ISO 4217 minor unit, as the runtime's ICU data knows it). */
export function minorDigits(currency: string | null | undefined): number {
  if (!currency) return DEFAULT_MINOR_DIGITS;
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? DEFAULT_MINOR_DIGITS;
    } catch {
      digits = DEFAULT_MINOR_DIGITS;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * A decimal amount (a JSON number like 12.5, or a string like "12.50") in minor units; null when it
 * is negative, not a plain decimal, has more decimals than the currency, or exceeds `max` minor units.
 * A number is read through its shortest decimal text, which is what the client wrote: 0.1 is "0.1",
 * not 0.1000000000000000055….
 */
export function toMinor(value: number | string, digits: number, max = MAX_MINOR): number | null {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d{1,20})(?:\.(\d{1,20}))?$/.exec(text);
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return null;
  const minor = BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor > BigInt(max) ? null : Number(minor);
}

/** Minor units as the decimal number clients read (1250 → 12.5): the nearest double to the exact decimal. */
export function fromMinor(minor: number, digits: number): number {
  return digits === 0 ? minor : minor / 10 ** digits;
}

/** Minor units as fixed-point text with all the currency's decimals (1250 → "12.50"), for files. */
export function formatMinor(minor: number, digits: number): string {
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * num/den (non-negative, exact) to the nearest whole minor unit, a half to the even one: what Python's
 * round() does to the cents OES computes, here without float error.
 */
export function roundHalfEven(num: bigint, den: bigint): number {
  const whole = num / den;
  const twice = (num % den) * 2n;
  const up = twice > den || (twice === den && whole % 2n === 1n);
  return Number(up ? whole + 1n : whole);
}
