// OES's whole-event zip read back (what `POST /v1/events/{ev}/export/json` writes, here and on OES): JSON files
// at the archive's root, without extension as OES writes them (`.json` is accepted too): `event` (one object,
// required; OES keeps the event's social links in its `social_links` key), and the lists `microlocations`,
// `tracks`, `session_types`, `speakers` (each with the ids of its `sessions`, which openevent adds), `sessions`,
// `sponsors`, `social_links`, `forms` (custom form fields), `tickets` and `speakers_calls` (openevent's).
// `meta` says who made it.
// Other entries are media files OES copies in when asked; they are listed as skipped. Pure: bytes in, records
// out; the writer is domain/event-archive-import.ts.
import { ImportError, type Skipped } from './model.ts';
import { readZip, type ZipEntryInfo } from './zip.ts';

export type ArchiveRecord = Record<string, unknown>;

/** The list files, in the order they are written (what a record refers to comes before it). */
export const ARCHIVE_LISTS = ['social_links', 'forms', 'microlocations', 'sponsors', 'tracks', 'session_types', 'speakers', 'sessions', 'tickets', 'speakers_calls'] as const;
export type ArchiveList = (typeof ARCHIVE_LISTS)[number];

export interface EventArchive {
  event: ArchiveRecord;
  lists: Record<ArchiveList, ArchiveRecord[]>;
  /** The lists the archive has no file for (OES's importer needs them all; here they are empty). */
  missing: ArchiveList[];
  skipped: Skipped[];
}

const KNOWN = new Set<string>(['event', 'meta', ...ARCHIVE_LISTS]);

/** The part a root entry is (`sessions`, `sessions.json`), or null. */
function partOf(name: string): string | null {
  const base = name.replace(/\.json$/i, '');
  return !base.includes('/') && KNOWN.has(base) ? base : null;
}

function parseJson(name: string, bytes: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(`"${name}" in the zip archive is not UTF-8 text`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportError(`"${name}" in the zip archive is not valid JSON: ${(error as Error).message}`);
  }
}

const isRecord = (value: unknown): value is ArchiveRecord => typeof value === 'object' && value !== null && !Array.isArray(value);

function mediaNote(entries: ZipEntryInfo[]): Skipped[] {
  const media = entries.filter((e) => !e.directory && partOf(e.name) === null);
  if (media.length === 0) return [];
  const shown = media.slice(0, 5).map((e) => e.name).join(', ');
  return [{ where: 'zip archive', reason: `${media.length} other file${media.length === 1 ? '' : 's'} (media such as ${shown}${media.length > 5 ? ', …' : ''}) not imported: openevent keeps links, not uploaded files` }];
}

export async function readEventArchive(bytes: Uint8Array): Promise<EventArchive> {
  const { entries, files } = await readZip(bytes, (name) => partOf(name) !== null);
  const byPart = new Map<string, { name: string; bytes: Buffer }>();
  for (const [name, content] of files) {
    const part = partOf(name)!;
    if (byPart.has(part)) throw new ImportError(`The zip archive holds both "${byPart.get(part)!.name}" and "${name}"`);
    byPart.set(part, { name, bytes: content });
  }
  const eventFile = byPart.get('event');
  if (!eventFile) {
    throw new ImportError("The zip archive has no \"event\" file at its root: it is not an event export (OES's POST /v1/events/{ev}/export/json)");
  }
  const event = parseJson(eventFile.name, eventFile.bytes);
  if (!isRecord(event)) throw new ImportError('"event" in the zip archive is not a JSON object');

  const lists = {} as Record<ArchiveList, ArchiveRecord[]>;
  const missing: ArchiveList[] = [];
  for (const list of ARCHIVE_LISTS) {
    const file = byPart.get(list);
    let value: unknown = [];
    if (file) value = parseJson(file.name, file.bytes);
    else if (list === 'social_links' && Array.isArray(event.social_links)) value = event.social_links;
    else missing.push(list);
    if (!Array.isArray(value)) throw new ImportError(`"${file?.name ?? list}" in the zip archive is not a JSON list`);
    value.forEach((record, i) => {
      if (!isRecord(record)) throw new ImportError(`"${file?.name ?? list}" in the zip archive: entry ${i + 1} is not a JSON object`);
    });
    lists[list] = value as ArchiveRecord[];
  }
  return { event, lists, missing, skipped: mediaNote(entries) };
}
