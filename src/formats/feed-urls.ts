// The URLs of the live calendar feeds, from the format registry: an event's (`ical-url`, `webcal-url`,
// `xcal-url`, `pentabarf-url`, as OES names them) and a user's personal feed behind a secret token. The
// public feeds answer only once the event is published and public; the URLs are shown before, so organizers
// can share them in advance.
import { personalFeedFormats, publicFeedFormats } from './registry.ts';
import type { FeedFormat } from './format.ts';

export type FeedUrls = Record<string, string>;

function attributesOf(formats: readonly FeedFormat[]): string[] {
  return formats.flatMap((format) => (format.feed.webcal ? [format.feed.urlAttribute, 'webcal-url'] : [format.feed.urlAttribute]));
}

/** The attributes personalFeedUrls gives: the calendar-token resource's schema. */
export const personalFeedUrlAttributes: readonly string[] = attributesOf(personalFeedFormats);

function urlsOf(formats: readonly FeedFormat[], base: string): FeedUrls {
  const urls: FeedUrls = {};
  for (const format of formats) {
    const url = `${base}.${format.extension}`;
    urls[format.feed.urlAttribute] = url;
    if (format.feed.webcal) urls['webcal-url'] = url.replace(/^https?:/, 'webcal:');
  }
  return urls;
}

export function eventFeedUrls(event: { identifier: string }, publicUrl: string): FeedUrls {
  const advertised = publicFeedFormats.filter((format) => format.feed.onEvents);
  return urlsOf(advertised, `${publicUrl}/v1/events/${event.identifier}`);
}

export function personalFeedUrls(token: string, publicUrl: string): FeedUrls {
  return urlsOf(personalFeedFormats, `${publicUrl}/v1/calendar/${token}`);
}
