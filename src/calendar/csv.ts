// CSV exports of an event's sessions and speakers for organizers, with the columns Open Event Server exports.
// Unlike the calendar formats these carry speaker emails and mobiles and sessions in every state, so they read
// their own row types (the caller picks the rows, e.g. by the requested status) rather than the calendar model.
//
// RFC 4180 (CRLF records, fields quoted when they hold a comma, quote, CR or LF), UTF-8 with a header row, written
// by csv-stringify. Formula injection: a cell starting with = + - @ tab or CR (or their full-width forms) gets a
// leading `'`, so a spreadsheet shows it as text instead of evaluating it.
import { stringify, type Options } from 'csv-stringify/sync';
import { htmlToPlainText } from './plain-text.ts';
import { formatLocalIso, zoneClock } from './local-time.ts';
import type { SessionState } from './model.ts';

export type RowSource<T> = Iterable<T> | AsyncIterable<T>;

export interface CsvSessionRow {
  title: string;
  state: SessionState;
  startsAt: Date | null;
  endsAt: Date | null;
  speakers: { name: string; email: string | null }[];
  track: string | null;
  /** May hold HTML; written as plain text. */
  shortAbstract: string | null;
  longAbstract: string | null;
  /** The organizers' comment; may hold HTML, written as plain text. */
  comments: string | null;
  createdAt: Date;
  level: string | null;
  sessionType: string | null;
  language: string | null;
  slidesUrl: string | null;
  audioUrl: string | null;
  videoUrl: string | null;
}

export interface CsvSessionsInput {
  /** The event's IANA zone: every time is written in it, as ISO 8601 with its offset. */
  timezone: string;
  sessions: RowSource<CsvSessionRow>;
}

export interface CsvSpeakerRow {
  name: string;
  email: string | null;
  mobile: string | null;
  organisation: string | null;
  position: string | null;
  city: string | null;
  country: string | null;
  sessions: { title: string; state: SessionState }[];
}

export interface CsvSpeakersInput {
  speakers: RowSource<CsvSpeakerRow>;
}

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark, without which Excel reads the file as its legacy code page and garbles
   *  accents and emoji. Default true. */
  bom?: boolean;
}

export const SESSION_COLUMNS = [
  'Session Title',
  'Session Starts At',
  'Session Ends At',
  'Session Speakers',
  'Speaker Emails',
  'Session Track',
  'Session Abstract Short',
  'Session Abstract Long',
  'Comment',
  'Created At',
  'Level',
  'Status',
  'Session Type',
  'Language',
  'Slides',
  'Audio',
  'Video',
] as const;

export const SPEAKER_COLUMNS = [
  'Speaker Name',
  'Speaker Email',
  'Speaker Session(s)',
  'Speaker Mobile',
  'Speaker Organisation',
  'Speaker Position',
  'Speaker City',
  'Speaker Country',
] as const;

const STRINGIFY_OPTIONS: Options = {
  record_delimiter: '\r\n',
  // With a custom record delimiter csv-stringify would stop quoting fields that hold a bare LF or CR; RFC 4180
  // readers (and Excel) need them quoted.
  quote_record_delimiter: true,
  escape_formulas: true,
};

const CHUNK_CHARS = 64 * 1024;

/** Rows are stringified in batches of about a chunk, so memory stays bounded whatever the number of rows. Every
 *  CSV export writes through this, so every one has the formula-injection guard of STRINGIFY_OPTIONS. */
export async function* writeCsv<T>(
  header: readonly string[],
  rows: RowSource<T>,
  toRecord: (row: T) => string[],
  options: CsvOptions,
): AsyncIterable<string> {
  let batch: string[][] = [[...header]];
  let size = 0;
  let first = options.bom ?? true;
  const flush = () => {
    const text = (first ? '\uFEFF' : '') + stringify(batch, STRINGIFY_OPTIONS);
    first = false;
    batch = [];
    size = 0;
    return text;
  };
  for await (const row of rows) {
    const record = toRecord(row);
    batch.push(record);
    for (const cell of record) size += cell.length + 1;
    if (size >= CHUNK_CHARS) yield flush();
  }
  if (batch.length > 0) yield flush();
}

const orEmpty = (value: string | null): string => value ?? '';
const plain = (html: string | null): string => (html ? htmlToPlainText(html) : '');

export function serializeSessionsCsv(input: CsvSessionsInput, options: CsvOptions = {}): AsyncIterable<string> {
  const clock = zoneClock(input.timezone);
  const time = (at: Date | null) => (at ? formatLocalIso(clock, at.getTime()) : '');
  return writeCsv(SESSION_COLUMNS, input.sessions, (s) => [
    s.title,
    time(s.startsAt),
    time(s.endsAt),
    s.speakers.map((sp) => sp.name).filter(Boolean).join('; '),
    s.speakers.map((sp) => sp.email).filter(Boolean).join('; '),
    orEmpty(s.track),
    plain(s.shortAbstract),
    plain(s.longAbstract),
    plain(s.comments),
    time(s.createdAt),
    orEmpty(s.level),
    s.state,
    orEmpty(s.sessionType),
    orEmpty(s.language),
    orEmpty(s.slidesUrl),
    orEmpty(s.audioUrl),
    orEmpty(s.videoUrl),
  ], options);
}

export function serializeSpeakersCsv(input: CsvSpeakersInput, options: CsvOptions = {}): AsyncIterable<string> {
  return writeCsv(SPEAKER_COLUMNS, input.speakers, (sp) => [
    sp.name,
    orEmpty(sp.email),
    sp.sessions.map((s) => `${s.title} (${s.state})`).join('; '),
    orEmpty(sp.mobile),
    orEmpty(sp.organisation),
    orEmpty(sp.position),
    orEmpty(sp.city),
    orEmpty(sp.country),
  ], options);
}
