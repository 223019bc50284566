// frab's schedule.json (and pretalx's, which adds `code` to persons and leaves `time_zone_name` out at
// times) into the import model: the same reading as the XML (frab.ts).
import { ImportError, checkSessionCount, cleanColor, cleanText, decodeText, type ImportedSchedule, type ImportedTrack, type ParseOptions } from './model.ts';
import { parseJsonText } from './json.ts';
import { frabSession, frabZone, isSkipped, type FrabLinkIn, type FrabPersonIn } from './frab.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function parseFrabJson(input: Uint8Array | string, options: ParseOptions): ImportedSchedule {
  const doc = parseJsonText(decodeText(input));
  const schedule = isObject(doc) ? doc.schedule : undefined;
  const conference = isObject(schedule) ? schedule.conference : undefined;
  if (!isObject(conference)) throw new ImportError('Not a frab schedule JSON: it has no schedule.conference object');
  const { clock: zone, named } = frabZone(conference.time_zone_name, options.defaultTimezone, 'schedule.conference.time_zone_name');
  const tracks: ImportedTrack[] = [];
  for (const t of list(conference.tracks)) {
    if (!isObject(t)) continue;
    const name = cleanText(t.name);
    if (name) tracks.push({ name, color: cleanColor(t.color) });
  }
  const rooms = new Set<string>();
  for (const r of list(conference.rooms)) {
    const name = isObject(r) ? cleanText(r.name) : null;
    if (name) rooms.add(name);
  }
  const result: ImportedSchedule = {
    format: 'frab-json',
    title: cleanText(conference.title),
    timezone: named,
    tracks,
    rooms: [],
    sessions: [],
    skipped: [],
  };
  let count = 0;
  for (const [d, day] of list(conference.days).entries()) {
    if (!isObject(day) || !isObject(day.rooms)) continue;
    for (const [roomName, events] of Object.entries(day.rooms)) {
      if (cleanText(roomName)) rooms.add(cleanText(roomName)!);
      for (const [e, event] of list(events).entries()) {
        checkSessionCount(++count);
        const where = `days[${d}].rooms[${JSON.stringify(roomName)}][${e}]`;
        if (!isObject(event)) {
          result.skipped.push({ where, reason: 'it is not an object' });
          continue;
        }
        const parsed = frabSession(
          {
            ...event,
            persons: list(event.persons).filter(isObject).map((p): FrabPersonIn => ({
              id: p.id,
              guid: p.guid,
              code: p.code,
              name: p.public_name ?? p.name ?? p.full_public_name,
            })),
            links: list(event.links).filter(isObject) as FrabLinkIn[],
            attachments: list(event.attachments).filter(isObject) as FrabLinkIn[],
            dayDate: day.date,
            dayStart: day.day_start,
            roomName,
            where: `${where}${typeof event.guid === 'string' ? ` (guid ${event.guid})` : ''}`,
          },
          zone,
        );
        if (isSkipped(parsed)) result.skipped.push(parsed);
        else result.sessions.push(parsed);
      }
    }
  }
  result.rooms = [...rooms];
  return result;
}
