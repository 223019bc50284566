// iCalendar (RFC 5545): what calendar apps subscribe to; also the `.ics` live feed and its webcal: URL.
import { calendarFormats } from '../calendar/formats.ts';
import { scheduleDocument } from './schedule-document.ts';

export const ical = scheduleDocument({
  id: 'ical',
  title: 'iCalendar (RFC 5545)',
  ...calendarFormats.ical,
  feed: { public: true, personal: true, urlAttribute: 'ical-url', onEvents: true, webcal: true },
});
