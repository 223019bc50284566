// Every format a schedule can be imported from, beside the export registry (formats/registry.ts) whose files
// they read back. The id is the route's `{format}` (`POST /v1/events/{ev}/import/{format}`) and the CLI's
// `--format`; the media types and extensions let a request or a file name pick one.
import { parseFrabJson } from './frab-json.ts';
import { parseFrabXml } from './frab-xml.ts';
import { parseICalendar } from './icalendar.ts';
import { parseJCal } from './jcal.ts';
import { ImportError, type ImportedSchedule, type ParseOptions } from './model.ts';
import { parseXCal } from './xcal.ts';

export interface ImportFormat {
  id: string;
  title: string;
  /** Media types a request body of this format may have (the first is its own). */
  mediaTypes: string[];
  /** File name extensions, without the dot. */
  extensions: string[];
  parse(input: Uint8Array | string, options: ParseOptions): ImportedSchedule;
  /** A whole-event archive (OES's zip), read by imports/run.ts instead of `parse`. */
  archive?: true;
}

/** OES's whole-event zip: not a schedule but an event, so it is read apart (import/event-archive.ts). */
const eventArchiveFormat: ImportFormat = {
  id: 'event-json',
  title: "OES's whole-event zip (what POST /v1/events/{ev}/export/json writes)",
  mediaTypes: ['application/zip', 'application/x-zip-compressed'],
  extensions: ['zip'],
  archive: true,
  parse() {
    throw new ImportError("OES's whole-event export is a zip archive; this file is not one");
  },
};

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  { id: 'pentabarf', title: 'frab/Pentabarf schedule XML', mediaTypes: ['application/xml', 'text/xml'], extensions: ['xml'], parse: parseFrabXml },
  { id: 'frab-json', title: 'frab/pretalx schedule JSON', mediaTypes: ['application/json'], extensions: ['json'], parse: parseFrabJson },
  { id: 'ical', title: 'iCalendar (.ics)', mediaTypes: ['text/calendar'], extensions: ['ics', 'ical', 'ifb'], parse: parseICalendar },
  { id: 'xcal', title: 'xCal, iCalendar in XML (RFC 6321)', mediaTypes: ['application/calendar+xml'], extensions: ['xcs', 'xcal'], parse: parseXCal },
  { id: 'jcal', title: 'jCal, iCalendar in JSON (RFC 7265)', mediaTypes: ['application/calendar+json'], extensions: ['jcs', 'jcal'], parse: parseJCal },
  eventArchiveFormat,
];

const byId = new Map(IMPORT_FORMATS.map((format) => [format.id, format]));
/** Also accepted as route and CLI names: what OES and people call them. */
const ALIASES: Record<string, string> = { 'frab-xml': 'pentabarf', xml: 'pentabarf', frab: 'pentabarf', json: 'frab-json', ics: 'ical', icalendar: 'ical', zip: 'event-json', oes: 'event-json' };

export function importFormatById(id: string): ImportFormat | null {
  return byId.get(id) ?? byId.get(ALIASES[id] ?? '') ?? null;
}

/** The format a file's name and first bytes suggest: its extension, then a look at its start. */
export function guessImportFormat(fileName: string | null, head: string): ImportFormat | null {
  if (head.startsWith('PK\u0003\u0004')) return eventArchiveFormat;
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const start = head.replace(/^\uFEFF/, '').trimStart().slice(0, 2000);
  if (/^BEGIN:VCALENDAR/i.test(start)) return byId.get('ical')!;
  if (start.startsWith('<')) return /<(?:\w+:)?icalendar[\s>]/.test(start) ? byId.get('xcal')! : byId.get('pentabarf')!;
  if (start.startsWith('[')) return byId.get('jcal')!;
  if (start.startsWith('{')) return byId.get('frab-json')!;
  return IMPORT_FORMATS.find((format) => extension && format.extensions.includes(extension)) ?? null;
}
