// What every export format is: one object carrying all this server knows about it, read by export tasks,
// downloads, live feeds, the CLI, the OpenAPI document and the favourites' feed URLs. Modelled on pretalx's
// exporter classes: identity, media type, file name, options and the serializer sit together, so a new format
// is one file in this folder and one line in registry.ts.
//
// Arrows: formats/ → domain/ (reading the rows) → db/, and formats/ → calendar/ (the pure serializers, which
// import nothing of ours). Nothing below formats/ imports it; http/, exports/, jobs and the CLI read it.
import type { Static, TObject } from 'typebox';
import type { Queryable } from '../db/connection.ts';
import type { Event } from '../domain/access.ts';
import type { CalendarInput } from '../calendar/model.ts';

export type Chunks = AsyncIterable<Uint8Array | string>;

/** The choices a request made (e.g. `{status: 'accepted'}` for a CSV), defaults filled in. */
export type FormatOptions = Record<string, string>;

export interface RenderRequest {
  publicUrl: string;
  options: FormatOptions;
  /** Called as rows are read, with how many so far. */
  onProgress?(done: number): void | Promise<void>;
  generatedAt?: Date;
}

/** A calendar format served live to calendar apps, as well as exported. */
export interface FeedSettings {
  /** At /v1/events/{identifier}.{extension}, for published public events. */
  public: boolean;
  /** At /v1/calendar/{token}.{extension}: a user's favourite sessions, across events. */
  personal: boolean;
  /** The OES attribute that gives the feed's URL (`ical-url`). */
  urlAttribute: string;
  /** Events carry `urlAttribute` (OES's event resource has only ical, webcal, xcal and pentabarf). */
  onEvents: boolean;
  /** Also offered as `webcal-url` (calendar apps subscribe on a click). */
  webcal?: boolean;
}

export interface ExportFormat<Options extends TObject = TObject> {
  id: string;
  /** One line for help texts and the API documentation. */
  title: string;
  mediaType: string;
  /** File name extension, without the dot; also the extension of its live feed. */
  extension: string;
  /**
   * How OES clients start it: `GET /v1/events/{ev}/export/{path}` for schedule documents, `POST
   * /v1/events/{ev}/export/{path}` with the options as the JSON body for the CSV lists.
   */
  start: {
    method: 'GET' | 'POST';
    path: string;
    /** Also started by `GET` with the default options, as OES starts it (its client's order and attendee lists). */
    alsoGet?: boolean;
  };
  /** Who may export it besides admins: the event's managers, or its registrars too (order and attendee lists). */
  exportableBy: 'managers' | 'registrars';
  /**
   * Whether a file made for this schedule version is reused by later exports with the same options. Lists
   * whose data nothing versions (orders, attendees) are made anew each time.
   */
  cacheable: boolean;
  /** The download's file name, e.g. `<identifier>-sessions.csv`. */
  fileName(eventIdentifier: string): string;
  /** Its options: the body schema of the start request; `default`s fill what a request leaves out. */
  options: Options;
  /** How many rows an export reads: the task's progress total. */
  total(db: Queryable, event: Event, options: FormatOptions): Promise<number>;
  render(db: Queryable, event: Event, request: RenderRequest): Promise<Chunks>;
  /** Formats written from the calendar model: what the live feeds render (filtered, or a personal schedule). */
  serialize?(input: CalendarInput): Chunks;
  feed?: FeedSettings;
}

export type FeedFormat = ExportFormat & { serialize(input: CalendarInput): Chunks; feed: FeedSettings };

export function isFeedFormat(format: ExportFormat): format is FeedFormat {
  return format.feed !== undefined && format.serialize !== undefined;
}

/** The options as given, each missing one set to its schema default. Unknown keys are the schema's to refuse. */
export function withDefaults<O extends TObject>(format: ExportFormat<O>, given: Partial<Static<O>> | undefined): FormatOptions {
  const options: FormatOptions = {};
  for (const [name, schema] of Object.entries(format.options.properties) as [string, { default?: unknown }][]) {
    const value = (given as Record<string, unknown> | undefined)?.[name] ?? schema.default;
    if (typeof value === 'string') options[name] = value;
  }
  return options;
}
