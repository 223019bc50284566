// The format registry is what routes, feeds, the CLI and the feed URLs are built from: each format once, each
// start route once, and the feed URLs OES clients read derived from it.
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/formats/format.ts';
import { FORMATS, formatById, personalFeedFormats, publicFeedFormats } from '../../src/formats/registry.ts';
import { eventFeedUrls, personalFeedUrls } from '../../src/formats/feed-urls.ts';

describe('format registry', () => {
  it('lists every format once, each started at a route of its own', () => {
    const ids = FORMATS.map((format) => format.id);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = FORMATS.map((format) => `${format.start.method} ${format.start.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    expect(formatById('toString')).toBeNull();
    expect(formatById('ical')?.mediaType).toBe('text/calendar; charset=utf-8');
  });

  it('names files after the event, with the subject for the CSV lists', () => {
    const names = Object.fromEntries(FORMATS.map((format) => [format.id, format.fileName('ab12cd34')]));
    expect(names).toEqual({
      xcal: 'ab12cd34.xcs',
      ical: 'ab12cd34.ics',
      jcal: 'ab12cd34.jcal',
      pentabarf: 'ab12cd34.xml',
      'frab-json': 'ab12cd34.json',
      'sessions-csv': 'ab12cd34-sessions.csv',
      'speakers-csv': 'ab12cd34-speakers.csv',
      'orders-csv': 'ab12cd34-orders.csv',
      'attendees-csv': 'ab12cd34-attendees.csv',
      'event-json': 'ab12cd34-event.zip',
    });
  });

  it('fills options a request leaves out from the schema defaults', () => {
    expect(withDefaults(formatById('sessions-csv')!, undefined)).toEqual({ status: 'all' });
    expect(withDefaults(formatById('orders-csv')!, { status: 'pending' })).toEqual({ status: 'pending' });
    expect(withDefaults(formatById('attendees-csv')!, {})).toEqual({});
    expect(withDefaults(formatById('xcal')!, {})).toEqual({});
    // OES's media flags: openevent holds no media files, so they never make a different file.
    expect(withDefaults(formatById('event-json')!, { image: true, audio: false })).toEqual({});
  });

  it('gives the feed URLs OES names, on events and on personal calendar tokens', () => {
    expect(publicFeedFormats.map((format) => format.extension)).toEqual(['xcs', 'ics', 'jcal', 'xml']);
    expect(personalFeedFormats.map((format) => format.extension)).toEqual(['xcs', 'ics', 'jcal']);
    expect(eventFeedUrls({ identifier: 'ab12cd34' }, 'https://events.example.org')).toEqual({
      'ical-url': 'https://events.example.org/v1/events/ab12cd34.ics',
      'webcal-url': 'webcal://events.example.org/v1/events/ab12cd34.ics',
      'xcal-url': 'https://events.example.org/v1/events/ab12cd34.xcs',
      'pentabarf-url': 'https://events.example.org/v1/events/ab12cd34.xml',
    });
    expect(personalFeedUrls('t0k3n', 'http://localhost:8080')).toEqual({
      'ical-url': 'http://localhost:8080/v1/calendar/t0k3n.ics',
      'webcal-url': 'webcal://localhost:8080/v1/calendar/t0k3n.ics',
      'xcal-url': 'http://localhost:8080/v1/calendar/t0k3n.xcs',
      'jcal-url': 'http://localhost:8080/v1/calendar/t0k3n.jcal',
    });
  });
});
