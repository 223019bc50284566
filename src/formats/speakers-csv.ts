// The speakers as CSV for organizers (OES's columns): all, those with a session in the state asked for
// (each with those sessions), or those without a session, as OES picks them.
import { serializeSpeakersCsv } from '../calendar/csv.ts';
import { Type } from 'typebox';
import { SESSION_STATES } from '../db/schema/index.ts';
import { WITHOUT_SESSION, countCsvSpeakers, streamCsvSpeakers } from '../domain/schedule-csv-source.ts';
import type { ExportFormat } from './format.ts';

export const SpeakerStatusOption = Type.Object(
  {
    status: Type.Optional(
      Type.Union(['all', ...SESSION_STATES, WITHOUT_SESSION].map((state) => Type.Literal(state)), {
        default: 'all',
        description: `The speakers with a session in this state, with those sessions; ${WITHOUT_SESSION}: those with none; all when left out`,
      }),
    ),
  },
  { additionalProperties: false },
);

export const speakersCsv: ExportFormat<typeof SpeakerStatusOption> = {
  id: 'speakers-csv',
  title: 'the speakers as CSV, with contact details, for organizers',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  start: { method: 'POST', path: 'speakers/csv' },
  exportableBy: 'managers',
  cacheable: true,
  fileName: (identifier) => `${identifier}-speakers.csv`,
  options: SpeakerStatusOption,
  total: (db, event, options) => countCsvSpeakers(db, event.id, options.status ?? 'all'),
  async render(db, event, { options, onProgress }) {
    return serializeSpeakersCsv({ speakers: streamCsvSpeakers(db, event.id, options.status ?? 'all', onProgress) });
  },
};
