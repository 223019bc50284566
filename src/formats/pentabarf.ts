// Pentabarf XML (frab's schedule.xml), read by conference apps; also the `.xml` live feed of an event.
import { serializePentabarf } from '../calendar/pentabarf.ts';
import { scheduleDocument } from './schedule-document.ts';

export const pentabarf = scheduleDocument({
  id: 'pentabarf',
  title: 'Pentabarf XML (frab schedule.xml)',
  mediaType: 'application/xml',
  extension: 'xml',
  serialize: (input) => serializePentabarf(input),
  // One event's days and rooms: no personal feed across events.
  feed: { public: true, personal: false, urlAttribute: 'pentabarf-url', onEvents: true },
});
