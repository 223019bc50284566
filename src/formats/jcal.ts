// jCal (RFC 7265): iCalendar as JSON; also the `.jcal` live feed (OES's events name no URL for it).
import { calendarFormats } from '../calendar/formats.ts';
import { scheduleDocument } from './schedule-document.ts';

export const jcal = scheduleDocument({
  id: 'jcal',
  title: 'jCal, iCalendar in JSON (RFC 7265)',
  ...calendarFormats.jcal,
  feed: { public: true, personal: true, urlAttribute: 'jcal-url', onEvents: false },
});
