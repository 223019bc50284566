// The sessions as CSV for organizers (OES's columns): every state or the one asked for, with speakers'
// emails and the organizers' comments.
import { Type } from 'typebox';
import { serializeSessionsCsv } from '../calendar/csv.ts';
import { SESSION_STATES } from '../db/schema/index.ts';
import { countCsvSessions, streamCsvSessions } from '../domain/schedule-csv-source.ts';
import type { ExportFormat } from './format.ts';

export const SessionStatusOption = Type.Object(
  {
    status: Type.Optional(
      Type.Union(['all', ...SESSION_STATES].map((state) => Type.Literal(state)), {
        default: 'all',
        description: 'Only the sessions in this state; all when left out',
      }),
    ),
  },
  { additionalProperties: false },
);

export const sessionsCsv: ExportFormat<typeof SessionStatusOption> = {
  id: 'sessions-csv',
  title: 'the sessions as CSV, with contact details, for organizers',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  start: { method: 'POST', path: 'sessions/csv' },
  exportableBy: 'managers',
  cacheable: true,
  fileName: (identifier) => `${identifier}-sessions.csv`,
  options: SessionStatusOption,
  total: (db, event, options) => countCsvSessions(db, event.id, options.status ?? 'all'),
  async render(db, event, { options, onProgress }) {
    return serializeSessionsCsv({ timezone: event.timezone, sessions: streamCsvSessions(db, event.id, options.status ?? 'all', onProgress) });
  },
};
