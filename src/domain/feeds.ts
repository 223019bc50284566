// The public calendar feed URLs of an event (its `ical-url`, `webcal-url`, `xcal-url`,
// `pentabarf-url` attributes): the one place that builds them. The feeds answer only once the event
// is published and public; the URLs are shown before, so organizers can share them in advance.
import type { Event } from './access.ts';

export interface FeedUrls {
  'ical-url': string | null;
  'webcal-url': string | null;
  'xcal-url': string | null;
  'pentabarf-url': string | null;
}

export function feedUrls(event: Event, publicUrl: string): FeedUrls {
  const base = `${publicUrl}/v1/events/${event.identifier}`;
  return {
    'ical-url': `${base}.ics`,
    'webcal-url': `${base.replace(/^https?:/, 'webcal:')}.ics`,
    'xcal-url': `${base}.xcs`,
    'pentabarf-url': `${base}.xml`,
  };
}
