// Shared by the calendar tests: input builders, an independent statement of the text rule, and readers for the
// three formats that bring each back to one shape (jCal arrays) so they can be compared with each other and with
// the input. ical.js reads iCalendar and jCal; xCal is read with a DOM parser and checked with the RFC 6321 schema.
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { PROPERTY_TYPES } from '../../src/calendar/design.ts';
import type { CalendarEvent, CalendarInput, CalendarSession, SessionSource } from '../../src/calendar/model.ts';
import { isExportable } from '../../src/calendar/schedule.ts';
import { plainText } from '../../src/calendar/text.ts';
import { sessionUrl, speakerUrl } from '../../src/calendar/urls.ts';
import { description } from '../../src/calendar/vevent.ts';
import { version } from '../../src/version.ts';
import { sharedPath } from '../support/shared.ts';

// ical.js knows RFC 5545 only: tell it the types of NAME, REFRESH-INTERVAL and the X- properties we write, from the
// same table the serializers use, or it would read them as `unknown` and leave their escapes in place.
const icalProperties = ICAL.design.icalendar.property as Record<string, { defaultType: string }>;
for (const [name, type] of Object.entries(PROPERTY_TYPES)) icalProperties[name] ??= { defaultType: type };

export type Jcal = [string, JcalProperty[], Jcal[]];
export type JcalProperty = [string, Record<string, string>, string, ...unknown[]];

/** What the server passes in as PRODID (the calendar library cannot know the version). */
export const PRODUCT_ID = `-//openevent//openevent ${version}//EN`;

export const GENERATED_AT = new Date('2025-03-01T12:00:00Z');

export function session(overrides: Partial<CalendarSession> = {}): CalendarSession {
  return {
    id: 101,
    title: 'Keynote',
    subtitle: null,
    shortAbstract: 'Opening words.',
    longAbstract: null,
    language: 'en',
    level: null,
    state: 'confirmed',
    startsAt: new Date('2025-03-10T08:00:00Z'),
    endsAt: new Date('2025-03-10T09:00:00Z'),
    deletedAt: null,
    createdAt: new Date('2025-01-05T10:00:00Z'),
    lastModifiedAt: new Date('2025-02-20T16:30:00Z'),
    sequence: 3,
    slidesUrl: null,
    videoUrl: null,
    audioUrl: null,
    track: { id: 1, name: 'Main', color: '#336699' },
    room: { id: 1, name: 'Hall A' },
    sessionType: { id: 1, name: 'Talk' },
    speakers: [{ id: 7, name: 'Ada Lovelace' }],
    ...overrides,
  };
}

export function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: 1,
    identifier: 'b8f3c2a1',
    name: 'Open Summit 2025',
    timezone: 'Europe/Berlin',
    description: '<p>Three days of <b>open source</b> &amp; more.</p>',
    locationName: 'Berlin',
    startsAt: new Date('2025-03-10T07:00:00Z'),
    endsAt: new Date('2025-03-12T18:00:00Z'),
    logoUrl: null,
    url: 'https://events.example.org/e/b8f3c2a1',
    ...overrides,
  };
}

export function calendarInput<S extends SessionSource>(
  sessions: S,
  overrides: Partial<CalendarInput> = {},
): CalendarInput & { sessions: S } {
  return {
    event: event(),
    tracks: [],
    rooms: [],
    generatedAt: GENERATED_AT,
    baseUrl: 'https://events.example.org',
    refreshIntervalMinutes: 60,
    productId: PRODUCT_ID,
    ...overrides,
    sessions,
  };
}

/**
 * The text rule, written independently of src/calendar/text.ts: CRLF and lone CR become LF; C0 controls but tab and
 * LF, DEL, U+FFFE, U+FFFF and lone surrogates are dropped.
 */
export function expectedText(s: string): string {
  let out = '';
  for (const ch of s.replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0) as number;
    const dropped =
      (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || cp === 0x7f || cp === 0xfffe || cp === 0xffff || (cp >= 0xd800 && cp <= 0xdfff);
    if (!dropped) out += ch;
  }
  return out;
}

/** Characters that matter to some format, mixed into arbitrary Unicode (lone surrogates included). */
export const hostileText = (maxLength = 80) =>
  fc.string({
    unit: fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '\r', '\n', '\r\n', '\t', '\u0000', '\u0008', '\u000B', '\u001F', '\u007F', '\uFFFE', '\uFFFF', '\uD800',
          '\uDFFF', ']]>', '<script>', '&amp;', '&', '<', '>', '"', "'", '\\', ';', ',', ':', '^', '😀', 'é', 'ß',
          '\u202E', 'שלום', '\u0085', '\u2028',
        ),
      },
    ),
    maxLength,
  });

