// Cells shared by the order and attendee CSVs: empty for null, and every time in the event's zone as ISO 8601
// with its offset, as the session CSV writes them.
import { formatLocalIso, zoneClock } from '../calendar/local-time.ts';

export const orEmpty = (value: string | null): string => value ?? '';

export function timeWriter(timezone: string) {
  const clock = zoneClock(timezone);
  return (at: Date | null) => (at ? formatLocalIso(clock, at.getTime()) : '');
}
