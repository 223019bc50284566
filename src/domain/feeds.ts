// The public calendar feed URLs of an event (the `ical-url`, `xcal-url`, `pentabarf-url` attributes).
// They stay null until the live feeds exist (see the feeds issue); then this is the one place that
// builds them.
import type { Event } from './access.ts';

export interface FeedUrls {
  'ical-url': string | null;
  'webcal-url': string | null;
  'xcal-url': string | null;
  'pentabarf-url': string | null;
}

export function feedUrls(_event: Event, _publicUrl: string): FeedUrls {
  return { 'ical-url': null, 'webcal-url': null, 'xcal-url': null, 'pentabarf-url': null };
}