// ---- iCalendar and jCal through ical.js --------------------------------------------------------------------------

export function parseIcal(text: string): Jcal {
  return ICAL.parse(text) as unknown as Jcal;
}

export function icalComponent(jcal: Jcal): ICAL.Component {
  return new ICAL.Component(jcal as unknown as unknown[]);
}

/**
 * The UTC instant (ms) a DTSTART/DTEND-like property of `component` means, reading its TZID through the calendar's
 * own VTIMEZONE with ical.js (never through Intl): so a wrong VTIMEZONE shows.
 */
export function instantOf(calendar: ICAL.Component, prop: ICAL.Property): number {
  const time = prop.getFirstValue() as ICAL.Time;
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  const tzid = prop.getParameter('tzid') as string | undefined;
  if (!tzid) {
    if (!time.isDate && time.zone?.tzid !== 'UTC') throw new Error(`floating time in ${prop.name}`);
    return wall;
  }
  const vtimezone = calendar
    .getAllSubcomponents('vtimezone')
    .find((c) => c.getFirstPropertyValue('tzid') === tzid);
  if (!vtimezone) throw new Error(`no VTIMEZONE for ${tzid}`);
  const zone = new ICAL.Timezone({ component: vtimezone, tzid });
  return wall - zone.utcOffset(time) * 1000;
}

// ---- xCal --------------------------------------------------------------------------------------------------------

const RFC7986 = new Set(['name', 'color', 'image', 'conference', 'refresh-interval', 'source']);

export function parseXml(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    // XML 1.0 line ends only: xmldom would also turn U+0085 and U+2028 into LF, as XML 1.1 does.
    normalizeLineEndings: (text) => text.replace(/\r\n?/g, '\n'),
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(xml, 'application/xml');
  if (errors.length > 0) throw new Error(`not well-formed XML: ${errors.join('; ')}`);
  return doc;
}

function nameOf(el: Element): string {
  return el.localName ?? '';
}

function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as unknown as Element);
  return out;
}

function child(el: Element, name: string): Element | undefined {
  return childElements(el).find((c) => nameOf(c) === name);
}

/**
 * The document without what RFC 6321's closed schema does not know: `x-*` properties and parameters and RFC 7986
 * properties (what ../shared/standards/xcal/strip-extensions.xsl does).
 */
export function stripExtensions(xml: string): string {
  const doc = parseXml(xml);
  const drop: Element[] = [];
  const walk = (el: Element) => {
    for (const c of childElements(el)) {
      const parent = nameOf(el);
      const name = nameOf(c);
      if ((parent === 'properties' || parent === 'parameters') && name.startsWith('x-')) drop.push(c);
      else if (parent === 'properties' && RFC7986.has(name)) drop.push(c);
      else walk(c);
    }
  };
  walk(doc.documentElement as Element);
  for (const el of drop) el.parentNode?.removeChild(el);
  return new XMLSerializer().serializeToString(doc);
}

let schema: string | undefined;

