// Pentabarf/frab schedule XML, the format conference apps (Giggity, ConfClerk, EventFahrplan, the FOSDEM
// companion) and the C3VOC video tooling read. Valid against the C3VOC `schedule.xml.xsd`. The whole session
// source is read before the first `<day>` is written (see frab-schedule.ts); output then streams in ~64 KB chunks.
import { escapeXmlAttr as attr, escapeXmlText as text } from './frab-text.ts';
import { buildFrabSchedule, type FrabEvent, type FrabLink, type FrabOptions } from './frab-schedule.ts';
import type { CalendarInput } from './model.ts';

export type { FrabOptions } from './frab-schedule.ts';

const CHUNK_CHARS = 64 * 1024;

export async function* serializePentabarf(
  input: CalendarInput,
  options: FrabOptions = {},
): AsyncIterable<string> {
  const { version, conference: c, days } = await buildFrabSchedule(input, options, renderEvent);

  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<schedule>\n  <generator name="openevent"/>\n';
  out += `  <version>${text(version)}</version>\n  <conference>\n`;
  out += `    <acronym>${c.acronym}</acronym>\n    <title>${text(c.title)}</title>\n`;
  out += `    <start>${c.start}</start>\n    <end>${c.end}</end>\n    <days>${c.days}</days>\n`;
  out += `    <timeslot_duration>${c.timeslotDuration}</timeslot_duration>\n`;
  out += `    <time_zone_name>${text(c.timeZoneName)}</time_zone_name>\n`;
  if (c.baseUrl) out += `    <base_url>${text(c.baseUrl)}</base_url>\n`;
  if (c.url) out += `    <url>${text(c.url)}</url>\n`;
  if (c.logo) out += `    <logo>${text(c.logo)}</logo>\n`;
  for (const track of c.tracks) {
    // The name both as attribute (current schema) and as content (older readers take the element's text).
    out += `    <track name="${attr(track.name)}"`;
    if (track.color) out += ` color="${track.color}"`;
    if (track.slug) out += ` slug="${track.slug}"`;
    out += `>${text(track.name)}</track>\n`;
  }
  out += '  </conference>\n';

  for (const day of days) {
    out += `  <day index="${day.index}" date="${day.date}" start="${day.start}" end="${day.end}">\n`;
    for (const room of day.rooms) {
      out += `    <room name="${attr(room.name)}" guid="${room.guid}">\n`;
      for (const event of room.events) {
        out += event;
        if (out.length >= CHUNK_CHARS) {
          yield out;
          out = '';
        }
      }
      out += '    </room>\n';
    }
    out += '  </day>\n';
  }
  yield `${out}</schedule>\n`;
}

function renderLinks(links: FrabLink[], list: string, item: string): string {
  if (links.length === 0) return `        <${list}/>\n`;
  let out = `        <${list}>\n`;
  for (const link of links) {
    out += `          <${item} href="${attr(link.url)}" type="${link.type}">${text(link.title)}</${item}>\n`;
  }
  return `${out}        </${list}>\n`;
}

/** One `<event>`; values arrive stripped of forbidden characters, so escaping is all that is left. */
function renderEvent(e: FrabEvent): string {
  let out =
    `      <event id="${e.id}" guid="${e.guid}">\n` +
    `        <date>${e.date}</date>\n` +
    `        <start>${e.start}</start>\n` +
    `        <duration>${e.duration}</duration>\n` +
    `        <room>${text(e.room)}</room>\n` +
    `        <slug>${e.slug}</slug>\n`;
  if (e.url) out += `        <url>${text(e.url)}</url>\n`;
  out +=
    // The schedule has no recording consent of its own: no license and nobody opted out.
    `        <recording><license/><optout>false</optout></recording>\n` +
    `        <title>${text(e.title)}</title>\n` +
    `        <subtitle>${text(e.subtitle)}</subtitle>\n` +
    `        <track>${text(e.track)}</track>\n` +
    `        <type>${text(e.type)}</type>\n` +
    `        <language>${text(e.language)}</language>\n` +
    `        <abstract>${text(e.abstract)}</abstract>\n` +
    `        <description>${text(e.description)}</description>\n`;
  if (e.persons.length === 0) {
    out += '        <persons/>\n';
  } else {
    out += '        <persons>\n';
    for (const p of e.persons) out += `          <person id="${p.id}" guid="${p.guid}">${text(p.name)}</person>\n`;
    out += '        </persons>\n';
  }
  out += renderLinks(e.links, 'links', 'link');
  out += renderLinks(e.attachments, 'attachments', 'attachment');
  return `${out}      </event>\n`;
}
