// frab's schedule.json: the Pentabarf schedule as JSON, for conference apps. Exported only, not a feed.
import { serializeFrabJson } from '../calendar/frab-json.ts';
import { scheduleDocument } from './schedule-document.ts';

export const frabJson = scheduleDocument({
  id: 'frab-json',
  title: 'frab JSON (schedule.json)',
  mediaType: 'application/json',
  extension: 'json',
  serialize: (input) => serializeFrabJson(input),
});