/** Validates xCal documents against the RFC 6321 RELAX NG schema, all in one xmllint run; returns the errors. */
export async function validateXcal(docs: readonly string[], { strip = true } = {}): Promise<string[]> {
  schema ??= readFileSync(sharedPath('standards', 'xcal', 'icalendar-2.0.rng'), 'utf8');
  const result = await validateXML({
    xml: docs.map((d, i) => ({ fileName: `doc${i}.xcs`, contents: strip ? stripExtensions(d) : d })),
    schema: [{ fileName: 'icalendar-2.0.rng', contents: schema }],
    extension: 'relaxng',
    maxMemoryPages: 16384,
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

/** What the schema cannot check: every TZID has its VTIMEZONE, UIDs are unique, no VEVENT has DTEND and DURATION. */
export function xcalChecks(xml: string): string[] {
  const problems: string[] = [];
  const jcal = xcalToJcal(xml);
  const zones = new Set(
    jcal[2].filter((c) => c[0] === 'vtimezone').map((c) => c[1].find((p) => p[0] === 'tzid')?.[3] as string),
  );
  const uids = new Set<string>();
  const visit = (component: Jcal) => {
    for (const p of component[1]) {
      const tzid = p[1].tzid;
      if (tzid !== undefined && !zones.has(tzid)) problems.push(`${component[0]} ${p[0]}: no VTIMEZONE for ${tzid}`);
    }
    if (component[0] === 'vevent') {
      const uid = component[1].find((p) => p[0] === 'uid')?.[3] as string | undefined;
      if (uid === undefined) problems.push('VEVENT without UID');
      else if (uids.has(uid)) problems.push(`duplicate UID ${uid}`);
      else uids.add(uid);
      const names = component[1].map((p) => p[0]);
      if (names.includes('dtend') && names.includes('duration')) problems.push(`${uid}: DTEND and DURATION`);
    }
    component[2].forEach(visit);
  };
  visit(jcal);
  return problems;
}

const INTEGER_RECUR_PARTS = new Set(['count', 'interval', 'bymonth', 'bysecond', 'byminute', 'byhour', 'bymonthday', 'byyearday', 'byweekno', 'bysetpos']);

function xcalValue(type: string, el: Element): unknown {
  if (type === 'integer') return Number(el.textContent);
  if (type === 'recur') {
    const rule: Record<string, unknown> = {};
    for (const part of childElements(el)) {
      rule[nameOf(part)] = INTEGER_RECUR_PARTS.has(nameOf(part)) ? Number(part.textContent) : part.textContent;
    }
    return rule;
  }
  return el.textContent ?? '';
}

function xcalComponent(el: Element): Jcal {
  const properties = child(el, 'properties');
  const components = child(el, 'components');
  const props: JcalProperty[] = (properties ? childElements(properties) : []).map((p) => {
    const params: Record<string, string> = {};
    const values = childElements(p).filter((v) => nameOf(v) !== 'parameters');
    const parameters = child(p, 'parameters');
    if (parameters) {
      for (const param of childElements(parameters)) params[nameOf(param)] = childElements(param)[0]?.textContent ?? '';
    }
    const type = values[0]?.localName ?? 'unknown';
    return [nameOf(p), params, type, ...values.map((v) => xcalValue(type, v))];
  });
  return [nameOf(el), props, (components ? childElements(components) : []).map(xcalComponent)];
}

/** An xCal document as jCal (RFC 6321 §5 / RFC 7265 §3 mapping), for comparing the formats. */
export function xcalToJcal(xml: string): Jcal {
  const doc = parseXml(xml);
  const root = doc.documentElement as Element;
  if (nameOf(root) !== 'icalendar' || root.namespaceURI !== 'urn:ietf:params:xml:ns:icalendar-2.0') {
    throw new Error(`root is {${root.namespaceURI}}${nameOf(root)}`);
  }
  const calendars = childElements(root);
  if (calendars.length !== 1) throw new Error(`${calendars.length} vcalendar elements`);
  return xcalComponent(calendars[0]);
}

// ---- generic -----------------------------------------------------------------------------------------------------

export function properties(component: Jcal, name: string): JcalProperty[] {
  return component[1].filter((p) => p[0] === name);
}

export function property(component: Jcal, name: string): JcalProperty | undefined {
  const found = properties(component, name);
  if (found.length > 1) throw new Error(`${found.length} ${name} properties`);
  return found[0];
}

export function vevents(calendar: Jcal): Jcal[] {
  return calendar[2].filter((c) => c[0] === 'vevent');
}

// ---- reading a calendar back, and what it should say ------------------------------------------------------------

export interface ReadSession {
  uid: string;
  dtstamp: number;
  dtstart: number;
  dtend?: number;
  summary?: string;
  description?: string;
  location?: string;
  categories?: string[];
  url: string;
  status: string;
  sequence: number;
  created: number;
  lastModified: number;
  attendees: { cn?: string; uri: string }[];
  /** Every property name, to catch one too many (DURATION…). */
  names: string[];
}

export interface ReadCalendar {
  properties: Record<string, unknown>;
  sessions: ReadSession[];
}

/** What a calendar says, through ical.js, whichever format it came from (xCal via `xcalToJcal`). */
export function readBack(jcal: Jcal): ReadCalendar {
  const calendar = icalComponent(jcal);
  const properties: Record<string, unknown> = {};
  for (const p of calendar.getAllProperties()) properties[p.name] = p.getFirstValue()?.toString();
  const optional = (c: ICAL.Component, name: string) => {
    const p = c.getFirstProperty(name);
    return p ? { [name === 'last-modified' ? 'lastModified' : name]: p.getFirstValue() as string } : {};
  };
  const sessions = calendar.getAllSubcomponents('vevent').map((c): ReadSession => {
    const time = (name: string) => instantOf(calendar, c.getFirstProperty(name) as ICAL.Property);
    const categories = c.getAllProperties('categories').flatMap((p) => p.getValues() as string[]);
    return {
      uid: c.getFirstPropertyValue('uid') as string,
      dtstamp: time('dtstamp'),
      dtstart: time('dtstart'),
      ...(c.hasProperty('dtend') ? { dtend: time('dtend') } : {}),
      ...optional(c, 'summary'),
      ...optional(c, 'description'),
      ...optional(c, 'location'),
      ...(categories.length > 0 ? { categories } : {}),
      url: c.getFirstPropertyValue('url') as string,
      status: c.getFirstPropertyValue('status') as string,
      sequence: c.getFirstPropertyValue('sequence') as unknown as number,
      created: time('created'),
      lastModified: time('last-modified'),
      attendees: c.getAllProperties('attendee').map((p) => {
        const cn = p.getParameter('cn') as string | undefined;
        return { ...(cn === undefined ? {} : { cn }), uri: p.getFirstValue() as string };
      }),
      names: c.getAllProperties().map((p) => p.name).sort(),
    };
  });
  return { properties, sessions };
}

const floorSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
const present = <K extends string>(key: K, value: string) => (value === '' ? {} : ({ [key]: value } as Record<K, string>));

/** What `readBack` must find for an input: every property, from the input and the text rule alone. */
export function expectedCalendar(input: CalendarInput & { sessions: CalendarSession[] }): ReadCalendar {
  const e = input.event;
  const name = expectedText(e.name);
  const caldesc = e.description ? expectedText(plainText(e.description)) : '';
  const properties: Record<string, unknown> = {
    version: '2.0',
    prodid: `-//openevent//openevent ${version}//EN`,
    calscale: 'GREGORIAN',
    method: 'PUBLISH',
    ...present('name', name),
    ...present('x-wr-calname', name),
    ...present('x-wr-caldesc', caldesc),
    'x-wr-timezone': new Intl.DateTimeFormat('en', { timeZone: e.timezone }).resolvedOptions().timeZone,
    ...(input.refreshIntervalMinutes
      ? {
          'refresh-interval': ICAL.Duration.fromSeconds(input.refreshIntervalMinutes * 60).toString(),
          'x-published-ttl': ICAL.Duration.fromSeconds(input.refreshIntervalMinutes * 60).toString(),
        }
      : {}),
  };
  const host = new URL(input.baseUrl).hostname;
  const sessions = input.sessions.filter(isExportable).map((s): ReadSession => {
    const start = floorSecond(s.startsAt as Date);
    const end = floorSecond(s.endsAt as Date);
    const track = s.track?.name ?? '';
    const type = s.sessionType?.name ?? '';
    const categories = (track && type && track !== type ? [track, type] : [track || type]).map(expectedText).filter(Boolean);
    const read: Omit<ReadSession, 'names'> = {
      uid: `${s.id}-${e.identifier}@${host}`,
      dtstamp: floorSecond(input.generatedAt),
      dtstart: start,
      ...(end > start ? { dtend: end } : {}),
      ...present('summary', expectedText(s.title)),
      ...present('description', expectedText(description(s))),
      ...present('location', expectedText(s.room?.name ?? '')),
      ...(categories.length > 0 ? { categories } : {}),
      url: sessionUrl(e, s),
      status: 'CONFIRMED',
      sequence: s.sequence,
      created: floorSecond(s.createdAt),
      lastModified: floorSecond(s.lastModifiedAt),
      attendees: s.speakers.map((p) => ({ ...present('cn', expectedText(p.name)), uri: speakerUrl(e, p) })),
    };
    const names = ['uid', 'dtstamp', 'dtstart', 'url', 'status', 'sequence', 'created', 'last-modified'];
    for (const optional of ['dtend', 'summary', 'description', 'location', 'categories'] as const) {
      if (read[optional] !== undefined) names.push(optional);
    }
    names.push(...read.attendees.map(() => 'attendee'));
    // A track name ending in a backslash gets a CATEGORIES of its own (see vevent.ts).
    if (categories.length === 2 && categories[0].endsWith('\\')) names.push('categories');
    return { ...read, names: names.sort() };
  });
  return { properties, sessions };
}

// ---- time zones, straight from Intl -----------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset at an instant, in ms, straight from Intl. */
export function intlOffset(timeZone: string, ms: number): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
  const floor = Math.floor(ms / 1000) * 1000;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - floor;
}

/** Whether the wall time of `ms` is also shown at another instant (clocks going back). */
export function ambiguous(timeZone: string, ms: number): boolean {
  const wall = ms + intlOffset(timeZone, ms);
  const offsets = new Set([-DAY, -HOUR, 0, HOUR, DAY].map((d) => intlOffset(timeZone, ms + d)));
  return [...offsets].some((o) => {
    const other = wall - o;
    return Math.floor(other / 1000) !== Math.floor(ms / 1000) && other + intlOffset(timeZone, other) === wall;
  });
}


/** Instants (UTC ms, start of a 6-hour stretch) around which the zone's offset changes in [from, to). */
export function offsetChanges(timeZone: string, from: number, to: number): number[] {
  const found: number[] = [];
  for (let t = from; t < to; t += 6 * HOUR) if (intlOffset(timeZone, t) !== intlOffset(timeZone, t + 6 * HOUR)) found.push(t);
  return found;
}

// ---- a schedule with every case the serializers must handle -----------------------------------------------------

/** Sessions that exercise every rule: excluded ones, UTC fallbacks, empty and hostile text, folding. */
export function edgeCaseSessions(): CalendarSession[] {
  const at = (iso: string) => new Date(iso);
  const long = `${'Ünïcödé 😀 text, with; separators\\ and "quotes". '.repeat(220)}END`;
  return [
    session({
      id: 1,
      shortAbstract: '<p>Why <b>open</b> standards&nbsp;matter &amp; how.</p>',
      longAbstract: '<ul><li>History</li><li>Future</li></ul>',
    }),
    session({
      id: 2,
      state: 'accepted',
      title: 'Panel: "Calendars", feeds; and \\ backslashes',
      startsAt: at('2025-03-10T10:00:00Z'),
      endsAt: at('2025-03-10T11:30:00Z'),
      track: { id: 2, name: 'Community <Open Source>', color: null },
      sessionType: { id: 2, name: 'Panel "Discussion"' },
      speakers: [
        { id: 8, name: `Seán O'Brien, "Pat"` },
        { id: 9, name: 'Nguyễn Thị Minh Khai ^ caret' },
      ],
    }),
    session({ id: 3, state: 'draft' }),
    session({ id: 4, deletedAt: at('2025-02-01T00:00:00Z') }),
    session({ id: 5, startsAt: null, endsAt: null }),
    // No time passes: DTEND is left out.
    session({ id: 6, startsAt: at('2025-03-11T09:00:00Z'), endsAt: at('2025-03-11T09:00:00.400Z') }),
    // Years after the event: outside the VTIMEZONE's window, written in UTC.
    session({ id: 7, startsAt: at('2031-07-01T10:00:00Z'), endsAt: at('2031-07-01T11:00:00Z') }),
    // 02:30 local happens twice on 2025-10-26 in Berlin: both written in UTC.
    session({ id: 8, startsAt: at('2025-10-26T00:30:00Z'), endsAt: at('2025-10-26T01:30:00Z') }),
    // Everything empty, or empty once the forbidden characters are gone.
    session({
      id: 9,
      title: '\u0000\u0001',
      shortAbstract: '',
      longAbstract: '\uFFFF',
      room: { id: 9, name: '' },
      track: null,
      sessionType: { id: 9, name: '\u0008' },
      speakers: [{ id: 10, name: '' }],
    }),
    session({
      id: 10,
      title: 'Hostile ]]> <script>alert("x")</script> &amp; \r\nnew line\rCR \u0000NUL \uD800lone 😀 \u202Eevil',
      shortAbstract: long,
      room: { id: 10, name: 'Raum für „Gäste“ — 会议室' },
      speakers: [{ id: 11, name: 'שרה כהן' }],
    }),
    // Milliseconds and a session ending the next day.
    session({ id: 11, startsAt: at('2025-03-12T22:15:30.999Z'), endsAt: at('2025-03-13T01:00:00Z'), sequence: 0 }),
    // A track name ending in a backslash, which ical.js would misread in a list.
    session({ id: 12, track: { id: 12, name: 'C:\\', color: null } }),
  ];
}
