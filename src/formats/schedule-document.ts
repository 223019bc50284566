// The shape shared by the formats that write the published schedule through the calendar library (xCal,
// iCalendar, jCal, Pentabarf, frab JSON): started with a GET, for managers, cached per schedule version,
// no options, `<identifier>.<extension>`.
import { Type } from 'typebox';
import type { CalendarInput } from '../calendar/model.ts';
import { calendarInput, countExportedSessions } from '../domain/schedule-source.ts';
import type { Chunks, ExportFormat, FeedSettings } from './format.ts';

export function scheduleDocument(spec: {
  id: string;
  title: string;
  mediaType: string;
  extension: string;
  serialize(input: CalendarInput): Chunks;
  feed?: FeedSettings;
}): ExportFormat {
  return {
    ...spec,
    start: { method: 'GET', path: spec.id },
    exportableBy: 'managers',
    cacheable: true,
    fileName: (identifier) => `${identifier}.${spec.extension}`,
    options: Type.Object({}, { additionalProperties: false }),
    total: (db, event) => countExportedSessions(db, event.id),
    async render(db, event, { publicUrl, onProgress, generatedAt }) {
      return spec.serialize(await calendarInput(db, event, { publicUrl, onPage: onProgress, generatedAt }));
    },
  };
}
