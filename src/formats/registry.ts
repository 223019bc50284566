// Every export format this server offers, in the order help texts and the API documentation list them. A new
// format is a file in this folder and a line here; export tasks, downloads, feeds, the CLI, the OpenAPI
// document and the favourites' feed URLs all read this list and nothing else.
import type { ExportFormat, FeedFormat } from './format.ts';
import { isFeedFormat } from './format.ts';
import { xcal } from './xcal.ts';
import { ical } from './ical.ts';
import { jcal } from './jcal.ts';
import { pentabarf } from './pentabarf.ts';
import { frabJson } from './frab-json.ts';
import { sessionsCsv } from './sessions-csv.ts';
import { speakersCsv } from './speakers-csv.ts';
import { ordersCsv } from './orders-csv.ts';
import { attendeesCsv } from './attendees-csv.ts';
import { eventJson } from './event-json.ts';

export const FORMATS: readonly ExportFormat[] = [
  xcal,
  ical,
  jcal,
  pentabarf,
  frabJson,
  sessionsCsv,
  speakersCsv,
  ordersCsv,
  attendeesCsv,
  eventJson,
];

const byId = new Map(FORMATS.map((format) => [format.id, format]));

export function formatById(id: string): ExportFormat | null {
  return byId.get(id) ?? null;
}

/** Served at /v1/events/{identifier}.{extension}. */
export const publicFeedFormats: readonly FeedFormat[] = FORMATS.filter(isFeedFormat).filter((format) => format.feed.public);

/** Served at /v1/calendar/{token}.{extension}. */
export const personalFeedFormats: readonly FeedFormat[] = FORMATS.filter(isFeedFormat).filter((format) => format.feed.personal);
