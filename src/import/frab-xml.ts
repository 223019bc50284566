// frab/Pentabarf schedule XML (what frab, pretalx and openevent write) into the import model. Read leniently:
// the C3VOC XSD wants UUID guids and more, real files (31C3's) have other guids and fewer elements; anything
// that identifies a session and places it in time is read.
import { IMPORT_LIMITS, ImportError, checkSessionCount, cleanColor, cleanText, decodeText, type ImportedSchedule, type ImportedTrack, type ParseOptions } from './model.ts';
import { frabSession, frabZone, isSkipped, type FrabLinkIn } from './frab.ts';
import { child, childText, children, parseXml, type XmlElement } from './xml.ts';

function links(event: XmlElement, list: string, item: string): FrabLinkIn[] {
  const holder = child(event, list);
  if (!holder) return [];
  return children(holder, item).map((l) => ({ url: l.attributes.href, title: l.text, type: l.attributes.type }));
}

export function parseFrabXml(input: Uint8Array | string, options: ParseOptions): ImportedSchedule {
  const root = parseXml(decodeText(input));
  if (root.name !== 'schedule') {
    throw new ImportError(`Not a frab schedule: the root element is <${root.name}>, not <schedule>`, `line ${root.line}`);
  }
  const conference = child(root, 'conference');
  const { clock: zone, named } = frabZone(conference && childText(conference, 'time_zone_name'), options.defaultTimezone, `line ${conference?.line ?? root.line}`);
  const tracks: ImportedTrack[] = [];
  for (const t of conference ? children(conference, 'track') : []) {
    const name = cleanText(t.attributes.name) ?? cleanText(t.text);
    if (name) tracks.push({ name, color: cleanColor(t.attributes.color) });
  }
  const schedule: ImportedSchedule = {
    format: 'frab-xml',
    title: conference ? cleanText(childText(conference, 'title')) : null,
    timezone: named,
    tracks,
    rooms: [],
    sessions: [],
    skipped: [],
  };
  const rooms = new Set<string>();
  let count = 0;
  for (const day of children(root, 'day')) {
    for (const room of children(day, 'room')) {
      const roomName = cleanText(room.attributes.name);
      if (roomName) rooms.add(roomName);
      for (const event of children(room, 'event')) {
        checkSessionCount(++count);
        const guid = event.attributes.guid;
        const persons = child(event, 'persons');
        const parsed = frabSession(
          {
            guid,
            id: event.attributes.id,
            date: childText(event, 'date'),
            start: childText(event, 'start'),
            duration: childText(event, 'duration'),
            room: childText(event, 'room'),
            title: childText(event, 'title'),
            subtitle: childText(event, 'subtitle'),
            track: childText(event, 'track'),
            type: childText(event, 'type'),
            language: childText(event, 'language'),
            abstract: childText(event, 'abstract'),
            description: childText(event, 'description'),
            persons: (persons ? children(persons, 'person') : [])
              .slice(0, IMPORT_LIMITS.maxSpeakersPerSession)
              .map((p) => ({ id: p.attributes.id, guid: p.attributes.guid, name: p.text })),
            links: links(event, 'links', 'link'),
            attachments: links(event, 'attachments', 'attachment'),
            dayDate: day.attributes.date,
            dayStart: day.attributes.start,
            roomName,
            where: `line ${event.line}, <event${guid ? ` guid="${guid}"` : ''}>`,
          },
          zone,
        );
        if (isSkipped(parsed)) schedule.skipped.push(parsed);
        else schedule.sessions.push(parsed);
      }
    }
  }
  schedule.rooms = [...rooms];
  return schedule;
}
