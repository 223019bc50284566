// What the shared calendar builder (calendar.ts) says, and each format (ical.ts, xcal.ts, jcal.ts) writes in its
// own syntax. The builder decides which components and properties a calendar holds and with which values; a writer
// only decides how they look, reading value types from design.ts, and writes UTF-8 into its sink.
import type { ComponentName, Params, PropertyName, Recur } from './design.ts';
import type { ByteSink } from './sink.ts';
import { MAX_BYTES_PER_UNIT } from './text.ts';

/** Room parameters can take once escaped and marked up, for `ByteSink.reserve`. */
export function paramsSize(params: Params | undefined): number {
  if (!params) return 0;
  return ((params.tzid?.length ?? 0) + (params.cn?.length ?? 0)) * MAX_BYTES_PER_UNIT + 64;
}

export interface CalendarWriter {
  readonly sink: ByteSink;
  /** Document prologue and epilogue (XML declaration and root element…). */
  open(): void;
  close(): void;
  begin(component: ComponentName): void;
  end(component: ComponentName): void;
  /**
   * A property with one value, in its type's RFC 6321 form (`42`, `PT1H`, a URI, any text). Text goes through the
   * rule of text.ts; a text property, or a parameter, left empty by it is not written at all.
   */
  property(name: PropertyName, value: string, params?: Params): void;
  /** A text property with several values (CATEGORIES); empty values are left out, and so is an empty list. */
  texts(name: PropertyName, values: readonly string[]): void;
  /** `ms` is a UTC instant (`utc`) or a wall-clock time written as if it were UTC (with a TZID parameter). */
  dateTime(name: PropertyName, ms: number, utc: boolean, params?: Params): void;
  utcOffset(name: PropertyName, seconds: number): void;
  recur(name: PropertyName, rule: Recur): void;
}
