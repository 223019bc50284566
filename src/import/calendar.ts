// iCalendar's model (one VCALENDAR of VEVENTs, as ical.js reads it from .ics text, jCal or the jCal that
// xcal.ts makes of xCal) into the import model. One VEVENT is one session: SUMMARY the title, DESCRIPTION the
// abstract, LOCATION the room, CATEGORIES track then type, ATTENDEEs the speakers, STATUS the state. A time
// with a TZID is read in that zone (an IANA name by our own zone data, any other name by the file's VTIMEZONE),
// a floating time in the calendar's X-WR-TIMEZONE or else the event's zone. A recurring entry becomes one
// session per occurrence within the importing event's dates, each with its own identity (UID and
// RECURRENCE-ID), or is refused when there are no dates to expand it within.
import ICAL from 'ical.js';
import { zoneClock } from '../calendar/local-time.ts';
import { isKnownZone } from './zones.ts';
import {
  IMPORT_LIMITS,
  ImportError,
  checkSessionCount,
  cleanText,

  type ImportedPerson,
  type ImportedSchedule,
  type ImportedSession,
  type ParseOptions,
} from './model.ts';
import type { SessionState } from '../calendar/model.ts';

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;
type Timezone = InstanceType<typeof ICAL.Timezone>;

/** Steps a recurrence may take (occurrences before the event's dates included) before it is refused. */
const MAX_RECURRENCE_STEPS = 100_000;

const STATES: Record<string, SessionState> = {
  CONFIRMED: 'accepted',
  TENTATIVE: 'pending',
  CANCELLED: 'canceled',
};

/** The VCALENDAR of a jCal value (`["vcalendar", props, comps]`, or a list of them: the first with events). */
export function calendarComponent(jcal: unknown, format: string): Component {
  let value = jcal;
  if (Array.isArray(value) && Array.isArray(value[0])) value = value[0];
  if (!Array.isArray(value) || value[0] !== 'vcalendar' || !Array.isArray(value[1]) || !Array.isArray(value[2])) {
    throw new ImportError(`Not ${format === 'jcal' ? 'jCal' : format === 'xcal' ? 'xCal' : 'iCalendar'}: the file holds no VCALENDAR`);
  }
  try {
    return new ICAL.Component(value as unknown[]);
  } catch (error) {
    throw new ImportError(`The calendar cannot be read: ${(error as Error).message}`);
  }
}

/** .ics text into jCal, with ical.js's complaint and its line when it cannot. */
export function parseIcsText(text: string): unknown {
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw new ImportError('Not iCalendar: the file does not begin with BEGIN:VCALENDAR', 'line 1');
  try {
    return ICAL.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // ical.js names the offending line's text; find its number.
    const quoted = /"([^"]{1,200})"/.exec(message)?.[1];
    const index = quoted ? text.indexOf(quoted) : -1;
    const where = index >= 0 ? `line ${text.slice(0, index).split('\n').length}` : null;
    throw new ImportError(`The file is not valid iCalendar: ${message}`, where);
  }
}

function wallMs(t: Time): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

interface Zones {
  vtimezones: Map<string, Timezone>;
  floating: string;
}

function tzidOf(event: Component, name: string): string | null {
  const value = event.getFirstProperty(name)?.getParameter('tzid');
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? null) : null;
}

