// OES's whole-event export (`POST /v1/events/{ev}/export/json`): a zip of JSON files laid out as OES's
// export_helpers writes them and its importer looks for them: at the root, files without extension
// named `event` (one object, with the event's social links under `social_links` as OES's importer reads
// them), `microlocations`, `sessions`, `speakers`, `tracks`, `session_types`, `sponsors` and `forms` (the
// custom form fields) (lists), `meta`; JSON indented by four spaces, the keys OES orders first
// (FIELD_ORDER) then the rest alphabetically. Beyond OES: `tickets`, `speakers_calls` (the event's call
// for speakers: its announcement, dates, privacy and private link's hash; OES's importer reads only the
// files it knows), and each speaker's `sessions` (OES's importer drops that key, so its zips and ours
// stay interchangeable). Records are the database's columns
// under their own names (domain/event-archive.ts), so the file follows the schema as it grows.
//
// OES copies media files into the zip when asked (`image`, `video`, `document`, `audio`). openevent holds no
// uploaded files, only links, and fetching what links point at would make the server fetch any URL an
// organizer typed; the flags are accepted and the links are kept as they are, as OES does for the media
// not asked for. So the flags do not change the file and are not part of the task's options.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { ZipFile } from 'yazl';
import { ARCHIVE_PARTS, archivedEvent, archivedRows, countArchived, type ArchivePart, type ArchiveRecord } from '../domain/event-archive.ts';
import { version } from '../version.ts';
import type { Chunks, ExportFormat } from './format.ts';

/** OES's FIELD_ORDER: these keys come first, in this order, when the record has them. */
const FIELD_ORDER: Record<string, string[]> = {
  event: [
    'id', 'name', 'latitude', 'longitude', 'location_name', 'starts_at', 'ends_at', 'timezone', 'description',
    'original_image_url', 'logo_url', 'owner_name', 'owner_description', 'external_event_url', 'ticket_url', 'privacy',
    'event_type_id', 'event_topic_id', 'event_sub_topic_id', 'code_of_conduct',
  ],
  microlocations: ['id', 'name', 'floor'],
  sessions: [
    'id', 'title', 'subtitle', 'short_abstract', 'long_abstract', 'starts_at', 'ends_at', 'session_type_id', 'track_id',
    'comments', 'language', 'slides_url', 'audio_url', 'video_url',
  ],
  speakers: [
    'id', 'name', 'email', 'mobile', 'photo_url', 'organisation', 'position', 'country', 'short_biography',
    'long_biography', 'website', 'twitter', 'facebook', 'github', 'linkedin',
  ],
  tracks: ['id', 'name', 'color', 'font_color'],
  session_types: ['id', 'name', 'length'],
  sponsors: ['id', 'name', 'logo_url', 'level', 'type', 'url', 'description'],
  // Not in OES's export: its call for speakers' columns in the order of OES's model.
  speakers_calls: ['id', 'announcement', 'starts_at', 'soft_ends_at', 'ends_at', 'hash', 'privacy', 'event_id'],
};

function ordered(file: string, record: ArchiveRecord): ArchiveRecord {
  const first = (FIELD_ORDER[file] ?? []).filter((key) => key in record);
  const placed = new Set(first);
  const rest = Object.keys(record)
    .filter((key) => !placed.has(key))
    .sort();
  return Object.fromEntries([...first, ...rest].map((key) => [key, record[key]]));
}

/** Indented as Python's `json.dumps(indent=4)`, which OES uses: the same text for the same data. */
const pretty = (value: unknown) => JSON.stringify(value, null, 4);

/** A list written record by record, so a part is never one string in memory. */
async function* listFile(file: ArchivePart, batches: AsyncIterable<ArchiveRecord[]>, counted: (n: number) => Promise<void>) {
  let empty = true;
  for await (const batch of batches) {
    let text = '';
    for (const record of batch) {
      text += `${empty ? '[\n' : ',\n'}${pretty(ordered(file, record)).replace(/^/gm, '    ')}`;
      empty = false;
    }
    yield text;
    await counted(batch.length);
  }
  yield empty ? '[]' : '\n]';
}

interface Entry {
  name: string;
  content: () => AsyncIterable<string>;
}

/**
 * The entries zipped one after another as the output is read: each entry's rows are queried only when the
 * zip reaches it. Any error ends the output with it, so storage keeps nothing of a half-made file.
 */
function zipped(entries: Entry[], mtime: Date): Chunks {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const fail = (error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error)));
  zip.on('error', fail);
  for (const entry of entries) {
    zip.addReadStreamLazy(entry.name, { mtime }, (give) => {
      const bytes = async function* () {
        for await (const text of entry.content()) yield Buffer.from(text, 'utf8');
      };
      const stream = Readable.from(bytes(), { objectMode: false });
      stream.on('error', fail);
      give(null, stream);
    });
  }
  zip.end();
  return output;
}

const MediaFlag = (what: string) =>
  Type.Optional(Type.Boolean({ default: false, description: `OES copies the ${what} files into the zip; openevent keeps their links` }));

export const EventJsonOptions = Type.Object(
  { image: MediaFlag('image'), video: MediaFlag('video'), document: MediaFlag('document'), audio: MediaFlag('audio') },
  { additionalProperties: false },
);

export const eventJson: ExportFormat<typeof EventJsonOptions> = {
  id: 'event-json',
  title: "the whole event as OES's zip of JSON files (event, rooms, sessions, speakers, tracks, session types, tickets, sponsors, custom forms, call for speakers)",
  mediaType: 'application/zip',
  extension: 'zip',
  start: { method: 'POST', path: 'json' },
  exportableBy: 'managers',
  // Ticket and event settings change without a new schedule version: made anew every time.
  cacheable: false,
  fileName: (identifier) => `${identifier}-event.zip`,
  options: EventJsonOptions,
  total: (db, event) => countArchived(db, event.id),
  async render(db, event, { publicUrl, onProgress, generatedAt }) {
    let done = 0;
    const counted = async (n: number) => {
      done += n;
      await onProgress?.(done);
    };
    const part = (file: ArchivePart): Entry => ({ name: file, content: () => listFile(file, archivedRows(db, event.id, file), counted) });
    const entries: Entry[] = [
      {
        name: 'event',
        content: async function* () {
          yield pretty(ordered('event', await archivedEvent(db, event)));
          await counted(1);
        },
      },
      ...ARCHIVE_PARTS.map(part),
      { name: 'meta', content: async function* () { yield pretty({ generator: `openevent ${version}`, root_url: `${publicUrl}/` }); } },
    ];
    return zipped(entries, generatedAt ?? new Date());
  },
};
