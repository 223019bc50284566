// Whether a file's time zone name is one the calendar library can compute with (IANA names, `UTC`).
import { zoneClock } from '../calendar/local-time.ts';

export function isKnownZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    zoneClock(name);
    return true;
  } catch {
    return false;
  }
}