/** The instant of a DTSTART/DTEND value; `tzid` from its property (or the DTSTART's, for occurrences). */
function instantOf(t: Time, tzid: string | null, zones: Zones, where: string): number {
  if (t.zone === ICAL.Timezone.utcTimezone || (t as { timezone?: string }).timezone === 'Z' || t.zone?.tzid === 'UTC') return wallMs(t);
  const name = tzid ?? null;
  if (name === null) return zoneClock(zones.floating).toUtc(wallMs(t));
  const bare = name.replace(/^\//, '');
  if (isKnownZone(bare)) return zoneClock(bare).toUtc(wallMs(t));
  const vtimezone = zones.vtimezones.get(name);
  if (vtimezone) return wallMs(t) - vtimezone.utcOffset(t) * 1000;
  throw new ImportError(`Unknown time zone ${JSON.stringify(name)}: it is neither an IANA name nor given by a VTIMEZONE`, where);
}

function texts(event: Component, name: string): string[] {
  const out: string[] = [];
  for (const prop of event.getAllProperties(name)) {
    for (const value of prop.getValues()) {
      const text = cleanText(value);
      if (text) out.push(text);
    }
  }
  return out;
}

function speakersOf(event: Component): ImportedPerson[] {
  const speakers: ImportedPerson[] = [];
  const seen = new Set<string>();
  for (const prop of event.getAllProperties('attendee').slice(0, IMPORT_LIMITS.maxSpeakersPerSession)) {
    const cn = prop.getParameter('cn');
    const name = cleanText(Array.isArray(cn) ? cn[0] : cn);
    const uri = cleanText(prop.getFirstValue());
    const display = name ?? uri?.replace(/^mailto:/i, '') ?? null;
    if (!display) continue;
    const sourceId = uri ? `uri:${uri}` : `name:${display.toLowerCase()}`;
    if (seen.has(sourceId)) continue;
    seen.add(sourceId);
    speakers.push({ sourceId, name: display });
  }
  return speakers;
}

function sessionOf(
  item: Component,
  sourceId: string,
  start: number,
  end: number,
  where: string,
): ImportedSession {
  const categories = texts(item, 'categories');
  const status = cleanText(item.getFirstPropertyValue('status'))?.toUpperCase();
  return {
    sourceId,
    title: cleanText(item.getFirstPropertyValue('summary'))!,
    subtitle: null,
    abstract: cleanText(item.getFirstPropertyValue('description')),
    description: null,
    language: null,
    startsAt: new Date(start),
    endsAt: new Date(end),
    state: (status && STATES[status]) || 'accepted',
    track: categories[0] ?? null,
    room: cleanText(item.getFirstPropertyValue('location')),
    type: categories[1] ?? null,
    speakers: speakersOf(item),
    videoUrl: null,
    audioUrl: null,
    slidesUrl: null,
    where,
  };
}

export function calendarSchedule(calendar: Component, format: string, options: ParseOptions): ImportedSchedule {
  const named = cleanText(calendar.getFirstPropertyValue('x-wr-timezone'));
  const zones: Zones = {
    vtimezones: new Map(),
    floating: named && isKnownZone(named) ? named : options.defaultTimezone,
  };
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = cleanText(vtimezone.getFirstPropertyValue('tzid'));
    if (!tzid) continue;
    try {
      zones.vtimezones.set(tzid, new ICAL.Timezone(vtimezone));
    } catch {
      // An unreadable VTIMEZONE is as good as none: times in it are refused as in an unknown zone.
    }
  }
  const schedule: ImportedSchedule = {
    format,
    title: cleanText(calendar.getFirstPropertyValue('x-wr-calname')),
    timezone: named && isKnownZone(named) ? named : null,
    tracks: [],
    rooms: [],
    sessions: [],
    skipped: [],
  };

  const vevents = calendar.getAllSubcomponents('vevent');
  checkSessionCount(vevents.length);
  // Overrides of single occurrences (RECURRENCE-ID) belong to their recurring entry.
  const overrides = new Map<string, Component[]>();
  const masters: Component[] = [];
  for (const vevent of vevents) {
    const uid = cleanText(vevent.getFirstPropertyValue('uid'));
    if (uid && vevent.hasProperty('recurrence-id')) {
      overrides.set(uid, [...(overrides.get(uid) ?? []), vevent]);
    } else masters.push(vevent);
  }
  const seenMasters = new Set<string>();
  for (const [i, vevent] of masters.entries()) {
    const uid = cleanText(vevent.getFirstPropertyValue('uid'));
    const summary = cleanText(vevent.getFirstPropertyValue('summary'));
    const where = `VEVENT ${uid ? `UID ${uid}` : `#${i + 1}`}${summary ? ` "${summary.slice(0, 60)}"` : ''}`;
    if (!uid) {
      schedule.skipped.push({ where, reason: 'it has no UID, so a later import could not find it again' });
      continue;
    }
    if (seenMasters.has(uid)) {
      schedule.skipped.push({ where, reason: 'another VEVENT has the same UID' });
      continue;
    }
    seenMasters.add(uid);
    if (!summary) {
      schedule.skipped.push({ where, reason: 'it has no SUMMARY (title)' });
      continue;
    }
    let event: InstanceType<typeof ICAL.Event>;
    try {
      event = new ICAL.Event(vevent);
      for (const override of overrides.get(uid) ?? []) event.relateException(override);
    } catch (error) {
      throw new ImportError(`The entry cannot be read: ${(error as Error).message}`, where);
    }
    const dtstart = event.startDate;
    if (!dtstart) {
      schedule.skipped.push({ where, reason: 'it has no DTSTART' });
      continue;
    }
    if (dtstart.isDate) {
      schedule.skipped.push({ where, reason: 'it is an all-day entry, not a session with times' });
      continue;
    }
    if (!vevent.hasProperty('dtend') && !vevent.hasProperty('duration')) {
      schedule.skipped.push({ where, reason: 'it has neither DTEND nor DURATION' });
      continue;
    }
    const startTzid = tzidOf(vevent, 'dtstart');
    const endTzid = vevent.hasProperty('dtend') ? tzidOf(vevent, 'dtend') : startTzid;

    if (!event.isRecurring()) {
      const start = instantOf(dtstart, startTzid, zones, where);
      const end = instantOf(event.endDate, endTzid, zones, where);
      if (end <= start) {
        schedule.skipped.push({ where, reason: end < start ? 'it ends before it starts' : 'it ends when it starts' });
        continue;
      }
      schedule.sessions.push(sessionOf(vevent, `uid:${uid}`, start, end, where));
      continue;
    }

    if (!options.window) {
      throw new ImportError('A recurring entry (RRULE/RDATE) can only be expanded within an event’s dates; import it into an existing event', where);
    }
    const windowStart = options.window.start.getTime();
    const windowEnd = options.window.end.getTime();
    const iterator = event.iterator();
    let occurrences = 0;
    for (let step = 0; ; step++) {
      if (step >= MAX_RECURRENCE_STEPS) {
        throw new ImportError(`The recurrence takes more than ${MAX_RECURRENCE_STEPS} steps to get past the event’s dates`, where);
      }
      const next = iterator.next();
      if (!next) break;
      const details = event.getOccurrenceDetails(next);
      const occurrenceStart = instantOf(details.startDate, startTzid, zones, where);
      if (occurrenceStart > windowEnd) break;
      const occurrenceEnd = instantOf(details.endDate, endTzid, zones, where);
      if (occurrenceEnd <= windowStart) continue;
      if (++occurrences > IMPORT_LIMITS.maxOccurrences) {
        throw new ImportError(`The entry recurs more than ${IMPORT_LIMITS.maxOccurrences} times within the event’s dates`, where);
      }
      const recurrenceId = details.recurrenceId.toString();
      const occurrenceWhere = `${where}, occurrence ${recurrenceId}`;
      if (occurrenceEnd <= occurrenceStart) {
        schedule.skipped.push({ where: occurrenceWhere, reason: 'it ends before it starts' });
        continue;
      }
      const item = details.item.component;
      schedule.sessions.push(sessionOf(item, `uid:${uid}#${recurrenceId}`, occurrenceStart, occurrenceEnd, occurrenceWhere));
      checkSessionCount(schedule.sessions.length);
    }
  }
  return schedule;
}


