// The value type of every property and parameter we write, in one table that iCalendar, xCal and jCal all read
// (as ical.js's design.js does), so the three formats never disagree on a type. RFC 5545 gives the types of the
// standard properties; RFC 7986 those of NAME and REFRESH-INTERVAL; the X-WR-* and X-PUBLISHED-TTL extensions
// are text and duration by the Apple/Google convention.

export type ValueType =
  | 'text'
  | 'integer'
  | 'uri'
  | 'cal-address'
  | 'date-time'
  | 'utc-offset'
  | 'duration'
  | 'recur';

export const PROPERTY_TYPES = {
  // VCALENDAR
  version: 'text',
  prodid: 'text',
  calscale: 'text',
  method: 'text',
  name: 'text',
  'x-wr-calname': 'text',
  'x-wr-caldesc': 'text',
  'x-wr-timezone': 'text',
  'refresh-interval': 'duration',
  'x-published-ttl': 'duration',
  // VTIMEZONE and its STANDARD/DAYLIGHT observances
  tzid: 'text',
  tzoffsetfrom: 'utc-offset',
  tzoffsetto: 'utc-offset',
  rrule: 'recur',
  // VEVENT
  uid: 'text',
  dtstamp: 'date-time',
  dtstart: 'date-time',
  dtend: 'date-time',
  summary: 'text',
  description: 'text',
  location: 'text',
  categories: 'text',
  url: 'uri',
  status: 'text',
  sequence: 'integer',
  created: 'date-time',
  'last-modified': 'date-time',
  attendee: 'cal-address',
} as const satisfies Record<string, ValueType>;

export type PropertyName = keyof typeof PROPERTY_TYPES;

/** Properties whose type is not their default one in RFC 5545 terms: iCalendar must name it with `VALUE=`
 *  (RFC 7986 §5.7 requires `REFRESH-INTERVAL;VALUE=DURATION`). xCal and jCal always name the type anyway. */
export const EXPLICIT_VALUE_TYPE: ReadonlySet<PropertyName> = new Set<PropertyName>(['refresh-interval']);

export const PARAMETER_TYPES = {
  tzid: 'text',
  cn: 'text',
} as const satisfies Record<string, ValueType>;

export type ParameterName = keyof typeof PARAMETER_TYPES;

export type Params = Readonly<Partial<Record<ParameterName, string>>>;

export const COMPONENTS = ['vcalendar', 'vtimezone', 'standard', 'daylight', 'vevent'] as const;

export type ComponentName = (typeof COMPONENTS)[number];

/** RECUR values we write (VTIMEZONE rules only). Field order is the one RFC 6321's schema imposes. */
export interface Recur {
  freq: 'YEARLY';
  /** `-1SU` (last Sunday), `2SU` (second Sunday)… */
  byday: string;
  bymonth: number;
}
