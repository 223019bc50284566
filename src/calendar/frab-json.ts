// The frab schedule JSON: the same schedule as the Pentabarf XML (same days, rooms, sessions, GUIDs and text),
// shaped like the schedule.json frab and pretalx publish (`schedule.conference.days[].rooms{name: [event…]}`),
// plus the `url`, `tracks` and `rooms` lists newer frab/pretalx versions add. Compact, one session per line.
import { buildFrabSchedule, type FrabEvent, type FrabOptions } from './frab-schedule.ts';
import type { CalendarInput } from './model.ts';

export type { FrabOptions } from './frab-schedule.ts';

const CHUNK_CHARS = 64 * 1024;
const json = JSON.stringify;

export async function* serializeFrabJson(
  input: CalendarInput,
  options: FrabOptions = {},
): AsyncIterable<string> {
  const { version, conference: c, days } = await buildFrabSchedule(input, options, renderEvent);

  let out =
    // The C3VOC JSON schema that published schedule.json files name (the JSON twin of schedule.xml.xsd).
    `{"$schema":"https://c3voc.de/schedule/schema.json",` +
    `"schedule":{"version":${json(version)}${optional('base_url', c.baseUrl)},"conference":{` +
    `"acronym":${json(c.acronym)},"title":${json(c.title)},"start":${json(c.start)},"end":${json(c.end)},` +
    `"daysCount":${c.days},"timeslot_duration":${json(c.timeslotDuration)},` +
    `"time_zone_name":${json(c.timeZoneName)}${optional('url', c.url)}${optional('logo', c.logo)},` +
    `"tracks":${json(c.tracks.map(withoutNulls))},"rooms":${json(c.rooms)},"days":[`;
  for (const [d, day] of days.entries()) {
    out +=
      `${d ? ',' : ''}\n{"index":${day.index},"date":${json(day.date)},` +
      `"day_start":${json(day.start)},"day_end":${json(day.end)},"rooms":{`;
    for (const [r, room] of day.rooms.entries()) {
      out += `${r ? ',' : ''}${json(room.name)}:[`;
      for (const [e, event] of room.events.entries()) {
        out += e ? `,\n${event}` : `\n${event}`;
        if (out.length >= CHUNK_CHARS) {
          yield out;
          out = '';
        }
      }
      out += ']';
    }
    out += '}}';
  }
  yield `${out}]}}}\n`;
}

// The schema types these as strings that may be left out, never null: an event without a logo, a public URL
// that is not http(s), a track without a color or a sluggable name leaves the key out.
function optional(key: string, value: string | null): string {
  return value === null ? '' : `,${json(key)}:${json(value)}`;
}

function withoutNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as Partial<T>;
}

/** Keys and their order as in frab's schedule.json. */
function renderEvent(e: FrabEvent): string {
  return json({
    url: e.url,
    id: e.id,
    guid: e.guid,
    logo: null,
    date: e.date,
    start: e.start,
    duration: e.duration,
    room: e.room,
    slug: e.slug,
    title: e.title,
    subtitle: e.subtitle,
    track: e.track,
    type: e.type,
    language: e.language,
    abstract: e.abstract,
    description: e.description,
    recording_license: '',
    do_not_record: false,
    persons: e.persons.map((p) => ({ id: p.id, guid: p.guid, public_name: p.name })),
    links: e.links.map((l) => ({ url: l.url, title: l.title })),
    attachments: e.attachments.map((a) => ({ url: a.url, title: a.title })),
  });
}
