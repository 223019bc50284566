// xCal (RFC 6321): the schedule as iCalendar in XML; also the `.xcs` live feed.
import { calendarFormats } from '../calendar/formats.ts';
import { scheduleDocument } from './schedule-document.ts';

export const xcal = scheduleDocument({
  id: 'xcal',
  title: 'xCal, iCalendar in XML (RFC 6321)',
  ...calendarFormats.xcal,
  feed: { public: true, personal: true, urlAttribute: 'xcal-url', onEvents: true },
});
