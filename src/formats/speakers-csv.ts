// The speakers as CSV for organizers (OES's columns), each with their sessions of the state asked for.
import { serializeSpeakersCsv } from '../calendar/csv.ts';
import { countCsvSpeakers, streamCsvSpeakers } from '../domain/schedule-csv-source.ts';
import type { ExportFormat } from './format.ts';
import { SessionStatusOption } from './sessions-csv.ts';

export const speakersCsv: ExportFormat<typeof SessionStatusOption> = {
  id: 'speakers-csv',
  title: 'the speakers as CSV, with contact details, for organizers',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  start: { method: 'POST', path: 'speakers/csv' },
  exportableBy: 'managers',
  cacheable: true,
  fileName: (identifier) => `${identifier}-speakers.csv`,
  options: SessionStatusOption,
  total: (db, event) => countCsvSpeakers(db, event.id),
  async render(db, event, { options, onProgress }) {
    return serializeSpeakersCsv({ speakers: streamCsvSpeakers(db, event.id, options.status ?? 'all', onProgress) });
  },
};
